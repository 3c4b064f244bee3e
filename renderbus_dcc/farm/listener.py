"""The farm's HTTP listener: waitress, with a body limit per route checked before the body is read.

waitress does what a hand-written server gets wrong: HTTP/1.1 framing (a bad, negative or
doubled Content-Length and a bad chunked body are refused with 400, never read as the next
request), idle connections closed after ``channel_timeout``, connections multiplexed by one
thread and requests served by a fixed pool of ``threads``, bodies over 512 KB spooled to a
temporary file instead of memory, TCP_NODELAY.

Four small additions over stock waitress:

- ``body_limit(method, path)`` is asked as soon as a request's headers are in: a larger
  Content-Length (or chunked body) is answered 413 and the connection closed, unread;
- the body of a route ``in_memory(method, path)`` names (the uploads) is held in memory
  instead of a temporary file, while the bodies so held, over all connections, stay within
  ``memory_budget`` bytes (beyond it, stock waitress: spooled to a temporary file past 512 KB):
  a file's bytes are not written to disk twice, and memory stays bounded however many
  connections send at once, signed or not;
- the header and a body known in full leave in one write (no Nagle/delayed-ACK stall), sent by
  the worker that made them when nothing is waiting before them: the I/O thread is not
  woken to write them (:func:`send_now`);
- the application can raise :class:`DropConnection` to close the connection without an answer
  (the farm's chaos).
"""

import logging
import threading
import time
import weakref
from typing import Any, Callable, Optional

__all__ = ["DropConnection", "Listener", "MemoryBudget", "MissingServer", "RECV_BYTES", "send_now"]

log = logging.getLogger(__name__)

#: (method, path) -> the largest body (bytes) that route takes.
BodyLimit = Callable[[str, str], int]
#: (method, path) -> whether that route's bodies are held in memory (within the budget).
InMemory = Callable[[str, str], bool]
#: Bytes a socket read takes at most (stock waitress: 8 KB; an upload of 1 GB was 131,072 reads).
#: Not more: a read of more than 128 KB costs a small request ~30 us (the buffer is mapped and
#: unmapped each time), while 64 KB reads take loopback data faster than the farm hashes it.
RECV_BYTES = 64 * 1024


class MemoryBudget:
    """Bytes of request bodies held in memory at once, over all connections."""

    def __init__(self, limit: int) -> None:
        self.limit = int(limit)
        self.held = 0
        self._lock = threading.Lock()

    def take(self, size: int) -> bool:
        """Reserve ``size`` bytes; False (nothing reserved) if they do not fit."""
        with self._lock:
            if size <= 0 or self.held + size > self.limit:
                return False
            self.held += size
            return True

    def give_back(self, size: int) -> None:
        with self._lock:
            self.held -= size


class DropConnection(Exception):
    """Raised by the application: close the connection, answer nothing."""


class MissingServer(ImportError):
    """waitress is not installed."""


def send_now(channel: Any, data: bytes) -> bytes:
    """Send ``data`` on ``channel``'s socket from the worker thread when nothing is waiting to be
    sent before it; returns what is left for waitress' output buffer (all of it otherwise).

    Stock waitress puts the answer in the channel's output buffer first: until the worker has
    sent it, the I/O thread sees the channel writable, is woken at once by poll, cannot take the
    buffer's lock and polls again (measured: ~24 loop turns a request with 4 clients)."""
    with channel.outbuf_lock:
        if not channel.connected or channel.total_outbufs_len:
            return data
        try:
            sent = channel.send(data, do_close=False)  # non-blocking: 0 when the socket is full or gone
        except OSError:  # left to waitress, which closes the connection
            sent = 0
    if sent:
        channel.last_activity = time.time()
    return data[sent:]


