"""Background work: the network runs in threads, bpy only on the main thread.

A :class:`Job` runs one piece of work (``work(post, cancelled)``) in a daemon thread; the work
talks to the farm and calls ``post(name, payload)`` for everything the UI should show. The
messages wait in a queue that :func:`drain` empties on the main thread: it is a
``bpy.app.timers`` callback while anything runs (Blender never freezes), and tests call it
directly (timers do not fire in module mode). The same work also runs blocking, for scripts
(:func:`run_blocking`): the messages are then applied as they come, in the calling thread.

Cancel: ``cancelled()`` becomes True; the submission's progress callback returns False, so the
core raises ``Cancelled``, whose message says what the submission left behind; its journal
keeps a created task for a resume, and the next Submit of the scene asks what to do with it.
"""

import logging
import os
import queue
import tempfile
import threading
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

import bpy

from renderbus_dcc.i18n import N_, _, ngettext

__all__ = [
    "Job", "start", "run_blocking", "drain", "running", "cancel", "shutdown", "wait",
    "submit_work", "resume_work", "prepare_work", "COSTLY", "refresh_work", "action_work", "image_work", "connection_work",
    "follow", "load_progress_image_for_selection", "message_of", "MAIN_KINDS", "PROGRESS_IMAGE",
]

log = logging.getLogger(__name__)

#: Name of the image holding the selected task's progress image in bpy.data.images.
PROGRESS_IMAGE = "Renderbus Progress"
#: Seconds between timer calls while work runs.
TIMER_INTERVAL = 0.2

Post = Callable[[str, Any], None]
Work = Callable[[Post, Callable[[], bool]], Any]

#: (generation, kind, name, payload); messages of an older generation (before a shutdown) are dropped
_messages: "queue.Queue[Tuple[int, str, str, Any]]" = queue.Queue()
_generation = 0
_jobs: Dict[str, "Job"] = {}
_lock = threading.Lock()
_previews: Any = None


class Job:
    """One piece of background work of a ``kind`` (submit, validate, tasks, action, image, ...)."""

    def __init__(self, kind: str, work: Work) -> None:
        self.kind = kind
        self.work = work
        self.cancel_event = threading.Event()
        self.done = threading.Event()
        self.thread: Optional[threading.Thread] = None
        self.result: Any = None
        self.error: Optional[BaseException] = None
        self.generation = _generation

    def post(self, name: str, payload: Any = None) -> None:
        _messages.put((self.generation, self.kind, name, payload))

    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def run(self) -> None:
        try:
            self.result = self.work(self.post, self.cancelled)
        except BaseException as exc:  # reported to the UI, never lost in a thread
            self.error = exc
            log.debug("renderbus %s job failed", self.kind, exc_info=True)
            self.post("error", exc)
        finally:
            self.post("finished", None)  # queued before done: a drain after done sees it
            self.done.set()


def start(kind: str, work: Work) -> Job:
    """Run ``work`` in a background thread (one job per kind at a time) and follow it with a timer."""
    with _lock:
        old = _jobs.get(kind)
        if old is not None and not old.done.is_set():
            raise RuntimeError(_("a Renderbus %s is already running") % _(KIND_LABELS.get(kind, kind)))
        job = Job(kind, work)
        _jobs[kind] = job
    from .translations import sync_language

    sync_language()  # the core's messages in Blender's language (main thread)
    _apply(kind, "started", None)
    job.thread = threading.Thread(target=job.run, name="renderbus-%s" % kind, daemon=True)
    job.thread.start()
    _ensure_timer()
    return job


def run_blocking(kind: str, work: Work) -> Job:
    """Run ``work`` in this (the main) thread, applying its messages as they come. Returns the job."""
    job = Job(kind, work)
    _apply(kind, "started", None)

    def post(name: str, payload: Any = None) -> None:
        _apply(kind, name, payload)

    job.post = post  # type: ignore[assignment]
    job.run()
    return job


def running(kind: Optional[str] = None) -> bool:
    """True while a background job (of ``kind``, or any) is running."""
    return any(not job.done.is_set() for k, job in list(_jobs.items()) if kind is None or k == kind)


def cancel(kind: str = "submit") -> bool:
    """Ask the running job of ``kind`` to stop; False if none runs."""
    job = _jobs.get(kind)
    if job is None or job.done.is_set():
        return False
    job.cancel_event.set()
    return True


