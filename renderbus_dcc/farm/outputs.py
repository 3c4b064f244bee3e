"""The rendered frames of the output bid: where each lands, the listing, and the bytes.

A frame of a rendering task has its outputs once all its blocks are done: one small real image
per frame, layer and camera, in the format task.json asks for (``image_format``: OpenEXR for
"exr", PNG otherwise), at ``/{taskId}_{scene stem}/[layer/][camera/]{scene stem}.{frame:04d}.{ext}``
(a camera folder when a layer renders more than one camera, as Maya lays them out). Images are
drawn when asked for, the same bytes every time. Every listing is of the calling account's
tasks only.

``getOutputUserDirFile`` (the live service's output listing, as the official SDK calls it)
lists one folder level at a time: with ``taskId`` the task's own folder, else the entries
under ``treePath``.
"""

import hashlib
import json
import re
import zlib
from typing import Any, Dict, List, Mapping, NamedTuple, Optional

from renderbus_dcc.constants import ErrorCode
from renderbus_dcc.farm.core import Call, FarmCore
from renderbus_dcc.farm.envelope import FarmError
from renderbus_dcc.farm.images import frame_image, frame_image_size
from renderbus_dcc.farm.params import fmt_ms, int_field, str_field


class Output(NamedTuple):
    """A rendered image: how to draw it, and when it was done."""

    width: int
    height: int
    seed: int
    image_format: str
    end_ms: int

    def data(self) -> bytes:
        return frame_image(self.width, self.height, self.seed, self.image_format)

    @property
    def size(self) -> int:
        return frame_image_size(self.width, self.height, self.seed, self.image_format)

    @property
    def md5(self) -> str:
        return hashlib.md5(self.data()).hexdigest()


def _folder(shell_id: int, scene_name: str) -> str:
    return "/%d_%s" % (shell_id, (scene_name or "scene").rsplit(".", 1)[0] or "scene")


