"""Bringing rendered files home, beside upload: :class:`DownloadBackend` and the local farm's HTTP one.

Every backend keeps the same promises:

- a file already complete on disk (same size, and same md5 where the farm reports one) is skipped;
- a file grows under ``<name>.rbpart`` and takes its own name only once it is whole and checked
  (size, and md5 where the farm reports it): never a half-written file under the final name;
- a partial file is resumed from its byte offset (after Ctrl-C, a crash, a lost connection);
- ``on_progress`` is called often; returning False cancels (:class:`~renderbus_dcc.errors.Cancelled`,
  the partial file kept for the next run).

:class:`LocalFarmDownload` reads the local farm's download route: one signed request per file,
streamed from an offset; the answer's headers give the whole file's size and md5.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Dict, List, Optional, Sequence

from renderbus_dcc.errors import Cancelled, TransferError, api_error_for
from renderbus_dcc.i18n import _
from renderbus_dcc.transfer.base import TransferProgress
from renderbus_dcc.transfer.localfarm import DOWNLOAD_PATH

log = logging.getLogger(__name__)

__all__ = ["RemoteFile", "DownloadProgress", "DownloadResult", "DownloadCallback", "DownloadBackend",
           "LocalFarmDownload", "PART_SUFFIX", "part_path", "default_download_backend"]

#: A file being downloaded is named ``<name>.rbpart`` until it is whole and checked.
PART_SUFFIX = ".rbpart"
_BLOCK = 256 * 1024


@dataclass
class RemoteFile:
    """A file of the farm to bring home: its server path, where it goes, what it should be."""

    server: str
    local: str
    size: int = -1  #: bytes; -1 when the listing did not say
    md5: str = ""  #: hex, where the farm reports it


@dataclass
class DownloadProgress(TransferProgress):
    """How far a download got. ``completed`` is the local path of a file that just became whole."""

    skipped: bool = False  #: ``completed`` was already there


@dataclass
class DownloadResult:
    """What a download did: files fetched, files that were already there, bytes moved, requests."""

    downloaded: List[str] = field(default_factory=list)
    skipped: List[str] = field(default_factory=list)
    bytes_transferred: int = 0
    requests: int = 0


#: Called often; returning False cancels.
DownloadCallback = Callable[[DownloadProgress], Optional[bool]]


def part_path(local: str) -> str:
    """Where ``local`` grows until it is complete."""
    return local + PART_SUFFIX


def _tell(on_progress: Optional[DownloadCallback], progress: DownloadProgress) -> None:
    if on_progress is not None and on_progress(replace(progress)) is False:
        raise Cancelled(_("download cancelled at %s") % (progress.current_file or _("the start")),
                        hint=_("run the download again: it carries on where it stopped"))


def _md5_of(path: str) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def is_complete(item: RemoteFile) -> bool:
    """True when ``item.local`` is there with the expected size (and md5, where known)."""
    try:
        size = os.path.getsize(item.local)
    except OSError:
        return False
    if item.size >= 0 and size != item.size:
        return False
    if item.size < 0 and not item.md5:
        return False  # nothing to check it by: fetch it again
    return not item.md5 or _md5_of(item.local) == item.md5.lower()


class DownloadBackend:
    """Fetches files of an output bid. Subclasses implement :meth:`_fetch` (one file into its part file)."""

    name = "base"

    def __init__(self) -> None:
        self.requests = 0  #: HTTP requests made (tests, benchmarks)

    def download(self, files: Sequence[RemoteFile], bid: str,
                 on_progress: Optional[DownloadCallback] = None) -> DownloadResult:
        """Bring ``files`` home (see the module's promises); returns what was done."""
        files = list(files)
        result = DownloadResult()
        progress = DownloadProgress(0, sum(max(0, f.size) for f in files), 0, len(files))
        _tell(on_progress, progress)
        before = self.requests
        for item in files:
            start = progress.bytes_done
            progress.current_file = item.server
            progress.skipped = is_complete(item)
            if progress.skipped:
                result.skipped.append(item.local)
            else:
                os.makedirs(os.path.dirname(item.local) or ".", exist_ok=True)
                result.bytes_transferred += self._fetch(item, bid, progress, on_progress)
                result.downloaded.append(item.local)
            progress.bytes_done = start + max(0, item.size)
            progress.files_done += 1
            progress.completed = item.local
            _tell(on_progress, progress)
            progress.completed, progress.skipped = None, False
        result.requests = self.requests - before
        return result

    def _fetch(self, item: RemoteFile, bid: str, progress: DownloadProgress,
               on_progress: Optional[DownloadCallback]) -> int:
        """Download ``item`` (resuming its part file), check it, move it into place; bytes moved."""
        raise NotImplementedError

    def close(self) -> None:
        """Release connections; the default has nothing to release."""

    def __enter__(self) -> "DownloadBackend":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _finish(part: str, item: RemoteFile, size: int, md5: str) -> None:
    """Check the whole part file, then give it its name (atomically)."""
    held = os.path.getsize(part)
    if held != size or (item.size >= 0 and held != item.size):
        raise _Damaged(_("%(file)s arrived with %(got)d bytes, not %(want)d") % {
            "file": item.server, "got": held, "want": size if held != size else item.size})
    if md5 and _md5_of(part) != md5.lower():
        raise _Damaged(_("%s arrived damaged (its md5 does not match the farm's)") % item.server)
    os.replace(part, item.local)


class _Damaged(Exception):
    """The bytes on disk are not the farm's file: start it over."""


class LocalFarmDownload(DownloadBackend):
    """The local farm's download route: streamed from a byte offset, checked by size and md5."""

    name = "localfarm"

    def __init__(self, client: Any, retries: int = 3, retry_delay: float = 0.2) -> None:
        super().__init__()
        self.client = client
        self.retries = max(0, int(retries))
        self.retry_delay = retry_delay

    def _fetch(self, item: RemoteFile, bid: str, progress: DownloadProgress,
               on_progress: Optional[DownloadCallback]) -> int:
        part = part_path(item.local)
        moved = 0
        failures = 0
        damaged = False
        base = progress.bytes_done
        while True:
            offset = os.path.getsize(part) if os.path.isfile(part) else 0
            if item.size >= 0 and offset > item.size:
                os.remove(part)
                offset = 0
            try:
                got, size, md5 = self._stream(item, bid, part, offset, progress, on_progress, base)
                moved += got
                _finish(part, item, size, md5)
                return moved
            except _Damaged as exc:
                os.remove(part)
                if damaged:
                    raise TransferError(str(exc), hint=_("download again; if it persists, the farm's copy is damaged"))
                damaged = True
                log.info("%s; downloading it again", exc)
            except _Lost as exc:
                moved += exc.got
                failures += 1
                if failures > self.retries:
                    raise TransferError(_("lost the connection to the farm while downloading %(file)s: %(why)s") % {
                        "file": item.server, "why": exc}, hint=_("run the download again: it carries on where it stopped"))
                log.info("connection lost (%s); resuming %s", exc, item.server)
                time.sleep(self.retry_delay * failures)

    def _stream(self, item: RemoteFile, bid: str, part: str, offset: int, progress: DownloadProgress,
                on_progress: Optional[DownloadCallback], base: int) -> Any:
        """One request: the bytes from ``offset`` appended to ``part``. (bytes, whole size, md5)."""
        import requests

        fields = {"bid": str(bid), "path": item.server, "offset": str(offset)}
        headers = dict(self.client.signed_headers(DOWNLOAD_PATH, fields))
        headers["Content-Type"] = "application/json; charset=utf-8"
        body = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        url = str(self.client.endpoint).rstrip("/") + DOWNLOAD_PATH
        self.requests += 1
        got = 0
        try:
            resp = self.client.session.post(url, data=body, headers=headers, timeout=self.client.timeout, stream=True)
        except requests.RequestException as exc:
            raise _Lost(exc, 0) from None
        with resp:
            if not resp.headers.get("Content-Type", "").startswith("application/octet-stream"):
                envelope = self.client.transport.decode(resp, DOWNLOAD_PATH)
                error = api_error_for(envelope.code, envelope.message, path=DOWNLOAD_PATH, data=envelope.data)
                raise TransferError(_("the farm refused %(file)s: %(why)s") % {
                    "file": item.server, "why": error.server_message or error},
                    hint=_("check that the task is yours and its frames are rendered")) from None
            size = int(resp.headers.get("X-Renderbus-Size") or -1)
            md5 = resp.headers.get("X-Renderbus-MD5") or item.md5
            if int(resp.headers.get("X-Renderbus-Offset") or 0) != offset:
                raise _Damaged(_("the farm sent %s from another offset") % item.server)
            progress.bytes_done = base + offset
            try:
                with open(part, "ab" if offset else "wb") as fh:
                    for block in resp.iter_content(_BLOCK):
                        fh.write(block)
                        got += len(block)
                        progress.bytes_done += len(block)
                        _tell(on_progress, progress)
            except requests.RequestException as exc:
                raise _Lost(exc, got) from None
        return got, size if size >= 0 else offset + got, md5


class _Lost(Exception):
    def __init__(self, why: Any, got: int) -> None:
        super().__init__(str(why))
        self.got = got


def default_download_backend(client: Any) -> DownloadBackend:
    """``rayvision_sync`` for the live service, the local farm's download route for any other endpoint."""
    from renderbus_dcc.transfer.base import is_live_endpoint

    if is_live_endpoint(client):
        from renderbus_dcc.transfer.rayvision_download import RayvisionDownload

        return RayvisionDownload(client)
    return LocalFarmDownload(client)
