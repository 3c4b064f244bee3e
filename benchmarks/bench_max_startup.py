"""What the Renderbus menu costs 3ds Max at start-up, and how long reading a big scene takes.

Runs against the tests' fake pymxs (tests/max/fake_pymxs; real 3ds Max cannot run here), so
the figures are the layer's own Python cost, not 3ds Max's:

1. start-up: a fresh Python runs the installed startup script's Python part (path set-up,
   ``import renderbus_max.startup``, three macroScripts, the menu) for 3ds Max 2024 (menuMan)
   and 2025 (menu callback + one menu rebuild), and reports the time and the modules it loaded;
2. analysis: ``describe_scene`` of a V-Ray scene with 5,000 bitmaps (4,000 distinct files),
   200 proxies and 50 xrefs (best of 5).

Run: ``python benchmarks/bench_max_startup.py``.
"""

import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAKE = ROOT / "tests" / "max" / "fake_pymxs"
RUNS = 5

STARTUP = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, %r)
    import fakemax
    fake = fakemax.use(fakemax.FakeMax(%d))
    before = set(sys.modules)
    start = time.perf_counter()
    import renderbus_max.startup
    renderbus_max.startup.install()  # 2025+: registers the callback and rebuilds the menus once
    elapsed = time.perf_counter() - start
    new = sorted(m for m in set(sys.modules) - before if not m.startswith("fakemax"))
    print("%%.2f ms, %%d modules loaded: %%s" %% (elapsed * 1000, len(new), ", ".join(new)))
""")


def startup(year: int) -> str:
    out = subprocess.run([sys.executable, "-c", STARTUP % (str(FAKE), year)], capture_output=True,
                         text=True, check=True)
    return out.stdout.strip()


def big_scene() -> dict:
    objects = [{"class": "BitmapTexture", "name": "map%d" % i,
                "props": {"filename": "D:\\项目\\tex\\set%02d\\tex_%04d.png" % (i % 40, i % 4000)}} for i in range(5000)]
    objects += [{"class": "VRayProxy", "name": "proxy%d" % i, "props": {"fileName": "D:\\项目\\proxy\\p%d.vrmesh" % i}}
                for i in range(200)]
    return {"file": "D:\\项目\\big.max", "plugins": ["vray"], "renderer": {"class": "V_Ray_6__Update_2", "props": {}},
            "time": {"type": 3, "start": 1, "end": 240}, "output": {"save": True, "file": "D:\\out\\big.exr"},
            "cameras": ["cam"], "active_camera": "cam", "objects": objects,
            "xrefs": ["D:\\项目\\xref\\x%d.max" % i for i in range(50)]}


def main() -> None:
    import argparse

    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()  # (--help)
    for year in (2024, 2025):
        print("start-up, 3ds Max %d: %s" % (year, startup(year)))
    sys.path.insert(0, str(FAKE))
    import fakemax
    from renderbus_max.analysis import describe_scene

    fakemax.use(fakemax.FakeMax(2024, big_scene()))
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        scene = describe_scene()
        times.append(time.perf_counter() - start)
    print("analysis of %d objects -> %d files: best %.1f ms, first %.1f ms" % (
        5250, len(scene.assets), min(times) * 1000, times[0] * 1000))


if __name__ == "__main__":
    main()
