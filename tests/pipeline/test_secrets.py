"""The access key never shows: not in a log record (DEBUG included), an exception, a repr, or a
file other than the credential store, through a whole submission, a resume, a monitor and a dry run."""

import logging
import traceback
from pathlib import Path
from typing import List

import pytest

from renderbus_dcc import config as cfg
from renderbus_dcc.client import RenderbusClient
from renderbus_dcc.errors import RenderbusError
from renderbus_dcc.journal import latest_unfinished, list_journals
from renderbus_dcc.monitor import TaskMonitor
from renderbus_dcc.submission import SubmitOptions, resume, submit


class _Everything(logging.Handler):
    """A root handler that formats every record the way a log file would (tracebacks included)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: List[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record) + repr(record.args) + repr(record.__dict__))


class _Killed(Exception):
    pass


def _files_under(*folders: Path) -> List[Path]:
    return [p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()]


def test_the_access_key_shows_nowhere(farm, scene, project, tmp_path, isolated_user_dirs, caplog):
    key = farm.access_key
    assert len(key) >= 16
    handler = _Everything()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    errors: List[BaseException] = []
    try:
        # the key as a user stores it: the config file (0600; RENDERBUS_KEYRING=0 here)
        store = cfg.save_config(cfg.Config(farm.access_id, key, farm.url, farm.platform, "v1"))
        client = RenderbusClient.from_config(backoff=0.001)
        # a submission killed during the upload, then resumed
        with pytest.raises(_Killed):
            submit(scene, client, confirm=lambda r: True,
                   on_progress=lambda p: (_ for _ in ()).throw(_Killed()) if p.stage == "upload" else None)
        journal = latest_unfinished()
        result = resume(client)
        # the monitor, a few rounds
        rounds: List[object] = []
        TaskMonitor(client, [result.task_id], interval=0.01,
                    on_snapshot=lambda snaps: rounds.append(snaps) or len(rounds) < 3).run()
        # a dry run
        export = tmp_path / "export"
        submit(scene, client, SubmitOptions(dry_run_dir=str(export)), confirm=lambda r: True)
        # errors the farm answers with: a refused call, a second submit, a bad signature
        for call in (lambda: client.submit_task(result.task_id), lambda: client.query_task_info([10 ** 9]),
                     lambda: RenderbusClient(farm.access_id, key[::-1], farm.url).query_user_profile()):
            try:
                call()
            except RenderbusError as exc:
                errors.append(exc)
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)

    assert rounds and errors and journal is not None
    texts = {
        "caplog": caplog.text + "".join(repr(r.__dict__) for r in caplog.records),
        "root handler": "\n".join(handler.lines),
        "reprs": " ".join(repr(o) + str(o) for o in [client, client.transport, cfg.load_config(), journal,
                                                      *list_journals(), result]),
        "errors": " ".join(str(e) + repr(e) + repr(vars(e)) + "".join(traceback.format_exception(
            type(e), e, e.__traceback__)) for e in errors),
    }
    for name, text in texts.items():
        assert key not in text, name
    assert any("DEBUG" in line for line in handler.lines)  # DEBUG really was on
    written = [p for p in _files_under(isolated_user_dirs, export, project) if p != store]
    assert any(p.suffix == ".json" and "journal" in p.parts for p in written)
    assert (export / "manifest.json") in written
    for path in written:
        assert key.encode("utf-8") not in path.read_bytes(), path
    assert key in store.read_text(encoding="utf-8")  # where it belongs
    # what the farm received and logged (its own account table aside)
    farm_files = [p for p in _files_under(tmp_path / "farm") if not p.name.startswith(("farm.db", "farm.sqlite"))]
    assert farm_files
    for path in farm_files:
        assert key.encode("utf-8") not in path.read_bytes(), path
