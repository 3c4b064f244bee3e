"""Uploads to the local farm over its own HTTP routes (CONTRACTS §2): resumable and checked.

For a batch of files: one ``status`` request (per 2,000 paths) tells what the farm holds; a
complete file that is this file (size and md5) is skipped; small files (up to 1 MiB and one
chunk) go many to a request (``upload_batch``: up to 256 files or 8 MiB, in the items' order),
each with its md5 and each put in place by the farm on its own, so a batch cut short resumes by
file; an upload that stopped resumes from
the bytes the farm holds (also when it is a new version of a file the farm holds complete, and
only if those bytes are this file's: their md5 is compared); the rest goes in chunks (8 MiB:
half the requests of 4 MiB, two chunks in memory at most) with the whole file's md5, computed
while the file is read once (the next chunk read and hashed while this one is sent). Every request is safe to
repeat (a chunk is written at its offset), so the client retries each on drops, timeouts, 5xx
and garbled answers; an offset the farm disagrees with is taken from its answer, and a last
chunk that had landed before its answer was lost is recognised by the farm's status.
Every request is signed like an API call (``client.signed_headers``).
"""

from __future__ import annotations

import hashlib
import logging
import os
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from renderbus_dcc.hashing import HashCache, default_cache
from renderbus_dcc.errors import APIError, TransferError, api_error_for
from renderbus_dcc.i18n import _
from renderbus_dcc.transfer.base import (ProgressCallback, TransferBackend, TransferItem, TransferProgress,
                                         report_progress)

log = logging.getLogger(__name__)

__all__ = ["LocalFarmTransfer", "STATUS_PATH", "UPLOAD_PATH", "UPLOAD_BATCH_PATH", "DOWNLOAD_PATH"]

STATUS_PATH = "/api/farm/transfer/status"
UPLOAD_PATH = "/api/farm/transfer/upload"
UPLOAD_BATCH_PATH = "/api/farm/transfer/upload_batch"
DOWNLOAD_PATH = "/api/farm/transfer/download"

_STATUS_BATCH = 2000
#: Files up to this size go many to a request; a request carries at most so many files and bytes.
SMALL_FILE = 1 << 20
BATCH_FILES = 256
BATCH_BYTES = 8 << 20
#: A larger file goes in requests of this many bytes (resumable by chunk).
CHUNK = 8 << 20


class _Resync(Exception):
    """The farm holds a different number of bytes than we thought: start again from there."""

    def __init__(self, held: int) -> None:
        super().__init__(held)
        self.held = held


