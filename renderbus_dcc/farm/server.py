"""The local farm's HTTP server and :class:`LocalFarm`, the way to run it from Python.

Routes (POST, signed like every API call, answered with the protocol's envelope):
every operation of both profiles (``routes.find_operation``), and the farm's own transfer
routes ``/api/farm/transfer/{status,upload,download,list}``. GET ``/farm/grab/<frame>/<pct>.png``
serves progress pictures without a signature. Unknown paths: HTTP 404 with the envelope.
Protocol errors are HTTP 200 with the error in the envelope, as the live service does.
"""

import json
import logging
import secrets
import shutil
import socket
import string
import sys
import tempfile
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Set, Tuple, Union
from urllib.parse import parse_qs, urlsplit

from renderbus_dcc import routes, signing
from renderbus_dcc.constants import ErrorCode
from renderbus_dcc.farm import chaos as chaos_mod
from renderbus_dcc.farm.api import BIDS, Call, FarmAPI, FarmTime
from renderbus_dcc.farm.auth import Gate
from renderbus_dcc.farm.catalogue import load_catalogue
from renderbus_dcc.farm.db import FarmDB
from renderbus_dcc.farm.envelope import FarmError, envelope
from renderbus_dcc.farm.life import NODES
from renderbus_dcc.farm.transfer import Storage

__all__ = ["LocalFarm", "TRANSFER_ROUTES"]

log = logging.getLogger(__name__)

_TRANSFER_PREFIX = "/api/farm/transfer/"
#: The farm's own routes (not in the document), by name.
TRANSFER_ROUTES = {name: _TRANSFER_PREFIX + name for name in ("status", "upload", "download", "list")}
_UPLOAD_FIELDS = ("bid", "path", "offset", "total", "md5")
_GATE_HEADERS = signing.SIGNED_HEADERS + ("signature",)
_REASONS = {200: "OK", 404: "Not Found", 405: "Method Not Allowed", 413: "Payload Too Large", 500: "Internal Server Error"}
_MAX_BODY = 256 * 1024 * 1024
_FIRST_USER_ID = 10001136


