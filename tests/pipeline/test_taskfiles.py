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
    assert all(isinstance(v, str) for v in info.values())
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
    assert common["render_camera"] == ["shotCam"] and common["all_camera"] == ["persp", "shotCam"]
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


def test_max_and_blender_have_one_common_block_and_a_renderer_block():
    for cg_id, name, renderer in ((2001, "3ds Max", "vray"), (2007, "Blender", "cycles")):
        scene = SceneDescription(cg_id, name, "2024", renderer=renderer, renderer_version="6.1", frames="1-3",
                                 cameras=["Camera"], extra={"renderer": {"samples": "128"}})
        render = task_json(scene, task_id=9)["scene_info_render"]
        assert set(render) == {"common", "renderer"}
        assert render["common"]["frames"] == "1-3[1]" and render["common"]["render_camera"] == ["Camera"]
        assert render["renderer"] == {"name": renderer, "version": "6.1", "samples": "128"}


def test_upload_json_lists_assets_and_the_scene_with_its_md5(scene):
    import hashlib

    assets = collect_assets(scene)
    data = upload_json(assets)
    locals_ = [a["local"] for a in data["asset"]]
    assert len(data["asset"]) == 29  # 3 UDIM tiles + 24 sequence frames + the jpg + the abc
    assert any(l.endswith("sourceimages/木纹 地板.jpg") for l in locals_)
    assert any(l.endswith("wall_diffuse.1003.png") for l in locals_)
    assert all(a["server"].startswith("/") for a in data["asset"])
    [entry] = data["scene"]
    with open(scene.scene_file, "rb") as fh:
        assert entry["hash"] == hashlib.md5(fh.read()).hexdigest()


def test_asset_json_reports_missing_files(scene):
    scene.assets.append(Asset("sourceimages/gone.<UDIM>.png", "gone.fileTextureName", "texture"))
    files = build_task_files(scene, collect_assets(scene), task_id=3)
    missing = files["asset.json"]["missing"]
    assert [m["owner"] for m in missing] == ["gone.fileTextureName"]
    assert sum(len(v) for v in files["asset.json"]["assets"].values()) == 29


def test_tips_json_groups_warnings_by_code():
    report = ValidationReport([
        Issue(Severity.WARNING, "asset_outside_project", "outside", "move it", subject="D:/x.png"),
        Issue(Severity.WARNING, "asset_outside_project", "outside", "move it", subject="D:/y.png"),
        Issue(Severity.NOTICE, "note", "fyi", ""),
    ])
    assert tips_json(report) == {"asset_outside_project": ["D:/x.png", "D:/y.png"]}
    assert tips_json(None) == {}


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
                                     "label": "", "env_name": None}
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
