"""Tasks: create, submit, list, query, and the actions on them (stop, start, abort, delete, restart)."""

import json
from typing import Any, Dict, List, Optional, Tuple

from renderbus_dcc import taskschema
from renderbus_dcc.constants import ErrorCode, FrameStatus, TaskStatus
from renderbus_dcc.farm import life
from renderbus_dcc.farm.core import ACTIVE, BIDS, RESUMABLE, Call, FarmCore
from renderbus_dcc.farm.envelope import FarmError
from renderbus_dcc.farm.params import MAX_PAGE, int_field, int_list, page, str_field, time_field


class TaskOps(FarmCore):
    """Tasks: create, submit, list, query, and the actions on them (stop, start, abort, delete, restart)."""

    def op_createTask(self, call: Call, body: Dict[str, Any]) -> Any:
        count = int_field(body, "count", required=True, lo=1, hi=100) or 1
        out_user = int_field(body, "outUserId")
        level, labels, artist, clone_of = 50, "", "", None
        if call.profile == "v2":
            level = int_field(body, "taskUserLevel", default=50, lo=0, hi=100) or 0
            raw = body.get("labels")
            if isinstance(raw, list):
                labels = ",".join(str(x) for x in raw if isinstance(x, (str, int)) and not isinstance(x, bool))
            elif raw is not None:
                labels = str_field(body, "labels") or ""
            artist = str_field(body, "artist", default="") or ""
            clone_of = int_field(body, "cloneOriginalId")
            if clone_of:
                self._shell(call, clone_of)  # the original must be a task of this account
        ids = self._next_task_ids(count)
        now = self.now_ms()
        for task_id in ids:
            self.db.run("INSERT INTO tasks (id, user_id, alias, out_user_id, task_user_level, labels, artist, project_name, "
                        "created_ms) VALUES (?,?,?,?,?,?,?,?,?)", task_id, call.user_id, self._alias(task_id), out_user,
                        level, labels[:1000], artist[:200], labels.split(",")[0][:200] if labels else "", now)
            if clone_of:
                self.db.run("INSERT INTO task_settings (task_id, clone_original_id) VALUES (?, ?)", task_id, clone_of)
        return {"aliasTaskIdList": [self._alias(i) for i in ids], "taskIdList": ids, "userId": call.user_id}

    def _missing_uploads(self, call: Call, task_id: int) -> Tuple[List[str], Dict[str, Any]]:
        cfg = {name: "/%d/cfg/%s" % (task_id, name) for name in ("task.json", "upload.json")}
        missing = [p for p in cfg.values() if not self.storage.is_complete(call.user_id, BIDS["config_bid"], p)]
        if missing:
            return missing, {}
        try:
            task = json.loads(self.storage.read(call.user_id, BIDS["config_bid"], cfg["task.json"]).decode("utf-8"))
            upload = json.loads(self.storage.read(call.user_id, BIDS["config_bid"], cfg["upload.json"]).decode("utf-8"))
        except ValueError as exc:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "task %d: a task file is not JSON: %s" % (task_id, exc))
        self._check_format(call, task_id, {"task.json": task, "upload.json": upload})
        wanted: List[str] = []
        for kind in ("scene", "asset"):
            entries = upload.get(kind) or []
            for entry in entries if isinstance(entries, list) else [entries]:  # 3ds Max: one scene object
                wanted.append(entry["server"])  # (the format check made sure there is one)
        # the scene is listed twice (in "asset" too): each path looked at once
        return self.storage.missing(call.user_id, BIDS["input_bid"], list(dict.fromkeys(wanted))), task

    def _check_format(self, call: Call, task_id: int, files: Dict[str, Any]) -> None:
        """Refuse task files that do not follow their host's declared format, naming the field."""
        for name in ("asset.json", "tips.json"):  # checked when uploaded (the SDK uploads all four)
            path = "/%d/cfg/%s" % (task_id, name)
            if self.storage.is_complete(call.user_id, BIDS["config_bid"], path):
                try:
                    files[name] = json.loads(self.storage.read(call.user_id, BIDS["config_bid"], path).decode("utf-8"))
                except ValueError as exc:
                    raise FarmError(ErrorCode.PARAMETER_INVALID, "task %d: %s is not JSON: %s" % (task_id, name, exc))
        problems = taskschema.check_files(files)
        if problems:
            more = " (and %d more)" % (len(problems) - 1) if len(problems) > 1 else ""
            raise FarmError(ErrorCode.PARAMETER_INVALID, "task %d: %s%s" % (task_id, problems[0], more),
                            {"file": problems[0].file, "field": problems[0].field,
                             "problems": [str(p) for p in problems[:20]]})

    def op_submitTask(self, call: Call, body: Dict[str, Any]) -> Any:
        task_id = int_field(body, "taskId", required=True) or 0
        producer = str_field(body, "producer", default="") if call.profile == "v2" else ""
        task = self._task(call, task_id)
        if task["parent_id"]:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "task %d is a child task; submit its task %d"
                            % (task_id, task["parent_id"]))
        if task["submitted"]:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "task %d was already submitted" % task_id)
        missing, task_json = self._missing_uploads(call, task_id)
        if missing:
            shown = ", ".join(missing[:5]) + (" and %d more" % (len(missing) - 5) if len(missing) > 5 else "")
            raise FarmError(ErrorCode.PARAMETER_INVALID,
                            "task %d cannot be submitted: not completely uploaded: %s; upload them, then submit again"
                            % (task_id, shown), {"missing": missing})
        try:
            plan = life.task_plan(task_json)
        except ValueError as exc:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "task %d: %s" % (task_id, exc))
        now = self.time.now()
        render_children = [c for c in plan.children if c.task_type == "Render"]
        self._update_task(task_id, {
            "submitted": 1, "status": int(TaskStatus.ANALYSE), "submit_ms": self.now_ms(), "plan": plan.to_json(),
            "scene_name": plan.scene_name, "project_name": plan.project_name or task["project_name"], "cg_id": plan.cg_id,
            "tiles": plan.tiles, "width": plan.width, "height": plan.height, "key_value": plan.key_value,
            "frames_range": render_children[0].frames_range if render_children else "",
            "render_camera": render_children[0].camera if render_children else "", "producer": producer or "",
            "phase_until": now + life.ANALYSE_SECONDS, "next_event": now + life.ANALYSE_SECONDS,
        })
        return None

    # --- task lists -------------------------------------------------------------------------
    def op_getTaskList(self, call: Call, body: Dict[str, Any]) -> Any:
        page_num = int_field(body, "pageNum", required=True, lo=1, hi=MAX_PAGE) or 1
        page_size = int_field(body, "pageSize", required=True, lo=1, hi=1000) or 1
        statuses = int_list(body, "statusList")
        recycled = int_field(body, "recycleFlag", default=0, choices=(0, 1)) if call.profile == "v2" else 0
        where = ["user_id = ?", "parent_id = 0", "deleted = ?", "submitted = 1"]
        args: List[Any] = [call.user_id, recycled]
        if recycled:  # the deleted tasks; the other filters do not apply (as the live service documents)
            statuses = None
        if statuses:
            where.append("status IN (%s)" % ",".join("?" * len(statuses)))
            args += statuses
        if call.profile == "v2" and not recycled:
            keyword = str_field(body, "searchKeyword")
            if keyword:
                where.append("(scene_name LIKE ? OR alias LIKE ? OR CAST(id AS TEXT) LIKE ? OR project_name LIKE ?)")
                args += ["%" + keyword + "%"] * 4
            for name, op in (("startTime", ">="), ("endTime", "<=")):
                value = time_field(body, name)
                if value is not None:
                    where.append("submit_ms %s ?" % op)
                    args.append(value)
        sql = " AND ".join(where)
        total = self.db.value("SELECT COUNT(*) AS n FROM tasks WHERE " + sql, *args)
        rows = self.db.all("SELECT * FROM tasks WHERE %s ORDER BY id DESC LIMIT ? OFFSET ?" % sql,
                           *args, page_size, (page_num - 1) * page_size)
        return page(self._infos(call, rows), total, page_num, page_size)

    def op_queryTaskInfo(self, call: Call, body: Dict[str, Any]) -> Any:
        ids = int_list(body, "taskIds", required=True) or []
        rows = [self._task(call, i) for i in ids]
        shells = [r for r in rows if not r["parent_id"]]
        infos = {i["id"]: i for i in self._infos(call, shells)}
        out = []
        for r in rows:
            if r["id"] in infos:
                out.append(infos[r["id"]])
            else:  # a child task asked for directly
                parent = self._task(call, r["parent_id"])
                out.append(self._info(call, r, self._frame_stats([parent["id"]]), parent))
        return page(out, len(out), 1, 100)

    # --- task actions -----------------------------------------------------------------------
    def op_stopTask(self, call: Call, body: Dict[str, Any]) -> Any:
        for shell in self._shells(call, body):
            if shell["status"] in ACTIVE and shell["submitted"]:
                self.db.run("UPDATE frames SET status = 3, end_ft = NULL, end_ms = NULL WHERE shell_id = ? AND status IN (1, 2, 7)",
                            shell["id"])
                self._update_task(shell["id"], {"pre_status": shell["status"], "status": int(TaskStatus.STOP),
                                                "next_event": None})
        return None

    def _resume(self, shell: Dict[str, Any], now: float) -> Dict[str, Any]:
        """Values that put a stopped or finished task back to work (stopped frames wait again)."""
        photon_open = self.photon_frames(shell["id"], (1, 2, 3, 7))
        self.db.run("UPDATE frames SET status = CASE WHEN ? AND frame_type != 2 THEN 7 ELSE 1 END, start_ft = NULL, "
                    "start_ms = NULL WHERE shell_id = ? AND status = 3", 1 if photon_open else 0, shell["id"])
        previous = shell["pre_status"] if shell["status"] in RESUMABLE else TaskStatus.RENDERING
        if previous in (TaskStatus.ANALYSE, TaskStatus.WAITING):
            seconds = life.ANALYSE_SECONDS if previous == TaskStatus.ANALYSE else life.WAIT_SECONDS
            return {"status": int(previous), "pre_status": shell["status"], "phase_until": now + seconds,
                    "next_event": now + seconds}
        return {"status": int(TaskStatus.RENDERING), "pre_status": shell["status"], "sim_ft": now, "next_event": now,
                "complete_ms": None}

    def op_startTask(self, call: Call, body: Dict[str, Any]) -> Any:
        now = self.time.now()
        for shell in self._shells(call, body):
            if shell["status"] in RESUMABLE and shell["submitted"]:
                self._update_task(shell["id"], self._resume(shell, now))
        return None

    def op_abortTask(self, call: Call, body: Dict[str, Any]) -> Any:
        for shell in self._shells(call, body):
            if shell["submitted"] and (shell["status"] in ACTIVE or shell["status"] in RESUMABLE):
                self.db.run("UPDATE frames SET status = 3, end_ft = NULL, end_ms = NULL WHERE shell_id = ? AND status IN (1, 2, 7, 8)",
                            shell["id"])
                self._update_task(shell["id"], {"pre_status": shell["status"], "status": int(TaskStatus.ABANDON),
                                                "next_event": None, "complete_ms": self.now_ms()})
        return None

    def op_deleteTask(self, call: Call, body: Dict[str, Any]) -> Any:
        for shell in self._shells(call, body):
            self.db.run("UPDATE tasks SET deleted = 1, next_event = NULL WHERE id = ? OR parent_id = ?", shell["id"], shell["id"])
        return None

    def _recommit(self, shell: Dict[str, Any], *wheres: Tuple[str, List[Any]]) -> None:
        """Render again the frames of ``shell`` that match any of ``wheres`` ((SQL over frames, args) each)."""
        if shell["status"] == TaskStatus.ABANDON:
            if any(self.db.one("SELECT 1 FROM frames WHERE shell_id = ? AND (%s) LIMIT 1" % where, shell["id"], *args)
                   for where, args in wheres):
                raise FarmError(ErrorCode.PARAMETER_INVALID,
                                "task %d was abandoned; its frames cannot be rendered again" % shell["id"])
            return
        if shell["status"] in (TaskStatus.ANALYSE, TaskStatus.WAITING):
            return
        changed = 0
        for where, args in wheres:
            changed += self.db.run("UPDATE frames SET status = 1, recommit = recommit + 1, start_ft = NULL, end_ft = NULL, "
                                   "start_ms = NULL, end_ms = NULL, execute_time = 0, fee = 0 WHERE shell_id = ? AND (%s)"
                                   % where, shell["id"], *args)
        if not changed:
            return
        if self.photon_frames(shell["id"], (1, 2, 3)):
            self.db.run("UPDATE frames SET status = 7 WHERE shell_id = ? AND frame_type != 2 AND status = 1", shell["id"])
        if shell["status"] != TaskStatus.RENDERING:
            self._update_task(shell["id"], self._resume(shell, self.time.now()))
        else:
            self._update_task(shell["id"], {"next_event": self.time.now()})

    def _status_filter(self, call: Call, body: Dict[str, Any], default: Optional[List[int]]) -> Optional[List[int]]:
        if call.profile != "v2":
            return default
        return int_list(body, "status") or default

    def op_restartFailedFrames(self, call: Call, body: Dict[str, Any]) -> Any:
        statuses = self._status_filter(call, body, [int(FrameStatus.FAILED)]) or [5]
        for shell in self._shells(call, body):
            self._recommit(shell, ("status IN (%s)" % ",".join("?" * len(statuses)), list(statuses)))
        return None

    def _pick_frames(self, call: Call, body: Dict[str, Any]) -> Tuple[Dict[str, Any], List[Dict[str, Any]]]:
        """The shell and the frames a restartFrame / stopTaskFrames body names (``selectAll``, ``ids``, v2 ``status``)."""
        task_id = int_field(body, "taskId", required=True) or 0
        select_all = int_field(body, "selectAll", default=0, choices=(0, 1))
        ids = int_list(body, "ids")
        statuses = self._status_filter(call, body, None)
        task = self._task(call, task_id)
        shell = self._task(call, task["parent_id"]) if task["parent_id"] else task
        column = "task_id" if task["parent_id"] else "shell_id"
        rows = self.db.all("SELECT id, status FROM frames WHERE %s = ?" % column, task_id)
        if select_all:
            return shell, [r for r in rows if not statuses or r["status"] in statuses]
        if not ids:
            raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "ids is required when selectAll is 0")
        known = {r["id"]: r for r in rows}
        strangers = [i for i in ids if i not in known]
        if strangers:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "frames %s are not frames of task %d" % (strangers[:20], task_id))
        return shell, [known[i] for i in dict.fromkeys(ids)]

    def op_restartFrame(self, call: Call, body: Dict[str, Any]) -> Any:
        shell, frames = self._pick_frames(call, body)
        ids = [f["id"] for f in frames]
        parts = [ids[i:i + 500] for i in range(0, len(ids), 500)]  # (SQLite's limit of 999 values)
        self._recommit(shell, *[("id IN (%s)" % ",".join("?" * len(part)), list(part)) for part in parts])
        return None
