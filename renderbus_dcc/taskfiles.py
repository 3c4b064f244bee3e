"""The four task files the farm reads: task.json, upload.json, asset.json, tips.json.

Written as the official SDK's analyser for each host writes them (rayvision_maya,
rayvision_max, rayvision_blender; the releases in :func:`renderbus_dcc.taskschema.sdk_releases`):
the keys, value formats and types the host's declared format (:mod:`renderbus_dcc.taskschema`)
names, starting from the values the SDK writes when nothing else is known, and checked against
that format before they leave (:func:`build_task_files`). What is ours alone goes under the
keys the SDK leaves to a client (``additional_info``).

Pure functions: they take the scene, what the core found about it (assets, environment,
validation) and the submission's options, and return plain dicts. Nothing here touches the
network or the disk; :func:`encode` turns a dict into the bytes that are uploaded.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Dict, List, Optional

from renderbus_dcc import taskschema
from renderbus_dcc.constants import CHANNEL, CgId

if TYPE_CHECKING:  # pragma: no cover
    from renderbus_dcc.assets import AssetCollection
    from renderbus_dcc.environment import EnvChoice
    from renderbus_dcc.scene import RenderLayer, SceneDescription
    from renderbus_dcc.validation import ValidationReport

__all__ = [
    "TASK_FILE_NAMES",
    "task_json",
    "upload_json",
    "asset_json",
    "tips_json",
    "build_task_files",
    "check_task_files",
    "encode",
    "cfg_path",
    "software_config",
    "layer_entries",
    "bare_version",
]

#: The task files, in the order they are uploaded.
TASK_FILE_NAMES = taskschema.TASK_FILES

#: Maya's master layer, as its analyser names it (our Maya layer calls it masterLayer).
DEFAULT_MAYA_LAYER = "defaultRenderLayer"
_MAYA_MASTER_NAMES = ("masterLayer", DEFAULT_MAYA_LAYER)
#: 3ds Max's Time Output types, as the host layer names them -> rendTimeType.
_MAX_TIME_TYPES = {"single": "1", "active_segment": "2", "range": "3", "pickup": "4"}
#: Blender's image_settings.file_format for an image format the scene names by extension.
_BLENDER_FORMATS = {"exr": "OPEN_EXR", "png": "PNG", "jpg": "JPEG", "jp2": "JPEG2000", "tif": "TIFF", "tga": "TARGA",
                    "bmp": "BMP", "rgb": "IRIS", "cin": "CINEON", "dpx": "DPX", "hdr": "HDR", "webp": "WEBP"}


def cfg_path(task_id: int, name: str) -> str:
    """Server path of a task file: ``/{taskId}/cfg/{name}`` (config bid)."""
    return "/%d/cfg/%s" % (int(task_id), name)


def encode(data: Dict[str, Any], pretty: bool = False) -> bytes:
    """The bytes of a task file: UTF-8 JSON, non-ASCII kept; ``pretty`` indents it for people
    (compact otherwise: the fast encoder, which matters for 10,000 assets)."""
    if pretty:
        return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _s(value: Any) -> str:
    """task_info values are strings on the wire."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return "" if value is None else str(value)


def _forward(path: str) -> str:
    return (path or "").replace("\\", "/")


def _basename(path: str) -> str:
    return _forward(path).rsplit("/", 1)[-1]


def _host(scene: "SceneDescription") -> str:
    return taskschema.HOSTS.get(str(int(scene.cg_id)), "common.json")


def _extra(scene: "SceneDescription", key: str) -> Dict[str, Any]:
    value = scene.extra.get(key)
    return value if isinstance(value, dict) else {}


def bare_version(name: str, version: str) -> str:
    """A plugin's version as task.json holds it: ``("mtoa", "mtoa 5.3.5.2")`` -> ``"5.3.5.2"``.

    The farm's catalogue shows versions with the plugin's name in front; the SDK writes the
    number alone.
    """
    text = (version or "").strip()
    lowered, prefix = text.lower(), (name or "").strip().lower()
    if prefix and lowered.startswith(prefix) and text[len(prefix):len(prefix) + 1] in (" ", "-", "_"):
        text = text[len(prefix) + 1:].strip()
    words = text.split()
    numbered = [i for i, word in enumerate(words) if word[:1].isdigit()]
    return "_".join(words[numbered[0]:] if numbered else words)


