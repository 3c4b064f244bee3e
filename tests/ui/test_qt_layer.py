"""The binding layer: one module knows the binding; the core never imports Qt."""

import re
import subprocess
import sys
from pathlib import Path

import renderbus_dcc.ui as ui_package
from renderbus_dcc.ui import qt

UI_DIR = Path(ui_package.__file__).parent


def test_only_qt_module_names_a_binding() -> None:
    offenders = []
    for path in sorted(UI_DIR.glob("*.py")):
        if path.name == "qt.py":
            continue
        text = path.read_text(encoding="utf-8")
        patterns = [r"^\s*from (PySide[26]|PyQt[56]|shiboken\d|Qt) import", r"^\s*import (PySide[26]|PyQt[56]|shiboken\d|Qt)\b"]
        if path.name != "host.py":  # host.py names the bindings hosts run (use_binding), importing none
            patterns += [r"PySide[26]", r"PyQt[56]", r"shiboken", r"\bexec_\("]
        for pattern in patterns:
            if re.search(pattern, text, re.M):
                offenders.append("%s: %s" % (path.name, pattern))
    assert offenders == []


def test_importing_the_core_imports_no_qt() -> None:
    code = ("import sys, renderbus_dcc, renderbus_dcc.submission, renderbus_dcc.monitor; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('Qt', 'PySide6', 'PySide2', 'renderbus_dcc.ui')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_enum_resolves_scoped_and_flat_names() -> None:
    assert qt.enum(qt.QtCore.Qt, "AlignmentFlag", "AlignLeft") == qt.ALIGN_LEFT
    assert qt.enum(qt.QtCore.Qt, "NoSuchScope", "AlignLeft") == qt.ALIGN_LEFT


def test_exec_dialog_runs_a_modal_dialog(qtbot) -> None:
    box = qt.QtWidgets.QMessageBox()
    box.setText("hello")
    qt.QtCore.QTimer.singleShot(0, box.accept)
    qt.exec_dialog(box)
    assert not box.isVisible()


def test_standard_icons_exist(qtbot) -> None:
    widget = qt.QtWidgets.QWidget()
    qtbot.addWidget(widget)
    for name in ("SP_MessageBoxCritical", "SP_MessageBoxWarning", "SP_MessageBoxInformation"):
        assert not qt.standard_icon(widget, name).isNull()
