"""The official SDK's documented task files, transcribed by hand as small data (lists shortened).

Sources (read, not copied): rayvision_maya 1.5.3 "Configuration Documentation--Maya.md"; the SDK
documentation's "Configuration file for Max" (3ds Max 2018, scanline) and its older 3ds Max
V-Ray example (3ds Max 2014, V-Ray 3.00.03); "Configuration file for Blender" (2.81). Each keeps
the keys, the value formats and the types the document shows, quirks included (the 3ds Max
example's numbers as task_id and user_id, Blender's tip detail as a string).

:func:`assert_like_sdk` compares a set of task files we wrote with them.
"""

import copy
from typing import Any, Dict, Iterable, List

MAYA_TASK_INFO = {
    "is_layer_rendering": "1", "cg_id": "2000", "ram": "64", "os_name": "1", "render_layer_type": "0",
    "is_distribute_render": "0", "input_cg_file": "D:/chensr/scene/maya2016_multi_layers_cameras.ma",
    "job_stop_time": "28800", "user_id": "10000031", "pre_frames": "000", "platform": "2", "is_picture": "0",
    "project_id": "3316", "channel": "4", "tiles_type": "block", "tiles": "1", "project_name": "dasdd",
    "distribute_render_node": "3", "frames_per_task": "1", "stop_after_test": "2", "input_project_path": "",
    "task_id": "439800", "task_stop_time": "86400", "time_out": "12",
}

MAYA_COMMON = {
    "image_format": "exr", "end": "10", "width": "960", "image_file_prefix": "",
    "all_camera": ["stereoCameraRightShape", "perspShape", "cameraShape2", "cameraShape1"],
    "render_camera": ["cameraShape1"], "start": "1", "animation": "False", "renderer": "mentalRay",
    "frames": "1-10[1]", "height": "540", "renumber_frames": "False", "by_frame": "1",
}

MAYA = {
    "task.json": {
        "scene_info_render": {
            "defaultRenderLayer": {"renderable": "1", "env": {}, "is_default_camera": "1", "option": "",
                                   "common": MAYA_COMMON},
            "mut": {"renderable": "1", "is_default_camera": "1", "option": "",
                    "common": dict(MAYA_COMMON, render_camera=["cameraShape1", "stereoCameraLeftShape"])},
        },
        "task_info": MAYA_TASK_INFO,
        "software_config": {"cg_version": "2016", "cg_name": "Maya", "plugins": {}},
    },
    "upload.json": {"asset": [{"local": "D:/chensr/scene/maya2016_multi_layers_cameras.ma",
                               "server": "/D/chensr/scene/maya2016_multi_layers_cameras.ma"}]},
    "tips.json": {},
}

MAX_COMMON = {
    "CurrentProjectFolder": "C:/Users/dingyutao/Documents/3dsMax", "Faces": "3784", "Peak_Memory": "702.758",
    "Vertices": "1914", "all_camera": ["Camera001", "Camera002", "Camera003"],
    "all_element_type": [".tga", ".tif", ".jpg", ".png", ".exr", ".rla", ".rpf"],
    "all_output_file_type": [".tga", ".tif", ".jpg", ".png", ".exr", ".rla", ".rpf"],
    "animation_range": "0-100", "cgv": "2018", "element_active": "1",
    "element_list": ["MultiMatteElement", "VRayAlpha"],
    "element_path_list": ["jh_out_MultiMatteElement.rla", "jh_out_VRayAlpha.rla"], "element_type": ".rla",
    "frames": "0", "gamma": "1", "gamma_val": "2.2", "global_proxy": "false", "height": "480", "in_gamma": "2.2",
    "is_picture": "0", "net_render": "0", "out_gamma": "2.2", "output_file": "E:/3D_Scene/Max/jh/output/1/jh_out.rla",
    "output_file_basename": "jh_out", "output_file_type": ".rla", "rend_save_file": "true", "rend_timeType": "1",
    "renderable_camera": ["Camera001"], "width": "640",
}
MAX_RENDERER = {"name": "scanline", "renderer": "scanline", "renderer_orign": "Default_Scanline_Renderer"}

