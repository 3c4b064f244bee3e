"""Helpers of the local farm's tests: raw signed HTTP, a hand-driven clock, task files, polling."""

import hashlib
import json
import secrets
import threading
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

import requests

from renderbus_dcc import routes, signing


class FakeClock:
    """A wall clock that moves only when told (starts at the real time: signatures stay fresh)."""

    def __init__(self) -> None:
        self.now = time.time()
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds


class Raw:
    """Signed requests by hand, as any client of the protocol would send them."""

    def __init__(self, farm: Any, access_id: Optional[str] = None, access_key: Optional[str] = None,
                 profile: str = "v1") -> None:
        self.farm = farm
        self.access_id = access_id or farm.access_id
        self.access_key = access_key or farm.access_key
        self.profile = routes.get_profile(profile)
        self.session = requests.Session()
        self.sign_host = "127.0.0.1:%d" % farm.port

    def headers(self, path: str, fields: Dict[str, Any], **override: Any) -> Dict[str, str]:
        headers = {"accessId": self.access_id, "channel": "4", "platform": "2",
                   "UTCTimestamp": str(int(time.time())), "nonce": str(secrets.randbelow(10 ** 12)),
                   "version": self.profile.version}
        headers.update({k: v for k, v in override.items() if v is not None})
        headers["signature"] = signing.sign(self.access_key, self.sign_host, path, headers, fields)
        return headers

    def post(self, path: str, fields: Optional[Dict[str, Any]] = None, headers: Optional[Dict[str, str]] = None,
             body: Optional[bytes] = None, params: Optional[Dict[str, str]] = None) -> requests.Response:
        fields = fields or {}
        headers = dict(headers) if headers is not None else self.headers(path, fields)
        headers["Content-Type"] = "application/json" if body is None else "application/octet-stream"
        data = json.dumps(fields).encode() if body is None else body
        return self.session.post(self.farm.url + path, data=data, headers=headers, params=params, timeout=10)

    def op(self, name: str, fields: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """The envelope of operation ``name``."""
        return self.post(self.profile.path(name), fields).json()

    def data(self, name: str, fields: Optional[Dict[str, Any]] = None) -> Any:
        env = self.op(name, fields)
        assert env["code"] == 200, env
        return env["data"]

    def code(self, name: str, fields: Optional[Dict[str, Any]] = None) -> int:
        return self.op(name, fields)["code"]

    # --- files ---------------------------------------------------------------------------
    def upload(self, bid: str, path: str, content: bytes, offset: int = 0, chunk: Optional[int] = None,
               md5: Optional[str] = None) -> Dict[str, Any]:
        """Upload ``content[offset:]`` in chunks; the last envelope."""
        md5 = md5 or hashlib.md5(content).hexdigest()
        chunk = chunk or max(1, len(content))
        env: Dict[str, Any] = {}
        while True:
            piece = content[offset:offset + chunk]
            env = self.upload_chunk(bid, path, piece, offset, len(content), md5)
            offset += len(piece)
            if env["code"] != 200 or offset >= len(content):
                return env

    def upload_chunk(self, bid: str, path: str, piece: bytes, offset: int, total: int, md5: str) -> Dict[str, Any]:
        fields = {"bid": bid, "path": path, "offset": str(offset), "total": str(total), "md5": md5}
        upath = "/api/farm/transfer/upload"
        return self.post(upath, fields, headers=self.headers(upath, fields), body=piece, params=fields).json()

    def transfer(self, name: str, fields: Dict[str, Any]) -> requests.Response:
        return self.post("/api/farm/transfer/" + name, fields)

    def prepare(self, task_json: Dict[str, Any], assets: Optional[Dict[str, bytes]] = None,
                count: int = 1) -> int:
        """createTask, upload the task files and assets; the task id (not submitted)."""
        task_id = self.data("createTask", {"count": count})["taskIdList"][0]
        assets = dict(assets if assets is not None else {"/D/proj/scene.ma": b"//Maya ASCII scene"})
        task_json = json.loads(json.dumps(task_json).replace("{TASK_ID}", str(task_id)))
        # as the SDK writes it: every file in "asset" (the scene too), the scene with its md5 in "scene"
        # (one object for 3ds Max, a list elsewhere)
        scenes = [{"local": "D:" + p[2:], "server": p, "hash": hashlib.md5(c).hexdigest()}
                  for p, c in assets.items() if p.endswith((".ma", ".max", ".blend"))]
        upload = {"asset": [{"local": "D:" + p[2:], "server": p} for p in assets],
                  "scene": scenes[0] if task_json["task_info"].get("cg_id") == "2001" and scenes else scenes}
        for name, content in (("task.json", task_json), ("upload.json", upload), ("asset.json", {}), ("tips.json", {})):
            env = self.upload("30201", "/%d/cfg/%s" % (task_id, name), json.dumps(content).encode())
            assert env["code"] == 200, env
        for server, content in assets.items():
            assert self.upload("10201", server, content)["code"] == 200
        return task_id

    def submit(self, task_json: Dict[str, Any], assets: Optional[Dict[str, bytes]] = None) -> int:
        task_id = self.prepare(task_json, assets)
        assert self.op("submitTask", {"taskId": task_id})["code"] == 200
        return task_id

    def info(self, task_id: int) -> Dict[str, Any]:
        return self.data("queryTaskInfo", {"taskIds": [task_id]})["items"][0]

    def frames(self, task_id: int, **fields: Any) -> List[Dict[str, Any]]:
        out: List[Dict[str, Any]] = []
        page = 1
        while True:
            data = self.data("queryTaskFrames", {"taskId": task_id, "pageNum": page, "pageSize": 200, **fields})
            out += data["items"]
            if page >= data["pageCount"]:
                return out
            page += 1


def sdk_task_info(cg_id: str, scene: str, tiles: int = 1) -> Dict[str, str]:
    """task_info as the official SDK's analysers write it: every key, every value a string."""
    return {
        "task_id": "{TASK_ID}", "user_id": "100001", "project_name": "shots", "project_id": "", "cg_id": cg_id,
        "platform": "2", "channel": "4", "input_cg_file": scene, "input_project_path": "", "os_name": "1",
        "render_layer_type": "0", "is_layer_rendering": "1", "enable_layered": "0", "is_distribute_render": "0",
        "distribute_render_node": "3", "is_picture": "0", "frames_per_task": "1", "pre_frames": "000",
        "stop_after_test": "2", "job_stop_time": "259200", "task_stop_time": "0", "time_out": "43200",
        "tiles": str(tiles), "tiles_type": "block", "ram": "64", "graphics_cards_num": "2", "hardwareConfigId": "",
    }


def maya_task(frames: str = "1-10[1]", layers: Any = ("defaultRenderLayer",), renderer: str = "arnold",
              tiles: int = 1) -> Dict[str, Any]:
    common = {"image_format": "exr", "end": "10", "width": "1920", "image_file_prefix": "", "all_camera": ["persp"],
              "render_camera": ["persp"], "start": "1", "animation": "True", "renderer": renderer,
              "frames": frames, "height": "1080", "renumber_frames": "False", "by_frame": "1"}
    return {
        "task_info": sdk_task_info("2000", "D:/proj/scene.ma", tiles),
        "software_config": {"cg_name": "Maya", "cg_version": "2024", "plugins": {"mtoa": "5.3.1.1"}},
        "scene_info_render": {
            layer: {"renderable": "1", "env": {}, "is_default_camera": "1", "option": "", "common": dict(common)}
            for layer in layers
        },
        "scene_info": {}, "additional_info": {},
    }


def max_task(frames: str = "1-5[1]", renderer: str = "vray", tiles: int = 1) -> Dict[str, Any]:
    task_info = sdk_task_info("2001", "D:/proj/room.max", tiles)
    task_info["version"] = "2"
    common = {"frames": frames, "width": "2000", "height": "1400", "all_camera": ["Camera001"],
              "renderable_camera": ["Camera001"], "cgv": "2024", "rend_timeType": "3", "rend_save_file": "true",
              "output_file": "D:/proj/out/room.exr", "output_file_basename": "room", "output_file_type": ".exr",
              "element_active": "0", "element_list": [], "element_type": ".exr"}
    scene = {"common": common, "renderer": {"name": renderer, "renderer": renderer, "renderer_orign": renderer}}
    return {
        "task_info": task_info,
        "software_config": {"cg_name": "3ds Max", "cg_version": "2024", "plugins": {renderer: "6.20.02"}},
        "scene_info_render": scene, "scene_info": json.loads(json.dumps(scene)), "additional_info": {},
    }


def wait_for(predicate: Callable[[], Any], timeout: float = 20.0, what: str = "condition") -> Any:
    """Poll ``predicate`` until it returns something true, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for %s" % what)
        time.sleep(0.02)
