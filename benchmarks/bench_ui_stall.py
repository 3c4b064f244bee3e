"""How long the Qt event loop stalls while the windows work (the host's UI must not freeze).

    python benchmarks/bench_ui_stall.py [--mb 64] [--render-seconds 20]

A 1 ms precise QTimer records the gaps between its ticks; a gap is how long the UI thread
could not answer (a frame at 60 Hz is 16.7 ms). Measured, with the local farm in its own
process (as the real service is elsewhere):
  1. opening the submitter on the example scene (scene read, account, checks),
  2. a whole submission through the dialog (the example scene plus --mb MB of textures:
     hashing, task files, upload, submit),
  3. the monitor following the task while it renders (refresh rounds, frames, progress images),
  4. the monitor following 200 tasks (``--follow``), the selected one of 10,000 frames
     rendering, the others stopped, measured from the window's first paint; the frame list is
     scrolled to the end halfway.
Prints max / p99 / median stall per phase, in milliseconds, the idle event loop's own stalls
measured in the same run (the floor: what the machine does to an idle Qt loop), the gc
generation-2 collections of each phase, and for each stall over 16 ms what it was
(``stall_causes``): the main thread's CPU meanwhile (our callbacks, timed by name, and Qt's own
layout and paint), other threads of this process (a worker holding the interpreter lock), or the
process not running at all; with the gc pauses and worker jobs that overlapped it.
``--phases follow`` runs only 4; ``BENCH_SHOW_STALLS=1`` also prints when each round was shown.
"""

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Dict, List

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from farm_process import farm_process, isolated_home  # noqa: E402
from stall_causes import STALL_MS, Causes, Stall  # noqa: E402


class StallMeter:
    """Records the gaps between ticks of a 1 ms timer on the UI thread, and for each gap over 16 ms
    the main thread's and the process's CPU time meanwhile (see stall_causes)."""

    def __init__(self, causes: Causes) -> None:
        from renderbus_dcc.ui.qt import QtCore, enum

        self.causes = causes
        self.gaps: List[float] = []
        self.big: List[Stall] = []  # gaps over 16 ms
        self._last = 0.0
        self._cpu = (0.0, 0.0)
        self._ours: Dict[str, float] = {}
        self._start = 0.0
        self.timer = QtCore.QTimer()
        self.timer.setTimerType(enum(QtCore.Qt, "TimerType", "PreciseTimer"))
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        cpu = (time.thread_time(), time.process_time())
        ours = self.causes.main
        if self._last:
            gap = (now - self._last) * 1000.0
            self.gaps.append(gap)
            if gap > STALL_MS:
                self.big.append(Stall(self._last, now, cpu[0] - self._cpu[0], cpu[1] - self._cpu[1],
                                      {k: v - self._ours.get(k, 0.0) for k, v in ours.items()}))
        self._last, self._cpu, self._ours = now, cpu, dict(ours)

    def start(self) -> None:
        self.gaps, self.big, self._last, self._start = [], [], 0.0, time.perf_counter()
        self.timer.start()

    def stop(self) -> List[float]:
        self.timer.stop()
        return list(self.gaps)


def run_loop_until(predicate: Any, timeout: float, what: str) -> None:
    from renderbus_dcc.ui.qt import QtCore, exec_dialog

    loop = QtCore.QEventLoop()
    end = time.monotonic() + timeout
    check = QtCore.QTimer()
    check.setInterval(5)

    def poll() -> None:
        if predicate() or time.monotonic() > end:
            loop.quit()

    check.timeout.connect(poll)
    check.start()
    exec_dialog(loop)
    check.stop()
    if not predicate():
        raise SystemExit("timed out waiting for %s" % what)


