""":class:`LocalFarm`: the local farm, started and stopped from Python (the HTTP side is in
:mod:`.wsgi`, served by :mod:`.listener`).

A farm owns its data folder while it runs (owner-only, locked: one farm per folder), keeps its
state there in SQLite, and listens on ``host:port`` (127.0.0.1 by default: this machine only).
"""

import logging
import secrets
import shutil
import string
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Tuple, Union

from renderbus_dcc.farm import chaos as chaos_mod
from renderbus_dcc.farm.api import FarmAPI, FarmTime
from renderbus_dcc.farm.auth import Gate
from renderbus_dcc.farm.catalogue import load_catalogue
from renderbus_dcc.farm.datadir import DataFolder
from renderbus_dcc.farm.db import FarmDB
from renderbus_dcc.farm.life import NODES
from renderbus_dcc.farm.listener import Listener
from renderbus_dcc.farm.transfer import Storage
from renderbus_dcc.farm.wsgi import MAX_BODY, TRANSFER_ROUTES, UPLOAD_MEMORY, FarmApp, body_limit, in_memory

__all__ = ["LocalFarm", "TRANSFER_ROUTES"]

log = logging.getLogger(__name__)

_FIRST_USER_ID = 10001136


def _random_text(length: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


class LocalFarm:
    """A Renderbus-compatible farm on this machine: ``with LocalFarm() as farm: farm.client()``.

    ``data_dir`` None: a temporary folder, removed on stop. ``port`` 0: a free port.
    ``speed`` scales the farm's time (200: a 100-frame job in a few seconds). ``seed`` makes
    failures (``fail_rate``) and ``chaos`` repeatable. ``clock`` (seconds, like time.time) can
    be injected for tests. The account (``access_id``/``access_key``) is made on the first
    start of a data folder and kept there; pass them to choose them.
    """

    platform = 2
    #: Seconds an idle connection (a slow or stalled client) is kept before the farm closes it.
    idle_timeout = 30
    #: Requests served at once (the rest wait); connections are not threads.
    threads = 6

    def __init__(self, data_dir: Union[str, Path, None] = None, host: str = "127.0.0.1", port: int = 0,
                 speed: float = 1.0, seed: Optional[int] = None, fail_rate: float = 0.0,
                 chaos: Union[None, str, Mapping[str, Any]] = None, access_id: Optional[str] = None,
                 access_key: Optional[str] = None, clock: Optional[Callable[[], float]] = None,
                 nodes: int = NODES) -> None:
        if speed <= 0:
            raise ValueError("speed must be more than 0")
        if not 0.0 <= fail_rate <= 1.0:
            raise ValueError("fail_rate must be from 0 to 1")
        self._given_dir = Path(data_dir) if data_dir is not None else None
        self.host = host
        self.port = int(port)
        self.speed = float(speed)
        self.seed = seed
        self._fail_rate = float(fail_rate)
        self._chaos = chaos_mod.Chaos(chaos_mod.parse_chaos(chaos), seed)
        self._wanted = (access_id, access_key)
        self._clock = clock or time.time
        self.nodes = int(nodes)
        self.access_id = ""
        self.access_key = ""
        self.user_id = 0
        self.data_dir: Path = self._given_dir or Path()
        self._temp = False
        self._listener: Optional[Listener] = None
        self._folder: Optional[DataFolder] = None
        self._db: Optional[FarmDB] = None
        #: The access key the farm made on this start (None if it was given or kept from before).
        self.made_key: Optional[str] = None

    def __repr__(self) -> str:
        return "LocalFarm(url=%r, access_id=%r, data_dir=%r)" % (self.url if self._listener else None, self.access_id,
                                                                  str(self.data_dir))

    # --- life of the server ---------------------------------------------------------------
    def start(self) -> "LocalFarm":
        """Take the data folder (owner-only, locked) and listen. Returns self.

        :class:`~renderbus_dcc.farm.datadir.FarmBusy` if another farm uses the folder; OSError if
        the address is taken.
        """
        if self._listener is not None:
            return self
        if self._given_dir is None:
            self.data_dir = Path(tempfile.mkdtemp(prefix="renderbus-farm-"))
            self._temp = True
        else:
            self.data_dir = self._given_dir
        folder = DataFolder(self.data_dir)
        folder.acquire()
        try:
            self._db = FarmDB(self.data_dir / "farm.sqlite3")
            with self._db.transaction():
                self.access_id, self.access_key, self.user_id = self._primary_account(*self._wanted)
                start_ft = float(self._db.get_meta("farm_time", "0") or 0)
            self._time = FarmTime(self._clock, self.speed, start_ft)
            self._storage = Storage(self.data_dir)
            for server_path in self._storage.recover():
                log.warning("removed %s: the farm stopped while it was being written (its client sends it again)",
                            server_path)
            self._api = FarmAPI(self._db, self._storage, load_catalogue(), self._time, self.seed, self._fail_rate,
                                self.nodes)
            self._gate = Gate(self._db, self._clock)
            self._listener = Listener(FarmApp(self), self.host, self.port, body_limit, MAX_BODY, threads=self.threads,
                                      channel_timeout=self.idle_timeout, in_memory=in_memory,
                                      memory_budget=UPLOAD_MEMORY)
        except BaseException:
            if self._db is not None:
                self._db.close()
                self._db = None
            folder.release()
            raise
        self._folder = folder
        self.port = self._listener.port
        self._listener.start()
        log.info("local farm at %s (data %s)", self.url, self.data_dir)
        return self

    def stop(self) -> None:
        """Stop listening, finish running requests, close connections, keep the state (a temporary
        folder is removed), let go of the data folder."""
        listener, self._listener = self._listener, None
        if listener is None:
            return
        listener.stop()
        if self._db is not None:
            with self._db.transaction():
                self._api.save_time()
            self._db.close()
            self._db = None
        if self._folder is not None:
            self._folder.release()
            self._folder = None
        if self._temp:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> "LocalFarm":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # --- what tests and the demo use --------------------------------------------------------
    @property
    def _hostport(self) -> str:
        host = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "[::1]"}.get(self.host, self.host)
        return "%s:%d" % ("[%s]" % host if ":" in host and not host.startswith("[") else host, self.port)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return "http://" + self._hostport

    @property
    def fail_rate(self) -> float:
        return self._fail_rate

    @fail_rate.setter
    def fail_rate(self, value: float) -> None:
        self._fail_rate = float(value)
        if self._db is not None:
            self._api.fail_rate = self._fail_rate

    @property
    def chaos(self) -> chaos_mod.Chaos:
        """The fault drawer (``.log`` lists faulted requests)."""
        return self._chaos

    def set_chaos(self, spec: Union[None, str, Mapping[str, Any]]) -> None:
        """Change the faults from now on (the draw sequence starts again from the seed)."""
        self._chaos = chaos_mod.Chaos(chaos_mod.parse_chaos(spec), self.seed)

    def client(self, profile: str = "v1", **kw: Any) -> Any:
        """A RenderbusClient for the farm's account."""
        from renderbus_dcc.client import RenderbusClient

        kw.setdefault("platform", self.platform)
        return RenderbusClient(self.access_id, self.access_key, endpoint=self.url, profile=profile, **kw)

    def add_account(self, access_id: Optional[str] = None, access_key: Optional[str] = None) -> Tuple[str, str]:
        """Another user of the farm: (access id, access key)."""
        db = self._require_db()
        with db.transaction():
            access_id, access_key, _ = self._make_account(access_id, access_key)
        return access_id, access_key

    def uploaded_path(self, bid: str, server_path: str, user_id: Optional[int] = None) -> Path:
        """Where a file uploaded with ``bid`` to ``server_path`` is kept."""
        return Storage(self.data_dir).path(user_id or self.user_id, str(bid), server_path)

    # --- internals -----------------------------------------------------------------------
    def _require_db(self) -> FarmDB:
        if self._db is None:
            raise RuntimeError("the farm is not started: call start() first")
        return self._db

    def _now_ms(self) -> int:
        return int(round(self._clock() * 1000))

    def _make_account(self, access_id: Optional[str], access_key: Optional[str]) -> Tuple[str, str, int]:
        db = self._require_db()
        access_id = access_id or "AKID" + _random_text(28)
        access_key = access_key or _random_text(32)
        row = db.one("SELECT user_id FROM accounts WHERE access_id = ?", access_id)
        if row is not None:
            db.run("UPDATE accounts SET access_key = ? WHERE user_id = ?", access_key, row["user_id"])
            return access_id, access_key, row["user_id"]
        last = db.value("SELECT MAX(user_id) FROM accounts")
        user_id = (last or _FIRST_USER_ID - 1) + 1
        db.run("INSERT INTO accounts (user_id, access_id, access_key, user_name, platform, created_ms) VALUES (?,?,?,?,?,?)",
               user_id, access_id, access_key, "local_user_%d" % user_id, self.platform, self._now_ms())
        return access_id, access_key, user_id

    def _primary_account(self, access_id: Optional[str], access_key: Optional[str]) -> Tuple[str, str, int]:
        db = self._require_db()
        primary = db.get_meta("primary_access_id")
        if primary and (access_id is None or access_id == primary):
            row = db.one("SELECT * FROM accounts WHERE access_id = ?", primary)
            if row is not None:
                if access_key and access_key != row["access_key"]:
                    db.run("UPDATE accounts SET access_key = ? WHERE user_id = ?", access_key, row["user_id"])
                    return primary, access_key, row["user_id"]
                return primary, row["access_key"], row["user_id"]
        made = self._make_account(access_id, access_key)
        db.set_meta("primary_access_id", made[0])
        if not access_key:
            self.made_key = made[1]
        return made
