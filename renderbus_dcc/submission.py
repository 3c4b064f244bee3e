"""Submitting a scene: one function for the command line, the Qt submitter and Blender alike.

``submit(scene, client, options)`` runs the whole pipeline:

1. prepare: what the farm offers (software, plugins, the user's environments), the assets on
   disk, pre-flight validation (queries only; :func:`prepare` can run on its own first);
2. the render environment: reuse the user's matching one, else ``addRenderEnv`` with a
   readable name (and ``setDefaultRenderEnv`` on request);
3. ``createTask``: a task id;
4. the four task files (:mod:`renderbus_dcc.taskfiles`), uploaded with the config bid;
5. the scene and the assets, uploaded with the input bid;
6. ``submitTask``.

Every step is written to a :class:`~renderbus_dcc.journal.Journal` as it happens, so that
:func:`resume` carries on after a crash, a lost network, a cancel or a closed application
with the same task id, and never creates a second task. Queries and uploads retry by
themselves; a state-changing call whose answer was lost is settled by a query before it is
sent again or reported (:mod:`renderbus_dcc.recovery`, which also recovers a lost createTask
answer). A scene with an interrupted submission is not submitted again without the artist
saying what to do with it (:mod:`renderbus_dcc.pending`).

Callbacks: ``on_progress(SubmitProgress)`` is called often (return False to cancel: raises
:class:`~renderbus_dcc.errors.Cancelled`, whose message says what was left behind);
``confirm(ValidationReport) -> bool`` is asked when validation found warnings (a frame count
or forecast cost above the settings' thresholds is one).
"""

from __future__ import annotations

import copy
import logging
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Tuple, Union

from renderbus_dcc import pending, recovery
from renderbus_dcc.errors import (Cancelled, RenderbusError, SubmissionError, TransferError, ValidationFailed)
from renderbus_dcc.i18n import N_, _
from renderbus_dcc.journal import Journal, latest_unfinished, list_journals, prune
from renderbus_dcc.i18n import _

if TYPE_CHECKING:  # pragma: no cover
    from renderbus_dcc.assets import AssetCollection
    from renderbus_dcc.environment import EnvChoice
    from renderbus_dcc.models import UserProfile
    from renderbus_dcc.scene import SceneDescription
    from renderbus_dcc.transfer.base import TransferBackend, TransferProgress
    from renderbus_dcc.validation import ValidationReport

log = logging.getLogger(__name__)

__all__ = ["SubmitOptions", "Preparation", "SubmitProgress", "SubmitResult", "STAGES", "NOTHING_LEFT",
           "effective_scene", "cost_per_frame", "prepare", "submit", "resume"]

STAGES = ("prepare", "create", "taskfiles", "upload", "submit", "done")


@dataclass
class SubmitOptions:
    """What the user chose for this submission (the scene's own values where None/empty)."""

    frames: Optional[str] = None
    layers: Optional[List[str]] = None
    cameras: Optional[List[str]] = None
    label: str = ""
    env_name: Optional[str] = None
    make_default_env: bool = False
    frames_per_task: int = 1
    test_frames: str = ""  #: frames rendered first: "first,middle,last", "1,50" (see renderbus_dcc.testframes)
    stop_after_test: bool = False  #: pause the task once the test frames are done
    ram: int = 64
    dry_run_dir: Optional[str] = None
    #: frames rendered / forecast cost above which the submission asks first (None: the settings')
    confirm_frames: Optional[int] = None
    confirm_cost: Optional[float] = None

    _SETTINGS = ("frames", "layers", "cameras", "label", "env_name", "test_frames", "stop_after_test")

    @classmethod
    def from_settings(cls, d: Optional[Dict[str, Any]]) -> "SubmitOptions":
        """Options from the settings a host stored with the scene (unknown keys ignored)."""
        d = d or {}
        kwargs = {k: d[k] for k in cls._SETTINGS if d.get(k) not in (None, "", [])}
        for key in ("layers", "cameras"):
            if isinstance(kwargs.get(key), str):
                kwargs[key] = [p.strip() for p in kwargs[key].split(",") if p.strip()]
        return cls(**kwargs)

    def to_settings(self) -> Dict[str, Any]:
        """The settings a host stores with the scene."""
        return {k: getattr(self, k) for k in self._SETTINGS}

    def to_dict(self) -> Dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> "SubmitOptions":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})


