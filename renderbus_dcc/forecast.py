"""A forecast from the test frames: what the whole task will cost and when it will be done.

Once a task's test frames (priority frames, ``frameType`` 4) are rendered, their real render
times and the account's price give the rest of the task: the frames left, times the mean time
per frame, times the price of a render second, plus what was spent; the finish time is the frames
left in waves over the nodes the task gets. The range says how sure that is: the mean's standard
error twice over (at least 10 % either way, 25 % with one test frame), within the fastest and
slowest test frame. Without test frames, the frames finished so far stand in for them.

:func:`forecast` is a pure function of the task, its frames and the account's profile;
:func:`fetch_forecast` asks the farm for them (off the UI thread).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, List, Optional, Sequence

from renderbus_dcc.constants import FrameStatus, FrameType, TaskStatus
from renderbus_dcc.i18n import _, ngettext

__all__ = ["Forecast", "forecast", "fetch_forecast", "describe", "stopped_after_test", "CORES_PER_NODE"]

#: ``cpuPrice`` is per core-hour; a render node has this many cores (the bill of a node-second).
CORES_PER_NODE = 8


@dataclass
class Forecast:
    """The whole task's expected cost and render time, with a range (money in the account's currency)."""

    task_id: int
    basis: str  #: "test" (the test frames) or "done" (the frames finished so far)
    samples: int  #: frames the figures come from
    seconds_per_frame: float
    seconds_low: float
    seconds_high: float
    frames_left: int
    nodes: int
    price_per_second: float
    spent: float
    cost: float
    cost_low: float
    cost_high: float
    duration: float  #: seconds to render the frames left, from now
    duration_low: float
    duration_high: float
    made_at: float  #: time.time() when it was made
    waiting: bool = False  #: the task is stopped after its test frames: Start renders the rest

    @property
    def finish_at(self) -> float:
        """When the task would be done if it carried on now (seconds since the epoch)."""
        return self.made_at + self.duration


def _price_per_second(frames: Sequence[Any], profile: Any) -> float:
    """The account's price of a render second: what its finished frames were billed per second,
    else its CPU price (per core-hour) for a node."""
    fee = sum(float(getattr(f, "fee_amount", 0) or 0) + float(getattr(f, "coupon_fee", 0) or 0) for f in frames)
    seconds = sum(int(getattr(f, "execute_time", 0) or 0) for f in frames)
    if fee > 0 and seconds > 0:
        return fee / seconds
    cpu = float(getattr(profile, "cpu_price", 0) or 0)
    return cpu * CORES_PER_NODE / 3600.0


def _concurrency(frames: Sequence[Any]) -> int:
    """The most frames that rendered at the same time."""
    events = []
    for f in frames:
        if f.start_time and f.end_time:
            events += [(int(f.start_time), 1), (int(f.end_time), -1)]
    best = current = 0
    for _t, delta in sorted(events, key=lambda e: (e[0], e[1])):
        current += delta
        best = max(best, current)
    return best


def forecast(info: Any, frames: Sequence[Any], profile: Any = None, now: Optional[float] = None) -> Optional[Forecast]:
    """The forecast of a task (``TaskInfo``) from its frames (``FrameInfo``, every rendering
    task's); None while no frame has finished."""
    now = time.time() if now is None else now
    done = [f for f in frames if int(f.status) == FrameStatus.DONE and int(f.frame_type) != FrameType.PHOTON
            and int(f.execute_time or 0) > 0]
    tests = [f for f in done if int(f.frame_type) == FrameType.PRIORITY]
    samples = tests or done
    if not samples:
        return None
    times = [float(f.execute_time) for f in samples]
    n = len(times)
    mean = sum(times) / n
    if n > 1:
        sd = math.sqrt(sum((t - mean) ** 2 for t in times) / (n - 1))
        spread = max(2.0 * sd / math.sqrt(n), 0.10 * mean)
    else:
        spread = 0.25 * mean
    low = max(min(times), mean - spread) if n > 1 else mean - spread
    high = min(max(times), mean + spread) if n > 1 else mean + spread
    left = [f for f in frames if int(f.status) not in (FrameStatus.DONE, FrameStatus.FAILED)]
    price = _price_per_second(done, profile)
    spent = sum(float(f.fee_amount or 0) + float(f.coupon_fee or 0) for f in frames)
    limit = int(getattr(info, "task_limit", 0) or 0)
    nodes = max(1, min(limit, len(left)) if limit else _concurrency(done) or n)
    waves = int(math.ceil(len(left) / float(nodes))) if left else 0
    status = getattr(info, "status", None)
    return Forecast(
        task_id=int(getattr(info, "id", 0) or 0), basis="test" if tests else "done", samples=n,
        seconds_per_frame=mean, seconds_low=low, seconds_high=high, frames_left=len(left), nodes=nodes,
        price_per_second=price, spent=round(spent, 4),
        cost=spent + len(left) * mean * price, cost_low=spent + len(left) * low * price,
        cost_high=spent + len(left) * high * price,
        duration=waves * mean, duration_low=waves * low, duration_high=waves * high, made_at=now,
        waiting=stopped_after_test(status, frames),
    )


def stopped_after_test(status: Any, frames: Sequence[Any]) -> bool:
    """True when a task waits after its test frames: stopped, its test frames done, frames left."""
    if status is None or int(status) != TaskStatus.STOP:
        return False
    tests = [f for f in frames if int(f.frame_type) == FrameType.PRIORITY]
    return bool(tests) and all(int(f.status) in (FrameStatus.DONE, FrameStatus.FAILED) for f in tests) and any(
        int(f.status) == FrameStatus.STOPPED for f in frames)


def task_frames(client: Any, info: Any, page_size: int = 1000) -> List[Any]:
    """Every frame of a task: the task's own pages (the rendering tasks' where it lists none)."""
    out: List[Any] = []
    ids = [int(info.id)]
    for attempt in (0, 1):
        for task_id in ids:
            page_num = 1
            while True:
                page = client.query_task_frames(task_id, page_num=page_num, page_size=page_size)
                out += list(page.items)
                if page_num >= max(1, page.page_count):
                    break
                page_num += 1
        if out or attempt or not getattr(info, "children", None):
            return out
        ids = [int(c.id) for c in info.children]
    return out


def fetch_forecast(client: Any, task_id: int, profile: Any = None, page_size: int = 1000) -> Optional[Forecast]:
    """Ask the farm for what a forecast needs (the task, its frames ``page_size`` a request, the
    account) and make it."""
    items = client.query_task_info([int(task_id)]).items
    if not items:
        return None
    info = items[0]
    if profile is None:
        try:
            profile = client.query_user_profile()
        except Exception:  # the price is also in the frames' fees
            profile = None
    return forecast(info, task_frames(client, info, page_size), profile)


def _money(value: float) -> str:
    return "%.2f" % value


def _span(seconds: float) -> str:
    seconds = int(round(max(0.0, seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "%d:%02d:%02d" % (hours, minutes, secs) if hours else "%d:%02d" % (minutes, secs)


def describe(fc: Forecast) -> List[str]:
    """The forecast in a few lines a person reads (monitors and the command line)."""
    from datetime import datetime

    if fc.basis == "test":
        basis = ngettext("from %d test frame", "from %d test frames", fc.samples) % fc.samples
    else:
        basis = ngettext("from %d finished frame", "from %d finished frames", fc.samples) % fc.samples
    finish = datetime.fromtimestamp(fc.finish_at).strftime("%H:%M")
    lines = [
        _("Forecast %(basis)s: %(time)s a frame (%(low)s to %(high)s)") % {
            "basis": basis, "time": _span(fc.seconds_per_frame), "low": _span(fc.seconds_low),
            "high": _span(fc.seconds_high)},
        _("Whole task: about %(cost)s (%(low)s to %(high)s), %(spent)s of it spent") % {
            "cost": _money(fc.cost), "low": _money(fc.cost_low), "high": _money(fc.cost_high),
            "spent": _money(fc.spent)},
        ngettext("%(left)d frame left on %(nodes)d node(s): about %(time)s (%(low)s to %(high)s), done around %(at)s",
                 "%(left)d frames left on %(nodes)d node(s): about %(time)s (%(low)s to %(high)s), done around %(at)s",
                 fc.frames_left) % {
            "left": fc.frames_left, "nodes": fc.nodes, "time": _span(fc.duration), "low": _span(fc.duration_low),
            "high": _span(fc.duration_high), "at": finish},
    ]
    if fc.waiting:
        lines.append(_("The task waits after its test frames: Start renders the rest, Abort ends it."))
    return lines
