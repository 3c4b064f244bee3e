"""How long asset collection takes for a scene with 20,000 files.

Builds real files in a temporary folder: 11,000 single textures over 40 folders, 500 UDIM sets
of 10 tiles (5,000 files), 200 frame sequences of 20 frames (4,000 files) in several token
styles, plus 200 missing textures; then times ``collect_assets``: the first run (cold: nothing
of the scene cached in this process) and the best of 5 (wall clock and CPU time, which is
steadier on a busy machine). Run: ``python benchmarks/bench_assets.py``.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from renderbus_dcc.assets import collect_assets  # noqa: E402
from renderbus_dcc.scene import Asset, SceneDescription  # noqa: E402

RUNS = 5


def build(root: Path) -> SceneDescription:
    assets = []
    (root / "scenes").mkdir()
    (root / "scenes" / "shot.ma").write_bytes(b"//Maya ASCII 2024 scene\n" * 40000)  # ~1 MB
    for i in range(11000):
        folder = i % 40
        tex = root / "sourceimages" / ("set%02d" % folder)
        tex.mkdir(parents=True, exist_ok=True)
        name = "tex_%05d.png" % i
        (tex / name).write_bytes(b"p")
        assets.append(Asset("sourceimages/set%02d/%s" % (folder, name), "file%d.fileTextureName" % i))
    for s in range(500):
        udim = root / "sourceimages" / ("udim%02d" % (s % 10))
        udim.mkdir(parents=True, exist_ok=True)
        for tile in range(10):
            (udim / ("asset%03d_diffuse.%d.exr" % (s, 1001 + tile))).write_bytes(b"u")
        token = "<UDIM>" if s % 2 else "<udim>"
        assets.append(Asset("sourceimages/udim%02d/asset%03d_diffuse.%s.exr" % (s % 10, s, token),
                            "udim%d.fileTextureName" % s))
    styles = ["####", "%04d", "<f4>", "$F4", "####"]
    for q in range(200):
        seq = root / "cache" / ("seq%03d" % q)
        seq.mkdir(parents=True)
        for frame in range(1, 21):
            (seq / ("fx.%04d.exr" % frame)).write_bytes(b"s")
        frames = list(range(1, 21)) if q % 2 else None
        assets.append(Asset("cache/seq%03d/fx.%s.exr" % (q, styles[q % 5]), "seq%d.file" % q, "cache", frames))
    for m in range(200):
        assets.append(Asset("sourceimages/set00/missing_%03d.png" % m, "missing%d.fileTextureName" % m))
    return SceneDescription(2000, "Maya", "2024", scene_file=str(root / "scenes" / "shot.ma"),
                            project_dir=str(root), assets=assets)


def main() -> int:
    import argparse

    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()  # (--help)
    with tempfile.TemporaryDirectory(prefix="rb_bench_assets_") as tmp:
        scene = build(Path(tmp))
        times, cpu = [], []
        for _ in range(RUNS):
            start, start_cpu = time.perf_counter(), time.process_time()
            collection = collect_assets(scene)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        files = len(collection.files)
        print("load average: %s" % " ".join("%.2f" % x for x in os.getloadavg()))
        print("assets in scene:      %d (%d files found, %d missing)" % (len(scene.assets), files, len(collection.missing)))
        print("collect_assets first (cold): %.1f ms wall, %.1f ms CPU" % (times[0] * 1000, cpu[0] * 1000))
        print("collect_assets best:  %.1f ms wall, %.1f ms CPU (of %d runs)" % (min(times) * 1000, min(cpu) * 1000, RUNS))
        print("per file:             %.1f us" % (min(times) / max(files, 1) * 1e6))
        start = time.perf_counter()
        collect_assets(scene, hash_scene=False)
        print("without scene md5:    %.1f ms" % ((time.perf_counter() - start) * 1000))
    return 0


if __name__ == "__main__":
    sys.exit(main())
