"""The add-on's operators.

Each network operator has two paths, as Blender's own do:
- ``execute()`` (scripts, pipelines, tests: ``bpy.ops.renderbus.submit()``) blocks and returns
  when the work is done (the task is submitted), reporting errors as operator errors;
- ``invoke()`` (a person pressing the button) starts the same work in a background thread and
  returns at once; a ``bpy.app.timers`` callback shows its progress, and ``renderbus.cancel``
  stops it.
The scene is read (``analysis.describe_scene``) on the main thread before any thread starts.
"""

import logging
from types import SimpleNamespace
from typing import Any, Callable, List, Optional, Set, Tuple

import bpy
from bpy.props import BoolProperty, EnumProperty, IntProperty, StringProperty

from renderbus_dcc.i18n import N_, _

from . import analysis, changes, jobs, preferences, properties

__all__ = ["classes", "start_background", "default_names"]

log = logging.getLogger(__name__)

Work = jobs.Work
After = Callable[[Any], None]

_OFFLINE = N_("Online access is off: enable it in Preferences > System > Network")


class _NetworkOperator:
    """execute() = blocking, invoke() = background job.

    Subclasses give ``kind`` and ``make_work(context) -> (work, after)``: ``work`` runs the
    network part (no bpy), ``after(result)`` (or None) runs on the main thread when it
    succeeded. Both capture plain values: the operator itself is gone when a job ends.
    """

    kind = ""
    #: report the checks' warnings (unsaved changes, missing files) when run from a script
    report_warnings = False

    @classmethod
    def poll(cls, context: "bpy.types.Context") -> bool:
        if not preferences.online_access():
            cls.poll_message_set(_(_OFFLINE))
            return False
        if jobs.running(cls.kind):
            cls.poll_message_set(_("Renderbus is busy with a %s") % _(jobs.KIND_LABELS.get(cls.kind, cls.kind)))
            return False
        return True

    def make_work(self, context: "bpy.types.Context") -> Tuple[Work, Optional[After]]:
        raise NotImplementedError

    def _work_or_report(self, context: "bpy.types.Context") -> Optional[Tuple[Work, Optional[After]]]:
        try:
            return self.make_work(context)
        except Exception as exc:  # no credentials, bad frames, unreadable scene...
            self.report({"ERROR"}, str(exc))
            jobs.run_blocking(self.kind, _raiser(exc))  # shown where this job's messages go
            return None

    def execute(self, context: "bpy.types.Context") -> Set[str]:
        made = self._work_or_report(context)
        if made is None:
            return {"CANCELLED"}
        job = jobs.run_blocking(self.kind, _then(*made))
        message = jobs.message_of(self.kind)
        if job.error is not None:
            self.report({"ERROR"}, message or str(job.error))
            return {"CANCELLED"}
        if self.report_warnings:
            for issue in properties.state(context).issues:
                if issue.severity == "warning":
                    self.report({"WARNING"}, issue.message)
        if message:
            self.report({"INFO"}, message)
        return {"FINISHED"}

    def invoke(self, context: "bpy.types.Context", event: Any) -> Set[str]:
        made = self._work_or_report(context)
        if made is None:
            return {"CANCELLED"}
        jobs.start(self.kind, _then(*made))
        return {"FINISHED"}


def _raiser(exc: BaseException) -> Work:
    def work(post: Callable[[str, Any], None], cancelled: Callable[[], bool]) -> Any:
        raise exc
    return work


def _then(work: Work, after: Optional[After]) -> Work:
    """``work``, then ``after(result)`` on the main thread (a message the timer applies)."""
    if after is None:
        return work

    def wrapped(post: Callable[[str, Any], None], cancelled: Callable[[], bool]) -> Any:
        result = work(post, cancelled)
        post("call", lambda: after(result))
        return result
    return wrapped


def start_background(idname: str, context: "bpy.types.Context" = None, **props: Any) -> "jobs.Job":
    """What ``invoke()`` of operator ``idname`` ("renderbus.submit") does: start its work in a
    background thread, followed by the timer. For scripts that want the background path too,
    and for tests (in the bpy module there is no window, so operators never invoke)."""
    cls = next(c for c in classes if c.bl_idname == idname)
    group, name = idname.split(".")
    rna = getattr(getattr(bpy.ops, group), name).get_rna_type()
    values = {p.identifier: p.default for p in rna.properties if p.identifier != "rna_type"}
    values.update(props)
    work, after = cls.make_work(SimpleNamespace(**values), context or bpy.context)
    return jobs.start(cls.kind, _then(work, after))


