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
with the same task id, and never creates a second task.

The one gap createTask leaves: if the process dies (or the connection drops) after the
server created the task but before its answer reached the journal, the journal holds only the
intent, written before the call with the highest task id the account was known to have (its
task list and the local journals). :func:`resume` then asks about the ids after that one, one
by one (unsubmitted tasks are not in getTaskList), and adopts the first task of this account
that was never submitted and that no journal owns, instead of creating another. The risk
left, stated plainly: with no known id to count from (an account's very first task), or when
the lost task is more than 64 ids further (a very busy service), a new task is made and the
lost one stays behind as an empty, never-submitted shell (it renders nothing and costs
nothing); and two submissions from the same account and machine dying in that same instant
could each adopt the other's shell (harmless: shells are interchangeable until their task
files are uploaded).

Callbacks: ``on_progress(SubmitProgress)`` is called often (return False to cancel: raises
:class:`~renderbus_dcc.errors.Cancelled`; the journal keeps the task id for a resume);
``confirm(ValidationReport) -> bool`` is asked when validation found warnings.
"""

from __future__ import annotations

import copy
import logging
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Union

from renderbus_dcc.errors import (APIError, Cancelled, RenderbusError,
                                  SubmissionError, TransferError, ValidationFailed)
from renderbus_dcc.journal import Journal, latest_unfinished, list_journals, prune

if TYPE_CHECKING:  # pragma: no cover
    from renderbus_dcc.assets import AssetCollection
    from renderbus_dcc.environment import EnvChoice
    from renderbus_dcc.models import UserProfile
    from renderbus_dcc.scene import SceneDescription
    from renderbus_dcc.transfer.base import TransferBackend, TransferProgress
    from renderbus_dcc.validation import ValidationReport

log = logging.getLogger(__name__)

__all__ = ["SubmitOptions", "Preparation", "SubmitProgress", "SubmitResult", "STAGES", "effective_scene",
           "prepare", "submit", "resume"]

STAGES = ("prepare", "create", "taskfiles", "upload", "submit", "done")

#: How many task ids resume looks at for a task whose createTask answer was lost.
_RECOVERY_PROBES = 64


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
    test_frames: str = ""
    ram: int = 64
    dry_run_dir: Optional[str] = None

    _SETTINGS = ("frames", "layers", "cameras", "label", "env_name")

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


def _tell(on_progress: Optional[ProgressFn], progress: SubmitProgress) -> None:
    if on_progress is not None and on_progress(progress) is False:
        raise Cancelled("submission cancelled during %s" % progress.stage)


# preparing --------------------------------------------------------------------------------
def effective_scene(scene: "SceneDescription", options: Optional[SubmitOptions] = None) -> "SceneDescription":
    """A copy of ``scene`` with the options' frames, layers and cameras applied."""
    options = options or SubmitOptions()
    out = copy.deepcopy(scene)
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


def prepare(scene: "SceneDescription", client: Any, options: Optional[SubmitOptions] = None) -> Preparation:
    """Everything submit needs to know, from queries only (nothing changes on the farm)."""
    from renderbus_dcc.assets import collect_assets
    from renderbus_dcc.environment import choose_environment
    from renderbus_dcc.validation import validate

    options = options or SubmitOptions()
    eff = effective_scene(scene, options)
    software = client.query_supported_software()
    catalogue = client.query_supported_plugin(eff.cg_id)
    user_envs = client.get_render_env(eff.cg_id)
    env = choose_environment(eff, software, catalogue, user_envs)
    if options.env_name:
        env = _named_env(env, options.env_name, user_envs)
    assets = collect_assets(eff)
    report = validate(eff, assets, env, options)
    try:
        profile = client.query_user_profile()
    except RenderbusError as exc:  # the task files can do without the user id
        log.info("no user profile: %s", exc)
        profile = None
    return Preparation(env=env, assets=assets, report=report, profile=profile, scene=eff)


def _check(prep: Preparation, confirm: Optional[ConfirmFn]) -> None:
    report = prep.report
    if not report.ok:
        first = report.errors[0]
        more = len(report.errors) - 1
        raise ValidationFailed(
            "the scene cannot be submitted: %s%s" % (first.message, " (and %d more)" % more if more else ""),
            hint=first.hint, report=report)
    prep.env.raise_for_errors()
    if report.warnings and confirm is not None and not confirm(report):
        raise Cancelled("submission cancelled at the warnings", hint="fix the warnings, or accept them")


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
                            test_frames=options.test_frames, ram=options.ram)


