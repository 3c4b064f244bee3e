"""One handler per operation of the protocol, over the farm's database.

:class:`FarmAPI` holds the state (database, file store, catalogue, farm time) and answers
``handle(operation, call, body) -> data``; errors are :class:`FarmError`. Each call first
plays the life of every running task up to "now" (lazily: nothing runs between requests, and
nothing is lost when the farm stops, since the farm's clock stops with it).
"""

import json
import logging
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from renderbus_dcc.constants import ErrorCode, FrameStatus, FrameType, TaskStatus
from renderbus_dcc.farm import life
from renderbus_dcc.farm.catalogue import Catalogue
from renderbus_dcc.farm.db import FarmDB
from renderbus_dcc.farm.envelope import FarmError
from renderbus_dcc.farm.images import frame_png
from renderbus_dcc.farm.transfer import Storage

__all__ = ["FarmAPI", "FarmTime", "Call", "BIDS"]

log = logging.getLogger(__name__)

#: Transfer ids of every account (files are kept per account).
BIDS = {"config_bid": "30201", "output_bid": "20201", "input_bid": "10201"}

_ACTIVE = (int(TaskStatus.ANALYSE), int(TaskStatus.WAITING), int(TaskStatus.RENDERING))
_RESUMABLE = (int(TaskStatus.STOP), int(TaskStatus.ARREARAGE_STOP), int(TaskStatus.TIME_OUT_STOP))
_FINISHED = (int(TaskStatus.FINISHED), int(TaskStatus.FINISHED_HAS_FAILED))
_WAITING_FRAMES = (1, 6, 7, 8, 9, 10)
_FIRST_TASK_ID = 19000


class FarmTime:
    """Farm time (seconds) runs ``speed`` times the wall clock, from where the farm last stopped."""

    def __init__(self, clock: Callable[[], float], speed: float, start_ft: float) -> None:
        if speed <= 0:
            raise ValueError("speed must be more than 0")
        self.clock = clock
        self.speed = float(speed)
        self.base_real = clock()
        self.base_ft = float(start_ft)

    def now(self) -> float:
        return self.base_ft + (self.clock() - self.base_real) * self.speed

    def wall_ms(self, ft: float) -> int:
        """The wall-clock time (ms) at which farm time ``ft`` is reached in this run."""
        return int(round((self.base_real + (ft - self.base_ft) / self.speed) * 1000))


@dataclass
class Call:
    """Who calls, and how: the account row, the profile ("v1"/"v2"), the Host the client used."""

    user: Dict[str, Any]
    profile: str
    host: str

    @property
    def user_id(self) -> int:
        return int(self.user["user_id"])


# --- field readers: 601 for missing, 600 for wrong type or value --------------------------------
def _missing(body: Dict[str, Any], name: str) -> bool:
    return body.get(name) is None or body.get(name) == ""


def _to_int(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise FarmError(ErrorCode.PARAMETER_INVALID, "%s must be an integer, not a boolean" % name)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise FarmError(ErrorCode.PARAMETER_INVALID, "%s must be an integer, got %r" % (name, value))


def _int(body: Dict[str, Any], name: str, required: bool = False, default: Optional[int] = None,
         lo: Optional[int] = None, hi: Optional[int] = None, choices: Sequence[int] = ()) -> Optional[int]:
    if _missing(body, name):
        if required:
            raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "%s is required" % name)
        return default
    value = _to_int(name, body[name])
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        bounds = "from %s to %s" % (lo, hi) if lo is not None and hi is not None else (
            "at least %s" % lo if lo is not None else "at most %s" % hi)
        raise FarmError(ErrorCode.PARAMETER_INVALID, "%s must be %s, got %s" % (name, bounds, value))
    if choices and value not in choices:
        raise FarmError(ErrorCode.PARAMETER_INVALID,
                        "%s must be one of %s, got %s" % (name, ", ".join(map(str, choices)), value))
    return value


def _str(body: Dict[str, Any], name: str, required: bool = False, default: Optional[str] = None) -> Optional[str]:
    if _missing(body, name):
        if required:
            raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "%s is required" % name)
        return default
    value = body[name]
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise FarmError(ErrorCode.PARAMETER_INVALID, "%s must be a string, got %r" % (name, value))
    return str(value)


def _int_list(body: Dict[str, Any], name: str, required: bool = False) -> Optional[List[int]]:
    value = body.get(name)
    if value is None or value == []:
        if required:
            raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "%s is required (a list of integers)" % name)
        return None if value is None else []
    if not isinstance(value, list):
        raise FarmError(ErrorCode.PARAMETER_INVALID, "%s must be a list of integers, got %r" % (name, value))
    return [_to_int("%s[%d]" % (name, i), item) for i, item in enumerate(value)]


def _page(items: List[Any], total: int, page_num: int, page_size: int) -> Dict[str, Any]:
    return {"pageCount": (total + page_size - 1) // page_size, "pageNum": page_num, "total": total,
            "size": page_size, "items": items}


def _fmt_ms(ms: Optional[int]) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ms / 1000.0)) if ms else ""