@dataclass
class Preparation:
    """What :func:`prepare` found. ``scene`` is the scene with the options applied."""

    env: "EnvChoice"
    assets: "AssetCollection"
    report: "ValidationReport"
    profile: Optional["UserProfile"] = None
    scene: Optional["SceneDescription"] = None
    #: frames the farm would render (frames x layers x cameras) and the forecast cost (None: no history)
    frame_count: int = 0
    forecast: Optional[float] = None


@dataclass
class SubmitProgress:
    """Where a submission stands; ``stage`` is one of :data:`STAGES`."""

    stage: str
    files_done: int = 0
    files_total: int = 0
    bytes_done: int = 0
    bytes_total: int = 0
    current_file: str = ""
    message: str = ""


@dataclass
class SubmitResult:
    """A submitted (or exported) task."""

    task_id: int
    alias: str
    env_name: str
    files: int
    bytes: int
    journal_path: str
    dry_run_dir: Optional[str] = None


ProgressFn = Callable[[SubmitProgress], Optional[bool]]
ConfirmFn = Callable[["ValidationReport"], bool]


#: What a cancel before the task was created leaves: nothing (translated where shown).
NOTHING_LEFT = N_("Cancelled before anything reached the farm: no task was created.")


def _tell(on_progress: Optional[ProgressFn], progress: SubmitProgress) -> None:
    if on_progress is not None and on_progress(progress) is False:
        if progress.stage == "prepare":
            raise Cancelled(_(NOTHING_LEFT), hint=_("submit again when you are ready"))
        raise Cancelled("submission cancelled during %s" % progress.stage)  # said again by _say_what_is_left


# preparing --------------------------------------------------------------------------------
def effective_scene(scene: "SceneDescription", options: Optional[SubmitOptions] = None) -> "SceneDescription":
    """A copy of ``scene`` with the options' frames, layers and cameras applied."""
    options = options or SubmitOptions()
    # (the assets are shared, never changed here: a deep copy of 20,000 of them costs a second)
    out = copy.copy(scene)
    out.layers, out.cameras, out.extra = copy.deepcopy(scene.layers), list(scene.cameras), dict(scene.extra)
    out.assets, out.plugins = list(scene.assets), list(scene.plugins)
    if options.frames:
        from renderbus_dcc.frames import parse_frames

        parse_frames(options.frames)  # a bad spec fails here, with its message
        out.frames = options.frames
        for layer in out.layers:
            layer.frames = None
    if options.layers:  # unknown names are validation's to report
        for layer in out.layers:
            layer.renderable = layer.name in options.layers
    if options.cameras:
        from renderbus_dcc.validation import scene_cameras

        out.extra = dict(out.extra, scene_cameras=scene_cameras(scene))  # what validation checks the choice against
        if out.layers:
            for layer in out.layers:
                layer.cameras = list(options.cameras)
        else:
            out.extra = dict(out.extra, render_cameras=list(options.cameras))
            out.cameras = list(dict.fromkeys(list(options.cameras) + list(out.cameras)))
    return out


def _named_env(env: "EnvChoice", name: str, user_envs: List[Any]) -> "EnvChoice":
    from dataclasses import replace

    existing = next((e for e in user_envs if e.edit_name == name), None)
    return replace(env, env_name=name, existing=existing)


