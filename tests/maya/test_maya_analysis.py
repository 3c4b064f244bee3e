"""The analysis of Maya scenes (fake maya.cmds): renderers, layers and overrides, files."""

from pathlib import Path

import pytest

from maya_scenes import arnold_two_layers, make_files, render_setup_layers
from renderbus_dcc.assets import collect_assets
from renderbus_dcc.paths import to_server_path
from renderbus_dcc.taskfiles import layer_entries


def describe():
    from renderbus_maya.analysis import describe_scene

    return describe_scene()


def by_name(scene):
    return {layer.name: layer for layer in scene.layers}


def test_arnold_scene_with_two_layers_and_overrides(fake_maya, tmp_path) -> None:
    arnold_two_layers(fake_maya, tmp_path)
    scene = describe()
    assert (scene.cg_id, scene.cg_name, scene.cg_version) == (2000, "Maya", "2024")
    assert (scene.renderer, scene.renderer_version) == ("arnold", "5.3.4.1")
    assert {p.name: p.version for p in scene.plugins} == {"mtoa": "5.3.4.1"}  # what the farm must provide
    assert scene.extra["maya"]["maya_plugins"] == [{"name": "AbcImport", "version": "1.0"}]  # inside Maya
    assert scene.frames == "1-24"
    assert (scene.width, scene.height, scene.image_format) == (2048, 858, "exr")
    assert scene.output_prefix == "<Scene>/<RenderLayer>/<RenderLayer>"
    assert scene.project_dir == str(tmp_path).replace("\\", "/")
    assert scene.output_dir == scene.project_dir + "/images"
    assert scene.cameras == ["persp", "top", "front", "side", "shotCam", "closeUpCam"]
    layers = by_name(scene)
    assert list(layers) == ["masterLayer", "beauty", "closeUp", "old_test"]
    assert [l.name for l in scene.renderable_layers()] == ["beauty", "closeUp"]
    assert layers["masterLayer"].cameras == ["shotCam"]
    assert (layers["beauty"].frames, layers["beauty"].renderer, layers["beauty"].cameras) == ("101-148x2", None, ["shotCam"])
    assert (layers["closeUp"].frames, layers["closeUp"].renderer, layers["closeUp"].cameras) == (None, "mayaSoftware", ["closeUpCam"])
    assert {(a.kind, a.owner) for a in scene.assets} == {
        ("texture", "wood.fileTextureName"), ("cache", "crowd.abc_File"), ("proxy", "treeStandIn.dso")}
    # what the task files make of it: one scene_info_render entry per renderable layer
    entries = layer_entries(scene)
    assert sorted(entries) == ["beauty", "closeUp"]
    assert entries["beauty"]["common"]["frames"] == "101-147[2]"  # frames 101, 103 ... 147
    assert entries["closeUp"]["common"]["renderer"] == "mayaSoftware"


def test_overrides_are_read_without_switching_layers(fake_maya, tmp_path) -> None:
    arnold_two_layers(fake_maya, tmp_path)
    on_master = describe()
    fake_maya.switch_layer("beauty")  # the artist left another layer active
    assert fake_maya.get("defaultRenderGlobals.startFrame") == 101.0
    on_beauty = describe()
    assert on_beauty.frames == on_master.frames == "1-24"
    assert on_beauty.layers == on_master.layers
    assert on_beauty.extra["maya"]["current_layer"] == "beauty"
    assert fake_maya.current_layer == "beauty"  # the analysis left it as it was


def test_vray_scene_without_animation(fake_maya, tmp_path) -> None:
    fake_maya.load_plugin("vrayformaya", "6.20.01")
    fake_maya.globals(currentRenderer="vray", animation=0)
    fake_maya.set("time1.outTime", 42.0)
    fake_maya.add_node("vraySettings", "VRaySettingsNode", imageFormatStr="exr (multichannel)",
                       fileNamePrefix="shots/<Layer>")
    fake_maya.add_node("rockProxy", "VRayMesh", fileName=str(tmp_path / "rock.vrmesh"))
    fake_maya.add_node("smoke", "VRayVolumeGrid", inPath=str(tmp_path / "smoke.####.vdb"))
    fake_maya.add_node("spot", "VRayLightIESShape", iesFile=str(tmp_path / "spot.ies"))
    scene = describe()
    assert (scene.renderer, scene.renderer_version, scene.frames) == ("vray", "6.20.01", "42")
    assert (scene.image_format, scene.output_prefix) == ("exr (multichannel)", "shots/<Layer>")
    assert [(a.kind, a.owner) for a in scene.assets] == [
        ("proxy", "rockProxy.fileName"), ("volume", "smoke.inPath"), ("ies", "spot.iesFile")]
    assert [l.name for l in scene.layers] == ["masterLayer"]


