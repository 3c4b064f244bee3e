"""The farm's HTTP listener: waitress, with a body limit per route checked before the body is read.

waitress does what a hand-written server gets wrong: HTTP/1.1 framing (a bad, negative or
doubled Content-Length and a bad chunked body are refused with 400, never read as the next
request), idle connections closed after ``channel_timeout``, connections multiplexed by one
thread and requests served by a fixed pool of ``threads``, bodies over 512 KB spooled to a
temporary file instead of memory, TCP_NODELAY.

Three small additions over stock waitress:

- ``body_limit(method, path)`` is asked as soon as a request's headers are in: a larger
  Content-Length (or chunked body) is answered 413 and the connection closed, unread;
- the header and a body known in full leave in one write (no Nagle/delayed-ACK stall);
- the application can raise :class:`DropConnection` to close the connection without an answer
  (the farm's chaos).
"""

import logging
import threading
from typing import Any, Callable, Optional

__all__ = ["DropConnection", "Listener", "MissingServer"]

log = logging.getLogger(__name__)

#: (method, path) -> the largest body (bytes) that route takes.
BodyLimit = Callable[[str, str], int]


class DropConnection(Exception):
    """Raised by the application: close the connection, answer nothing."""


class MissingServer(ImportError):
    """waitress is not installed."""


def _classes(body_limit: BodyLimit) -> Any:
    """The channel class (with its parser and task classes) that waitress uses for the farm."""
    from waitress.channel import HTTPChannel
    from waitress.parser import HTTPRequestParser
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
            limit = body_limit(self.command or "", self.path or "")
            # waitress refuses a body whose size reaches max_request_body_size
            adj: Any = getattr(self, "adj")
            self.adj = _RouteLimit(adj, min(limit + 1, adj.max_request_body_size))

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
                self.channel.write_soon(self.build_response_header() + data)  # one write
                self.wrote_header = True
                self.content_bytes_written += len(data)
                return
            super().write(data)

    class FarmChannel(HTTPChannel):
        parser_class = FarmParser
        task_class = FarmTask

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
                 threads: int = 6, channel_timeout: int = 30, connection_limit: int = 2000) -> None:
        connection_limit = _room_for_connections(connection_limit)
        try:
            from waitress import create_server
        except ImportError as exc:  # pragma: no cover - the farm extra installs it
            raise MissingServer("the local farm needs waitress: pip install \"renderbus_dcc[farm]\"") from exc
        self._server = create_server(
            app, host=host, port=port, threads=threads, channel_timeout=channel_timeout,
            cleanup_interval=max(1, min(5, channel_timeout)),
            connection_limit=connection_limit, max_request_body_size=max_body, ident="RenderbusLocalFarm",
            expose_tracebacks=False, asyncore_use_poll=True, clear_untrusted_proxy_headers=True,
        )
        self._server.channel_class = _classes(body_limit)
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