def cost_per_frame(client: Any, cg_id: int) -> Optional[float]:
    """What a frame of this application cost this account lately: its recent finished tasks'
    cost over their frames (None when it has none)."""
    from renderbus_dcc.constants import TaskStatus

    try:
        page = client.get_task_list(page_num=1, page_size=20,
                                    status_list=[int(TaskStatus.FINISHED), int(TaskStatus.FINISHED_HAS_FAILED)])
    except RenderbusError as exc:
        log.info("no cost history: %s", exc)
        return None
    done = [t for t in page.items if int(t.cg_id or 0) in (0, int(cg_id)) and t.done_frames and t.render_consume]
    frames = sum(t.done_frames for t in done)
    return sum(t.render_consume for t in done) / frames if frames else None


def prepare(scene: "SceneDescription", client: Any, options: Optional[SubmitOptions] = None) -> Preparation:
    """Everything submit needs to know, from queries only (nothing changes on the farm)."""
    from dataclasses import replace

    from renderbus_dcc.assets import collect_assets
    from renderbus_dcc.config import confirm_limits
    from renderbus_dcc.environment import choose_environment
    from renderbus_dcc.validation import frame_count, validate

    options = options or SubmitOptions()
    if options.confirm_frames is None or options.confirm_cost is None:
        frames_limit, cost_limit = confirm_limits()
        options = replace(options, confirm_frames=frames_limit if options.confirm_frames is None
                          else options.confirm_frames,
                          confirm_cost=cost_limit if options.confirm_cost is None else options.confirm_cost)
    eff = effective_scene(scene, options)
    software = client.query_supported_software()
    catalogue = client.query_supported_plugin(eff.cg_id)
    user_envs = client.get_render_env(eff.cg_id)
    env = choose_environment(eff, software, catalogue, user_envs)
    if options.env_name:
        env = _named_env(env, options.env_name, user_envs)
    assets = collect_assets(eff)
    count = frame_count(eff, options)
    per_frame = cost_per_frame(client, eff.cg_id) if options.confirm_cost else None
    forecast = per_frame * count if per_frame is not None else None
    report = validate(eff, assets, env, options, forecast=forecast)
    try:
        profile = client.query_user_profile()
    except RenderbusError as exc:  # the task files can do without the user id
        log.info("no user profile: %s", exc)
        profile = None
    return Preparation(env=env, assets=assets, report=report, profile=profile, scene=eff, frame_count=count,
                       forecast=forecast)


def _check(prep: Preparation, confirm: Optional[ConfirmFn]) -> None:
    report = prep.report
    if not report.ok:
        first = report.errors[0]
        more = len(report.errors) - 1
        raise ValidationFailed(
            (_("the scene cannot be submitted: %(first)s (and %(more)d more)") if more else _("the scene cannot be submitted: %(first)s")) % {"first": first.message, "more": more},
            hint=first.hint, report=report)
    prep.env.raise_for_errors()
    if report.warnings and confirm is not None and not confirm(report):
        raise Cancelled(_("submission cancelled at the warnings: nothing reached the farm"),
                        hint=_("fix the warnings, or accept them"))


# the journal's content ----------------------------------------------------------------------
def _env_record(env: "EnvChoice") -> Dict[str, Any]:
    return {
        "cg_id": int(env.cg_id), "cg_name": env.cg_name, "cg_version": env.cg_version,
        "plugin_ids": list(env.plugin_ids), "env_name": env.env_name,
        "existing": env.existing.edit_name if env.existing is not None else "",
    }


def _upload_items(assets: "AssetCollection") -> List[List[Any]]:
    items = [[f.local, f.server, int(f.size)] for f in assets.files]
    if assets.scene_file is not None:
        items.append([assets.scene_file.local, assets.scene_file.server, int(assets.scene_file.size)])
    return items


def _template(scene: "SceneDescription", prep: Preparation, options: SubmitOptions, client: Any) -> Dict[str, Any]:
    from renderbus_dcc.taskfiles import build_task_files

    user_id = int(getattr(prep.profile, "user_id", 0) or 0)
    return build_task_files(scene, prep.assets, task_id=0, user_id=user_id,
                            platform=int(getattr(client, "platform", 0) or 0), env=prep.env, report=prep.report,
                            label=options.label, frames_per_task=options.frames_per_task,
                            test_frames=options.test_frames, stop_after_test=options.stop_after_test,
                            ram=options.ram)