def software_config(scene: "SceneDescription", env: Optional["EnvChoice"] = None) -> Dict[str, Any]:
    """``software_config``: the farm's application version and each plugin's bare version.

    Versions are the farm's (from the environment choice) where one was made, else the scene's.
    """
    if env is not None:
        plugins = {p.name: bare_version(p.name, p.version) for p in env.plugins if p.version}
        return {"cg_name": env.cg_name or scene.cg_name, "cg_version": env.cg_version or scene.cg_version,
                "plugins": plugins}
    plugins = {p.name: bare_version(p.name, p.version) for p in scene.plugins if p.version}
    if not plugins and scene.renderer and scene.renderer_version:
        plugins[scene.renderer] = bare_version(scene.renderer, scene.renderer_version)
    return {"cg_name": scene.cg_name, "cg_version": scene.cg_version, "plugins": plugins}


# -- scene_info_render, per host -------------------------------------------------------------
def _frames(spec: Any) -> Dict[str, Any]:
    from renderbus_dcc.frames import parse_frames, to_farm_frames

    frames = parse_frames(spec)
    steps = {b - a for a, b in zip(frames, frames[1:])}
    return {"list": frames, "farm": to_farm_frames(frames), "start": _s(frames[0]), "end": _s(frames[-1]),
            "by": _s(steps.pop() if len(steps) == 1 else 1)}


def _layer_cameras(scene: "SceneDescription", layer: Optional["RenderLayer"]) -> List[str]:
    if layer is not None and layer.cameras:
        return list(layer.cameras)
    chosen = scene.extra.get("render_cameras")
    return list(chosen) if isinstance(chosen, list) and chosen else list(scene.cameras)


def _first_layer(scene: "SceneDescription") -> Optional["RenderLayer"]:
    layers = scene.renderable_layers()
    return layers[0] if layers else None


def _maya(scene: "SceneDescription") -> Dict[str, Any]:
    """One entry per renderable layer, keyed and with cameras named as Maya's analyser names them."""
    from renderbus_dcc.scene import RenderLayer

    maya = _extra(scene, "maya")
    shapes: Dict[str, Any] = maya["camera_shapes"] if isinstance(maya.get("camera_shapes"), dict) else {}
    nodes: Dict[str, Any] = maya["layer_nodes"] if isinstance(maya.get("layer_nodes"), dict) else {}

    def shape(camera: str) -> str:
        return str(shapes.get(camera) or camera)

    layers = scene.renderable_layers() if scene.layers else [RenderLayer(DEFAULT_MAYA_LAYER, True, list(scene.cameras))]
    out: Dict[str, Any] = {}
    for layer in layers:
        frames = _frames(layer.frames or scene.frames)
        animation = maya.get("animation", len(frames["list"]) > 1)
        key = str(nodes.get(layer.name) or (DEFAULT_MAYA_LAYER if layer.name in _MAYA_MASTER_NAMES else layer.name))
        out[key] = {
            "renderable": "1",
            "env": {},
            "is_default_camera": "1",
            "option": "",
            "common": {
                "image_format": layer.image_format or scene.image_format,
                "end": frames["end"],
                "width": _s(scene.width),
                "image_file_prefix": layer.output_prefix or scene.output_prefix,
                "all_camera": [shape(c) for c in scene.cameras],
                "render_camera": [shape(c) for c in _layer_cameras(scene, layer)],
                "start": frames["start"],
                "animation": "True" if animation else "False",
                "renderer": layer.renderer or scene.renderer,
                "frames": frames["farm"],
                "height": _s(scene.height),
                "renumber_frames": "True" if maya.get("renumber_frames") else "False",
                "by_frame": frames["by"],
            },
        }
    return out


