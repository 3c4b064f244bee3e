"""The Renderbus panel in Properties > Output, and its Tasks sub-panel.

Drawing reads only cheap things (settings, the UI state the jobs fill); the scene analysis,
the environment choice and the validation list come from the last "Check Scene" / Submit.
"""

from typing import Any

import bpy

from renderbus_dcc.i18n import N_, _

from . import analysis, changes, downloads, jobs, operators, preferences, properties

__all__ = ["classes"]

_ISSUE_ICONS = {"error": "ERROR", "warning": "ERROR", "notice": "INFO"}
#: The task buttons' words (the same as the operator's enum items).
TASK_ACTION_LABELS = {"STOP": N_("Stop"), "START": N_("Start"), "RETRY_FAILED": N_("Retry Failed"), "ABORT": N_("Abort")}


def _progress(layout: "bpy.types.UILayout", factor: float, text: str) -> None:
    """A progress bar (UILayout.progress on Blender 4.0+, a label before)."""
    if hasattr(layout, "progress"):
        layout.progress(factor=factor, type="BAR", text=text)
    else:
        layout.label(text="%s (%d%%)" % (text, round(factor * 100)), translate=False)


class RENDER_PT_renderbus(bpy.types.Panel):
    """Submit the scene to the Renderbus render farm."""

    bl_label = "Renderbus"
    bl_idname = "RENDER_PT_renderbus"
    bl_space_type = "PROPERTIES"
    bl_region_type = "WINDOW"
    bl_context = "output"

    def draw(self, context: "bpy.types.Context") -> None:
        layout = self.layout
        scene = context.scene
        settings = scene.renderbus
        state = properties.state(context)
        self._draw_account(layout, state)

        # environment
        box = layout.box()
        engine = scene.render.engine
        major, minor = bpy.app.version[:2]
        row = box.row()
        row.label(text="Blender %d.%d · %s" % (major, minor, analysis.ENGINE_RENDERERS.get(engine, engine.lower()).title()),
                  icon="BLENDER", translate=False)
        if state.env_summary:
            box.label(text=_("Environment: %s") % state.env_summary, icon="PREFERENCES", translate=False)
            if state.env_reason:
                box.label(text=state.env_reason, translate=False)
            if state.plugins:
                box.label(text=_("Plugins: %s") % state.plugins, icon="PLUGIN", translate=False)
        else:
            box.label(text="Environment: chosen at Check Scene / Submit", icon="PREFERENCES")
        box.prop(settings, "env_name", text="Environment")

        # frames
        col = layout.column(align=True)
        col.row().prop(settings, "frames_mode", expand=True)
        if settings.frames_mode == "CUSTOM":
            col.prop(settings, "custom_frames", text="")
        else:
            col.label(text=_("Frames %s") % analysis.frame_spec(scene.frame_start, scene.frame_end, scene.frame_step),
                      translate=False)

        # view layers and cameras
        self._draw_names(layout, scene, "layers", "View Layers", [vl.name for vl in scene.view_layers], "RENDERLAYERS")
        cameras = sorted(obj.name for obj in scene.objects if obj.type == "CAMERA")
        self._draw_names(layout, scene, "cameras", "Cameras", cameras, "CAMERA_DATA")
        layout.prop(settings, "label")
        row = layout.row(align=True)
        row.prop(settings, "test_frames")
        sub = row.row(align=True)
        sub.enabled = bool(settings.test_frames.strip())
        sub.prop(settings, "stop_after_test", text="", icon="PAUSE")

        # validation
        if state.validated:
            box = layout.box()
            if not len(state.issues):
                box.label(text="No problems found", icon="CHECKMARK")
            for issue in state.issues:
                col = box.column(align=True)
                col.label(text=issue.message, icon=_ISSUE_ICONS.get(issue.severity, "INFO"), translate=False)
                if issue.hint:
                    col.label(text="    %s" % issue.hint, translate=False)

        # submit
        online = preferences.online_access()
        if jobs.running("submit") or (state.job_running and state.job_kind in ("submit", "validate")):
            row = layout.row(align=True)
            _progress(row, state.job_progress, state.job_message or _(state.job_stage))
            row.operator("renderbus.cancel", text="", icon="CANCEL")
        else:
            unsaved = bool(bpy.data.filepath) and changes.scene_modified(scene)
            row = layout.row(align=True)
            row.enabled = online
            row.operator("renderbus.validate", icon="VIEWZOOM")
            sub = row.row(align=True)
            sub.scale_x = 1.5
            if unsaved:  # the farm renders the saved file: offer to save it first
                sub.operator("renderbus.submit", text="Save and Submit", icon="EXPORT").save_first = True
                col = layout.column(align=True)
                col.enabled = online
                col.label(text="Unsaved changes: the farm renders the saved file", icon="ERROR")
                col.operator("renderbus.submit", text="Submit the Saved File", icon="FILE_BLEND")
            else:
                sub.operator("renderbus.submit", icon="EXPORT")
            if state.job_message and state.job_kind in ("submit", "validate"):
                layout.label(text=state.job_message, icon="ERROR" if state.job_error else "INFO", translate=False)
            if state.job_kind == "submit" and state.interrupted_id:  # a task was left: carry it on
                layout.operator("renderbus.resume", icon="RECOVER_LAST")
        if not online:
            layout.label(text="Online access is off: Preferences > System > Network", icon="INTERNET_OFFLINE")

    @staticmethod
    def _draw_account(layout: "bpy.types.UILayout", state: Any) -> None:
        row = layout.row()
        settings = preferences.load_settings()
        if not settings.has_credentials:
            row.label(text="No Renderbus account: set it in the add-on's preferences", icon="ERROR")
        elif state.account:
            row.label(text=state.account, icon="USER", translate=False)
        else:
            row.label(text=_("Account %s") % settings.access_id, icon="USER", translate=False)
        row.operator("renderbus.test_connection", text="", icon="URL")

    @staticmethod
    def _draw_names(layout: "bpy.types.UILayout", scene: Any, field: str, title: str, names: list, icon: str) -> None:
        chosen = properties.selected_names(getattr(scene.renderbus, field)) or operators.default_names(scene, field)
        col = layout.column(align=True)
        col.label(text=title, icon=icon)
        flow = col.grid_flow(columns=2, even_columns=True, align=True)
        for name in names:
            op = flow.operator("renderbus.toggle_name", text=name, depress=name in chosen, translate=False)
            op.field, op.name = field, name
        if not names:
            col.label(text="(none)")