def wait(kind: str, timeout: float = 60.0) -> Optional[Job]:
    """Wait for the job of ``kind`` to end, draining messages meanwhile (tests, scripts)."""
    job = _jobs.get(kind)
    deadline = time.monotonic() + timeout
    while job is not None and not job.done.wait(0.05):
        drain()
        if time.monotonic() > deadline:
            raise TimeoutError("the Renderbus %s job did not end in %.0f s" % (kind, timeout))
    drain()
    return job


def shutdown() -> None:
    """Cancel every job and stop following tasks (add-on disabled, Blender quitting)."""
    global _generation, _follow_thread, _follow_monitor
    _generation += 1
    for job in list(_jobs.values()):
        job.cancel_event.set()
    _follow_stop.set()
    _follow_thread = _follow_monitor = None
    if bpy.app.timers.is_registered(drain):
        bpy.app.timers.unregister(drain)
    global _previews
    if _previews is not None:
        from bpy.utils import previews

        previews.remove(_previews)
        _previews = None
    with _lock:
        _jobs.clear()


def _ensure_timer() -> None:
    if not bpy.app.timers.is_registered(drain):
        bpy.app.timers.register(drain, first_interval=TIMER_INTERVAL, persistent=True)


def drain() -> Optional[float]:
    """Apply every waiting message to the UI state (main thread). A ``bpy.app.timers`` callback:
    returns the next interval while work runs, None when there is nothing left to follow."""
    changed = False
    while True:
        try:
            generation, kind, name, payload = _messages.get_nowait()
        except queue.Empty:
            break
        if generation != _generation:
            continue
        try:
            _apply(kind, name, payload)
        except Exception:  # a bad message must not kill the timer
            log.exception("renderbus: could not show %s/%s", kind, name)
        changed = True
    if changed:
        _redraw()
    return TIMER_INTERVAL if (running() or _following()) else None


def _redraw() -> None:
    wm = getattr(bpy.context, "window_manager", None)
    for window in getattr(wm, "windows", ()):
        for area in window.screen.areas:
            if area.type in ("PROPERTIES", "PREFERENCES"):
                area.tag_redraw()


# --------------------------------------------------------------------------------------------
# Applying messages to the UI state (main thread)


def _state() -> Any:
    return bpy.context.window_manager.renderbus


def _error_text(exc: BaseException) -> str:
    from renderbus_dcc.errors import Cancelled

    from renderbus_dcc.pending import PendingSubmission

    if isinstance(exc, Cancelled):  # what it actually left behind, as the core says it
        return str(exc.args[0] if exc.args else "") or _("Cancelled")
    if isinstance(exc, PendingSubmission):  # Blender's words for the choice, not the command line's
        return _("%s: choose in Submit's popup, or run bpy.ops.renderbus.submit(interrupted='RESUME', "
                 "'DISCARD' or 'NEW')") % exc.args[0]
    return str(exc) or type(exc).__name__


#: Jobs shown by the main panel's status line and progress bar; the others (task list,
#: task actions, progress images) report in the Tasks sub-panel.
MAIN_KINDS = ("submit", "validate", "connection")
#: What a job of each kind is called where the user reads it.
KIND_LABELS = {"submit": N_("submission"), "validate": N_("check"), "connection": N_("connection test"),
               "refresh": N_("task list refresh"), "action": N_("task action"), "image": N_("progress image")}
#: The status line of a job that just started.
STARTED = {"connection": N_("Connecting..."), "submit": N_("Submitting..."), "validate": N_("Checking the scene...")}


def message_of(kind: str) -> str:
    """The last message shown for a job of ``kind``."""
    state = _state()
    return state.job_message if kind in MAIN_KINDS else state.tasks_message


def _apply(kind: str, name: str, payload: Any) -> None:
    state = _state()
    main = kind in MAIN_KINDS
    if name == "started":
        if main:
            state.job_kind, state.job_running, state.job_error = kind, True, ""
            state.job_progress, state.job_stage = 0.0, ""
            state.job_message = _(STARTED.get(kind, N_("Working...")))
        else:
            state.tasks_message = ""
    elif name == "finished":
        if main and state.job_kind == kind:
            state.job_running = False
    elif name == "error":
        text = _error_text(payload)
        if not main:
            state.tasks_message = text
            return
        state.job_kind, state.job_error, state.job_message = kind, text, text
        if kind == "submit":  # a task left behind: Resume carries it on
            state.interrupted_id = str(getattr(payload, "journal_id", "") or "") \
                if getattr(payload, "task_id", None) else ""
        _set_issues_from_error(state, payload)
    elif name == "call":  # main-thread continuation of a job (operators' "after")
        payload()
    elif name == "message":
        if main:
            state.job_message = str(payload)
        else:
            state.tasks_message = str(payload)
    elif name == "progress":
        _show_progress(state, payload)
    elif name == "prepared":
        _show_preparation(state, payload)
    elif name == "submitted":
        state.interrupted_id = ""
        state.last_task_id, state.last_task_alias = payload.task_id, payload.alias or ""
        state.job_progress, state.job_stage = 1.0, "done"
        state.job_message = _("Submitted task %(task)s (%(files)d files, %(size)s)") % {
            "task": payload.alias or payload.task_id, "files": payload.files, "size": _size(payload.bytes)}
    elif name == "account":
        state.account = payload
    elif name == "tasks":
        _show_tasks(state, payload, replace=True)
        _frames_home(payload)
    elif name == "snapshots":
        _show_tasks(state, payload, replace=False)
        _frames_home(payload)
    elif name == "image":
        _show_image(state, *payload)


