"""Finding out what a state-changing call did when its answer was lost.

A call that changes state is sent once: a blind second send could make a second task or
render a scene twice. When its outcome is unknown (:func:`~renderbus_dcc.errors.outcome_unknown`:
a connection lost after sending, a timeout, HTTP 5xx, a garbled answer), the pipeline asks the
farm by a query whether it took, and only then sends it again or reports a failure
(:func:`settle`): addRenderEnv (is the environment there?), createTask (is there a task that is
provably this submission's? :func:`lost_tasks`), submitTask (is the task submitted?
:func:`is_submitted`); setDefaultRenderEnv and deleteTask change nothing more when repeated.

A lost createTask answer. The journal writes the intent before the call: the highest task id
the account was known to have (its task list and the local journals), and the submission's
token. Unsubmitted tasks are not in getTaskList, so the ids after that one are asked about one
by one (ids grow; another account's task answers 403, a run of 404s means the end).

- v2: createTask takes ``labels`` and ``artist``; the submission sends its token in ``artist``
  (``"<login> rb-<token>"``; a label would show as the task's project). A task whose artist
  carries the token is provably this submission's; one that carries another is not. Where the
  service does not tell a task's artist back, v1's rule applies.
- v1: createTask takes only ``count`` and ``outUserId``, so nothing of the submission's can
  ride on it. A task is taken by elimination: of this account, never submitted, holding no
  task files (where the transfer can tell), named by no journal here, and the only such one
  after the known id. Two such tasks (two workstations of one account losing answers at the
  same moment) are ambiguous: none is taken, a new task is made and the lost one stays an
  empty shell (never submitted: it renders nothing and costs nothing). The risk left: a
  workstation whose createTask never reached the farm, finding only another workstation's
  task in the instant between its creation and its task files, would take it; the task files
  the other then finds there are not its own, and it stops rather than render the wrong scene.

Tasks a failure made and that are provably the submission's (its token) are deleted, never
left behind: a second task made because the first answer was lost while nothing was known to
count from (:func:`sweep`).
"""

import getpass
import logging
import time
from typing import Any, Callable, Iterable, List, Optional, Set

from renderbus_dcc.errors import ForbiddenError, NotFoundError, RenderbusError, outcome_unknown

__all__ = ["settle", "is_submitted", "task_state", "artist_for", "lost_tasks", "sweep", "holds_task_files",
           "PROBES", "ATTEMPTS"]

log = logging.getLogger(__name__)

#: How many task ids a recovery looks at.
PROBES = 64
#: Consecutive unknown ids (404) that end the look upwards.
_END_MISSES = 8
#: Sends of a state-changing call whose outcome stays unknown, before giving up: as many as a
#: safe call's attempts (the transport's 1 + 6 retries), each after a check that it had not taken.
#: (4 gave up in about 1 of 20 chaos submissions: four faults in a row on one createTask.)
ATTEMPTS = 7


def settle(action: Callable[[], Any], check: Optional[Callable[[], Any]], what: str,
           attempts: int = ATTEMPTS, pause: float = 0.2) -> Any:
    """``action()`` (a state-changing call), made to take exactly once.

    When its outcome is unknown, ``check()`` (queries) says whether it took: a truthy value is
    returned as the outcome; else the call is sent again. ``check`` None: the call changes
    nothing more when repeated, so it is simply sent again. A definite refusal (a protocol
    error code) is raised at once; the last unknown outcome after ``attempts`` sends."""
    last: Optional[BaseException] = None
    for attempt in range(attempts):
        try:
            return action()
        except RenderbusError as exc:
            if not outcome_unknown(exc):
                raise
            last = exc
            log.info("%s: the answer was lost (%s); asking the farm whether it took", what, exc)
        if check is not None:
            found = check()
            if found:
                log.info("%s had taken", what)
                return found
        time.sleep(pause * (attempt + 1))
    assert last is not None
    raise last


def task_state(client: Any, task_id: int) -> Optional[Any]:
    """The TaskInfo of ``task_id``, or None if the farm has no such task (deleted, never made)."""
    try:
        items = client.query_task_info([int(task_id)]).items
    except NotFoundError:
        return None
    return next((t for t in items if int(t.id) == int(task_id)), None)


