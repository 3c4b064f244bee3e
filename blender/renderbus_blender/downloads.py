"""Frames come home in Blender: automatic downloads, the forecast after the test frames, and a
frame opened in an Image Editor.

- Followed tasks' finished frames are downloaded automatically (on by default; a switch per task,
  kept by the core's ``DownloadRecords``), in a background job; the Tasks panel shows where they
  went and the latest frames.
- Once a task's test frames are done, the selected task's forecast (cost and finish time, with a
  range) shows in the Tasks panel, with Start and Abort beside it.
- ``renderbus.open_frame`` loads a downloaded frame into ``bpy.data.images`` and shows it in an
  Image Editor (opening a window with one when none is open).

Network work runs in :mod:`.jobs` threads; what they found reaches bpy through ``post("call")``,
applied on the main thread.
"""

import os
import time
from typing import Any, Dict, List, Optional, Set

import bpy
from bpy.props import BoolProperty, CollectionProperty, IntProperty, StringProperty

from . import jobs, preferences, properties

__all__ = ["classes", "register", "unregister", "snapshots_shown", "task_selected", "draw_tasks_extra",
           "open_frame", "start_downloads"]

#: Frames listed for the selected task.
SHOWN = 8
#: Seconds between forecasts of a task while it renders (its frames are all fetched for one).
FORECAST_EVERY = 30.0

_seen_done: Dict[int, int] = {}
_pending: List[int] = []
_auto: Dict[int, bool] = {}
_forecast_at: Dict[int, float] = {}


def _tr(text: str) -> str:
    from renderbus_dcc.i18n import _

    return _(text)


class RENDERBUS_PG_frame(bpy.types.PropertyGroup):
    """A downloaded frame."""

    path: StringProperty()
    label: StringProperty()


class RENDERBUS_PG_frames(bpy.types.PropertyGroup):
    """The frames brought home and the forecast, for the task selected in the list (not saved)."""

    task_id: IntProperty()
    destination: StringProperty()
    files_count: IntProperty()
    frames: CollectionProperty(type=RENDERBUS_PG_frame)
    message: StringProperty()
    forecast: StringProperty()  # lines joined by "\n"
    forecast_task: IntProperty()
    forecast_waiting: BoolProperty()
    opened: StringProperty()  # the image last opened (bpy.data.images name)


def _frames_state() -> Any:
    return bpy.context.window_manager.renderbus_frames


def auto_download(task_id: int) -> bool:
    """Whether a task's frames come home by themselves (on unless switched off)."""
    if task_id not in _auto:
        from renderbus_dcc.downloads import records

        _auto[task_id] = records().auto(task_id)
    return _auto[task_id]


# --- downloads ---------------------------------------------------------------------------------
def snapshots_shown(snapshots: List[Any]) -> None:
    """The task list was updated (main thread): download followed tasks' new frames, refresh the
    selected task's forecast when its frames moved."""
    state = properties.state()
    selected = state.tasks[state.task_index].task_id if 0 <= state.task_index < len(state.tasks) else 0
    new: List[int] = []
    for snap in snapshots:
        done = int(getattr(snap, "frames_done", 0) or 0)
        if done > _seen_done.get(snap.task_id, 0):
            _seen_done[snap.task_id] = done
            if auto_download(snap.task_id):
                new.append(snap.task_id)
            if snap.task_id == selected and time.monotonic() - _forecast_at.get(snap.task_id, -1e9) > FORECAST_EVERY:
                start_forecast(snap.task_id)
    if new or _pending:
        start_downloads(new)


def start_downloads(task_ids: List[int]) -> None:
    """Download these tasks' finished frames in the background (queued while a download runs)."""
    for task_id in task_ids:
        if task_id not in _pending:
            _pending.append(task_id)
    if jobs.running("download") or not preferences.online_access():
        return
    try:
        client = preferences.make_client()
    except Exception as exc:
        properties.state().tasks_message = str(exc)
        return
    jobs.start("download", _download_work(client))


