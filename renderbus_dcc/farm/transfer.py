"""The farm's file store: resumable uploads by byte offset (checked by size and md5), batches
of whole small files in one request (each checked by md5), downloads.

Files live under ``<data>/storage/<user id>/<bid>/<server path>``; a file being uploaded
grows under ``<data>/partial/...`` and moves into place when its last byte arrived and its
md5 matched (a small file of a batch that is new to the farm is created in its place, named
first in ``<data>/md5log/creating.json``: :meth:`Storage.recover`, at the farm's start,
removes any such file a crash left cut short); that md5 is appended to
``<data>/md5log/<user id>/<bid>.log`` (one line per file: md5, size, modification time, path;
a batch of files is one write, so a file costs one file creation, not two) and reported by
:meth:`Storage.status`, so a client can tell an edited file of the same size from the one the
farm holds (a data folder from before the log keeps its md5 notes under ``<data>/md5/...``:
still read). The HTTP side (signature checks, the
envelope) is the server's.
"""

import hashlib
import json
import os
import re
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, BinaryIO, Dict, List, Optional, Set, Tuple, Union

from renderbus_dcc.assets import md5_file
from renderbus_dcc.constants import ErrorCode
from renderbus_dcc.farm import disk
from renderbus_dcc.farm.envelope import FarmError

__all__ = ["Storage", "split_batch", "BATCH_MAX_FILES"]

#: Most files one batched upload may carry.
BATCH_MAX_FILES = 1000
_MD5_HEX = frozenset("0123456789abcdef")
#: Uploads in progress whose running md5 is kept (the oldest forgotten first: they are re-read).
_RUNNING_MD5 = 256
#: Complete files whose md5 is remembered (about 200 bytes each).
_KNOWN_MD5 = 200000


#: Longest part of a server path (bytes of UTF-8) and longest server path (characters) taken.
MAX_PART_BYTES = 200
MAX_PATH_CHARS = 2048
_PIECE = 1024 * 1024  # an upload's body goes to disk by pieces of this size
_REFUSED = re.compile(r"[\x00-\x1f:]")  # in no part of a server path
#: Names the files a batch is about to create in place, under ``<data>/md5log/``, until they are.
_INTENT = "creating.json"
#: A batch with at least this many new files, in more than one folder, creates them on two threads.
_PARALLEL_FROM = 16
#: Chunks up to this size are hashed by a thread of the farm after the answer (held in memory
#: until then: one chunk at most waits); larger ones as they are written.
_HASH_LATER = 8 * 1024 * 1024


def _clean(server_path: Any) -> List[str]:
    """The parts of a server path (checked: a status of 20,000 paths cleans each once)."""
    if not isinstance(server_path, str) or not server_path.strip():
        raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "path is missing")
    if len(server_path) > MAX_PATH_CHARS:
        raise FarmError(ErrorCode.PARAMETER_INVALID, "path is longer than %d characters" % MAX_PATH_CHARS)
    parts = server_path.replace("\\", "/").strip("/").split("/")
    if "" in parts or "." in parts:
        parts = [p for p in parts if p not in ("", ".")]
    if not parts or ".." in parts or _REFUSED.search(server_path):
        raise FarmError(ErrorCode.PARAMETER_INVALID, "path %r is not a server path like /D/tex/a.jpg" % server_path[:300])
    # (a part of at most MAX_PART_BYTES / 4 characters cannot be longer in UTF-8)
    long_part = None if max(map(len, parts)) <= MAX_PART_BYTES // 4 else next(
        (p for p in parts if len(p.encode("utf-8", "surrogatepass")) > MAX_PART_BYTES), None)
    if long_part is not None:
        raise FarmError(ErrorCode.PARAMETER_INVALID, "path has a part longer than %d bytes: %r..."
                        % (MAX_PART_BYTES, long_part[:40]))
    return parts


