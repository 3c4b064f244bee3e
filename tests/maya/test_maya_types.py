"""mypy with the types-maya stubs over the Maya layer: every maya.cmds call and flag type-checks."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_mypy_with_the_maya_stubs_finds_no_error(tmp_path) -> None:
    # mypy 1.18 checks Python >= 3.10 syntax at the oldest; 3.9 syntax is kept by the code itself.
    command = [
        sys.executable, "-m", "mypy", "--python-version", "3.10", "--follow-imports", "silent",
        "--cache-dir", str(tmp_path / "mypy_cache"), "--no-error-summary", "--show-error-codes",
        str(ROOT / "maya" / "scripts" / "renderbus_maya"), str(ROOT / "maya" / "scripts" / "userSetup.py"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=280, cwd=str(ROOT))
    assert result.returncode == 0, result.stdout + result.stderr