def _download_work(client: Any) -> Any:
    def work(post: Any, cancelled: Any) -> Any:
        from renderbus_dcc.downloads import download_task

        from renderbus_dcc.downloads import recent_files

        done = []
        while _pending and not cancelled():
            task_id = _pending.pop(0)
            summary = download_task(client, task_id, on_progress=lambda p: not cancelled())
            files = recent_files(summary.destination, SHOWN)
            post("call", lambda s=summary, f=files: _downloaded(s, f))
            done.append(summary)
        return done
    return work


def _downloaded(summary: Any, files: List[str]) -> None:
    """A task's download round ended (main thread)."""
    _listed[summary.task_id] = (summary.destination, summary.files, files)
    state = _frames_state()
    if state.task_id == summary.task_id:
        _show_files(summary.task_id)
        if summary.downloaded:
            state.message = _tr("%(new)d new frames in %(folder)s") % {
                "new": len(summary.downloaded), "folder": summary.destination}
    if _pending and not jobs.running("download"):
        start_downloads([])


#: task id -> (destination, the task's output files, the latest files on disk), found off the main thread
_listed: Dict[int, Any] = {}


def _show_files(task_id: int) -> None:
    """Show what is known of a task's frames at home (main thread: no disk or network here)."""
    state = _frames_state()
    state.task_id = task_id
    destination, count, files = _listed.get(task_id) or ("", 0, [])
    state.destination = destination
    state.files_count = count or len(files)
    state.frames.clear()
    for path in files[-SHOWN:]:
        item = state.frames.add()
        item.path = path
        item.label = os.path.basename(os.path.dirname(path)) + "/" + os.path.basename(path)


def task_selected(task_id: int) -> None:
    """The selection in the task list changed (main thread)."""
    state = _frames_state()
    state.message = ""
    if state.forecast_task != task_id:
        state.forecast, state.forecast_waiting, state.forecast_task = "", False, 0
    _show_files(task_id)
    start_forecast(task_id)


# --- the forecast ---------------------------------------------------------------------------------
def start_forecast(task_id: int) -> None:
    """Fetch the forecast of a task in the background (when it has finished frames and is not over)."""
    if jobs.running("forecast") or not preferences.online_access():
        return
    try:
        client = preferences.make_client()
    except Exception:
        return

    _forecast_at[task_id] = time.monotonic()

    def work(post: Any, cancelled: Any) -> Any:
        from renderbus_dcc.downloads import recent_files, records
        from renderbus_dcc.forecast import fetch_forecast

        if task_id not in _listed:  # frames brought home in an earlier session
            where = str(records().get(task_id).get("destination") or "")
            files = recent_files(where, SHOWN) if where and os.path.isdir(where) else []
            post("call", lambda: _found_at_home(task_id, where, files))
        fc = fetch_forecast(client, task_id)
        post("call", lambda: _show_forecast(task_id, fc))
        return fc

    jobs.start("forecast", work)


def _found_at_home(task_id: int, where: str, files: List[str]) -> None:
    _listed.setdefault(task_id, (where, len(files), files))
    if _frames_state().task_id == task_id:
        _show_files(task_id)


def _show_forecast(task_id: int, fc: Any) -> None:
    from renderbus_dcc.forecast import describe

    state = _frames_state()
    state.forecast_task = task_id
    state.forecast = "\n".join(describe(fc)) if fc is not None else ""
    state.forecast_waiting = bool(fc is not None and fc.waiting)


# --- opening a frame ----------------------------------------------------------------------------
def open_frame(path: str) -> Any:
    """Load a frame into ``bpy.data.images`` and show it in an Image Editor; returns the image."""
    if not os.path.isfile(path):
        raise FileNotFoundError(_tr("%s is not there any more") % path)
    image = bpy.data.images.load(path, check_existing=True)
    image.reload()
    _frames_state().opened = image.name
    _show_in_image_editor(image)
    return image


def _show_in_image_editor(image: Any) -> bool:
    wm = bpy.context.window_manager
    windows = list(getattr(wm, "windows", []) or [])
    for window in windows:
        for area in window.screen.areas:
            if area.type == "IMAGE_EDITOR":
                area.spaces.active.image = image
                area.tag_redraw()
                return True
    if not windows or bpy.app.background:  # Blender without a window (the bpy module, -b): loaded only
        return False
    window = windows[0]
    try:
        with bpy.context.temp_override(window=window, screen=window.screen, area=window.screen.areas[0]):
            bpy.ops.wm.window_new()
    except RuntimeError:  # no window can be opened here: the image is in bpy.data.images
        return False
    area = wm.windows[-1].screen.areas[0]
    area.type = "IMAGE_EDITOR"
    area.spaces.active.image = image
    return True


