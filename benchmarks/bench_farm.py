"""How fast the local farm answers: signed requests per second, and paging a 1,000-frame task.

Run: python benchmarks/bench_farm.py [--seconds 3] [--threads 4]
Each client thread keeps one HTTP/1.1 connection alive and signs every request (a fresh
nonce each time); the farm checks every signature.
"""

import argparse
import hashlib
import json
import secrets
import statistics
import tempfile
import threading
import time
from pathlib import Path

import requests

from renderbus_dcc import routes, signing
from renderbus_dcc.farm import LocalFarm

from farm_tasks import SCENE, SCENE_BYTES, task_files


class Signed:
    def __init__(self, farm: LocalFarm) -> None:
        self.farm = farm
        self.session = requests.Session()
        self.host = "127.0.0.1:%d" % farm.port
        self.v1 = routes.get_profile("v1")

    def post(self, path: str, fields: dict, body: bytes = None, params: dict = None) -> dict:
        headers = {"accessId": self.farm.access_id, "channel": "4", "platform": "2",
                   "UTCTimestamp": str(int(time.time())), "nonce": str(secrets.randbelow(10 ** 15)), "version": "1.0.0"}
        headers["signature"] = signing.sign(self.farm.access_key, self.host, path, headers, fields)
        headers["Content-Type"] = "application/json"
        data = json.dumps(fields).encode() if body is None else body
        env = self.session.post(self.farm.url + path, data=data, headers=headers, params=params, timeout=30).json()
        assert env["code"] == 200, env
        return env["data"]

    def op(self, name: str, fields: dict = None) -> dict:
        return self.post(self.v1.path(name), fields or {})

    def upload(self, bid: str, path: str, content: bytes) -> None:
        fields = {"bid": bid, "path": path, "offset": "0", "total": str(len(content)),
                  "md5": hashlib.md5(content).hexdigest()}
        self.post("/api/farm/transfer/upload", fields, body=content, params=fields)


def requests_per_second(farm: LocalFarm, threads: int, seconds: float, operation: str, fields: dict) -> float:
    counts = [0] * threads
    stop = time.monotonic() + seconds

    def worker(i: int) -> None:
        client = Signed(farm)
        client.op(operation, fields)  # connect first
        while time.monotonic() < stop:
            client.op(operation, fields)
            counts[i] += 1

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    started = time.monotonic()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(counts) / (time.monotonic() - started)


def thousand_frames(farm: LocalFarm, page_size: int) -> dict:
    client = Signed(farm)
    task_id = client.op("createTask", {"count": 1})["taskIdList"][0]
    for path, content in task_files(task_id, "1-1000").items():
        client.upload("30201", path, content)
    client.upload("10201", SCENE, SCENE_BYTES)
    client.op("submitTask", {"taskId": task_id})
    t0 = time.monotonic()
    while client.op("queryTaskInfo", {"taskIds": [task_id]})["items"][0]["totalFrames"] < 1000:
        time.sleep(0.01)
    made = time.monotonic() - t0
    timings = []
    for _ in range(3):
        t0 = time.monotonic()
        page, seen = 1, 0
        while True:
            data = client.op("queryTaskFrames", {"taskId": task_id, "pageNum": page, "pageSize": page_size})
            seen += len(data["items"])
            if page >= data["pageCount"]:
                break
            page += 1
        timings.append(time.monotonic() - t0)
        assert seen == 1000
    t0 = time.monotonic()
    info = client.op("queryTaskInfo", {"taskIds": [task_id]})["items"][0]
    info_ms = (time.monotonic() - t0) * 1000
    t0 = time.monotonic()
    while client.op("queryTaskInfo", {"taskIds": [task_id]})["items"][0]["taskStatus"] != 25:
        time.sleep(0.05)
    return {"pages": page, "page_all_s": statistics.median(timings), "frames_made_s": made, "info_ms": info_ms,
            "render_s": time.monotonic() - t0, "status": info["taskStatus"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, LocalFarm(data_dir=Path(folder), speed=1000, seed=1) as farm:
        for threads in (1, args.threads):
            rps = requests_per_second(farm, threads, args.seconds, "queryUserSetting", {})
            print("signed requests/s, queryUserSetting, %d keep-alive client thread(s): %.0f" % (threads, rps))
        rps = requests_per_second(farm, args.threads, args.seconds, "getTaskList", {"pageNum": 1, "pageSize": 20})
        print("signed requests/s, getTaskList (empty), %d threads: %.0f" % (args.threads, rps))
        for page_size in (100, 1000):
            result = thousand_frames(farm, page_size)
            print("1,000-frame task: frames made %.2f s after submit (speed 1000); paging all frames with pageSize %d "
                  "(%d pages): %.0f ms; queryTaskInfo %.1f ms; rendered to the end in %.1f s"
                  % (result["frames_made_s"], page_size, result["pages"], result["page_all_s"] * 1000,
                     result["info_ms"], result["render_s"]))


if __name__ == "__main__":
    main()
