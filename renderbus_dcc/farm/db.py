"""The farm's state in SQLite: accounts, settings, labels, render environments, tasks, frames.

One connection, used under the farm's lock (the HTTP server's threads take turns), WAL
journal. Rows come back as dicts. The database holds the accounts' access keys: it is made
owner-only (0600) before SQLite opens it, and SQLite gives its -wal and -shm files the same
mode.
"""

import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence

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
CREATE INDEX IF NOT EXISTS frames_shell ON frames (shell_id, status);
CREATE TABLE IF NOT EXISTS received (
    access_id TEXT NOT NULL, signature TEXT NOT NULL, expires REAL NOT NULL, PRIMARY KEY (access_id, signature));
CREATE TABLE IF NOT EXISTS task_settings (
    task_id INTEGER PRIMARY KEY, task_limit INTEGER, over_time_sec INTEGER, full_speed INTEGER NOT NULL DEFAULT 0,
    hardware TEXT NOT NULL DEFAULT '', clone_original_id INTEGER);
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, kind TEXT NOT NULL, ms INTEGER NOT NULL,
    operation TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS records_user ON records (user_id, kind, ms);
"""

#: The largest integer SQLite stores: a value outside +-2**63 never reaches it.
INT_MAX = 2 ** 63 - 1


def _row(cursor: sqlite3.Cursor, row: Sequence[Any]) -> Dict[str, Any]:
    return {col[0]: value for col, value in zip(cursor.description, row)}


def owner_only_file(path: Path) -> None:
    """Create ``path`` (empty) readable by its owner only, or make an existing one so."""
    try:
        os.close(os.open(str(path), os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(str(path), 0o600)
    except OSError:  # pragma: no cover - a file system without modes (FAT): nothing to do
        pass


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
        self.conn.executescript(SCHEMA)

    def close(self) -> None:
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

    def one(self, sql: str, *args: Any) -> Optional[Dict[str, Any]]:
        return self.conn.execute(sql, args).fetchone()

    def value(self, sql: str, *args: Any) -> Any:
        """The first column of the first row (``SELECT COUNT(*) ...``), None if no row."""
        row = self.conn.execute(sql, args).fetchone()
        return next(iter(row.values())) if row else None

    def all(self, sql: str, *args: Any) -> List[Dict[str, Any]]:
        return self.conn.execute(sql, args).fetchall()

    def run(self, sql: str, *args: Any) -> int:
        """Execute; returns lastrowid (inserts) or rowcount."""
        cur = self.conn.execute(sql, args)
        return int(cur.lastrowid or 0) if sql.lstrip().upper().startswith("INSERT") else cur.rowcount

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def get_meta(self, key: str, default: Optional[str] = None) -> Optional[str]:
        row = self.one("SELECT value FROM meta WHERE key = ?", key)
        return row["value"] if row else default

    def set_meta(self, key: str, value: Any) -> None:
        self.run("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 key, str(value))