MAX = {
    "task.json": {
        "scene_info": {"common": dict(MAX_COMMON, renderable_camera=[], taskdurationlimit="86400"),
                       "renderer": MAX_RENDERER},
        "scene_info_render": {"common": MAX_COMMON, "renderer": MAX_RENDERER},
        "software_config": {"cg_name": "3ds Max", "cg_version": "2018", "plugins": {}},
        "task_info": {
            "cg_id": "2001", "channel": "4", "distribute_render_node": "3", "enable_layered": "0",
            "frames_per_task": "1", "input_cg_file": "D:/houdini/CG file/jh/jh.max", "input_project_path": "",
            "is_distribute_render": "0", "is_layer_rendering": "1", "is_picture": "0", "job_stop_time": "259200",
            "os_name": "1", "platform": "2", "pre_frames": "100", "project_id": "200953", "project_name": "Project1",
            "ram": "64", "render_layer_type": "0", "stop_after_test": "1", "task_id": 28474141, "task_stop_time": "0",
            "tiles": "1", "tiles_type": "block", "time_out": "43200", "user_id": 100150764, "hardwareConfigId": "",
        },
        "additional_info": {},
    },
    "upload.json": {
        "asset": [{"server": "/C/3D_Scene/Max/jh/3d66Model-545019-files-1.JPG",
                   "local": "D:/houdini/CG file/jh/3d66Model-545019-files-1.JPG"},
                  {"server": "/D/houdini/CG file/jh/jh.max.7z", "local": "C:/workspace/max/1593418445/jh.max.7z"}],
        "scene": {"hash": "8a0d163994a2361808b6f5390967a614", "server": "/D/houdini/CG file/jh/jh.max.7z",
                  "local": "C:/workspace/max/1593418445/jh.max.7z"},
        "vrlmap": [], "vrmap": [],
    },
    "tips.json": {"10035": ["not activation camera"], "15031": ["Missing_Render_Element_Plug_in"]},
}

MAX_VRAY = {
    "task.json": {
        "scene_info_render": {
            "common": {
                "output_file_type": ".tga", "all_camera": ["Camera001"], "global_proxy": "false",
                "output_file_basename": "Renderbus", "element_list": [], "rend_save_file": "false",
                "element_active": "1", "in_gamma": "2.2", "height": "480", "output_file": "Renderbus.tga",
                "rend_timeType": "1", "element_type": ".tga", "animation_range": "0-100", "frames": "0",
                "renderable_camera": ["Camera001"], "gamma_val": "2.2", "out_gamma": "2.2", "width": "640",
                "gamma": "0", "cgv": "undefined",
            },
            "renderer": {
                "channel_file": "E:/Workspaces/3dmax/2014/aa.exr", "displacement": "true", "raw_img_name": "",
                "subdivs": "8", "renderer": "vray", "secbounce": "3", "gi": "0", "light_cache_file": "",
                "irrmap_file": "", "filter_kernel": "Area", "rend_raw_img_name": "false", "gi_height": "480",
                "filter_on": "true", "gi_width": "640", "gi_frames": "0", "save_sep_channel": "true",
                "light_cache_mode": "0", "primary_gi_engine": "0", "renderer_orign": "V_Ray_Adv_3_00_03",
                "image_sampler_type": "1", "irradiance_map_mode": "0", "secondary_gi_engine": "2", "name": "vray",
                "vfb": "1", "onlyphoton": "false", "reflection_refraction": "true", "mem_limit": "4000",
                "default_geometry": "2",
            },
        },
        "task_info": dict(MAYA_TASK_INFO, cg_id="2001", input_cg_file="D:/gitlab/renderSDK/scenes/max2014_vray3.00.03.max",
                          task_id="440111"),
        "software_config": {"cg_version": "2014", "cg_name": "3ds Max", "plugins": {"vray": "3.00.03"}},
    },
    "upload.json": {"asset": [{"local": "c:/renderfarm/sdk_test/work/440111/max2014_vray3.00.03.max.7z",
                               "server": "/D/gitlab/renderSDK/scenes/max2014_vray3.00.03.max.7z"}]},
    "tips.json": {},
}

BLENDER_COMMON = {"width": "1024", "scene_name": ["Scene"], "Output_path": "/tmp\\",
                  "camera_name": "<bpy_struct, Object(\"Camera\")>", "height": "1024", "Render_Format": "OPEN_EXR",
                  "frames": "1-1[1]"}

BLENDER = {
    "task.json": {
        "software_config": {"cg_name": "Blender", "cg_version": "2.81", "plugins": {}},
        "scene_info_render": {"common": BLENDER_COMMON},
        "task_info": {
            "os_name": "1", "pre_frames": "100", "distribute_render_node": "3", "time_out": "43200",
            "stop_after_test": "1", "frames_per_task": "1", "project_id": "14323", "tiles": "1",
            "user_id": "10013141", "enable_layered": "0", "is_layer_rendering": "1", "task_stop_time": "0",
            "task_id": "8368517", "job_stop_time": "259200", "input_project_path": "", "platform": "2",
            "input_cg_file": "D:/houdini/cg_file/PRAM RENDER 1.blend", "channel": "4", "cg_id": "2007", "ram": "64",
            "is_picture": "0", "render_layer_type": "0", "is_distribute_render": "0", "hardwareConfigId": "5",
            "project_name": "Project1", "tiles_type": "block",
        },
        "scene_info": {"common": BLENDER_COMMON},
        "additional_info": {},
    },
    "upload.json": {"asset": [{"local": "D:/houdini/cg_file/blender_test.blend",
                               "server": "/D/houdini/cg_file/blender_test.blend"}]},
    "tips.json": {"35001": "d:\\abc\\jdf.jpg"},
}

