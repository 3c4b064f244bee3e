"""`renderbus monitor [TASK_ID...]`: the monitor window on its own, without Maya or 3ds Max.

Follow and manage tasks (stop, start, retry, the progress image) from a terminal. It needs a Qt
binding: ``pip install "renderbus_dcc[qt]"`` brings PySide6 (Maya and 3ds Max use their own).
"""

import argparse
import sys
from typing import Any

from renderbus_dcc.i18n import _

__all__ = ["register", "require_qt"]


def register(subparsers: "argparse._SubParsersAction") -> None:
    """Add `renderbus monitor`."""
    p = subparsers.add_parser("monitor", help=_("open the monitor window: follow and manage your tasks"),
                              description=_("Open the monitor window on its own (no Maya or 3ds Max needed): your "
                                            "tasks, their frames and progress image; stop, start, retry."))
    p.add_argument("task_ids", nargs="*", type=int, metavar="TASK_ID", help=_("tasks to follow (default: none)"))
    p.set_defaults(func=cmd_monitor)


def require_qt() -> Any:
    """The Qt widgets module, or ConfigError saying how to get a binding."""
    from renderbus_dcc.errors import ConfigError

    try:
        from renderbus_dcc.ui.qt import QtWidgets
    except ImportError as exc:
        raise ConfigError(_("the windows need a Qt binding (PySide6 or PySide2), and none was found (%s)") % exc,
                          _('install one with `pip install "renderbus_dcc[qt]"` (it brings PySide6)')) from None
    return QtWidgets


def cmd_monitor(args: argparse.Namespace) -> int:
    QtWidgets = require_qt()
    from renderbus_dcc.ui import HostHooks, install_qt_translations, open_monitor
    from renderbus_dcc.ui.qt import exec_dialog

    app = QtWidgets.QApplication.instance()
    if app is None:
        app = QtWidgets.QApplication(sys.argv[:1])
        install_qt_translations(app)
    open_monitor(HostHooks(), args.task_ids)  # the application ends when its window closes
    return int(exec_dialog(app) or 0)