def test_redshift_scene(fake_maya, tmp_path) -> None:
    fake_maya.load_plugin("redshift4maya", "3.5.19")
    fake_maya.globals(currentRenderer="redshift", startFrame=1.0, endFrame=100.0, byFrameStep=5.0)
    fake_maya.add_node("redshiftOptions", "RedshiftOptions", imageFormat=2)
    fake_maya.add_node("tree", "RedshiftProxyMesh", fileName="proxies/tree.rs")
    fake_maya.add_node("dome", "RedshiftDomeLight", tex0="sourceimages/sky.hdr")
    fake_maya.add_node("ies1", "RedshiftIESLight", profile="")  # empty: nothing to send
    fake_maya.add_node("cloud", "RedshiftVolumeShape", fileName="vdb/cloud.vdb")
    scene = describe()
    assert (scene.renderer, scene.renderer_version, scene.frames, scene.image_format) == ("redshift", "3.5.19", "1-100x5", "png")
    assert [(a.path, a.kind) for a in scene.assets] == [
        ("proxies/tree.rs", "proxy"), ("vdb/cloud.vdb", "volume"), ("sourceimages/sky.hdr", "texture")]


def test_renderman_and_unknown_renderers(fake_maya) -> None:
    fake_maya.load_plugin("RenderMan_for_Maya", "25.2")
    fake_maya.globals(currentRenderer="renderManRIS")
    fake_maya.add_node("tex", "PxrTexture", filename="/tex/a.tex")
    scene = describe()
    assert (scene.renderer, scene.renderer_version) == ("renderman", "25.2")
    assert [a.owner for a in scene.assets] == ["tex.filename"]
    fake_maya.globals(currentRenderer="mayaHardware2")
    assert (describe().renderer, describe().renderer_version) == ("mayaHardware2", "")


def test_nodes_of_plugins_that_are_not_loaded_are_not_queried(fake_maya) -> None:
    fake_maya.add_node("ghost", "aiStandIn", dso="/x/ghost.ass")  # mtoa not loaded
    scene = describe()
    assert scene.assets == []
    assert scene.renderer == "mayaSoftware"


def test_udim_textures_and_sequences_expand_to_the_files_on_disk(fake_maya, tmp_path) -> None:
    make_files(tmp_path, "tex/skin.1001.exr", "tex/skin.1002.exr", "tex/skin.1011.exr", "tex/other.1001.exr",
               *["seq/clouds.%04d.png" % f for f in range(5, 16)])
    fake_maya.workspace_root = str(tmp_path)
    fake_maya.globals(startFrame=1.0, endFrame=10.0)
    fake_maya.add_file("skin", str(tmp_path / "tex" / "skin.1001.exr"), tiling=3,
                       pattern=str(tmp_path / "tex" / "skin.<UDIM>.exr"))
    fake_maya.add_file("skinNoPattern", str(tmp_path / "tex" / "other.1001.exr"), tiling=3, pattern="")
    fake_maya.nodes["skinNoPattern"].attrs["computedFileTextureNamePattern"] = ""
    fake_maya.add_file("clouds", str(tmp_path / "seq" / "clouds.0001.png"), sequence=True, offset=5,
                       pattern=str(tmp_path / "seq" / "clouds.<f>.png"))
    scene = describe()
    assets = {a.owner: a for a in scene.assets}
    assert assets["skin.fileTextureName"].path.endswith("skin.<UDIM>.exr")
    assert "<UDIM>" in assets["skinNoPattern.fileTextureName"].path
    assert assets["clouds.fileTextureName"].frames == list(range(6, 16))
    collection = collect_assets(scene, hash_scene=False)
    names = sorted(Path(f.local).name for f in collection.files)
    assert names == ["clouds.%04d.png" % f for f in range(6, 16)] + [
        "other.1001.exr", "skin.1001.exr", "skin.1002.exr", "skin.1011.exr"]
    assert collection.missing == []


def test_references_loaded_nested_and_unloaded(fake_maya, tmp_path) -> None:
    make_files(tmp_path, "assets/chair.ma", "assets/table.mb")
    fake_maya.add_reference("chairRN", str(tmp_path / "assets" / "chair.ma"))
    fake_maya.add_reference("chairRN1", str(tmp_path / "assets" / "chair.ma"), copy_number=1)
    fake_maya.add_reference("tableRN", str(tmp_path / "assets" / "table.mb"))
    fake_maya.add_reference("lampRN", str(tmp_path / "assets" / "lamp.ma"), loaded=False)
    fake_maya.add_node("sharedReferenceNode", "reference")
    scene = describe()
    refs = [(a.owner, Path(a.path).name) for a in scene.assets if a.kind == "reference"]
    assert refs == [("chairRN", "chair.ma"), ("chairRN1", "chair.ma"), ("tableRN", "table.mb")]
    collection = collect_assets(scene, hash_scene=False)
    assert sorted(Path(f.local).name for f in collection.files) == ["chair.ma", "table.mb"]