class RENDERBUS_OT_open_frame(bpy.types.Operator):
    """Show this downloaded frame in an Image Editor"""

    bl_idname = "renderbus.open_frame"
    bl_label = "Open Frame"
    bl_options = {"REGISTER", "INTERNAL"}

    path: StringProperty(name="Frame", subtype="FILE_PATH")

    def execute(self, context: Any) -> Set[str]:
        path = self.path
        if not path:
            state = _frames_state()
            path = state.frames[-1].path if len(state.frames) else ""
        try:
            image = open_frame(path)
        except (OSError, RuntimeError) as exc:
            self.report({"ERROR"}, str(exc))
            return {"CANCELLED"}
        self.report({"INFO"}, image.name)
        return {"FINISHED"}


class RENDERBUS_OT_auto_download(bpy.types.Operator):
    """Download this task's frames automatically as they finish, or not"""

    bl_idname = "renderbus.auto_download"
    bl_label = "Download Automatically"
    bl_options = {"REGISTER", "INTERNAL"}

    task_id: IntProperty(min=0)
    enable: BoolProperty(default=True)

    def execute(self, context: Any) -> Set[str]:
        from renderbus_dcc.downloads import records

        records().update(self.task_id, auto=bool(self.enable))
        _auto[self.task_id] = bool(self.enable)
        if self.enable:
            start_downloads([self.task_id])
        return {"FINISHED"}


class RENDERBUS_OT_download(bpy.types.Operator):
    """Download this task's finished frames now"""

    bl_idname = "renderbus.download"
    bl_label = "Download Frames"
    bl_options = {"REGISTER", "INTERNAL"}

    task_id: IntProperty(min=0)

    @classmethod
    def poll(cls, context: Any) -> bool:
        return preferences.online_access()

    def execute(self, context: Any) -> Set[str]:
        start_downloads([self.task_id])
        return {"FINISHED"}


def draw_tasks_extra(layout: Any, task: Any) -> None:
    """The Tasks panel's part for the selected task: forecast with Start / Abort, downloads."""
    state = _frames_state()
    if state.forecast and state.forecast_task == task.task_id:
        box = layout.box()
        for line in state.forecast.split("\n"):
            box.label(text=line)
        if state.forecast_waiting:
            row = box.row(align=True)
            for action, icon, text in (("START", "PLAY", _tr("Start the Rest")), ("ABORT", "CANCEL", _tr("Abort"))):
                op = row.operator("renderbus.task_action", text=text, icon=icon)
                op.action, op.task_id = action, task.task_id
    box = layout.box()
    row = box.row(align=True)
    on = auto_download(task.task_id)
    op = row.operator("renderbus.auto_download", text=_tr("Download Automatically"), depress=on,
                      icon="CHECKBOX_HLT" if on else "CHECKBOX_DEHLT")
    op.task_id, op.enable = task.task_id, not on
    row.operator("renderbus.download", text="", icon="IMPORT").task_id = task.task_id
    if state.task_id == task.task_id and state.destination:
        box.label(text=_tr("%(count)d frames in %(folder)s") % {"count": state.files_count,
                                                              "folder": state.destination}, icon="FILE_FOLDER")
        col = box.column(align=True)
        for item in state.frames:
            col.operator("renderbus.open_frame", text=item.label, icon="IMAGE_DATA").path = item.path
    if state.message and state.task_id == task.task_id:
        box.label(text=state.message)


classes = (RENDERBUS_PG_frame, RENDERBUS_PG_frames, RENDERBUS_OT_open_frame, RENDERBUS_OT_auto_download,
           RENDERBUS_OT_download)


def register() -> None:
    bpy.types.WindowManager.renderbus_frames = bpy.props.PointerProperty(type=RENDERBUS_PG_frames)


def unregister() -> None:
    del bpy.types.WindowManager.renderbus_frames
    _seen_done.clear()
    _pending.clear()
    _auto.clear()
    _listed.clear()
    _forecast_at.clear()
