"""md5 of local files, remembered by (path, size, modification time).

Re-submitting a shot re-uploads only what changed: the farm reports the md5 of the files it
holds, and comparing needs the local md5 of each. The cache makes that cheap for the files that
did not change since the last submission, which is nearly all of them.
"""

import json
import logging
import os
import threading
from pathlib import Path
from typing import Dict, List, Optional, Tuple, Union

from renderbus_dcc.paths import is_normal

__all__ = ["HashCache", "default_cache"]

log = logging.getLogger(__name__)

#: Entries kept at most (the oldest go first): a few MB of JSON.
MAX_ENTRIES = 100_000


class HashCache:
    """``md5(path)`` computed once per (size, mtime); ``save()`` keeps it for next time."""

    def __init__(self, path: Optional[Union[str, Path]] = None) -> None:
        self.path = Path(path) if path is not None else None
        self._entries: Dict[str, List] = {}
        self._dirty = False
        self._lock = threading.Lock()
        if self.path is not None:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if isinstance(data, dict):
                    self._entries = data
            except (OSError, ValueError):
                pass  # no cache yet, or a damaged one: start afresh

    def md5(self, local: str, seen: Optional[Tuple[int, int]] = None) -> str:
        """The hex md5 of ``local``, read only if it changed since it was last hashed.

        ``seen``: its (size, modification time in ns) as the caller found them moments ago,
        taken for a stat of its own; the md5 then is that of the file as it was then (a file
        read now is stat-ed now, and noted under that stat)."""
        from renderbus_dcc.assets import md5_file

        key = _key(local)
        entry = self._entries.get(key)  # (a dict read needs no lock)
        if entry and seen is not None and entry[0] == seen[0] and entry[1] == seen[1]:
            return str(entry[2])
        stat = os.stat(local)
        if entry and entry[0] == stat.st_size and entry[1] == stat.st_mtime_ns:
            return str(entry[2])
        digest = md5_file(local)
        with self._lock:
            self._entries.pop(key, None)  # re-inserted last: the newest
            self._entries[key] = [stat.st_size, stat.st_mtime_ns, digest]
            self._dirty = True
        return digest

    def remember(self, local: str, digest: str, stat: os.stat_result) -> None:
        """Note the md5 of ``local`` computed elsewhere (an upload reads the file anyway), with the
        ``os.stat`` taken before it was read."""
        with self._lock:
            key = _key(local)
            self._entries.pop(key, None)
            self._entries[key] = [stat.st_size, stat.st_mtime_ns, digest]
            self._dirty = True

    def save(self) -> None:
        """Write the cache (atomically) if anything was added."""
        if self.path is None or not self._dirty:
            return
        from renderbus_dcc.config import write_private

        with self._lock:
            entries = list(self._entries.items())[-MAX_ENTRIES:]
            self._dirty = False
        try:
            write_private(self.path, json.dumps(dict(entries), ensure_ascii=False))
        except OSError as exc:
            log.info("md5 cache not saved: %s", exc)


def _key(local: str) -> str:
    """The cache's key of a file: its absolute path (a normal POSIX one as it is: 20,000 a submission)."""
    if os.sep == "/" and local.startswith("/") and is_normal(local):
        return local
    return os.path.abspath(local)


def default_cache() -> HashCache:
    """The user's cache, in the data folder."""
    from renderbus_dcc.config import data_dir

    return HashCache(Path(data_dir()) / "md5-cache.json")