# submit -----------------------------------------------------------------------------------
def submit(scene: "SceneDescription", client: Any, options: Optional[SubmitOptions] = None, *,
           on_progress: Optional[ProgressFn] = None, confirm: Optional[ConfirmFn] = None,
           transfer: Optional["TransferBackend"] = None, preparation: Optional[Preparation] = None,
           journal_dir: Optional[Union[str, Path]] = None, interrupted: Optional[str] = None) -> SubmitResult:
    """Validate, create the task, write and upload the task files and assets, submit.

    When the scene has an interrupted submission (its task created, not submitted),
    ``interrupted`` says what to do: "resume" it (this call's options are not used), "discard"
    it (its task is deleted), or submit "new" beside it; None raises
    :class:`~renderbus_dcc.pending.PendingSubmission` (nothing done), for the front end to ask.

    One stat per file: the files are taken as the asset collection (``preparation``'s, else
    this call's) found them: their sizes, and their modification times for the md5 cache's
    check of what the farm holds. So a file saved again after the scene was checked, which
    the farm holds as it was then, is not sent with this submission (the next one sends it);
    a file that is sent is read whole at upload time, must still have the size it was
    collected with (else a clear error, and a resume takes the new size), and goes with the
    md5 of the bytes read, which the farm checks: the farm never holds a mix of versions.
    A :func:`resume` looks at every file again.

    Raises ValidationFailed (errors), EnvironmentChoiceError, Cancelled (a callback said
    no; its message says what was left behind), or the error of the step that failed (the
    journal keeps what was done: see :func:`resume`).
    """
    options = options or SubmitOptions()
    if interrupted not in (None,) + pending.CHOICES:
        raise ValueError("interrupted must be one of %s" % (pending.CHOICES,))
    if not options.dry_run_dir:
        earlier = pending.interrupted_for(scene, client, journal_dir)
        if earlier is None and interrupted == "resume":
            raise SubmissionError(_("%s has no interrupted submission to resume") % scene.scene_name,
                                  hint=_("submit it without --resume"))
        if earlier is not None:
            if interrupted is None:
                raise pending.PendingSubmission(earlier)
            if interrupted == "resume":
                return resume(client, earlier.id, on_progress=on_progress, transfer=transfer, journal_dir=journal_dir)
            if interrupted == "discard":
                message = pending.discard(earlier, client, transfer)
                _tell(on_progress, SubmitProgress("prepare", message=message))
        pending.drop_stale(scene, client, journal_dir)
    _tell(on_progress, SubmitProgress("prepare", message=_("checking the scene")))
    prep = preparation or prepare(scene, client, options)
    eff = prep.scene or effective_scene(scene, options)
    _check(prep, confirm)
    items = _upload_items(prep.assets)
    prune(journal_dir)
    journal = Journal.create(
        journal_dir,
        scene=eff.to_dict(), options=options.to_dict(), scene_name=eff.scene_name,
        scene_key=pending.scene_key(scene.scene_file),
        endpoint=str(getattr(client, "endpoint", "")), access_id=str(getattr(client, "access_id", "")),
        env=_env_record(prep.env), make_default_env=bool(options.make_default_env),
        task_files=_template(eff, prep, options, client), files=items,
        dry_run_dir=str(options.dry_run_dir) if options.dry_run_dir else None,
    )
    if options.dry_run_dir:
        return _dry_run(journal, on_progress)
    return _drive(journal, client, transfer, on_progress, _collected(prep.assets))


def _collected(assets: "AssetCollection") -> Dict[str, Tuple[int, int]]:
    """{local path: (size, mtime_ns)} of the files as the collection found them."""
    files = assets.files + ([assets.scene_file] if assets.scene_file is not None else [])
    return {f.local: (int(f.size), int(f.mtime_ns)) for f in files if f.mtime_ns}