def _conflict(server_path: str) -> FarmError:
    return FarmError(ErrorCode.PARAMETER_INVALID, "path %s cannot be stored: a folder of it is a file, or it is a folder, "
                     "on the farm already" % server_path[:300])


class Storage:
    """Files of every account, by bid and server path."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._lock = threading.Lock()
        # (user, bid, path) -> (bytes held, md5 of them, its update still running or None): the last
        # chunk needs no re-read of the file
        self._running: "OrderedDict[Tuple[int, str, str], Tuple[int, Any, Any]]" = OrderedDict()
        # the farm's helper threads, made on first use: "md5" hashes a chunk while the client sends
        # the next one; "create" is the second thread that creates a batch's new files
        self._threads: Dict[str, Any] = {}
        self._being_created: Any = frozenset()  # the files a batch is creating in place now
        self._last_hash: Any = None  # the chunk it hashes last
        # complete file -> (size, mtime, md5): a status of 20,000 held files reads no note
        self._md5s: Dict[str, Tuple[int, int, str]] = {}
        self._md5_lock = threading.Lock()
        self._logged: Dict[str, Dict[str, Tuple[int, int, str]]] = {}  # md5 log -> its lines, read once

    def _where(self, area: str, user_id: int, bid: Any, parts: List[str]) -> str:
        """A file's place in ``area`` (storage, partial, md5), as a string (no pathlib per file)."""
        return os.path.join(str(self.root), area, str(int(user_id)), self._bid(bid), *parts)

    def path(self, user_id: int, bid: Any, server_path: Any) -> Path:
        """Where a complete file is (or would be)."""
        return Path(self._where("storage", user_id, bid, _clean(server_path)))

    def _partial(self, user_id: int, bid: Any, server_path: Any) -> Path:
        return Path(self._where("partial", user_id, bid, _clean(server_path)))

    def _md5_log(self, user_id: int, bid: Any) -> str:
        return os.path.join(str(self.root), "md5log", str(int(user_id)), self._bid(bid) + ".log")

    def md5(self, user_id: int, bid: Any, server_path: Any, stat: Optional[os.stat_result] = None) -> str:
        """The md5 of a complete file: noted when it arrived (computed and noted if it was not),
        remembered while the file keeps its size and modification time."""
        parts = _clean(server_path)
        final = self._where("storage", user_id, bid, parts)
        return self._md5_at(final, stat or os.stat(final), user_id, bid, parts)

    def _md5_at(self, final: str, stat: os.stat_result, user_id: int, bid: Any, parts: List[str]) -> str:
        """The md5 of the complete file ``final`` (whose ``os.stat`` is ``stat``): remembered, else
        logged (for a file of this size and time), else an older data folder's note, else read."""
        known = self._md5s.get(final)
        if known is None:  # not seen since the farm started: its md5 log, read once
            log = self._md5_log(user_id, bid)
            with self._md5_lock:
                logged = self._logged.get(log)
                if logged is None:
                    logged = self._logged[log] = disk.read_md5_log(log)
            known = logged.get("/".join(parts))
        if known is not None and known[:2] == (stat.st_size, stat.st_mtime_ns):
            self._remember(final, stat, known[2])
            return known[2]
        note = Path(self._where("md5", user_id, bid, parts))
        try:
            digest = note.read_text(encoding="ascii").strip()
            if len(digest) != 32 or not set(digest) <= _MD5_HEX:
                raise ValueError(digest)
        except (OSError, ValueError):
            digest = md5_file(final)
        with self._lock:
            self._log_md5(user_id, bid, [disk.md5_line(digest, stat, parts)])
        self._remember(final, stat, digest)
        return digest

    def _remember(self, final: str, stat: os.stat_result, digest: str) -> None:
        with self._md5_lock:
            self._md5s[final] = (stat.st_size, stat.st_mtime_ns, digest)
            if len(self._md5s) > _KNOWN_MD5:
                self._md5s.pop(next(iter(self._md5s)))

    def _log_md5(self, user_id: int, bid: Any, lines: List[str]) -> None:
        """Append complete files' md5 lines to the log (one write; called with ``self._lock`` held).
        A line cut short by a crash is skipped when read: that file's md5 is computed again."""
        if not lines:
            return
        log = self._md5_log(user_id, bid)
        text = "".join(lines).encode("utf-8", "surrogatepass")
        try:
            os.makedirs(os.path.dirname(log), exist_ok=True)
            fd = os.open(log, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                if os.fstat(fd).st_size and os.lseek(fd, -1, os.SEEK_END) >= 0 and os.read(fd, 1) != b"\n":
                    text = b"\n" + text  # after a line cut short by a crash: a line of its own
                os.write(fd, text)
            finally:
                os.close(fd)
        except OSError:  # not noted: the md5 is computed again when asked after a restart
            return
        with self._md5_lock:
            logged = self._logged.get(log)
            if logged is not None:
                logged.update(disk.read_md5_lines(text.decode("utf-8", "surrogatepass")))

    @staticmethod
    def _bid(bid: Any) -> str:
        if not isinstance(bid, str) or not bid.strip():
            raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "bid is missing")
        if not bid.isdigit() or len(bid) > 12:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "bid %r is not a transfer id (see getTransferBid)" % bid[:40])
        return bid

    def is_complete(self, user_id: int, bid: Any, server_path: Any) -> bool:
        return os.path.isfile(self._where("storage", user_id, bid, _clean(server_path)))

    def missing(self, user_id: int, bid: Any, paths: List[str]) -> List[str]:
        """Those of ``paths`` not held complete (submitTask's check of 20,000 files): a folder
        asked for several files is listed once (``os.scandir``) instead of a stat per file; a
        name its listing does not show as a file is stat-ed (a case-insensitive disk)."""
        storage = self._where("storage", user_id, bid, [])
        where = [disk.under(storage, _clean(p)).rpartition(os.sep) for p in paths]
        asked: Dict[str, Set[str]] = {}
        for folder, _sep, name in where:
            asked.setdefault(folder, set()).add(name)
        listed = {folder: disk.files_among(folder, names) for folder, names in asked.items() if len(names) > 1}
        creating = self._being_created
        return [p for p, (folder, _sep, name) in zip(paths, where)
                if name not in listed.get(folder, ()) and disk.regular(folder + os.sep + name) is None
                or creating and folder + os.sep + name in creating]

    def status(self, user_id: int, bid: Any, paths: List[str]) -> Dict[str, Any]:
        """``{"files": [{"path", "size", "complete", "md5" (complete files only)[, "partial",
        "partial_md5"]}]}``: a file being uploaded again (a new version of a complete one) is
        reported too, so an interrupted upload resumes where it stopped, not at byte 0.

        One stat per path: the partial area is looked at by folder (a folder of it that holds
        no file, or none at all, has no upload that stopped: nothing more to stat)."""
        out = []
        storage, partials = self._where("storage", user_id, bid, []), self._where("partial", user_id, bid, [])
        unfinished: Dict[str, bool] = {}  # partial folder -> whether it may hold a partial file
        for server_path in paths:
            parts = _clean(server_path)
            final, partial = disk.under(storage, parts), disk.under(partials, parts)
            folder = partial.rpartition(os.sep)[0]
            may = unfinished.get(folder)
            if may is None:
                may = unfinished[folder] = disk.holds_a_file(folder)
            partial_stat = disk.regular(partial) if may else None
            held = partial_stat.st_size if partial_stat is not None else 0
            stat = disk.regular(final) if final not in self._being_created else None  # (being created: not yet)
            if stat is not None:
                entry = {"path": server_path, "size": stat.st_size, "complete": 1,
                         "md5": self._md5_at(final, stat, user_id, bid, parts)}
            else:
                entry = {"path": server_path, "size": held, "complete": 0}
            if held:
                entry["partial"] = held
                entry["partial_md5"] = md5_file(partial)
            out.append(entry)
        return {"files": out}

    def upload(self, user_id: int, bid: str, server_path: str, offset: int, total: int, md5: Optional[str],
               body: Union[bytes, BinaryIO], length: Optional[int] = None) -> Dict[str, Any]:
        """Append ``body`` (bytes, or a stream of ``length`` bytes) at ``offset``; offset 0 starts the file over.

        The last chunk needs ``md5``: checked. A stream goes to disk by pieces (bounded memory).
        """
        size = len(body) if isinstance(body, bytes) else int(length or 0)
        final = self.path(user_id, bid, server_path)
        partial = self._partial(user_id, bid, server_path)
        with self._lock:
            held = partial.stat().st_size if partial.is_file() else 0
            if offset == 0:
                held = 0
            elif offset != held:
                raise FarmError(ErrorCode.PARAMETER_INVALID,
                                "offset %d does not match the %d bytes held for %s: resume from %d"
                                % (offset, held, server_path, held), {"size": held})
            if offset + size == total and not md5:
                raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY,
                                "md5 is required with the last chunk of %s" % server_path, {"size": held})
            if offset + size > total:
                raise FarmError(ErrorCode.PARAMETER_INVALID,
                                "chunk ends at byte %d, past the total %d of %s" % (offset + size, total, server_path),
                                {"size": held})
            key = (int(user_id), str(bid), str(server_path))
            running = self._running.pop(key, None)
            if offset == 0:
                digest = hashlib.md5()
            elif running is not None and running[0] == offset:
                digest = running[1]
                if running[2] is not None:  # the previous chunk's bytes are hashed: one chunk behind at most
                    running[2].result()
            else:  # the farm restarted mid-file: hash what it holds once
                digest = disk.md5_of(partial)
            later = size <= _HASH_LATER  # (a larger chunk is hashed as it is written: bounded memory)
            pieces: List[bytes] = []
            try:
                partial.parent.mkdir(parents=True, exist_ok=True)
                with open(partial, "r+b" if offset and partial.exists() else "wb") as handle:
                    handle.seek(offset)
                    if isinstance(body, bytes):
                        handle.write(body)
                        pieces.append(body)
                    else:
                        left = size
                        while left > 0:
                            piece = body.read(min(_PIECE, left))
                            if not piece:
                                break
                            handle.write(piece)
                            if later:
                                pieces.append(piece)
                            else:
                                digest.update(piece)
                            left -= len(piece)
                        size -= left
                    handle.truncate()
            except (IsADirectoryError, NotADirectoryError, FileExistsError):
                raise _conflict(server_path)
            held = offset + size
            if held < total:
                hashing = None
                if pieces:  # hashed while the client reads and sends the next chunk
                    if self._last_hash is not None:  # at most one chunk (any file's) waits to be hashed
                        self._last_hash.result()
                    hashing = self._last_hash = self._thread("md5").submit(disk.update, digest, pieces)
                self._running[key] = (held, digest, hashing)
                while len(self._running) > _RUNNING_MD5:
                    self._running.popitem(last=False)
                return {"size": held, "complete": 0}
            disk.update(digest, pieces)
            if digest.hexdigest() != str(md5).lower():
                partial.unlink()
                raise FarmError(ErrorCode.PARAMETER_INVALID,
                                "md5 mismatch for %s: the farm got %s, expected %s; the file was dropped, upload it again"
                                % (server_path, digest.hexdigest(), str(md5)[:64]), {"size": 0})
            self._log_md5(user_id, bid, [self._complete(partial, final, server_path, digest.hexdigest(), set())])
            return {"size": total, "complete": 1}

    def _thread(self, name: str) -> Any:
        """The helper thread ``name`` (an executor of one thread, made on first use)."""
        if name not in self._threads:
            from concurrent.futures import ThreadPoolExecutor

            self._threads[name] = ThreadPoolExecutor(1, thread_name_prefix="renderbus-farm-" + name)
        return self._threads[name]

    def _complete(self, partial: Path, final: Path, server_path: str, digest: str, made: Set[str]) -> str:
        """Put a checked file in place and remember its md5 (``made``: folders known to exist);
        returns its line for the md5 log (written by the caller, after the file is in place: a
        crash in between only makes a client send the file again)."""
        try:
            if str(final.parent) not in made:
                final.parent.mkdir(parents=True, exist_ok=True)
                made.add(str(final.parent))
            os.replace(str(partial), str(final))
        except (IsADirectoryError, NotADirectoryError, FileExistsError, PermissionError):
            raise _conflict(server_path)
        stat = final.stat()
        self._remember(str(final), stat, digest)
        return disk.md5_line(digest, stat, _clean(server_path))

    def upload_batch(self, user_id: int, bid: Any, files: Any, data: bytes) -> Dict[str, Any]:
        """Whole small files in one request: ``files`` ``[{"path", "size", "md5"}]`` in the order
        their bytes follow each other in ``data``. Each file is checked by its md5 and put in
        place on its own (a file that fails is reported, the others stay)."""
        if not isinstance(files, list) or not files:
            raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "files must be a list of {path, size, md5}")
        if len(files) > BATCH_MAX_FILES:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "at most %d files a batch, got %d" % (BATCH_MAX_FILES, len(files)))
        wanted = []
        for i, entry in enumerate(files):
            if not isinstance(entry, dict):
                raise FarmError(ErrorCode.PARAMETER_INVALID, "files[%d] must be an object {path, size, md5}" % i)
            size, md5 = entry.get("size"), str(entry.get("md5") or "").lower()
            if isinstance(size, bool) or not isinstance(size, int) or size < 0:
                raise FarmError(ErrorCode.PARAMETER_INVALID, "files[%d].size must be a number of bytes" % i)
            if len(md5) != 32 or not set(md5) <= _MD5_HEX:
                raise FarmError(ErrorCode.PARAMETER_INVALID, "files[%d].md5 must be the file's hex md5" % i)
            self.path(user_id, bid, entry.get("path"))  # a bad path or bid: refused before anything is written
            wanted.append((str(entry["path"]), size, md5))
        if sum(size for _, size, _ in wanted) != len(data):
            raise FarmError(ErrorCode.PARAMETER_INVALID, "the files' sizes add up to %d bytes, the request carried %d"
                            % (sum(size for _, size, _ in wanted), len(data)))
        with self._lock:
            return {"files": self._put_batch(user_id, bid, wanted, memoryview(data))}

    def _put_batch(self, user_id: int, bid: Any, wanted: List[Tuple[str, int, str]],
                   view: memoryview) -> List[Dict[str, Any]]:
        """Each file of a batch checked and put in place on its own; the outcomes, in the batch's
        order (the md5 lines of those put in place are logged in one write). A file new to the farm is created in its place (one file
        creation, no rename), named first in the intent file (:meth:`recover` removes what a
        crash left half written); a file that replaces one goes through a partial file and an
        atomic rename, so the complete one stays until the new one is."""
        out: List[Dict[str, Any]] = []
        made: Set[str] = set()  # folders known to exist
        logged: List[str] = []
        checked: List[Tuple[str, int, str, Any, str]] = []  # path, size, md5, bytes, final ("" if refused)
        at = 0
        for server_path, size, md5 in wanted:
            chunk = view[at:at + size]
            at += size
            digest = hashlib.md5(chunk).hexdigest()
            final = self._where("storage", user_id, bid, _clean(server_path)) if digest == md5 else ""
            checked.append((server_path, size, digest, chunk, final))
        new = {final for _, _, _, _, final in checked if final and not os.path.lexists(final)}
        intent = self._intend(user_id, bid, [(path, size, digest) for path, size, digest, _, final in checked
                                             if final in new])
        self._being_created = new  # (status and submitTask's check see none of them until their md5 is logged)
        try:
            created = self._create_all([(final, path, chunk, digest) for path, _, digest, chunk, final in checked
                                        if final in new], made)
            for (server_path, size, digest, chunk, final), (_, _, md5) in zip(checked, wanted):
                if not final:
                    out.append({"path": server_path, "size": 0, "complete": 0,
                                "error": "md5 mismatch: the farm got %s, expected %s" % (digest, md5)})
                    continue
                self._running.pop((int(user_id), str(bid), server_path), None)
                try:
                    if final in created:  # (a path twice in a batch: its second copy replaces the first)
                        line = created.pop(final)
                        if isinstance(line, BaseException):
                            raise line
                        logged.append(line)
                    else:
                        logged.append(self._replace(user_id, bid, final, server_path, chunk, digest, made))
                except (IsADirectoryError, NotADirectoryError, FileExistsError):
                    out.append({"path": server_path, "size": 0, "complete": 0, "error": _conflict(server_path).message})
                    continue
                except FarmError as exc:
                    out.append({"path": server_path, "size": 0, "complete": 0, "error": exc.message})
                    continue
                out.append({"path": server_path, "size": size, "complete": 1})
        finally:
            self._log_md5(user_id, bid, logged)  # the files put in place: one write
            self._being_created = frozenset()
            if intent:
                os.unlink(intent)  # (after the log: a file created in place is complete)
        return out

    def _create_all(self, files: List[Tuple[str, str, Any, str]], made: Set[str]) -> Dict[str, Any]:
        """Create the new files ``[(final, server path, bytes, md5)]`` of a batch (the first copy of
        a path sent twice): ``{final: its md5 line, or the exception its creation raised}``.

        File creation is the kernel's work (~0.1-0.8 ms a file on this kind of disk, most of a
        small-file upload), and creations in different folders do not wait for each other: with
        files in several folders, two threads create them, each its own folders."""
        firsts: "OrderedDict[str, Tuple[str, Any, str]]" = OrderedDict()
        for final, server_path, chunk, digest in files:
            firsts.setdefault(final, (server_path, chunk, digest))
        by_folder: Dict[str, List[str]] = {}
        for final in firsts:
            by_folder.setdefault(os.path.dirname(final), []).append(final)
        shares: List[List[str]] = [[], []]
        for folder in sorted(by_folder, key=lambda f: -len(by_folder[f])):  # the larger folders first
            min(shares, key=len).extend(by_folder[folder])
        out: Dict[str, Any] = {}

        def create(finals: List[str]) -> None:
            for final in finals:
                server_path, chunk, digest = firsts[final]
                try:
                    out[final] = self._create(final, server_path, chunk, digest, made)
                except BaseException as exc:  # (reported with its file, in the batch's order)
                    out[final] = exc

        if len(firsts) < _PARALLEL_FROM or not shares[1]:
            create(list(firsts))
            return out
        other = self._thread("create").submit(create, shares[1])
        create(shares[0])
        other.result()
        return out

    def _create(self, final: str, server_path: str, chunk: Any, digest: str, made: Set[str]) -> str:
        """A new file written in its place (it must not exist); removed if the write fails. Its md5 line."""
        folder = os.path.dirname(final)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        fd = os.open(final, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        try:
            with memoryview(chunk) as left:
                while left:
                    left = left[os.write(fd, left):]
            stat = os.fstat(fd)
        except BaseException:
            os.close(fd)
            os.unlink(final)
            raise
        os.close(fd)
        self._remember(final, stat, digest)
        return disk.md5_line(digest, stat, _clean(server_path))

    def _replace(self, user_id: int, bid: Any, final: str, server_path: str, chunk: Any, digest: str,
                 made: Set[str]) -> str:
        """A file that replaces a complete one: written aside, then renamed over it. Its md5 line."""
        partial = self._partial(user_id, bid, server_path)
        if str(partial.parent) not in made:
            partial.parent.mkdir(parents=True, exist_ok=True)
            made.add(str(partial.parent))
        with open(partial, "wb") as handle:
            handle.write(chunk)
        return self._complete(partial, Path(final), server_path, digest, made)

    def _intend(self, user_id: int, bid: Any, files: List[Tuple[str, int, str]]) -> str:
        """Name the files about to be created in place (one write, before the first of them;
        called with ``self._lock`` held): the intent file's path, or "" for none."""
        if not files:
            return ""
        intent = os.path.join(str(self.root), "md5log", _INTENT)
        os.makedirs(os.path.dirname(intent), exist_ok=True)
        with open(intent, "w", encoding="utf-8", errors="surrogatepass") as handle:
            json.dump({"user": int(user_id), "bid": self._bid(bid), "files": files}, handle, ensure_ascii=False)
        return intent

    def recover(self) -> List[str]:
        """At the farm's start (its data folder locked): remove the files a crash left half
        written in their place (named in the intent file and not the bytes it names); the
        server paths removed. Their clients see them missing and send them again."""
        intent = os.path.join(str(self.root), "md5log", _INTENT)
        try:
            with open(intent, encoding="utf-8", errors="surrogatepass") as handle:
                named = json.load(handle)
            user_id, bid, files = int(named["user"]), self._bid(named["bid"]), list(named["files"])
        except FileNotFoundError:
            return []
        except (OSError, ValueError, KeyError, TypeError, FarmError):  # cut short: before any file was created
            files = []
        removed = []
        for server_path, size, digest in files:
            final = self._where("storage", user_id, bid, _clean(server_path))
            stat = disk.regular(final)
            if stat is not None and (stat.st_size != size or md5_file(final) != digest):
                os.unlink(final)
                removed.append(server_path)
        os.unlink(intent)
        return removed

    def read(self, user_id: int, bid: Any, server_path: Any) -> bytes:
        final = self.path(user_id, bid, server_path)
        if not final.is_file():
            raise FarmError(ErrorCode.RESOURCE_NOT_FOUND, "no file %s with bid %s" % (server_path, bid))
        return final.read_bytes()

    def listing(self, user_id: int, bid: Any, prefix: Optional[str] = None) -> List[Dict[str, Any]]:
        """Complete files under ``prefix`` (server paths, sorted)."""
        base = self.root.joinpath("storage", str(int(user_id)), self._bid(bid))
        start = base.joinpath(*_clean(prefix)) if prefix and prefix.strip("/") else base
        if start.is_file():
            files = [start]
        elif start.is_dir():
            files = sorted(p for p in start.rglob("*") if p.is_file())
        else:
            files = []
        return [{"path": "/" + p.relative_to(base).as_posix(), "size": p.stat().st_size} for p in files]


def split_batch(raw: bytes, parse: Optional[Any] = None) -> Tuple[Dict[str, Any], bytes]:
    """A batched upload's body: its JSON manifest (the signed fields: ``bid``, ``files``), a
    newline, then the files' bytes one after the other. Returns (fields, bytes); ``parse``
    reads the manifest (the server's JSON reader and its limits)."""
    head, sep, data = raw.partition(b"\n")
    if not sep:
        raise FarmError(ErrorCode.PARAMETER_INVALID, "a batched upload is a JSON line, a newline, then the files' bytes")
    if parse is not None:
        return parse(head), data
    try:
        fields = json.loads(head.decode("utf-8"))
    except ValueError:
        raise FarmError(ErrorCode.PARAMETER_INVALID, "the first line of a batched upload is not JSON") from None
    if not isinstance(fields, dict):
        raise FarmError(ErrorCode.PARAMETER_INVALID, "the first line of a batched upload must be a JSON object")
    return fields, data
