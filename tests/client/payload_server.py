"""A real HTTP server on 127.0.0.1 that checks requests like the live service and answers
with the protocol document's example payloads.

Every POST must be on a path of a route profile, carry the signed headers (``channel`` 4,
``version`` of that profile, the known ``accessId``, a timestamp within 5 minutes of the
server's clock, a nonce never seen before) and a valid signature (host with or without port),
and a JSON object body with the operation's required fields. Tests can plan answers per
operation: error codes, HTML pages, HTTP statuses, dropped connections, delays.
"""

import json
import sys
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional

from renderbus_dcc import signing
from renderbus_dcc.routes import PROFILES, find_operation

from .payloads import example

ACCESS_ID = "AKIDtest0123456789EXAMPLE"
ACCESS_KEY = "sEcReT-kEy-5f3a9c7e1b2d4f6a8c0e"

#: operation -> fields that must be present (per profile when they differ)
REQUIRED: Dict[str, Any] = {
    "queryPlatforms": ["zone"],
    "updateUserSetting": {"v1": ["taskOverTime"], "v2": ["taskOverTimeSec"]},
    "createTask": ["count"],
    "submitTask": ["taskId"],
    "queryErrorDetail": ["code"],
    "getTaskList": ["pageNum", "pageSize"],
    "stopTask": ["taskIds"],
    "startTask": ["taskIds"],
    "abortTask": ["taskIds"],
    "deleteTask": ["taskIds"],
    "queryTaskFrames": ["taskId"],
    "restartFailedFrames": ["taskIds"],
    "restartFrame": ["taskId"],
    "queryTaskInfo": ["taskIds"],
    "addLabel": ["newName"],
    "deleteLabel": ["delName"],
    "querySupportedPlugin": ["cgId"],
    "addRenderEnv": ["cgId", "cgName", "cgVersion", "editName"],
    "updateRenderEnv": ["cgId", "cgName", "cgVersion", "editName"],
    "deleteRenderEnv": ["editName"],
    "setDefaultRenderEnv": ["editName"],
    "getRenderEnv": ["cgId"],
    "loadTaskProcessImg": ["taskId"],
}

MAX_SKEW = 300  # seconds


class Plan:
    """What to answer instead of the example, once per request (see PayloadServer.plan)."""

    def __init__(
        self,
        code: int = 200,
        message: str = "",
        data: Any = "example",
        http: int = 200,
        body: Optional[bytes] = None,
        content_type: str = "application/json;charset=UTF-8",
        drop: bool = False,
        delay: float = 0.0,
        server_time: Optional[int] = None,
    ) -> None:
        self.code, self.message, self.data, self.http = code, message, data, http
        self.body, self.content_type, self.drop, self.delay = body, content_type, drop, delay
        self.server_time = server_time


class PayloadServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a timeout test) closed the socket: nothing to report."""
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)

    def __init__(self, access_id: str = ACCESS_ID, access_key: str = ACCESS_KEY) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.access_id = access_id
        self.access_key = access_key
        self.skew = 0.0  #: seconds the server's clock is ahead of this machine's
        self.requests: List[Dict[str, Any]] = []  #: every request received, in order
        self.answers: Dict[str, Any] = {}  #: operation -> data instead of the example
        self.files: Dict[str, bytes] = {"/grab/block_0.jpg": b"\xff\xd8\xff\xe0fake-jpeg"}
        self._plans: Dict[str, List[Plan]] = {}
        self._nonces: set = set()
        self.check_nonces = True  #: refuse a nonce seen before (off only for benchmarks)
        self._lock = threading.Lock()
        self._thread: Optional[threading.Thread] = None

    # --- control ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return "http://127.0.0.1:%d" % self.server_address[1]

    def start(self) -> "PayloadServer":
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def __enter__(self) -> "PayloadServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def plan(self, operation: str, *plans: Plan) -> None:
        """Answer the next requests of ``operation`` (or "*" any, or "GET") with ``plans``, in order."""
        with self._lock:
            self._plans.setdefault(operation, []).extend(plans)

    def next_plan(self, operation: str) -> Optional[Plan]:
        with self._lock:
            for key in (operation, "*"):
                queue = self._plans.get(key)
                if queue:
                    return queue.pop(0)
        return None

    def count(self, operation: str) -> int:
        """How many requests of ``operation`` arrived."""
        return sum(1 for r in self.requests if r["operation"] == operation)

    def last(self, operation: Optional[str] = None) -> Dict[str, Any]:
        """The last request (of ``operation``)."""
        return [r for r in self.requests if operation is None or r["operation"] == operation][-1]

    def now_ms(self) -> int:
        return int((time.time() + self.skew) * 1000)

    # --- checks ----------------------------------------------------------------------------

    def check(self, path: str, headers: Dict[str, str], raw: bytes) -> Any:
        """(code, message, profile, operation, body) for a request."""
        found = find_operation(path)
        if found is None:
            return 404, "no such path", "", "", None
        profile, op = found
        try:
            body = json.loads(raw.decode("utf-8")) if raw else {}
        except (UnicodeDecodeError, ValueError):
            return 603, "body is not UTF-8 JSON", profile, op.name, None
        if not isinstance(body, dict):
            return 603, "body is not a JSON object", profile, op.name, None
        missing = [h for h in signing.SIGNED_HEADERS + ("signature",) if not headers.get(h)]
        if missing:
            return 601, "missing headers: %s" % ",".join(missing), profile, op.name, body
        if headers["channel"] != "4":
            return 600, "channel must be 4", profile, op.name, body
        # a path can belong to both profiles (common/queryPlatforms): the version header decides
        matching = find_operation(path, headers["version"])
        if matching is None:
            return 603, "version %s does not match the path's profile" % headers["version"], profile, op.name, body
        profile = matching[0]
        if headers["accessId"] != self.access_id:
            return 602, "unknown accessId", profile, op.name, body
        try:
            stamp = int(headers["UTCTimestamp"])
        except ValueError:
            return 600, "UTCTimestamp is not a number", profile, op.name, body
        if abs(stamp - (time.time() + self.skew)) > MAX_SKEW:
            return 610, "signature expired", profile, op.name, body
        port = self.server_address[1]
        signed = {h: headers[h] for h in signing.SIGNED_HEADERS}
        if not signing.verify(self.access_key, ("127.0.0.1:%d" % port, "127.0.0.1"), path, signed, body, headers["signature"]):
            return 611, "signature invalid", profile, op.name, body
        with self._lock:
            if self.check_nonces and headers["nonce"] in self._nonces:
                return 611, "nonce used before", profile, op.name, body
            self._nonces.add(headers["nonce"])
        required = REQUIRED.get(op.name, [])
        if isinstance(required, dict):
            required = required[profile]
        missing = [f for f in required if body.get(f) in (None, "")]
        if missing:
            return 601, "parameter missing: %s" % ",".join(missing), profile, op.name, body
        return 200, "success", profile, op.name, body


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # TCP_NODELAY: no 40 ms Nagle/delayed-ACK stalls
    server: PayloadServer

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def do_GET(self) -> None:
        server = self.server
        server.requests.append({"operation": "GET", "path": self.path, "headers": dict(self.headers), "body": None})
        plan = server.next_plan("GET")
        if plan is not None:
            return self._planned(plan, "", "GET")
        content = server.files.get(self.path.split("?", 1)[0])
        if content is None:
            return self._send(404, b"<html><head><title>404 Not Found</title></head><body>nginx</body></html>", "text/html")
        self._send(200, content, "image/jpeg")

    def do_POST(self) -> None:
        server = self.server
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {k: v for k, v in self.headers.items()}
        code, message, profile, operation, body = server.check(self.path, headers, raw)
        server.requests.append(
            {"operation": operation, "profile": profile, "path": self.path, "headers": headers, "raw": raw, "body": body, "code": code}
        )
        if code != 200:
            return self._envelope(code, message, None, profile)
        plan = server.next_plan(operation)
        if plan is not None:
            return self._planned(plan, profile, operation)
        data = server.answers[operation] if operation in server.answers else example(operation)
        self._envelope(200, "success", data, profile)

    def _planned(self, plan: Plan, profile: str, operation: str) -> None:
        if plan.delay:
            time.sleep(plan.delay)
        if plan.drop:
            return self._drop()
        if plan.body is not None:
            return self._send(plan.http, plan.body, plan.content_type)
        data = example(operation) if plan.data == "example" and operation != "GET" else plan.data
        self._envelope(plan.code, plan.message or ("success" if plan.code == 200 else "error"), data, profile, plan.http, plan.server_time)

    def _envelope(self, code: int, message: str, data: Any, profile: str, http: int = 200, server_time: Optional[int] = None) -> None:
        envelope = {
            "version": PROFILES[profile].version if profile else "1.0.0",
            "result": code == 200,
            "message": message,
            "code": code,
            "data": data,
            "serverTime": server_time if server_time is not None else self.server.now_ms(),
        }
        self._send(http, json.dumps(envelope, ensure_ascii=False).encode("utf-8"), "application/json;charset=UTF-8")
