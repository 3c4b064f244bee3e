"""The task files, in the farm's formats (spec README, "What the farm reads")."""

import json

from renderbus_dcc.assets import collect_assets
from renderbus_dcc.scene import Asset, RenderLayer, SceneDescription
from renderbus_dcc.taskfiles import build_task_files, cfg_path, encode, task_json, tips_json, upload_json
from renderbus_dcc.validation import Issue, Severity, ValidationReport


def test_maya_task_json_has_one_entry_per_renderable_layer(scene):
    assets = collect_assets(scene)
    files = build_task_files(scene, assets, task_id=1234, user_id=77, platform=2, label="shot010")
    task = files["task.json"]
    info = task["task_info"]
    assert all(isinstance(v, str) for k, v in info.items() if k != "hardwareConfigIds")  # RayvisionCheck's list
    assert info["task_id"] == "1234" and info["user_id"] == "77" and info["platform"] == "2"
    assert info["cg_id"] == "2000" and info["channel"] == "4" and info["project_name"] == "shot010"
    assert info["input_cg_file"].endswith("scenes/shot010_lighting.ma")
    assert info["os_name"] == "1" and info["tiles"] == "1" and info["frames_per_task"] == "1"
    render = task["scene_info_render"]
    assert sorted(render) == ["rs_beauty", "rs_shadow"]  # defaultRenderLayer is not renderable
    common = render["rs_beauty"]["common"]
    assert render["rs_beauty"]["renderable"] == "1"
    assert common["frames"] == "1-24[1]"
    assert (common["start"], common["end"], common["by_frame"]) == ("1", "24", "1")
    assert (common["width"], common["height"]) == ("1920", "1080")
    assert common["renderer"] == "arnold" and common["image_format"] == "exr"
    # cameras as the SDK's Maya analyser names them: shapes (the example scene says which)
    assert common["render_camera"] == ["shotCamShape"] and common["all_camera"] == ["perspShape", "shotCamShape"]
    assert task["software_config"] == {"cg_name": "Maya", "cg_version": "2024", "plugins": {"mtoa": "5.3.5.2"}}
    assert set(task) == {"task_info", "software_config", "scene_info_render", "scene_info", "additional_info"}


def test_per_layer_frames_and_steps():
    scene = SceneDescription(2000, "Maya", "2024", frames="1-10",
                             layers=[RenderLayer("a", True, ["cam"], frames="1-9x2"), RenderLayer("b", True, ["cam"])])
    render = task_json(scene, task_id=1)["scene_info_render"]
    assert render["a"]["common"]["frames"] == "1-9[2]"
    assert render["a"]["common"]["by_frame"] == "2"
    assert render["b"]["common"]["frames"] == "1-10[1]"


def test_maya_scene_without_layers_gets_the_default_layer():
    scene = SceneDescription(2000, "Maya", "2024", frames="5", cameras=["cam"])
    render = task_json(scene, task_id=1)["scene_info_render"]
    assert list(render) == ["defaultRenderLayer"]
    assert render["defaultRenderLayer"]["common"]["frames"] == "5-5[1]"


def test_max_has_a_common_block_and_a_renderer_block_blender_a_common_block():
    max_scene = SceneDescription(2001, "3ds Max", "2024", renderer="vray", renderer_version="6.20.03", frames="1-3",
                                 cameras=["Camera001", "Camera002"],
                                 layers=[RenderLayer("Scene", True, ["Camera002"])],
                                 extra={"renderer": {"name": "vray", "class_name": "V_Ray_6__Update_2", "gi_on": "1",
                                                     "primary_gi_engine": "0", "secondary_gi_engine": "3",
                                                     "irradiance_map_mode": "2", "light_cache_mode": "0",
                                                     "irradiance_map_load_file": "D:\\gi\\room.vrmap",
                                                     "light_cache_file": "", "photon": "1", "engine": "cpu"}})
    task = task_json(max_scene, task_id=9)
    render = task["scene_info_render"]
    assert set(render) == {"common", "renderer"} and task["scene_info"] == render
    assert render["common"]["frames"] == "1-3[1]" and render["common"]["renderable_camera"] == ["Camera002"]
    assert render["common"]["all_camera"] == ["Camera001", "Camera002"] and render["common"]["cgv"] == "2024"
    renderer = render["renderer"]  # as rayvision_max writes it; our other settings in additional_info
    assert (renderer["name"], renderer["renderer"], renderer["renderer_orign"]) == ("vray", "vray", "V_Ray_6__Update_2")
    assert (renderer["gi"], renderer["primary_gi_engine"], renderer["irradiance_map_mode"]) == ("1", "0", "2")
    assert renderer["irrmap_file"] == "D:/gi/room.vrmap"  # "From file": the file it loads
    assert task["additional_info"]["renderer"]["photon"] == "1" and "photon" not in renderer
    assert task["task_info"]["version"] == "2"

    blender_scene = SceneDescription(2007, "Blender", "4.5", renderer="cycles", frames="1-250x2", cameras=["Camera"],
                                     output_dir="/tmp/out", output_prefix="shot_", image_format="exr",
                                     extra={"renderer": {"name": "CYCLES", "samples": 128},
                                            "blender": {"scene": "Scene", "resolution_x": 1920, "resolution_y": 1080}})
    task = task_json(blender_scene, task_id=9)
    common = task["scene_info"]["common"]
    assert task["scene_info_render"] == task["scene_info"] and set(task["scene_info"]) == {"common"}
    assert common == {"width": "1920", "scene_name": ["Scene"], "Output_path": "/tmp/out/shot_", "camera_name": "Camera",
                      "height": "1080", "Render_Format": "OPEN_EXR", "frames": "1-249[2]"}
    assert task["additional_info"]["renderer"]["samples"] == 128


