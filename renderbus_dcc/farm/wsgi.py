"""The farm's web application (WSGI): routes, limits, the gate, the envelope.

Routes (POST, signed like every API call, answered with the protocol's envelope): every
operation of both profiles and the live service's operations of profile v2
(``routes.find_operation``), and the farm's own transfer routes
``/api/farm/transfer/{status,upload,upload_batch,download,list}``. GET ``/farm/grab/<frame>/<pct>.png``
serves progress pictures to whoever holds their signed, expiring URL. Unknown paths: HTTP 404
with the envelope. Protocol errors are HTTP 200 with the error in the envelope, as the live
service does; a bug of the farm is HTTP 500 with code 500 and no detail (it is in the log).

Order of work for a POST, cheapest first: the route and its body limit (at the headers, by
the listener: a larger body is never read), the ``version`` header, the signed headers
(:meth:`Gate.precheck`: account, timestamp, replay), then the body is read and parsed (JSON
nested at most :data:`MAX_DEPTH` deep), the signature checked (:meth:`Gate.verify`), and the
operation run. An upload's fields are in its query string: its signature is checked before
its body is read, and the body goes to disk as it arrives.
"""

import json
import logging
import time
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple
from urllib.parse import parse_qs

from renderbus_dcc import routes, signing
from renderbus_dcc.constants import ErrorCode
from renderbus_dcc.farm import chaos as chaos_mod
from renderbus_dcc.farm.core import Call
from renderbus_dcc.farm.envelope import FarmError, envelope
from renderbus_dcc.farm.listener import DropConnection
from renderbus_dcc.farm.transfer import split_batch

__all__ = ["FarmApp", "TRANSFER_ROUTES", "body_limit", "in_memory", "MAX_BODY", "MAX_DEPTH", "UPLOAD_MEMORY"]

log = logging.getLogger(__name__)

_TRANSFER_PREFIX = "/api/farm/transfer/"
#: The farm's own routes (not in the document), by name.
TRANSFER_ROUTES = {name: _TRANSFER_PREFIX + name for name in ("status", "upload", "upload_batch", "download", "list")}
_UPLOAD_FIELDS = ("bid", "path", "offset", "total", "md5")
_MB = 1024 * 1024
#: Body limits: API calls, the operations that carry more, the transfer routes, anything else.
API_LIMIT = 1 * _MB
OPERATION_LIMITS = {"taskJsonFile": 32 * _MB, "restartFrame": 8 * _MB, "stopTaskFrames": 8 * _MB}
TRANSFER_LIMITS = {"upload": 64 * _MB, "upload_batch": 64 * _MB, "status": 16 * _MB, "list": 64 * 1024, "download": 64 * 1024}
OTHER_LIMIT = 64 * 1024
#: Bytes of upload bodies held in memory at once, over all connections (more is spooled to disk).
UPLOAD_MEMORY = 64 * _MB
MAX_BODY = max([API_LIMIT, OTHER_LIMIT] + list(OPERATION_LIMITS.values()) + list(TRANSFER_LIMITS.values()))
#: Deepest nesting of lists and objects a body may have (the protocol's deepest is 3).
MAX_DEPTH = 16

_STATUS = {200: "200 OK", 404: "404 Not Found", 405: "405 Method Not Allowed", 500: "500 Internal Server Error"}
_JSON = "application/json;charset=UTF-8"


def body_limit(method: str, path: str) -> int:
    """The largest body (bytes) a request to ``path`` may carry."""
    if method != "POST":
        return OTHER_LIMIT
    if path.startswith(_TRANSFER_PREFIX):
        return TRANSFER_LIMITS.get(path[len(_TRANSFER_PREFIX):], OTHER_LIMIT)
    found = routes.find_operation(path)
    if found is None:
        return OTHER_LIMIT
    return OPERATION_LIMITS.get(found[1].name, API_LIMIT)


def in_memory(method: str, path: str) -> bool:
    """True for the routes whose bodies are held in memory (within :data:`UPLOAD_MEMORY`): the
    uploads, written to their file as they are, not copied to a temporary file first."""
    return method == "POST" and path in (TRANSFER_ROUTES["upload"], TRANSFER_ROUTES["upload_batch"])


