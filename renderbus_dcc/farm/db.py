"""The farm's state in SQLite: accounts, settings, labels, render environments, tasks, frames.

One connection, used under the farm's lock (the HTTP server's threads take turns), WAL
journal, checkpointed by a thread of its own (another connection). Rows come back as dicts.
The database holds the accounts' access keys: it is made owner-only (0600) before SQLite opens it, and SQLite gives its -wal and -shm files the same
mode. ``frame_counts`` holds each task's frames by status (count,
fee, render seconds, first start, last end), kept by triggers on ``frames`` (and by
:meth:`FarmDB.insert_frames`, since a trigger per inserted row would double the cost of
making a 100,000-frame task), so task lists
and task info never scan a 100,000-frame task; ``frames_queue`` gives a task's waiting frames
in the order render nodes take them.
"""

import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

__all__ = ["FarmDB", "SCHEMA", "INT_MAX", "owner_only_file"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    user_id INTEGER PRIMARY KEY, access_id TEXT UNIQUE NOT NULL, access_key TEXT NOT NULL,
    user_name TEXT NOT NULL, platform INTEGER NOT NULL, task_over_time_sec INTEGER NOT NULL DEFAULT 43200,
    created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS labels (
    id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, name TEXT NOT NULL, status INTEGER NOT NULL DEFAULT 0,
    UNIQUE (user_id, name));
CREATE TABLE IF NOT EXISTS render_envs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, cg_id INTEGER NOT NULL, edit_name TEXT NOT NULL,
    cg_name TEXT NOT NULL, cg_version TEXT NOT NULL, os_name INTEGER NOT NULL, render_layer_type INTEGER NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0, plugin_ids TEXT NOT NULL, project_path TEXT NOT NULL DEFAULT '',
    UNIQUE (user_id, edit_name));
CREATE TABLE IF NOT EXISTS tasks (
    id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, parent_id INTEGER NOT NULL DEFAULT 0,
    alias TEXT NOT NULL, ord INTEGER NOT NULL DEFAULT 0, task_type TEXT NOT NULL DEFAULT '',
    status INTEGER NOT NULL DEFAULT 0, pre_status INTEGER, submitted INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0, scene_name TEXT NOT NULL DEFAULT '', project_name TEXT NOT NULL DEFAULT '',
    cg_id INTEGER NOT NULL DEFAULT 0, out_user_id INTEGER, task_user_level INTEGER NOT NULL DEFAULT 50,
    labels TEXT NOT NULL DEFAULT '', artist TEXT NOT NULL DEFAULT '', producer TEXT NOT NULL DEFAULT '',
    layer_name TEXT, render_camera TEXT NOT NULL DEFAULT '', frames_range TEXT NOT NULL DEFAULT '',
    key_value TEXT NOT NULL DEFAULT '', plan TEXT NOT NULL DEFAULT '', width INTEGER NOT NULL DEFAULT 1920,
    height INTEGER NOT NULL DEFAULT 1080, tiles INTEGER NOT NULL DEFAULT 1,
    created_ms INTEGER NOT NULL, submit_ms INTEGER, start_ms INTEGER, complete_ms INTEGER,
    phase_until REAL, sim_ft REAL, next_event REAL);
