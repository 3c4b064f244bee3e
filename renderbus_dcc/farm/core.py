"""The farm's state and the life of its tasks, shared by the handlers of every area.

:class:`FarmCore` holds the database, file store, catalogue and farm time, answers
``handle(operation, call, body) -> data`` by the ``op_<operation>`` method the areas define
(errors are :class:`FarmError`), and first plays the life of the caller's running tasks up to
"now" (lazily: nothing runs between requests, and nothing is lost when the farm stops, since
the farm's clock stops with it). Playing costs what happened since a task was last played;
frame counts come from ``frame_counts`` (kept by triggers), so a 100,000-frame task costs a
call no more than a 10-frame one.
"""

import json
import logging
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

from renderbus_dcc import routes
from renderbus_dcc.constants import ErrorCode, FrameStatus, FrameType, TaskStatus
from renderbus_dcc.farm import life
from renderbus_dcc.farm.catalogue import Catalogue
from renderbus_dcc.farm.db import INT_MAX, FarmDB
from renderbus_dcc.farm.envelope import FarmError
from renderbus_dcc.farm.params import int_list
from renderbus_dcc.farm.transfer import Storage

__all__ = ["FarmCore", "FarmTime", "Call", "BIDS", "ACTIVE", "RESUMABLE", "FINISHED", "WAITING_FRAMES", "to_play"]

log = logging.getLogger(__name__)

#: Transfer ids of every account (files are kept per account).
BIDS = {"config_bid": "30201", "output_bid": "20201", "input_bid": "10201"}

ACTIVE = (int(TaskStatus.ANALYSE), int(TaskStatus.WAITING), int(TaskStatus.RENDERING))
RESUMABLE = (int(TaskStatus.STOP), int(TaskStatus.ARREARAGE_STOP), int(TaskStatus.TIME_OUT_STOP))
FINISHED = (int(TaskStatus.FINISHED), int(TaskStatus.FINISHED_HAS_FAILED))
WAITING_FRAMES = (1, 6, 7, 8, 9, 10)
_FIRST_TASK_ID = 19000
#: A call that only reads plays a task again once this long (wall seconds) after it last played it,
#: at most :data:`PLAYS_PER_READ` of them (the least recently played first), unless a task was last
#: played :data:`STALE_AFTER` ago or more: then it is played whatever it costs. A call that changes
#: tasks always plays them up to now first, and the next read plays every task due. So a client
#: calling many times a second sees a task as it was at most a second ago and each call costs a
#: couple of plays, not one per rendering task.
PLAY_EVERY = 0.05
PLAYS_PER_READ = 2
STALE_AFTER = 1.0
#: Frame fates remembered (the frames rendering on every task, and then some).
_FATES_KEPT = 20000
#: A frame's columns as :class:`life.FrameState` takes them.
_FRAME_STATE = "id, ord, seq, status, frame_type, recommit, start_ft, end_ft, start_ms, end_ms, execute_time, fee"

#: Operations that read no task's frames or status: a call of one plays no task's life.
QUIET_OPERATIONS = frozenset((
    "queryPlatforms", "queryUserSetting", "updateUserSetting", "getTransferBid", "queryErrorDetail", "addLabel",
    "deleteLabel", "getLabelList", "querySupportedSoftware", "querySupportedPlugin", "addRenderEnv", "updateRenderEnv",
    "deleteRenderEnv", "setDefaultRenderEnv", "getRenderEnv", "submitTask"))
#: Operations about given tasks (the body field naming them): a call plays only those tasks.
SCOPED_OPERATIONS = {"queryTaskInfo": "taskIds", "queryTaskFrames": "taskId", "loadTaskProcessImg": "taskId",
                     "stopTask": "taskIds", "startTask": "taskIds", "abortTask": "taskIds", "deleteTask": "taskIds",
                     "restartFailedFrames": "taskIds", "restartFrame": "taskId"}


def to_play(due: List[Dict[str, Any]], played: Mapping[int, float], wall: float) -> List[Dict[str, Any]]:
    """Of the tasks ``due`` for a play, those a reading call plays (``played``: task id -> wall time
    of its last play): every task last played :data:`STALE_AFTER` ago or more, then up to
    :data:`PLAYS_PER_READ` in all of those last played :data:`PLAY_EVERY` ago or more, the
    least recently played first."""
    never = float("-inf")
    must = [t for t in due if wall - played.get(t["id"], never) >= STALE_AFTER]
    may = sorted((t for t in due if PLAY_EVERY <= wall - played.get(t["id"], never) < STALE_AFTER),
                 key=lambda t: played.get(t["id"], never))
    return must + may[:max(0, PLAYS_PER_READ - len(must))]


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