# submit -----------------------------------------------------------------------------------
def submit(scene: "SceneDescription", client: Any, options: Optional[SubmitOptions] = None, *,
           on_progress: Optional[ProgressFn] = None, confirm: Optional[ConfirmFn] = None,
           transfer: Optional["TransferBackend"] = None, preparation: Optional[Preparation] = None,
           journal_dir: Optional[Union[str, Path]] = None) -> SubmitResult:
    """Validate, create the task, write and upload the task files and assets, submit.

    Raises ValidationFailed (errors), EnvironmentChoiceError, Cancelled (a callback said
    no), or the error of the step that failed (the journal keeps what was done: see
    :func:`resume`).
    """
    options = options or SubmitOptions()
    _tell(on_progress, SubmitProgress("prepare", message="checking the scene"))
    prep = preparation or prepare(scene, client, options)
    eff = prep.scene or effective_scene(scene, options)
    _check(prep, confirm)
    items = _upload_items(prep.assets)
    prune(journal_dir)
    journal = Journal.create(
        journal_dir,
        scene=eff.to_dict(), options=options.to_dict(), scene_name=eff.scene_name,
        endpoint=str(getattr(client, "endpoint", "")), access_id=str(getattr(client, "access_id", "")),
        env=_env_record(prep.env), make_default_env=bool(options.make_default_env),
        task_files=_template(eff, prep, options, client), files=items,
        dry_run_dir=str(options.dry_run_dir) if options.dry_run_dir else None,
    )
    if options.dry_run_dir:
        return _dry_run(journal, on_progress)
    return _drive(journal, client, transfer, on_progress)


def _dry_run(journal: Journal, on_progress: Optional[ProgressFn]) -> SubmitResult:
    from renderbus_dcc.taskfiles import cfg_path, encode
    from renderbus_dcc.transfer.export import ExportTransfer

    folder = str(journal.data["dry_run_dir"])
    export = ExportTransfer(folder)
    _tell(on_progress, SubmitProgress("taskfiles", message="writing the task files to %s" % folder))
    export.upload_bytes({cfg_path(0, n): encode(d, pretty=True) for n, d in journal.data["task_files"].items()},
                        "config")
    items = [tuple(i) for i in journal.data["files"]]
    total = sum(int(i[2]) for i in items)
    export.upload(items, "input", _upload_progress(on_progress, len(items), total, 0, 0, None))
    journal.update("submitted", finished=True)
    _tell(on_progress, SubmitProgress("done", len(items), len(items), total, total, message="exported to %s" % folder))
    return SubmitResult(task_id=0, alias="", env_name=str(journal.data["env"].get("env_name", "")),
                        files=len(items), bytes=total, journal_path=str(journal.path), dry_run_dir=folder)


def _upload_progress(on_progress: Optional[ProgressFn], files_total: int, bytes_total: int, files_before: int,
                     bytes_before: int, journal: Optional[Journal], bid: str = "") -> Callable[["TransferProgress"], bool]:
    def callback(p: "TransferProgress") -> bool:
        if journal is not None and p.completed:
            journal.mark_uploaded([bid + ":" + p.completed])
        progress = SubmitProgress("upload", files_before + p.files_done, files_total, bytes_before + p.bytes_done,
                                  bytes_total, p.current_file, "uploading")
        return not (on_progress is not None and on_progress(progress) is False)

    return callback