def report(name: str, meter: StallMeter) -> None:
    """The phase's stalls (max, p99, median), then each stall over 16 ms and what it was."""
    gaps = meter.stop()
    if not gaps:
        print("%-28s no ticks" % name)
        return
    ordered = sorted(gaps)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print("%-28s ticks %6d   max stall %7.1f ms   p99 %6.1f ms   median %5.2f ms   >16 ms: %d"
          % (name, len(gaps), ordered[-1], p99, statistics.median(ordered), len(meter.big)))
    gen2 = meter.causes.gc_pauses(meter._start, time.perf_counter())
    print("%-28s gc generation-2 collections: %d%s" % ("", len(gen2), (", longest %.1f ms" % max(gen2)) if gen2 else ""))
    if meter.big:
        print("%-28s stalls over %d ms, by main cause: %s" % ("", STALL_MS, meter.causes.summary(meter.big)))
    for stall in meter.big:
        print("    %6.2f s  %5.1f ms  %-9s %s" % (stall.start - meter._start, stall.gap_ms, meter.causes.verdict(stall),
                                               meter.causes.explain(stall)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=64, help="MB of extra textures to upload (default 64)")
    parser.add_argument("--render-seconds", type=float, default=20.0, help="how long to watch the render")
    parser.add_argument("--speed", type=float, default=4.0, help="the local farm's speed")
    parser.add_argument("--follow", type=int, default=200, help="tasks the monitor follows in phase 4 (0: skip)")
    parser.add_argument("--follow-seconds", type=float, default=20.0, help="how long to watch them")
    parser.add_argument("--phases", default="all", choices=("all", "follow"))
    args = parser.parse_args()
    print("load average at start: %s" % " ".join("%.2f" % x for x in os.getloadavg()))

    home = isolated_home("rb_bench_ui_")
    with farm_process(str(home / "farm"), args.speed) as (url, access_id, access_key, pid):
        run(args, home, url, access_id, access_key, pid)
    print("load average at end: %s" % " ".join("%.2f" % x for x in os.getloadavg()))
    return 0


def run(args: Any, home: Path, url: str, access_id: str, access_key: str, pid: int) -> None:
    """The phases asked for, against the farm at ``url`` (process ``pid``)."""
    from renderbus_dcc.cli.submit import load_scene
    from renderbus_dcc.config import Config, save_config
    from renderbus_dcc.farm import LocalFarm
    from renderbus_dcc.scene import Asset
    from renderbus_dcc.ui.account import account
    from renderbus_dcc.ui.preview import example_scene_or_fallback
    from renderbus_dcc.ui.qt import QtWidgets

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    save_config(Config(access_id=access_id, access_key=access_key, endpoint=url, platform=LocalFarm.platform,
                       profile="v1"))
    account().reset()

    # a copy of the example in this run's folder: the monitor downloads finished frames into the
    # scene's output folder, which must not be the package's own example
    shutil.copytree(str(example_scene_or_fallback().project_dir), str(home / "scene"))
    scene = load_scene(str(home / "scene" / "scene.json"))
    tex = home / "textures"
    tex.mkdir()
    per_file = 8 * 1024 * 1024
    for i in range(max(0, args.mb * 1024 * 1024 // per_file)):
        path = tex / ("big_%02d.exr" % i)
        with open(path, "wb") as handle:
            handle.write(os.urandom(per_file))
        scene.assets.append(Asset(str(path), "big%d.fileTextureName" % i, "texture"))
    print("scene: %s, %d assets, %d MB of extra textures; farm in process %d at %s"
          % (scene.scene_name, len(scene.assets), args.mb, pid, url))

    causes = Causes()
    causes.start()
    meter = StallMeter(causes)
    if args.phases == "all":
        submit_and_watch(app, scene, meter, args)
    if args.follow:
        follow_many(app, scene, meter, args.follow, args.follow_seconds)
    app.processEvents()
    causes.stop()


def submit_and_watch(app: Any, scene: Any, meter: StallMeter, args: Any) -> None:
    """Phases 1-3: the submitter opened and used, then the monitor following the task."""
    from renderbus_dcc.ui import HostHooks
    from renderbus_dcc.ui.monitor import MonitorWindow
    from renderbus_dcc.ui.submitter import SubmitterWindow

    started = time.perf_counter()
    window = SubmitterWindow(HostHooks(scene))  # widgets, describe_scene(): main-thread work by nature
    window.show()
    app.processEvents()  # the first paint
    print("%-28s %7.1f ms (widgets, reading the scene, first paint: once per opening)"
          % ("open submitter", (time.perf_counter() - started) * 1000.0))
    meter.start()
    run_loop_until(lambda: window.submit_button.isEnabled(), 120, "the submitter to be ready")
    report("checks (account, prepare)", meter)

    window.confirm_warnings = lambda r: True  # type: ignore[assignment]
    started = time.perf_counter()
    meter.start()
    window.submit()
    run_loop_until(lambda: window.result is not None or window.last_error is not None, 300, "the submission")
    if window.last_error is not None:
        raise SystemExit("submission failed: %s" % window.last_error)
    report("submission (%.1f s)" % (time.perf_counter() - started), meter)
    task_id = window.result.task_id
    window.close()

    started = time.perf_counter()
    monitor = MonitorWindow(HostHooks(scene), [task_id], interval=0.5, max_interval=2.0)
    monitor.show()
    app.processEvents()
    print("%-28s %7.1f ms" % ("open monitor", (time.perf_counter() - started) * 1000.0))
    meter.start()
    end = time.monotonic() + args.render_seconds
    run_loop_until(lambda: time.monotonic() > end or (
        monitor.last_result is not None and task_id in monitor.last_result.infos
        and monitor.last_result.infos[task_id].is_terminal), args.render_seconds + 30, "the render")
    rounds = "image shown" if monitor.image_shown else "no image"
    report("monitored render (%s)" % rounds, meter)
    monitor.close()


def follow_many(app: Any, scene: Any, meter: StallMeter, count: int, seconds: float) -> None:
    """Phase 4: the monitor following ``count`` tasks, the selected one of 10,000 frames rendering."""
    from farm_tasks import submit_maya
    from renderbus_dcc.ui import HostHooks
    from renderbus_dcc.ui.account import account
    from renderbus_dcc.ui.monitor import MonitorWindow
    from renderbus_dcc.transfer.localfarm import LocalFarmTransfer

    client = account().client()
    transfer = LocalFarmTransfer(client)
    started = time.perf_counter()
    big = submit_maya(client, transfer, "1-10000")
    idle = [submit_maya(client, transfer, "1-100") for _ in range(count - 1)]
    client.stop_task(idle)
    run_loop_until(lambda: client.query_task_info([big]).items[0].total_frames == 10000, 120, "the big task's frames")
    print("%-28s %7.1f s" % ("%d tasks submitted" % count, time.perf_counter() - started))
    meter.start()
    idle_end = time.monotonic() + min(5.0, seconds / 2)
    run_loop_until(lambda: time.monotonic() > idle_end, seconds, "the idle loop")
    report("idle event loop (the floor)", meter)
    round_ms: List[float] = []
    round_at: List[Any] = []
    pieces = {name: MonitorWindow.__dict__[name] for name in ("_show_round", "_show_rest")
              if name in MonitorWindow.__dict__}  # (main's code shows a round in one piece)
    for name, show in pieces.items():
        setattr(MonitorWindow, name, _timed(show, meter, round_ms, round_at))
    started = time.perf_counter()
    monitor = MonitorWindow(HostHooks(scene), [big] + idle, interval=1.0, max_interval=5.0)
    monitor.show()
    app.processEvents()  # the first paint
    print("%-28s %7.1f ms" % ("open monitor (%d tasks)" % count, (time.perf_counter() - started) * 1000.0))
    meter.start()
    end = time.monotonic() + seconds
    run_loop_until(lambda: time.monotonic() > end - seconds / 2, seconds, "half the time")
    monitor.frames_table.scrollToBottom()
    run_loop_until(lambda: time.monotonic() > end, seconds, "the end")
    shown = monitor.last_result.frames if monitor.last_result is not None else []
    report("following %d tasks" % count, meter)
    if os.environ.get("BENCH_SHOW_STALLS"):
        paints = []
        for _ in range(5):
            t0 = time.perf_counter()
            monitor.repaint()
            paints.append((time.perf_counter() - t0) * 1000.0)
        print("    a whole repaint of the window: %s ms" % ", ".join("%.0f" % p for p in paints))
        print("    rounds shown at (s): %s" % ", ".join("%.2f:%.1f" % r for r in round_at))
    if round_ms:
        print("%-28s %d rounds shown; main-thread time per piece of a round: max %.1f ms, median %.1f ms"
              % ("", len(round_ms), max(round_ms), statistics.median(round_ms)))
    print("%-28s %d frames fetched in the last round; frame list rows: %d"
          % ("", len(shown), _rows(monitor)))
    monitor.close()
    client.close()
    for name, show in pieces.items():
        setattr(MonitorWindow, name, show)


def _timed(show: Any, meter: StallMeter, took: List[float], at: List[Any]) -> Any:
    """``show`` (a piece of showing a round), its main-thread time appended to ``took``."""
    def timed(*args: Any) -> None:
        t0 = time.perf_counter()
        show(*args)
        took.append((time.perf_counter() - t0) * 1000.0)
        at.append((t0 - meter._start, took[-1]))
    return timed


def _rows(monitor: Any) -> int:
    model = getattr(monitor, "frames_model", None)
    return model.rowCount() if model is not None else monitor.frames_table.rowCount()


if __name__ == "__main__":
    sys.exit(main())