def is_submitted(task: Any) -> bool:
    """True when ``task`` (a TaskInfo) was submitted: an unsubmitted task has no scene, no
    frames, no submit date, and waits."""
    from renderbus_dcc.constants import TaskStatus

    return bool(task.submit_date or task.scene_name or task.total_frames) or task.status not in (
        TaskStatus.WAITING, int(TaskStatus.WAITING))


def artist_for(token: str) -> str:
    """createTask's ``artist`` carrying ``token``: who made the task, and the token."""
    try:
        login = getpass.getuser()
    except Exception:  # no login name (a service account): the token alone
        login = ""
    return ("%s rb-%s" % (login, token)).strip()[:64]


def holds_task_files(client: Any, backend: Any, task_id: int, config_bid: str) -> Optional[bool]:
    """Whether a task has task files on the farm (any byte of task.json or upload.json), or
    None when the transfer cannot tell."""
    if backend is None:
        return None
    paths = ["/%d/cfg/task.json" % task_id, "/%d/cfg/upload.json" % task_id]
    held = backend.status(paths, config_bid)
    if held is None:
        return None
    return any(state.get("complete") or state.get("size") or state.get("partial") for state in held.values())


def _owned(journal: Any) -> Set[int]:
    from renderbus_dcc.journal import list_journals

    return {j.task_id for j in list_journals(journal.path.parent) if j.task_id and j.id != journal.id}


def _ids_after(known: int) -> Iterable[int]:
    return range(known + 1, known + 1 + PROBES)


def lost_tasks(client: Any, journal: Any, backend: Any = None) -> List[Any]:
    """The tasks a createTask of ``journal`` made whose answer never reached it (oldest first;
    usually none or one), found as the module's docstring says. [] when nothing is known to
    count from, or when none is provably this submission's."""
    intent = journal.data.get("create_intent") or {}
    known = int(intent.get("max_known_id") or 0)
    if known <= 0:
        return []
    token = journal.token if intent.get("token_sent") else ""
    owned = _owned(journal)
    config_bid: List[str] = []
    mine: List[Any] = []
    candidates: List[Any] = []
    told = False
    misses = 0
    for task_id in _ids_after(known):
        try:
            task = task_state(client, task_id)
        except ForbiddenError:  # another account's
            misses = 0
            continue
        if task is None:
            misses += 1
            if misses >= _END_MISSES:
                break
            continue
        misses = 0
        if is_submitted(task):
            continue
        if token and task.artist is not None:
            told = True
            if token in task.artist:
                mine.append(task)
            continue
        if task_id in owned:
            continue
        if not config_bid:
            config_bid.append(str(client.get_transfer_bid().config_bid))
        if holds_task_files(client, backend, task_id, config_bid[0]):
            continue  # another submission's: it has begun writing its task files
        candidates.append(task)
    if token and (told or mine):
        return mine
    if len(candidates) > 1:
        log.warning("createTask's answer was lost and tasks %s could each be the one it made; taking none",
                    ", ".join(str(t.id) for t in candidates))
        return []
    return candidates


def sweep(client: Any, journal: Any, below: int) -> List[int]:
    """Delete the unsubmitted tasks below ``below`` that carry ``journal``'s token (tasks an
    earlier createTask of this submission made, whose answer was lost); returns their ids.
    Only where the token was sent and the farm tells a task's artist (v2)."""
    token = journal.token if (journal.data.get("create_intent") or {}).get("token_sent") else ""
    if not token:
        return []
    found: List[int] = []
    for task_id in range(below - 1, max(0, below - 1 - PROBES), -1):
        try:
            task = task_state(client, task_id)
        except ForbiddenError:
            continue
        if task is None:
            continue
        if task.artist is None:
            break  # the farm does not tell: nothing can be proven
        if token in task.artist and not is_submitted(task):
            found.append(task_id)
    if found:
        settle(lambda: client.delete_task(found), None, "deleteTask")
        log.info("deleted the empty task(s) %s an earlier createTask made", found)
    return found