def _dry_run(journal: Journal, on_progress: Optional[ProgressFn]) -> SubmitResult:
    from renderbus_dcc.taskfiles import cfg_path, encode
    from renderbus_dcc.transfer.export import ExportTransfer

    folder = str(journal.data["dry_run_dir"])
    export = ExportTransfer(folder)
    _tell(on_progress, SubmitProgress("taskfiles", message=_("writing the task files to %s") % folder))
    export.upload_bytes({cfg_path(0, n): encode(d, pretty=True) for n, d in journal.data["task_files"].items()},
                        "config")
    items = [tuple(i) for i in journal.data["files"]]
    total = sum(int(i[2]) for i in items)
    export.upload(items, "input", _upload_progress(on_progress, len(items), total, 0, 0, None))
    journal.update("submitted", finished=True)
    _tell(on_progress, SubmitProgress("done", len(items), len(items), total, total, message=_("exported to %s") % folder))
    return SubmitResult(task_id=0, alias="", env_name=str(journal.data["env"].get("env_name", "")),
                        files=len(items), bytes=total, journal_path=str(journal.path), dry_run_dir=folder)


def _upload_progress(on_progress: Optional[ProgressFn], files_total: int, bytes_total: int, files_before: int,
                     bytes_before: int, journal: Optional[Journal], bid: str = "") -> Callable[["TransferProgress"], bool]:
    def callback(p: "TransferProgress") -> bool:
        if journal is not None and (p.completed or p.held):
            journal.mark_uploaded([bid + ":" + server for server in p.finished()])
        progress = SubmitProgress("upload", files_before + p.files_done, files_total, bytes_before + p.bytes_done,
                                  bytes_total, p.current_file, "uploading")
        return not (on_progress is not None and on_progress(progress) is False)

    return callback