def _add_submitted(result: Any) -> None:
    state = properties.state()
    if not any(t.task_id == result.task_id for t in state.tasks):
        item = state.tasks.add()
        item.task_id, item.alias, item.status = result.task_id, result.alias or "", "waiting"
        state.tasks.move(len(state.tasks) - 1, 0)


#: What to do with the scene's interrupted submission (the popup's choices; ASK for scripts: an error).
_INTERRUPTED = [
    ("ASK", "Ask", "Stop with a message when the scene has an interrupted submission", 0),
    ("RESUME", "Resume It", "Carry on the interrupted submission with its task (only what is missing is uploaded)", 1),
    ("DISCARD", "Discard It and Submit Again", "Delete its unsubmitted task, then submit the scene anew", 2),
    ("NEW", "Submit Anew Beside It", "Keep the interrupted submission as it is (the scene may render twice)", 3),
]


def interrupted_submission(context: "bpy.types.Context") -> Any:
    """The open file's interrupted submission (its journal) by the configured account, or None.
    Local only (the journal folder): fast enough for invoke()."""
    from renderbus_dcc import pending

    if not bpy.data.filepath:
        return None
    settings = preferences.load_settings()
    account = SimpleNamespace(endpoint=settings.endpoint, access_id=settings.access_id)
    return pending.interrupted_for(SimpleNamespace(scene_file=bpy.data.filepath), account)


class RENDERBUS_OT_submit(_NetworkOperator, bpy.types.Operator):
    """Submit the scene to Renderbus: check it, create the task, upload the files, submit"""

    bl_idname = "renderbus.submit"
    bl_label = "Submit to Renderbus"
    bl_options = {"REGISTER"}
    kind = "submit"
    report_warnings = True

    save_first: BoolProperty(
        name="Save First", description="Save the .blend before submitting (it is the file the farm renders)",
        default=False,
    )
    follow: BoolProperty(name="Follow", description="Follow the task's progress after submitting", default=True)
    interrupted: EnumProperty(
        name="Interrupted Submission", items=_INTERRUPTED, default="ASK", options={"SKIP_SAVE"},
        description="What to do when the scene has an interrupted submission (its task created, not submitted)",
    )
    confirmed: BoolProperty(
        name="Confirmed", default=False, options={"SKIP_SAVE"},
        description="Submit even when it renders more frames, or would cost more, than the thresholds that ask first",
    )
    # the popup's state: what it says, and that its OK starts the background job
    pending_text: StringProperty(options={"HIDDEN", "SKIP_SAVE"})
    costly_text: StringProperty(options={"HIDDEN", "SKIP_SAVE"})
    background: BoolProperty(options={"HIDDEN", "SKIP_SAVE"})

    def make_work(self, context: "bpy.types.Context") -> Tuple[Work, Optional[After]]:
        scene = context.scene
        if self.save_first and bpy.data.filepath and changes.scene_modified(scene):
            bpy.ops.wm.save_mainfile()
        settings = scene.renderbus.to_settings(scene)
        description = analysis.describe_scene(scene)
        client = preferences.make_client()
        follow = self.follow
        choice = None if self.interrupted == "ASK" else self.interrupted.lower()

        def after(result: Any) -> None:
            _add_submitted(result)
            if follow:
                jobs.follow(client, [result.task_id])
        return jobs.submit_work(description, client, settings, interrupted=choice, confirmed=self.confirmed), after

    def invoke(self, context: "bpy.types.Context", event: Any) -> Set[str]:
        journal = interrupted_submission(context) if self.interrupted == "ASK" else None
        costly = [] if self.confirmed else costly_warnings(context)
        if journal is None and not costly:
            return super().invoke(context, event)
        if journal is not None:
            from renderbus_dcc.pending import describe

            self.pending_text = describe(journal)
            self.interrupted = "RESUME"
        self.costly_text = " ".join(costly)
        self.confirmed = True  # OK confirms what the popup says
        self.background = True  # OK runs execute(): start the job there, do not block
        return context.window_manager.invoke_props_dialog(self, width=460)

    def draw(self, context: "bpy.types.Context") -> None:
        layout = self.layout
        if not self.pending_text and not self.costly_text:
            layout.prop(self, "interrupted")
            layout.prop(self, "confirmed")
            return
        if self.pending_text:
            col = layout.column(align=True)
            col.label(text=_("This scene has an interrupted submission:"), icon="ERROR")
            for line in _wrap(self.pending_text, 70):
                col.label(text=line)
            layout.prop(self, "interrupted", expand=True)
        if self.costly_text:
            col = layout.column(align=True)
            for i, line in enumerate(_wrap(self.costly_text, 70)):
                col.label(text=line, icon="FUND" if i == 0 else "NONE")
            col.label(text=_("OK submits it."))

    def execute(self, context: "bpy.types.Context") -> Set[str]:
        if self.background:  # the popup's OK: the person's path
            self.background = False
            made = self._work_or_report(context)
            if made is None:
                return {"CANCELLED"}
            jobs.start(self.kind, _then(*made))
            return {"FINISHED"}
        return super().execute(context)