class FarmAPI:
    """The farm's operations. Thread-safe: every call holds the database lock."""

    def __init__(self, db: FarmDB, storage: Storage, catalogue: Catalogue, farm_time: FarmTime,
                 seed: Any = None, fail_rate: float = 0.0, nodes: int = life.NODES) -> None:
        self.db = db
        self.storage = storage
        self.catalogue = catalogue
        self.time = farm_time
        self.seed = seed
        self.fail_rate = float(fail_rate)
        self.nodes = int(nodes)
        self.lock = db.lock
        self._saved_ft = 0.0

    # --- entry point -----------------------------------------------------------------
    def handle(self, operation: str, call: Call, body: Dict[str, Any]) -> Any:
        handler = getattr(self, "op_" + operation, None)
        if handler is None:  # pragma: no cover - every operation has a handler
            raise FarmError(ErrorCode.RESOURCE_NOT_FOUND, "no such operation %s" % operation)
        with self.db.transaction():
            self.advance()
            return handler(call, body)

    def now_ms(self) -> int:
        return int(round(self.time.clock() * 1000))

    # --- the life ----------------------------------------------------------------------
    def advance(self) -> None:
        """Play every running task up to now."""
        now = self.time.now()
        with self.db.transaction():
            rows = self.db.all(
                "SELECT * FROM tasks WHERE parent_id = 0 AND submitted = 1 AND deleted = 0 "
                "AND next_event IS NOT NULL AND next_event <= ?", now)
            for shell in rows:
                self._advance_shell(shell, now)
            if rows or now - self._saved_ft > 5.0 * self.time.speed:  # at most every 5 s of an idle farm
                self.save_time(now)

    def save_time(self, now: Optional[float] = None) -> None:
        now = self.time.now() if now is None else now
        self._saved_ft = now
        self.db.set_meta("farm_time", repr(now))

    def _advance_shell(self, shell: Dict[str, Any], now: float) -> None:
        status = shell["status"]
        upd: Dict[str, Any] = {}
        while True:
            if status == TaskStatus.ANALYSE:
                if now < shell["phase_until"]:
                    upd["next_event"] = shell["phase_until"]
                    break
                self._make_children(shell)
                status = int(TaskStatus.WAITING)
                shell["phase_until"] = shell["phase_until"] + life.WAIT_SECONDS
                upd.update(status=status, phase_until=shell["phase_until"], next_event=shell["phase_until"])
                continue
            if status == TaskStatus.WAITING:
                if now < shell["phase_until"]:
                    break
                status = int(TaskStatus.RENDERING)
                shell["sim_ft"] = shell["phase_until"]
                upd.update(status=status, start_ms=shell["start_ms"] or self.time.wall_ms(shell["phase_until"]))
                continue
            if status == TaskStatus.RENDERING:
                upd.update(self._play(shell, now))
            break
        if upd:
            self._update_task(shell["id"], upd)

    def _fate(self, tiles: int) -> Callable[[life.FrameState], Tuple[float, bool]]:
        def fate(f: life.FrameState) -> Tuple[float, bool]:
            return life.frame_fate(self.seed, f.id, f.recommit, f.frame_type,
                                   1 if f.frame_type == FrameType.PHOTON else tiles, self.fail_rate)
        return fate

    def _play(self, shell: Dict[str, Any], now: float) -> Dict[str, Any]:
        rows = self.db.all("SELECT * FROM frames WHERE shell_id = ? AND status IN (1, 2, 7)", shell["id"])
        states = [life.FrameState(r["id"], r["ord"], r["seq"], r["status"], r["frame_type"], r["recommit"],
                                  r["start_ft"], r["end_ft"], r["start_ms"], r["end_ms"], r["execute_time"], r["fee"])
                  for r in rows]
        sim = shell["sim_ft"] if shell["sim_ft"] is not None else now
        changed, over, next_event = life.run_frames(states, sim, now, self._fate(shell["tiles"]),
                                                    self.time.wall_ms, self.nodes)
        self.db.many(
            "UPDATE frames SET status=?, start_ft=?, end_ft=?, start_ms=?, end_ms=?, execute_time=?, fee=? WHERE id=?",
            [(f.status, f.start_ft, f.end_ft, f.start_ms, f.end_ms, f.execute_time, f.fee, f.id)
             for f in states if f.id in changed])
        if over is None:
            return {"sim_ft": now, "next_event": next_event if next_event is not None else now}
        failed = self.db.value("SELECT COUNT(*) AS n FROM frames WHERE shell_id = ? AND status = 5", shell["id"])
        status = TaskStatus.FINISHED_HAS_FAILED if failed else TaskStatus.FINISHED
        return {"status": int(status), "sim_ft": over, "next_event": None, "complete_ms": self.time.wall_ms(over)}

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

    @staticmethod
    def _thumb_size(task: Mapping[str, Any]) -> Tuple[int, int]:
        width, height = max(1, task["width"] or 1920), max(1, task["height"] or 1080)
        return 96, max(8, min(192, 96 * height // width))

    def _make_children(self, shell: Dict[str, Any]) -> None:
        plan = life.TaskPlan.from_dict(json.loads(shell["plan"]))
        has_photon = any(c.task_type == "RenderPhoton" for c in plan.children)
        next_id = self._next_task_ids(len(plan.children))
        frames = []
        for ord_, (child, child_id) in enumerate(zip(plan.children, next_id)):
            self.db.run(
                "INSERT INTO tasks (id, user_id, parent_id, alias, ord, task_type, status, submitted, scene_name, "
                "project_name, cg_id, layer_name, render_camera, frames_range, key_value, width, height, tiles, "
                "created_ms, submit_ms) VALUES (?,?,?,?,?,?,?,1,?,?,?,?,?,?,?,?,?,?,?,?)",
                child_id, shell["user_id"], shell["id"], self._alias(child_id), ord_, child.task_type,
                int(TaskStatus.WAITING), shell["scene_name"], shell["project_name"], shell["cg_id"], child.layer_name,
                child.camera, child.frames_range, shell["key_value"], shell["width"], shell["height"], shell["tiles"],
                shell["created_ms"], shell["submit_ms"])
            photon = child.task_type == "RenderPhoton"
            blocks = 1 if photon else shell["tiles"]
            status = FrameStatus.WAITING if photon or not has_photon else FrameStatus.WAIT_PHOTON_FRAME
            seq = 0
            for frame_no in child.frames:
                for block in range(1, blocks + 1):
                    index = "%d-%d" % (frame_no, block) if blocks > 1 else str(frame_no)
                    frames.append((child_id, shell["id"], ord_, seq, frame_no, index, block,
                                   int(FrameType.PHOTON if photon else FrameType.MAIN), int(status)))
                    seq += 1
        self.db.many("INSERT INTO frames (task_id, shell_id, ord, seq, frame_no, frame_index, block, frame_type, status) "
                     "VALUES (?,?,?,?,?,?,?,?,?)", frames)

    def _next_task_ids(self, count: int) -> List[int]:
        first = max(_FIRST_TASK_ID, (self.db.value("SELECT MAX(id) FROM tasks") or 0) + 1)
        return list(range(first, first + count))

    @staticmethod
    def _alias(task_id: int) -> str:
        return "2W%d" % task_id

    def _update_task(self, task_id: int, values: Dict[str, Any]) -> None:
        cols = sorted(values)
        self.db.run("UPDATE tasks SET %s WHERE id = ?" % ", ".join("%s = ?" % c for c in cols),
                    *[values[c] for c in cols], task_id)

    # --- tasks: lookup and rows ----------------------------------------------------------
    def _task(self, call: Call, task_id: int) -> Dict[str, Any]:
        row = self.db.one("SELECT * FROM tasks WHERE id = ?", task_id)
        if row is None or row["deleted"]:
            raise FarmError(ErrorCode.RESOURCE_NOT_FOUND, "task %d not found" % task_id)
        if row["user_id"] != call.user_id:
            raise FarmError(ErrorCode.FORBIDDEN, "task %d belongs to another account" % task_id)
        return row

    def _shell(self, call: Call, task_id: int) -> Dict[str, Any]:
        row = self._task(call, task_id)
        return self._task(call, row["parent_id"]) if row["parent_id"] else row

    def _shells(self, call: Call, body: Dict[str, Any]) -> List[Dict[str, Any]]:
        ids = _int_list(body, "taskIds", required=True) or []
        out: Dict[int, Dict[str, Any]] = {}
        for task_id in ids:
            shell = self._shell(call, task_id)
            out[shell["id"]] = shell
        return list(out.values())

    def _frame_stats(self, shell_ids: Sequence[int]) -> Dict[int, Dict[str, Any]]:
        """Per task id (children and shells): counts by status, fee, time, first start, last end."""
        stats: Dict[int, Dict[str, Any]] = {}
        if not shell_ids:
            return stats
        rows = self.db.all(
            "SELECT shell_id, task_id, status, COUNT(*) AS n, SUM(fee) AS fee, SUM(execute_time) AS secs, "
            "MIN(start_ms) AS first, MAX(end_ms) AS last FROM frames WHERE shell_id IN (%s) GROUP BY task_id, status"
            % ",".join("?" * len(shell_ids)), *shell_ids)
        for r in rows:
            for key in (r["task_id"], r["shell_id"]):
                s = stats.setdefault(key, {"counts": {}, "fee": 0.0, "secs": 0, "first": None, "last": None})
                s["counts"][r["status"]] = s["counts"].get(r["status"], 0) + r["n"]
                s["fee"] += r["fee"] or 0.0
                s["secs"] += r["secs"] or 0
                if r["first"] is not None and (s["first"] is None or r["first"] < s["first"]):
                    s["first"] = r["first"]
                if r["last"] is not None and (s["last"] is None or r["last"] > s["last"]):
                    s["last"] = r["last"]
        return stats

    def _child_status(self, shell: Dict[str, Any], counts: Dict[int, int]) -> int:
        total = sum(counts.values())
        done, failed = counts.get(4, 0), counts.get(5, 0)
        if total and done + failed == total:
            return int(TaskStatus.FINISHED_HAS_FAILED if failed else TaskStatus.FINISHED)
        if shell["status"] != TaskStatus.RENDERING:
            return shell["status"]
        return int(TaskStatus.RENDERING if counts.get(2) or done or failed else TaskStatus.WAITING)

    def _info(self, call: Call, row: Dict[str, Any], stats: Dict[int, Dict[str, Any]],
              shell: Optional[Dict[str, Any]] = None, children: Optional[List[Dict[str, Any]]] = None) -> Dict[str, Any]:
        v2 = call.profile == "v2"
        s = stats.get(row["id"], {"counts": {}, "fee": 0.0, "secs": 0, "first": None, "last": None})
        counts = s["counts"]
        is_child = shell is not None
        status = self._child_status(shell, counts) if shell is not None else row["status"]
        if not row["submitted"]:
            status = int(TaskStatus.WAITING)
        pre = row["pre_status"] if not is_child else None
        settings_ms = int(call.user["task_over_time_sec"]) * 1000
        abandoned = (shell or row)["status"] == TaskStatus.ABANDON
        start_ms = s["first"] if is_child else row["start_ms"]
        complete = s["last"] if is_child and status in _FINISHED else row["complete_ms"]
        info = {
            "sceneName": row["scene_name"], "id": row["id"], "taskAlias": row["alias"], "taskStatus": status,
            "statusText": "render_task_status_%d" % status, "preTaskStatus": pre,
            "preStatusText": "render_task_status_%d" % pre if pre is not None else None,
            "totalFrames": sum(counts.values()), "abortFrames": counts.get(3, 0) if abandoned else 0,
            "executingFrames": counts.get(2, 0), "doneFrames": counts.get(4, 0), "failedFrames": counts.get(5, 0),
            "framesRange": row["frames_range"] or "0", "projectName": row["project_name"],
            "renderConsume": round(s["fee"], 2), "taskArrears": 0, "submitDate": row["submit_ms"],
            "startTime": start_ms, "completedDate": complete if status in _FINISHED or status == TaskStatus.ABANDON else None,
            "renderDuration": s["secs"], "userName": call.user["user_name"], "producer": row["producer"] or None,
            "taskLevel": 60, "taskUserLevel": row["task_user_level"], "taskLimit": 200,
            "taskOverTime": settings_ms if is_child else None, "userId": row["user_id"],
            "outputFileName": "%d_%s" % (row["id"], (row["scene_name"] or "scene").rsplit(".", 1)[0]) if is_child else None,
            ("menuTaskId" if v2 else "munuTaskId"): ("%d%05d" % (20250000, row["id"] % 100000)) if is_child else "",
            "layerParentId": row["parent_id"], "cgId": row["cg_id"], "keyValue": row["key_value"],
            "userAccountConsume": round(s["fee"], 2), "couponConsume": 0, "isOpen": 0 if is_child else 1,
            "taskType": row["task_type"], "renderCamera": row["render_camera"], "cloneParentId": 0,
            "cloneOriginalId": 0, "shareMainCapital": 0, "taskRam": 64,
            "respRenderingTaskList": [self._info(call, c, stats, row) for c in children] if children is not None else None,
            "layerName": row["layer_name"],
            "taskTypeText": {"RenderPhoton": "render_photons_task", "Render": "render_major_picture_task"}.get(row["task_type"]),
            "isDelete": 1, "outUserId": row["out_user_id"], "labels": row["labels"], "artist": row["artist"],
        }
        if v2:
            info["bid"] = BIDS["input_bid"]
        return info

    def _infos(self, call: Call, shells: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        ids = [s["id"] for s in shells]
        stats = self._frame_stats(ids)
        kids: Dict[int, List[Dict[str, Any]]] = {i: [] for i in ids}
        if ids:
            for child in self.db.all("SELECT * FROM tasks WHERE parent_id IN (%s) ORDER BY ord" % ",".join("?" * len(ids)), *ids):
                kids[child["parent_id"]].append(child)
        return [self._info(call, s, stats, None, kids[s["id"]]) for s in shells]

    # --- account ------------------------------------------------------------------------
    def op_queryPlatforms(self, call: Call, body: Dict[str, Any]) -> Any:
        zone = _int(body, "zone", required=True, choices=(1, 2))
        platforms = [2, 3, 5, 6, 8, 9] if zone == 1 else [2]
        return [{"platform": p, "name": "query_platform_w%d" % p} for p in platforms]

    def _spent(self, call: Call) -> float:
        fee = self.db.value("SELECT SUM(fee) FROM frames f JOIN tasks t ON t.id = f.shell_id WHERE t.user_id = ?",
                            call.user_id)
        return round(fee or 0.0, 2)

    def op_queryUserProfile(self, call: Call, body: Dict[str, Any]) -> Any:
        u = call.user
        spent = self._spent(call)
        return {
            "userId": u["user_id"], "userName": u["user_name"], "platform": u["platform"], "phone": "", "email": "",
            "company": "", "name": "", "job": "", "communicationNumber": "", "softType": 2000, "softStatus": 1,
            "businessType": 1, "status": 1, "infoStatus": 0, "accountType": 1, "userType": 1, "mainUserId": 0,
            "level": 49, "pictureLever": None, "zone": 1, "rmbbalance": round(1000.0 - spent, 2), "usdbalance": 0,
            "rmbCumulative": spent, "usdCumulative": 0, "credit": 0, "coupon": 0, "description": "local farm",
            "country": "", "city": "", "address": "", "cpuPrice": 0.67, "gpuPrice": 20, "shareMainCapital": 0,
            "subDeleteTask": 0, "useMainBalance": 0, "hideBalance": 0, "hideJobCharge": 0, "useLevelDirectory": 1,
            "downloadDisable": 0, "displaySubaccount": 1, "subaccountLimits": 5, "houdiniFlag": 0, "c4dFlag": 0,
            "blenderFlag": 1, "keyshotFlag": 0, "studentEndTime": None,
        }

    def op_queryUserSetting(self, call: Call, body: Dict[str, Any]) -> Any:
        seconds = int(call.user["task_over_time_sec"])
        data = {
            "infoStatus": None, "accountType": None, "shareMainCapital": 0, "subDeleteTask": 0, "useMainBalance": 0,
            "singleNodeRenderFrames": "1", "maxIgnoreMapFlag": "1", "autoCommit": "2", "separateAccountFlag": 0,
            "mifileSwitchFlag": 0, "assfileSwitchFlag": 0, "manuallyStartAnalysisFlag": 0, "downloadDisable": 0,
            "taskOverTime": seconds // 3600,
        }
        if call.profile == "v2":
            data["taskOverTimeSec"] = seconds
        return data

    def op_updateUserSetting(self, call: Call, body: Dict[str, Any]) -> Any:
        if call.profile == "v2":
            seconds = _int(body, "taskOverTimeSec", required=True, lo=60, hi=30 * 86400)
        else:
            seconds = (_int(body, "taskOverTime", required=True, lo=1, hi=720) or 0) * 3600
        self.db.run("UPDATE accounts SET task_over_time_sec = ? WHERE user_id = ?", seconds, call.user_id)
        return None

    def op_getTransferBid(self, call: Call, body: Dict[str, Any]) -> Any:
        data = dict(BIDS)
        if call.profile == "v2":
            data["parent_input_bid"] = BIDS["input_bid"]
        return data

    def op_queryErrorDetail(self, call: Call, body: Dict[str, Any]) -> Any:
        code = _str(body, "code", required=True)
        language = _str(body, "language", default="0")
        if language not in ("0", "1"):
            raise FarmError(ErrorCode.PARAMETER_INVALID, "language must be 0 (Chinese) or 1 (English)")
        return self.catalogue.error_detail(code or "", language == "1", 1534387709000)

    # --- labels -------------------------------------------------------------------------
    def op_addLabel(self, call: Call, body: Dict[str, Any]) -> Any:
        name = _str(body, "newName", required=True) or ""
        status = _int(body, "status", default=0)
        if self.db.one("SELECT id FROM labels WHERE user_id = ? AND name = ?", call.user_id, name):
            raise FarmError(ErrorCode.PARAMETER_INVALID, "label %r already exists" % name)
        self.db.run("INSERT INTO labels (user_id, name, status) VALUES (?, ?, ?)", call.user_id, name, status)
        return None

    def op_deleteLabel(self, call: Call, body: Dict[str, Any]) -> Any:
        name = _str(body, "delName", required=True)
        if not self.db.run("DELETE FROM labels WHERE user_id = ? AND name = ?", call.user_id, name):
            raise FarmError(ErrorCode.RESOURCE_NOT_FOUND, "no label %r" % name)
        return None

    def op_getLabelList(self, call: Call, body: Dict[str, Any]) -> Any:
        rows = self.db.all("SELECT id, name FROM labels WHERE user_id = ? ORDER BY id", call.user_id)
        return {"projectNameList": [{"projectId": r["id"], "projectName": r["name"]} for r in rows]}

    # --- catalogue and render environments -------------------------------------------------
    def op_querySupportedSoftware(self, call: Call, body: Dict[str, Any]) -> Any:
        return self.catalogue.supported_software()

    def op_querySupportedPlugin(self, call: Call, body: Dict[str, Any]) -> Any:
        cg_id = _int(body, "cgId", required=True)
        os_name = None
        if call.profile == "v2":
            os_name = _str(body, "osName")
            if os_name is not None and os_name not in ("windows", "linux"):
                raise FarmError(ErrorCode.PARAMETER_INVALID, "osName must be windows or linux")
        if cg_id not in self.catalogue.software:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "unknown cgId %s" % cg_id)
        return self.catalogue.supported_plugin(cg_id or 0, os_name)

    def _env_fields(self, call: Call, body: Dict[str, Any]) -> Dict[str, Any]:
        cg_id = _int(body, "cgId", required=True) or 0
        fields: Dict[str, Any] = {
            "cg_id": cg_id, "cg_name": _str(body, "cgName", default="") or "",
            "cg_version": _str(body, "cgVersion", required=True) or "",
            "edit_name": (_str(body, "editName", required=True) or "").strip(),
            "render_layer_type": _int(body, "renderLayerType", default=0, choices=(0, 1)),
            "os_name": _int(body, "renderSystem", default=1, choices=(0, 1)),
            "plugin_ids": _int_list(body, "pluginIds") or [],
            "project_path": _str(body, "projectPath", default="") if call.profile == "v2" else "",
        }
        if not fields["edit_name"]:
            raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "editName is required")
        problem = self.catalogue.check_env(cg_id, fields["cg_name"], fields["cg_version"], fields["plugin_ids"],
                                           "windows" if fields["os_name"] == 1 else "linux")
        if problem:
            raise FarmError(ErrorCode.PARAMETER_INVALID, problem)
        fields["cg_name"] = self.catalogue.software[cg_id]["cgName"]
        return fields

    def _env(self, call: Call, edit_name: Optional[str]) -> Dict[str, Any]:
        row = self.db.one("SELECT * FROM render_envs WHERE user_id = ? AND edit_name = ?", call.user_id, edit_name)
        if row is None:
            raise FarmError(ErrorCode.RESOURCE_NOT_FOUND, "no render environment %r" % edit_name)
        return row

    def op_addRenderEnv(self, call: Call, body: Dict[str, Any]) -> Any:
        f = self._env_fields(call, body)
        if self.db.one("SELECT id FROM render_envs WHERE user_id = ? AND edit_name = ?", call.user_id, f["edit_name"]):
            raise FarmError(ErrorCode.PARAMETER_INVALID,
                            "a render environment named %r exists: choose another editName or update it" % f["edit_name"])
        self.db.run("INSERT INTO render_envs (user_id, cg_id, edit_name, cg_name, cg_version, os_name, render_layer_type, "
                    "plugin_ids, project_path) VALUES (?,?,?,?,?,?,?,?,?)", call.user_id, f["cg_id"], f["edit_name"],
                    f["cg_name"], f["cg_version"], f["os_name"], f["render_layer_type"], json.dumps(f["plugin_ids"]),
                    f["project_path"] or "")
        return {"editName": f["edit_name"]}

    def op_updateRenderEnv(self, call: Call, body: Dict[str, Any]) -> Any:
        f = self._env_fields(call, body)
        row = self._env(call, f["edit_name"])
        self.db.run("UPDATE render_envs SET cg_id=?, cg_name=?, cg_version=?, os_name=?, render_layer_type=?, plugin_ids=?, "
                    "project_path=?, is_default = CASE WHEN cg_id = ? THEN is_default ELSE 0 END WHERE id=?",
                    f["cg_id"], f["cg_name"], f["cg_version"], f["os_name"], f["render_layer_type"],
                    json.dumps(f["plugin_ids"]), f["project_path"] or row["project_path"], f["cg_id"], row["id"])
        return None

    def op_deleteRenderEnv(self, call: Call, body: Dict[str, Any]) -> Any:
        row = self._env(call, _str(body, "editName", required=True))
        self.db.run("DELETE FROM render_envs WHERE id = ?", row["id"])
        return None

    def op_setDefaultRenderEnv(self, call: Call, body: Dict[str, Any]) -> Any:
        row = self._env(call, _str(body, "editName", required=True))
        self.db.run("UPDATE render_envs SET is_default = (id = ?) WHERE user_id = ? AND cg_id = ?",
                    row["id"], call.user_id, row["cg_id"])
        return None

    def op_getRenderEnv(self, call: Call, body: Dict[str, Any]) -> Any:
        cg_ids: List[int] = []
        cg_id = _int(body, "cgId")
        if cg_id is not None:
            cg_ids.append(cg_id)
        os_name = None
        if call.profile == "v2":
            cg_ids += _int_list(body, "cgIds") or []
            os_name = _int(body, "osName", choices=(0, 1))
        rows = self.db.all("SELECT * FROM render_envs WHERE user_id = ? ORDER BY id", call.user_id)
        out = []
        for r in rows:
            if (cg_ids and r["cg_id"] not in cg_ids) or (os_name is not None and r["os_name"] != os_name):
                continue
            plugins = [self.catalogue.plugin_info(p) for p in json.loads(r["plugin_ids"]) if p in self.catalogue.plugins]
            env = {"cgId": r["cg_id"], "editName": r["edit_name"], "cgName": r["cg_name"], "cgVersion": r["cg_version"],
                   "osName": r["os_name"], "renderLayerType": r["render_layer_type"], "isDefault": r["is_default"],
                   "respUserPluginInfoVos": plugins}
            if call.profile == "v2":
                env["projectPath"] = r["project_path"]
            out.append(env)
        return out

    # --- task creation and submission ------------------------------------------------------
    def op_createTask(self, call: Call, body: Dict[str, Any]) -> Any:
        count = _int(body, "count", required=True, lo=1, hi=100) or 1
        out_user = _int(body, "outUserId")
        level, labels, artist = 50, "", ""
        if call.profile == "v2":
            level = _int(body, "taskUserLevel", default=50, lo=0, hi=100) or 0
            raw = body.get("labels")
            if isinstance(raw, list):
                labels = ",".join(str(x) for x in raw)
            elif raw is not None:
                labels = _str(body, "labels") or ""
            artist = _str(body, "artist", default="") or ""
        ids = self._next_task_ids(count)
        now = self.now_ms()
        for task_id in ids:
            self.db.run("INSERT INTO tasks (id, user_id, alias, out_user_id, task_user_level, labels, artist, project_name, "
                        "created_ms) VALUES (?,?,?,?,?,?,?,?,?)", task_id, call.user_id, self._alias(task_id), out_user,
                        level, labels, artist, labels.split(",")[0] if labels else "", now)
        return {"aliasTaskIdList": [self._alias(i) for i in ids], "taskIdList": ids}

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
        if not isinstance(upload, dict):
            raise FarmError(ErrorCode.PARAMETER_INVALID, "task %d: upload.json is not a JSON object" % task_id)
        for kind in ("scene", "asset"):
            entries = upload.get(kind) or []
            if not isinstance(entries, list):
                raise FarmError(ErrorCode.PARAMETER_INVALID, "task %d: upload.json %s is not a list" % (task_id, kind))
            for entry in entries:
                server = entry.get("server") if isinstance(entry, dict) else None
                if not server:
                    raise FarmError(ErrorCode.PARAMETER_INVALID,
                                    "task %d: upload.json has a %s entry without a server path" % (task_id, kind))
                if not self.storage.is_complete(call.user_id, BIDS["input_bid"], server):
                    missing.append(server)
        return missing, task

    def op_submitTask(self, call: Call, body: Dict[str, Any]) -> Any:
        task_id = _int(body, "taskId", required=True) or 0
        producer = _str(body, "producer", default="") if call.profile == "v2" else ""
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
            "submitted": 1, "status": int(TaskStatus.ANALYSE), "submit_ms": self.now_ms(), "plan": json.dumps(plan.to_dict()),
            "scene_name": plan.scene_name, "project_name": plan.project_name or task["project_name"], "cg_id": plan.cg_id,
            "tiles": plan.tiles, "width": plan.width, "height": plan.height, "key_value": plan.key_value,
            "frames_range": render_children[0].frames_range if render_children else "",
            "render_camera": render_children[0].camera if render_children else "", "producer": producer or "",
            "phase_until": now + life.ANALYSE_SECONDS, "next_event": now + life.ANALYSE_SECONDS,
        })
        return None

    # --- task lists -------------------------------------------------------------------------
    def op_getTaskList(self, call: Call, body: Dict[str, Any]) -> Any:
        page_num = _int(body, "pageNum", required=True, lo=1) or 1
        page_size = _int(body, "pageSize", required=True, lo=1, hi=1000) or 1
        statuses = _int_list(body, "statusList")
        where = ["user_id = ?", "parent_id = 0", "deleted = 0", "submitted = 1"]
        args: List[Any] = [call.user_id]
        if statuses:
            where.append("status IN (%s)" % ",".join("?" * len(statuses)))
            args += statuses
        if call.profile == "v2":
            keyword = _str(body, "searchKeyword")
            if keyword:
                where.append("(scene_name LIKE ? OR alias LIKE ? OR CAST(id AS TEXT) LIKE ? OR project_name LIKE ?)")
                args += ["%" + keyword + "%"] * 4
            for name, op in (("startTime", ">="), ("endTime", "<=")):
                value = _int(body, name)
                if value is not None:
                    where.append("submit_ms %s ?" % op)
                    args.append(value * 1000 if value < 10 ** 11 else value)
        sql = " AND ".join(where)
        total = self.db.value("SELECT COUNT(*) AS n FROM tasks WHERE " + sql, *args)
        rows = self.db.all("SELECT * FROM tasks WHERE %s ORDER BY id DESC LIMIT ? OFFSET ?" % sql,
                           *args, page_size, (page_num - 1) * page_size)
        return _page(self._infos(call, rows), total, page_num, page_size)

    def op_queryTaskInfo(self, call: Call, body: Dict[str, Any]) -> Any:
        ids = _int_list(body, "taskIds", required=True) or []
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
        return _page(out, len(out), 1, 100)

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
        task_id = _int(body, "taskId", required=True) or 0
        page_num = _int(body, "pageNum", default=1, lo=1) or 1
        page_size = _int(body, "pageSize", default=20, lo=1, hi=1000) or 20
        keyword = _str(body, "searchKeyword")
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
        return _page([self._frame_info(call, f, now, over_ms) for f in rows], total, page_num, page_size)

    def op_queryAllFrameStats(self, call: Call, body: Dict[str, Any]) -> Any:
        rows = self.db.all("SELECT f.status, COUNT(*) AS n FROM frames f JOIN tasks t ON t.id = f.shell_id "
                           "WHERE t.user_id = ? AND t.deleted = 0 GROUP BY f.status", call.user_id)
        counts = {r["status"]: r["n"] for r in rows}
        return {"executingFramesTotal": counts.get(2, 0), "doneFramesTotal": counts.get(4, 0),
                "failedFramesTotal": counts.get(5, 0),
                "waitingFramesTotal": sum(counts.get(s, 0) for s in _WAITING_FRAMES),
                "totalFrames": sum(counts.values())}

    # --- task actions -----------------------------------------------------------------------
    def op_stopTask(self, call: Call, body: Dict[str, Any]) -> Any:
        for shell in self._shells(call, body):
            if shell["status"] in _ACTIVE and shell["submitted"]:
                self.db.run("UPDATE frames SET status = 3, end_ft = NULL, end_ms = NULL WHERE shell_id = ? AND status IN (1, 2, 7)",
                            shell["id"])
                self._update_task(shell["id"], {"pre_status": shell["status"], "status": int(TaskStatus.STOP),
                                                "next_event": None})
        return None

    def _resume(self, shell: Dict[str, Any], now: float) -> Dict[str, Any]:
        """Values that put a stopped or finished task back to work (stopped frames wait again)."""
        photon_open = self.db.value("SELECT COUNT(*) AS n FROM frames WHERE shell_id = ? AND frame_type = 2 AND status IN (1, 2, 3, 7)",
                                  shell["id"])
        self.db.run("UPDATE frames SET status = CASE WHEN ? AND frame_type != 2 THEN 7 ELSE 1 END, start_ft = NULL, "
                    "start_ms = NULL WHERE shell_id = ? AND status = 3", 1 if photon_open else 0, shell["id"])
        previous = shell["pre_status"] if shell["status"] in _RESUMABLE else TaskStatus.RENDERING
        if previous in (TaskStatus.ANALYSE, TaskStatus.WAITING):
            seconds = life.ANALYSE_SECONDS if previous == TaskStatus.ANALYSE else life.WAIT_SECONDS
            return {"status": int(previous), "pre_status": shell["status"], "phase_until": now + seconds,
                    "next_event": now + seconds}
        return {"status": int(TaskStatus.RENDERING), "pre_status": shell["status"], "sim_ft": now, "next_event": now,
                "complete_ms": None}

    def op_startTask(self, call: Call, body: Dict[str, Any]) -> Any:
        now = self.time.now()
        for shell in self._shells(call, body):
            if shell["status"] in _RESUMABLE and shell["submitted"]:
                self._update_task(shell["id"], self._resume(shell, now))
        return None

    def op_abortTask(self, call: Call, body: Dict[str, Any]) -> Any:
        for shell in self._shells(call, body):
            if shell["submitted"] and (shell["status"] in _ACTIVE or shell["status"] in _RESUMABLE):
                self.db.run("UPDATE frames SET status = 3, end_ft = NULL, end_ms = NULL WHERE shell_id = ? AND status IN (1, 2, 7)",
                            shell["id"])
                self._update_task(shell["id"], {"pre_status": shell["status"], "status": int(TaskStatus.ABANDON),
                                                "next_event": None, "complete_ms": self.now_ms()})
        return None

    def op_deleteTask(self, call: Call, body: Dict[str, Any]) -> Any:
        for shell in self._shells(call, body):
            self.db.run("UPDATE tasks SET deleted = 1, next_event = NULL WHERE id = ? OR parent_id = ?", shell["id"], shell["id"])
        return None

    def _recommit(self, shell: Dict[str, Any], frame_ids: List[int]) -> None:
        if not frame_ids:
            return
        if shell["status"] == TaskStatus.ABANDON:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "task %d was abandoned; its frames cannot be rendered again" % shell["id"])
        if shell["status"] in (TaskStatus.ANALYSE, TaskStatus.WAITING):
            return
        marks = ",".join("?" * len(frame_ids))
        self.db.run("UPDATE frames SET status = 1, recommit = recommit + 1, start_ft = NULL, end_ft = NULL, start_ms = NULL, "
                    "end_ms = NULL, execute_time = 0, fee = 0 WHERE id IN (%s)" % marks, *frame_ids)
        photon_open = self.db.value("SELECT COUNT(*) AS n FROM frames WHERE shell_id = ? AND frame_type = 2 AND status IN (1, 2, 3)",
                                  shell["id"])
        if photon_open:
            self.db.run("UPDATE frames SET status = 7 WHERE shell_id = ? AND frame_type != 2 AND status = 1", shell["id"])
        if shell["status"] != TaskStatus.RENDERING:
            self._update_task(shell["id"], self._resume(shell, self.time.now()))
        else:
            self._update_task(shell["id"], {"next_event": self.time.now()})

    def _status_filter(self, call: Call, body: Dict[str, Any], default: Optional[List[int]]) -> Optional[List[int]]:
        if call.profile != "v2":
            return default
        return _int_list(body, "status") or default

    def op_restartFailedFrames(self, call: Call, body: Dict[str, Any]) -> Any:
        statuses = self._status_filter(call, body, [int(FrameStatus.FAILED)]) or [5]
        for shell in self._shells(call, body):
            rows = self.db.all("SELECT id FROM frames WHERE shell_id = ? AND status IN (%s)" % ",".join("?" * len(statuses)),
                               shell["id"], *statuses)
            self._recommit(shell, [r["id"] for r in rows])
        return None

    def op_restartFrame(self, call: Call, body: Dict[str, Any]) -> Any:
        task_id = _int(body, "taskId", required=True) or 0
        select_all = _int(body, "selectAll", default=0, choices=(0, 1))
        ids = _int_list(body, "ids")
        statuses = self._status_filter(call, body, None)
        task = self._task(call, task_id)
        shell = self._task(call, task["parent_id"]) if task["parent_id"] else task
        column = "task_id" if task["parent_id"] else "shell_id"
        rows = self.db.all("SELECT id, status FROM frames WHERE %s = ?" % column, task_id)
        if select_all:
            chosen = [r["id"] for r in rows if not statuses or r["status"] in statuses]
        else:
            if not ids:
                raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "ids is required when selectAll is 0")
            known = {r["id"] for r in rows}
            strangers = [i for i in ids if i not in known]
            if strangers:
                raise FarmError(ErrorCode.PARAMETER_INVALID, "frames %s are not frames of task %d" % (strangers, task_id))
            chosen = list(dict.fromkeys(ids))
        self._recommit(shell, chosen)
        return None

    # --- progress images ----------------------------------------------------------------------
    def op_loadTaskProcessImg(self, call: Call, body: Dict[str, Any]) -> Any:
        task_id = _int(body, "taskId", required=True) or 0
        frame_type = _int(body, "frameType", choices=(2, 5))
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
            "startTime": _fmt_ms(shell["start_ms"]), "endTime": _fmt_ms(shell["complete_ms"]), "grabInfo": grab,
        }

    def _grab(self, call: Call, f: Dict[str, Any], now: float) -> Dict[str, str]:
        if f["status"] == FrameStatus.RUNNING and f["start_ft"] is not None and f["end_ft"]:
            span = max(1e-6, f["end_ft"] - f["start_ft"])
            percent = int(max(0.0, min(99.0, (now - f["start_ft"]) * 100.0 / span)))
            used, est = int(max(0.0, now - f["start_ft"])), int(max(0.0, f["end_ft"] - now))
        else:
            percent, used, est = 100, f["execute_time"], 0
        return {
            "startTime": _fmt_ms(f["start_ms"]), "endTime": _fmt_ms(f["end_ms"]) if f["status"] != FrameStatus.RUNNING else "",
            "frameStatus": str(f["status"]), "isMaxPrice": "0", "feeAmount": "%.2f" % f["fee"], "couponFee": "0.00",
            "frameIndex": str(f["frame_no"]), "frameBlock": str(f["block"]), "framePercent": str(percent),
            "frameUsed": str(used), "frameEst": str(est),
            "renderInfo": "rendering %d%%" % percent if f["status"] == FrameStatus.RUNNING else "",
            "grabUrl": "http://%s/farm/grab/%d/%d.png" % (call.host, f["id"], percent),
        }

    def grab_png(self, frame_id: int, percent: int) -> Optional[bytes]:
        """The progress picture behind a grabUrl, or None for an unknown frame."""
        from renderbus_dcc.farm.images import progress_png

        with self.db.transaction():
            row = self.db.one("SELECT f.frame_no, t.width, t.height FROM frames f JOIN tasks t ON t.id = f.shell_id "
                              "WHERE f.id = ? AND t.deleted = 0", frame_id)
        if row is None:
            return None
        return progress_png(*self._thumb_size(row), row["frame_no"], percent)