CREATE INDEX IF NOT EXISTS tasks_user ON tasks (user_id, parent_id, deleted);
CREATE INDEX IF NOT EXISTS tasks_active ON tasks (parent_id, submitted, status);
CREATE TABLE IF NOT EXISTS frames (
    id INTEGER PRIMARY KEY AUTOINCREMENT, task_id INTEGER NOT NULL, shell_id INTEGER NOT NULL,
    ord INTEGER NOT NULL, seq INTEGER NOT NULL, frame_no INTEGER NOT NULL, frame_index TEXT NOT NULL,
    block INTEGER NOT NULL DEFAULT 1, frame_type INTEGER NOT NULL DEFAULT 5, status INTEGER NOT NULL DEFAULT 1,
    start_ft REAL, end_ft REAL, start_ms INTEGER, end_ms INTEGER,
    execute_time INTEGER NOT NULL DEFAULT 0, fee REAL NOT NULL DEFAULT 0, recommit INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS frames_task ON frames (task_id, seq);
DROP INDEX IF EXISTS frames_shell;
CREATE TABLE IF NOT EXISTS received (
    access_id TEXT NOT NULL, signature TEXT NOT NULL, expires REAL NOT NULL, PRIMARY KEY (access_id, signature));
CREATE TABLE IF NOT EXISTS task_settings (
    task_id INTEGER PRIMARY KEY, task_limit INTEGER, over_time_sec INTEGER, full_speed INTEGER NOT NULL DEFAULT 0,
    hardware TEXT NOT NULL DEFAULT '', clone_original_id INTEGER);
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, kind TEXT NOT NULL, ms INTEGER NOT NULL,
    operation TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS records_user ON records (user_id, kind, ms);
CREATE INDEX IF NOT EXISTS frames_queue ON frames (shell_id, status, ord, seq);
CREATE TABLE IF NOT EXISTS frame_counts (
    task_id INTEGER NOT NULL, shell_id INTEGER NOT NULL, status INTEGER NOT NULL, n INTEGER NOT NULL,
    fee_cents INTEGER NOT NULL, secs INTEGER NOT NULL, first_ms INTEGER, last_ms INTEGER,
    PRIMARY KEY (task_id, status)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS frame_counts_shell ON frame_counts (shell_id);
CREATE TRIGGER IF NOT EXISTS frames_counted_up AFTER UPDATE OF status, fee, execute_time, start_ms, end_ms ON frames BEGIN
    UPDATE frame_counts SET n = n - 1, fee_cents = fee_cents - CAST(round(old.fee * 100) AS INTEGER),
        secs = secs - old.execute_time WHERE task_id = old.task_id AND status = old.status;
    %(add)s
END;
CREATE TRIGGER IF NOT EXISTS frames_counted_out AFTER DELETE ON frames BEGIN
    UPDATE frame_counts SET n = n - 1, fee_cents = fee_cents - CAST(round(old.fee * 100) AS INTEGER),
        secs = secs - old.execute_time WHERE task_id = old.task_id AND status = old.status;
END;
""" % {"add": """INSERT INTO frame_counts (task_id, shell_id, status, n, fee_cents, secs, first_ms, last_ms)
    VALUES (new.task_id, new.shell_id, new.status, 1, CAST(round(new.fee * 100) AS INTEGER), new.execute_time,
            new.start_ms, new.end_ms)
    ON CONFLICT (task_id, status) DO UPDATE SET n = n + 1, fee_cents = fee_cents + excluded.fee_cents,
        secs = secs + excluded.secs, first_ms = min(coalesce(first_ms, excluded.first_ms), coalesce(excluded.first_ms, first_ms)),
        last_ms = max(coalesce(last_ms, excluded.last_ms), coalesce(excluded.last_ms, last_ms));"""}

#: Bumped when a table derived from others (``frame_counts``) must be rebuilt on open.
DERIVED_VERSION = "1"


#: The largest integer SQLite stores: a value outside +-2**63 never reaches it.
INT_MAX = 2 ** 63 - 1


def _row(cursor: sqlite3.Cursor, row: Sequence[Any]) -> Dict[str, Any]:
    return dict(zip([col[0] for col in cursor.description], row))


def owner_only_file(path: Path) -> None:
    """Create ``path`` (empty) readable by its owner only, or make an existing one so."""
    try:
        os.close(os.open(str(path), os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(str(path), 0o600)
    except OSError:  # pragma: no cover - a file system without modes (FAT): nothing to do
        pass


#: Commits between two checkpoints (copying the write-ahead log into the database; or a second,
#: if there were commits), which a thread of the farm makes, off the requests' way; past
#: :data:`_WAL_BACKSTOP` pages of log, the commit that reaches it checkpoints itself (SQLite's
#: own way; it did so every 1,000 pages).
_CHECKPOINT_EVERY = 1000
_WAL_BACKSTOP = 20000


class _Checkpointer:
    """Checkpoints the write-ahead log from a thread and connection of its own (a checkpoint copies
    and syncs pages: up to 30 ms, which a request waited for when the committing call made it)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._wake = threading.Event()
        self._stop = False
        self._commits = 0
        self._woken = time.monotonic()
        self._thread = threading.Thread(target=self._run, name="renderbus-farm-checkpoint", daemon=True)
        self._thread.start()

    def committed(self) -> None:
        self._commits += 1
        now = time.monotonic()
        if self._commits >= _CHECKPOINT_EVERY or now - self._woken >= 1.0:  # (a few big commits: a second)
            self._commits, self._woken = 0, now
            self._wake.set()

    def _run(self) -> None:
        conn = sqlite3.connect(str(self._path), check_same_thread=False, isolation_level=None)
        try:
            while True:
                self._wake.wait()
                self._wake.clear()
                if self._stop:
                    return
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:  # busy or the like: the next one (or the backstop) does it
                    pass
        finally:
            conn.close()

    def stop(self) -> None:
        self._stop = True
        self._wake.set()
        self._thread.join(30)


class FarmDB:
    """A small wrapper: ``one``, ``all``, ``run`` and a ``transaction`` context; thread-safe by lock."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.lock = threading.RLock()
        owner_only_file(self.path)
        for suffix in ("-wal", "-shm"):  # left by an older farm with other modes
            if Path(str(self.path) + suffix).exists():
                owner_only_file(Path(str(self.path) + suffix))
        self.conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self.conn.row_factory = _row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA wal_autocheckpoint=%d" % _WAL_BACKSTOP)
        self._checkpointer = _Checkpointer(self.path)
        try:
            self.conn.executescript(SCHEMA)
            self._rebuild_derived()
        except BaseException:
            self.close()
            raise

    def _rebuild_derived(self) -> None:
        """``frame_counts`` (kept by triggers) rebuilt from the frames of a data folder made before it."""
        if self.get_meta("derived_version") == DERIVED_VERSION:
            return
        with self.transaction():
            self.run("DELETE FROM frame_counts")
            self.run("INSERT INTO frame_counts (task_id, shell_id, status, n, fee_cents, secs, first_ms, last_ms) "
                     "SELECT task_id, shell_id, status, COUNT(*), SUM(CAST(round(fee * 100) AS INTEGER)), "
                     "SUM(execute_time), MIN(start_ms), MAX(end_ms) FROM frames GROUP BY task_id, status")
            self.set_meta("derived_version", DERIVED_VERSION)

    def close(self) -> None:
        self._checkpointer.stop()
        with self.lock:
            self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator["FarmDB"]:
        """Hold the lock; commit at the end, roll back on an exception. Nested: joins the outer one."""
        with self.lock:
            if self.conn.in_transaction:
                yield self
                return
            self.conn.execute("BEGIN")
            try:
                yield self
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
                self._checkpointer.committed()

    @contextmanager
    def savepoint(self, name: str = "part") -> Iterator["FarmDB"]:
        """Inside a transaction: a part that rolls back alone on an exception (which goes on)."""
        with self.lock:
            self.conn.execute("SAVEPOINT %s" % name)
            try:
                yield self
            except BaseException:
                self.conn.execute("ROLLBACK TO %s" % name)
                self.conn.execute("RELEASE %s" % name)
                raise
            self.conn.execute("RELEASE %s" % name)

    def one(self, sql: str, *args: Any) -> Optional[Dict[str, Any]]:
        return self.conn.execute(sql, args).fetchone()

    def value(self, sql: str, *args: Any) -> Any:
        """The first column of the first row (``SELECT COUNT(*) ...``), None if no row."""
        row = self.conn.execute(sql, args).fetchone()
        return next(iter(row.values())) if row else None

    def all(self, sql: str, *args: Any) -> List[Dict[str, Any]]:
        return self.conn.execute(sql, args).fetchall()

    def tuples(self, sql: str, *args: Any) -> List[Tuple[Any, ...]]:
        """Like :meth:`all`, rows as tuples in the order of the query's columns (no dict per row:
        for the hot paths that read many rows, such as playing a task's frames)."""
        cursor = self.conn.cursor()
        cursor.row_factory = None
        return cursor.execute(sql, args).fetchall()

    def run(self, sql: str, *args: Any) -> int:
        """Execute; returns lastrowid (inserts) or rowcount."""
        cur = self.conn.execute(sql, args)
        return int(cur.lastrowid or 0) if sql.lstrip().upper().startswith("INSERT") else cur.rowcount

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def insert_frames(self, rows: Sequence[Sequence[Any]]) -> None:
        """Insert new frames, ``(task_id, shell_id, ord, seq, frame_no, frame_index, block, frame_type, status)``
        each, and count them in ``frame_counts``."""
        self.many("INSERT INTO frames (task_id, shell_id, ord, seq, frame_no, frame_index, block, frame_type, status) "
                  "VALUES (?,?,?,?,?,?,?,?,?)", rows)
        counts: Dict[Any, int] = {}
        for r in rows:
            key = (r[0], r[1], r[8])
            counts[key] = counts.get(key, 0) + 1
        self.many("INSERT INTO frame_counts (task_id, shell_id, status, n, fee_cents, secs) VALUES (?,?,?,?,0,0) "
                  "ON CONFLICT (task_id, status) DO UPDATE SET n = n + excluded.n",
                  [key + (n,) for key, n in counts.items()])

    def get_meta(self, key: str, default: Optional[str] = None) -> Optional[str]:
        row = self.one("SELECT value FROM meta WHERE key = ?", key)
        return row["value"] if row else default

    def set_meta(self, key: str, value: Any) -> None:
        self.run("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 key, str(value))