def _classes(body_limit: BodyLimit, in_memory: Optional[InMemory] = None, budget: Optional[MemoryBudget] = None) -> Any:
    """The channel class (with its parser and task classes) that waitress uses for the farm."""
    from waitress.buffers import OverflowableBuffer
    from waitress.channel import HTTPChannel
    from waitress.parser import HTTPRequestParser
    from waitress.receiver import FixedStreamReceiver
    from waitress.task import WSGITask

    class _RouteLimit:
        """The server's adjustments with the route's own body limit."""

        def __init__(self, adj: Any, limit: int) -> None:
            self._adj = adj
            self.max_request_body_size = limit

        def __getattr__(self, name: str) -> Any:
            return getattr(self._adj, name)

    class FarmParser(HTTPRequestParser):
        def parse_header(self, header_plus: bytes) -> None:
            super().parse_header(header_plus)
            method, path = self.command or "", self.path or ""
            limit = body_limit(method, path)
            # waitress refuses a body whose size reaches max_request_body_size
            adj: Any = getattr(self, "adj")
            self.adj = _RouteLimit(adj, min(limit + 1, adj.max_request_body_size))
            size = int(getattr(self, "content_length", 0) or 0)
            if (budget is not None and in_memory is not None and not getattr(self, "chunked", False)
                    and 0 < size <= limit and in_memory(method, path) and budget.take(size)):
                # given back when the request is done, its connection closes, or it is dropped
                self._give_back = weakref.finalize(self, budget.give_back, size)
                self.body_rcv = FixedStreamReceiver(size, OverflowableBuffer(size + 1))  # never spooled

        def close(self) -> None:
            super().close()
            give_back = getattr(self, "_give_back", None)
            if give_back is not None:
                give_back()

    class FarmTask(WSGITask):
        def service(self) -> None:
            try:
                super().service()
            except DropConnection:
                self.close_on_finish = True

        def write(self, data: bytes) -> None:
            wrote_header: bool = getattr(self, "wrote_header")
            if (not wrote_header and data and self.has_body and not self.chunked_response
                    and self.content_length == len(data)):
                self.wrote_header = True
                self.content_bytes_written += len(data)
                rest = send_now(self.channel, self.build_response_header() + data)  # one write
                if rest:
                    self.channel.write_soon(rest)
                return
            super().write(data)

    class FarmChannel(HTTPChannel):
        parser_class = FarmParser
        task_class = FarmTask

        def handle_close(self) -> None:
            request = getattr(self, "request", None)  # a body cut short: its memory is given back
            if request is not None:
                request.close()
            super().handle_close()

    return FarmChannel


def _room_for_connections(wanted: int) -> int:
    """Raise this process's open-file limit (soft, up to the hard one) to hold ``wanted`` connections;
    returns how many it can hold."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows: no such limit
        return wanted
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = wanted + 256  # the database, uploads, the suite's own files
    if soft != resource.RLIM_INFINITY and soft < need:
        new = need if hard == resource.RLIM_INFINITY else min(need, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
            soft = new
        except (ValueError, OSError):  # pragma: no cover
            pass
    return wanted if soft == resource.RLIM_INFINITY else max(50, min(wanted, soft - 256))


class Listener:
    """A waitress server for ``app`` on ``host:port``, served by a thread of its own.

    Connections cost no thread (one thread polls them all), so many slow clients are held
    cheaply; ``connection_limit`` of them at most, each closed after ``channel_timeout`` idle
    seconds.
    """

    def __init__(self, app: Callable[..., Any], host: str, port: int, body_limit: BodyLimit, max_body: int,
                 threads: int = 6, channel_timeout: int = 30, connection_limit: int = 2000,
                 in_memory: Optional[InMemory] = None, memory_budget: int = 0) -> None:
        connection_limit = _room_for_connections(connection_limit)
        try:
            from waitress import create_server
        except ImportError as exc:  # pragma: no cover - the farm extra installs it
            raise MissingServer("the local farm needs waitress: pip install \"renderbus_dcc[farm]\"") from exc
        self._server = create_server(
            app, host=host, port=port, threads=threads, channel_timeout=channel_timeout,
            cleanup_interval=max(1, min(5, channel_timeout)),
            connection_limit=connection_limit, max_request_body_size=max_body, ident="RenderbusLocalFarm",
            recv_bytes=RECV_BYTES,
            expose_tracebacks=False, asyncore_use_poll=True, clear_untrusted_proxy_headers=True,
        )
        self.budget = MemoryBudget(memory_budget)
        self._server.channel_class = _classes(body_limit, in_memory, self.budget)
        self.port = int(self._server.effective_port)
        self._thread: Optional[threading.Thread] = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._server.run, name="renderbus-local-farm", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop listening, let running requests finish (up to ``timeout``), close every connection."""
        server = self._server
        done = threading.Event()

        def close_all() -> None:  # in the server's thread: its sockets are its own
            from waitress.channel import HTTPChannel

            for dispatcher in list(server._map.values()):
                try:
                    if isinstance(dispatcher, HTTPChannel):
                        dispatcher.handle_close()  # also drops its buffers
                    else:
                        dispatcher.close()  # the listening socket, the trigger
                except Exception:  # pragma: no cover - closing anyway
                    log.debug("closing %r failed", dispatcher, exc_info=True)
            done.set()

        server.task_dispatcher.shutdown(cancel_pending=True, timeout=timeout)
        try:
            server.trigger.pull_trigger(close_all)
        except OSError:  # pragma: no cover - the trigger is gone: the loop is over
            done.set()
        done.wait(timeout)
        if self._thread is not None:
            self._thread.join(timeout)
