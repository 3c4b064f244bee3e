"""Frames: pages of a task's frames, the account's frame counts, progress images."""

import hmac
from typing import Any, Dict, List, Optional, Tuple

from renderbus_dcc.constants import FrameStatus
from renderbus_dcc.farm.auth import grab_token
from renderbus_dcc.farm.core import WAITING_FRAMES, Call, FarmCore
from renderbus_dcc.farm.params import MAX_PAGE, fmt_ms, int_field, page, str_field


#: How long a progress picture's URL works (seconds).
GRAB_SECONDS = 3600


class FrameOps(FarmCore):
    """Frames: pages of a task's frames, the account's frame counts, progress images."""

    def _frame_info(self, call: Call, f: Dict[str, Any], now: float, over_ms: int) -> Dict[str, Any]:
        v2 = call.profile == "v2"
        running = f["status"] == FrameStatus.RUNNING
        return {
            "id": f["id"], "userId": None, "framePrice": None, "feeType": None, "platform": None,
            "frameIndex": f["frame_index"], "frameStatus": f["status"], "feeAmount": f["fee"],
            "startTime": f["start_ms"], "endTime": None if running else f["end_ms"],
            "frameExecuteTime": int(max(0.0, now - f["start_ft"])) if running and f["start_ft"] is not None else f["execute_time"],
            "frameStatusText": "task_frame_status_%d" % f["status"],
            ("arrearsFee" if v2 else "arrearFee"): 0, ("menuJobId" if v2 else "munuJobId"): str(f["seq"]),
            "taskId": f["task_id"], ("menuTaskId" if v2 else "munuTaskId"): "%d%05d" % (20250000, f["task_id"] % 100000),
            "frameType": f["frame_type"], "couponFee": 0, "recommitFlag": f["recommit"], "isCopy": None,
            "frameBlock": str(f["block"]), "taskOverTime": over_ms, "gopName": None, "frameRam": None,
        }

    def op_queryTaskFrames(self, call: Call, body: Dict[str, Any]) -> Any:
        task_id = int_field(body, "taskId", required=True) or 0
        page_num = int_field(body, "pageNum", default=1, lo=1, hi=MAX_PAGE) or 1
        page_size = int_field(body, "pageSize", default=20, lo=1, hi=1000) or 20
        keyword = str_field(body, "searchKeyword")
        task = self._task(call, task_id)
        where = "task_id = ?" if task["parent_id"] else "shell_id = ?"
        args: List[Any] = [task_id]
        if keyword:
            where += " AND frame_index LIKE ?"
            args.append("%" + keyword + "%")
        total = self.db.value("SELECT COUNT(*) AS n FROM frames WHERE " + where, *args)
        rows = self.db.all("SELECT * FROM frames WHERE %s ORDER BY ord, seq LIMIT ? OFFSET ?" % where,
                           *args, page_size, (page_num - 1) * page_size)
        now = self.time.now()
        over_ms = int(call.user["task_over_time_sec"]) * 1000
        return page([self._frame_info(call, f, now, over_ms) for f in rows], total, page_num, page_size)

    def op_queryAllFrameStats(self, call: Call, body: Dict[str, Any]) -> Any:
        rows = self.db.all("SELECT f.status, COUNT(*) AS n FROM frames f JOIN tasks t ON t.id = f.shell_id "
                           "WHERE t.user_id = ? AND t.deleted = 0 GROUP BY f.status", call.user_id)
        counts = {r["status"]: r["n"] for r in rows}
        return {"executingFramesTotal": counts.get(2, 0), "doneFramesTotal": counts.get(4, 0),
                "failedFramesTotal": counts.get(5, 0),
                "waitingFramesTotal": sum(counts.get(s, 0) for s in WAITING_FRAMES),
                "totalFrames": sum(counts.values())}

    def op_loadTaskProcessImg(self, call: Call, body: Dict[str, Any]) -> Any:
        task_id = int_field(body, "taskId", required=True) or 0
        frame_type = int_field(body, "frameType", choices=(2, 5))
        shell = self._shell(call, task_id)
        children = self.db.all("SELECT * FROM tasks WHERE parent_id = ? ORDER BY ord", shell["id"])
        photon = [c for c in children if c["task_type"] == "RenderPhoton"]
        renders = [c for c in children if c["task_type"] == "Render"]
        if frame_type is None:
            open_photon = photon and self.db.value(
                "SELECT COUNT(*) AS n FROM frames WHERE task_id = ? AND status IN (1, 2, 7)", photon[0]["id"])
            chosen = photon if open_photon else renders
        else:
            chosen = photon if frame_type == 2 else renders
        now = self.time.now()
        grab: List[List[Dict[str, str]]] = []
        if chosen:
            rows = self.db.all("SELECT * FROM frames WHERE task_id IN (%s) AND status IN (2, 4, 5) ORDER BY ord, frame_no, block"
                               % ",".join("?" * len(chosen)), *[c["id"] for c in chosen])
            by_frame: Dict[Tuple[int, int], List[Dict[str, str]]] = {}
            for f in rows:
                by_frame.setdefault((f["ord"], f["frame_no"]), []).append(self._grab(call, f, now))
            grab = list(by_frame.values())
        camera = shell["render_camera"].split(",")[0] if shell["render_camera"] else ""
        return {
            "width": shell["width"], "height": shell["height"], "block": shell["tiles"], "isRenderPhoton": bool(photon),
            "currentTaskType": "RenderPhoton" if chosen and chosen is photon else "Render",
            "sceneName": shell["scene_name"] + ("-" + camera if camera else ""),
            "startTime": fmt_ms(shell["start_ms"]), "endTime": fmt_ms(shell["complete_ms"]), "grabInfo": grab,
        }

    def _grab(self, call: Call, f: Dict[str, Any], now: float) -> Dict[str, str]:
        if f["status"] == FrameStatus.RUNNING and f["start_ft"] is not None and f["end_ft"]:
            span = max(1e-6, f["end_ft"] - f["start_ft"])
            percent = int(max(0.0, min(99.0, (now - f["start_ft"]) * 100.0 / span)))
            used, est = int(max(0.0, now - f["start_ft"])), int(max(0.0, f["end_ft"] - now))
        else:
            percent, used, est = 100, f["execute_time"], 0
        return {
            "startTime": fmt_ms(f["start_ms"]), "endTime": fmt_ms(f["end_ms"]) if f["status"] != FrameStatus.RUNNING else "",
            "frameStatus": str(f["status"]), "isMaxPrice": "0", "feeAmount": "%.2f" % f["fee"], "couponFee": "0.00",
            "frameIndex": str(f["frame_no"]), "frameBlock": str(f["block"]), "framePercent": str(percent),
            "frameUsed": str(used), "frameEst": str(est),
            "renderInfo": "rendering %d%%" % percent if f["status"] == FrameStatus.RUNNING else "",
            "grabUrl": self.grab_url(call, f["id"], percent),
        }

    def grab_url(self, call: Call, frame_id: int, percent: int) -> str:
        """A progress picture's URL: it carries its expiry and a token made with the account's key."""
        expires = int(self.time.clock()) + GRAB_SECONDS
        return "http://%s/farm/grab/%d/%d.png?t=%d&s=%s" % (
            call.host, frame_id, percent, expires, grab_token(call.user["access_key"], frame_id, percent, expires))

    def grab_png(self, frame_text: str, percent_text: str, expires_text: str, token: str, now: float) -> Optional[bytes]:
        """The progress picture behind a grabUrl; None unless the URL is whole, unexpired and the frame's owner's."""
        from renderbus_dcc.farm.images import progress_png

        texts = (frame_text, percent_text, expires_text)
        if not all(t.isdigit() and len(t) <= 18 for t in texts) or int(percent_text) > 100:
            return None
        frame_id, percent, expires = (int(t) for t in texts)
        if expires < now:
            return None
        with self.db.transaction():
            row = self.db.one("SELECT f.frame_no, t.width, t.height, a.access_key FROM frames f "
                              "JOIN tasks t ON t.id = f.shell_id JOIN accounts a ON a.user_id = t.user_id "
                              "WHERE f.id = ? AND t.deleted = 0", frame_id)
        if row is None or not hmac.compare_digest(grab_token(row["access_key"], frame_id, percent, expires), token):
            return None
        return progress_png(*self._thumb_size(row), row["frame_no"], percent)
