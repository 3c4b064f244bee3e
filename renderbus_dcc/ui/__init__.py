"""The Qt windows (submitter, monitor, settings), shared by Maya and 3ds Max.

Importing this package imports Qt (through Qt.py, the host's binding: see :mod:`.qt`); the
core (``renderbus_dcc``) never imports it. Each ``open_*`` shows its window, parented to
``host.main_window()``, and returns it; there is one window of each kind: opening it again
raises the one already open. Only a standalone host gets a QApplication made for it: inside
Maya or 3ds Max the application's own is used, and without one (batch mode) nothing opens.
"""

import logging
from typing import Any, Callable, Dict, Iterable, Optional

from renderbus_dcc.errors import HostError
from renderbus_dcc.i18n import _
from renderbus_dcc.ui.host import HostHooks
from renderbus_dcc.ui.qt import QtWidgets, is_valid

__all__ = ["HostHooks", "open_submitter", "open_monitor", "open_settings", "open_window", "close_all",
           "install_qt_translations"]

log = logging.getLogger(__name__)

_WINDOWS: Dict[str, Any] = {}


def _application(host: HostHooks) -> Any:
    app = QtWidgets.QApplication.instance()
    if app is None:
        if not getattr(host, "standalone", True):  # a second QApplication in a host would take it down
            raise HostError(_("%s has no user interface here (batch mode): the Renderbus windows cannot open.")
                            % host.name, _("use the renderbus command line instead"))
        app = QtWidgets.QApplication([])  # standalone use: the caller runs the event loop
        install_qt_translations(app)
    return app


def install_qt_translations(app: Any) -> bool:
    """Qt's own words (Yes/No of a question, a file dialog's buttons) in the language in use, from
    the binding's catalogs; for an application we made (a host loads its own). True if loaded."""
    from renderbus_dcc.i18n import language
    from renderbus_dcc.ui.qt import QtCore, enum

    lang = language()
    if lang == "en":
        return False
    where = enum(QtCore.QLibraryInfo, "LibraryPath", "TranslationsPath")
    folder = (getattr(QtCore.QLibraryInfo, "path", None) or getattr(QtCore.QLibraryInfo, "location"))(where)  # Qt 6 / 5
    translator = QtCore.QTranslator(app)
    if not translator.load("qtbase_" + lang, folder):
        return False
    app.installTranslator(translator)
    return True


def open_window(key: str, make: Callable[[Any], Any], host: HostHooks) -> Any:
    """Show the window ``key`` (made by ``make(parent)`` if not open) and bring it to front.

    A window opened speaks the user's language: the setting, else the host's (``host.ui_language()``),
    else the system's."""
    from renderbus_dcc.i18n import use_language_setting

    try:
        host_language = host.ui_language()
    except Exception:  # a host that cannot say: the setting or the system decides
        log.exception("host.ui_language() failed")
        host_language = None
    use_language_setting(host_language)
    _application(host)
    window = _WINDOWS.get(key)
    if window is None or not is_valid(window):
        parent = None
        try:
            parent = host.main_window()
        except Exception:  # a host that cannot answer still gets its window
            log.exception("host.main_window() failed")
        window = make(parent)
        try:
            host.adopt_window(window)
        except Exception:  # the window still works
            log.exception("host.adopt_window() failed")
        _WINDOWS[key] = window
        window.destroyed.connect(lambda *_: _WINDOWS.pop(key, None) if _WINDOWS.get(key) is window else None)
        window.closed.connect(lambda: _WINDOWS.pop(key, None) if _WINDOWS.get(key) is window else None)
    window.show()
    if window.isMinimized():
        window.showNormal()
    window.raise_()
    window.activateWindow()
    return window


def open_submitter(host: HostHooks) -> Any:
    """Show the submitter for the host's open scene."""
    from renderbus_dcc.ui.submitter import SubmitterWindow

    return open_window("submitter", lambda parent: SubmitterWindow(host, parent), host)


def open_monitor(host: HostHooks, task_ids: Optional[Iterable[int]] = None) -> Any:
    """Show the monitor; ``task_ids`` are followed (and the first selected)."""
    from renderbus_dcc.ui.monitor import MonitorWindow

    ids = [int(t) for t in (task_ids or [])]
    existing = _WINDOWS.get("monitor")
    window: Any = open_window("monitor", lambda parent: MonitorWindow(host, ids, parent=parent), host)
    if ids and existing is not None and window is existing:
        window.follow(ids)
    return window


def open_settings(host: HostHooks) -> Any:
    """Show the settings window (account, endpoint, API profile, platform)."""
    from renderbus_dcc.ui.settings import SettingsWindow

    return open_window("settings", lambda parent: SettingsWindow(host, parent), host)


def close_all() -> None:
    """Close every open window (e.g. when the host unloads the plug-in)."""
    for window in list(_WINDOWS.values()):
        if is_valid(window):
            window.close()
    _WINDOWS.clear()
