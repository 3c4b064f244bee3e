"""How long the add-on's scene analysis takes for a Blender scene with 2,000 images.

Builds real files in a temporary folder and a saved .blend: 1,800 single textures over 18
folders (each on its own material and object), 100 UDIM images of 2 tiles, 50 image
sequences of 4 frames and 50 missing textures; then times
``analysis.describe_scene`` (best and median of 5 runs, and the first), and the core's
``collect_assets`` on the result for comparison. Run with a Python that has bpy, or with any
other (``.venv/bin/python benchmarks/bench_blender_analysis.py``) to run it in each Blender the
suite tests (``.venvs/blender-*``).
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

RUNS = 5


def build(root: Path) -> int:
    import bpy

    bpy.ops.wm.read_homefile(use_empty=True)
    seed = bpy.data.images.new("seed", 4, 4)
    seed.filepath_raw = str(root / "seed.png")
    seed.file_format = "PNG"
    seed.save()
    png = (root / "seed.png").read_bytes()
    bpy.data.images.remove(seed)
    paths = []
    for folder in range(18):
        tex = root / "textures" / ("set%02d" % folder)
        tex.mkdir(parents=True)
        for i in range(100):
            (tex / ("tex_%03d.png" % i)).write_bytes(png)
            paths.append(("FILE", tex / ("tex_%03d.png" % i)))
    udim = root / "textures" / "udim"
    udim.mkdir()
    for s in range(100):
        for tile in (1001, 1002):
            (udim / ("skin%03d.%d.png" % (s, tile))).write_bytes(png)
        paths.append(("TILED", udim / ("skin%03d.1001.png" % s)))
    seq = root / "seq"
    seq.mkdir()
    for s in range(50):
        for frame in range(1, 5):
            (seq / ("plate%02d_%04d.png" % (s, frame))).write_bytes(png)
        paths.append(("SEQUENCE", seq / ("plate%02d_0001.png" % s)))
    for m in range(50):
        paths.append(("MISSING", root / "missing" / ("lost_%02d.png" % m)))
    scene = bpy.context.scene
    for n, (source, path) in enumerate(paths):
        if source == "MISSING":
            image = bpy.data.images.new("lost%d" % n, 4, 4)
            image.source, image.filepath = "FILE", str(path)
        else:
            image = bpy.data.images.load(str(path), check_existing=False)
            image.source = source
        material = bpy.data.materials.new("mat%d" % n)
        if material.node_tree is None:  # 5.0: materials always have nodes (use_nodes is deprecated)
            material.use_nodes = True
        material.node_tree.nodes.new("ShaderNodeTexImage").image = image
        mesh = bpy.data.meshes.new("m%d" % n)
        mesh.materials.append(material)
        scene.collection.objects.link(bpy.data.objects.new("o%d" % n, mesh))
    bpy.ops.wm.save_as_mainfile(filepath=str(root / "shot.blend"))
    return len(paths)


def main() -> None:
    import argparse

    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()  # (--help)
    try:
        import bpy
    except ImportError:
        from _bpy_venvs import run_in_each_blender

        sys.exit(run_in_each_blender(__file__))
    import addon_utils

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "blender"))
    addon_utils.enable("renderbus_blender", default_set=True)
    from renderbus_blender.analysis import describe_scene
    from renderbus_dcc.assets import collect_assets

    root = Path(tempfile.mkdtemp(prefix="bench_blender_"))
    try:
        t = time.perf_counter()
        images = build(root)
        built = time.perf_counter() - t
        times, cpu = [], []
        for _ in range(RUNS):
            w, c = time.perf_counter(), time.process_time()
            scene = describe_scene()
            times.append(time.perf_counter() - w)
            cpu.append(time.process_time() - c)
        w = time.perf_counter()
        collection = collect_assets(scene)
        core = time.perf_counter() - w
        print("Blender %s" % bpy.app.version_string)
        print("scene: %d images (%d assets listed, %d found on disk, %d missing); built in %.1f s"
              % (images, len(scene.assets), len(collection.files), len(collection.missing), built))
        print("describe_scene first run:   %7.1f ms" % (times[0] * 1000))
        print("describe_scene best of %d:   %7.1f ms (cpu %.1f ms)" % (RUNS, min(times) * 1000, min(cpu) * 1000))
        print("describe_scene median:      %7.1f ms" % (statistics.median(times) * 1000))
        print("core collect_assets after:  %7.1f ms" % (core * 1000))
    finally:
        shutil.rmtree(str(root), ignore_errors=True)
    sys.stdout.flush()
    os._exit(0)  # bpy can hang on exit


if __name__ == "__main__":
    main()
