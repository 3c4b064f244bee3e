"""What the Renderbus shelf buttons and menu items call.

Each opens one of the Qt windows of renderbus_dcc.ui with :class:`~renderbus_maya.hooks.MayaHost`;
Qt, requests and the windows are imported here, on the first click, not at Maya's start-up.
"""

from __future__ import annotations

import logging
from typing import Any, List, Optional

from maya import cmds

from renderbus_dcc.i18n import _

__all__ = ["host", "submit", "monitor", "settings", "about"]

log = logging.getLogger(__name__)

_host: Optional[Any] = None


def host() -> Any:
    """The one MayaHost of this session."""
    global _host
    if _host is None:
        from renderbus_maya.hooks import MayaHost

        _host = MayaHost()
    return _host


def _open(opener: str, *args: Any) -> Any:
    """Call ``renderbus_dcc.ui.<opener>(host, *args)``; a failure is shown to the artist, not raised.

    Maya's Qt binding is named before the windows import Qt: they load that one, never another.
    """
    try:
        from renderbus_dcc.ui.host import use_binding

        maya_host = host()
        use_binding(maya_host.qt_binding())
        import renderbus_dcc.ui as ui

        return getattr(ui, opener)(maya_host, *args)
    except Exception as error:  # the artist sees a dialog, not only a traceback in the script editor
        log.exception("Renderbus: %s failed", opener)
        cmds.confirmDialog(title="Renderbus", message=str(error), button=[_("OK")], icon="critical")
        return None


def submit() -> Any:
    """Open the submitter for the open scene."""
    return _open("open_submitter")


def monitor(task_ids: Optional[List[int]] = None) -> Any:
    """Open the monitor (all recent jobs, or ``task_ids``)."""
    return _open("open_monitor", task_ids)


def settings() -> Any:
    """Open the account and settings window."""
    return _open("open_settings")


def about() -> str:
    """Which Renderbus this is, and where it is installed."""
    import renderbus_dcc

    message = _("Renderbus for Maya %(version)s\n%(where)s") % {"version": renderbus_dcc.__version__,
                                                                 "where": renderbus_dcc.__file__}
    return str(cmds.confirmDialog(title=_("About Renderbus"), message=message, button=[_("OK")]))
