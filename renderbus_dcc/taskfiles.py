"""The four task files the farm reads: task.json, upload.json, asset.json, tips.json.

Pure functions: they take the scene, what the core found about it (assets, environment,
validation) and the submission's options, and return plain dicts in the farm's formats
(``/work/shared/spec/README.md``, "What the farm reads"). Nothing here touches the network
or the disk; :func:`encode` turns a dict into the bytes that are uploaded.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence

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
    "encode",
    "cfg_path",
    "software_config",
    "layer_entries",
]

#: The task files, in the order they are uploaded.
TASK_FILE_NAMES = ("task.json", "upload.json", "asset.json", "tips.json")

#: Maya's layer when a scene lists none.
DEFAULT_MAYA_LAYER = "defaultRenderLayer"


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
    return path.replace("\\", "/")


def software_config(scene: "SceneDescription", env: Optional["EnvChoice"] = None) -> Dict[str, Any]:
    """``software_config``: the farm's application version and each plugin's version.

    Versions are the farm's (from the environment choice) where one was made, else the scene's.
    """
    if env is not None:
        plugins = {p.name: p.version for p in env.plugins if p.version}
        return {"cg_name": env.cg_name or scene.cg_name, "cg_version": env.cg_version or scene.cg_version,
                "plugins": plugins}
    plugins = {p.name: p.version for p in scene.plugins}
    if not plugins and scene.renderer and scene.renderer_version:
        plugins[scene.renderer] = scene.renderer_version
    return {"cg_name": scene.cg_name, "cg_version": scene.cg_version, "plugins": plugins}


def _common(scene: "SceneDescription", frames_spec: str, cameras: Sequence[str], renderer: str) -> Dict[str, Any]:
    from renderbus_dcc.frames import parse_frames, to_farm_frames

    frames = parse_frames(frames_spec)
    farm = to_farm_frames(frames)
    step = 1
    if len(frames) > 1:
        steps = {b - a for a, b in zip(frames, frames[1:])}
        step = steps.pop() if len(steps) == 1 else 1
    return {
        "renderer": renderer,
        "frames": farm,
        "start": _s(frames[0]) if frames else "",
        "end": _s(frames[-1]) if frames else "",
        "by_frame": _s(step),
        "width": _s(scene.width),
        "height": _s(scene.height),
        "image_format": scene.image_format,
        "image_file_prefix": scene.output_prefix,
        "output_dir": _forward(scene.output_dir),
        "all_camera": list(scene.cameras),
        "render_camera": list(cameras),
    }


def _layer_cameras(scene: "SceneDescription", layer: Optional["RenderLayer"]) -> List[str]:
    if layer is not None and layer.cameras:
        return list(layer.cameras)
    chosen = scene.extra.get("render_cameras")
    return list(chosen) if isinstance(chosen, list) and chosen else list(scene.cameras)


def layer_entries(scene: "SceneDescription") -> Dict[str, Any]:
    """``scene_info_render``: Maya one entry per renderable layer; others a common + renderer block.

    ``scene.extra["layers"][name]`` (Maya) and ``scene.extra["renderer"]`` (3ds Max, Blender),
    when a host sets them, go through as they are.
    """
    extra_layers = scene.extra.get("layers") if isinstance(scene.extra.get("layers"), dict) else {}
    if int(scene.cg_id) == int(CgId.MAYA):
        layers = scene.renderable_layers()
        if not scene.layers:
            from renderbus_dcc.scene import RenderLayer

            layers = [RenderLayer(DEFAULT_MAYA_LAYER, True, list(scene.cameras))]
        out: Dict[str, Any] = {}
        for layer in layers:
            entry = {
                "renderable": "1",
                "common": _common(scene, layer.frames or scene.frames, _layer_cameras(scene, layer),
                                  layer.renderer or scene.renderer),
            }
            entry.update(extra_layers.get(layer.name, {}) if extra_layers else {})
            out[layer.name] = entry
        return out
    layers = scene.renderable_layers()
    first = layers[0] if layers else None
    common = _common(scene, (first.frames if first and first.frames else scene.frames),
                     _layer_cameras(scene, first), scene.renderer)
    if scene.layers:
        common["layers"] = [l.name for l in layers]
    renderer = {"name": scene.renderer, "version": scene.renderer_version}
    if isinstance(scene.extra.get("renderer"), dict):
        renderer.update(scene.extra["renderer"])
    return {"common": common, "renderer": renderer}


def task_json(
    scene: "SceneDescription",
    *,
    task_id: int,
    user_id: int = 0,
    platform: int = 0,
    scene_server: str = "",
    env: Optional["EnvChoice"] = None,
    label: str = "",
    frames_per_task: int = 1,
    test_frames: str = "",
    ram: int = 64,
    os_name: str = "1",
    time_out: int = 12,
) -> Dict[str, Any]:
    """task.json: task_info (strings), software_config, scene_info_render."""
    from renderbus_dcc.paths import to_server_path

    test = ""
    if test_frames:
        from renderbus_dcc.frames import to_farm_frames

        test = to_farm_frames(test_frames)
    task_info = {
        "task_id": _s(task_id),
        "user_id": _s(user_id),
        "project_name": label,
        "cg_id": _s(int(scene.cg_id)),
        "platform": _s(platform),
        "channel": _s(CHANNEL),
        "input_cg_file": _forward(scene.scene_file),
        "input_project_path": _forward(scene.project_dir),
        "input_cg_file_server": scene_server or (to_server_path(scene.scene_file) if scene.scene_file else ""),
        "os_name": os_name,
        "render_layer_type": "0",
        "is_layer_rendering": "1" if int(scene.cg_id) == int(CgId.MAYA) else "0",
        "frames_per_task": _s(max(1, int(frames_per_task))),
        "pre_frames": test or "000",
        "stop_after_test": "2",
        "time_out": _s(time_out),
        "tiles": "1",
        "tiles_type": "block",
        "ram": _s(ram),
    }
    return {
        "task_info": task_info,
        "software_config": software_config(scene, env),
        "scene_info_render": layer_entries(scene),
        "scene_info": {},
        "additional_info": {},
    }


def upload_json(assets: "AssetCollection") -> Dict[str, Any]:
    """upload.json: every asset file (local, server) and the scene with its md5."""
    out: Dict[str, Any] = {
        "asset": [{"local": _forward(f.local), "server": f.server} for f in assets.files],
        "scene": [],
    }
    if assets.scene_file is not None:
        s = assets.scene_file
        out["scene"].append({"local": _forward(s.local), "server": s.server, "hash": s.md5})
    return out


def asset_json(scene: "SceneDescription", assets: "AssetCollection") -> Dict[str, Any]:
    """asset.json: what the analysis found, by kind, and what it could not find."""
    by_kind: Dict[str, List[Dict[str, Any]]] = {}
    for f in assets.files:
        by_kind.setdefault(f.kind or "other", []).append(
            {"local": _forward(f.local), "server": f.server, "owner": f.owner, "size": f.size})
    return {
        "scene_file": _forward(scene.scene_file),
        "project_dir": _forward(scene.project_dir),
        "assets": by_kind,
        "missing": [
            {"path": m.path, "resolved": _forward(m.resolved), "owner": m.owner, "kind": m.kind, "reason": m.reason}
            for m in assets.missing
        ],
        "total_bytes": assets.total_bytes,
    }


def tips_json(report: Optional["ValidationReport"]) -> Dict[str, List[str]]:
    """tips.json: ``{code: [details]}`` for the warnings the user accepted (errors never get here)."""
    out: Dict[str, List[str]] = {}
    if report is None:
        return out
    for issue in report.warnings:
        detail = issue.subject or issue.message
        out.setdefault(str(issue.code), []).append(detail)
    return out


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
    frames_per_task: int = 1,
    test_frames: str = "",
    ram: int = 64,
) -> Dict[str, Dict[str, Any]]:
    """All four task files, by name."""
    scene_server = assets.scene_file.server if assets.scene_file is not None else ""
    return {
        "task.json": task_json(scene, task_id=task_id, user_id=user_id, platform=platform, scene_server=scene_server,
                               env=env, label=label, frames_per_task=frames_per_task, test_frames=test_frames,
                               ram=ram),
        "upload.json": upload_json(assets),
        "asset.json": asset_json(scene, assets),
        "tips.json": tips_json(report),
    }
