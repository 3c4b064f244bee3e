"""The rendered frames of the output bid: where each lands, listing and bytes."""

from typing import Any, Dict, List, Mapping, Optional, Tuple

from renderbus_dcc.constants import ErrorCode
from renderbus_dcc.farm.core import FarmCore
from renderbus_dcc.farm.envelope import FarmError
from renderbus_dcc.farm.images import frame_png


class OutputOps(FarmCore):
    """The rendered frames of the output bid: where each lands, listing and bytes."""

    @staticmethod
    def output_path(shell: Mapping[str, Any], layer: Optional[str], frame_no: int) -> str:
        """Server path (output bid) of a rendered frame: ``/{taskId}_{scene}/[layer/]{scene}.{frame:04d}.png``."""
        stem = (shell["scene_name"] or "scene").rsplit(".", 1)[0] or "scene"
        folder = "/%d_%s" % (shell["id"], stem)
        if layer:
            folder += "/" + layer
        return "%s/%s.%04d.png" % (folder, stem, frame_no)

    def outputs(self, user_id: int, task_id: Optional[int] = None) -> Dict[str, Tuple[int, int, int]]:
        """The rendered frames (output bid): server path -> (width, height, frame) of its placeholder PNG.

        A frame has an output once all its blocks are done; outputs are drawn when asked for.
        """
        extra = " AND t.id = ?" if task_id is not None else ""
        rows = self.db.all(
            "SELECT t.id, t.scene_name, t.tiles, t.width, t.height, c.layer_name, f.frame_no, COUNT(*) AS n "
            "FROM frames f JOIN tasks t ON t.id = f.shell_id JOIN tasks c ON c.id = f.task_id "
            "WHERE t.user_id = ? AND t.deleted = 0 AND f.status = 4 AND f.frame_type != 2%s "
            "GROUP BY f.task_id, f.frame_no ORDER BY t.id, c.ord, f.frame_no" % extra,
            user_id, *([task_id] if task_id is not None else []))
        return {self.output_path(r, r["layer_name"], r["frame_no"]): self._thumb_size(r) + (r["frame_no"],)
                for r in rows if r["n"] >= r["tiles"]}

    def output_listing(self, user_id: int, prefix: str) -> List[Dict[str, Any]]:
        """``[{"path", "size"}]`` of the outputs under ``prefix``."""
        with self.db.transaction():
            self.advance()
            found = self.outputs(user_id, self._task_of_path(prefix))
        base = prefix.rstrip("/") + "/"
        return [{"path": path, "size": len(frame_png(*args))} for path, args in sorted(found.items())
                if path == prefix or path.startswith(base) or prefix in ("", "/")]

    def output_bytes(self, user_id: int, path: str) -> bytes:
        """The placeholder PNG of a rendered frame; 404 if there is none (yet)."""
        with self.db.transaction():
            self.advance()
            task_id = self._task_of_path(path)
            found = self.outputs(user_id, task_id).get(path) if task_id is not None else None
        if found is None:
            raise FarmError(ErrorCode.RESOURCE_NOT_FOUND, "no output %s (yet)" % path)
        return frame_png(*found)

    @staticmethod
    def _task_of_path(path: str) -> Optional[int]:
        head = path.strip("/").split("/", 1)[0].split("_", 1)[0]
        return int(head) if head.isdigit() else None
