"""HTTP for the client: one request per attempt, safe retries, clear errors.

``requests`` is imported only when the first request is made, so importing renderbus_dcc stays
cheap inside Maya, 3ds Max and Blender. Queries (and any call marked safe to repeat) are retried
with bounded exponential backoff and jitter on connection errors, timeouts, HTTP 5xx and garbled
bodies (an answer cut short or spoiled on the way); calls that change state are sent once, and a
failure whose outcome cannot be known from here is raised as :class:`OutcomeUnknown`, for the
caller to find out by a query. A connection that could not even be opened (refused, no such
host) sent nothing, so any call may try again, but only twice: the answer is quick.
The protocol's JSON envelope is decoded here; a body that is not one (a proxy's HTML page)
becomes :class:`HTTPStatusError` or :class:`BadResponseError`, never a JSONDecodeError.
"""

import json
import logging
import random
import re
import time
from typing import Any, Callable, Dict, Mapping, Optional, Tuple, Type

from renderbus_dcc.errors import BadResponseError, HTTPStatusError, OutcomeUnknown, TransportError
from renderbus_dcc.i18n import N_, _

__all__ = ["Transport", "Envelope", "body_snippet", "redact_headers", "never_sent", "looks_garbled"]

log = logging.getLogger(__name__)

#: Header names whose values never reach a log line.
_SECRET_HEADERS = frozenset({"signature", "accesskey", "access_key", "authorization"})

#: (headers, body bytes) for one attempt; called again for every attempt (fresh nonce).
RequestFactory = Callable[[], Tuple[Dict[str, str], bytes]]


def redact_headers(headers: Mapping[str, Any]) -> Dict[str, Any]:
    """A copy of ``headers`` fit for a log line (signature and key hidden)."""
    return {k: ("***" if k.lower() in _SECRET_HEADERS else v) for k, v in headers.items()}


def body_snippet(content: bytes, limit: int = 160) -> str:
    """The first readable bit of a body: an HTML page's title and text, whitespace collapsed."""
    text = content[:4096].decode("utf-8", "replace")
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.I | re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    if title:
        head = " ".join(title.group(1).split())
        if text.startswith(head):
            text = text[len(head):].strip()
        text = head + (": " + text if text else "")
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text or "(empty body)"


class Envelope:
    """The protocol's answer: ``code``, ``message``, ``data``, ``server_time`` (ms), ``status`` (HTTP)."""

    __slots__ = ("code", "message", "data", "server_time", "status", "raw")

    def __init__(self, code: int, message: str, data: Any, server_time: Optional[int], status: int, raw: Dict[str, Any]):
        self.code = code
        self.message = message
        self.data = data
        self.server_time = server_time
        self.status = status
        self.raw = raw

    def __repr__(self) -> str:
        return "Envelope(code=%r, message=%r, status=%r)" % (self.code, self.message, self.status)