def _max(scene: "SceneDescription") -> Dict[str, Any]:
    """One common block and one renderer block, with the keys rayvision_max writes."""
    first = _first_layer(scene)
    frames = _frames(first.frames if first and first.frames else scene.frames)
    output = _forward(str(scene.extra.get("output_file") or ""))
    elements = [e for e in scene.extra.get("render_elements") or [] if isinstance(e, dict)]
    output_type = "." + scene.image_format if scene.image_format else ""
    element_files = [_basename(str(e.get("file") or "")) for e in elements if e.get("file")]
    common = taskschema.defaults("max.json", "/definitions/common")
    common.update({
        "frames": frames["farm"],
        "width": _s(scene.width),
        "height": _s(scene.height),
        "all_camera": list(scene.cameras),
        "renderable_camera": _layer_cameras(scene, first),
        "cgv": scene.cg_version,
        "rend_timeType": _MAX_TIME_TYPES.get(str(scene.extra.get("time_type") or ""), "3"),
        "rend_save_file": "true" if output else "false",
        "output_file": output,
        "output_file_basename": scene.output_prefix,
        "output_file_type": output_type,
        "element_active": "1" if any(e.get("enabled", True) for e in elements) else "0",
        "element_list": [str(e.get("class") or "") for e in elements],
        "element_path_list": element_files,
        "element_type": ("." + element_files[0].rsplit(".", 1)[-1].lower()) if element_files and "." in element_files[0]
        else output_type,
        "CurrentProjectFolder": _forward(scene.project_dir),
        "is_picture": "0",
    })
    if scene.extra.get("animation_range"):
        common["animation_range"] = str(scene.extra["animation_range"])
    return {"common": common, "renderer": _max_renderer(scene)}


def _max_renderer(scene: "SceneDescription") -> Dict[str, Any]:
    """The renderer block: keys renamed as the schema's ``x-from`` says, values as the SDK writes them."""
    settings = _extra(scene, "renderer")
    name = str(settings.get("name") or scene.renderer)
    block: Dict[str, Any] = {"name": name, "renderer": name,
                             "renderer_orign": str(settings.get("class_name") or scene.renderer)}
    for key, prop in taskschema.load("max.json")["definitions"]["renderer"]["properties"].items():
        source = prop.get("x-from")
        if source and settings.get(source) not in (None, ""):
            block[key] = _s(settings[source])
    for key, mode, load, save in (("irrmap_file", "irradiance_map_mode", "irradiance_map_load_file", "irradiance_map_file"),
                                  ("light_cache_file", "light_cache_mode", "light_cache_load_file", "light_cache_file")):
        path = settings.get(load) if settings.get(mode) == "2" else settings.get(save)
        if mode in settings:
            block[key] = _forward(str(path or ""))
    if name == "vray":
        block["onlyphoton"] = "false"
        block["rend_raw_img_name"] = "true" if settings.get("vfb_raw_file") else "false"
        block["raw_img_name"] = _forward(str(settings.get("vfb_raw_file") or ""))
        block["save_sep_channel"] = "true" if settings.get("vfb_split_file") else "false"
        block["channel_file"] = _forward(str(settings.get("vfb_split_file") or ""))
    return block


def _blender(scene: "SceneDescription") -> Dict[str, Any]:
    """One common block with the keys rayvision_blender writes (its own capitalised names)."""
    blender = _extra(scene, "blender")
    first = _first_layer(scene)
    cameras = _layer_cameras(scene, first)
    output = blender.get("output_path") or (_forward(scene.output_dir).rstrip("/") + "/" + scene.output_prefix
                                            if scene.output_dir else scene.output_prefix)
    file_format = blender.get("file_format") or _BLENDER_FORMATS.get(scene.image_format, scene.image_format.upper())
    common = {
        "width": _s(blender.get("resolution_x", scene.width)),
        "scene_name": [str(blender["scene"])] if blender.get("scene") else [],
        "Output_path": str(output or ""),
        "camera_name": cameras[0] if cameras else str(blender.get("camera") or ""),
        "height": _s(blender.get("resolution_y", scene.height)),
        "Render_Format": str(file_format),
        "frames": _frames(first.frames if first and first.frames else scene.frames)["farm"],
    }
    return {"common": common}


def _generic(scene: "SceneDescription") -> Dict[str, Any]:
    """Another application: a common block and a renderer block."""
    first = _first_layer(scene)
    frames = _frames(first.frames if first and first.frames else scene.frames)
    common = {"renderer": scene.renderer, "frames": frames["farm"], "start": frames["start"], "end": frames["end"],
              "by_frame": frames["by"], "width": _s(scene.width), "height": _s(scene.height),
              "image_format": scene.image_format, "image_file_prefix": scene.output_prefix,
              "all_camera": list(scene.cameras), "render_camera": _layer_cameras(scene, first)}
    return {"common": common, "renderer": {"name": scene.renderer}}


_SCENE_INFO = {"maya.json": _maya, "max.json": _max, "blender.json": _blender}


def layer_entries(scene: "SceneDescription") -> Dict[str, Any]:
    """``scene_info_render`` as the host's SDK analyser writes it (Maya: one entry per layer)."""
    return _SCENE_INFO.get(_host(scene), _generic)(scene)


