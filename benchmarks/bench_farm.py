"""How fast the local farm answers: signed requests per second, and paging a 1,000-frame task.

Run: python benchmarks/bench_farm.py [--seconds 3] [--threads 4]
The farm runs in a process of its own, as `renderbus farm serve` does (before, it ran in this
process and shared its interpreter lock with the clients). Each client keeps one HTTP/1.1
connection alive and signs every request (a fresh nonce each time); the farm checks every
signature. Requests per second are measured with client threads of this process and with
client processes (threads share one interpreter lock, so with several of them the client side
can be what is measured), each with the farm process's and the clients' CPU time per request.
"""

import argparse
import hashlib
import json
import os
import secrets
import statistics
import sys
import tempfile
import time

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from renderbus_dcc import routes, signing  # noqa: E402

from farm_process import farm_process, rates  # noqa: E402
from farm_tasks import SCENE, SCENE_BYTES, task_files  # noqa: E402


class Signed:
    """A bare signed client (requests, no RenderbusClient)."""

    def __init__(self, url: str, access_id: str, access_key: str) -> None:
        self.url, self.access_id, self.access_key = url, access_id, access_key
        self.session = requests.Session()
        self.host = url.split("://", 1)[1]
        self.v1 = routes.get_profile("v1")

    def post(self, path: str, fields: dict, body: bytes = None, params: dict = None) -> dict:
        headers = {"accessId": self.access_id, "channel": "4", "platform": "2",
                   "UTCTimestamp": str(int(time.time())), "nonce": str(secrets.randbelow(10 ** 15)), "version": "1.0.0"}
        headers["signature"] = signing.sign(self.access_key, self.host, path, headers, fields)
        headers["Content-Type"] = "application/json"
        data = json.dumps(fields).encode() if body is None else body
        env = self.session.post(self.url + path, data=data, headers=headers, params=params, timeout=30).json()
        assert env["code"] == 200, env
        return env["data"]

    def op(self, name: str, fields: dict = None) -> dict:
        return self.post(self.v1.path(name), fields or {})

    def upload(self, bid: str, path: str, content: bytes) -> None:
        fields = {"bid": bid, "path": path, "offset": "0", "total": str(len(content)),
                  "md5": hashlib.md5(content).hexdigest()}
        self.post("/api/farm/transfer/upload", fields, body=content, params=fields)


def thousand_frames(farm: tuple, page_size: int) -> dict:
    client = Signed(*farm)
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
    print("load average at start: %s" % " ".join("%.2f" % x for x in os.getloadavg()))
    with tempfile.TemporaryDirectory() as folder, farm_process(os.path.join(folder, "farm"), 1000) as running:
        url, access_id, access_key, pid = running
        farm = (url, access_id, access_key)
        for line in rates(farm, pid, args.seconds, "queryUserSetting", counts=[1, args.threads], processes=args.threads):
            print(line)
        for line in rates(farm, pid, args.seconds, "getTaskList", counts=[args.threads], processes=args.threads):
            print(line + "  (no task)")
        for page_size in (100, 1000):
            result = thousand_frames(farm, page_size)
            print("1,000-frame task: frames made %.2f s after submit (speed 1000); paging all frames with pageSize %d "
                  "(%d pages): %.0f ms; queryTaskInfo %.1f ms; rendered to the end in %.1f s"
                  % (result["frames_made_s"], page_size, result["pages"], result["page_all_s"] * 1000,
                     result["info_ms"], result["render_s"]))
    print("load average at end: %s" % " ".join("%.2f" % x for x in os.getloadavg()))


if __name__ == "__main__":
    main()
