"""The submission journal: every step of a submission, on disk, so it can be resumed.

One journal per submission in ``config.data_dir()/journal/``: ``<id>.json`` holds the state
(rewritten whole and atomically: a temporary file, then ``os.replace``), ``<id>.bulk`` the
file list and task files (megabytes for 20,000 files: written when they change, not at every
step), and ``<id>.uploaded`` (finished files, a few hundred lines at a time and at every step)
lists, one line per file, what the transfer finished (appended one whole line per write; a
torn last line is ignored). After a crash, a lost network, a cancel or a closed application,
:func:`renderbus_dcc.submission.resume` reads it and carries on with the same task id.

Steps, in order: ``prepared`` -> ``env`` -> ``creating`` (the intent to call createTask,
written before the call) -> ``created`` (the task id, written as soon as createTask answers)
-> ``taskfiles`` -> ``cfg_uploaded`` -> ``uploaded`` -> ``submitted`` (done). A journal also
holds a ``token`` only its submission knows (sent with createTask where the protocol lets it,
so a lost answer is recovered without doubt), the ``scene_key`` of the scene it sends (one
interrupted submission per scene), and ``discarded`` once the artist gave it up.

A journal that cannot be read (damaged, another program's file, a newer version's) is an
error naming the file and what to do, never a traceback; listing skips it and reports it.
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
from renderbus_dcc.errors import SubmissionError
from renderbus_dcc.i18n import _

log = logging.getLogger(__name__)

__all__ = ["Journal", "STEPS", "VERSION", "journal_dir", "list_journals", "latest_unfinished", "prune"]

STEPS = ("prepared", "env", "creating", "created", "taskfiles", "cfg_uploaded", "uploaded", "submitted")
#: The journal format this version writes and reads.
VERSION = 1
#: Fields kept in ``<id>.bulk``, written only when they change (20,000 files make megabytes; the
#: scene names each asset): the state in ``<id>.json`` stays small, rewritten at every step.
BULKY = ("files", "task_files", "scene")
#: Finished files noted in memory before they are appended to ``<id>.uploaded``.
_MARK_BATCH = 500
#: What each step needs to find in the journal to carry on from it.
_NEEDS = {"prepared": ("env", "task_files", "files"), "taskfiles": ("bids",)}


def journal_dir(base: Optional[Union[str, Path]] = None) -> Path:
    """The journal folder: ``base`` or ``config.data_dir()/journal``."""
    if base is not None:
        return Path(base)
    return Path(data_dir()) / "journal"


class Journal:
    """One submission's record. ``data`` is plain JSON; :meth:`update` saves it atomically."""

    def __init__(self, path: Path, data: Dict[str, Any], bulk_unread: bool = False) -> None:
        self.path = Path(path)
        self._data = data
        self._bulk_unread = bulk_unread  # listed: the bulky fields are read when first needed
        self._bulk_stale = False  # bulky fields not (all) in <id>.bulk yet
        self._uploaded: Optional[Set[str]] = None
        self._pending: List[str] = []  # finished files not yet appended to the log

    # creation / loading --------------------------------------------------------------------
    @classmethod
    def create(cls, base: Optional[Union[str, Path]] = None, **fields: Any) -> "Journal":
        """A new journal (state ``prepared``) holding ``fields``; written at once."""
        folder = journal_dir(base)
        jid = time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)
        now = time.time()
        data: Dict[str, Any] = {"id": jid, "version": VERSION, "created": now, "updated": now, "step": "prepared",
                                "finished": False, "error": "", "token": secrets.token_hex(6)}
        data.update(fields)
        journal = cls(folder / (jid + ".json"), data)
        journal.save()
        return journal

    @classmethod
    def load(cls, path: Union[str, Path], bulk: bool = True) -> "Journal":
        """The journal in ``path``; SubmissionError (one line: the file, what is wrong, what to
        do) when it cannot be read or is not a submission journal of this version. Without
        ``bulk``, the bulky fields (megabytes for 20,000 files) are read when :attr:`data` is
        first used (the state alone tells a listing what it needs: step, account, scene)."""
        path = Path(path)
        discard = _discard_hint(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise SubmissionError(_("cannot read the submission journal %(file)s: %(why)s")
                                  % {"file": path, "why": exc.strerror or exc},
                                  hint=_("check the file's permissions")) from None
        except UnicodeDecodeError:
            text = ""  # not text at all: damaged
        try:
            data = json.loads(text)
        except ValueError:
            raise SubmissionError(_("the submission journal %s is damaged (it is not JSON)") % path,
                                  hint=discard) from None
        if not isinstance(data, dict) or not isinstance(data.get("id"), str) or data.get("step") not in STEPS:
            raise SubmissionError(_("%s is not a submission journal of renderbus_dcc") % path,
                                  hint=_("move it out of %s") % path.parent)
        if int(data.get("version") or 0) > VERSION:
            raise SubmissionError(_("the submission journal %s was written by a newer renderbus_dcc") % path,
                                  hint=_("resume it with that version, or %s") % discard)
        journal = cls(path, data, bulk_unread=True)
        journal._bulk_stale = any(k in data for k in BULKY)  # an older journal's: moved out at the next save
        if bulk:
            journal._read_bulk()
        return journal

    def _read_bulk(self) -> None:
        """Add the bulky fields from ``<id>.bulk`` (those set since loading are kept)."""
        self._bulk_unread = False
        where = self.path.with_suffix(".bulk")
        try:
            with open(where, encoding="utf-8") as fh:
                bulk = json.load(fh)
        except FileNotFoundError:
            return  # a journal from before the bulky fields moved out (or a small one)
        except (ValueError, UnicodeDecodeError):
            self._bulk_unread = True  # (said again at the next use)
            raise SubmissionError(_("the submission journal %s is damaged (it is not JSON)") % where,
                                  hint=_discard_hint(self.path)) from None
        if isinstance(bulk, dict):
            for key in BULKY:
                if key in bulk:
                    self._data.setdefault(key, bulk[key])

    @property
    def data(self) -> Dict[str, Any]:
        """The journal's plain JSON content (the bulky fields read now if they were not)."""
        if self._bulk_unread:
            self._read_bulk()
        return self._data

    @property
    def state(self) -> Dict[str, Any]:
        """The content without reading the bulky fields (what a listing looks at: step, account,
        scene_key, task id); do not change it (:meth:`update` does)."""
        return self._data

    @classmethod
    def find(cls, journal_id: str, base: Optional[Union[str, Path]] = None) -> "Journal":
        """The journal with id ``journal_id`` (a path works too)."""
        candidate = Path(journal_id)
        if candidate.suffix == ".json" and candidate.is_file():
            return cls.load(candidate)
        path = journal_dir(base) / (journal_id + ".json")
        if not path.is_file():
            raise SubmissionError(_("no submission journal %(id)r in %(folder)s") % {"id": journal_id,
                                                                                     "folder": path.parent},
                                  hint=_("`renderbus submissions list` shows them; `renderbus submit --resume` "
                                         "without an id resumes the latest one"))
        return cls.load(path)

    # state ---------------------------------------------------------------------------------
    @property
    def id(self) -> str:
        return str(self._data["id"])

    @property
    def step(self) -> str:
        return str(self._data.get("step", "prepared"))

    @property
    def finished(self) -> bool:
        return bool(self._data.get("finished"))

    @property
    def task_id(self) -> Optional[int]:
        value = self._data.get("task_id")
        return int(value) if value else None

    @property
    def token(self) -> str:
        """What only this submission knows (sent with createTask where the protocol lets it)."""
        return str(self._data.get("token") or "")

    @property
    def discarded(self) -> bool:
        return bool(self._data.get("discarded"))

    @property
    def pending(self) -> bool:
        """Not finished, not given up, not a dry run: a submission that can be resumed."""
        return not self.finished and not self.discarded and not self._data.get("dry_run_dir")

    def reached(self, step: str) -> bool:
        """True if the journal has recorded ``step`` (or a later one)."""
        return STEPS.index(self.step) >= STEPS.index(step)

    def check_complete(self) -> None:
        """SubmissionError (naming the file) if the journal lacks what its step needs to carry on."""
        missing = [k for step, keys in _NEEDS.items() if self.reached(step) for k in keys if k not in self.data]
        if missing:
            raise SubmissionError(_("the submission journal %(file)s is incomplete: it lacks %(what)s")
                                  % {"file": self.path, "what": ", ".join(missing)},
                                  hint=_("discard it with `renderbus submissions discard %s`") % self.id)

    def save(self, bulky: bool = True) -> None:
        """Write the state (with ``bulky``, the bulky fields first, in ``<id>.bulk``); finished
        files noted so far are logged."""
        self.flush_uploaded()
        bulky = bulky or self._bulk_stale
        data = self.data if bulky else self._data  # (the bulky fields are written whole: all read first)
        data["updated"] = time.time()
        if bulky and any(k in data for k in BULKY):
            write_private(self.path.with_suffix(".bulk"), json.dumps(
                {k: data[k] for k in BULKY if k in data}, ensure_ascii=False, separators=(",", ":")))
        write_private(self.path, json.dumps({k: v for k, v in data.items() if k not in BULKY},
                                            ensure_ascii=False, separators=(",", ":")))
        self._bulk_stale = False

    def update(self, step: Optional[str] = None, **fields: Any) -> None:
        """Record ``fields`` (and a new ``step``) in one atomic write (the bulky fields only when
        they are among ``fields``)."""
        self._data.update(fields)
        if step is not None:
            self._data["step"] = step
        self.save(bulky=any(k in BULKY for k in fields))

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
        """Note finished files; they reach the log (one write, whole lines) a few hundred at a
        time and at every step (:meth:`flush_uploaded`)."""
        done = self.uploaded()
        new = [k for k in keys if k not in done]
        done.update(new)
        self._pending += new
        if len(self._pending) >= _MARK_BATCH:
            self.flush_uploaded()

    def flush_uploaded(self) -> None:
        """Append the finished files noted since the last write to the log."""
        if not self._pending:
            return
        text = "".join(k + "\n" for k in self._pending).encode("utf-8")
        fd = os.open(str(self.uploaded_log), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, text)
        finally:
            os.close(fd)
        self._pending = []

    def remove(self) -> None:
        """Delete the journal's files."""
        for p in (self.path, self.path.with_suffix(".bulk"), self.uploaded_log):
            try:
                p.unlink()
            except FileNotFoundError:
                pass

    def __repr__(self) -> str:
        return "Journal(%r, step=%r, task_id=%r)" % (self.id, self.step, self._data.get("task_id"))


def _discard_hint(path: Path) -> str:
    return _("discard it with `renderbus submissions discard %s`") % path.stem


def list_journals(base: Optional[Union[str, Path]] = None,
                  problems: Optional[List[SubmissionError]] = None) -> List[Journal]:
    """Every readable journal, oldest first; each unreadable one is logged and, when
    ``problems`` is given, added to it (its error names the file and what to do). Their
    bulky fields are read when first used (:attr:`Journal.state` needs none), except when
    ``problems`` is given: a listing for the artist reports a damaged ``.bulk`` too."""
    folder = journal_dir(base)
    out: List[Journal] = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.json")):
        try:
            out.append(Journal.load(path, bulk=problems is not None))
        except SubmissionError as exc:
            log.warning("skipping a submission journal: %s", exc)
            if problems is not None:
                problems.append(exc)
    out.sort(key=lambda j: (j.state.get("created", 0), j.id))
    return out


def latest_unfinished(base: Optional[Union[str, Path]] = None, endpoint: Optional[str] = None,
                      access_id: Optional[str] = None) -> Optional[Journal]:
    """The most recent journal that can be resumed (not finished, discarded or a dry run), of
    the given endpoint and account when they are given."""
    for journal in reversed(list_journals(base)):
        if not journal.pending:
            continue
        if endpoint is not None and journal.state.get("endpoint") not in (None, "", endpoint):
            continue
        if access_id is not None and journal.state.get("access_id") not in (None, "", access_id):
            continue
        return journal
    return None


def prune(base: Optional[Union[str, Path]] = None, older_than_days: float = 30.0) -> int:
    """Delete finished (or discarded) journals older than ``older_than_days``; unfinished ones
    are kept. Returns how many."""
    limit = time.time() - older_than_days * 86400.0
    removed = 0
    for journal in list_journals(base):
        if (journal.finished or journal.discarded) and float(journal.state.get("updated", 0)) < limit:
            journal.remove()
            removed += 1
    return removed
