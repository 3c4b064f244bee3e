"""The transfer interface every backend implements, and the choice of a default backend."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from contextlib import contextmanager
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

from renderbus_dcc.errors import Cancelled
from renderbus_dcc.i18n import _

__all__ = ["TransferItem", "TransferProgress", "ProgressCallback", "TransferBackend", "default_backend",
           "report_progress", "is_live_endpoint"]

#: One file to move: (local path, server path, size in bytes).
TransferItem = Tuple[str, str, int]


@dataclass
class TransferProgress:
    """How far an upload got. ``completed`` is the server path of a file that just finished;
    ``held``, those of files the farm already held as they are (not sent), told together (one
    report for a status answer's worth, not one per file); both count in ``files_done`` and
    ``bytes_done``."""

    bytes_done: int
    bytes_total: int
    files_done: int
    files_total: int
    current_file: str = ""
    completed: Optional[str] = None
    held: Tuple[str, ...] = ()

    def copy(self) -> "TransferProgress":
        """A copy (cheaper than ``dataclasses.replace``)."""
        return TransferProgress(self.bytes_done, self.bytes_total, self.files_done, self.files_total,
                                self.current_file, self.completed, self.held)

    def finished(self) -> List[str]:
        """Server paths of the files this report says are on the farm now (held or completed)."""
        return list(self.held) + ([self.completed] if self.completed else [])


#: Called often during an upload; returning False cancels it (raises Cancelled).
ProgressCallback = Callable[[TransferProgress], Optional[bool]]


def report_progress(on_progress: Optional[ProgressCallback], progress: TransferProgress) -> None:
    """Call ``on_progress``; raise :class:`Cancelled` if it returns False."""
    if on_progress is not None and on_progress(progress.copy()) is False:
        raise Cancelled(_("upload cancelled at %s") % (progress.current_file or _("the start")))


class TransferBackend:
    """Uploads files to a transfer id (``bid``) of the farm.

    Subclasses implement :meth:`upload`. It must skip or resume what the farm already holds
    where the backend can know it, report bytes and files through ``on_progress`` (a
    ``completed`` report per finished file; files skipped may be told together in ``held``),
    stop with :class:`Cancelled` when that returns False, and raise
    :class:`~renderbus_dcc.errors.TransferError` on failure.
    """

    name = "base"
    #: {local path: (size, mtime_ns)} as the asset collection found them (see :meth:`collected`)
    _collected: Optional[Mapping[str, Tuple[int, int]]] = None

    def upload(self, items: Sequence[TransferItem], bid: str,
               on_progress: Optional[ProgressCallback] = None) -> None:
        raise NotImplementedError

    @contextmanager
    def collected(self, stats: Mapping[str, Tuple[int, int]]) -> Iterator[None]:
        """Uploads inside take ``stats`` ({local path: (size, mtime_ns)}, found by the asset
        collection moments before) for a stat of each file where they compare a file with the
        farm's copy: the files are taken as they were collected (a submission's one stat per
        file; see :func:`renderbus_dcc.submission.submit` for what that guarantees)."""
        kept, self._collected = self._collected, stats
        try:
            yield
        finally:
            self._collected = kept

    def upload_bytes(self, payloads: Dict[str, bytes], bid: str,
                     on_progress: Optional[ProgressCallback] = None) -> None:
        """Upload in-memory files (server path -> bytes), e.g. the task files."""
        with tempfile.TemporaryDirectory(prefix="renderbus-") as tmp:
            items: List[TransferItem] = []
            for i, (server, data) in enumerate(payloads.items()):
                local = os.path.join(tmp, "%03d_%s" % (i, os.path.basename(server) or "payload"))
                with open(local, "wb") as fh:
                    fh.write(data)
                items.append((local, server, len(data)))
            self.upload(items, bid, on_progress)

    def status(self, paths: Sequence[str], bid: str) -> Optional[Dict[str, Dict[str, Any]]]:
        """What the farm holds of ``paths`` (``{path: {"size", "complete", ...}}``), or None when
        this backend cannot tell (the recovery of a lost createTask answer asks it whether a
        task already holds task files)."""
        return None

    def close(self) -> None:
        """Release connections; the default has nothing to release."""

    def __enter__(self) -> "TransferBackend":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


_LIVE_HOSTS = ("renderbus.com", "foxrenderfarm.com")


def is_live_endpoint(client: Any) -> bool:
    """True when ``client`` talks to the live Renderbus service (its transfers need ``rayvision_sync``)."""
    from urllib.parse import urlsplit

    host = (urlsplit(str(getattr(client, "endpoint", ""))).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in _LIVE_HOSTS)


def default_backend(client: Any) -> TransferBackend:
    """The backend for ``client``'s endpoint: ``rayvision_sync`` for the live service, the
    local farm's HTTP upload for any other endpoint."""
    if is_live_endpoint(client):
        from renderbus_dcc.transfer.rayvision import RayvisionTransfer

        return RayvisionTransfer(client)
    from renderbus_dcc.transfer.localfarm import LocalFarmTransfer

    return LocalFarmTransfer(client)
