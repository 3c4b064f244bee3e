"""The local farm in a process of its own (as `renderbus farm serve` runs it), and signed
requests per second against it from client threads of one process or from client processes.

Client threads of one process share its interpreter lock: with 4 of them the client side, not
the farm, can be what is measured. Client processes do not; the benchmarks print both.
"""

import multiprocessing
import os
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Sequence, Tuple

#: What a client calls in a requests/s run, by name (client processes get the name).
CALLS: Dict[str, Callable[[Any], Any]] = {
    "queryUserSetting": lambda c: c.query_user_setting(),
    "getTaskList": lambda c: c.get_task_list(page_num=1, page_size=20),
}


def isolated_home(prefix: str) -> "Path":
    """A fresh folder for this run's settings and data (no RENDERBUS_* of the caller's, no keyring)."""
    home = Path(tempfile.mkdtemp(prefix=prefix))
    for name in list(os.environ):
        if name.startswith("RENDERBUS_"):
            del os.environ[name]
    os.environ.update(RENDERBUS_CONFIG_DIR=str(home / "config"), RENDERBUS_DATA_DIR=str(home / "data"),
                      RENDERBUS_KEYRING="0")
    return home


def _serve(data_dir: str, speed: float, queue: Any, stop: Any) -> None:
    from renderbus_dcc.farm import LocalFarm

    with LocalFarm(data_dir=data_dir, speed=speed, seed=3) as farm:
        queue.put((farm.url, farm.access_id, farm.access_key, os.getpid()))
        stop.wait()


@contextmanager
def farm_process(data_dir: str, speed: float) -> Iterator[Tuple[str, str, str, int]]:
    """A farm in its own process: (url, access id, access key, pid); stopped on exit."""
    ctx = multiprocessing.get_context("spawn")
    queue, stop = ctx.Queue(), ctx.Event()
    server = ctx.Process(target=_serve, args=(data_dir, speed, queue, stop), daemon=True)
    server.start()
    try:
        yield queue.get(timeout=60)
    finally:
        stop.set()
        server.join(30)
        if server.is_alive():
            server.terminate()


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used, seconds (Linux: /proc)."""
    with open("/proc/%d/stat" % pid) as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / float(os.sysconf("SC_CLK_TCK"))


def signed_client(farm: Tuple[str, str, str]) -> Any:
    from renderbus_dcc.client import RenderbusClient

    url, access_id, access_key = farm
    return RenderbusClient(access_id, access_key, endpoint=url, platform=2, timeout=300.0)


def rate_threads(farm: Tuple[str, str, str], threads: int, seconds: float, call: str) -> Tuple[int, float]:
    """Signed requests made by ``threads`` keep-alive client threads of this process in ``seconds``, and
    the CPU seconds this process spent meanwhile."""
    counts = [0] * threads
    clients = [signed_client(farm) for _ in range(threads)]
    for c in clients:
        CALLS[call](c)  # connect first
    stop, cpu = time.monotonic() + seconds, time.process_time()

    def worker(i: int) -> None:
        while time.monotonic() < stop:
            CALLS[call](clients[i])
            counts[i] += 1

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    cpu = time.process_time() - cpu
    for c in clients:
        c.close()
    return sum(counts), cpu


def _client_process(farm: Tuple[str, str, str], call: str, seconds: float, ready: Any, go: Any, out: Any) -> None:
    client = signed_client(farm)
    CALLS[call](client)  # connect first
    ready.put(1)
    go.wait()
    stop, count, cpu = time.monotonic() + seconds, 0, time.process_time()
    while time.monotonic() < stop:
        CALLS[call](client)
        count += 1
    cpu = time.process_time() - cpu
    client.close()
    out.put((count, cpu))


def rate_processes(farm: Tuple[str, str, str], processes: int, seconds: float, call: str) -> Tuple[int, float]:
    """Signed requests made by ``processes`` client processes (one keep-alive client each) in ``seconds``,
    and the CPU seconds they spent meanwhile."""
    ctx = multiprocessing.get_context("spawn")
    ready, out, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    pool = [ctx.Process(target=_client_process, args=(farm, call, seconds, ready, go, out), daemon=True)
            for _ in range(processes)]
    for p in pool:
        p.start()
    for _ in pool:
        ready.get(timeout=120)
    go.set()
    made = [out.get(timeout=seconds + 120) for _ in pool]
    for p in pool:
        p.join(30)
    return sum(n for n, _ in made), sum(cpu for _, cpu in made)


def rates(farm: Tuple[str, str, str], pid: int, seconds: float, call: str, counts: Sequence[int] = (1, 4),
          processes: int = 4) -> List[str]:
    """Lines of requests/s for ``call``: 1 and 4 client threads, then 4 client processes, each with the
    farm process's and the clients' CPU time per request (on 2 cores both count)."""
    lines = []
    runs = [("thread(s) of one process", n, rate_threads) for n in counts] + [("processes", processes, rate_processes)]
    for how, n, run in runs:
        cpu0 = cpu_seconds(pid)
        done, client_cpu = run(farm, n, seconds, call)
        cpu = cpu_seconds(pid) - cpu0
        lines.append("signed requests/s, %s, %d client %s: %.0f (CPU a request: farm %.2f ms, clients %.2f ms)"
                     % (call, n, how, done / seconds, 1000.0 * cpu / max(1, done), 1000.0 * client_cpu / max(1, done)))
    return lines