def test_alembic_gpu_and_geometry_caches(fake_maya, tmp_path) -> None:
    fake_maya.load_plugin("AbcImport", "1.0")
    fake_maya.load_plugin("gpuCache", "1.0")
    fake_maya.add_node("crowd", "AlembicNode", abc_File=str(tmp_path / "crowd.abc"))
    fake_maya.add_node("city", "gpuCache", cacheFileName=str(tmp_path / "city.abc"))
    fake_maya.add_node("clothCache", "cacheFile", cachePath=str(tmp_path / "cache") + "/", cacheName="cloth")
    scene = describe()
    assert [(a.kind, Path(a.path).name) for a in scene.assets] == [
        ("cache", "crowd.abc"), ("cache", "city.abc"), ("cache", "cloth.xml")]


def test_missing_files_are_reported_with_the_node_that_names_them(fake_maya, tmp_path) -> None:
    make_files(tmp_path, "sourceimages/wood.jpg")
    fake_maya.workspace_root = str(tmp_path)
    fake_maya.add_file("wood", "sourceimages/wood.jpg")  # relative to the project: found
    fake_maya.add_file("brick", "sourceimages/brick_wall_missing.jpg")
    fake_maya.add_file("empty", "")  # no file: nothing to send
    scene = describe()
    collection = collect_assets(scene, hash_scene=False)
    assert [Path(f.local).name for f in collection.files] == ["wood.jpg"]
    assert [(m.owner, m.kind) for m in collection.missing] == [("brick.fileTextureName", "texture")]


def test_chinese_paths(fake_maya, tmp_path) -> None:
    root = tmp_path / "项目"
    make_files(root, "贴图/木头.jpg", "场景/镜头01.ma")
    fake_maya.workspace_root = str(root)
    fake_maya.scene_name = str(root / "场景" / "镜头01.ma")
    fake_maya.add_file("木头", str(root / "贴图" / "木头.jpg"))
    fake_maya.add_camera("摄像机", 1)
    scene = describe()
    assert scene.scene_name == "镜头01.ma" and scene.saved
    assert scene.cameras[-1] == "摄像机"
    collection = collect_assets(scene, hash_scene=False)
    assert [f.server for f in collection.files] == [to_server_path(str(root / "贴图" / "木头.jpg"))]
    assert scene.to_json().count("木头") >= 2  # kept as text, not escaped


def test_unsaved_scene(fake_maya) -> None:
    scene = describe()
    assert (scene.scene_file, scene.saved, scene.scene_name) == ("", False, "untitled")
    fake_maya.scene_name, fake_maya.modified = "/p/s.ma", True
    scene = describe()
    assert scene.scene_file == "/p/s.ma" and scene.modified and not scene.saved


def test_render_setup_layers_each_render_their_own_overrides(fake_maya, tmp_path) -> None:
    render_setup_layers(fake_maya, tmp_path)
    assert fake_maya.get("defaultRenderGlobals.endFrame") == 48.0  # what the visible layer shows
    scene = describe()
    layers = by_name(scene)
    assert [(l.name, l.renderable) for l in scene.layers] == [
        ("masterLayer", False), ("characters", True), ("background", True), ("fx_test", False)]
    # the scene's values are the master layer's, not the visible layer's
    assert (scene.renderer, scene.frames, scene.image_format, scene.output_prefix) == (
        "arnold", "1-24", "exr", "<Scene>/<RenderLayer>")
    assert layers["masterLayer"].cameras == ["shotCam"]
    characters = layers["characters"]
    assert (characters.frames, characters.renderer, characters.cameras) == ("1-48x2", None, ["closeUpCam"])
    assert (characters.image_format, characters.output_prefix) == (None, None)
    background = layers["background"]
    assert (background.frames, background.renderer, background.cameras) == (None, "vray", ["shotCam", "closeUpCam"])
    assert (background.image_format, background.output_prefix) == ("png", "bg/<Layer>")
    assert layers["fx_test"].frames == "1-5"
    assert scene.extra["maya"]["render_setup"] is True and scene.extra["maya"]["current_layer"] == "characters"
    # the farm gets each renderable layer as it renders, named by its renderLayer node as Maya's analyser does
    entries = layer_entries(scene)
    assert sorted(entries) == ["rs_background", "rs_characters"]
    assert entries["rs_characters"]["common"]["frames"] == "1-47[2]"
    assert entries["rs_characters"]["common"]["render_camera"] == ["closeUpCamShape"]
    assert (entries["rs_background"]["common"]["renderer"], entries["rs_background"]["common"]["image_format"],
            entries["rs_background"]["common"]["image_file_prefix"]) == ("vray", "png", "bg/<Layer>")
    assert entries["rs_background"]["common"]["frames"] == "1-24[1]"