# the steps after prepare: shared by submit and resume ---------------------------------------
def _drive(journal: Journal, client: Any, transfer: Optional["TransferBackend"],
           on_progress: Optional[ProgressFn], collected: Optional[Dict[str, Tuple[int, int]]] = None) -> SubmitResult:
    """The steps after prepare; ``collected``: the files as this submission's collection found
    them ({local: (size, mtime_ns)}: see :func:`submit`), None for a resume (each looked at now)."""
    from renderbus_dcc.taskfiles import cfg_path, encode
    from renderbus_dcc.transfer.base import default_backend

    backend = transfer or default_backend(client)
    try:
        # 1. the render environment
        if not journal.reached("env"):
            _tell(on_progress, SubmitProgress("create", message=_("choosing the render environment")))
            journal.update("env", env_name=_ensure_env(client, journal))
        # 2. the task id
        if not journal.task_id:
            _tell(on_progress, SubmitProgress("create", message=_("creating the task")))
            _create_task(client, journal, backend)
        task_id = int(journal.task_id or 0)
        # 3. the task files
        if not journal.reached("taskfiles"):
            bid = client.get_transfer_bid()
            # Only task.json changes (upload.json may list 20,000 files): it goes in the journal's
            # small state, the bulky task files are not written again.
            task_json = copy.deepcopy(journal.data["task_files"]["task.json"])
            info = task_json["task_info"]
            info["task_id"] = str(task_id)
            if info.get("project_name") and not info.get("project_id"):
                info["project_id"] = _project_id(client, str(info["project_name"]))
            journal.update("taskfiles", task_json=task_json,
                           bids={"config": str(bid.config_bid), "input": str(bid.input_bid),
                                 "output": str(bid.output_bid)})
        bids = journal.data["bids"]
        items = [(str(l), str(s), int(n)) for l, s, n in journal.data["files"]]
        total_files = len(items)  # the artist's files: the scene and its assets (task files are a stage)
        total_bytes = sum(n for _n, _s, n in items)
        if not journal.reached("cfg_uploaded"):
            _tell(on_progress, SubmitProgress("taskfiles", 0, total_files, 0, total_bytes,
                                              message=_("uploading the task files")))
            task_files = dict(journal.data["task_files"])
            task_files["task.json"] = journal.data.get("task_json") or task_files["task.json"]  # (its task id)
            payloads = {cfg_path(task_id, name): encode(d) for name, d in task_files.items()}
            if journal.data.get("recovered"):
                _check_not_taken(backend, journal, payloads, bids["config"])
            backend.upload_bytes(payloads, bids["config"])
            journal.update("cfg_uploaded")
        # 4. the scene and the assets
        if not journal.reached("uploaded"):
            done = journal.uploaded()
            todo = [i for i in items if bids["input"] + ":" + i[1] not in done]
            if collected is None:  # a resume: the sizes now (a file may have been saved since)
                todo = [_current(i) for i in todo]
            skipped = [i for i in items if bids["input"] + ":" + i[1] in done]
            before_bytes = sum(n for _n, _s, n in skipped)
            _tell(on_progress, SubmitProgress("upload", len(skipped), total_files, before_bytes, total_bytes,
                                              message=_("uploading %d files") % len(todo)))
            with backend.collected(collected or {}):
                backend.upload(todo, bids["input"],
                               _upload_progress(on_progress, total_files, total_bytes, len(skipped),
                                                before_bytes, journal, bids["input"]))
            journal.update("uploaded")
        # 5. submit
        alias = journal.data.get("alias") or task_id
        if not journal.reached("submitted"):
            _tell(on_progress, SubmitProgress("submit", total_files, total_files, total_bytes, total_bytes,
                                              message=_("submitting task %s") % alias))
            _submit_task(client, journal, task_id)
            journal.update("submitted", finished=True, error="")
        _tell(on_progress, SubmitProgress("done", total_files, total_files, total_bytes, total_bytes,
                                          message=_("submitted task %s") % alias))
        return SubmitResult(task_id=task_id, alias=str(journal.data.get("alias", "")),
                            env_name=str(journal.data.get("env_name", "")), files=len(items), bytes=total_bytes,
                            journal_path=str(journal.path))
    except Cancelled as exc:
        journal.update(error="cancelled")
        _say_what_is_left(exc, journal)
        raise
    except KeyboardInterrupt:
        journal.update(error="interrupted")
        if not journal.reached("creating"):
            journal.update(discarded=True)  # nothing reached the farm: nothing to resume
        raise
    except RenderbusError as exc:
        journal.update(error=str(exc))
        if isinstance(exc, (TransferError, SubmissionError)) and "--resume" not in (exc.hint or "") \
                and not journal.discarded:
            exc.hint = ((exc.hint + "; ") if exc.hint else "") + _("then `renderbus submit --resume %s`") % journal.id
        raise
    finally:
        if transfer is None:
            backend.close()


def _say_what_is_left(exc: Cancelled, journal: Journal) -> None:
    """Cancelled's message: what the cancelled submission left behind, and what to do."""
    exc.journal_id = journal.id
    exc.task_id = journal.task_id
    if not journal.reached("creating"):
        journal.update(discarded=True)  # nothing reached the farm: nothing to resume
        exc.args = (_(NOTHING_LEFT),)
        exc.hint = _("submit again when you are ready")
    else:
        exc.args = (_("Cancelled: %s.") % pending.left_behind(journal),)
        exc.hint = _("resume carries on with the same task (`renderbus submit --resume %(id)s`); discarding "
                     "deletes it (`renderbus submissions discard %(id)s`)") % {"id": journal.id}
    exc.left_behind = exc.args[0]


def _current(item: Any) -> Any:
    """The item with the file's size now (it may have been saved again since the journal)."""
    local, server, size = item
    try:
        return (local, server, os.path.getsize(local))
    except OSError:
        raise TransferError(_("%s is gone") % local, hint=_("put the file back")) from None


