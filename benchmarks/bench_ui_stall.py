"""How long the Qt event loop stalls while the windows work (the host's UI must not freeze).

    python benchmarks/bench_ui_stall.py [--mb 64] [--render-seconds 20]

A 1 ms precise QTimer records the gaps between its ticks; a gap is how long the UI thread
could not answer (a frame at 60 Hz is 16.7 ms). Measured, with the local farm in its own
process (as the real service is elsewhere):
  1. opening the submitter on the example scene (scene read, account, checks),
  2. a whole submission through the dialog (the example scene plus --mb MB of textures:
     hashing, task files, upload, submit),
  3. the monitor following the task while it renders (refresh rounds, frames, progress images).
Prints max / p99 / median stall per phase, in milliseconds.
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, List

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _serve_farm(data_dir: str, speed: float, queue: Any, stop: Any) -> None:
    from renderbus_dcc.farm import LocalFarm

    with LocalFarm(data_dir=data_dir, speed=speed, seed=7) as farm:
        queue.put((farm.url, farm.access_id, farm.access_key, farm.platform))
        stop.wait()


class StallMeter:
    """Records the gaps between ticks of a 1 ms timer on the UI thread."""

    def __init__(self) -> None:
        from renderbus_dcc.ui.qt import QtCore, enum

        self.gaps: List[float] = []
        self._last = 0.0
        self.timer = QtCore.QTimer()
        self.timer.setTimerType(enum(QtCore.Qt, "TimerType", "PreciseTimer"))
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last:
            self.gaps.append((now - self._last) * 1000.0)
        self._last = now

    def start(self) -> None:
        self.gaps, self._last = [], 0.0
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


def report(name: str, gaps: List[float]) -> None:
    if not gaps:
        print("%-28s no ticks" % name)
        return
    ordered = sorted(gaps)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print("%-28s ticks %6d   max stall %7.1f ms   p99 %6.1f ms   median %5.2f ms   >16 ms: %d"
          % (name, len(gaps), ordered[-1], p99, statistics.median(ordered), sum(1 for g in gaps if g > 16.0)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=64, help="MB of extra textures to upload (default 64)")
    parser.add_argument("--render-seconds", type=float, default=20.0, help="how long to watch the render")
    parser.add_argument("--speed", type=float, default=4.0, help="the local farm's speed")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="rb_bench_ui_"))
    for name in list(os.environ):
        if name.startswith("RENDERBUS_"):
            del os.environ[name]
    os.environ.update(RENDERBUS_CONFIG_DIR=str(home / "config"), RENDERBUS_DATA_DIR=str(home / "data"),
                      RENDERBUS_KEYRING="0")

    ctx = multiprocessing.get_context("spawn")
    queue, stop = ctx.Queue(), ctx.Event()
    server = ctx.Process(target=_serve_farm, args=(str(home / "farm"), args.speed, queue, stop), daemon=True)
    server.start()
    url, access_id, access_key, platform = queue.get(timeout=60)

    from renderbus_dcc.config import Config, save_config
    from renderbus_dcc.scene import Asset
    from renderbus_dcc.ui import HostHooks
    from renderbus_dcc.ui.account import account
    from renderbus_dcc.ui.monitor import MonitorWindow
    from renderbus_dcc.ui.preview import example_scene_or_fallback
    from renderbus_dcc.ui.qt import QtWidgets
    from renderbus_dcc.ui.submitter import SubmitterWindow

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    save_config(Config(access_id=access_id, access_key=access_key, endpoint=url, platform=platform, profile="v1"))
    account().reset()

    scene = example_scene_or_fallback()
    tex = home / "textures"
    tex.mkdir()
    per_file = 8 * 1024 * 1024
    for i in range(max(0, args.mb * 1024 * 1024 // per_file)):
        path = tex / ("big_%02d.exr" % i)
        with open(path, "wb") as handle:
            handle.write(os.urandom(per_file))
        scene.assets.append(Asset(str(path), "big%d.fileTextureName" % i, "texture"))
    print("scene: %s, %d assets, %d MB of extra textures; farm in process %d at %s"
          % (scene.scene_name, len(scene.assets), args.mb, server.pid, url))

    meter = StallMeter()
    started = time.perf_counter()
    window = SubmitterWindow(HostHooks(scene))  # widgets, describe_scene(): main-thread work by nature
    window.show()
    app.processEvents()  # the first paint
    print("%-28s %7.1f ms (widgets, reading the scene, first paint: once per opening)"
          % ("open submitter", (time.perf_counter() - started) * 1000.0))
    meter.start()
    run_loop_until(lambda: window.submit_button.isEnabled(), 120, "the submitter to be ready")
    report("checks (account, prepare)", meter.stop())

    window.confirm_warnings = lambda r: True  # type: ignore[assignment]
    started = time.perf_counter()
    meter.start()
    window.submit()
    run_loop_until(lambda: window.result is not None or window.last_error is not None, 300, "the submission")
    gaps = meter.stop()
    if window.last_error is not None:
        raise SystemExit("submission failed: %s" % window.last_error)
    report("submission (%.1f s)" % (time.perf_counter() - started), gaps)
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
    gaps = meter.stop()
    rounds = "image shown" if monitor.image_shown else "no image"
    report("monitored render (%s)" % rounds, gaps)
    monitor.close()
    app.processEvents()
    stop.set()
    server.join(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