def test_reading_render_setup_layers_leaves_the_scene_as_the_artist_had_it(fake_maya, tmp_path) -> None:
    render_setup_layers(fake_maya, tmp_path)
    fake_maya.undo_queue = ["polyCube"]  # the artist's own undo history
    describe()
    assert fake_maya.layer_switches == 4  # three other layers, then back to the visible one
    assert fake_maya.visible_layer == "characters" and fake_maya.current_layer == "rs_characters"
    assert fake_maya.get("defaultRenderGlobals.endFrame") == 48.0
    assert fake_maya.modified is False  # switching marked it modified; put back
    assert fake_maya.undo_queue == ["polyCube"] and fake_maya.undo_enabled
    assert fake_maya.refresh_suspended is False
    fake_maya.modified = True  # a scene with unsaved changes stays so
    describe()
    assert fake_maya.modified is True


def test_a_failure_while_reading_layers_still_restores_the_visible_layer(fake_maya, tmp_path, monkeypatch) -> None:
    render_setup_layers(fake_maya, tmp_path)
    from renderbus_maya import layers

    calls = []
    real = layers._values

    def failing(*args):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("a plug-in's node broke")
        return real(*args)

    monkeypatch.setattr(layers, "_values", failing)
    with pytest.raises(RuntimeError):
        describe()
    assert fake_maya.visible_layer == "characters" and not fake_maya.modified and not fake_maya.refresh_suspended
    assert not layers.reading_layers()


def test_legacy_layers_named_rs_without_render_setup_keep_their_names(fake_maya) -> None:
    fake_maya.add_layer("rs_characters")
    fake_maya.add_layer("rs_background", renderable=0)
    fake_maya.add_node("ref:defaultRenderLayer", "renderLayer", renderable=1)  # from a referenced file
    scene = describe()
    assert [(l.name, l.renderable) for l in scene.layers] == [
        ("masterLayer", True), ("characters", True), ("background", False)]
    assert scene.extra["maya"]["render_setup"] is False
    assert fake_maya.layer_switches == 0


def test_cameras_of_the_same_name_in_different_groups_stay_apart(fake_maya) -> None:
    fake_maya.add_camera("camera1", 1, group="grpA")
    fake_maya.add_camera("camera1", 0, group="grpB")
    fake_maya.set("perspShape.renderable", 0)
    scene = describe()
    assert scene.cameras == ["persp", "top", "front", "side", "grpA|camera1", "grpB|camera1"]
    assert by_name(scene)["masterLayer"].cameras == ["grpA|camera1"]


def test_the_fake_refuses_what_maya_refuses(fake_maya) -> None:
    from maya import cmds

    with pytest.raises(TypeError, match="Invalid flag 'fileRuleEnty'"):
        cmds.workspace(fileRuleEnty="images")
    with pytest.raises(AttributeError):
        cmds.getAttribute("defaultResolution.width")  # type: ignore[attr-defined]
    with pytest.raises(ValueError):
        cmds.getAttr("defaultResolution.nope")
    assert cmds.workspace(fre="images") == "images"  # short flag names are Maya's too


def test_arnold_tile_and_attribute_tokens_expand_to_the_files_on_disk(fake_maya, tmp_path) -> None:
    make_files(tmp_path, "tex/rock_u1_v1.tx", "tex/rock_u2_v1.tx", "tex/rock_u1_v2.tx",
               "tex/crate_red.jpg", "tex/crate_blue.jpg", "tex/crate_red_old.png")
    fake_maya.workspace_root = str(tmp_path)
    fake_maya.load_plugin("mtoa", "5.3.4.1")
    fake_maya.add_node("rock", "aiImage", filename=str(tmp_path / "tex" / "rock<tile>.tx"))
    fake_maya.add_node("crate", "aiImage", filename=str(tmp_path / "tex" / "crate_<attr:color default:red>.jpg"))
    collection = collect_assets(describe(), hash_scene=False)
    assert sorted(Path(f.local).name for f in collection.files) == [
        "crate_blue.jpg", "crate_red.jpg", "rock_u1_v1.tx", "rock_u1_v2.tx", "rock_u2_v1.tx"]
    assert collection.missing == []