class OutputOps(FarmCore):
    """The rendered frames of the output bid: where each lands, the listing and the bytes."""

    @staticmethod
    def output_path(shell: Mapping[str, Any], layer: Optional[str], frame_no: int, camera: str = "",
                    ext: str = "png") -> str:
        """Server path (output bid) of a rendered image of a frame."""
        stem = (shell["scene_name"] or "scene").rsplit(".", 1)[0] or "scene"
        folder = _folder(shell["id"], shell["scene_name"])
        for part in (layer, camera):
            if part:
                folder += "/" + part.replace("/", "_").replace("\\", "_").replace(":", "_")
        return "%s/%s.%04d.%s" % (folder, stem, frame_no, ext)

    def outputs(self, user_id: int, task_id: Optional[int] = None, frame_no: Optional[int] = None) -> Dict[str, Output]:
        """The rendered images of the account's tasks (of one shell task; of one frame number):
        server path -> :class:`Output`."""
        extra = " AND t.id = ?" if task_id is not None else ""
        args = [task_id] if task_id is not None else []
        if frame_no is not None:
            extra += " AND f.frame_no = ?"
            args.append(frame_no)
        rows = self.db.all(
            "SELECT t.id, t.scene_name, t.tiles, t.width, t.height, t.plan, c.layer_name, c.render_camera, f.frame_no, "
            "COUNT(*) AS n, MAX(f.end_ms) AS end_ms "
            "FROM frames f JOIN tasks t ON t.id = f.shell_id JOIN tasks c ON c.id = f.task_id "
            "WHERE t.user_id = ? AND t.deleted = 0 AND f.status = 4 AND f.frame_type != 2%s "
            "GROUP BY f.task_id, f.frame_no ORDER BY t.id, c.ord, f.frame_no" % extra, user_id, *args)
        formats: Dict[int, str] = {}
        out: Dict[str, Output] = {}
        for r in rows:
            if r["n"] < r["tiles"]:
                continue
            if r["id"] not in formats:
                formats[r["id"]] = str(json.loads(r["plan"] or "{}").get("image_format") or "png")
            image_format = formats[r["id"]]
            cameras = [c for c in (r["render_camera"] or "").split(",") if c] or [""]
            width, height = self._thumb_size(r)
            for camera in cameras:
                shown = camera if len(cameras) > 1 else ""
                path = self.output_path(r, r["layer_name"], r["frame_no"], shown, image_format)
                seed = zlib.crc32(("%s|%s|%d" % (r["layer_name"] or "", camera, r["frame_no"])).encode("utf-8"))
                out[path] = Output(width, height, seed % 100003, image_format, int(r["end_ms"] or 0))
        return out

    # --- the live service's listing: one folder level ------------------------------------------
    def op_getOutputUserDirFile(self, call: Call, body: Dict[str, Any]) -> Any:
        task_id = int_field(body, "taskId")
        tree = str_field(body, "treePath", default="/") or "/"
        if task_id:
            shell = self._shell(call, task_id)
            folder = _folder(shell["id"], shell["scene_name"])
            found = self.outputs(call.user_id, shell["id"])
            return [self._entry(folder, True, found)] if found else []
        if "\x00" in tree or ".." in tree.replace("\\", "/").split("/"):
            raise FarmError(ErrorCode.PARAMETER_INVALID, "treePath %r is not a folder of your outputs" % tree)
        tree = "/" + tree.replace("\\", "/").strip("/")
        found = self.outputs(call.user_id, self._task_of_path(tree))
        base = tree.rstrip("/") + "/"
        children: Dict[str, bool] = {}
        for path in found:
            if path.startswith(base):
                head, sep, _rest = path[len(base):].partition("/")
                children[base + head] = children.get(base + head, False) or bool(sep)
        return [self._entry(path, is_dir, found) for path, is_dir in sorted(children.items())]

    @staticmethod
    def _entry(path: str, is_dir: bool, found: Dict[str, Output]) -> Dict[str, Any]:
        name = path.rsplit("/", 1)[-1]
        if is_dir:
            under = [o for p, o in found.items() if p.startswith(path + "/")]
            return {"fileName": name, "fileSize": None, "iconPath": None,
                    "lastModify": fmt_ms(max((o.end_ms for o in under), default=0)), "fileType": None,
                    "filePath": path, "directory": True, "isArrears": 0}
        output = found[path]
        return {"fileName": name, "fileSize": output.size, "iconPath": None, "lastModify": fmt_ms(output.end_ms),
                "fileType": name.rsplit(".", 1)[-1] if "." in name else None, "filePath": path, "directory": False,
                "isArrears": 0}

    # --- the farm's own transfer routes ----------------------------------------------------------
    def output_listing(self, user_id: int, prefix: str, task_id: Optional[int] = None) -> List[Dict[str, Any]]:
        """``[{"path", "size"[, "md5"]}]`` of the outputs under ``prefix`` (every level); with ``task_id``
        every output of that task, with its md5."""
        with self.db.transaction():
            self.advance(user_id)
            found = self.outputs(user_id, task_id if task_id is not None else self._task_of_path(prefix))
        if task_id is not None:
            return [{"path": path, "size": output.size, "md5": output.md5} for path, output in sorted(found.items())]
        base = prefix.rstrip("/") + "/"
        return [{"path": path, "size": output.size} for path, output in sorted(found.items())
                if path == prefix or path.startswith(base) or prefix in ("", "/")]

    def output_bytes(self, user_id: int, path: str) -> bytes:
        """The image of a rendered frame; 404 if there is none (yet), or it is another account's."""
        number = re.search(r"\.(-?\d+)\.\w+$", path)  # only that frame's outputs are looked at
        with self.db.transaction():
            self.advance(user_id)
            task_id = self._task_of_path(path)
            found = self.outputs(user_id, task_id, int(number.group(1)) if number else None).get(path) \
                if task_id is not None else None
        if found is None:
            raise FarmError(ErrorCode.RESOURCE_NOT_FOUND, "no output %s (yet)" % path)
        return found.data()

    @staticmethod
    def _task_of_path(path: str) -> Optional[int]:
        head = path.strip("/").split("/", 1)[0].split("_", 1)[0]
        return int(head) if head.isdigit() else None