def costly_warnings(context: "bpy.types.Context") -> List[str]:
    """What asks before money is spent, known without the farm: a frame count above the
    threshold (counted here), and a forecast cost above it (from the last check of the scene)."""
    from renderbus_dcc.config import confirm_limits
    from renderbus_dcc.submission import SubmitOptions
    from renderbus_dcc.validation import frame_count

    found = [issue.message for issue in properties.state(context).issues if issue.code == "cost_high"]
    frames_limit, _cost = confirm_limits()
    if frames_limit:
        scene = context.scene
        try:
            count = frame_count(analysis.describe_scene(scene), SubmitOptions.from_settings(
                scene.renderbus.to_settings(scene)))
        except Exception:  # unreadable settings: the job says why
            count = 0
        if count > frames_limit:
            found.insert(0, _("This submission renders %(count)d frames, more than the %(limit)d that ask for a "
                              "confirmation.") % {"count": count, "limit": frames_limit})
    return found


def _wrap(text: str, width: int) -> List[str]:
    import textwrap

    return textwrap.wrap(text, width) or [""]


class RENDERBUS_OT_resume(_NetworkOperator, bpy.types.Operator):
    """Carry on the interrupted submission: same task, only the missing files are uploaded"""

    bl_idname = "renderbus.resume"
    bl_label = "Resume Submission"
    bl_options = {"REGISTER"}
    kind = "submit"

    journal_id: StringProperty(name="Submission", description="The submission to resume (default: the one "
                               "just interrupted, else the open file's, else the latest)", options={"SKIP_SAVE"})

    def make_work(self, context: "bpy.types.Context") -> Tuple[Work, Optional[After]]:
        client = preferences.make_client()
        chosen = self.journal_id or properties.state(context).interrupted_id
        scene = SimpleNamespace(scene_file=bpy.data.filepath) if bpy.data.filepath else None

        def after(result: Any) -> None:
            _add_submitted(result)
            jobs.follow(client, [result.task_id])
        return jobs.resume_work(client, chosen or None, scene), after


class RENDERBUS_OT_validate(_NetworkOperator, bpy.types.Operator):
    """Check the scene against Renderbus: render environment, files, settings"""

    bl_idname = "renderbus.validate"
    bl_label = "Check Scene"
    bl_options = {"REGISTER"}
    kind = "validate"
    report_warnings = True

    def make_work(self, context: "bpy.types.Context") -> Tuple[Work, Optional[After]]:
        scene = context.scene
        settings = scene.renderbus.to_settings(scene)
        return jobs.prepare_work(analysis.describe_scene(scene), preferences.make_client(), settings), None


class RENDERBUS_OT_refresh_tasks(_NetworkOperator, bpy.types.Operator):
    """Fetch your recent Renderbus tasks and follow the unfinished ones"""

    bl_idname = "renderbus.refresh_tasks"
    bl_label = "Refresh Tasks"
    bl_options = {"REGISTER"}
    kind = "tasks"

    count: IntProperty(name="Tasks", description="How many recent tasks to show", default=20, min=1, max=100)
    follow: BoolProperty(name="Follow", description="Follow the unfinished tasks", default=True)

    def make_work(self, context: "bpy.types.Context") -> Tuple[Work, Optional[After]]:
        client = preferences.make_client()
        follow = self.follow

        def after(snaps: Any) -> None:
            unfinished = [snap.task_id for snap in snaps or [] if not snap.finished]
            if follow and unfinished:
                jobs.follow(client, unfinished)
        return jobs.refresh_work(client, self.count), after


#: (id, name, description, icon, number) of each task action: the enum and the tooltips.
_TASK_ACTIONS = [
    ("STOP", "Stop", "Pause the task; start it again later", "PAUSE", 0),
    ("START", "Start", "Start a stopped task again", "PLAY", 1),
    ("ABORT", "Abort", "Abandon the task (cannot be undone)", "CANCEL", 2),
    ("RETRY_FAILED", "Retry Failed Frames", "Render the task's failed frames again", "FILE_REFRESH", 3),
]


