"""What the client costs: per call against a bare requests post, and at import.

    python benchmarks/bench_client.py [--calls 2000]

(a) The same local server (tests/client/payload_server.py, in its own process so it does not
share this one's GIL) answers N calls of RenderbusClient.query_task_info (sign, encode, send,
decode the envelope, build TaskInfo with its children) and N bare ``requests.Session().post``
calls of the same signed body with pre-made headers (no signing, no decoding). Both loops are
interleaved in blocks so drift hits them alike. Also printed: the client's own CPU work per call
with no network at all (sign + encode + decode + typed result).
(b) The import time of ``renderbus_dcc`` and ``renderbus_dcc.client`` (``-X importtime``,
cumulative, median and min of 7 fresh interpreters), with the bytecode cached as in an installed
package and compiled from source (PYTHONDONTWRITEBYTECODE), and whether they pulled in requests.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def serve() -> None:
    """Child process: run the payload server until stdin closes."""
    from tests.client.payload_server import PayloadServer

    server = PayloadServer()
    server.check_nonces = False  # the bare loop re-sends one signed request
    server.start()
    print(server.url, flush=True)
    sys.stdin.read()
    server.stop()


def bench_calls(calls: int, block: int = 100) -> None:
    import requests

    from renderbus_dcc.client import RenderbusClient
    from renderbus_dcc.models import Page, TaskInfo
    from renderbus_dcc.transport import Transport
    from tests.client.payload_server import ACCESS_ID, ACCESS_KEY

    child = subprocess.Popen(
        [sys.executable, __file__, "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=str(ROOT)
    )
    try:
        url = child.stdout.readline().strip()
        client = RenderbusClient(ACCESS_ID, ACCESS_KEY, url)
        path = client.path("queryTaskInfo")
        fields = {"taskIds": [19084]}
        body = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = client.signed_headers(path, fields)
        headers["Content-Type"] = "application/json; charset=utf-8"
        bare = requests.Session()
        answer = bare.post(url + path, data=body, headers=headers).content
        assert json.loads(answer)["code"] == 200, answer[:200]
        for _ in range(50):  # warm up both
            client.query_task_info([19084])
            bare.post(url + path, data=body, headers=headers)

        t_client = t_bare = 0.0
        done = 0
        while done < calls:
            n = min(block, calls - done)
            start = time.perf_counter()
            for _ in range(n):
                client.query_task_info([19084])
            t_client += time.perf_counter() - start
            start = time.perf_counter()
            for _ in range(n):
                bare.post(url + path, data=body, headers=headers).content
            t_bare += time.perf_counter() - start
            done += n
    finally:
        child.stdin.close()
        child.wait(timeout=10)

    # the client's own work, no network: sign + encode + decode + typed result
    transport = Transport(url)

    class _Response:
        status_code = 200
        content = answer

    reps = calls
    start = time.perf_counter()
    for _ in range(reps):
        client.signed_headers(path, fields)
        json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        envelope = transport.decode(_Response, path)
        Page.from_wire(envelope.data, TaskInfo)
    own = (time.perf_counter() - start) / reps

    per_client, per_bare = t_client / calls * 1000, t_bare / calls * 1000
    print("(a) per call, %d calls each, queryTaskInfo (shell task + 2 children, %d-byte answer), loopback:" % (calls, len(answer)))
    print("    RenderbusClient.query_task_info      %7.3f ms" % per_client)
    print("    bare requests.Session().post         %7.3f ms" % per_bare)
    print("    ratio client / bare                  %7.3f" % (per_client / per_bare))
    print("    difference per call                  %7.3f ms" % (per_client - per_bare))
    print("    client's own work, no network        %7.3f ms  (sign + encode + decode + TaskInfo)" % (own * 1000))


def import_time(module: str, runs: int = 7) -> None:
    """Cumulative -X importtime of ``module``: with bytecode cached (as installed) and compiled from source."""
    import tempfile

    probe = "import %s, sys; print('requests' in sys.modules, 'PySide6' in sys.modules or 'Qt' in sys.modules)" % module
    with tempfile.TemporaryDirectory() as cache:
        cached_env = dict(os.environ, PYTHONPYCACHEPREFIX=cache)  # .pyc files outside the tree
        cached_env.pop("PYTHONDONTWRITEBYTECODE", None)
        source_env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")  # stdlib cached, this package compiled
        subprocess.run([sys.executable, "-c", probe], env=cached_env, capture_output=True, cwd=str(ROOT))  # write the cache
        results = []
        for env in (cached_env, source_env):
            cumulative = []
            for _ in range(runs):
                done = subprocess.run([sys.executable, "-X", "importtime", "-c", probe], env=env, capture_output=True,
                                      text=True, cwd=str(ROOT))
                loaded = done.stdout.strip()
                for line in done.stderr.splitlines():
                    parts = [p.strip() for p in line.split("|")]
                    if len(parts) == 3 and parts[2] == module:
                        cumulative.append(int(parts[1]))
            results.append((statistics.median(cumulative) / 1000.0, min(cumulative) / 1000.0))
    requests_loaded, qt_loaded = loaded.split()
    print("    import %-22s cached bytecode %6.1f ms (min %5.1f), compiling from source %6.1f ms (min %5.1f); "
          "requests imported: %s, Qt imported: %s" % ((module,) + results[0] + results[1] + (requests_loaded, qt_loaded)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve()
    print("python %s on %s, %d CPUs" % (sys.version.split()[0], sys.platform, os.cpu_count() or 0))
    bench_calls(args.calls)
    print("(b) import time, cumulative (-X importtime), median and min of 7 fresh interpreters:")
    import_time("renderbus_dcc")
    import_time("renderbus_dcc.client")


if __name__ == "__main__":
    main()
