"""What was going on during each stall of the Qt event loop (for bench_ui_stall).

The meter's 1 ms timer reads, at every tick, the main thread's CPU time and the whole process's.
Over a gap (a stall) that says where the time went:
- the main thread was running: work on the UI thread (ours, timed by name below, or Qt's own
  layout and paint, which is the rest),
- other threads of this process were running while the main thread was not: a worker held the
  interpreter lock (the main thread waits for it to be let go: every 5 ms at the latest between
  bytecodes, not within one long C call such as ``json.loads``), or the two cores were busy,
- neither: the process was not running at all (the machine's other processes, the farm: the floor).
Events recorded beside it: garbage collections (``gc.callbacks``: generation, duration, thread),
our main-thread callbacks (named, timed) and the worker jobs that ran (name, interval, CPU).
Only observes: nothing here changes the interpreter's settings.
"""

import gc
import threading
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

__all__ = ["Causes"]

#: A stall worth explaining, ms (a frame at 60 Hz).
STALL_MS = 16.0


class Causes:
    """Records gc pauses, main-thread callbacks and worker jobs; explains the stalls of a meter."""

    def __init__(self) -> None:
        self.gcs: List[Tuple[float, float, int, str, int]] = []  # (start, end, generation, thread, objects)
        self.jobs: List[Tuple[float, float, str, float]] = []  # (start, end, name, thread CPU s)
        self.main: Dict[str, float] = {}  # callback name -> main-thread seconds so far
        self._gc_start: Dict[int, float] = {}
        self._patched: List[Tuple[Any, str, Any]] = []

    # recording ----------------------------------------------------------------------------
    def start(self) -> None:
        """Record gc pauses, the window's main-thread callbacks and the worker jobs from now."""
        from renderbus_dcc.ui import frames, monitor, workers

        gc.callbacks.append(self._gc)
        self._wrap(workers.Job, "_run", self._job)
        for cls, name in ((workers.TaskRunner, "_deliver_done"), (workers.TaskRunner, "_deliver_progress"),
                          (monitor.MonitorWindow, "refresh"), (frames.FrameModel, "data")):
            self._wrap(cls, name, self._timed("%s.%s" % (cls.__name__, name)))

    def stop(self) -> None:
        if self._gc in gc.callbacks:
            gc.callbacks.remove(self._gc)
        for owner, name, original in reversed(self._patched):
            setattr(owner, name, original)
        self._patched = []

    def _wrap(self, owner: Any, name: str, make: Callable[[Any], Any]) -> None:
        original = owner.__dict__.get(name)  # (a name the code being measured lacks: nothing to time)
        if original is None:
            return
        self._patched.append((owner, name, original))
        setattr(owner, name, make(original))

    def _gc(self, phase: str, info: Dict[str, int]) -> None:
        now = time.perf_counter()
        ident = threading.get_ident()
        if phase == "start":
            self._gc_start[ident] = now
        elif ident in self._gc_start:
            self.gcs.append((self._gc_start.pop(ident), now, info.get("generation", -1),
                             threading.current_thread().name, info.get("collected", 0)))

    def _job(self, original: Any) -> Any:
        def run(job: Any) -> None:
            t0, c0 = time.perf_counter(), time.thread_time()
            try:
                original(job)
            finally:
                self.jobs.append((t0, time.perf_counter(), job.name, time.thread_time() - c0))
        return run

    def _timed(self, label: str) -> Callable[[Any], Any]:
        def make(original: Any) -> Any:
            def call(*args: Any, **kwargs: Any) -> Any:
                t0 = time.perf_counter()
                try:
                    return original(*args, **kwargs)
                finally:
                    self.main[label] = self.main.get(label, 0.0) + time.perf_counter() - t0
            return call
        return make

    # explaining ---------------------------------------------------------------------------
    def explain(self, stall: "Stall") -> str:
        """One line: where the stall's time went and what overlapped it."""
        ms = stall.gap_ms
        others = max(0.0, stall.process_cpu_ms - stall.main_cpu_ms)
        ours = {k: v * 1000.0 for k, v in stall.main_delta.items() if v > 0.0005}
        ours_ms = sum(ours.values())
        parts = ["main thread ran %.0f ms (ours %.0f: %s; Qt's own %.0f)" % (
            stall.main_cpu_ms, ours_ms, ", ".join("%s %.0f" % (k.split(".")[-1], v) for k, v in sorted(ours.items()))
            or "-", max(0.0, stall.main_cpu_ms - ours_ms)),
            "other threads %.0f ms CPU" % others,
            "process idle %.0f ms" % max(0.0, ms - stall.main_cpu_ms - others)]
        gcs = ["gen%d %.1f ms on %s (%d freed)" % (g, (e - s) * 1000.0, who, freed)
               for s, e, g, who, freed in self.gcs if s < stall.end and e > stall.start]
        if gcs:
            parts.append("gc: " + ", ".join(gcs))
        jobs = sorted({name for s, e, name, _cpu in self.jobs if s < stall.end and e > stall.start})
        if jobs:
            parts.append("jobs running: " + ", ".join(jobs))
        return "; ".join(parts)

    def verdict(self, stall: "Stall") -> str:
        """The stall's main cause, in a word: ours-main, qt, worker, gc, idle (not scheduled)."""
        gc_ms = sum((min(e, stall.end) - max(s, stall.start)) * 1000.0
                    for s, e, _g, _w, _f in self.gcs if s < stall.end and e > stall.start)
        ours_ms = sum(stall.main_delta.values()) * 1000.0
        others = max(0.0, stall.process_cpu_ms - stall.main_cpu_ms)
        shares = {"gc": gc_ms, "ours-main": ours_ms - gc_ms if gc_ms < ours_ms else ours_ms,
                  "qt": max(0.0, stall.main_cpu_ms - ours_ms), "worker": max(0.0, others - gc_ms),
                  "idle": max(0.0, stall.gap_ms - stall.main_cpu_ms - others)}
        return max(shares, key=lambda k: shares[k])

    def summary(self, stalls: List["Stall"]) -> str:
        counts: Dict[str, int] = {}
        for s in stalls:
            counts[self.verdict(s)] = counts.get(self.verdict(s), 0) + 1
        return ", ".join("%s %d" % kv for kv in sorted(counts.items())) or "none"

    def gc_pauses(self, start: float, end: float, generation: int = 2) -> List[float]:
        """Durations (ms) of the collections of ``generation`` between ``start`` and ``end``."""
        return [(e - s) * 1000.0 for s, e, g, _w, _f in self.gcs if g == generation and start <= s <= end]


class Stall:
    """One gap between two ticks, with the CPU the main thread and the process used meanwhile."""

    def __init__(self, start: float, end: float, main_cpu: float, process_cpu: float,
                 main_delta: Optional[Dict[str, float]] = None) -> None:
        self.start, self.end = start, end
        self.gap_ms = (end - start) * 1000.0
        self.main_cpu_ms = main_cpu * 1000.0
        self.process_cpu_ms = process_cpu * 1000.0
        self.main_delta = main_delta or {}
