"""Frames: pages of a task's frames, the account's frame counts, progress images."""

import hmac
from typing import Any, Dict, List, Optional, Tuple

from renderbus_dcc.constants import FrameStatus
from renderbus_dcc.farm.auth import grab_token
from renderbus_dcc.farm.core import WAITING_FRAMES, Call, FarmCore
from renderbus_dcc.farm.params import MAX_PAGE, fmt_ms, int_field, page, str_field


#: How long a progress picture's URL works (seconds).
GRAB_SECONDS = 3600


#: Most frame blocks a progress image (loadTaskProcessImg) lists: the running ones, then the latest ended.
GRAB_BLOCKS = 200


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
        if keyword:
            where = ("task_id = ?" if task["parent_id"] else "shell_id = ?") + " AND frame_index LIKE ?"
            args: List[Any] = [task_id, "%" + keyword + "%"]
            total = self.db.value("SELECT COUNT(*) AS n FROM frames WHERE " + where, *args)
            rows = self.db.all("SELECT * FROM frames WHERE %s ORDER BY ord, seq LIMIT ? OFFSET ?" % where,
                               *args, page_size, (page_num - 1) * page_size)
        else:
            total, rows = self._frame_page(task, (page_num - 1) * page_size, page_size)
        now = self.time.now()
        over_ms = int(call.user["task_over_time_sec"]) * 1000
        return page([self._frame_info(call, f, now, over_ms) for f in rows], total, page_num, page_size)

    def _frame_page(self, task: Dict[str, Any], offset: int, size: int) -> Tuple[int, List[Dict[str, Any]]]:
        """(how many frames ``task`` has, ``size`` of them from ``offset`` in (ord, seq) order).

        A child task's frames are numbered 0, 1, 2... (``seq``) and never removed, so a page is
        a range of ``seq`` in each child task, found from the children's counts: any page of a
        100,000-frame task costs what the page holds.
        """
        if task["parent_id"]:
            children = [task["id"]]
        else:
            children = [r["id"] for r in self.db.all("SELECT id FROM tasks WHERE parent_id = ? ORDER BY ord", task["id"])]
        sizes: Dict[int, int] = {c: 0 for c in children}
        if children:
            for r in self.db.all("SELECT task_id, SUM(n) AS n FROM frame_counts WHERE task_id IN (%s) GROUP BY task_id"
                                 % ",".join("?" * len(children)), *children):
                sizes[r["task_id"]] = r["n"] or 0
        rows: List[Dict[str, Any]] = []
        skip = offset
        for child in children:
            if len(rows) >= size:
                break
            if skip >= sizes[child]:
                skip -= sizes[child]
                continue
            rows += self.db.all("SELECT * FROM frames WHERE task_id = ? AND seq >= ? ORDER BY seq LIMIT ?",
                                child, skip, size - len(rows))
            skip = 0
        return sum(sizes.values()), rows

    def op_queryAllFrameStats(self, call: Call, body: Dict[str, Any]) -> Any:
        rows = self.db.all("SELECT c.status, SUM(c.n) AS n FROM frame_counts c JOIN tasks t ON t.id = c.shell_id "
                           "WHERE t.user_id = ? AND t.deleted = 0 GROUP BY c.status", call.user_id)
        counts = {r["status"]: r["n"] or 0 for r in rows}
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
            rows = self._grab_rows([c["id"] for c in chosen])
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

    def _grab_rows(self, task_ids: List[int]) -> List[Dict[str, Any]]:
        """The frame blocks a progress image shows: the running ones and the latest that ended,
        :data:`GRAB_BLOCKS` at most (a 100,000-frame task's image is not 100,000 blocks)."""
        marks = ",".join("?" * len(task_ids))
        rows = self.db.all("SELECT * FROM frames WHERE task_id IN (%s) AND status = 2" % marks, *task_ids)
        for status in (4, 5):
            rows += self.db.all("SELECT * FROM frames WHERE task_id IN (%s) AND status = ? ORDER BY ord DESC, seq DESC "
                                "LIMIT ?" % marks, *task_ids, status, GRAB_BLOCKS)
        running = [r for r in rows if r["status"] == 2]
        ended = sorted((r for r in rows if r["status"] != 2), key=lambda r: (r["ord"], r["seq"]))
        rows = running + ended[max(0, len(ended) - max(0, GRAB_BLOCKS - len(running))):]
        return sorted(rows, key=lambda r: (r["ord"], r["frame_no"], r["block"]))

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