# the steps after prepare: shared by submit and resume ---------------------------------------
def _drive(journal: Journal, client: Any, transfer: Optional["TransferBackend"],
           on_progress: Optional[ProgressFn]) -> SubmitResult:
    from renderbus_dcc.taskfiles import cfg_path, encode
    from renderbus_dcc.transfer.base import default_backend

    backend = transfer or default_backend(client)
    try:
        # 1. the render environment
        if not journal.reached("env"):
            _tell(on_progress, SubmitProgress("create", message="choosing the render environment"))
            journal.update("env", env_name=_ensure_env(client, journal))
        # 2. the task id
        if not journal.task_id:
            _tell(on_progress, SubmitProgress("create", message="creating the task"))
            _create_task(client, journal)
        task_id = int(journal.task_id or 0)
        # 3. the task files
        if not journal.reached("taskfiles"):
            bid = client.get_transfer_bid()
            files = copy.deepcopy(journal.data["task_files"])
            info = files["task.json"]["task_info"]
            info["task_id"] = str(task_id)
            if info.get("project_name") and not info.get("project_id"):
                info["project_id"] = _project_id(client, str(info["project_name"]))
            journal.update("taskfiles", task_files=files,
                           bids={"config": str(bid.config_bid), "input": str(bid.input_bid),
                                 "output": str(bid.output_bid)})
        bids = journal.data["bids"]
        items = [(str(l), str(s), int(n)) for l, s, n in journal.data["files"]]
        total_files = len(items)  # the artist's files: the scene and its assets (task files are a stage)
        total_bytes = sum(n for _, _, n in items)
        if not journal.reached("cfg_uploaded"):
            _tell(on_progress, SubmitProgress("taskfiles", 0, total_files, 0, total_bytes,
                                              message="uploading the task files"))
            payloads = {cfg_path(task_id, name): encode(d) for name, d in journal.data["task_files"].items()}
            backend.upload_bytes(payloads, bids["config"])
            journal.update("cfg_uploaded")
        # 4. the scene and the assets
        if not journal.reached("uploaded"):
            done = journal.uploaded()
            todo = [i for i in items if bids["input"] + ":" + i[1] not in done]
            todo = [_current(i) for i in todo]
            skipped = [i for i in items if bids["input"] + ":" + i[1] in done]
            before_bytes = sum(n for _, _, n in skipped)
            _tell(on_progress, SubmitProgress("upload", len(skipped), total_files, before_bytes,
                                              total_bytes, message="uploading %d files" % len(todo)))
            backend.upload(todo, bids["input"],
                           _upload_progress(on_progress, total_files, total_bytes, len(skipped),
                                            before_bytes, journal, bids["input"]))
            journal.update("uploaded")
        # 5. submit
        if not journal.reached("submitted"):
            _tell(on_progress, SubmitProgress("submit", total_files, total_files, total_bytes, total_bytes,
                                              message="submitting task %s" % journal.data.get("alias", task_id)))
            _submit_task(client, journal, task_id)
            journal.update("submitted", finished=True, error="")
        _tell(on_progress, SubmitProgress("done", total_files, total_files, total_bytes, total_bytes,
                                          message="submitted task %s" % (journal.data.get("alias") or task_id)))
        return SubmitResult(task_id=task_id, alias=str(journal.data.get("alias", "")),
                            env_name=str(journal.data.get("env_name", "")), files=len(items), bytes=total_bytes,
                            journal_path=str(journal.path))
    except Cancelled as exc:
        journal.update(error="cancelled")
        if not exc.hint or "resume" in exc.hint:
            exc.hint = "resume with `renderbus submit --resume %s`" % journal.id
        raise
    except KeyboardInterrupt:
        journal.update(error="interrupted")
        raise
    except RenderbusError as exc:
        journal.update(error=str(exc))
        if isinstance(exc, (TransferError, SubmissionError)) and "--resume" not in (exc.hint or ""):
            exc.hint = ((exc.hint + "; ") if exc.hint else "") + "then `renderbus submit --resume %s`" % journal.id
        raise
    finally:
        if transfer is None:
            backend.close()


def _current(item: Any) -> Any:
    """The item with the file's size now (it may have been saved again since the journal)."""
    local, server, size = item
    try:
        return (local, server, os.path.getsize(local))
    except OSError:
        raise TransferError("%s is gone" % local, hint="put the file back") from None


def _ensure_env(client: Any, journal: Journal) -> str:
    env = journal.data["env"]
    name = env.get("existing") or ""
    if not name:
        name = env["env_name"]
        current = {e.edit_name for e in client.get_render_env(int(env["cg_id"]))}
        if name not in current:  # a resume after a crash that followed addRenderEnv finds it there
            answered = client.add_render_env(int(env["cg_id"]), env["cg_name"], env["cg_version"], name,
                                             plugin_ids=list(env.get("plugin_ids") or []) or None)
            name = answered or name
    if journal.data.get("make_default_env"):
        client.set_default_render_env(name)
    return name


def _known_max_id(client: Any, journal: Journal) -> int:
    """The highest task id this account is known to have: its task list and the local journals."""
    page = client.get_task_list(page_num=1, page_size=1)
    ids = [int(t.id) for t in page.items]
    for other in list_journals(journal.path.parent):
        if other.task_id and other.data.get("access_id") == journal.data.get("access_id") \
                and other.data.get("endpoint") == journal.data.get("endpoint"):
            ids.append(other.task_id)
    return max(ids + [0])


