"""What the Renderbus module adds to Maya's start-up: modules imported and time.

Maya cannot run here: each run is a fresh Python process with the test suite's fake ``maya``
(tests/maya/fake_maya) standing in for Maya; ``maya.cmds``, ``maya.mel`` and ``maya.utils`` are
imported first, as Maya has them loaded before any userSetup.py runs. Then the module's
``userSetup.py`` runs and Maya's idle queue is processed (which builds the shelf and menu), and
the run reports the modules that added and the time it took. Prints the median of 7 runs, the
modules added, and whether requests or Qt are among them. Run:
``python benchmarks/bench_maya_startup.py``.
"""

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAKE = ROOT / "tests" / "maya" / "fake_maya"
USER_SETUP = ROOT / "maya" / "scripts" / "userSetup.py"
RUNS = 7

PROBE = r"""
import json, pkgutil, runpy, sys, time  # pkgutil: runpy's own, used to run userSetup.py
sys.path.insert(0, %(fake)r)
import maya.cmds, maya.mel, maya.utils            # Maya's own, loaded before userSetup.py
before = set(sys.modules)
t0 = time.perf_counter(); c0 = time.process_time()
runpy.run_path(%(user_setup)r)                     # what Maya does with the module's userSetup.py
t1 = time.perf_counter()
maya.utils.processIdleEvents()                     # Maya idle: the deferred start-up runs
t2 = time.perf_counter(); c2 = time.process_time()
import renderbus_maya.startup as startup
t3 = time.perf_counter(); startup.run(); t4 = time.perf_counter()   # a second run (re-sourced)
import maya._scene as scene
print(json.dumps({
    "user_setup_ms": (t1 - t0) * 1000, "startup_ms": (t2 - t1) * 1000, "total_ms": (t2 - t0) * 1000,
    "cpu_ms": (c2 - c0) * 1000, "rerun_ms": (t4 - t3) * 1000,
    "added": sorted(set(sys.modules) - before),
    "cmds_calls": sum(scene.STATE.calls.values()),
}))
"""


def run_once() -> dict:
    code = PROBE % {"fake": str(FAKE), "user_setup": str(USER_SETUP)}
    env = dict(os.environ, PYTHONPATH="")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, cwd=str(ROOT))
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    import argparse

    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()  # (--help)
    runs = [run_once() for _ in range(RUNS)]
    added = runs[-1]["added"]
    ours = [m for m in added if m.startswith("renderbus")]
    heavy = [m for m in added if m.split(".")[0] in ("requests", "urllib3", "Qt", "PySide2", "PySide6", "shiboken2",
                                                       "shiboken6", "renderbus_dcc")]
    print("Renderbus module start-up (fake maya, %d fresh processes, median)" % RUNS)
    for key, label in (("user_setup_ms", "userSetup.py (defers)"), ("startup_ms", "shelf + menu (deferred)"),
                       ("total_ms", "total added to start-up"), ("cpu_ms", "total CPU time"),
                       ("rerun_ms", "running the start-up again")):
        print("  %-28s %8.2f ms" % (label, statistics.median(r[key] for r in runs)))
    print("  maya.cmds calls              %8d" % runs[-1]["cmds_calls"])
    print("  modules imported             %8d" % len(added))
    print("    renderbus modules: %s" % ", ".join(ours))
    print("    others: %s" % (", ".join(m for m in added if m not in ours) or "none"))
    print("  requests / Qt / renderbus_dcc imported: %s" % (", ".join(heavy) if heavy else "none"))


if __name__ == "__main__":
    main()
