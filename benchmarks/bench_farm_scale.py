"""The local farm at production scale: 10 tasks of 100,000 frames rendering at once.

    python benchmarks/bench_farm_scale.py [--tasks 10] [--frames 100000] [--samples 200] [--speed 100]

The farm runs in its own process (as the service is elsewhere); this one is the client
(``RenderbusClient``: signing, the envelope, typed results). Once every task renders, it
times ``--samples`` calls each of getTaskList (page of 20), queryTaskInfo (all the tasks)
and queryTaskFrames (a page of 100, pages spread over the task), interleaved, and prints
p50 / p95 / max per call; then signed requests per second with 1 and 4 keep-alive client
threads of this process and 4 client processes (queryUserSetting, and getTaskList), with the
farm process's and the clients' CPU time per request, the big tasks still rendering; and the farm
process's memory (peak and current resident set, from /proc). The farm time runs ``--speed``
times the wall clock, so the tasks' lives move on between calls (about 50 frames end per
task per wall second at speed 100).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from typing import Any, Dict, List

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from farm_process import farm_process, rates  # noqa: E402


def memory_mb(pid: int) -> Dict[str, float]:
    """Peak (VmHWM) and current (VmRSS) resident memory of a process, MB."""
    out = {}
    with open("/proc/%d/status" % pid) as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                out[key] = int(value.split()[0]) / 1024.0
    return out


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10)
    parser.add_argument("--frames", type=int, default=100000)
    parser.add_argument("--samples", type=int, default=200, help="calls of each kind timed")
    parser.add_argument("--speed", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each requests/s run")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="rb_bench_scale_")
    try:
        with farm_process(os.path.join(tmp, "farm"), args.speed) as (url, access_id, access_key, pid):
            run(args, url, access_id, access_key, pid)
    finally:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def run(args: Any, url: str, access_id: str, access_key: str, pid: int) -> None:
    from farm_tasks import submit_maya
    from renderbus_dcc.client import RenderbusClient
    from renderbus_dcc.transfer.localfarm import LocalFarmTransfer

    def make_client() -> Any:
        return RenderbusClient(access_id, access_key, endpoint=url, platform=2, timeout=300.0)

    client = make_client()
    print("load average at start: %s" % " ".join("%.2f" % x for x in os.getloadavg()))
    started = time.monotonic()
    transfer = LocalFarmTransfer(client)
    ids = [submit_maya(client, transfer, "1-%d" % args.frames) for _ in range(args.tasks)]
    while True:
        infos = client.query_task_info(ids).items
        if all(int(i.status) == 5 and sum(c.total_frames for c in i.children) == args.frames for i in infos):
            break
        time.sleep(0.05)
    print("%d tasks of %d frames submitted and rendering after %.1f s (farm speed x%g); farm memory now %s"
          % (args.tasks, args.frames, time.monotonic() - started, args.speed,
             ", ".join("%s %.0f MB" % kv for kv in memory_mb(pid).items())))

    times: Dict[str, List[float]] = {"getTaskList (page of 20)": [], "queryTaskInfo (%d tasks)" % len(ids): [],
                                     "queryTaskFrames (page of 100)": []}
    names = list(times)
    pages = max(1, args.frames // 100)
    for n in range(args.samples):
        calls = [lambda: client.get_task_list(page_num=1, page_size=20),
                 lambda: client.query_task_info(ids),
                 lambda: client.query_task_frames(ids[n % len(ids)], page_num=1 + (n * 97) % pages, page_size=100)]
        for name, call in zip(names, calls):
            t0 = time.perf_counter()
            call()
            times[name].append((time.perf_counter() - t0) * 1000.0)
    print("%-32s %8s %8s %8s   (%d calls each, interleaved)" % ("call", "p50 ms", "p95 ms", "max ms", args.samples))
    for name in names:
        values = times[name]
        print("%-32s %8.1f %8.1f %8.1f" % (name, statistics.median(values), percentile(values, 0.95), max(values)))
    done = sum(sum(c.done_frames for c in i.children) for i in client.query_task_info(ids).items)
    print("frames done so far over the %d tasks: %d" % (len(ids), done))
    farm = (url, access_id, access_key)
    for line in rates(farm, pid, args.seconds, "queryUserSetting"):
        print(line)
    for line in rates(farm, pid, args.seconds, "getTaskList", counts=[4]):
        print(line + "  (page of 20 of the big tasks)")
    mem = memory_mb(pid)
    print("farm process memory: peak %.0f MB, now %.0f MB" % (mem["VmHWM"], mem["VmRSS"]))
    print("load average at end: %s" % " ".join("%.2f" % x for x in os.getloadavg()))
    client.close()



if __name__ == "__main__":
    sys.exit(main())
