"""Reading scenes through the fake pymxs: what the artist would see the farm receive."""

import pytest

from renderbus_dcc.constants import CgId
from renderbus_dcc.errors import SceneError
from renderbus_max.analysis import describe_scene

from max_scenes import SHOT, arnold_scene, corona_scene, scanline_scene, vray_scene


def _paths(scene):
    return {a.path: a for a in scene.assets}


def test_vray_scene(make_max):
    make_max(2024, vray_scene())
    scene = describe_scene()

    assert (scene.cg_id, scene.cg_name, scene.cg_version) == (int(CgId.MAX), "3ds Max", "2024")
    assert scene.scene_file == SHOT + "\\灯光 v002.max" and scene.saved
    assert scene.project_dir == "D:\\项目 A"
    assert (scene.renderer, scene.renderer_version) == ("vray", "6.20.03")
    assert [(p.name, p.version) for p in scene.plugins] == [("vray", "6.20.03"), ("forestpack", "")]
    assert scene.frames == "1-99x2"  # range 1..100, every 2nd frame
    assert scene.extra["time_type"] == "range"
    assert (scene.width, scene.height) == (2048, 858)
    assert scene.cameras == ["CAM_main", "CAM_wide"]  # targets are not cameras
    assert [(l.name, l.cameras) for l in scene.layers] == [("Scene", ["CAM_main"])]
    assert (scene.output_dir, scene.output_prefix, scene.image_format) == ("D:\\renders\\shot 010", "beauty", "exr")

    settings = scene.extra["renderer"]
    assert settings["name"] == "vray" and settings["engine"] == "cpu"
    assert settings["gi_on"] == "1" and settings["primary_gi_engine"] == "0" and settings["secondary_gi_engine"] == "3"
    assert settings["irradiance_map_mode"] == "1" and settings["photon"] == "1"  # multiframe incremental: a prepass
    assert settings["bucket_size"] == "48" and settings["vfb_raw_file"] == "D:\\renders\\shot 010\\raw.exr"
    assert "vfb_split_file" not in settings

    assert scene.extra["render_elements"] == [
        {"name": "Alpha", "class": "VRayAlpha", "enabled": True, "file": "D:\\renders\\shot 010\\beauty.VRayAlpha.exr"},
        {"name": "Z 深度", "class": "VRayZDepth", "enabled": False, "file": "D:\\renders\\shot 010\\beauty.Z.exr"},
    ]


def test_vray_files_each_once_with_their_owner(make_max):
    make_max(2024, vray_scene())
    assets = _paths(describe_scene())

    wood = assets[SHOT + "\\tex\\木纹 wood.jpg"]
    assert (wood.kind, wood.owner) == ("texture", "BitmapTexture '木纹 wood'")
    assert "d:/项目 A/shot 010/TEX/木纹 wood.jpg" not in assets  # the same file spelt differently: once
    assert assets["D:\\lost\\gone.png"].kind == "texture"  # missing files are listed: the core reports them
    assert assets["\\\\nas\\hdri\\sky 4k.exr"].owner == "VRayBitmap 'sky'"
    assert (assets[SHOT + "\\proxy\\tree.vrmesh"].kind, assets[SHOT + "\\proxy\\tree.vrmesh"].owner) == (
        "proxy", "VRayProxy 'tree proxy'")
    assert assets["D:\\ies\\spot.ies"].kind == "ies"
    assert (assets[SHOT + "\\set\\街道 street.max"].kind, assets[SHOT + "\\set\\街道 street.max"].owner) == (
        "reference", "XRef Scene 1")
    assert assets["D:\\assets\\car.max"].owner == "XRef Objects record 1"
    assert (assets["D:\\cache\\cloth.abc"].kind, assets["D:\\cache\\cloth.abc"].owner) == ("cache", "Asset Tracking")
    # neither the scene itself nor what the render writes is an input
    for output in (SHOT + "\\灯光 v002.max", "D:\\renders\\shot 010\\beauty.exr",
                   "D:\\renders\\shot 010\\beauty.VRayAlpha.exr", "D:\\renders\\shot 010\\beauty.Z.exr"):
        assert output not in assets
    assert len(assets) == 8


def test_missing_files_reach_the_cores_report(make_max, tmp_path):
    from renderbus_dcc.assets import collect_assets

    folder = tmp_path / "项目 B"
    folder.mkdir()
    (folder / "场景 1.max").write_bytes(b"max")
    (folder / "wood grain.jpg").write_bytes(b"jpg")
    make_max(2025, vray_scene(file=str(folder / "场景 1.max"), project=str(folder), xrefs=[], object_xrefs=[],
                              ats_files=[], objects=[
                                  {"class": "BitmapTexture", "name": "wood", "props": {"filename": str(folder / "wood grain.jpg")}},
                                  {"class": "BitmapTexture", "name": "lost", "props": {"filename": str(folder / "gone.png")}}]))
    collection = collect_assets(describe_scene())

    assert [f.local for f in collection.files] == [str(folder / "wood grain.jpg")]
    assert [(m.path, m.owner) for m in collection.missing] == [(str(folder / "gone.png"), "BitmapTexture 'lost'")]


def test_vray_light_cache_from_file_is_an_input_and_no_prepass(make_max):
    renderer = vray_scene()["renderer"]
    renderer["props"].update(gi_primary_type=3, adv_irradmap_mode=0, lightcache_mode=2,
                             lightcache_loadFileName="D:\\gi\\shot.vrlmap")
    make_max(2024, vray_scene(renderer=renderer))
    scene = describe_scene()

    assert scene.extra["renderer"]["photon"] == "0"
    assert _paths(scene)["D:\\gi\\shot.vrlmap"].owner == "V-Ray light cache"