class LocalFarmTransfer(TransferBackend):
    """The local farm's resumable HTTP upload."""

    name = "localfarm"

    def __init__(self, client: Any, chunk_size: int = CHUNK, hashes: Optional[HashCache] = None,
                 batch: bool = True) -> None:
        self.client = client
        self._hashes = hashes
        self.batch = bool(batch)  #: small files many to a request (the farm's upload_batch route)
        self.chunk_size = max(1, int(chunk_size))
        self.requests = 0  #: HTTP requests made (tests, benchmarks)

    # HTTP --------------------------------------------------------------------------------
    def _url(self, path: str) -> str:
        return str(self.client.endpoint).rstrip("/") + path

    def _request(self, path: str, fields: Dict[str, Any], **kw: Any) -> Any:
        """One request, safe to repeat (the client retries it); a network failure that outlasts
        the retries is a TransferError that says how to carry on."""
        from renderbus_dcc.errors import BadResponseError, TransportError

        self.requests += 1
        try:
            return self.client.request(path, fields, mutates=False, **kw)
        except (TransportError, BadResponseError) as exc:
            raise TransferError(_("lost the connection to the farm: %s") % (exc.args[0] if exc.args else exc),
                                hint=_("check the network and that the farm is running, then resume the "
                                       "submission")) from None

    def status(self, paths: Sequence[str], bid: str) -> Dict[str, Dict[str, Any]]:
        """What the farm holds for ``paths``: ``{path: {"size": n, "complete": 0|1[, "md5": hex]
        [, "partial": n, "partial_md5": hex]}}`` (``partial``: an upload that stopped)."""
        out: Dict[str, Dict[str, Any]] = {}
        paths = list(paths)
        for i in range(0, len(paths), _STATUS_BATCH):
            out.update(self._status_batch(paths[i:i + _STATUS_BATCH], bid))
        return out

    def _status_batch(self, paths: List[str], bid: str) -> Dict[str, Dict[str, Any]]:
        """:meth:`status` of at most ``_STATUS_BATCH`` paths: one request."""
        out: Dict[str, Dict[str, Any]] = {}
        data = self._request(STATUS_PATH, {"bid": str(bid), "paths": paths})
        for entry in (data or {}).get("files", []):
            state: Dict[str, Any] = {"size": int(entry.get("size") or 0),
                                     "complete": int(entry.get("complete") or 0)}
            for key in ("md5", "partial_md5"):
                if entry.get(key):
                    state[key] = str(entry[key]).lower()
            if entry.get("partial"):
                state["partial"] = int(entry["partial"])
            elif not state["complete"] and state["size"]:
                state["partial"] = state["size"]
            out[str(entry.get("path"))] = state
        return out

    def _status_ahead(self, paths: List[str], bid: str) -> Iterator[Dict[str, Dict[str, Any]]]:
        """:meth:`status` by batches of ``_STATUS_BATCH`` paths, in order; the farm answers the next
        batch (on a thread of its own) while the caller looks at this one (20,000 files: the
        farm's stat of each file and the md5 cache's of each local file run side by side)."""
        batches = [paths[i:i + _STATUS_BATCH] for i in range(0, len(paths), _STATUS_BATCH)]
        if len(batches) < 2:
            for batch in batches:
                yield self._status_batch(batch, bid)
            return
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1, thread_name_prefix="renderbus-status") as pool:  # one request at a time
            ahead = pool.submit(self._status_batch, batches[0], bid)
            for batch in batches[1:] + [[]]:
                answer = ahead.result()  # (a stop meanwhile: the request under way ends, no more is sent)
                if batch:
                    ahead = pool.submit(self._status_batch, batch, bid)
                yield answer

    def download(self, server: str, bid: str) -> bytes:
        """The bytes of an uploaded file (tests and checks)."""
        import json

        fields = {"bid": str(bid), "path": server}
        headers = dict(self.client.signed_headers(DOWNLOAD_PATH, fields))
        headers["Content-Type"] = "application/json; charset=utf-8"
        body = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        resp = self.client.session.post(self._url(DOWNLOAD_PATH), data=body, headers=headers,
                                        timeout=self.client.timeout)
        if resp.headers.get("Content-Type", "").startswith("application/octet-stream"):
            return resp.content
        envelope = self.client.transport.decode(resp, DOWNLOAD_PATH)
        raise api_error_for(envelope.code, envelope.message, path=DOWNLOAD_PATH, data=envelope.data)

    # upload ------------------------------------------------------------------------------
    def upload_bytes(self, payloads: Dict[str, bytes], bid: str,
                     on_progress: Optional[ProgressCallback] = None) -> None:
        """In-memory files (the task files): their temporary copies' md5s are not kept in the
        md5 cache (they would never be asked for again, and would make it be written again)."""
        kept, self._hashes = self._hashes, HashCache()
        try:
            super().upload_bytes(payloads, bid, on_progress)
        finally:
            self._hashes = kept

    def upload(self, items: Sequence[TransferItem], bid: str,
               on_progress: Optional[ProgressCallback] = None) -> None:
        items = list(items)
        total_bytes = sum(int(size) for _, _, size in items)
        progress = TransferProgress(0, total_bytes, 0, len(items))
        todo: List[Tuple[str, str, int, int, Optional[str]]] = []  # local, server, size, offset, its md5
        if self._hashes is None:
            self._hashes = default_cache()  # (read once: 20,000 entries)
        hashes = self._hashes
        at = 0
        collected = self._collected or {}
        for held in self._status_ahead([server for _, server, _ in items], bid):
            batch, at = items[at:at + _STATUS_BATCH], at + _STATUS_BATCH
            found: List[str] = []
            for local, server, size in batch:
                state = held.get(server, {})
                if state.get("complete") and self._holds(state, local, int(size), hashes, collected.get(local)):
                    progress.bytes_done += int(size)
                    found.append(server)
                    continue
                # not held, or another version held: send it, from where an upload of it stopped
                todo.append((local, server, size, int(state.get("partial", 0) or 0), state.get("partial_md5")))
            if found:  # told together: one report for the batch, not one per file
                progress.files_done += len(found)
                progress.current_file, progress.held = found[-1], tuple(found)
                report_progress(on_progress, progress)
                progress.held = ()
        hashes.save()
        report_progress(on_progress, progress)
        try:
            group: List[Tuple[str, str, int, int, Optional[str]]] = []  # small files, sent together, in order
            group_bytes = 0
            for item in todo + [("", "", -1, 0, None)]:
                local, server, size, start, start_md5 = item
                if self._batched(int(size)):
                    if len(group) >= BATCH_FILES or group_bytes + int(size) > BATCH_BYTES:
                        self._upload_batch(group, bid, progress, on_progress, hashes)
                        group, group_bytes = [], 0
                    group.append(item)
                    group_bytes += int(size)
                    continue
                if group:
                    self._upload_batch(group, bid, progress, on_progress, hashes)
                    group, group_bytes = [], 0
                if size >= 0:
                    self._upload_file(local, server, int(size), bid, start, start_md5, progress, on_progress, hashes)
                    self._finished(server, progress, on_progress)
        finally:
            hashes.save()  # the md5s read on the way: the next submission compares without reading

    def _batched(self, size: int) -> bool:
        """Whether a file of ``size`` bytes goes many to a request (whole, in one chunk)."""
        return self.batch and 0 <= size <= min(SMALL_FILE, self.chunk_size)

    @staticmethod
    def _finished(server: str, progress: TransferProgress, on_progress: Optional[ProgressCallback]) -> None:
        progress.files_done += 1
        progress.completed = server
        report_progress(on_progress, progress)
        progress.completed = None

    def _upload_batch(self, group: List[Tuple[str, str, int, int, Optional[str]]], bid: str,
                      progress: TransferProgress, on_progress: Optional[ProgressCallback], hashes: HashCache) -> None:
        """Whole small files in one request, each with its md5; each lands (or not) on its own.
        Safe to repeat: a file sent again is written again whole."""
        import json

        files: List[Dict[str, Any]] = []
        blocks: List[bytes] = []
        read: List[Tuple[str, Any]] = []
        for local, server, size, _start, _md5 in group:
            data, stat = _read_whole(local, int(size))
            files.append({"path": server, "size": len(data), "md5": hashlib.md5(data).hexdigest()})
            blocks.append(data)
            read.append((local, stat))
        fields = {"bid": str(bid), "files": files}
        head = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        body = b"".join([head, b"\n"] + blocks)
        progress.current_file = files[0]["path"]
        try:
            answer = self._request(UPLOAD_BATCH_PATH, fields, body=body, content_type="application/octet-stream")
        except APIError as exc:
            raise TransferError(_("the farm refused %(count)d files from %(path)s: %(reason)s")
                                % {"count": len(files), "path": files[0]["path"], "reason": exc.server_message or exc},
                                hint=_("resume the submission to send them again")) from None
        landed = {str(f.get("path")): f for f in (answer or {}).get("files", [])}
        for (local, stat), entry in zip(read, files):
            hashes.remember(local, entry["md5"], stat)
        for entry in files:
            result = landed.get(entry["path"], {})
            if not int(result.get("complete") or 0):
                raise TransferError(_("the farm did not accept %(path)s: %(reason)s")
                                    % {"path": entry["path"], "reason": result.get("error") or _("no answer")},
                                    hint=_("resume the submission to send it again"))
            progress.bytes_done += entry["size"]
            progress.current_file = entry["path"]
            self._finished(entry["path"], progress, on_progress)

    @staticmethod
    def _holds(state: Dict[str, Any], local: str, size: int, hashes: HashCache,
               seen: Optional[Tuple[int, int]] = None) -> bool:
        """True if the farm's complete copy is this file: same size and (where told) same md5
        (``seen``: the file's (size, mtime_ns) when it was collected, for a stat of it now).

        The farm keeps one copy per path for all of an account's tasks, so a texture edited
        since the last submission, even to the same size, must go again.
        """
        if int(state.get("size", -1)) != size:
            return False
        if not state.get("md5"):
            return True  # a farm that does not say: size is all there is to go by
        try:
            return hashes.md5(local, seen) == str(state["md5"]).lower()
        except OSError:
            return False  # unreadable now: the upload will say why

    def _upload_file(self, local: str, server: str, size: int, bid: str, held: int, held_md5: Optional[str],
                     progress: TransferProgress, on_progress: Optional[ProgressCallback],
                     hashes: Optional[HashCache] = None) -> None:
        base = progress.bytes_done
        for _attempt in range(5):
            try:
                self._send(local, server, size, bid, held if held <= size else 0, held_md5, progress, on_progress,
                           base, hashes)
                progress.bytes_done = base + size
                return
            except _Resync as exc:
                log.info("farm holds %d bytes of %s; resuming from there", exc.held, server)
                held, held_md5 = exc.held, None
        raise TransferError(_("the farm keeps disagreeing about the size of %s") % server,
                            hint=_("resume the submission; if it persists, restart the farm"))

    def _landed(self, server: str, bid: str, size: int, md5: str) -> bool:
        """True if the farm holds ``server`` complete as this file (a last chunk whose answer was lost)."""
        state = self.status([server], bid).get(server, {})
        return bool(state.get("complete")) and state.get("size") == size and state.get("md5") == md5

    def _send(self, local: str, server: str, size: int, bid: str, offset: int, offset_md5: Optional[str],
              progress: TransferProgress, on_progress: Optional[ProgressCallback], base: int,
              hashes: Optional[HashCache] = None) -> None:
        md5 = hashlib.md5()
        try:
            fh = open(local, "rb")
            stat = os.fstat(fh.fileno())
        except OSError as exc:
            raise TransferError(_("cannot read %(file)s: %(why)s") % {"file": local, "why": exc.strerror or exc},
                                hint=_("the file moved or is locked; fix it, then resume the submission")) from None
        with fh:
            # The bytes the farm already holds: hashed, not sent.
            remaining = offset
            while remaining:
                block = fh.read(min(remaining, self.chunk_size))
                if not block:
                    break
                md5.update(block)
                remaining -= len(block)
            if offset and offset_md5 and md5.hexdigest() != offset_md5:
                log.info("the %d bytes the farm holds of %s are another version; starting over", offset, server)
                fh.seek(0)
                md5, offset = hashlib.md5(), 0
            progress.current_file = server
            progress.bytes_done = base + offset
            report_progress(on_progress, progress)

            def read() -> bytes:
                block = fh.read(self.chunk_size)
                md5.update(block)
                return block

            # More than one chunk: the next is read and hashed (on a thread: md5 and the socket
            # let go of the interpreter) while this one is sent. Never more than one ahead.
            pool = None
            if size - offset > self.chunk_size:
                from concurrent.futures import ThreadPoolExecutor

                pool = ThreadPoolExecutor(1, thread_name_prefix="renderbus-read")
            try:
                self._send_chunks(read, pool, local, server, size, bid, offset, progress, on_progress, base,
                                  hashes, md5, stat)
            finally:
                if pool is not None:
                    pool.shutdown(wait=True)

    def _send_chunks(self, read: Any, pool: Any, local: str, server: str, size: int, bid: str, offset: int,
                     progress: TransferProgress, on_progress: Optional[ProgressCallback], base: int,
                     hashes: Optional[HashCache], md5: Any, stat: Any) -> None:
        """:meth:`_send`'s chunks from ``offset``: ``read()`` gives the next one (``md5`` updated)."""
        coming = pool.submit(read) if pool is not None else None
        while True:
            chunk = coming.result() if coming is not None else read()
            last = offset + len(chunk) >= size
            coming = pool.submit(read) if pool is not None and not last else None
            if last and offset + len(chunk) != size or (not chunk and offset < size):
                raise TransferError(_("%(file)s changed size while it was uploaded (%(got)d bytes, expected "
                                      "%(size)d)") % {"file": local, "got": offset + len(chunk), "size": size},
                                    hint=_("save the file, then submit again"))
            # The whole file's md5 is known only at its last chunk, which is where the farm checks it.
            fields = {"bid": str(bid), "path": server, "offset": str(offset), "total": str(size)}
            if last:
                fields["md5"] = md5.hexdigest()
            try:
                answer = self._request(UPLOAD_PATH, fields, body=chunk, params=fields,
                                       content_type="application/octet-stream")
            except APIError as exc:
                held = (exc.data or {}).get("size") if isinstance(exc.data, dict) else None
                if held is None or int(held) == offset:
                    raise TransferError(_("the farm refused %(file)s: %(why)s")
                                        % {"file": server, "why": exc.server_message or exc},
                                        hint=_("resume the submission to send it again")) from None
                if int(held) == offset + len(chunk) and not last:
                    answer = {"size": int(held), "complete": 0}  # a repeated chunk had landed
                elif last and self._landed(server, bid, size, fields["md5"]):
                    answer = {"size": size, "complete": 1}  # the last chunk had landed: the file is in place
                else:
                    raise _Resync(int(held)) from None
            offset += len(chunk)
            progress.bytes_done = base + offset
            report_progress(on_progress, progress)
            if last:
                if not int((answer or {}).get("complete", 0)):
                    raise TransferError(_("the farm did not accept %s as complete") % server)
                if hashes is not None:
                    hashes.remember(local, md5.hexdigest(), stat)
                return


def _read_whole(local: str, size: int) -> Tuple[bytes, Any]:
    """A small file's bytes (it must still be ``size`` bytes long), and its ``os.stat`` before the read."""
    try:
        with open(local, "rb") as fh:
            stat = os.fstat(fh.fileno())
            data = fh.read(size + 1)
    except OSError as exc:
        raise TransferError(_("cannot read %(file)s: %(why)s") % {"file": local, "why": exc.strerror or exc},
                            hint=_("the file moved or is locked; fix it, then resume the submission")) from None
    if len(data) != size:
        raise TransferError(_("%(file)s changed size while it was uploaded (%(got)d bytes, expected "
                              "%(size)d)") % {"file": local, "got": len(data), "size": size},
                            hint=_("save the file, then submit again"))
    return data, stat