def _frames_home(snapshots: List[Any]) -> None:
    """Finished frames of followed tasks come home; the selected task's forecast follows (downloads.py)."""
    from . import downloads

    downloads.snapshots_shown(snapshots)


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return ("%d %s" if unit == "B" else "%.1f %s") % (n, unit)
        n /= 1024.0
    return str(n)


def _show_progress(state: Any, progress: Any) -> None:
    state.job_stage = progress.stage
    if progress.bytes_total:
        state.job_progress = min(1.0, progress.bytes_done / float(progress.bytes_total))
    elif progress.files_total:
        state.job_progress = min(1.0, progress.files_done / float(progress.files_total))
    text = progress.message or progress.stage.capitalize()
    if progress.stage == "upload" and progress.files_total:
        text = _("Uploading %(done)d/%(files)d files, %(sent)s of %(size)s") % {
            "done": progress.files_done, "files": progress.files_total, "sent": _size(progress.bytes_done),
            "size": _size(progress.bytes_total)}
    state.job_message = text


def _set_issues(state: Any, issues: List[Any]) -> None:
    state.issues.clear()
    for issue in issues:
        item = state.issues.add()
        item.severity = str(getattr(getattr(issue, "severity", ""), "value", getattr(issue, "severity", "")))
        item.code = str(getattr(issue, "code", ""))
        item.message = str(getattr(issue, "message", ""))
        item.hint = str(getattr(issue, "hint", "") or "")


def _set_issues_from_error(state: Any, exc: BaseException) -> None:
    report = getattr(exc, "report", None)
    if report is not None:
        _set_issues(state, list(report.issues))
        state.validated = True


def _show_preparation(state: Any, prep: Any) -> None:
    env = prep.env
    if env is not None:
        software = "%s %s" % (env.cg_name, env.cg_version)
        # the environment's name where it says more than the software ("Blender 4.5" twice is noise)
        state.env_summary = software + (" · %s" % env.env_name if env.env_name and env.env_name != software else "")
        state.env_reason = env.reason or ""
        state.plugins = ", ".join(
            "%s %s" % (p.name, p.version or p.wanted or "") for p in getattr(env, "plugins", []) or []).strip()
    _set_issues(state, list(prep.report.issues) if prep.report is not None else [])
    state.validated = True
    if getattr(prep, "profile", None) is not None:
        state.account = _account_line(prep.profile)


def _account_line(profile: Any) -> str:
    balance = getattr(profile, "rmb_balance", 0) or getattr(profile, "usd_balance", 0) or 0
    return _("%(user)s (id %(id)s) · balance %(balance)s") % {
        "user": getattr(profile, "user_name", "") or "?", "id": getattr(profile, "user_id", ""), "balance": balance}


def _status_name(status: Any) -> str:
    from renderbus_dcc.labels import lower_label

    return lower_label(status)


def _show_tasks(state: Any, snapshots: List[Any], replace: bool) -> None:
    """Fill the task list from monitor snapshots (replace: the whole recent list; else update)."""
    selected = state.tasks[state.task_index].task_id if 0 <= state.task_index < len(state.tasks) else 0
    if replace:
        state.tasks.clear()
    by_id = {item.task_id: item for item in state.tasks}
    selected_moved = False
    for snap in snapshots:
        item = by_id.get(snap.task_id)
        if item is None:
            if not replace:
                continue
            item = state.tasks.add()
            item.task_id = snap.task_id
        if not replace and item.task_id == selected and snap.frames_done != item.frames_done:
            selected_moved = True
        item.alias = snap.alias or ""
        item.scene_name = snap.scene_name or ""
        item.status = _status_name(snap.status)
        item.status_text = getattr(snap, "error", "") or item.status
        item.finished = bool(snap.finished)
        item.frames_total, item.frames_done = snap.frames_total, snap.frames_done
        item.frames_failed, item.frames_running = snap.frames_failed, snap.frames_running
        item.percent = max(0.0, min(100.0, float(snap.percent)))
        item.cost = float(snap.cost)
    if replace and selected:
        for index, item in enumerate(state.tasks):
            if item.task_id == selected and state.task_index != index:
                state["task_index"] = index  # no update callback: the image stays
    if selected_moved:  # a frame finished on the selected task: show its newer image
        load_progress_image_for_selection()


