"""The submission journal: every step of a submission, on disk, so it can be resumed.

One journal per submission in ``config.data_dir()/journal/``: ``<id>.json`` holds the state
(rewritten whole and atomically: a temporary file, then ``os.replace``), and ``<id>.uploaded``
lists, one line per file, what the transfer finished (appended one whole line per write; a
torn last line is ignored). After a crash, a lost network, a cancel or a closed application,
:func:`renderbus_dcc.submission.resume` reads it and carries on with the same task id.

Steps, in order: ``prepared`` -> ``env`` -> ``creating`` (the intent to call createTask,
written before the call) -> ``created`` (the task id, written as soon as createTask answers)
-> ``taskfiles`` -> ``cfg_uploaded`` -> ``uploaded`` -> ``submitted`` (done).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import time
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Set, Union

from renderbus_dcc.config import data_dir, write_private

log = logging.getLogger(__name__)

__all__ = ["Journal", "STEPS", "journal_dir", "list_journals", "latest_unfinished", "prune"]

STEPS = ("prepared", "env", "creating", "created", "taskfiles", "cfg_uploaded", "uploaded", "submitted")


def journal_dir(base: Optional[Union[str, Path]] = None) -> Path:
    """The journal folder: ``base`` or ``config.data_dir()/journal``."""
    if base is not None:
        return Path(base)
    return Path(data_dir()) / "journal"


class Journal:
    """One submission's record. ``data`` is plain JSON; :meth:`update` saves it atomically."""

    def __init__(self, path: Path, data: Dict[str, Any]) -> None:
        self.path = Path(path)
        self.data = data
        self._uploaded: Optional[Set[str]] = None

    # creation / loading --------------------------------------------------------------------
    @classmethod
    def create(cls, base: Optional[Union[str, Path]] = None, **fields: Any) -> "Journal":
        """A new journal (state ``prepared``) holding ``fields``; written at once."""
        folder = journal_dir(base)
        jid = time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)
        now = time.time()
        data: Dict[str, Any] = {"id": jid, "version": 1, "created": now, "updated": now, "step": "prepared",
                                "finished": False, "error": ""}
        data.update(fields)
        journal = cls(folder / (jid + ".json"), data)
        journal.save()
        return journal

    @classmethod
    def load(cls, path: Union[str, Path]) -> "Journal":
        path = Path(path)
        with open(path, encoding="utf-8") as fh:
            return cls(path, json.load(fh))

    @classmethod
    def find(cls, journal_id: str, base: Optional[Union[str, Path]] = None) -> "Journal":
        """The journal with id ``journal_id`` (a path works too)."""
        from renderbus_dcc.errors import SubmissionError

        candidate = Path(journal_id)
        if candidate.suffix == ".json" and candidate.is_file():
            return cls.load(candidate)
        path = journal_dir(base) / (journal_id + ".json")
        if not path.is_file():
            raise SubmissionError("no submission journal %r in %s" % (journal_id, path.parent),
                                  hint="`renderbus submit --resume` without an id resumes the latest one")
        return cls.load(path)

    # state ---------------------------------------------------------------------------------
    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def step(self) -> str:
        return str(self.data.get("step", "prepared"))

    @property
    def finished(self) -> bool:
        return bool(self.data.get("finished"))

    @property
    def task_id(self) -> Optional[int]:
        value = self.data.get("task_id")
        return int(value) if value else None

    def reached(self, step: str) -> bool:
        """True if the journal has recorded ``step`` (or a later one)."""
        return STEPS.index(self.step) >= STEPS.index(step)

    def save(self) -> None:
        self.data["updated"] = time.time()
        write_private(self.path, json.dumps(self.data, ensure_ascii=False, separators=(",", ":")))

    def update(self, step: Optional[str] = None, **fields: Any) -> None:
        """Record ``fields`` (and a new ``step``) in one atomic write."""
        self.data.update(fields)
        if step is not None:
            self.data["step"] = step
        self.save()

    # uploaded files ------------------------------------------------------------------------
    @property
    def uploaded_log(self) -> Path:
        return self.path.with_suffix(".uploaded")

    def uploaded(self) -> Set[str]:
        """Keys (``bid:server``) of files the transfer finished."""
        if self._uploaded is None:
            done: Set[str] = set()
            try:
                with open(self.uploaded_log, encoding="utf-8") as fh:
                    for line in fh:
                        if line.endswith("\n"):
                            done.add(line[:-1])
            except FileNotFoundError:
                pass
            self._uploaded = done
        return self._uploaded

    def mark_uploaded(self, keys: Iterable[str]) -> None:
        """Append finished files to the log (one write, whole lines)."""
        new = [k for k in keys if k not in self.uploaded()]
        if not new:
            return
        text = "".join(k + "\n" for k in new).encode("utf-8")
        fd = os.open(str(self.uploaded_log), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, text)
        finally:
            os.close(fd)
        self.uploaded().update(new)

    def remove(self) -> None:
        """Delete the journal's files."""
        for p in (self.path, self.uploaded_log):
            try:
                p.unlink()
            except FileNotFoundError:
                pass

    def __repr__(self) -> str:
        return "Journal(%r, step=%r, task_id=%r)" % (self.id, self.step, self.data.get("task_id"))


def list_journals(base: Optional[Union[str, Path]] = None) -> List[Journal]:
    """Every readable journal, oldest first."""
    folder = journal_dir(base)
    out: List[Journal] = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.json")):
        try:
            out.append(Journal.load(path))
        except (OSError, ValueError) as exc:
            log.warning("skipping unreadable journal %s: %s", path, exc)
    out.sort(key=lambda j: (j.data.get("created", 0), j.id))
    return out


def latest_unfinished(base: Optional[Union[str, Path]] = None, endpoint: Optional[str] = None,
                      access_id: Optional[str] = None) -> Optional[Journal]:
    """The most recent journal that did not reach ``submitted`` (dry runs excluded), of the
    given endpoint and account when they are given."""
    for journal in reversed(list_journals(base)):
        if journal.finished or journal.data.get("dry_run_dir"):
            continue
        if endpoint is not None and journal.data.get("endpoint") not in (None, "", endpoint):
            continue
        if access_id is not None and journal.data.get("access_id") not in (None, "", access_id):
            continue
        return journal
    return None


def prune(base: Optional[Union[str, Path]] = None, older_than_days: float = 30.0) -> int:
    """Delete finished journals older than ``older_than_days``; unfinished ones are kept. Returns how many."""
    limit = time.time() - older_than_days * 86400.0
    removed = 0
    for journal in list_journals(base):
        if journal.finished and float(journal.data.get("updated", 0)) < limit:
            journal.remove()
            removed += 1
    return removed
