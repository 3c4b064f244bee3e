"""The core and the Qt windows type-check, and every module keeps to Python 3.9 syntax.

(Maya's layer is checked against the types-maya stubs in tests/maya/test_maya_types.py.)
"""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "renderbus_dcc", ROOT / "maya", ROOT / "max", ROOT / "blender"]


def test_mypy_finds_no_error_in_the_core() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "renderbus_dcc"], cwd=str(ROOT),
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_module_parses_as_python_3_9() -> None:
    """Maya 2022-2024 and 3ds Max 2022-2024 run Python 3.9: no newer syntax anywhere they load."""
    bad = []
    for folder in SOURCES:
        for path in folder.rglob("*.py"):
            try:
                ast.parse(path.read_text(encoding="utf-8"), filename=str(path), feature_version=(3, 9))
            except SyntaxError as exc:
                bad.append("%s:%s: %s" % (path.relative_to(ROOT), exc.lineno, exc.msg))
    assert not bad, "\n".join(bad)