def _ensure_env(client: Any, journal: Journal) -> str:
    env = journal.data["env"]
    name = env.get("existing") or ""
    cg_id = int(env["cg_id"])
    if not name:
        name = env["env_name"]

        def there() -> bool:
            return name in {e.edit_name for e in client.get_render_env(cg_id)}

        if not there():  # a resume after a crash that followed addRenderEnv finds it there
            answered = recovery.settle(
                lambda: client.add_render_env(cg_id, env["cg_name"], env["cg_version"], name,
                                              plugin_ids=list(env.get("plugin_ids") or []) or None),
                there, "addRenderEnv")
            name = answered if isinstance(answered, str) else name
    if journal.data.get("make_default_env"):
        recovery.settle(lambda: client.set_default_render_env(name), None, "setDefaultRenderEnv")
    return name


def _known_max_id(client: Any, journal: Journal) -> int:
    """The highest task id this account is known to have: its task list and the local journals."""
    page = client.get_task_list(page_num=1, page_size=1)
    ids = [int(t.id) for t in page.items]
    for other in list_journals(journal.path.parent):
        if other.task_id and other.state.get("access_id") == journal.state.get("access_id") \
                and other.state.get("endpoint") == journal.state.get("endpoint"):
            ids.append(other.task_id)
    return max(ids + [0])


def _project_id(client: Any, label: str) -> str:
    """The id of the label ``label`` (added if the account has none), as task_info's project_id,
    which the SDK always writes for a task with a project name; "" if the farm gives none."""
    from renderbus_dcc.errors import APIError

    def look() -> str:
        return next((str(found.project_id) for found in client.get_label_list()
                     if found.project_name == label and found.project_id), "")

    known = look()
    if known:
        return known
    try:  # addLabel's answer may be lost: the label list says whether it took
        recovery.settle(lambda: client.add_label(label), look, "addLabel")
    except APIError as exc:  # e.g. added meanwhile by another submission: look again
        log.info("adding the label %r: %s", label, exc)
    return look()


def _adopt(client: Any, journal: Journal, backend: Any) -> bool:
    """Take the task an earlier createTask of this journal made, if there is one provably its own."""
    found = recovery.lost_tasks(client, journal, backend)
    if not found:
        return False
    task, extra = found[0], [int(t.id) for t in found[1:]]
    log.info("adopting task %s, made by createTask whose answer was lost", task.id)
    journal.update("created", task_id=int(task.id), alias=str(task.alias), recovered=True)
    if extra:  # two answers lost in a row: the other tasks are empty and provably ours
        recovery.settle(lambda: client.delete_task(extra), None, "deleteTask")
    return True


def _create_task(client: Any, journal: Journal, backend: Any) -> None:
    if journal.step == "creating" and _adopt(client, journal, backend):
        return  # an earlier createTask took: never a second task
    token_sent = getattr(client, "profile", "v1") == "v2"  # v1's createTask carries nothing of ours
    intent = dict(journal.data.get("create_intent") or {})
    if not intent.get("max_known_id"):
        intent["max_known_id"] = _known_max_id(client, journal)
    intent["token_sent"] = bool(intent.get("token_sent") or token_sent)
    intent["attempts"] = int(intent.get("attempts") or 0)

    def create() -> Any:
        intent["attempts"] += 1
        journal.update("creating", create_intent=intent)
        if token_sent:
            return client.create_task(count=1, artist=recovery.artist_for(journal.token))
        return client.create_task(count=1)

    def took() -> bool:
        return _adopt(client, journal, backend)

    created = recovery.settle(create, took, "createTask")
    if created is True:
        return
    if not created.task_ids:
        raise SubmissionError(_("createTask answered with no task id"))
    task_id = int(created.task_ids[0])
    journal.update("created", task_id=task_id, alias=str(created.aliases[0]) if created.aliases else "")
    if intent["attempts"] > 1 and not intent["max_known_id"]:
        recovery.sweep(client, journal, task_id)  # an earlier attempt may have made a task nobody could look for


def _check_not_taken(backend: Any, journal: Journal, payloads: Dict[str, bytes], config_bid: str) -> None:
    """An adopted task must not hold another submission's task files (v1's adoption is by elimination)."""
    import hashlib

    path = next(p for p in payloads if p.endswith("/task.json"))
    held = backend.status([path], config_bid)
    state = (held or {}).get(path) or {}
    if state.get("complete") and state.get("md5") and state["md5"] != hashlib.md5(payloads[path]).hexdigest():
        raise SubmissionError(
            _("task %s, taken over after createTask's answer was lost, holds another submission's task files")
            % journal.task_id,
            hint=_("discard this submission (`renderbus submissions discard %s`) and submit the scene again")
            % journal.id)


