"""Interrupted submissions: one per scene, said plainly, resumed or discarded.

A submission that stopped after its task was (or may have been) created is *pending*: its
journal can carry it on with the same task (:func:`renderbus_dcc.submission.resume`).
Submitting the same scene again while one is pending would make a second task, and a later
resume would render the scene twice, so :func:`renderbus_dcc.submission.submit` refuses with
:class:`PendingSubmission` unless told what to do: resume it, discard it, or submit anew
beside it. Every front end asks the artist (the CLI's prompt or ``--resume/--discard/--new``,
the Qt submitter's dialog, Blender's popup) with the words of :func:`describe`.

Discarding deletes the submission's never-submitted task on the farm (a task that turns out
to have been submitted is left alone, and said so) and marks the journal given up. A pending
submission that never got as far as creating its task holds nothing on the farm: a new
submission of the scene replaces it without asking.
"""

import logging
from pathlib import Path
from typing import Any, List, Optional, Union

from renderbus_dcc.errors import SubmissionError
from renderbus_dcc.i18n import _, ngettext
from renderbus_dcc.journal import Journal, list_journals

__all__ = ["PendingSubmission", "scene_key", "interrupted_for", "left_behind", "describe", "discard",
           "drop_stale", "CHOICES"]

log = logging.getLogger(__name__)

#: What an artist can do about a pending submission of the scene they submit.
CHOICES = ("resume", "discard", "new")


class PendingSubmission(SubmissionError):
    """The scene has an interrupted submission; ``journal`` is it. Resume, discard, or submit anew."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        super().__init__(
            _("%(scene)s has an interrupted submission (%(what)s)")
            % {"scene": journal.data.get("scene_name") or _("the scene"), "what": left_behind(journal)},
            _("resume it (`renderbus submit SCENE --resume`), discard it and submit again (`--discard`), "
              "or submit anew beside it (`--new`)"))


def scene_key(scene_file: str) -> str:
    """One spelling of a scene file's path (Windows paths compared without case)."""
    from renderbus_dcc import paths

    return paths.path_key(paths.normalise(str(scene_file or "")))


def _of_account(journal: Journal, client: Any) -> bool:
    for key in ("endpoint", "access_id"):
        mine, theirs = str(getattr(client, key, "") or ""), str(journal.state.get(key) or "")
        if mine and theirs and mine != theirs:
            return False
    return True


def _for_scene(scene: Any, client: Any, base: Optional[Union[str, Path]]) -> List[Journal]:
    key = scene_key(getattr(scene, "scene_file", "") or "")
    if not key:
        return []
    return [j for j in list_journals(base)
            if j.pending and j.state.get("scene_key") == key and _of_account(j, client)]


def interrupted_for(scene: Any, client: Any, base: Optional[Union[str, Path]] = None) -> Optional[Journal]:
    """The latest pending submission of ``scene`` (a SceneDescription) by this account that
    got as far as creating its task, or None."""
    found = [j for j in _for_scene(scene, client, base) if j.reached("creating")]
    return found[-1] if found else None


def drop_stale(scene: Any, client: Any, base: Optional[Union[str, Path]] = None) -> int:
    """Give up the pending submissions of ``scene`` that stopped before creating a task (they
    hold nothing on the farm); returns how many."""
    stale = [j for j in _for_scene(scene, client, base) if not j.reached("creating")]
    for journal in stale:
        journal.update(discarded=True)
    return len(stale)


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return ("%d %s" if unit == "B" else "%.1f %s") % (n, unit)
        n /= 1024.0
    return "%d B" % n  # pragma: no cover


def left_behind(journal: Journal) -> str:
    """What the submission left on the farm, in the artist's words (one clause)."""
    task = journal.data.get("alias") or journal.task_id
    if journal.finished:
        return _("task %s is submitted") % task
    if not journal.reached("creating"):
        return _("nothing reached the farm")
    if not task:
        return _("its task may have been created; the next step finds it")
    files = journal.data.get("files") or []
    done = journal.uploaded()
    bid = str((journal.data.get("bids") or {}).get("input", ""))
    sent = [f for f in files if bid and "%s:%s" % (bid, f[1]) in done]
    if journal.reached("uploaded"):
        upload = _("every file is uploaded")
    elif sent or journal.reached("cfg_uploaded"):
        upload = ngettext("%(done)d of %(total)d files (%(size)s of %(all)s) is uploaded",
                          "%(done)d of %(total)d files (%(size)s of %(all)s) are uploaded", len(sent)) % {
            "done": len(sent), "total": len(files), "size": _size(sum(int(f[2]) for f in sent)),
            "all": _size(sum(int(f[2]) for f in files))}
    else:
        upload = _("no file is uploaded yet")
    return _("task %(task)s is created and not submitted (it renders nothing); %(upload)s") % {
        "task": task, "upload": upload}


def describe(journal: Journal) -> str:
    """One sentence for a pending submission: scene, when, what it left behind."""
    import time

    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(float(journal.data.get("updated") or 0)))
    return _("%(scene)s, %(when)s: %(what)s") % {
        "scene": journal.data.get("scene_name") or _("a scene"), "when": when, "what": left_behind(journal)}


def discard(journal: Journal, client: Any = None, transfer: Any = None) -> str:
    """Give up ``journal``'s submission: delete its never-submitted task on the farm, mark the
    journal discarded. Returns what was done. A task that was submitted after all is kept
    (SubmissionError says so: it renders; nothing was discarded)."""
    from renderbus_dcc import recovery

    if journal.finished:
        raise SubmissionError(_("submission %(id)s was completed: task %(task)s is rendering")
                              % {"id": journal.id, "task": journal.data.get("alias") or journal.task_id},
                              hint=_("stop it with `renderbus tasks abort %s` if it should not render")
                              % journal.task_id)
    if journal.discarded or journal.data.get("dry_run_dir") or not journal.reached("creating"):
        journal.update(discarded=True)
        return _("discarded submission %s; nothing was on the farm") % journal.id
    if client is None:
        raise SubmissionError(_("discarding submission %s needs the farm, to delete its task") % journal.id)
    if not _of_account(journal, client):
        raise SubmissionError(_("submission %(id)s was made with another account or endpoint (%(where)s)")
                              % {"id": journal.id, "where": journal.data.get("endpoint")},
                              hint=_("discard it with the same account and endpoint"))
    ids = [journal.task_id] if journal.task_id else [t.id for t in recovery.lost_tasks(client, journal, transfer)]
    deleted = []
    for task_id in ids:
        task = recovery.task_state(client, int(task_id))
        if task is None:
            continue  # gone already
        if recovery.is_submitted(task):
            journal.update("submitted", finished=True, error="")
            raise SubmissionError(
                _("the interrupted submission %(id)s had reached the farm after all: task %(task)s is submitted "
                  "and renders; nothing was discarded") % {"id": journal.id, "task": task.alias or task_id},
                hint=_("follow it with `renderbus watch %s`") % task_id)
        recovery.settle(lambda: client.delete_task([int(task_id)]), None, "deleteTask")
        deleted.append(str(task.alias or task_id))
    journal.update(discarded=True, error="discarded")
    if deleted:
        return _("discarded submission %(id)s and deleted its unsubmitted task %(task)s") % {
            "id": journal.id, "task": ", ".join(deleted)}
    return _("discarded submission %s; its task was not on the farm") % journal.id
