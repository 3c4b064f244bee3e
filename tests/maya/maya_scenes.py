"""Scenes for the Maya tests, described as data on a fake Maya session (maya._scene.FakeMaya)."""

from pathlib import Path
from typing import Any

#: the folder holding the fake ``maya`` package
FAKE_DIR = str(Path(__file__).resolve().parent / "fake_maya")


def arnold_two_layers(maya: Any, root: Path) -> Any:
    """Arnold, a master layer and two layers overriding frames, renderer and camera."""
    maya.scene_name = str(root / "scenes" / "shot010.ma")
    maya.workspace_root = str(root)
    maya.load_plugin("mtoa", "5.3.4.1")
    maya.load_plugin("AbcImport", "1.0")
    maya.globals(currentRenderer="arnold", startFrame=1.0, endFrame=24.0, byFrameStep=1.0,
                 imageFilePrefix="<Scene>/<RenderLayer>/<RenderLayer>")
    maya.add_node("defaultArnoldDriver", "aiAOVDriver", aiTranslator="exr")
    maya.nodes["defaultResolution"].attrs.update(width=2048, height=858)
    maya.add_camera("shotCam", 1)
    maya.set("perspShape.renderable", 0)
    maya.add_camera("closeUpCam", 0)
    maya.add_layer("beauty", overrides={"defaultRenderGlobals.startFrame": 101.0,
                                        "defaultRenderGlobals.endFrame": 148.0,
                                        "defaultRenderGlobals.byFrameStep": 2.0})
    maya.add_layer("closeUp", overrides={"defaultRenderGlobals.currentRenderer": "mayaSoftware",
                                         "shotCamShape.renderable": 0, "closeUpCamShape.renderable": 1})
    maya.add_layer("old_test", renderable=0)
    maya.set("defaultRenderLayer.renderable", 0)
    maya.add_file("wood", str(root / "sourceimages" / "wood.jpg"))
    maya.add_node("crowd", "AlembicNode", abc_File=str(root / "cache" / "crowd.abc"))
    maya.add_node("treeStandIn", "aiStandIn", dso=str(root / "proxies" / "tree.ass"))
    return maya


def make_files(root: Path, *relative: str) -> None:
    for name in relative:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"data of " + name.encode("utf-8"))


def render_setup_layers(maya: Any, root: Path) -> Any:
    """Arnold with Render Setup layers, each overriding something else, one of them left visible.

    - masterLayer: not rendered; 1-24, shotCam, exr, ``<Scene>/<RenderLayer>``;
    - characters: frames 1-48 by 2, its own camera (closeUpCam only);
    - background: V-Ray (png, ``bg/<Layer>``), frames 1-24, both shot cameras;
    - fx_test: not rendered.
    The artist left ``characters`` visible and the scene saved.
    """
    arnold_scene = maya
    arnold_scene.scene_name = str(root / "scenes" / "shot020.ma")
    arnold_scene.workspace_root = str(root)
    maya.load_plugin("mtoa", "5.3.4.1")
    maya.load_plugin("vrayformaya", "6.20.01")
    maya.globals(currentRenderer="arnold", startFrame=1.0, endFrame=24.0, byFrameStep=1.0,
                 imageFilePrefix="<Scene>/<RenderLayer>")
    maya.add_node("defaultArnoldDriver", "aiAOVDriver", aiTranslator="exr")
    maya.add_node("vraySettings", "VRaySettingsNode", imageFormatStr="", fileNamePrefix="")
    maya.add_camera("shotCam", 1)
    maya.set("perspShape.renderable", 0)
    maya.add_camera("closeUpCam", 0)
    maya.set("defaultRenderLayer.renderable", 0)
    maya.add_rs_layer("characters", overrides={
        "defaultRenderGlobals.endFrame": 48.0, "defaultRenderGlobals.byFrameStep": 2.0,
        "shotCamShape.renderable": 0, "closeUpCamShape.renderable": 1})
    maya.add_rs_layer("background", overrides={
        "defaultRenderGlobals.currentRenderer": "vray", "vraySettings.imageFormatStr": "png",
        "vraySettings.fileNamePrefix": "bg/<Layer>", "closeUpCamShape.renderable": 1})
    maya.add_rs_layer("fx_test", renderable=False, overrides={"defaultRenderGlobals.endFrame": 5.0})
    maya.switch_visible("characters")
    maya.modified = False
    maya.undo_queue = []
    maya.layer_switches = 0
    return maya
