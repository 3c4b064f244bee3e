"""The farm's data folder: owner-only, used by one farm at a time, and the file of a made key.

The folder holds the database (with the accounts' access keys) and every uploaded file: it
is made, or made again, readable by its owner only (0700). A lock file (``farm.lock``, held
with ``flock`` on POSIX, ``msvcrt.locking`` on Windows) lets one farm at a time use it: two
farms on one database would give the same task ids twice. The lock goes with the process, so
a killed farm never leaves a stale one behind.
"""

import os
import sys
from pathlib import Path
from typing import IO, Optional

from renderbus_dcc.errors import ConfigError
from renderbus_dcc.farm.db import owner_only_file
from renderbus_dcc.i18n import _

__all__ = ["DataFolder", "FarmBusy", "KEY_FILE"]

#: The file (in the data folder) that holds an access key the farm made, owner-only.
KEY_FILE = "access_key"


class FarmBusy(ConfigError):
    """Another farm is using the data folder."""


def _lock(handle: IO[bytes]) -> bool:
    """Take the lock on an open file without waiting; False if another process holds it."""
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class DataFolder:
    """Open with :meth:`acquire` (made owner-only, locked), close with :meth:`release`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._handle: Optional[IO[bytes]] = None

    def acquire(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            os.chmod(str(self.path), 0o700)
        except OSError:  # pragma: no cover - not ours to change (the farm still works)
            pass
        lock_path = self.path / "farm.lock"
        owner_only_file(lock_path)
        handle = open(str(lock_path), "r+b")
        if not _lock(handle):
            handle.close()
            raise FarmBusy(_("another local farm is using the data folder %s") % self.path,
                           hint=_("stop that farm first, or give this one another folder (--data)"))
        self._handle = handle

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            handle.close()  # closing the file lets go of the lock

    def write_key(self, access_key: str) -> Path:
        """Keep a key the farm made in the owner-only key file; returns its path."""
        path = self.path / KEY_FILE
        owner_only_file(path)
        with open(str(path), "w", encoding="ascii") as handle:
            handle.write(access_key + "\n")
        return path