def _show_image(state: Any, task_id: int, png: bytes) -> None:
    """Put the PNG ``png`` into bpy.data.images (packed) and into a UI preview icon."""
    if not png:
        return
    image = bpy.data.images.get(PROGRESS_IMAGE)
    if image is not None:
        bpy.data.images.remove(image)
    image = bpy.data.images.new(PROGRESS_IMAGE, 1, 1)
    image.source = "FILE"
    image.pack(data=png, data_len=len(png))
    state.progress_image = image.name
    # the panel shows it as an icon: previews load from a file
    folder = os.path.join(tempfile.gettempdir(), "renderbus_blender")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "progress_%d.png" % task_id)
    with open(path, "wb") as handle:
        handle.write(png)
    global _previews
    from bpy.utils import previews

    if _previews is None:
        _previews = previews.new()
    if "progress" in _previews:
        del _previews["progress"]
    preview = _previews.load("progress", path, "IMAGE", force_reload=True)
    state.progress_icon = preview.icon_id


# --------------------------------------------------------------------------------------------
# The work (background threads: no bpy in here)


def _options(settings: Dict[str, Any]) -> Any:
    from renderbus_dcc.submission import SubmitOptions

    return SubmitOptions.from_settings(settings)


def prepare_work(scene: Any, client: Any, settings: Dict[str, Any]) -> Work:
    """Environment choice, asset check and validation (queries only)."""
    def work(post: Post, cancelled: Callable[[], bool]) -> Any:
        from renderbus_dcc import submission

        post("message", _("Checking the scene..."))
        prep = submission.prepare(scene, client, _options(settings))
        post("prepared", prep)
        post("message", _("Ready to submit") if prep.report.ok else _("Fix the errors below before submitting"))
        return prep
    return work


#: Warnings that ask before money is spent (the others are listed in the panel and do not block).
COSTLY = ("frames_many", "cost_high")


def submit_work(scene: Any, client: Any, settings: Dict[str, Any], interrupted: Optional[str] = None,
                confirmed: bool = False) -> Work:
    """Prepare, then submit (create the task, upload, submitTask); follow the task afterwards.
    ``interrupted``: what to do with the scene's interrupted submission (see the core's submit);
    ``confirmed``: the artist accepted a frame count or forecast cost above the thresholds."""
    def work(post: Post, cancelled: Callable[[], bool]) -> Any:
        from renderbus_dcc import submission
        from renderbus_dcc.errors import Cancelled

        options = _options(settings)
        if interrupted == "resume":  # carry on the one the artist chose: nothing to prepare
            return resume_work(client)(post, cancelled)
        post("message", _("Checking the scene..."))
        prep = submission.prepare(scene, client, options)
        post("prepared", prep)
        if cancelled():
            raise Cancelled(_(submission.NOTHING_LEFT))

        def on_progress(progress: Any) -> bool:
            post("progress", progress)
            return not cancelled()

        def confirm(report: Any) -> bool:  # warnings are listed in the panel; only the costly ones ask
            costly = [w for w in report.warnings if w.code in COSTLY]
            if costly and not confirmed:
                raise Cancelled(_("%s Not submitted: press Submit again to confirm, or run "
                                  "bpy.ops.renderbus.submit(confirmed=True)") % costly[0].message)
            return not cancelled()

        result = submission.submit(scene, client, options, on_progress=on_progress, confirm=confirm, preparation=prep,
                                   interrupted=interrupted)
        post("submitted", result)
        return result
    return work


def resume_work(client: Any, journal_id: Optional[str] = None, scene: Any = None) -> Work:
    """Carry on an interrupted submission: ``journal_id``'s, else ``scene``'s, else the latest
    (same task, only what is missing is uploaded)."""
    def work(post: Post, cancelled: Callable[[], bool]) -> Any:
        from renderbus_dcc import pending, submission

        def on_progress(progress: Any) -> bool:
            post("progress", progress)
            return not cancelled()

        chosen = journal_id
        if not chosen and scene is not None:
            chosen = getattr(pending.interrupted_for(scene, client), "id", None)
        result = submission.resume(client, chosen or None, on_progress=on_progress)
        post("submitted", result)
        return result
    return work