#: Every documented example, by a name for test ids.
EXAMPLES = {"maya": MAYA, "max": MAX, "max-vray": MAX_VRAY, "blender": BLENDER}

#: Keys the SDK's 3ds Max analyser writes from the scene that our 3ds Max layer does not read yet
#: (gamma settings, bitmap proxies, the scene's statistics): declared in max.json, not written.
MAX_NOT_WRITTEN = {"gamma", "gamma_val", "in_gamma", "out_gamma", "global_proxy", "Faces", "Vertices", "Peak_Memory"}


def _always(dicts: Iterable[Dict[str, Any]]) -> set:
    """The keys every one of ``dicts`` has."""
    sets = [set(d) for d in dicts]
    return set.intersection(*sets) if sets else set()


def _maya_layers(example: Dict[str, Any]) -> List[Dict[str, Any]]:
    return list(example["task.json"]["scene_info_render"].values())


def assert_like_sdk(host: str, files: Dict[str, Dict[str, Any]]) -> None:
    """Our task files for ``host`` ("maya", "max", "blender") have the SDK's keys and value types."""
    ours = copy.deepcopy(files)
    task = ours["task.json"]
    info = task["task_info"]
    # every value a string, but hardwareConfigIds: the list RayvisionCheck fills (it needs the key there)
    assert info.pop("hardwareConfigIds") == []
    assert all(isinstance(v, str) for v in info.values()), {k: v for k, v in info.items() if not isinstance(v, str)}
    examples = {"maya": [MAYA], "max": [MAX, MAX_VRAY], "blender": [BLENDER]}[host]
    # every task_info key the SDK's examples always have, and the ones its analysers always add
    assert _always(e["task.json"]["task_info"] for e in examples) <= set(info)
    assert {"enable_layered", "graphics_cards_num", "hardwareConfigId"} <= set(info)
    for name, version in task["software_config"]["plugins"].items():
        assert " " not in version and not version.lower().startswith(name.lower()), (name, version)
    # our extras only under additional_info
    assert set(task) <= {"task_info", "software_config", "scene_info_render", "scene_info", "additional_info"}
    if host == "maya":
        for layer in task["scene_info_render"].values():
            assert set(layer) == {"renderable", "env", "is_default_camera", "option", "common"}
            assert set(layer["common"]) == set(MAYA_COMMON)
            assert all(isinstance(v, str) for k, v in layer["common"].items() if k not in ("all_camera", "render_camera"))
        assert task["scene_info"] == {}
    elif host == "max":
        common, renderer = task["scene_info_render"]["common"], task["scene_info_render"]["renderer"]
        sdk_common = _always(e["task.json"]["scene_info_render"]["common"] for e in examples)
        assert sdk_common - MAX_NOT_WRITTEN <= set(common), sdk_common - MAX_NOT_WRITTEN - set(common)
        declared = set(MAX_COMMON) | set(MAX_VRAY["task.json"]["scene_info_render"]["common"]) | {"taskdurationlimit"}
        assert set(common) <= declared, set(common) - declared
        assert {"name", "renderer", "renderer_orign"} <= set(renderer)
        assert set(renderer) <= set(MAX_VRAY["task.json"]["scene_info_render"]["renderer"])
        assert isinstance(ours["upload.json"]["scene"], dict)
        assert task["scene_info"] == task["scene_info_render"]
    else:
        assert set(task["scene_info"]) == {"common"} and set(task["scene_info"]["common"]) == set(BLENDER_COMMON)
        assert task["scene_info_render"] == task["scene_info"]
    upload = ours["upload.json"]
    scene = upload["scene"] if isinstance(upload["scene"], dict) else upload["scene"][0]
    assert {"local": scene["local"], "server": scene["server"]} in upload["asset"]  # the SDK's transfer reads "asset"
    assert all(set(e) == {"local", "server"} for e in upload["asset"])
    assert all(isinstance(p, str) for p in ours["asset.json"]["asset"])
    assert all(code.isdigit() for code in ours["tips.json"])