def _additional_info(scene: "SceneDescription", scene_server: str, report: Optional["ValidationReport"]) -> Dict[str, Any]:
    """Ours alone: what the SDK's format has no key for (the SDK's place for it: additional_info)."""
    from renderbus_dcc import __version__

    renderer = dict(_extra(scene, "renderer"))
    renderer.setdefault("name", scene.renderer)
    renderer.setdefault("version", scene.renderer_version)
    info: Dict[str, Any] = {
        "submitter": "renderbus_dcc %s" % __version__,
        "input_cg_file_server": scene_server,
        "output_dir": _forward(scene.output_dir),
        "renderer": renderer,
    }
    if _extra(scene, "layers"):
        info["layers"] = _extra(scene, "layers")
    unmapped = [{"code": i.code, "message": i.message} for i in (report.warnings if report is not None else [])
                if taskschema.tip_code(i.code, scene.cg_id) is None]
    if unmapped:
        info["warnings"] = unmapped
    return info


def task_json(
    scene: "SceneDescription",
    *,
    task_id: int,
    user_id: int = 0,
    platform: int = 0,
    scene_server: str = "",
    env: Optional["EnvChoice"] = None,
    label: str = "",
    project_id: str = "",
    frames_per_task: int = 1,
    test_frames: str = "",
    stop_after_test: bool = False,
    ram: int = 64,
    os_name: str = "1",
    time_out: int = 12,
    report: Optional["ValidationReport"] = None,
) -> Dict[str, Any]:
    """task.json: task_info (strings, the SDK's keys), software_config, scene_info_render.

    ``time_out`` is in hours (task_info holds seconds, as the SDK writes them).
    """
    from renderbus_dcc.paths import to_server_path

    host = _host(scene)
    from renderbus_dcc.testframes import NONE, pre_frames_value, stop_after_test_value

    test = pre_frames_value(test_frames)  # "FML:custom", as the official SDK writes it
    maya = _extra(scene, "maya")
    task_info = taskschema.defaults(host, "/files/task.json/properties/task_info")
    task_info.update({
        "task_id": _s(task_id),
        "user_id": _s(user_id),
        "project_name": label,
        "project_id": _s(project_id),
        "cg_id": _s(int(scene.cg_id)),
        "platform": _s(platform),
        "channel": _s(CHANNEL),
        "input_cg_file": _forward(scene.scene_file),
        "input_project_path": _forward(scene.project_dir),
        "os_name": os_name,
        "render_layer_type": "1" if maya.get("render_setup") else "0",
        "frames_per_task": _s(max(1, int(frames_per_task))),
        "pre_frames": test,
        "stop_after_test": stop_after_test_value(stop_after_test and test != NONE),
        "time_out": _s(max(1, int(time_out)) * 3600),
        "ram": _s(ram),
    })
    order = taskschema.declared_keys(host, "/files/task.json/properties/task_info")
    task_info = dict(sorted(task_info.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))
    render = layer_entries(scene)
    server = scene_server or (to_server_path(scene.scene_file) if scene.scene_file else "")
    return {
        "task_info": task_info,
        "software_config": software_config(scene, env),
        "scene_info_render": render,
        # Maya's analyser leaves scene_info empty; 3ds Max's and Blender's repeat the render block
        "scene_info": json.loads(json.dumps(render)) if int(scene.cg_id) in (int(CgId.MAX), int(CgId.BLENDER)) else {},
        "additional_info": _additional_info(scene, server, report),
    }


def _declares(host: str, name: str, key: str) -> Optional[Dict[str, Any]]:
    node = taskschema.load(host)["files"].get(name) or taskschema.load("common.json")["files"][name]
    prop = node.get("properties", {}).get(key)
    return prop if isinstance(prop, dict) else None


