"""How long enabling the Renderbus add-on takes in Blender (the bpy module).

Measures, in a fresh process: ``import bpy``; the first ``addon_utils.enable`` (importing the
add-on and registering its classes and properties, as at Blender's start); then 20
disable/enable cycles (register/unregister only, modules already imported: best and median).
Also checks that enabling imports neither ``requests`` nor Qt. Run with a Python that has bpy,
or with any other (``.venv/bin/python benchmarks/bench_blender_register.py``) to run it in each
Blender the suite tests (``.venvs/blender-*``).
"""

import os
import statistics
import sys
import time
from pathlib import Path

CYCLES = 20


def main() -> None:
    import argparse

    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()  # (--help)
    t0 = time.perf_counter()
    try:
        import bpy
    except ImportError:
        from _bpy_venvs import run_in_each_blender

        sys.exit(run_in_each_blender(__file__))
    import addon_utils

    t1 = time.perf_counter()
    already = set(sys.modules)  # Blender's own (5.2 imports requests itself)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "blender"))
    addon_utils.enable("renderbus_blender", default_set=True)
    t2 = time.perf_counter()
    heavy = sorted(m for m in ("requests", "Qt", "PySide6", "PySide2") if m in sys.modules and m not in already)
    cycles = []
    for _ in range(CYCLES):
        start = time.perf_counter()
        addon_utils.disable("renderbus_blender", default_set=True)
        addon_utils.enable("renderbus_blender", default_set=True)
        cycles.append(time.perf_counter() - start)
    print("Blender %s" % bpy.app.version_string)
    print("import bpy:                        %7.1f ms" % ((t1 - t0) * 1000))
    print("first enable (import + register):  %7.1f ms" % ((t2 - t1) * 1000))
    print("disable + enable, best of %d:      %7.2f ms" % (CYCLES, min(cycles) * 1000))
    print("disable + enable, median:          %7.2f ms" % (statistics.median(cycles) * 1000))
    print("heavy modules imported by enabling: %s" % (", ".join(heavy) or "none"))
    sys.stdout.flush()
    os._exit(0)  # bpy can hang on exit


if __name__ == "__main__":
    main()
