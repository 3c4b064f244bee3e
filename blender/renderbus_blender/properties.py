"""The add-on's properties.

- ``scene.renderbus`` (:class:`RENDERBUS_PG_scene`): the submission settings of a scene, saved
  with the .blend: frames (the scene's range or a custom spec), view layers and cameras, label
  and render environment name. They map to the core's "scene settings"
  (``SubmitOptions.from_settings``: keys frames, layers, cameras, label, env_name).
- ``window_manager.renderbus`` (:class:`RENDERBUS_PG_state`): what the UI shows while Blender
  runs (recent tasks, the running job's progress, the last validation, the account line). The
  window manager's custom properties are not written to the .blend.
"""

from typing import Any, Dict, List

import bpy
from bpy.props import (
    BoolProperty,
    CollectionProperty,
    EnumProperty,
    FloatProperty,
    IntProperty,
    PointerProperty,
    StringProperty,
)

__all__ = ["classes", "register", "unregister", "scene_settings", "selected_names", "state"]


def _split(text: str) -> List[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def selected_names(text: str) -> List[str]:
    """The names in a comma-separated selection string ("" = none chosen: the default)."""
    return _split(text)


class RENDERBUS_PG_scene(bpy.types.PropertyGroup):
    """Submission settings of one scene, saved with the .blend."""

    frames_mode: EnumProperty(
        name="Frames",
        items=[
            ("SCENE", "Scene Range", "Render the scene's frame range (start, end and step)"),
            ("CUSTOM", "Custom", "Render the frames written in Custom Frames"),
        ],
        default="SCENE",
    )
    custom_frames: StringProperty(
        name="Custom Frames",
        description="Frames to render, like 1-100, 1-100x2 or 1,5,10-20",
        default="",
    )
    layers: StringProperty(
        name="View Layers",
        description="View layers to render, comma-separated; empty: the view layers enabled for rendering",
        default="",
    )
    cameras: StringProperty(
        name="Cameras",
        description="Cameras to render, comma-separated; empty: the scene camera and cameras bound to markers",
        default="",
    )
    label: StringProperty(name="Project Label", description="Renderbus project label of the task", default="")
    env_name: StringProperty(
        name="Render Environment",
        description="Name of the render environment on Renderbus; empty: chosen from the scene",
        default="",
    )
    test_frames: StringProperty(
        name="Test Frames",
        description="Frames the farm renders first, of every view layer: first, middle, last and frame numbers, "
                    "like first,middle,last or 1,50; empty: none",
        default="",
    )
    stop_after_test: BoolProperty(
        name="Stop After Test Frames",
        description="Pause the task once the test frames are done: look at them and the forecast, then start the rest",
        default=False,
    )

    def to_settings(self, scene: "bpy.types.Scene") -> Dict[str, Any]:
        """The core's scene settings (keys frames, layers, cameras, label, env_name)."""
        from .analysis import frame_spec

        if self.frames_mode == "CUSTOM" and self.custom_frames.strip():
            frames = self.custom_frames.strip()
        else:
            frames = frame_spec(scene.frame_start, scene.frame_end, scene.frame_step)
        return {
            "frames": frames,
            "layers": _split(self.layers) or None,
            "cameras": _split(self.cameras) or None,
            "label": self.label,
            "env_name": self.env_name or None,
            "test_frames": self.test_frames.strip(),
            "stop_after_test": bool(self.stop_after_test and self.test_frames.strip()),
        }


class RENDERBUS_PG_issue(bpy.types.PropertyGroup):
    """One line of the validation list."""

    severity: StringProperty()  # "error", "warning", "notice"
    code: StringProperty()
    message: StringProperty()
    hint: StringProperty()


class RENDERBUS_PG_task(bpy.types.PropertyGroup):
    """One of the user's recent tasks, as last seen."""

    task_id: IntProperty()
    alias: StringProperty()
    scene_name: StringProperty()
    status: StringProperty()
    status_text: StringProperty()
    finished: BoolProperty()
    frames_total: IntProperty()
    frames_done: IntProperty()
    frames_failed: IntProperty()
    frames_running: IntProperty()
    percent: FloatProperty(subtype="PERCENTAGE", min=0.0, max=100.0)
    cost: FloatProperty()


def _on_task_selected(state: "RENDERBUS_PG_state", context: "bpy.types.Context") -> None:
    from . import downloads, jobs

    jobs.load_progress_image_for_selection()
    if 0 <= state.task_index < len(state.tasks):
        downloads.task_selected(state.tasks[state.task_index].task_id)


class RENDERBUS_PG_state(bpy.types.PropertyGroup):
    """Transient UI state, on the window manager (not saved in the .blend)."""

    # the running job (submit, validate, refresh, ...)
    job_kind: StringProperty()
    job_running: BoolProperty()
    job_stage: StringProperty()
    job_message: StringProperty()
    job_progress: FloatProperty(subtype="FACTOR", min=0.0, max=1.0)
    job_error: StringProperty()
    last_task_id: IntProperty()
    last_task_alias: StringProperty()
    interrupted_id: StringProperty()  # the submission a cancel or failure left with a task: Resume's
    # account, environment, validation (the last prepare)
    account: StringProperty()
    env_summary: StringProperty()
    env_reason: StringProperty()
    plugins: StringProperty()
    issues: CollectionProperty(type=RENDERBUS_PG_issue)
    validated: BoolProperty()
    # tasks
    tasks: CollectionProperty(type=RENDERBUS_PG_task)
    task_index: IntProperty(update=_on_task_selected)
    tasks_message: StringProperty()
    progress_image: StringProperty()  # name of the image in bpy.data.images
    progress_icon: IntProperty()  # icon id of the preview in the add-on's previews


classes = (RENDERBUS_PG_scene, RENDERBUS_PG_issue, RENDERBUS_PG_task, RENDERBUS_PG_state)


def register() -> None:
    bpy.types.Scene.renderbus = PointerProperty(type=RENDERBUS_PG_scene)
    bpy.types.WindowManager.renderbus = PointerProperty(type=RENDERBUS_PG_state)


def unregister() -> None:
    del bpy.types.WindowManager.renderbus
    del bpy.types.Scene.renderbus


def scene_settings(scene: "bpy.types.Scene") -> RENDERBUS_PG_scene:
    return scene.renderbus


def state(context: "bpy.types.Context" = None) -> RENDERBUS_PG_state:
    """The UI state of the running Blender."""
    return (context or bpy.context).window_manager.renderbus