class FarmCore:
    """The farm's state, the task life and what every area's handlers share. Thread-safe: every call
    holds the database lock. :class:`renderbus_dcc.farm.api.FarmAPI` adds the handlers, area by area."""

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
        self._fates: Dict[Tuple[Any, ...], Tuple[float, bool]] = {}  # frame -> fate (start, then end)
        self._played: Dict[int, float] = {}  # task -> wall time it was last played (this run)

    # --- entry point -----------------------------------------------------------------
    def handle(self, operation: str, call: Call, body: Dict[str, Any]) -> Any:
        handler = getattr(self, "op_" + operation, None)
        if handler is None:  # pragma: no cover - every operation has a handler
            raise FarmError(ErrorCode.RESOURCE_NOT_FOUND, "no such operation %s" % operation)
        with self.db.transaction():
            scope = self._scope(operation, call, body)
            reading = not routes.operation(operation).mutates
            if scope is None or scope:
                self.advance(call.user_id, scope, reading=reading)
            if not reading:  # a task changed other than by its life: the next read plays it, whatever it costs
                self._played.clear()
            return handler(call, body)

    def _scope(self, operation: str, call: Call, body: Dict[str, Any]) -> Optional[List[int]]:
        """The tasks whose life ``operation`` must see played up to now: None for all the caller's,
        else these shell tasks' ids (none for an operation that reads no task)."""
        if operation in QUIET_OPERATIONS:
            return []
        field = SCOPED_OPERATIONS.get(operation)
        if field is None:
            return None
        raw = body.get(field)
        ids = [i for i in (raw if isinstance(raw, list) else [raw])
               if isinstance(i, int) and not isinstance(i, bool) and 0 < i <= INT_MAX]
        if not ids:
            return []  # the handler says what is wrong with the field
        if len(ids) > 500:
            return None  # (SQLite's limit of values a statement takes): every task of the caller
        rows = self.db.all("SELECT id, parent_id FROM tasks WHERE user_id = ? AND id IN (%s)" % ",".join("?" * len(ids)),
                           call.user_id, *ids)
        return sorted({r["parent_id"] or r["id"] for r in rows})

    def now_ms(self) -> int:
        return int(round(self.time.clock() * 1000))

    # --- the life ----------------------------------------------------------------------
    def advance(self, user_id: Optional[int] = None, shell_ids: Optional[Sequence[int]] = None,
                reading: bool = False) -> None:
        """Play running tasks up to now: ``user_id``'s (else every account's), only ``shell_ids`` if given.

        Only tasks with an event due are played, and playing one costs what happened since it
        was last played (see :func:`life.run_frames`), never the size of the task. A task not
        played now loses nothing: its life is played in farm time, the same whenever it is.
        ``reading``: for a call that changes nothing, play only what :func:`to_play` picks.
        """
        now = self.time.now()
        with self.db.transaction():
            sql = ("SELECT * FROM tasks WHERE parent_id = 0 AND submitted = 1 AND deleted = 0 "
                   "AND next_event IS NOT NULL AND next_event <= ?")
            args: List[Any] = [now]
            if user_id is not None:
                sql += " AND user_id = ?"
                args.append(user_id)
            if shell_ids is not None:
                sql += " AND id IN (%s)" % ",".join("?" * len(shell_ids))
                args += list(shell_ids)
            rows = self.db.all(sql, *args)
            wall = self.time.clock()
            if reading:
                rows = to_play(rows, self._played, wall)
            for shell in rows:
                self._advance_isolated(shell, now)
                self._played[shell["id"]] = wall
            if rows or now - self._saved_ft > 5.0 * self.time.speed:  # at most every 5 s of an idle farm
                self.save_time(now)

    def _advance_isolated(self, shell: Dict[str, Any], now: float) -> None:
        """Advance one task; if that fails, only that task fails (FAILED), never every call of the farm."""
        self.db.run("SAVEPOINT shell")
        try:
            self._advance_shell(shell, now)
        except Exception:
            self.db.run("ROLLBACK TO shell")
            log.exception("local farm: task %s could not advance; it is marked failed", shell["id"])
            self._update_task(shell["id"], {"status": int(TaskStatus.FAILED), "next_event": None,
                                            "complete_ms": self.now_ms()})
        self.db.run("RELEASE shell")

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
        """A frame's fate, remembered while it renders: a frame is asked about when it starts and
        again when it ends, usually in a later play (seeding its random draw is the costly part)."""
        known = self._fates

        def fate(f: life.FrameState) -> Tuple[float, bool]:
            key = (f.id, f.recommit, f.frame_type, tiles, self.fail_rate)
            found = known.get(key)
            if found is None:
                found = life.frame_fate(self.seed, f.id, f.recommit, f.frame_type,
                                        1 if f.frame_type == FrameType.PHOTON else tiles, self.fail_rate)
                if len(known) >= _FATES_KEPT:  # forget them all (popping the oldest of a dict one by one
                    known.clear()              # costs a scan of the slots popped before)
                known[key] = found
            return found
        return fate

    def _play(self, shell: Dict[str, Any], now: float) -> Dict[str, Any]:
        """Play a rendering task from where it was last played up to ``now``; the task's new values."""
        shell_id = shell["id"]
        sim = shell["sim_ft"] if shell["sim_ft"] is not None else now
        fate = self._fate(shell["tiles"])
        photon_pass = "RenderPhoton" in (shell["plan"] or "")  # (only such a task has frames waiting for it)
        while True:
            gated = self.status_counts(shell_id).get(int(FrameStatus.WAIT_PHOTON_FRAME), 0) if photon_pass else 0
            photon_left = self.photon_frames(shell_id, life.ACTIVE_FRAME_STATUSES) if gated else 0
            if gated and not photon_left:
                self._release_gated(shell_id)
                gated = 0
            running = [life.FrameState(*r) for r in self.db.tuples(
                "SELECT %s FROM frames WHERE shell_id = ? AND status = ?" % _FRAME_STATE, shell_id,
                int(FrameStatus.RUNNING))]
            played = life.run_frames(running, self._waiting(shell_id), sim, now, fate, self.time.wall_ms, self.nodes,
                                     photon_left, gated)
            self.db.many(
                "UPDATE frames SET status=?, start_ft=?, end_ft=?, start_ms=?, end_ms=?, execute_time=?, fee=? WHERE id=?",
                [(f.status, f.start_ft, f.end_ft, f.start_ms, f.end_ms, f.execute_time, f.fee, f.id)
                 for f in played.changed.values()])
            if played.release_at is None:
                break
            self._release_gated(shell_id)
            sim = played.release_at
        if played.over is None:
            return {"sim_ft": now, "next_event": played.next_event if played.next_event is not None else now}
        counts = self.status_counts(shell_id)
        if counts.get(int(FrameStatus.WAIT_PRIORITY)):
            return self._after_test_frames(shell, played.over, now)
        failed = counts.get(int(FrameStatus.FAILED), 0)
        status = TaskStatus.FINISHED_HAS_FAILED if failed else TaskStatus.FINISHED
        return {"status": int(status), "sim_ft": played.over, "next_event": None,
                "complete_ms": self.time.wall_ms(played.over)}

    def _waiting(self, shell_id: int, batch: int = 4) -> Iterator[life.FrameState]:
        """A task's waiting frames in queue order, read from the database a few at a time."""
        after: Tuple[int, int] = (-1, -1)
        while True:
            rows = [life.FrameState(*r) for r in self.db.tuples(
                "SELECT %s FROM frames WHERE shell_id = ? AND status = ? AND (%s) > (?, ?) ORDER BY %s LIMIT ?"
                % (_FRAME_STATE, life.QUEUE_ORDER, life.QUEUE_ORDER), shell_id, int(FrameStatus.WAITING), after[0],
                after[1], batch)]
            yield from rows
            if len(rows) < batch:
                return
            after = life.queue_key(rows[-1])
            batch = min(batch * 4, 1024)

    def _release_gated(self, shell_id: int) -> None:
        """The photon pass is over: the frames that waited for it wait for a node."""
        self.db.run("UPDATE frames SET status = ? WHERE shell_id = ? AND status = ?",
                    int(FrameStatus.WAITING), shell_id, int(FrameStatus.WAIT_PHOTON_FRAME))

    def status_counts(self, shell_id: int) -> Dict[int, int]:
        """A task's frames by status (all its child tasks), from ``frame_counts``."""
        rows = self.db.all("SELECT status, SUM(n) AS n FROM frame_counts WHERE shell_id = ? GROUP BY status", shell_id)
        return {r["status"]: r["n"] for r in rows if r["n"]}

    def photon_frames(self, shell_id: int, statuses: Sequence[int]) -> int:
        """How many of a task's photon-pass frames have one of ``statuses``."""
        return int(self.db.value(
            "SELECT COALESCE(SUM(c.n), 0) AS n FROM frame_counts c JOIN tasks t ON t.id = c.task_id "
            "WHERE t.parent_id = ? AND t.task_type = 'RenderPhoton' AND c.status IN (%s)"
            % ",".join("?" * len(statuses)), shell_id, *statuses) or 0)

    def _after_test_frames(self, shell: Dict[str, Any], over: float, now: float) -> Dict[str, Any]:
        """The test frames are over (at farm time ``over``): stop the task (stop_after_test "1")
        until startTask, or render the rest from then on."""
        plan = json.loads(shell["plan"] or "{}")
        held = int(FrameStatus.WAIT_PRIORITY)
        if str(plan.get("stop_after_test", "2")) == "1":
            self.db.run("UPDATE frames SET status = ? WHERE shell_id = ? AND status = ?",
                        int(FrameStatus.STOPPED), shell["id"], held)
            return {"status": int(TaskStatus.STOP), "pre_status": int(TaskStatus.RENDERING), "sim_ft": over,
                    "next_event": None}
        self.db.run("UPDATE frames SET status = ? WHERE shell_id = ? AND status = ?",
                    int(FrameStatus.WAITING), shell["id"], held)
        return self._play(dict(shell, sim_ft=over), now)

    @staticmethod
    def _thumb_size(task: Mapping[str, Any]) -> Tuple[int, int]:
        width, height = max(1, task["width"] or 1920), max(1, task["height"] or 1080)
        return 96, max(8, min(192, 96 * height // width))

    def _make_children(self, shell: Dict[str, Any]) -> None:
        from renderbus_dcc.testframes import frames_first

        plan = life.TaskPlan.from_json(shell["plan"])
        has_photon = any(c.task_type == "RenderPhoton" for c in plan.children)
        next_id = self._next_task_ids(len(plan.children))
        tests = {i: set(frames_first(plan.pre_frames, c.frames)) if c.task_type == "Render" else set()
                 for i, c in enumerate(plan.children)}
        held = any(tests.values())  # test frames of every layer first; the rest waits for them
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
                test = frame_no in tests[ord_]
                kind = FrameType.PHOTON if photon else FrameType.PRIORITY if test else FrameType.MAIN
                wait = FrameStatus.WAIT_PRIORITY if held and not test and not photon else status
                for block in range(1, blocks + 1):
                    index = "%d-%d" % (frame_no, block) if blocks > 1 else str(frame_no)
                    frames.append((child_id, shell["id"], ord_, seq, frame_no, index, block, int(kind), int(wait)))
                    seq += 1
        self.db.insert_frames(frames)

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
        ids = int_list(body, "taskIds", required=True) or []
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
            "SELECT shell_id, task_id, status, n, fee_cents, secs, first_ms AS first, last_ms AS last FROM frame_counts "
            "WHERE shell_id IN (%s)" % ",".join("?" * len(shell_ids)), *shell_ids)
        for r in rows:
            for key in (r["task_id"], r["shell_id"]):
                s = stats.setdefault(key, {"counts": {}, "fee": 0.0, "secs": 0, "first": None, "last": None})
                if r["n"]:
                    s["counts"][r["status"]] = s["counts"].get(r["status"], 0) + r["n"]
                s["fee"] += (r["fee_cents"] or 0) / 100.0
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
        complete = s["last"] if is_child and status in FINISHED else row["complete_ms"]
        info = {
            "sceneName": row["scene_name"], "id": row["id"], "taskAlias": row["alias"], "taskStatus": status,
            "statusText": "render_task_status_%d" % status, "preTaskStatus": pre,
            "preStatusText": "render_task_status_%d" % pre if pre is not None else None,
            "totalFrames": sum(counts.values()), "abortFrames": counts.get(3, 0) if abandoned else 0,
            "executingFrames": counts.get(2, 0), "doneFrames": counts.get(4, 0), "failedFrames": counts.get(5, 0),
            "framesRange": row["frames_range"] or "0", "projectName": row["project_name"],
            "renderConsume": round(s["fee"], 2), "taskArrears": 0, "submitDate": row["submit_ms"],
            "startTime": start_ms, "completedDate": complete if status in FINISHED or status == TaskStatus.ABANDON else None,
            "renderDuration": s["secs"], "userName": call.user["user_name"], "producer": row["producer"] or None,
            "taskLevel": 60, "taskUserLevel": row["task_user_level"], "taskLimit": self.nodes,
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
        infos = [self._info(call, s, stats, None, kids[s["id"]]) for s in shells]
        self._apply_settings(infos)
        return infos

    def _apply_settings(self, infos: List[Dict[str, Any]]) -> None:
        """Per-task settings the live service's operations change (task limit, overtime, clone origin)."""
        ids = [i["id"] for i in infos] + [c["id"] for i in infos for c in (i["respRenderingTaskList"] or [])]
        if not ids:
            return
        rows = {r["task_id"]: r for r in self.db.all(
            "SELECT * FROM task_settings WHERE task_id IN (%s)" % ",".join("?" * len(ids)), *ids)}
        for info in infos:
            row = rows.get(info["id"])
            if row is None:
                continue
            if row["task_limit"] is not None:
                info["taskLimit"] = row["task_limit"]
            if row["clone_original_id"]:
                info["cloneOriginalId"] = row["clone_original_id"]
            for child in info["respRenderingTaskList"] or []:
                if row["over_time_sec"] is not None:
                    child["taskOverTime"] = row["over_time_sec"] * 1000
                if row["task_limit"] is not None:
                    child["taskLimit"] = row["task_limit"]