def _submit_task(client: Any, journal: Journal, task_id: int) -> None:
    def took() -> bool:
        task = recovery.task_state(client, task_id)
        return task is not None and recovery.is_submitted(task)

    if journal.data.get("submit_sent") and took():
        return  # a resume after a crash that followed submitTask: it is submitted
    journal.update(submit_sent=True)
    try:
        recovery.settle(lambda: client.submit_task(task_id), took, "submitTask")
    except RenderbusError as exc:
        from renderbus_dcc.errors import APIError

        if isinstance(exc, APIError):
            raise SubmissionError(_("the farm refused to submit task %(task)s: %(why)s")
                                  % {"task": task_id, "why": exc.server_message or exc}, hint=exc.hint) from exc
        raise


# resume -----------------------------------------------------------------------------------
def _resuming_text(journal: Journal) -> str:
    """What is being resumed, in the words the artist knows: scene, task, where it stopped."""
    task = journal.data.get("alias") or journal.task_id
    values = {"scene": journal.data.get("scene_name") or _("the scene"), "task": task, "step": journal.step}
    if journal.data.get("dry_run_dir"):
        return _("resuming the export of %(scene)s (it stopped at: %(step)s)") % values
    if task:
        return _("resuming the submission of %(scene)s, task %(task)s (it stopped at: %(step)s)") % values
    return _("resuming the submission of %(scene)s (it stopped at: %(step)s)") % values


def resume(client: Any, journal_id: Optional[str] = None, *, on_progress: Optional[ProgressFn] = None,
           transfer: Optional["TransferBackend"] = None,
           journal_dir: Optional[Union[str, Path]] = None) -> SubmitResult:
    """Carry on an interrupted submission (``journal_id`` None: the latest unfinished one).

    A dry run's journal (only reachable by its id) finishes its export and creates nothing."""
    if journal_id:
        journal: Optional[Journal] = Journal.find(journal_id, journal_dir)
    else:  # this account's latest; else anyone's, to say whose it is
        journal = latest_unfinished(journal_dir, str(getattr(client, "endpoint", "")),
                                    str(getattr(client, "access_id", ""))) or latest_unfinished(journal_dir)
    if journal is None:
        raise SubmissionError(_("there is no interrupted submission to resume"), hint=_("submit the scene again"))
    for key in ("endpoint", "access_id"):
        mine, theirs = str(getattr(client, key, "")), str(journal.data.get(key, ""))
        if theirs and mine and mine != theirs:
            raise SubmissionError(_("submission %(id)s was made with %(key)s %(theirs)s, not %(mine)s")
                                  % {"id": journal.id, "key": key, "theirs": theirs, "mine": mine},
                                  hint=_("resume it with the same account and endpoint"))
    if journal.discarded:
        raise SubmissionError(_("submission %s was discarded") % journal.id, hint=_("submit the scene again"))
    if journal.finished:
        items = journal.data.get("files", [])
        return SubmitResult(task_id=int(journal.task_id or 0), alias=str(journal.data.get("alias", "")),
                            env_name=str(journal.data.get("env_name", "")), files=len(items),
                            bytes=sum(int(i[2]) for i in items), journal_path=str(journal.path),
                            dry_run_dir=journal.data.get("dry_run_dir"))
    journal.check_complete()
    log.info("resuming %r", journal)
    try:
        _tell(on_progress, SubmitProgress("prepare", message=_resuming_text(journal)))
    except Cancelled as exc:
        _say_what_is_left(exc, journal)
        raise
    if journal.data.get("dry_run_dir"):  # an export: finish it, never create a task for it
        return _dry_run(journal, on_progress)
    return _drive(journal, client, transfer, on_progress)