class RENDERBUS_UL_tasks(bpy.types.UIList):
    """Recent tasks: name, status, frames done/failed/total and a progress bar."""

    def draw_item(self, context: Any, layout: Any, data: Any, item: Any, icon: Any, active_data: Any,
                  active_propname: str, index: int = 0, flt_flag: int = 0) -> None:
        row = layout.row(align=True)
        row.label(text=item.alias or str(item.task_id), icon="RENDER_RESULT", translate=False)
        row.label(text=item.status, translate=False)
        row.label(text="%d/%d/%d" % (item.frames_done, item.frames_failed, item.frames_total), translate=False)
        _progress(row, item.percent / 100.0, "%d%%" % round(item.percent))


class RENDER_PT_renderbus_tasks(bpy.types.Panel):
    """Your recent Renderbus tasks and the selected one's progress."""

    bl_label = "Tasks"
    bl_idname = "RENDER_PT_renderbus_tasks"
    bl_parent_id = "RENDER_PT_renderbus"
    bl_space_type = "PROPERTIES"
    bl_region_type = "WINDOW"
    bl_context = "output"

    def draw(self, context: "bpy.types.Context") -> None:
        layout = self.layout
        state = properties.state(context)
        row = layout.row()
        row.label(text="Done / failed / total frames")
        row.operator("renderbus.refresh_tasks", text="", icon="FILE_REFRESH")
        layout.template_list("RENDERBUS_UL_tasks", "", state, "tasks", state, "task_index", rows=4)
        if state.tasks_message:
            layout.label(text=state.tasks_message, icon="ERROR", translate=False)
        if not 0 <= state.task_index < len(state.tasks):
            return
        task = state.tasks[state.task_index]
        box = layout.box()
        box.label(text="%s · %s · %s" % (task.alias or task.task_id, task.scene_name, task.status), translate=False)
        _progress(box, task.percent / 100.0, _("%(done)d of %(total)d frames done, %(failed)d failed, %(running)d rendering")
                  % {"done": task.frames_done, "total": task.frames_total, "failed": task.frames_failed,
                     "running": task.frames_running})
        if state.progress_icon:
            box.template_icon(icon_value=state.progress_icon, scale=8.0)
        elif state.progress_image and state.progress_image in bpy.data.images:
            box.label(text=_("Progress image: %s (Image Editor)") % state.progress_image, icon="IMAGE_DATA",
                      translate=False)
        row = box.row(align=True)
        for action, icon in (("STOP", "PAUSE"), ("START", "PLAY"), ("RETRY_FAILED", "FILE_REFRESH"), ("ABORT", "CANCEL")):
            op = row.operator("renderbus.task_action", text=_(TASK_ACTION_LABELS[action]), icon=icon, translate=False)
            op.action, op.task_id = action, task.task_id
        downloads.draw_tasks_extra(layout, task)


classes = (RENDER_PT_renderbus, RENDERBUS_UL_tasks, RENDER_PT_renderbus_tasks)