def test_upload_json_lists_assets_and_the_scene_with_its_md5(scene):
    import hashlib

    assets = collect_assets(scene)
    data = upload_json(assets)
    locals_ = [a["local"] for a in data["asset"]]
    assert len(data["asset"]) == 30  # 3 UDIM tiles + 24 sequence frames + the jpg + the abc + the scene
    assert any(l.endswith("sourceimages/木纹 地板.jpg") for l in locals_)
    assert any(l.endswith("wall_diffuse.1003.png") for l in locals_)
    assert all(a["server"].startswith("/") for a in data["asset"])
    [entry] = data["scene"]  # Maya: a list; the scene is in "asset" too (the SDK's transfer reads only that)
    assert {"local": entry["local"], "server": entry["server"]} == data["asset"][-1]
    with open(scene.scene_file, "rb") as fh:
        assert entry["hash"] == hashlib.md5(fh.read()).hexdigest()
    as_max = upload_json(assets, 2001)  # 3ds Max: one scene object, and the V-Ray maps to load
    assert as_max["scene"] == entry and as_max["vrlmap"] == [] and as_max["vrmap"] == []


def test_asset_json_lists_what_was_found_and_reports_missing_files(scene):
    scene.assets.append(Asset("sourceimages/gone.<UDIM>.png", "gone.fileTextureName", "texture"))
    files = build_task_files(scene, collect_assets(scene), task_id=3)
    found = files["asset.json"]["asset"]
    assert len(found) == 29 and all("\\" not in path for path in found)
    ours = files["asset.json"]["additional_info"]
    assert [m["owner"] for m in ours["missing"]] == ["gone.fileTextureName"]
    assert sum(len(v) for v in ours["assets"].values()) == 29


def test_tips_json_uses_the_live_services_codes_with_our_message():
    report = ValidationReport([
        Issue(Severity.WARNING, "assets_missing", "2 files are missing: a.png, b.png", "relink", subject="a.png"),
        Issue(Severity.WARNING, "path_too_long", "1 file has a long path", "move it", subject="D:/x.png"),
        Issue(Severity.WARNING, "scene_unsaved", "unsaved changes", "save", subject="D:/s.ma"),
        Issue(Severity.NOTICE, "output_on_farm", "fyi", ""),
    ])
    assert tips_json(report) == {"10012": ["2 files are missing: a.png, b.png"], "15032": ["1 file has a long path"]}
    assert tips_json(None) == {}
    # a warning the live service has no code for stays ours: task.json's additional_info
    task = task_json(SceneDescription(2000, "Maya", "2024", scene_file="D:/s.ma", cameras=["c"]), task_id=1,
                     report=report)
    assert task["additional_info"]["warnings"] == [{"code": "scene_unsaved", "message": "unsaved changes"}]


def test_plugin_versions_are_bare():
    from renderbus_dcc.taskfiles import bare_version

    assert bare_version("mtoa", "mtoa 5.3.5.2") == "5.3.5.2"
    assert bare_version("vray", "V-Ray 6.20.02") == "6.20.02"  # another name in front: the number
    assert bare_version("redshift", "2025.2.0") == "2025.2.0"
    assert bare_version("golaem", "golaem-8.2.1") == "8.2.1"


def test_encode_keeps_chinese_and_cfg_path():
    data = {"a": "木纹 地板"}
    assert json.loads(encode(data).decode("utf-8")) == data
    assert "木纹".encode("utf-8") in encode(data)
    assert cfg_path(42, "task.json") == "/42/cfg/task.json"


def test_submit_options_as_scene_settings_and_applied_to_a_copy(scene):
    from renderbus_dcc.submission import SubmitOptions, effective_scene

    options = SubmitOptions.from_settings({"frames": "1-5", "layers": "rs_beauty", "cameras": ["shotCam"],
                                           "label": "", "unknown": 1})
    assert options.layers == ["rs_beauty"] and options.label == "" and options.env_name is None
    assert options.to_settings() == {"frames": "1-5", "layers": ["rs_beauty"], "cameras": ["shotCam"],
                                     "label": "", "env_name": None, "test_frames": "", "stop_after_test": False}
    assert SubmitOptions.from_dict(options.to_dict()) == options
    eff = effective_scene(scene, options)
    assert [l.name for l in eff.renderable_layers()] == ["rs_beauty"] and eff.frames == "1-5"
    assert scene.frames == "1-24" and len(scene.renderable_layers()) == 2  # the original is untouched
    render = task_json(eff, task_id=1)["scene_info_render"]
    assert list(render) == ["rs_beauty"] and render["rs_beauty"]["common"]["frames"] == "1-5[1]"


def test_a_bad_frame_override_says_where():
    import pytest

    from renderbus_dcc.errors import FrameSpecError
    from renderbus_dcc.submission import SubmitOptions, effective_scene

    with pytest.raises(FrameSpecError) as info:
        effective_scene(SceneDescription(2000, "Maya", "2024"), SubmitOptions(frames="1-10,x"))
    assert "x" in str(info.value)
