"""What the Renderbus menu items run: open the Renderbus windows over 3ds Max.

Called by the macroScripts (``python.Execute "import renderbus_max.commands; ..."``) on 3ds
Max's main thread. The first call imports renderbus_dcc's windows (Qt) and makes the one
:class:`~renderbus_max.hooks.MaxHost`; an error is shown in a message box, never raised into
3ds Max.
"""

import logging
from typing import Any, List, Optional

from renderbus_dcc.i18n import N_, _

__all__ = ["host", "submit", "monitor", "settings"]

log = logging.getLogger(__name__)

_host: Optional[Any] = None


def host() -> Any:
    """The MaxHost the windows share."""
    global _host
    if _host is None:
        from renderbus_max.hooks import MaxHost

        _host = MaxHost()
    return _host


def _open(what: str, opener: str, **kwargs: Any) -> Any:
    """Call ``renderbus_dcc.ui.<opener>(host(), **kwargs)``; show any error in a message box.

    3ds Max's Qt binding is named before the windows import Qt: they load that one, never another.
    """
    try:
        from renderbus_dcc.ui.host import use_binding

        max_host = host()
        use_binding(max_host.qt_binding())
        from renderbus_dcc import ui

        return getattr(ui, opener)(max_host, **kwargs)
    except Exception as exc:  # shown to the artist, never raised into 3ds Max
        log.exception("Renderbus %s failed", what)
        message = _("Renderbus could not open %(window)s:\n%(error)s") % {"window": _(what), "error": exc}  # ends with the hint
        try:
            host().rt.messageBox(message, title="Renderbus")
        except Exception:
            log.exception("could not show the message box")
        return None


def submit() -> Any:
    """Open the submitter for the open scene."""
    return _open(N_("the submitter"), "open_submitter")


def monitor(task_ids: Optional[List[int]] = None) -> Any:
    """Open the monitor (all recent jobs, or ``task_ids``)."""
    return _open(N_("the monitor"), "open_monitor", task_ids=task_ids)


def settings() -> Any:
    """Open the account and defaults window."""
    return _open(N_("the settings"), "open_settings")