def _random_text(length: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "RenderbusLocalFarm/1.0"
    farm: "LocalFarm"  # set on the subclass made per farm

    def setup(self) -> None:
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:  # pragma: no cover
            pass
        with self.farm._connections_lock:
            self.farm._connections.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.farm._connections_lock:
                self.farm._connections.discard(self.connection)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's name
        log.debug("%s " + format, self.address_string(), *args)

    # --- answering -------------------------------------------------------------------
    def _send(self, status: int, body: bytes, content_type: str = "application/json;charset=UTF-8") -> None:
        head = ["HTTP/1.1 %d %s" % (status, _REASONS.get(status, "OK")), "Server: " + self.server_version,
                "Date: " + formatdate(usegmt=True), "Content-Type: " + content_type, "Content-Length: %d" % len(body)]
        if self.close_connection:
            head.append("Connection: close")
        self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)  # one write: no Nagle stall

    def _error(self, version: str, error: FarmError, status: int = 200) -> None:
        self._send(status, envelope(version, self.farm._now_ms(), error=error))

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            self.close_connection = True
            raise FarmError(ErrorCode.PARAMETER_INVALID, "body too large (at most %d bytes a request)" % _MAX_BODY)
        return self.rfile.read(length) if length > 0 else b""

    # --- GET: progress pictures --------------------------------------------------------
    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        parts = path.strip("/").split("/")
        if len(parts) == 4 and parts[:2] == ["farm", "grab"] and parts[3].endswith(".png"):
            try:
                frame_id, percent = int(parts[2]), int(parts[3][:-4])
            except ValueError:
                frame_id, percent = -1, 0
            png = self.farm._api.grab_png(frame_id, percent) if frame_id >= 0 else None
            if png is not None:
                self._send(200, png, "image/png")
                return
        if path in ("/", "/farm"):
            text = "Renderbus local farm: POST signed API calls to %s\n" % self.farm.url
            self._send(200, text.encode("utf-8"), "text/plain;charset=UTF-8")
            return
        self._error("1.0.0", FarmError(ErrorCode.RESOURCE_NOT_FOUND, "no such path %s" % path), 404)

    # --- POST: API and transfers --------------------------------------------------------
    def do_POST(self) -> None:
        split = urlsplit(self.path)
        path = split.path
        found = routes.find_operation(path)
        transfer = path[len(_TRANSFER_PREFIX):] if path.startswith(_TRANSFER_PREFIX) else None
        version = "1.0.0"
        try:
            raw = self._read_body()
        except FarmError as exc:
            self._error(version, exc)
            return
        if found is None and transfer not in TRANSFER_ROUTES:
            self._error(version, FarmError(ErrorCode.RESOURCE_NOT_FOUND, "no such path %s" % path), 404)
            return
        versions = routes.versions_for(path) if found else ["1.0.0", "2.0.0"]
        sent_version = self.headers.get("version") or ""
        version = sent_version if sent_version in versions else versions[0]
        fault = self.farm._chaos.draw(path)
        if fault == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:  # pragma: no cover
                pass
            return
        if fault == "error500":
            self._error(version, FarmError(ErrorCode.INTERNAL_ERROR, "internal_error (chaos)"), 500)
            return
        payload: Optional[bytes] = None  # a download's bytes
        try:
            if sent_version not in versions:
                raise FarmError(ErrorCode.ILLEGAL_PROTOCOL, "path %s answers version %s; the request said version %r"
                                % (path, " or ".join(versions), sent_version))
            if transfer == "upload":
                query = {k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
                fields: Dict[str, Any] = {k: query[k] for k in _UPLOAD_FIELDS if k in query}
            else:
                fields = self._json(raw)
            host = self.headers.get("Host") or self.farm._hostport
            user = self.farm._gate.check(path, {k: self.headers.get(k) for k in _GATE_HEADERS}, fields, host)
            call = Call(user, "v2" if version == "2.0.0" else "v1", host)
            if found is not None:
                body = envelope(version, self.farm._now_ms(), self.farm._api.handle(found[1].name, call, fields))
            elif transfer == "download":
                body = payload = self.farm._transfer_download(call, fields)
            else:
                body = envelope(version, self.farm._now_ms(), self.farm._transfer(transfer or "", call, fields, raw))
        except FarmError as exc:
            body = envelope(version, self.farm._now_ms(), error=exc)
        except Exception as exc:  # a bug of the farm: say so, keep serving
            log.exception("local farm failed on %s", path)
            body = envelope(version, self.farm._now_ms(), error=FarmError(ErrorCode.INTERNAL_ERROR, "internal error: %s" % exc))
        content_type = "application/octet-stream" if payload is not None else "application/json;charset=UTF-8"
        if fault == "slow":
            time.sleep(self.farm._chaos.delay)
        elif fault == "garble":
            body = chaos_mod.garble(body, self.farm._chaos.count)
        self._send(200, body, content_type)

    @staticmethod
    def _json(raw: bytes) -> Dict[str, Any]:
        if not raw.strip():
            return {}
        try:
            value = json.loads(raw.decode("utf-8"))
        except ValueError:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "the body is not JSON")
        if not isinstance(value, dict):
            raise FarmError(ErrorCode.PARAMETER_INVALID, "the body must be a JSON object")
        return value


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # bursts of clients (monitor, UI, uploads) are not refused

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (a cancelled upload, a closed window) is logged, not printed."""
        error = sys.exc_info()[1]
        if isinstance(error, (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
            log.debug("client %s hung up: %s", client_address, error)
            return
        log.exception("request from %s failed", client_address)


class LocalFarm:
    """A Renderbus-compatible farm on this machine: ``with LocalFarm() as farm: farm.client()``.

    ``data_dir`` None: a temporary folder, removed on stop. ``port`` 0: a free port.
    ``speed`` scales the farm's time (200: a 100-frame job in a few seconds). ``seed`` makes
    failures (``fail_rate``) and ``chaos`` repeatable. ``clock`` (seconds, like time.time) can
    be injected for tests. The account (``access_id``/``access_key``) is made on the first
    start of a data folder and kept there; pass them to choose them.
    """

    platform = 2

    def __init__(self, data_dir: Union[str, Path, None] = None, host: str = "127.0.0.1", port: int = 0,
                 speed: float = 1.0, seed: Optional[int] = None, fail_rate: float = 0.0,
                 chaos: Union[None, str, Mapping[str, Any]] = None, access_id: Optional[str] = None,
                 access_key: Optional[str] = None, clock: Optional[Callable[[], float]] = None,
                 nodes: int = NODES) -> None:
        if speed <= 0:
            raise ValueError("speed must be more than 0")
        if not 0.0 <= fail_rate <= 1.0:
            raise ValueError("fail_rate must be from 0 to 1")
        self._given_dir = Path(data_dir) if data_dir is not None else None
        self.host = host
        self.port = int(port)
        self.speed = float(speed)
        self.seed = seed
        self._fail_rate = float(fail_rate)
        self._chaos = chaos_mod.Chaos(chaos_mod.parse_chaos(chaos), seed)
        self._wanted = (access_id, access_key)
        self._clock = clock or time.time
        self.nodes = int(nodes)
        self.access_id = ""
        self.access_key = ""
        self.user_id = 0
        self.data_dir: Path = self._given_dir or Path()
        self._temp = False
        self._server: Optional[_Server] = None
        self._thread: Optional[threading.Thread] = None
        self._connections: Set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self._db: Optional[FarmDB] = None

    def __repr__(self) -> str:
        return "LocalFarm(url=%r, access_id=%r, data_dir=%r)" % (self.url if self._server else None, self.access_id,
                                                                  str(self.data_dir))

    # --- life of the server ---------------------------------------------------------------
    def start(self) -> "LocalFarm":
        """Open the data folder and listen. Returns self."""
        if self._server is not None:
            return self
        if self._given_dir is None:
            self.data_dir = Path(tempfile.mkdtemp(prefix="renderbus-farm-"))
            self._temp = True
        else:
            self.data_dir = self._given_dir
            self.data_dir.mkdir(parents=True, exist_ok=True)
        self._db = FarmDB(self.data_dir / "farm.sqlite3")
        with self._db.transaction():
            self.access_id, self.access_key, self.user_id = self._primary_account(*self._wanted)
            start_ft = float(self._db.get_meta("farm_time", "0") or 0)
        self._time = FarmTime(self._clock, self.speed, start_ft)
        self._storage = Storage(self.data_dir)
        self._api = FarmAPI(self._db, self._storage, load_catalogue(), self._time, self.seed, self._fail_rate, self.nodes)
        self._gate = Gate(self._db, self._clock)
        handler = type("FarmHandler", (_Handler,), {"farm": self})
        self._server = _Server((self.host, self.port), handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="renderbus-local-farm",
                                        daemon=True)
        self._thread.start()
        log.info("local farm at %s (data %s)", self.url, self.data_dir)
        return self

    def stop(self) -> None:
        """Stop listening, close open connections, keep the state (a temporary folder is removed)."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        with self._connections_lock:
            open_connections = list(self._connections)
        for conn in open_connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._db is not None:
            with self._db.transaction():
                self._api.save_time()
            self._db.close()
            self._db = None
        if self._temp:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> "LocalFarm":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # --- what tests and the demo use --------------------------------------------------------
    @property
    def _hostport(self) -> str:
        return "%s:%d" % (self.host if self.host not in ("0.0.0.0", "") else "127.0.0.1", self.port)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return "http://" + self._hostport

    @property
    def fail_rate(self) -> float:
        return self._fail_rate

    @fail_rate.setter
    def fail_rate(self, value: float) -> None:
        self._fail_rate = float(value)
        if self._db is not None:
            self._api.fail_rate = self._fail_rate

    @property
    def chaos(self) -> chaos_mod.Chaos:
        """The fault drawer (``.log`` lists faulted requests)."""
        return self._chaos

    def set_chaos(self, spec: Union[None, str, Mapping[str, Any]]) -> None:
        """Change the faults from now on (the draw sequence starts again from the seed)."""
        self._chaos = chaos_mod.Chaos(chaos_mod.parse_chaos(spec), self.seed)

    def client(self, profile: str = "v1", **kw: Any) -> Any:
        """A RenderbusClient for the farm's account."""
        from renderbus_dcc.client import RenderbusClient

        kw.setdefault("platform", self.platform)
        return RenderbusClient(self.access_id, self.access_key, endpoint=self.url, profile=profile, **kw)

    def add_account(self, access_id: Optional[str] = None, access_key: Optional[str] = None) -> Tuple[str, str]:
        """Another user of the farm: (access id, access key)."""
        db = self._require_db()
        with db.transaction():
            access_id, access_key, _ = self._make_account(access_id, access_key)
        return access_id, access_key

    def uploaded_path(self, bid: str, server_path: str, user_id: Optional[int] = None) -> Path:
        """Where a file uploaded with ``bid`` to ``server_path`` is kept."""
        return Storage(self.data_dir).path(user_id or self.user_id, str(bid), server_path)

    # --- internals -----------------------------------------------------------------------
    def _require_db(self) -> FarmDB:
        if self._db is None:
            raise RuntimeError("the farm is not started: call start() first")
        return self._db

    def _now_ms(self) -> int:
        return int(round(self._clock() * 1000))

    def _make_account(self, access_id: Optional[str], access_key: Optional[str]) -> Tuple[str, str, int]:
        db = self._require_db()
        access_id = access_id or "AKID" + _random_text(28)
        access_key = access_key or _random_text(32)
        row = db.one("SELECT user_id FROM accounts WHERE access_id = ?", access_id)
        if row is not None:
            db.run("UPDATE accounts SET access_key = ? WHERE user_id = ?", access_key, row["user_id"])
            return access_id, access_key, row["user_id"]
        last = db.value("SELECT MAX(user_id) FROM accounts")
        user_id = (last or _FIRST_USER_ID - 1) + 1
        db.run("INSERT INTO accounts (user_id, access_id, access_key, user_name, platform, created_ms) VALUES (?,?,?,?,?,?)",
               user_id, access_id, access_key, "local_user_%d" % user_id, self.platform, self._now_ms())
        return access_id, access_key, user_id

    def _primary_account(self, access_id: Optional[str], access_key: Optional[str]) -> Tuple[str, str, int]:
        db = self._require_db()
        primary = db.get_meta("primary_access_id")
        if primary and (access_id is None or access_id == primary):
            row = db.one("SELECT * FROM accounts WHERE access_id = ?", primary)
            if row is not None:
                if access_key and access_key != row["access_key"]:
                    db.run("UPDATE accounts SET access_key = ? WHERE user_id = ?", access_key, row["user_id"])
                    return primary, access_key, row["user_id"]
                return primary, row["access_key"], row["user_id"]
        made = self._make_account(access_id, access_key)
        db.set_meta("primary_access_id", made[0])
        return made

    def _transfer(self, name: str, call: Call, fields: Dict[str, Any], raw: bytes) -> Any:
        if name == "status":
            paths = fields.get("paths")
            if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
                raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY if paths is None else ErrorCode.PARAMETER_INVALID,
                                "paths must be a list of server paths")
            return self._storage.status(call.user_id, fields.get("bid"), paths)
        if name == "list":
            prefix = fields.get("path") or "/"
            if not isinstance(prefix, str):
                raise FarmError(ErrorCode.PARAMETER_INVALID, "path must be a server path")
            if fields.get("bid") == BIDS["output_bid"]:
                return {"files": self._api.output_listing(call.user_id, prefix)}
            return {"files": self._storage.listing(call.user_id, fields.get("bid"), prefix)}
        # upload
        for key in ("bid", "path", "offset", "total"):
            if not fields.get(key):
                raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "query field %s is missing" % key)
        try:
            offset, total = int(fields["offset"]), int(fields["total"])
        except ValueError:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "offset and total must be whole numbers of bytes")
        if offset < 0 or total < 0:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "offset and total cannot be negative")
        return self._storage.upload(call.user_id, fields["bid"], fields["path"], offset, total, fields.get("md5"), raw)

    def _transfer_download(self, call: Call, fields: Dict[str, Any]) -> bytes:
        if fields.get("bid") == BIDS["output_bid"] and isinstance(fields.get("path"), str):
            return self._api.output_bytes(call.user_id, fields["path"])
        return self._storage.read(call.user_id, fields.get("bid"), fields.get("path"))