def test_vray_gpu_and_version_without_vrayversion(make_max):
    make_max(2023, vray_scene(renderer={"class": "V_Ray_GPU_6__Update_1", "props": {}}))
    scene = describe_scene()

    assert scene.cg_version == "2023"
    assert scene.renderer == "vray" and scene.extra["renderer"]["engine"] == "gpu"


def test_corona_single_frame(make_max):
    make_max(2025, corona_scene())
    scene = describe_scene()

    assert (scene.cg_version, scene.renderer) == ("2025", "corona")
    assert scene.frames == "42" and scene.extra["time_type"] == "single"  # the current frame
    assert scene.extra["renderer"] == {"name": "corona", "version": "", "class_name": "CoronaRenderer"}
    assets = _paths(scene)
    assert assets["C:\\tex\\floor.png"].owner == "CoronaBitmap 'floor'"
    assert assets["C:\\proxy\\plant.cgeo"].kind == "proxy"
    assert scene.image_format == "png"


def test_arnold_active_segment_and_point_cache(make_max):
    make_max(2026, arnold_scene())
    scene = describe_scene()

    assert (scene.cg_version, scene.renderer, scene.frames) == ("2026", "arnold", "10-50")
    assert scene.extra["time_type"] == "active_segment"
    assert _paths(scene)["E:\\cache\\cloth.pc2"].kind == "cache"
    assert [p.name for p in scene.plugins] == ["arnold"]


def test_scanline_picked_frames_unsaved_scene(make_max):
    make_max(2022, scanline_scene())
    scene = describe_scene()

    assert scene.renderer == "scanline" and scene.plugins == []
    assert scene.frames == "1,3,5-12" and scene.extra["time_type"] == "pickup"
    assert scene.scene_file == "" and scene.modified and not scene.saved
    assert scene.output_dir == "" and scene.image_format == ""  # Save File is off: no output
    assert scene.layers[0].cameras == [] and scene.cameras == []


def test_every_nth_frame_applies_to_the_active_segment(make_max):
    make_max(2024, arnold_scene(time={"type": 2, "active": (0, 20), "nth": 5}))
    assert describe_scene().frames == "0-20x5"


def test_bad_picked_frames_say_where_to_fix_them(make_max):
    make_max(2024, scanline_scene(time={"type": 4, "pickup": "1-5, abc"}))
    with pytest.raises(SceneError) as caught:
        describe_scene()
    assert "Time Output" in str(caught.value) and "1-5, abc" in str(caught.value)


def test_a_range_ending_before_it_starts_is_explained(make_max):
    make_max(2024, vray_scene(time={"type": 3, "start": 50, "end": 10}))
    with pytest.raises(SceneError) as caught:
        describe_scene()
    assert "ends at frame 10, before it starts (50)" in str(caught.value) and "Range" in caught.value.hint


def test_scene_description_round_trips_through_json(make_max):
    from renderbus_dcc.scene import SceneDescription

    make_max(2024, vray_scene())
    scene = describe_scene()
    again = SceneDescription.from_json(scene.to_json())
    assert again == scene
    assert "灯光 v002.max" in scene.to_json()  # non-ASCII kept as is


def test_what_the_render_writes_is_not_sent_though_asset_tracking_lists_it(make_max):
    """V-Ray's irradiance map / light cache autosave files and Render To Texture's outputs are outputs."""
    renderer = vray_scene()["renderer"]
    renderer["props"].update(lightcache_autoSaveFileName="D:\\gi\\lc_auto.vrlmap")
    make_max(2024, vray_scene(renderer=renderer, objects=vray_scene()["objects"] + [
        {"class": "Box", "name": "wall", "bake": {"enabled": True, "elements": [
            {"name": "CompleteMap", "fileName": "wallCompleteMap.tga", "fileType": "D:\\bake\\wallCompleteMap.tga"},
            {"name": "NormalsMap", "fileName": "wallNormalsMap.png", "fileType": "D:\\bake\\wallNormalsMap.png"}]}}]))
    import fakemax

    listed = fakemax.current().tracked_files()
    for output in (SHOT + "\\gi\\irr.vrmap", "D:\\gi\\lc_auto.vrlmap", "D:\\bake\\wallCompleteMap.tga"):
        assert output in listed  # what 3ds Max's asset tracking lists...
    assets = _paths(describe_scene())
    for output in (SHOT + "\\gi\\irr.vrmap", "D:\\gi\\lc_auto.vrlmap", "D:\\bake\\wallCompleteMap.tga",
                   "D:\\bake\\wallNormalsMap.png"):
        assert output not in assets  # ...but the render writes them
    assert len(assets) == 8  # the inputs, as before


def test_an_autosave_file_read_from_file_stays_an_input(make_max):
    renderer = vray_scene()["renderer"]
    renderer["props"].update(gi_primary_type=3, adv_irradmap_mode=0, lightcache_mode=2,
                             lightcache_loadFileName="D:\\gi\\shot.vrlmap",
                             lightcache_autoSaveFileName="D:\\gi\\shot.vrlmap")
    make_max(2024, vray_scene(renderer=renderer))
    assert _paths(describe_scene())["D:\\gi\\shot.vrlmap"].owner == "V-Ray light cache"