def upload_json(assets: "AssetCollection", cg_id: Any = 2000) -> Dict[str, Any]:
    """upload.json: every file to upload in ``asset`` (the scene too: the SDK's transfer reads
    ``asset`` only) and the scene with its md5 in ``scene``, shaped as the host's analyser writes it."""
    host = taskschema.HOSTS.get(str(int(cg_id)), "common.json")
    entries = [{"local": _forward(f.local), "server": f.server} for f in assets.files]
    out: Dict[str, Any] = {"asset": entries}
    scene = assets.scene_file
    if scene is not None:
        if all(e["server"] != scene.server for e in entries):
            entries.append({"local": _forward(scene.local), "server": scene.server})
        entry = {"local": _forward(scene.local), "server": scene.server, "hash": scene.md5}
        shape = (_declares(host, "upload.json", "scene") or {}).get("type", "object")  # a $ref: one object
        out["scene"] = [entry] if (shape[0] if isinstance(shape, list) else shape) == "array" else entry
    for key, owner in (("vrlmap", "V-Ray light cache"), ("vrmap", "V-Ray irradiance map")):
        if _declares(host, "upload.json", key) is not None:
            out[key] = [{"local": _forward(f.local), "server": f.server} for f in assets.files if f.owner == owner]
    return out


def asset_json(scene: "SceneDescription", assets: "AssetCollection") -> Dict[str, Any]:
    """asset.json: ``asset``, the files the analysis found (local paths, as the SDK lists them);
    ours under ``additional_info``: each file by kind with its owner and size, and what is missing."""
    by_kind: Dict[str, List[Dict[str, Any]]] = {}
    for f in assets.files:
        by_kind.setdefault(f.kind or "other", []).append(
            {"local": _forward(f.local), "server": f.server, "owner": f.owner, "size": f.size})
    return {
        "asset": [_forward(f.local) for f in assets.files],
        "additional_info": {
            "scene_file": _forward(scene.scene_file),
            "project_dir": _forward(scene.project_dir),
            "assets": by_kind,
            "missing": [
                {"path": m.path, "resolved": _forward(m.resolved), "owner": m.owner, "kind": m.kind, "reason": m.reason}
                for m in assets.missing
            ],
            "total_bytes": assets.total_bytes,
        },
    }


def tips_json(report: Optional["ValidationReport"], cg_id: Any = 2000) -> Dict[str, List[str]]:
    """tips.json: ``{code: [details]}`` for the warnings the user accepted (errors never get here),
    under the live service's numeric codes, our message as the detail. A warning the live service
    has no code for is not a tip (task.json's additional_info keeps it)."""
    out: Dict[str, List[str]] = {}
    if report is None:
        return out
    for issue in report.warnings:
        code = taskschema.tip_code(issue.code, cg_id)
        if code is not None and issue.message not in out.get(code, []):
            out.setdefault(code, []).append(issue.message)
    return out


#: How many entries of upload.json's and asset.json's file lists the writer's own check reads:
#: one code path writes them all, and a 20,000-file scene must not wait for the check.
CHECKED_ENTRIES = 200


def check_task_files(files: Dict[str, Dict[str, Any]]) -> None:
    """Raise SubmissionError if what we wrote does not follow the host's declared format exactly."""
    sampled = {name: {k: v[:CHECKED_ENTRIES] if isinstance(v, list) else v for k, v in data.items()}
               if name in ("upload.json", "asset.json") else data for name, data in files.items()}
    problems = taskschema.check_files(sampled, strict=True)
    if problems:
        from renderbus_dcc.errors import SubmissionError
        from renderbus_dcc.i18n import _

        shown = "; ".join(str(p) for p in problems[:5])
        raise SubmissionError(_("The task files do not follow the farm's format: %s") % shown,
                              hint=_("this is a fault of renderbus_dcc, not of the scene: please report it"))


def build_task_files(
    scene: "SceneDescription",
    assets: "AssetCollection",
    *,
    task_id: int,
    user_id: int = 0,
    platform: int = 0,
    env: Optional["EnvChoice"] = None,
    report: Optional["ValidationReport"] = None,
    label: str = "",
    project_id: str = "",
    frames_per_task: int = 1,
    test_frames: str = "",
    stop_after_test: bool = False,
    ram: int = 64,
) -> Dict[str, Dict[str, Any]]:
    """All four task files, by name, checked against the host's declared format."""
    scene_server = assets.scene_file.server if assets.scene_file is not None else ""
    files = {
        "task.json": task_json(scene, task_id=task_id, user_id=user_id, platform=platform, scene_server=scene_server,
                               env=env, label=label, project_id=project_id, frames_per_task=frames_per_task,
                               test_frames=test_frames, stop_after_test=stop_after_test, ram=ram, report=report),
        "upload.json": upload_json(assets, scene.cg_id),
        "asset.json": asset_json(scene, assets),
        "tips.json": tips_json(report, scene.cg_id),
    }
    check_task_files(files)
    return files

