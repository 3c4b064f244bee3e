"""The file-system side of the farm's file store (:mod:`renderbus_dcc.farm.transfer`): paths
under a folder, what a folder's listing holds, regular files' stats, running md5s, and the md5
log's lines (md5, size, modification time, path)."""

import hashlib
import os
from pathlib import Path
from stat import S_ISREG
from typing import Any, Dict, List, Optional, Set, Tuple

__all__ = ["md5_line", "read_md5_lines", "read_md5_log", "under", "holds_a_file", "files_among", "regular",
           "update", "md5_of"]


def md5_line(digest: str, stat: os.stat_result, parts: List[str]) -> str:
    return "%s\t%d\t%d\t%s\n" % (digest, stat.st_size, stat.st_mtime_ns, "/".join(parts))


def read_md5_lines(text: str) -> Dict[str, Tuple[int, int, str]]:
    """``{path: (size, mtime_ns, md5)}`` from md5 log lines (the last line of a path wins; a torn
    or foreign line is skipped)."""
    out: Dict[str, Tuple[int, int, str]] = {}
    for line in text.split("\n"):
        fields = line.split("\t", 3)
        if len(fields) == 4 and len(fields[0]) == 32 and fields[1].isdigit() and fields[2].isdigit() and fields[3]:
            out[fields[3]] = (int(fields[1]), int(fields[2]), fields[0])
    return out


def read_md5_log(log: str) -> Dict[str, Tuple[int, int, str]]:
    try:
        with open(log, "rb") as handle:
            text = handle.read().decode("utf-8", "surrogatepass")
    except (OSError, UnicodeDecodeError):
        return {}
    if not text.endswith("\n"):
        text = text.rpartition("\n")[0]  # a line cut short by a crash
    return read_md5_lines(text)


def under(folder: str, parts: List[str]) -> str:
    """``os.path.join(folder, *parts)`` for a clean server path's parts (none holds a separator):
    20,000 paths a status, where ``os.path.join`` of ten parts cost more than the stat."""
    return os.sep.join([folder] + parts)


def holds_a_file(folder: str) -> bool:
    """False if ``folder`` surely holds no file (it is missing, or holds only folders); True if it
    may (it holds something else, or cannot be listed: then a stat says)."""
    try:
        with os.scandir(folder) as entries:
            return any(not entry.is_dir(follow_symlinks=False) for entry in entries)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except (OSError, ValueError):
        return True


def files_among(folder: str, names: Set[str]) -> Set[str]:
    """Which of ``names`` ``folder``'s listing shows as (links to) regular files; the listing is
    read until all of them are seen."""
    found: Set[str] = set()
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name in names and entry.is_file():
                    found.add(entry.name)
                    if len(found) == len(names):
                        break
    except (OSError, ValueError):
        pass  # each name is stat-ed: it says
    return found


def regular(path: str) -> Optional[os.stat_result]:
    """``os.stat`` of a regular file at ``path``, or None (no file there, or a folder)."""
    try:
        stat = os.stat(path)
    except (OSError, ValueError):
        return None
    return stat if S_ISREG(stat.st_mode) else None


def update(digest: Any, pieces: List[bytes]) -> None:
    for piece in pieces:
        digest.update(piece)


def md5_of(path: Path) -> Any:
    """The running md5 of a file's bytes (empty if there is no file)."""
    digest = hashlib.md5()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        pass
    return digest
