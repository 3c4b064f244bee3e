"""The host's Qt binding, never a second one; no QApplication made inside a host."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from renderbus_dcc.errors import HostError
from renderbus_dcc.ui.qt import choose_binding

ROOT = Path(__file__).resolve().parents[2]


def test_the_hosts_binding_is_chosen_over_qt_pys_preference() -> None:
    assert choose_binding("PySide2", []) == "PySide2"  # Qt.py 2 alone would try PySide6 first
    assert choose_binding("PySide2", ["PySide2"]) == "PySide2"
    assert choose_binding(None, ["PySide2"]) == "PySide2"  # what the process has loaded
    assert choose_binding(None, []) is None  # standalone: Qt.py's own order
    with pytest.raises(HostError, match="PySide6 is loaded in this application, which runs PySide2"):
        choose_binding("PySide2", ["PySide6"])


def _run(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=120, env=env, cwd=str(tmp_path))


def test_a_binding_the_host_does_not_run_is_never_imported(tmp_path) -> None:
    """A PySide2 host with another binding reachable on its path: only the host's is tried."""
    (tmp_path / "PySide2").mkdir()  # stands for the binding the host did not load: records being tried
    (tmp_path / "PySide2" / "__init__.py").write_text(
        "import os\nopen(os.path.join(os.path.dirname(__file__), '..', 'tried'), 'w').close()\n"
        "raise ImportError('not this one')\n")
    done = _run("""
        from renderbus_dcc.ui.host import use_binding
        use_binding("PySide6")
        from renderbus_dcc.ui import qt
        import sys
        print(qt.BINDING, "PySide2" in sys.modules)
    """, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["PySide6", "False"]
    assert not (tmp_path / "tried").exists()
    # and Qt.py's own order would have tried it: the recorder works
    done = _run("import os; os.environ['QT_PREFERRED_BINDING'] = 'PySide2' + os.pathsep + 'PySide6'; import Qt",
                tmp_path)
    assert (tmp_path / "tried").exists(), done.stderr


def test_no_qapplication_is_made_inside_a_host(tmp_path) -> None:
    done = _run("""
        from renderbus_dcc.ui.host import HostHooks
        from renderbus_dcc.errors import HostError
        import renderbus_dcc.ui as ui
        from renderbus_dcc.ui.qt import QtWidgets

        class Batch(HostHooks):
            name = "Maya"
            standalone = False

        try:
            ui.open_settings(Batch())
        except HostError as error:
            print("refused:", error)
        print("app:", QtWidgets.QApplication.instance())
    """, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "refused: Maya has no user interface here (batch mode)" in done.stdout
    assert "app: None" in done.stdout
