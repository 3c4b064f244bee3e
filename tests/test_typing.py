"""The core and the Qt windows type-check, and every module keeps to its oldest Python's syntax.

(Maya's layer is checked against the types-maya stubs in tests/maya/test_maya_types.py.)
"""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: folder -> the oldest Python that runs it: Maya/3ds Max 2022 run 3.7; Blender 4.2+ runs 3.11
#: (kept to 3.9 here); the host harness and the fakes run in Maya/3ds Max 2022's Python too.
SOURCES = {ROOT / "renderbus_dcc": (3, 7), ROOT / "maya": (3, 7), ROOT / "max": (3, 7), ROOT / "blender": (3, 9),
           ROOT / "tests" / "hosts": (3, 7), ROOT / "tests" / "maya" / "fake_maya": (3, 7),
           ROOT / "tests" / "max" / "fake_pymxs": (3, 7)}


def test_mypy_finds_no_error_in_the_core() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "renderbus_dcc"], cwd=str(ROOT),
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_module_parses_as_its_oldest_python() -> None:
    """Maya and 3ds Max 2022 run Python 3.7: no newer syntax anywhere they load (the core jobs on
    3.7 run the core itself)."""
    bad = []
    for folder, version in SOURCES.items():
        for path in folder.rglob("*.py"):
            try:
                ast.parse(path.read_text(encoding="utf-8"), filename=str(path), feature_version=version)
            except SyntaxError as exc:
                bad.append("%s:%s: %s" % (path.relative_to(ROOT), exc.lineno, exc.msg))
    assert not bad, "\n".join(bad)