class Transport:
    """Sends requests to one endpoint over a lazily made ``requests.Session``.

    ``retries`` extra attempts for safe calls; ``backoff`` the first delay in seconds (doubling,
    jittered, capped by ``backoff_max``). ``sent`` counts the HTTP requests made (benchmarks).
    """

    #: Extra attempts when the connection could not be opened at all (refused, unknown host).
    UNREACHABLE_RETRIES = 2

    def __init__(
        self,
        endpoint: str,
        timeout: float = 30.0,
        retries: int = 6,
        backoff: float = 0.5,
        backoff_max: float = 4.0,
        session: Any = None,
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.backoff = max(0.0, float(backoff))
        self.backoff_max = max(self.backoff, float(backoff_max))
        self._session = session
        self._errors: Optional[Tuple[Type[BaseException], ...]] = None
        self.sent = 0

    def __repr__(self) -> str:
        return "Transport(endpoint=%r, timeout=%r, retries=%r)" % (self.endpoint, self.timeout, self.retries)

    @property
    def session(self) -> Any:
        """The ``requests.Session`` (made on first use; the environment's proxies and .netrc read
        once per origin: :mod:`renderbus_dcc.http_session`)."""
        if self._session is None:
            from renderbus_dcc.http_session import Session

            self._session = Session()
        return self._session

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    def _network_errors(self) -> Tuple[Type[BaseException], ...]:
        if self._errors is None:
            import requests

            self._errors = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)
        return self._errors

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` (an absolute URL is kept)."""
        if path.startswith(("http://", "https://")):
            return path
        return self.endpoint + ("" if path.startswith("/") else "/") + path

    def delay(self, attempt: int) -> float:
        """Backoff before retry ``attempt`` (0-based): base * 2**attempt, capped, jittered."""
        return min(self.backoff_max, self.backoff * (2 ** attempt)) * random.uniform(0.5, 1.0)

    @property
    def budget(self) -> float:
        """Seconds one call may spend on retries (a server that keeps timing out is not waited
        for seven times over): twice the timeout, at least a minute."""
        return max(60.0, 2.0 * float(self.timeout))

    def _may_retry(self, attempt: int, limit: int, since: float) -> bool:
        return attempt < limit and time.monotonic() - since < self.budget

    def _wait(self, method: str, path: str, attempt: int, why: str) -> None:
        wait = self.delay(attempt)
        log.info("%s %s: %s; retrying in %.2fs", method, _short(path), why, wait)
        time.sleep(wait)

    def _attempt(self, method: str, url: str, make: Optional[RequestFactory], params: Optional[Mapping[str, str]],
                 attempt: int) -> Any:
        headers, body = make() if make is not None else ({}, b"")
        if log.isEnabledFor(logging.DEBUG):
            shown = body[:300].decode("utf-8", "replace") if body[:1] in (b"{", b"[") else "<%d bytes>" % len(body)
            log.debug("%s %s attempt %d headers=%s body=%s", method, url, attempt + 1, redact_headers(headers), shown)
        started = time.perf_counter()
        self.sent += 1
        response = self.session.request(method, url, data=body or None, headers=headers, params=params,
                                        timeout=self.timeout)
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s %s -> HTTP %s in %.1f ms (%d bytes)", method, _short(url), response.status_code,
                      (time.perf_counter() - started) * 1000, len(response.content))
        return response

    def send(
        self,
        method: str,
        path: str,
        make: Optional[RequestFactory] = None,
        retry: bool = False,
        params: Optional[Mapping[str, str]] = None,
    ) -> Any:
        """Send one request (``make`` is called per attempt); returns the ``requests.Response``.

        With ``retry`` (safe calls), connection errors, timeouts and 5xx are retried. Without
        it (calls that change state), only a connection that could not be opened is retried:
        then nothing was sent.
        """
        return self._exchange(method, path, make, retry, params, decode=False)

    def exchange(
        self,
        path: str,
        make: Optional[RequestFactory] = None,
        retry: bool = False,
        params: Optional[Mapping[str, str]] = None,
    ) -> Envelope:
        """POST one API request and decode its envelope; with ``retry``, a garbled answer is
        asked again too (see :meth:`send`)."""
        return self._exchange("POST", path, make, retry, params, decode=True)

    def _exchange(self, method: str, path: str, make: Optional[RequestFactory], retry: bool,
                  params: Optional[Mapping[str, str]], decode: bool) -> Any:
        url = self.url(path)
        errors = self._network_errors()
        attempt = 0
        garbled = 0
        since = time.monotonic()
        while True:
            try:
                response = self._attempt(method, url, make, params, attempt)
            except errors as exc:
                reason = _reason(exc)
                unsent = never_sent(exc)
                limit = min(self.retries, self.UNREACHABLE_RETRIES) if unsent else (self.retries if retry else 0)
                if self._may_retry(attempt, limit, since):
                    self._wait(method, path, attempt, reason)
                    attempt += 1
                    continue
                tried = _("after %d attempts") % (attempt + 1) if attempt else ""
                text = _("cannot reach %(where)s: %(reason)s") % {"where": self.endpoint + _short(path), "reason": reason}
                if unsent or retry:
                    raise TransportError("%s %s" % (text, tried) if tried else text, sent=not unsent) from None
                raise OutcomeUnknown(
                    _("the connection to %(where)s broke after the request was sent (%(reason)s): "
                      "it may or may not have been carried out") % {"where": self.endpoint + _short(path),
                                                                    "reason": reason}) from None
            if retry and response.status_code >= 500 and self._may_retry(attempt, self.retries, since):
                self._wait(method, path, attempt, "HTTP %d" % response.status_code)
                attempt += 1
                continue
            if not decode:
                return response
            try:
                return self.decode(response, path)
            except BadResponseError as exc:
                if not looks_garbled(response.content or b"") or response.status_code >= 400:
                    raise
                garbled += 1
                if retry and self._may_retry(attempt, self.retries, since):
                    self._wait(method, path, attempt, "garbled answer")
                    attempt += 1
                    continue
                raise BadResponseError(
                    _("the answer of %(where)s was cut short or garbled%(times)s") % {
                        "where": self.endpoint + _short(path),
                        "times": (_(" %d times in a row") % garbled) if garbled > 1 else ""},
                    hint=_("the network or a proxy is damaging the answers; try again in a moment"),
                    status=exc.status, path=path) from None

    def decode(self, response: Any, path: str) -> Envelope:
        """The JSON envelope of ``response``; HTTPStatusError / BadResponseError otherwise."""
        status = response.status_code
        content = response.content or b""
        try:
            raw = json.loads(content)
        except ValueError:
            raw = None
        if isinstance(raw, dict) and "code" in raw:
            try:
                code = int(raw["code"])
            except (TypeError, ValueError):
                code = None
            if code is not None:
                server_time = raw.get("serverTime")
                try:
                    server_time = int(server_time) if server_time is not None else None
                except (TypeError, ValueError):
                    server_time = None
                return Envelope(code, str(raw.get("message") or ""), raw.get("data"), server_time, status, raw)
        snippet = body_snippet(content)
        if status >= 400:
            raise HTTPStatusError(
                _("HTTP %(status)d %(reason)s from %(address)s: %(answer)s") % {"status": status, "reason": response.reason or "", "address": self.endpoint + _short(path), "answer": snippet},
                hint=_status_hint(status),
                status=status,
                path=path,
            )
        raise BadResponseError(
            _("the answer of %(address)s (HTTP %(status)d) is not the API's JSON: %(answer)s") % {"address": self.endpoint + _short(path), "status": status, "answer": snippet},
            status=status,
            path=path,
        )


def looks_garbled(content: bytes) -> bool:
    """True for a body that was meant to be the API's JSON but arrived spoiled: empty, cut
    short, or with bytes no JSON holds. A whole other document (a portal's HTML page, JSON
    without the envelope) is not garbled: asking again would get the same."""
    text = content.strip()
    if not text:
        return True
    if b"\x00" in text:
        return True
    try:
        decoded = text.decode("utf-8")
    except UnicodeDecodeError:
        return True
    if decoded[:1] in ("{", "["):
        try:
            json.loads(decoded)
        except ValueError:
            return True
    return False


def never_sent(exc: BaseException) -> bool:
    """True when ``exc`` (from requests) means no connection was opened, so no byte was sent."""
    import requests
    from urllib3.exceptions import NewConnectionError

    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(exc, requests.ConnectionError) and isinstance(reason, NewConnectionError)


def _short(path: str) -> str:
    return path.split("?", 1)[0]


def _status_hint(status: int) -> str:
    if status in (401, 403, 407):
        return _("the server or a proxy refused the request; check the endpoint and proxy settings")
    if status == 404:
        return _("this path does not exist there: check the endpoint and the API profile (v1/v2)")
    if status in (405, 501):  # a web server that takes no POST: not the API
        return _("this is not a Renderbus API address: check the endpoint")
    if status >= 500:
        return _("the server or a proxy before it failed; try again later")
    return _("check the endpoint setting")


def _reason(exc: BaseException) -> str:
    """A short reason from a requests exception (no URL repeated, no nested reprs)."""
    name = type(exc).__name__
    text = str(exc)
    for pattern, label in (
        (r"Connection refused|ConnectionRefused", N_("connection refused")),
        (r"timed out|Timeout", N_("timed out")),
        (r"Name or service not known|getaddrinfo failed|nodename nor servname|NameResolution", N_("host name not found")),
        (r"RemoteDisconnected|Connection aborted|Connection reset|closed connection", N_("connection closed by the server")),
        (r"CERTIFICATE_VERIFY_FAILED|SSLError", N_("TLS certificate error")),
    ):
        if re.search(pattern, text) or re.search(pattern, name):
            return _(label)
    return name
