"""How long the analysis of a Maya scene with 5,000 file nodes takes (fake maya.cmds).

Builds a fake Maya scene (tests/maya/fake_maya) with 5,000 file texture nodes (4,000 single
textures, 600 UDIM sets, 400 frame sequences), 100 Alembic caches, 100 Arnold stand-ins,
20 references, 12 cameras and 4 render layers with overrides, then times
``renderbus_maya.analysis.describe_scene`` (median and best of 5) and counts the ``maya.cmds``
calls it makes. The fake checks every flag against the types-maya stubs, so a call here costs
more than in Maya; the call count is what carries over. Run:
``python benchmarks/bench_maya_analysis.py``.
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "maya" / "fake_maya"))

import maya._scene as fake  # noqa: E402

FILE_NODES = 5000
RUNS = 5


def build() -> "fake.FakeMaya":
    maya = fake.FakeMaya()
    maya.scene_name = "D:/projects/show/scenes/seq010_shot020_lighting_v012.mb"
    maya.workspace_root = "D:/projects/show"
    maya.load_plugin("mtoa", "5.3.4.1")
    maya.load_plugin("AbcImport", "1.0")
    maya.globals(currentRenderer="arnold", startFrame=1001.0, endFrame=1100.0)
    maya.add_node("defaultArnoldDriver", "aiAOVDriver", aiTranslator="exr")
    for i in range(FILE_NODES):
        folder = "D:/projects/show/sourceimages/set%02d/" % (i % 50)
        if i < 4000:
            maya.add_file("file%d" % i, folder + "tex_%05d.tx" % i)
        elif i < 4600:
            maya.add_file("file%d" % i, folder + "udim_%05d.1001.tx" % i, tiling=3, pattern=folder + "udim_%05d.<UDIM>.tx" % i)
        else:
            maya.add_file("file%d" % i, folder + "seq_%05d.1001.exr" % i, sequence=True,
                          pattern=folder + "seq_%05d.<f>.exr" % i)
    for i in range(100):
        maya.add_node("abc%d" % i, "AlembicNode", abc_File="D:/projects/show/cache/char%03d.abc" % i)
        maya.add_node("standIn%d" % i, "aiStandIn", dso="D:/projects/show/ass/prop%03d.ass" % i)
    for i in range(20):
        maya.add_reference("prop%02dRN" % i, "D:/projects/show/assets/prop%02d.mb" % i)
    for i in range(12):
        maya.add_camera("shotCam%02d" % i, int(i == 0))
    maya.add_layer("chars", overrides={"defaultRenderGlobals.startFrame": 1010.0})
    maya.add_layer("env", overrides={"shotCam01Shape.renderable": 1})
    maya.add_layer("fx", overrides={"defaultRenderGlobals.currentRenderer": "mayaSoftware"})
    return maya


def main() -> None:
    import argparse

    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()  # (--help)
    fake.STATE = build()
    from renderbus_maya.analysis import describe_scene

    times, cpu = [], []
    scene = None
    for _ in range(RUNS):
        fake.STATE.calls.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        scene = describe_scene()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    assert scene is not None
    calls = fake.STATE.calls
    print("Maya scene analysis: %d file nodes, %d assets found, %d layers (fake maya.cmds, %d runs)"
          % (FILE_NODES, len(scene.assets), len(scene.layers), RUNS))
    print("  median %.1f ms, best %.1f ms, CPU median %.1f ms" % (
        statistics.median(times) * 1000, min(times) * 1000, statistics.median(cpu) * 1000))
    print("  maya.cmds calls per analysis: %d (%s)" % (
        sum(calls.values()), ", ".join("%s %d" % kv for kv in calls.most_common(6))))
    print("  per file node: %.1f calls, %.1f us" % (
        calls["getAttr"] / FILE_NODES, statistics.median(times) * 1e6 / FILE_NODES))


if __name__ == "__main__":
    main()
