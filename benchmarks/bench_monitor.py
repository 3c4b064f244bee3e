"""How many requests the monitor costs: requests per minute per watched task, over whole task lives.

Runs a local farm fast (``--speed``, farm seconds per wall second), submits the example scene N
times, and follows the tasks with a TaskMonitor whose intervals (default 5 s, at most 60 s) are
scaled down by the same speed, so the figures are what a user watching real-time tasks costs.
Compared with a naive poller that asks about each task every 5 s (12 requests/min/task).

Then follows 200 tasks (``--follow``), one of 10,000 frames rendering and the others stopped
(idle), for ``--minutes`` of farm time: requests per round, and requests per minute for the
rendering task and for each idle one.

    python benchmarks/bench_monitor.py [--speed 50] [--tasks 1 5 20] [--follow 200] [--minutes 10]
"""

import argparse
import os
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def run(speed: float, tasks: int, interval: float, max_interval: float, frames: str) -> dict:
    from renderbus_dcc.examples import example_scene
    from renderbus_dcc.farm import LocalFarm
    from renderbus_dcc.monitor import TaskMonitor
    from renderbus_dcc.submission import SubmitOptions, submit

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["RENDERBUS_DATA_DIR"] = os.path.join(tmp, "data")
        with LocalFarm(data_dir=os.path.join(tmp, "farm"), speed=speed, seed=1) as farm:
            client = farm.client()
            scene = example_scene()
            ids = [submit(scene, client, SubmitOptions(frames=frames), confirm=lambda r: True).task_id
                   for _ in range(tasks)]
            monitor = TaskMonitor(client, ids, interval=interval / speed, max_interval=max_interval / speed)
            start = time.monotonic()
            monitor.run()
            wall = time.monotonic() - start
            client.close()
    farm_minutes = wall * speed / 60.0
    return {"tasks": tasks, "rounds": monitor.requests, "farm_minutes": farm_minutes,
            "per_min_per_task": monitor.requests / farm_minutes / tasks}


def follow_many(speed: float, count: int, minutes: float, interval: float, max_interval: float) -> dict:
    """Follow ``count`` tasks (one of 10,000 frames rendering, the rest stopped) for ``minutes`` farm minutes."""
    from farm_tasks import submit_maya
    from renderbus_dcc.farm import LocalFarm
    from renderbus_dcc.monitor import TaskMonitor
    from renderbus_dcc.transfer.localfarm import LocalFarmTransfer

    with tempfile.TemporaryDirectory() as tmp:
        with LocalFarm(data_dir=os.path.join(tmp, "farm"), speed=speed, seed=1) as farm:
            client = farm.client()
            transfer = LocalFarmTransfer(client)
            big = submit_maya(client, transfer, "1-10000")
            idle = [submit_maya(client, transfer, "1-100") for _ in range(count - 1)]
            client.stop_task(idle)
            monitor = TaskMonitor(client, [big] + idle, interval=interval / speed, max_interval=max_interval / speed)
            stop = threading.Event()
            timer = threading.Timer(minutes * 60.0 / speed, stop.set)
            timer.start()
            start = time.monotonic()
            monitor.run(stop)
            wall = time.monotonic() - start
            timer.cancel()
            client.close()
    farm_minutes = wall * speed / 60.0
    idle_rates = [monitor.asked.get(t, 0) / farm_minutes for t in idle]
    return {"requests": monitor.requests, "farm_minutes": farm_minutes, "big": monitor.asked.get(big, 0) / farm_minutes,
            "idle_max": max(idle_rates), "idle_mean": sum(idle_rates) / len(idle_rates),
            "per_min": monitor.requests / farm_minutes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed", type=float, default=50.0)
    parser.add_argument("--tasks", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument("--max-interval", type=float, default=60.0)
    parser.add_argument("--frames", default="1-24")
    parser.add_argument("--follow", type=int, default=200, help="tasks followed at once (0: skip)")
    parser.add_argument("--minutes", type=float, default=10.0, help="farm minutes to follow them")
    args = parser.parse_args()
    print("load average at start: %s" % " ".join("%.2f" % x for x in os.getloadavg()))
    print("monitor: interval %.0f s backing off to %.0f s; farm speed x%.0f; frames %s, 2 layers"
          % (args.interval, args.max_interval, args.speed, args.frames))
    print("%6s %8s %12s %22s %22s" % ("tasks", "requests", "task life", "requests/min/task", "naive 5 s per task"))
    for n in args.tasks:
        r = run(args.speed, n, args.interval, args.max_interval, args.frames)
        print("%6d %8d %9.1f min %22.2f %22.2f" % (n, r["rounds"], r["farm_minutes"], r["per_min_per_task"], 12.0))
    if args.follow:
        r = follow_many(args.speed, args.follow, args.minutes, args.interval, args.max_interval)
        print("following %d tasks (one of 10,000 frames rendering, %d stopped) for %.1f farm minutes: %d requests "
              "(%.1f a minute, one per round); the rendering task asked %.1f times a minute, each stopped task %.2f "
              "(at most %.2f: a stopped task has ended as far as following goes)" % (args.follow, args.follow - 1, r["farm_minutes"], r["requests"], r["per_min"], r["big"],
                                  r["idle_mean"], r["idle_max"]))
    print("load average at end: %s" % " ".join("%.2f" % x for x in os.getloadavg()))


if __name__ == "__main__":
    main()