class RENDERBUS_OT_task_action(_NetworkOperator, bpy.types.Operator):
    """Stop, start or abort a task, or render its failed frames again"""

    bl_idname = "renderbus.task_action"
    bl_label = "Task Action"
    bl_options = {"REGISTER"}
    kind = "action"

    action: EnumProperty(name="Action", items=_TASK_ACTIONS)
    task_id: IntProperty(name="Task", description="Task id; 0: the task selected in the list", default=0, min=0)

    @classmethod
    def description(cls, context: "bpy.types.Context", props: Any) -> str:
        return next((item[2] for item in _TASK_ACTIONS if item[0] == props.action), "")

    def make_work(self, context: "bpy.types.Context") -> Tuple[Work, Optional[After]]:
        task_id = self.task_id
        if not task_id:
            state = properties.state(context)
            if not 0 <= state.task_index < len(state.tasks):
                raise ValueError(_("Select a task in the list first"))
            task_id = state.tasks[state.task_index].task_id
        client = preferences.make_client()
        action = self.action

        def after(result: Any) -> None:
            if action in ("START", "RETRY_FAILED"):
                jobs.follow(client, [task_id])
        return jobs.action_work(client, action, [task_id]), after

    def invoke(self, context: "bpy.types.Context", event: Any) -> Set[str]:
        if self.action == "ABORT" and event is not None:
            return context.window_manager.invoke_confirm(self, event)
        return super().invoke(context, event)


class RENDERBUS_OT_test_connection(_NetworkOperator, bpy.types.Operator):
    """Check the endpoint, access id, access key and platform by asking for your profile"""

    bl_idname = "renderbus.test_connection"
    bl_label = "Test Connection"
    bl_options = {"REGISTER"}
    kind = "connection"

    def make_work(self, context: "bpy.types.Context") -> Tuple[Work, Optional[After]]:
        return jobs.connection_work(preferences.make_client()), None


class RENDERBUS_OT_cancel(bpy.types.Operator):
    """Cancel the running submission (a task it created is kept: Resume carries it on, Submit asks)"""

    bl_idname = "renderbus.cancel"
    bl_label = "Cancel"
    bl_options = {"REGISTER"}

    kind: StringProperty(default="submit", options={"HIDDEN"})

    @classmethod
    def poll(cls, context: "bpy.types.Context") -> bool:
        return jobs.running()

    def execute(self, context: "bpy.types.Context") -> Set[str]:
        kinds: List[str] = [self.kind] if self.kind else ["submit", "validate"]
        if not any(jobs.cancel(kind) for kind in kinds):
            self.report({"WARNING"}, _("Nothing to cancel"))
            return {"CANCELLED"}
        properties.state(context).job_message = _("Cancelling...")
        return {"FINISHED"}


class RENDERBUS_OT_toggle_name(bpy.types.Operator):
    """Render this view layer or camera, or not (none chosen: the scene's own choice)"""

    bl_idname = "renderbus.toggle_name"
    bl_label = "Toggle"
    bl_options = {"REGISTER", "UNDO", "INTERNAL"}

    field: EnumProperty(items=[("layers", "View Layers", ""), ("cameras", "Cameras", "")])
    name: StringProperty()

    def execute(self, context: "bpy.types.Context") -> Set[str]:
        settings = context.scene.renderbus
        names = properties.selected_names(getattr(settings, self.field))
        if not names:  # start from what the default renders
            names = default_names(context.scene, self.field)
        if self.name in names:
            names.remove(self.name)
        else:
            names.append(self.name)
        setattr(settings, self.field, ", ".join(names))
        return {"FINISHED"}


def default_names(scene: "bpy.types.Scene", field: str) -> List[str]:
    """What renders when nothing is chosen: the enabled view layers / the render cameras."""
    if field == "layers":
        return [layer.name for layer in scene.view_layers if layer.use]
    return analysis.render_cameras(scene)


classes = (
    RENDERBUS_OT_submit,
    RENDERBUS_OT_resume,
    RENDERBUS_OT_validate,
    RENDERBUS_OT_refresh_tasks,
    RENDERBUS_OT_task_action,
    RENDERBUS_OT_test_connection,
    RENDERBUS_OT_cancel,
    RENDERBUS_OT_toggle_name,
)
