"""What the Renderbus shelf buttons and menu items call.

Each opens one of the Qt windows of renderbus_dcc.ui with :class:`~renderbus_maya.hooks.MayaHost`;
Qt, requests and the windows are imported here, on the first click, not at Maya's start-up.
"""

from __future__ import annotations

import logging
from typing import Any, List, Optional

from maya import cmds

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


def _report(error: Exception) -> None:
    log.exception("Renderbus")
    cmds.confirmDialog(title="Renderbus", message=str(error), button=["OK"], icon="critical")


def submit() -> Any:
    """Open the submitter for the open scene."""
    try:
        from renderbus_dcc.ui import open_submitter

        return open_submitter(host())
    except Exception as error:  # shown to the artist, never a traceback in the script editor only
        _report(error)
        return None


def monitor(task_ids: Optional[List[int]] = None) -> Any:
    """Open the monitor (all recent jobs, or ``task_ids``)."""
    try:
        from renderbus_dcc.ui import open_monitor

        return open_monitor(host(), task_ids)
    except Exception as error:
        _report(error)
        return None


def settings() -> Any:
    """Open the account and settings window."""
    try:
        from renderbus_dcc.ui import open_settings

        return open_settings(host())
    except Exception as error:
        _report(error)
        return None


def about() -> str:
    """Which Renderbus this is, and where it is installed."""
    import renderbus_dcc

    message = "Renderbus for Maya %s\n%s" % (renderbus_dcc.__version__, renderbus_dcc.__file__)
    return str(cmds.confirmDialog(title="About Renderbus", message=message, button=["OK"]))
