"""Run a Blender benchmark in every Blender the suite tests (each ``.venvs/blender-*``).

The bpy module exists for CPython 3.11 only, one Blender version per venv: the suite's jobs
make them (``./dev test --job blender``). A benchmark run with a Python that has no bpy runs
itself once in each, in its own process (bpy can hang on exit: each run has a time limit).
"""

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parents[1]


def blender_pythons() -> List[Path]:
    """The Pythons of the Blender venvs, oldest Blender first."""
    found = (ROOT / ".venvs").glob("blender-*/bin/python")
    return sorted(found, key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.parent.name)])


def run_in_each_blender(script: str, timeout: float = 900) -> int:
    """Run ``script`` in every Blender venv; the exit code is 0 if every run succeeded."""
    pythons = blender_pythons()
    if not pythons:
        print("no Blender venvs in %s: `./dev test --job blender` makes them" % (ROOT / ".venvs"))
        return 1
    failed = 0
    for python in pythons:
        print("== %s" % python.parent.parent.name, flush=True)
        try:
            code = subprocess.run([str(python), script] + sys.argv[1:], timeout=timeout,
                                  env=dict(os.environ, PYTHONUNBUFFERED="1")).returncode
        except subprocess.TimeoutExpired:
            print("ran out of %d s" % timeout)
            code = 124
        failed += code != 0
    return 1 if failed else 0