def _project_id(client: Any, label: str) -> str:
    """The id of the label ``label`` (added if the account has none), as task_info's project_id,
    which the SDK always writes for a task with a project name; "" if the farm gives none."""
    from renderbus_dcc.errors import APIError

    for attempt in range(2):
        for found in client.get_label_list():
            if found.project_name == label and found.project_id:
                return str(found.project_id)
        if attempt == 0:
            try:
                client.add_label(label)
            except APIError as exc:  # e.g. added meanwhile by another submission: look again
                log.info("adding the label %r: %s", label, exc)
    return ""


def _create_task(client: Any, journal: Journal) -> None:
    if journal.step == "creating":  # the last createTask may have succeeded: look before creating another
        found = _find_lost_task(client, journal)
        if found is not None:
            log.info("adopting task %s created by an interrupted submission", found.id)
            journal.update("created", task_id=int(found.id), alias=str(found.alias), recovered=True)
            return
    journal.update("creating", create_intent={"max_known_id": _known_max_id(client, journal)})
    created = client.create_task(count=1)
    if not created.task_ids:
        raise SubmissionError("createTask answered with no task id")
    journal.update("created", task_id=int(created.task_ids[0]),
                   alias=str(created.aliases[0]) if created.aliases else "")


def _find_lost_task(client: Any, journal: Journal) -> Any:
    """A task createTask made for this journal whose answer never reached it, or None.

    Unsubmitted tasks are not in getTaskList, so the ids after the highest one known when
    the intent was written are asked about one by one (ids grow; another account's task
    answers 403 and is passed over; a run of 404s means the end). The first of ours that
    was never submitted and that no other journal owns is taken.
    """
    from renderbus_dcc.errors import ForbiddenError, NotFoundError

    known = int((journal.data.get("create_intent") or {}).get("max_known_id", 0))
    if known <= 0:
        return None  # nothing to count from: a new task is made; the lost one stays an empty shell
    owned = {j.task_id for j in list_journals(journal.path.parent) if j.task_id}
    misses = 0
    for task_id in range(known + 1, known + 1 + _RECOVERY_PROBES):
        try:
            items = client.query_task_info([task_id]).items
        except NotFoundError:
            misses += 1
            if misses >= 3:
                break
            continue
        except ForbiddenError:
            misses = 0
            continue
        misses = 0
        for t in items:
            if int(t.id) == task_id and task_id not in owned and not t.scene_name and not t.total_frames:
                return t
    return None


def _submit_task(client: Any, journal: Journal, task_id: int) -> None:
    sent_before = bool(journal.data.get("submit_sent"))
    journal.update(submit_sent=True)
    try:
        client.submit_task(task_id)
    except APIError as exc:
        # A resume after a crash that followed submitTask: the task is already submitted.
        if sent_before and _looks_submitted(client, task_id):
            return
        raise SubmissionError("the farm refused to submit task %s: %s" % (task_id, exc.server_message or exc),
                              hint=exc.hint) from exc


def _looks_submitted(client: Any, task_id: int) -> bool:
    try:
        page = client.query_task_info([task_id])
    except RenderbusError:
        return False
    return any(int(t.id) == task_id and (t.scene_name or t.total_frames) for t in page.items)


# resume -----------------------------------------------------------------------------------
def _resuming_text(journal: Journal) -> str:
    """What is being resumed, in the words the artist knows: scene, task, where it stopped."""
    task = journal.data.get("alias") or journal.task_id
    return "resuming %s of %s%s (it stopped at: %s)" % (
        "the export" if journal.data.get("dry_run_dir") else "the submission",
        journal.data.get("scene_name") or "the scene",
        ", task %s" % task if task else "",
        journal.step,
    )


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
        raise SubmissionError("there is no interrupted submission to resume", hint="submit the scene again")
    for key in ("endpoint", "access_id"):
        mine, theirs = str(getattr(client, key, "")), str(journal.data.get(key, ""))
        if theirs and mine and mine != theirs:
            raise SubmissionError("submission %s was made with %s %s, not %s" % (journal.id, key, theirs, mine),
                                  hint="resume it with the same account and endpoint")
    if journal.finished:
        items = journal.data.get("files", [])
        return SubmitResult(task_id=int(journal.task_id or 0), alias=str(journal.data.get("alias", "")),
                            env_name=str(journal.data.get("env_name", "")), files=len(items),
                            bytes=sum(int(i[2]) for i in items), journal_path=str(journal.path),
                            dry_run_dir=journal.data.get("dry_run_dir"))
    log.info("resuming %r", journal)
    _tell(on_progress, SubmitProgress("prepare", message=_resuming_text(journal)))
    if journal.data.get("dry_run_dir"):  # an export: finish it, never create a task for it
        return _dry_run(journal, on_progress)
    return _drive(journal, client, transfer, on_progress)
