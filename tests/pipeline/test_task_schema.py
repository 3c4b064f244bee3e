"""Golden conformance: the SDK's documented task files parse under our declared formats, ours
have the SDK's keys and value types, and a drift is named down to the field."""

import copy

import pytest

from renderbus_dcc import taskschema
from renderbus_dcc.assets import collect_assets
from renderbus_dcc.scene import SceneDescription
from renderbus_dcc.taskfiles import build_task_files, task_json
from renderbus_dcc.validation import validate

from sdk_examples import EXAMPLES, MAYA, assert_like_sdk
from task_scenes import blender_scene, max_scene


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_sdks_documented_examples_parse_under_our_formats(name):
    example = EXAMPLES[name]
    assert taskschema.check_files(example) == []
    host = taskschema.host_of(example["task.json"])
    assert host == {"maya": "maya.json", "max": "max.json", "max-vray": "max.json", "blender": "blender.json"}[name]


def test_a_strict_check_holds_us_to_what_we_write():
    # the 3ds Max example's numbers as ids are read; we write strings
    problems = taskschema.check_files(EXAMPLES["max"], strict=True)
    assert "task.json task_info.task_id" in {p.where for p in problems}
    assert "28474141 is an integer; the farm reads a string" in [p.message for p in problems]


def _where(files):
    return {p.where: p.message for p in taskschema.check_files(files)}


def test_a_drift_is_named_down_to_the_field():
    files = copy.deepcopy(MAYA)
    info = files["task.json"]["task_info"]
    info["cg_id"] = 2000
    info["tiles"] = "four"
    info["input_cg_file_server"] = "/D/x.ma"
    del info["is_picture"]
    files["task.json"]["software_config"]["plugins"] = {"mtoa": "mtoa 5.3.5.2"}
    layer = files["task.json"]["scene_info_render"]["mut"]
    del layer["option"]
    layer["common"]["frames"] = "1-x"
    files["upload.json"]["asset"].append({"local": "D:/tex/a.jpg"})
    files["tips.json"] = {"assets_missing": ["a.jpg"]}
    found = _where(files)
    assert found["task.json task_info.cg_id"] == "2000 is an integer; the farm reads a string"
    assert found["task.json task_info.tiles"].startswith('"four" is not a whole number')
    assert found["task.json task_info.input_cg_file_server"] == "is not a key of this file's format"
    assert found["task.json task_info.is_picture"] == "is missing"
    assert "bare version" in found["task.json software_config.plugins.mtoa"]
    assert found["task.json scene_info_render.mut.option"] == "is missing"
    assert found["task.json scene_info_render.mut.common.frames"].startswith('"1-x" is not a frame list')
    assert found["upload.json asset[1].server"] == "is missing"
    assert "numeric tip code" in found["tips.json assets_missing (the name)"]
    assert len(found) == 9


def test_our_maya_export_is_shaped_as_the_sdks(scene):
    scene.extra["maya"]["render_setup"] = True
    files = build_task_files(scene, collect_assets(scene), task_id=12, user_id=7, platform=2, label="shot010",
                             project_id="31")
    assert_like_sdk("maya", files)
    info = files["task.json"]["task_info"]
    assert (info["render_layer_type"], info["project_id"], info["time_out"]) == ("1", "31", "43200")
    assert taskschema.check_files(files, strict=True) == []


@pytest.mark.parametrize("host, make", [("max", max_scene), ("blender", blender_scene)])
def test_our_max_and_blender_exports_are_shaped_as_the_sdks(host, make, tmp_path):
    scene = make(tmp_path)
    files = build_task_files(scene, collect_assets(scene), task_id=5, user_id=7, platform=2,
                             report=validate(scene))
    assert_like_sdk(host, files)
    render = files["task.json"]["scene_info_render"]
    if host == "max":
        common, renderer = render["common"], render["renderer"]
        assert (common["renderable_camera"], common["output_file"], common["element_list"]) == (
            ["Camera001"], "D:/out/room.exr", ["VRayZDepth"])
        assert (common["rend_timeType"], common["animation_range"], common["element_type"]) == ("3", "0-100", ".exr")
        assert (renderer["renderer_orign"], renderer["gi"], renderer["light_cache_file"]) == (
            "V_Ray_6__Update_2", "1", "D:/proj/lc.vrlmap")
        assert (renderer["rend_raw_img_name"], renderer["raw_img_name"]) == ("true", "D:/out/raw.vrimg")
        assert files["task.json"]["task_info"]["version"] == "2"
    else:
        common = render["common"]
        assert (common["width"], common["height"], common["Render_Format"]) == ("3840", "2160", "PNG")
        assert (common["camera_name"], common["scene_name"], common["frames"]) == ("Camera", ["Scene"], "1-24[1]")
        assert files["task.json"]["additional_info"]["renderer"]["device"] == "GPU"


def test_other_applications_keep_a_common_and_a_renderer_block():
    scene = SceneDescription(2005, "CINEMA 4D", "R26", scene_file="D:/c4d/a.c4d", frames="1-3", cameras=["Cam"])
    task = task_json(scene, task_id=1)
    assert set(task["scene_info_render"]) == {"common", "renderer"}
    assert taskschema.check("task.json", task, taskschema.host_of(task)) == []


def test_every_tip_code_we_write_is_one_the_local_farm_explains(farm_client):
    data = taskschema.load("tipcodes.json")
    codes = set(data["codes"].values()) | {c for host in data["hosts"].values() for c in host.values()}
    for code in sorted(codes):
        [detail] = farm_client.query_error_detail(code, language=1)
        assert detail.code == code and detail.des_description_cn, code
    [missing] = farm_client.query_error_detail("10012")
    assert missing.type == 0 and "丢失" in missing.des_description_cn  # a warning: the user may go on


def test_the_format_names_the_sdk_releases_it_follows():
    releases = taskschema.sdk_releases()
    assert releases["rayvision_api"] == "3.0.4.3" and releases["rayvision_maya"] == "1.5.3"
    assert {"rayvision_max", "rayvision_blender", "rayvision_utils"} <= set(releases)
