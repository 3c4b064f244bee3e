"""The local farm under hostile input: its memory, CPU and threads while bad clients call it.

Run: python benchmarks/bench_farm_hostile.py [--big-mb 200] [--slow 250]
The farm runs in a process of its own (so its figures are its own); this script, as the
attackers, sends:

- three unsigned bodies of ``--big-mb`` MB at once to an API route (Content-Length announced,
  the bytes streamed from a small buffer): the farm's peak and settled RSS;
- one body of 50 MB with a valid access id and a wrong signature: the farm's CPU seconds;
- ``--slow`` connections that send half a request line and then nothing (slowloris): the
  farm's thread count while they are open, and whether a signed call is still answered.

Everything stops by itself (each step has a time limit); the farm is stopped at the end.
"""

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from renderbus_dcc import signing  # noqa: E402

ACCESS_ID, ACCESS_KEY = "AKIDbenchHostile", "bench-hostile-key-0123456789"
CHILD = r"""
import sys, time
from renderbus_dcc.farm import LocalFarm
farm = LocalFarm(data_dir=sys.argv[1], access_id=sys.argv[2], access_key=sys.argv[3], speed=10).start()
print(farm.port, flush=True)
sys.stdin.read()
farm.stop()
"""


def proc_status(pid: int) -> dict:
    out = {}
    with open("/proc/%d/status" % pid) as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) / 1024.0  # MB
            elif key == "Threads":
                out[key] = int(value)
    return out


def cpu_seconds(pid: int) -> float:
    with open("/proc/%d/stat" % pid) as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def send_big(port: int, path: str, size: int, headers: dict, deadline: float) -> str:
    """Announce ``size`` bytes and stream them; what the farm answered (its status line) or why not."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        head = "POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\nContent-Length: %d\r\n" % (
            path, port, size)
        head += "".join("%s: %s\r\n" % kv for kv in headers.items()) + "\r\n"
        sock.sendall(head.encode("latin-1"))
        block = b"[" * 1 + b" " * (1024 * 1024 - 1)
        sent = 0
        while sent < size and time.monotonic() < deadline:
            piece = block[:min(len(block), size - sent)]
            sock.sendall(piece)
            sent += len(piece)
            block = b" " * len(block)
        sock.settimeout(max(1.0, deadline - time.monotonic()))
        return sock.recv(200).split(b"\r\n", 1)[0].decode("latin-1", "replace") or "closed"
    except OSError as exc:
        return "connection ended: %s" % exc.__class__.__name__
    finally:
        sock.close()


def signed_call(port: int, key: str = ACCESS_KEY) -> dict:
    path = "/api/render/setUp/queryUserProfile"
    headers = {"accessId": ACCESS_ID, "channel": "4", "platform": "2", "UTCTimestamp": str(int(time.time())),
               "nonce": str(secrets.randbelow(10 ** 12)), "version": "2.0.0"}
    headers["signature"] = signing.sign(key, "127.0.0.1:%d" % port, path, headers, {})
    return requests.post("http://127.0.0.1:%d%s" % (port, path), data=b"{}", headers=headers, timeout=20).json()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--big-mb", type=int, default=200)
    parser.add_argument("--slow", type=int, default=250)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        child = subprocess.Popen([sys.executable, "-c", CHILD, folder + "/farm", ACCESS_ID, ACCESS_KEY],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=str(ROOT))
        try:
            port = int(child.stdout.readline())
            assert signed_call(port)["code"] == 200
            pid = child.pid
            print("farm at rest: %(VmRSS).0f MB RSS, %(Threads)d threads" % proc_status(pid))

            # 1. three unsigned big bodies at once
            answers = []
            deadline = time.monotonic() + 120
            pool = [threading.Thread(target=lambda: answers.append(
                send_big(port, "/api/render/submit/createTask", args.big_mb * 1024 * 1024, {}, deadline)))
                for _ in range(3)]
            for t in pool:
                t.start()
            for t in pool:
                t.join()
            time.sleep(1.0)
            status = proc_status(pid)
            print("3 unsigned %d MB bodies: answers %s; farm peak RSS %.0f MB, after %.0f MB"
                  % (args.big_mb, sorted(set(answers)), status["VmHWM"], status["VmRSS"]))

            # 2. a 50 MB body, valid access id, wrong signature
            before = cpu_seconds(pid)
            headers = {"accessId": ACCESS_ID, "channel": "4", "platform": "2", "UTCTimestamp": str(int(time.time())),
                       "nonce": "1", "version": "2.0.0", "signature": "AAAA"}
            body = json.dumps({"ids": list(range(5_500_000))}).encode()  # about 50 MB of valid JSON
            t0 = time.monotonic()
            try:
                r = requests.post("http://127.0.0.1:%d/api/render/submit/createTask" % port, data=body, headers=headers,
                                  timeout=120)
                answer = "HTTP %d %s" % (r.status_code, r.text[:80].replace("\n", " "))
            except requests.RequestException as exc:
                answer = "connection ended: %s" % exc.__class__.__name__
            print("50 MB body, wrong signature: %s; farm CPU %.2f s, answered in %.2f s"
                  % (answer, cpu_seconds(pid) - before, time.monotonic() - t0))

            # 3. slowloris
            socks = []
            for _ in range(args.slow):
                try:
                    s = socket.create_connection(("127.0.0.1", port), timeout=5)
                    s.sendall(b"POST /api/render/submit/createTask HTTP/1.1\r\nHost: x\r\n")
                    socks.append(s)
                except OSError:
                    break
            time.sleep(1.0)
            status = proc_status(pid)
            t0 = time.monotonic()
            try:
                ok = signed_call(port)["code"] == 200
            except requests.RequestException as exc:
                ok = "no: %s" % exc.__class__.__name__
            print("%d slowloris connections open: farm %d threads, %.0f MB RSS; a signed call answered: %s (%.2f s)"
                  % (len(socks), status["Threads"], status["VmRSS"], ok, time.monotonic() - t0))
            for s in socks:
                s.close()
        finally:
            child.stdin.close()
            try:
                child.wait(20)
            except subprocess.TimeoutExpired:
                child.kill()


if __name__ == "__main__":
    main()
