"""The live service's task management beyond the document (profile v2, as the official SDK calls it):
priority, stopping frames, render logs, frame thumbnails, task labels, time-outs, machine limits,
full speed and hardware."""

import json
from typing import Any, Dict, List

from renderbus_dcc.constants import ErrorCode, FrameStatus, TaskStatus
from renderbus_dcc.farm.core import Call
from renderbus_dcc.farm.envelope import FarmError
from renderbus_dcc.farm.ops_frames import FrameOps
from renderbus_dcc.farm.ops_tasks import TaskOps
from renderbus_dcc.farm.params import MAX_PAGE, fmt_ms, int_field, int_list, page, str_field

#: Lines of a render log per page of showLog.
LOG_PAGE_LINES = 100


class ManageOps(TaskOps, FrameOps):
    """Priority, stopping frames, render logs, thumbnails, task labels, time-outs, limits, hardware."""

    def _setting(self, task_id: int, **values: Any) -> None:
        self.db.run("INSERT OR IGNORE INTO task_settings (task_id) VALUES (?)", task_id)
        cols = sorted(values)
        self.db.run("UPDATE task_settings SET %s WHERE task_id = ?" % ", ".join("%s = ?" % c for c in cols),
                    *[values[c] for c in cols], task_id)

    def op_updateTaskUserLevel(self, call: Call, body: Dict[str, Any]) -> Any:
        """The task's priority among the account's tasks (the SDK documents 50 and 60; 0 to 100 taken)."""
        task_id = int_field(body, "taskId", required=True) or 0
        level = int_field(body, "taskUserLevel", required=True, lo=0, hi=100)
        shell = self._shell(call, task_id)
        self.db.run("UPDATE tasks SET task_user_level = ? WHERE id = ? OR parent_id = ?", level, shell["id"], shell["id"])
        return None

    def op_stopTaskFrames(self, call: Call, body: Dict[str, Any]) -> Any:
        """Stop frames (``selectAll`` or ``ids``, v2 ``status`` filter): waiting and rendering ones stop (3);
        restartFrame renders them again. Frames already over are left as they are."""
        shell, frames = self._pick_frames(call, body)
        open_ids = [f["id"] for f in frames if f["status"] in (1, 2, 7)]
        if not open_ids:
            return None
        if shell["status"] == TaskStatus.ABANDON:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "task %d was abandoned" % shell["id"])
        for start in range(0, len(open_ids), 500):
            part = open_ids[start:start + 500]
            self.db.run("UPDATE frames SET status = ?, end_ft = NULL, end_ms = NULL WHERE id IN (%s)"
                        % ",".join("?" * len(part)), int(FrameStatus.STOPPED), *part)
        if shell["status"] == TaskStatus.RENDERING:
            self._update_task(shell["id"], {"next_event": self.time.now()})
        return None

    def op_showLog(self, call: Call, body: Dict[str, Any]) -> Any:
        """A frame's render log, by pages of LOG_PAGE_LINES lines: ``id`` (frame), ``renderingType``."""
        frame_id = int_field(body, "id", required=True) or 0
        kind = (str_field(body, "renderingType", default="render") or "render")[:32]
        page_num = int_field(body, "pageNum", default=1, lo=1, hi=MAX_PAGE) or 1
        page_size = int_field(body, "pageSize", default=1, lo=1, hi=100) or 1
        frame = self.db.one("SELECT * FROM frames WHERE id = ?", frame_id)
        if frame is None:
            raise FarmError(ErrorCode.RESOURCE_NOT_FOUND, "frame %d not found" % frame_id)
        task = self._task(call, frame["task_id"])
        lines = self._log_lines(task, frame, kind)
        pages = [lines[i:i + LOG_PAGE_LINES] for i in range(0, len(lines), LOG_PAGE_LINES)] or [[]]
        chosen = [line for part in pages[page_num - 1:page_num - 1 + page_size] for line in part]
        data = page(chosen, len(lines), page_num, page_size)
        data.update(pageCount=len(pages), renderingType=kind, frameId=frame_id, frameIndex=frame["frame_index"])
        return data

    def _log_lines(self, task: Dict[str, Any], frame: Dict[str, Any], kind: str) -> List[str]:
        status = frame["status"]
        lines = ["[%s] %s log of frame %s, task %d (%s), scene %s" % (
            fmt_ms(frame["start_ms"]) or "-", kind, frame["frame_index"], task["id"], task["task_type"] or "Render",
            task["scene_name"])]
        if frame["recommit"]:
            lines.append("render attempt %d" % (frame["recommit"] + 1))
        if frame["start_ms"] is None:
            lines.append("waiting for a render node (frame status %d)" % status)
            return lines
        lines.append("[%s] render node started frame %s" % (fmt_ms(frame["start_ms"]), frame["frame_index"]))
        lines += ["rendering %d%%" % pct for pct in range(10, 100, 10)] if status != FrameStatus.RUNNING else []
        if status == FrameStatus.DONE:
            lines.append("[%s] frame %s done in %d s" % (fmt_ms(frame["end_ms"]), frame["frame_index"],
                                                         frame["execute_time"]))
        elif status == FrameStatus.FAILED:
            lines.append("[%s] frame %s failed: the render process ended with an error" % (fmt_ms(frame["end_ms"]),
                                                                                       frame["frame_index"]))
        elif status == FrameStatus.STOPPED:
            lines.append("frame %s was stopped" % frame["frame_index"])
        else:
            lines.append("rendering...")
        return lines

    def op_loadingFrameThumbnail(self, call: Call, body: Dict[str, Any]) -> Any:
        """The thumbnail of a finished frame: a list of one picture URL (signed, expiring); [] before it is done."""
        frame_id = int_field(body, "id", required=True) or 0
        int_field(body, "frameStatus", required=True)
        frame = self.db.one("SELECT * FROM frames WHERE id = ?", frame_id)
        if frame is None:
            raise FarmError(ErrorCode.RESOURCE_NOT_FOUND, "frame %d not found" % frame_id)
        self._task(call, frame["task_id"])
        if frame["status"] != FrameStatus.DONE:
            return []
        return [self.grab_url(call, frame_id, 100)]

    # --- labels on tasks -----------------------------------------------------------------------
    def op_addTaskLabel(self, call: Call, body: Dict[str, Any]) -> Any:
        label = (str_field(body, "label", required=True) or "").strip()
        if not label or "," in label or len(label) > 100:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "label must be a name of 1 to 100 characters without commas")
        for shell in self._shells(call, body):
            names = [n for n in shell["labels"].split(",") if n]
            if label not in names:
                self.db.run("UPDATE tasks SET labels = ? WHERE id = ?", ",".join(names + [label]), shell["id"])
        if not self.db.one("SELECT id FROM labels WHERE user_id = ? AND name = ?", call.user_id, label):
            self.db.run("INSERT INTO labels (user_id, name, status) VALUES (?, ?, 0)", call.user_id, label)
        return None

    def op_deleteTaskLabel(self, call: Call, body: Dict[str, Any]) -> Any:
        names = body.get("labelNames") or []
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise FarmError(ErrorCode.PARAMETER_INVALID, "labelNames must be a list of label names")
        label_ids = int_list(body, "labelIds") or []
        if label_ids:
            rows = self.db.all("SELECT name FROM labels WHERE user_id = ? AND id IN (%s)" % ",".join("?" * len(label_ids)),
                               call.user_id, *label_ids)
            names = names + [r["name"] for r in rows]
        if not names:
            raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "labelNames or labelIds is required")
        for shell in self._shells(call, body):
            kept = [n for n in shell["labels"].split(",") if n and n not in names]
            self.db.run("UPDATE tasks SET labels = ? WHERE id = ?", ",".join(kept), shell["id"])
        return None

    # --- limits and settings of a task ---------------------------------------------------------
    def op_setTaskOverTimeStop(self, call: Call, body: Dict[str, Any]) -> Any:
        """A frame rendering longer than ``overTime`` seconds is a time-out (shown as the task's taskOverTime)."""
        seconds = int_field(body, "overTime", required=True, lo=60, hi=30 * 86400)
        for shell in self._shells(call, body):
            self._setting(shell["id"], over_time_sec=seconds)
        return None

    def op_fullSpeedRendering(self, call: Call, body: Dict[str, Any]) -> Any:
        """Render at full speed: the task takes every render node it can (on this farm it already does)."""
        for shell in self._shells(call, body):
            self._setting(shell["id"], full_speed=1)
        return None

    def op_updateTaskLimit(self, call: Call, body: Dict[str, Any]) -> Any:
        """The most render nodes the task may take at once (its taskLimit)."""
        task_id = int_field(body, "taskId", required=True) or 0
        limit = int_field(body, "taskLimit", required=True, lo=1, hi=10000)
        self._setting(self._shell(call, task_id)["id"], task_limit=limit)
        return None

    def op_editTaskHardwareConfig(self, call: Call, body: Dict[str, Any]) -> Any:
        """The hardware the task renders on: ids of hardwareConfig/list, with its model, gpuNum and ram."""
        wanted = body.get("hardwareConfigIds")
        if not isinstance(wanted, list) or not wanted:
            raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "hardwareConfigIds is required (ids of hardwareConfig/list)")
        known = {str(c["id"]): c for c in self.hardware_configs(call)}
        unknown = [str(i)[:20] for i in wanted if str(i) not in known]
        if unknown:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "hardwareConfigIds %s are not in hardwareConfig/list" % unknown[:10])
        choice: Dict[str, Any] = {"hardwareConfigIds": [str(i) for i in wanted]}
        for name in ("model", "gpuNum", "ram"):
            choice[name] = str_field(body, name, required=True)
        for shell in self._shells(call, body):
            self._setting(shell["id"], hardware=json.dumps(choice))
        return None

    def hardware_configs(self, call: Call) -> List[Dict[str, Any]]:
        """The farm's machines, as hardwareConfig/list gives them."""
        platform = int(call.user["platform"])
        base = {"platform": platform, "status": 1, "notSupportCgId": [], "notSupportCode": [],
                "notSupportCgVersions": [], "notSupportPluginList": []}
        return [
            dict(base, id=1, model="Default", ram="64GB", gpuNum=None, cpuPrice=0.67, description="CPU, 64 GB"),
            dict(base, id=2, model="Default", ram="128GB", gpuNum=None, cpuPrice=1.34, description="CPU, 128 GB"),
            dict(base, id=3, model="1080Ti", ram="64GB", gpuNum="2*GPU", gpuPrice=20, description="2 GPUs, 64 GB",
                 notSupportCgId=[2001]),
        ]