def refresh_work(client: Any, page_size: int = 20) -> Work:
    """The user's recent tasks, as snapshots (the list, then one queryTaskInfo for the details
    a list item may lack: child tasks and their frame counts)."""
    def work(post: Post, cancelled: Callable[[], bool]) -> Any:
        from renderbus_dcc.monitor import snapshot

        items = client.get_task_list(page_num=1, page_size=page_size).items
        details = {info.id: info for info in client.query_task_info([i.id for i in items]).items} if items else {}
        snaps = [snapshot(details.get(item.id, item)) for item in items]
        post("tasks", snaps)
        post("message", ngettext("%d recent task", "%d recent tasks", len(snaps)) % len(snaps))
        return snaps
    return work


#: task_action enum -> client method
ACTIONS = {"STOP": "stop_task", "START": "start_task", "ABORT": "abort_task", "RETRY_FAILED": "restart_failed_frames"}
#: task_action enum -> what the status line says when it is done (%s: the task ids)
ACTION_DONE = {"STOP": N_("Stopped task %s"), "START": N_("Started task %s"), "ABORT": N_("Aborted task %s"),
               "RETRY_FAILED": N_("Rendering the failed frames of task %s again")}


def action_work(client: Any, action: str, task_ids: List[int]) -> Work:
    """Stop / start / abort / retry the failed frames of tasks, then refresh them."""
    def work(post: Post, cancelled: Callable[[], bool]) -> Any:
        from renderbus_dcc.monitor import snapshot

        getattr(client, ACTIONS[action])(task_ids)
        post("message", _(ACTION_DONE[action]) % ", ".join(map(str, task_ids)))
        page = client.query_task_info(task_ids)
        snaps = [snapshot(info) for info in page.items]
        post("snapshots", snaps)
        return snaps
    return work


def image_work(client: Any, task_id: int) -> Work:
    """Fetch the task's progress image (the latest frame block that has one)."""
    def work(post: Post, cancelled: Callable[[], bool]) -> Any:
        info = client.load_task_process_img(task_id)
        blocks = [block for row in (info.blocks or []) for block in row if getattr(block, "grab_url", "")]
        if not blocks:
            return None
        block = max(blocks, key=lambda b: (int(getattr(b, "frame_index", 0) or 0), -int(getattr(b, "frame_block", 0) or 0)))
        png = client.fetch(block.grab_url)
        post("image", (task_id, png))
        return block
    return work


def connection_work(client: Any) -> Work:
    """Ask for the user's profile: proves the endpoint, id, key and platform are right."""
    def work(post: Post, cancelled: Callable[[], bool]) -> Any:
        profile = client.query_user_profile()
        line = _account_line(profile)
        post("account", line)
        post("message", _("Connected: %s") % line)
        return profile
    return work


# --------------------------------------------------------------------------------------------
# Following tasks


_follow_stop = threading.Event()
_follow_thread: Optional[threading.Thread] = None
_follow_monitor: Any = None


def _following() -> bool:
    return _follow_thread is not None and _follow_thread.is_alive()


def follow(client: Any, task_ids: List[int], interval: float = 5.0) -> None:
    """Follow ``task_ids`` with the core's TaskMonitor in a thread until they end (or shutdown)."""
    global _follow_thread, _follow_monitor, _follow_stop
    if _following() and _follow_monitor is not None:
        for task_id in task_ids:
            _follow_monitor.add(task_id)
        return
    from renderbus_dcc.monitor import TaskMonitor

    stop = _follow_stop = threading.Event()  # a fresh one: an old thread keeps its own, set
    generation = _generation

    def on_snapshot(snaps: List[Any]) -> bool:
        _messages.put((generation, "tasks", "snapshots", snaps))
        return not stop.is_set()

    _follow_monitor = TaskMonitor(client, task_ids, interval=interval, on_snapshot=on_snapshot)
    _follow_thread = threading.Thread(
        target=_follow_monitor.run, kwargs={"stop_event": stop}, name="renderbus-follow", daemon=True)
    _follow_thread.start()
    _ensure_timer()


def load_progress_image_for_selection() -> None:
    """Start fetching the selected task's progress image (called when the selection changes)."""
    state = _state()
    if not (0 <= state.task_index < len(state.tasks)) or running("image"):
        return
    from . import preferences

    if not preferences.online_access():
        return
    try:
        client = preferences.make_client()
    except Exception as exc:
        state.tasks_message = str(exc)
        return
    start("image", image_work(client, state.tasks[state.task_index].task_id))
