"""The farm's file store: resumable uploads by byte offset (checked by size and md5), downloads.

Files live under ``<data>/storage/<user id>/<bid>/<server path>``; a file being uploaded
grows under ``<data>/partial/...`` and moves into place when its last byte arrived and its
md5 matched; that md5 is kept under ``<data>/md5/...`` and reported by :meth:`Storage.status`,
so a client can tell an edited file of the same size from the one the farm holds. The HTTP
side (signature checks, the envelope) is the server's.
"""

import os
import threading
from pathlib import Path
from typing import Any, BinaryIO, Dict, List, Optional, Union

from renderbus_dcc.assets import md5_file
from renderbus_dcc.constants import ErrorCode
from renderbus_dcc.farm.envelope import FarmError

__all__ = ["Storage"]


#: Longest part of a server path (bytes of UTF-8) and longest server path (characters) taken.
MAX_PART_BYTES = 200
MAX_PATH_CHARS = 2048
_PIECE = 1024 * 1024  # an upload's body goes to disk by pieces of this size


def _clean(server_path: Any) -> List[str]:
    if not isinstance(server_path, str) or not server_path.strip():
        raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "path is missing")
    if len(server_path) > MAX_PATH_CHARS:
        raise FarmError(ErrorCode.PARAMETER_INVALID, "path is longer than %d characters" % MAX_PATH_CHARS)
    parts = [p for p in server_path.replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts or any(p == ".." or ":" in p or any(ord(c) < 32 for c in p) for p in parts):
        raise FarmError(ErrorCode.PARAMETER_INVALID, "path %r is not a server path like /D/tex/a.jpg" % server_path[:300])
    long_part = next((p for p in parts if len(p.encode("utf-8", "surrogatepass")) > MAX_PART_BYTES), None)
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

    def path(self, user_id: int, bid: Any, server_path: Any) -> Path:
        """Where a complete file is (or would be)."""
        return self.root.joinpath("storage", str(int(user_id)), self._bid(bid), *_clean(server_path))

    def _partial(self, user_id: int, bid: Any, server_path: Any) -> Path:
        return self.root.joinpath("partial", str(int(user_id)), self._bid(bid), *_clean(server_path))

    def _md5_note(self, user_id: int, bid: Any, server_path: Any) -> Path:
        return self.root.joinpath("md5", str(int(user_id)), self._bid(bid), *_clean(server_path))

    def md5(self, user_id: int, bid: Any, server_path: Any) -> str:
        """The md5 of a complete file: noted when it arrived (computed and noted if it was not)."""
        note = self._md5_note(user_id, bid, server_path)
        try:
            return note.read_text(encoding="ascii").strip()
        except OSError:
            pass
        digest = md5_file(str(self.path(user_id, bid, server_path)))
        self._note(note, digest)
        return digest

    @staticmethod
    def _note(note: Path, digest: str) -> None:
        try:
            note.parent.mkdir(parents=True, exist_ok=True)
            note.write_text(digest, encoding="ascii")
        except OSError:  # a stale note where a folder must go: the md5 is computed again when asked
            pass

    @staticmethod
    def _bid(bid: Any) -> str:
        if not isinstance(bid, str) or not bid.strip():
            raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "bid is missing")
        if not bid.isdigit() or len(bid) > 12:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "bid %r is not a transfer id (see getTransferBid)" % bid[:40])
        return bid

    def is_complete(self, user_id: int, bid: Any, server_path: Any) -> bool:
        return self.path(user_id, bid, server_path).is_file()

    def status(self, user_id: int, bid: Any, paths: List[str]) -> Dict[str, Any]:
        """``{"files": [{"path", "size", "complete", "md5" (complete files only)[, "partial",
        "partial_md5"]}]}``: a file being uploaded again (a new version of a complete one) is
        reported too, so an interrupted upload resumes where it stopped, not at byte 0."""
        out = []
        for server_path in paths:
            final = self.path(user_id, bid, server_path)
            partial = self._partial(user_id, bid, server_path)
            held = partial.stat().st_size if partial.is_file() else 0
            if final.is_file():
                entry = {"path": server_path, "size": final.stat().st_size, "complete": 1,
                         "md5": self.md5(user_id, bid, server_path)}
            else:
                entry = {"path": server_path, "size": held, "complete": 0}
            if held:
                entry["partial"] = held
                entry["partial_md5"] = md5_file(str(partial))
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
            try:
                partial.parent.mkdir(parents=True, exist_ok=True)
                with open(partial, "r+b" if offset and partial.exists() else "wb") as handle:
                    handle.seek(offset)
                    if isinstance(body, bytes):
                        handle.write(body)
                    else:
                        left = size
                        while left > 0:
                            piece = body.read(min(_PIECE, left))
                            if not piece:
                                break
                            handle.write(piece)
                            left -= len(piece)
                        size -= left
                    handle.truncate()
            except (IsADirectoryError, NotADirectoryError, FileExistsError):
                raise _conflict(server_path)
            held = offset + size
            if held < total:
                return {"size": held, "complete": 0}
            digest = md5_file(str(partial))
            if digest != str(md5).lower():
                partial.unlink()
                raise FarmError(ErrorCode.PARAMETER_INVALID,
                                "md5 mismatch for %s: the farm got %s, expected %s; the file was dropped, upload it again"
                                % (server_path, digest, str(md5)[:64]), {"size": 0})
            try:
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(str(partial), str(final))
            except (IsADirectoryError, NotADirectoryError, FileExistsError, PermissionError):
                raise _conflict(server_path)
            # noted after the file is in place: a crash in between leaves an old note, which
            # only makes a client send the file again, never skip a changed one
            self._note(self._md5_note(user_id, bid, server_path), digest)
            return {"size": total, "complete": 1}

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
