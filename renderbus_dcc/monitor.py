"""Following tasks while they render: snapshots, and a poller that costs few requests.

:func:`snapshot` turns one ``TaskInfo`` (with its child tasks) into a :class:`TaskSnapshot`:
a pure function, tested without a network. :class:`TaskMonitor` asks the server about the
tasks it follows with ONE ``queryTaskInfo`` per round. Each task has its own interval, which
grows while the task does not change and on errors (:func:`next_interval`) and drops back as
soon as it moves; a round asks about the tasks that are due (and those due soon, so rounds
are few): following 200 tasks of which one renders costs a request every few seconds for
that one, and about one a minute for each idle one. Frames and progress images are fetched
only on demand.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Optional, Tuple

from renderbus_dcc.constants import TERMINAL_TASK_STATUSES, TaskStatus
from renderbus_dcc.i18n import _

if TYPE_CHECKING:  # pragma: no cover
    from renderbus_dcc.models import TaskInfo

log = logging.getLogger(__name__)

__all__ = ["TaskSnapshot", "TaskMonitor", "snapshot", "next_interval", "BACKOFF", "ERROR_BACKOFF"]

#: Interval growth per round without change, and per failed round.
BACKOFF = 1.5
ERROR_BACKOFF = 2.0


@dataclass
class TaskSnapshot:
    """Where a task stands. Times in seconds; ``eta`` None while unknown."""

    task_id: int
    alias: str = ""
    scene_name: str = ""
    status: TaskStatus = TaskStatus.WAITING
    percent: float = 0.0
    frames_total: int = 0
    frames_done: int = 0
    frames_running: int = 0
    frames_failed: int = 0
    frames_waiting: int = 0
    cost: float = 0.0
    time_used: float = 0.0
    eta: Optional[float] = None
    finished: bool = False
    children: List["TaskSnapshot"] = field(default_factory=list)
    error: str = ""

    @property
    def status_name(self) -> str:
        from renderbus_dcc.labels import lower_label

        return lower_label(self.status)

    def key(self) -> Tuple[Any, ...]:
        """What counts as a change (time-derived figures left out)."""
        return (self.status, self.frames_total, self.frames_done, self.frames_running, self.frames_failed,
                round(self.cost, 4), self.error, tuple(c.key() for c in self.children))


def _num(value: Any) -> float:
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0


def _status(value: Any) -> TaskStatus:
    try:
        return TaskStatus(int(value))
    except (TypeError, ValueError):
        return TaskStatus.WAITING


def _ms(value: Any) -> float:
    """A server time (milliseconds since the epoch) in seconds; 0 if absent."""
    v = _num(value)
    return v / 1000.0 if v > 1e11 else v


def snapshot(info: "TaskInfo", now: Optional[float] = None) -> TaskSnapshot:
    """The snapshot of a task (and its children) from its ``TaskInfo``. Pure given ``now``.

    A shell task's own counts are used when it has them; otherwise its children's are summed
    (the farm renders a shell as child tasks). ``time_used`` is the render time the server
    reports, else the wall time since the task started. ``eta`` extrapolates the wall time per
    finished frame over the frames left.
    """
    now = time.time() if now is None else now
    children = [snapshot(c, now) for c in (getattr(info, "children", None) or [])]
    status = _status(getattr(info, "status", 0))
    total = int(_num(getattr(info, "total_frames", 0)))
    done = int(_num(getattr(info, "done_frames", 0)))
    running = int(_num(getattr(info, "executing_frames", 0)))
    failed = int(_num(getattr(info, "failed_frames", 0)))
    aborted = int(_num(getattr(info, "abort_frames", 0)))
    cost = _num(getattr(info, "render_consume", 0))
    used = _num(getattr(info, "render_duration", 0))
    if children and total == 0:
        total = sum(c.frames_total for c in children)
        done = sum(c.frames_done for c in children)
        running = sum(c.frames_running for c in children)
        failed = sum(c.frames_failed for c in children)
        aborted = 0
    if children and cost == 0:
        cost = sum(c.cost for c in children)
    if children and used == 0:
        used = sum(c.time_used for c in children)
    started = _ms(getattr(info, "start_time", 0))
    ended = _ms(getattr(info, "completed_date", 0))
    wall = max(0.0, (ended or now) - started) if started else 0.0
    if used == 0:
        used = wall
    waiting = max(0, total - done - running - failed - aborted)
    finished = status in TERMINAL_TASK_STATUSES
    countable = max(0, total - aborted)
    percent = 100.0 if finished and status == TaskStatus.FINISHED else (
        min(100.0, 100.0 * done / countable) if countable else 0.0)
    eta: Optional[float]
    if finished:
        eta = 0.0
    elif done > 0 and wall > 0:
        eta = wall / done * max(0, countable - done - failed)
    else:
        eta = None
    return TaskSnapshot(
        task_id=int(getattr(info, "id", 0) or 0), alias=str(getattr(info, "alias", "") or ""),
        scene_name=str(getattr(info, "scene_name", "") or ""), status=status, percent=round(percent, 2),
        frames_total=total, frames_done=done, frames_running=running, frames_failed=failed,
        frames_waiting=waiting, cost=round(cost, 4), time_used=used, eta=eta, finished=finished,
        children=children,
    )


def next_interval(current: float, base: float, maximum: float, changed: bool, error: bool = False) -> float:
    """The wait before the next round: ``base`` after a change, longer while nothing moves,
    longer still after an error; never above ``maximum``."""
    if error:
        return min(maximum, max(base, current) * ERROR_BACKOFF)
    if changed:
        return base
    return min(maximum, max(base, current) * BACKOFF)


class TaskMonitor:
    """Follows tasks until they end; one batched ``queryTaskInfo`` per :meth:`poll`.

    ``on_snapshot(List[TaskSnapshot])`` is called after every round (return False to stop
    :meth:`run`). A task that reached a terminal status is no longer asked about; its last
    snapshot stays in :attr:`snapshots`.
    """

    def __init__(self, client: Any, task_ids: Iterable[int], interval: float = 5.0, max_interval: float = 60.0,
                 on_snapshot: Optional[Callable[[List[TaskSnapshot]], Optional[bool]]] = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.interval = float(interval)
        self.max_interval = max(float(max_interval), self.interval)
        self.on_snapshot = on_snapshot
        self._clock = clock
        self._ids: List[int] = []
        self.snapshots: Dict[int, TaskSnapshot] = {}
        self._delays: Dict[int, float] = {}  # task -> its interval now
        self._due: Dict[int, float] = {}  # task -> when it is next asked about (clock time)
        self._polled_at = clock()
        self._lock = threading.Lock()
        self.requests = 0  #: queryTaskInfo calls made (for the benchmark)
        self.asked: Dict[int, int] = {}  #: task -> how many requests asked about it (for the benchmark)
        for tid in task_ids:
            self.add(tid)

    # the set of tasks ----------------------------------------------------------------------
    @property
    def task_ids(self) -> List[int]:
        with self._lock:
            return list(self._ids)

    def add(self, task_id: int) -> None:
        """Follow a task too (asked about at the next round)."""
        with self._lock:
            if int(task_id) not in self._ids:
                self._ids.append(int(task_id))
                self._delays[int(task_id)] = self.interval
                self._due[int(task_id)] = 0.0

    def remove(self, task_id: int) -> None:
        with self._lock:
            if int(task_id) in self._ids:
                self._ids.remove(int(task_id))
            self.snapshots.pop(int(task_id), None)
            self._delays.pop(int(task_id), None)
            self._due.pop(int(task_id), None)

    @property
    def finished(self) -> bool:
        """True when every followed task has ended."""
        ids = self.task_ids
        return bool(ids) and all(self.snapshots.get(t) is not None and self.snapshots[t].finished for t in ids)

    def _active(self, ids: List[int]) -> List[int]:
        return [t for t in ids if not (t in self.snapshots and self.snapshots[t].finished)]

    # one round -----------------------------------------------------------------------------
    def poll(self, due_only: bool = False) -> List[TaskSnapshot]:
        """Ask once about every unfinished task (``due_only``: those whose interval is over, or
        nearly); returns the snapshots of all followed tasks."""
        from renderbus_dcc.errors import RenderbusError

        ids = self.task_ids
        now = self._clock()
        active = self._active(ids)
        if due_only:  # (a task due within half an interval comes along: fewer rounds)
            soon = now + self.interval / 2.0
            active = [t for t in active if self._due.get(t, 0.0) <= soon]
        before = {t: self.snapshots[t].key() for t in active if t in self.snapshots}
        error = False
        if active:
            try:
                self._ask(active)
            except RenderbusError as exc:
                error = True
                log.info("monitor round failed: %s", exc)
                for t in active:
                    self.snapshots[t] = self._errored(t, str(exc))
        with self._lock:
            for t in active:
                if t not in self._delays:
                    continue  # removed meanwhile
                changed = t not in before or self.snapshots[t].key() != before[t]
                self._delays[t] = next_interval(self._delays[t], self.interval, self.max_interval, changed, error)
                self._due[t] = now + self._delays[t]
        self._polled_at = now
        return [self.snapshots[t] for t in ids if t in self.snapshots]

    def _ask(self, active: List[int]) -> None:
        """One queryTaskInfo for ``active``. A task deleted or not this account's fails the whole
        batch (404/403): then each is asked alone, once, and the bad one is dropped as ended."""
        from renderbus_dcc.errors import ForbiddenError, NotFoundError

        try:
            self.requests += 1
            for t in active:
                self.asked[t] = self.asked.get(t, 0) + 1
            items = self.client.query_task_info(active).items
        except (NotFoundError, ForbiddenError) as exc:
            if len(active) == 1:
                self.snapshots[active[0]] = self._errored(active[0], str(exc), gone=True)
                return
            for t in active:
                self._ask([t])
            return
        now = time.time()
        seen = set()
        for info in items:
            snap = snapshot(info, now)
            if snap.task_id in active:
                self.snapshots[snap.task_id] = snap
                seen.add(snap.task_id)
        for t in active:
            if t not in seen:
                self.snapshots[t] = self._errored(t, _("task %d not found on the farm") % t, gone=True)

    def _errored(self, task_id: int, message: str, gone: bool = False) -> TaskSnapshot:
        """The last snapshot with ``error`` set; ``gone`` (deleted, not ours) ends following it."""
        from dataclasses import replace

        old = self.snapshots.get(task_id) or TaskSnapshot(task_id=task_id)
        return replace(old, error=message, finished=old.finished or gone)

    def next_delay(self) -> float:
        """Seconds from the last :meth:`poll` to the next task due."""
        active = self._active(self.task_ids)
        with self._lock:
            dues = [self._due[t] for t in active if t in self._due]
        return max(0.0, min(dues) - self._polled_at) if dues else self.interval

    def run(self, stop_event: Optional[threading.Event] = None) -> List[TaskSnapshot]:
        """Poll until every task ended, ``stop_event`` is set or ``on_snapshot`` returns False;
        each round asks about the tasks due."""
        stop_event = stop_event or threading.Event()
        snaps = self.poll()
        while not stop_event.is_set():
            if self.on_snapshot is not None and self.on_snapshot(snaps) is False:
                break
            if self.finished:
                break
            stop_event.wait(max(0.0, self._polled_at + self.next_delay() - self._clock()))
            if stop_event.is_set():
                break
            snaps = self.poll(due_only=True)
        return snaps

    # on demand -----------------------------------------------------------------------------
    def frames(self, task_id: int, page: int = 1, page_size: int = 100) -> Any:
        """One page of a task's frames (``Page[FrameInfo]``)."""
        return self.client.query_task_frames(task_id, page_num=page, page_size=page_size)

    def progress_image(self, task_id: int, frame_type: Optional[int] = None) -> Any:
        """The task's progress image description (``ProgressImage``; block images via ``client.fetch``)."""
        return self.client.load_task_process_img(task_id, frame_type=frame_type)