def _depth_ok(value: Any, limit: int) -> bool:
    """True if lists and objects in ``value`` nest at most ``limit`` deep (no recursion)."""
    stack: List[Tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return False
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return True


def parse_body(raw: bytes) -> Dict[str, Any]:
    """A request body as a JSON object; FarmError 600 says what is wrong with it."""
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise FarmError(ErrorCode.PARAMETER_INVALID, "the body is not UTF-8 text")
    except RecursionError:
        raise FarmError(ErrorCode.PARAMETER_INVALID, "the body nests lists or objects more than %d deep" % MAX_DEPTH)
    except ValueError:
        raise FarmError(ErrorCode.PARAMETER_INVALID, "the body is not JSON")
    if not isinstance(value, dict):
        raise FarmError(ErrorCode.PARAMETER_INVALID, "the body must be a JSON object")
    if not _depth_ok(value, MAX_DEPTH):
        raise FarmError(ErrorCode.PARAMETER_INVALID, "the body nests lists or objects more than %d deep" % MAX_DEPTH)
    return value


def _header(environ: Dict[str, Any], name: str) -> Optional[str]:
    return environ.get("HTTP_" + name.upper().replace("-", "_"))


class FarmApp:
    """The WSGI application of a :class:`~renderbus_dcc.farm.server.LocalFarm`."""

    def __init__(self, farm: Any) -> None:
        self.farm = farm

    def __call__(self, environ: Dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        extra: Dict[str, str] = {}  # a download's: the whole file's size and md5
        try:
            status, body, content_type = self._answer(environ, extra)
        except DropConnection:
            raise
        except Exception:  # a bug of the farm: say so (no detail, no server path), keep serving
            log.exception("local farm failed on %s", environ.get("PATH_INFO"))
            status, body, content_type = 500, self._envelope("1.0.0", error=FarmError(
                ErrorCode.INTERNAL_ERROR, "internal error of the local farm (its log has the details)")), _JSON
        start_response(_STATUS.get(status, "%d Error" % status),
                       [("Content-Type", content_type), ("Content-Length", str(len(body)))] + sorted(extra.items()))
        return [body]

    def _envelope(self, version: str, data: Any = None, error: Optional[FarmError] = None) -> bytes:
        return envelope(version, int(round(self.farm._clock() * 1000)), data, error)

    def _answer(self, environ: Dict[str, Any], extra: Dict[str, str]) -> Tuple[int, bytes, str]:
        method = environ.get("REQUEST_METHOD", "")
        path = environ.get("PATH_INFO") or "/"
        if method in ("GET", "HEAD"):
            return self._get(environ, path)
        if method != "POST":
            return 405, self._envelope("1.0.0", error=FarmError(ErrorCode.RESOURCE_NOT_FOUND, "use POST")), _JSON
        found = routes.find_operation(path)
        transfer = path[len(_TRANSFER_PREFIX):] if path.startswith(_TRANSFER_PREFIX) else None
        if found is None and transfer not in TRANSFER_ROUTES:
            return 404, self._envelope("1.0.0", error=FarmError(ErrorCode.RESOURCE_NOT_FOUND,
                                                                "no such path %s" % path[:200])), _JSON
        versions = routes.versions_for(path) if found else ["1.0.0", "2.0.0"]
        sent_version = _header(environ, "version") or ""
        version = sent_version if sent_version in versions else versions[0]
        chaos = self.farm._chaos
        fault = chaos.draw(path)
        if fault == "drop":
            raise DropConnection()
        if fault == "error500":
            return 500, self._envelope(version, error=FarmError(ErrorCode.INTERNAL_ERROR, "internal_error (chaos)")), _JSON
        payload: Optional[bytes] = None  # a download's bytes
        try:
            body = self._envelope(version, self._run(environ, path, found, transfer, sent_version, versions))
        except _Download as download:
            body = payload = download.data
            extra.update(download.headers)
        except FarmError as exc:
            body = self._envelope(version, error=exc)
        if fault == "slow":
            time.sleep(chaos.delay)
        elif fault == "garble":
            body = chaos_mod.garble(body, chaos.count)
        elif fault == "lost":  # handled, but the answer never arrives
            raise DropConnection()
        return 200, body, "application/octet-stream" if payload is not None else _JSON

    def _run(self, environ: Dict[str, Any], path: str, found: Any, transfer: Optional[str], sent_version: str,
             versions: List[str]) -> Any:
        if sent_version not in versions:
            raise FarmError(ErrorCode.ILLEGAL_PROTOCOL, "path %s answers version %s; the request said version %r"
                            % (path, " or ".join(versions), sent_version[:20]))
        farm = self.farm
        pending = farm._gate.precheck({name: _header(environ, name)
                                       for name in signing.SIGNED_HEADERS + ("signature",)})
        host = _header(environ, "host") or farm._hostport
        length = self._length(environ)
        api = farm._api
        if transfer == "upload":
            query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True).items()}
            fields: Dict[str, Any] = {k: query[k] for k in _UPLOAD_FIELDS if k in query}
            call = self._call(farm._gate.verify(pending, path, fields, host), sent_version, host)
            return api.transfer_upload(call, fields, environ["wsgi.input"], length)
        if transfer == "upload_batch":  # a JSON line (the signed fields), a newline, the files' bytes
            fields, data = split_batch(environ["wsgi.input"].read(length) if length else b"", parse_body)
            call = self._call(farm._gate.verify(pending, path, fields, host), sent_version, host)
            return api.transfer_upload_batch(call, fields, data)
        fields = parse_body(environ["wsgi.input"].read(length) if length else b"")
        if found is not None:
            return self._operation(found[1].name, pending, path, fields, sent_version, host)
        call = self._call(farm._gate.verify(pending, path, fields, host), sent_version, host)
        if transfer == "download":
            raise _Download(*api.transfer_download(call, fields))
        return api.transfer(transfer or "", call, fields)

    def _operation(self, name: str, pending: Any, path: str, fields: Dict[str, Any], version: str, host: str) -> Any:
        """Check the signature, remember the request and run the operation in one commit (one write
        of the journal a call, not two); an operation that fails rolls back alone: the request stays
        remembered (a replay of it is refused all the same)."""
        farm = self.farm
        failure: Optional[BaseException] = None
        with farm._db.transaction():
            call = self._call(farm._gate.verify(pending, path, fields, host), version, host)
            try:
                with farm._db.savepoint("operation"):
                    data = farm._api.handle(name, call, fields)
            except Exception as exc:  # FarmError, or a bug of the farm (answered 500 by __call__)
                failure = exc
        if failure is not None:
            raise failure
        return data

    @staticmethod
    def _call(user: Dict[str, Any], version: str, host: str) -> Call:
        return Call(user, "v2" if version == "2.0.0" else "v1", host)

    @staticmethod
    def _length(environ: Dict[str, Any]) -> int:
        text = environ.get("CONTENT_LENGTH") or "0"
        return int(text) if text.isdigit() else 0  # waitress has refused any other

    # --- GET: progress pictures -------------------------------------------------------------
    def _get(self, environ: Dict[str, Any], path: str) -> Tuple[int, bytes, str]:
        parts = path.strip("/").split("/")
        if len(parts) == 4 and parts[:2] == ["farm", "grab"] and parts[3].endswith(".png"):
            query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True).items()}
            png = self.farm._api.grab_png(parts[2], parts[3][:-4], query.get("t", ""), query.get("s", ""),
                                          self.farm._clock())
            if png is not None:
                return 200, png, "image/png"
            return 404, self._envelope("1.0.0", error=FarmError(
                ErrorCode.RESOURCE_NOT_FOUND, "no such progress picture, or its link expired: ask loadTaskProcessImg "
                                              "for a new one")), _JSON
        if path in ("/", "/farm"):
            text = "Renderbus local farm: POST signed API calls to %s\n" % self.farm.url
            return 200, text.encode("utf-8"), "text/plain;charset=UTF-8"
        return 404, self._envelope("1.0.0", error=FarmError(ErrorCode.RESOURCE_NOT_FOUND,
                                                            "no such path %s" % path[:200])), _JSON


class _Download(Exception):
    """A download's bytes, answered as they are (not in the envelope)."""

    def __init__(self, data: bytes, headers: Dict[str, str]) -> None:
        super().__init__("download")
        self.data = data
        self.headers = headers
