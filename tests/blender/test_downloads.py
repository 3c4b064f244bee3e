"""Frames come home in Blender: test frames asked for at submit, the forecast with Start beside it,
frames downloaded by themselves into the scene's image folder, and a frame opened as an image."""

import time
from pathlib import Path

import bpy

from renderbus_dcc.constants import TaskStatus

from .conftest import drain_until
from .test_panels import draw
from .test_submit import received, state, task_info


def frames_state():
    return bpy.context.window_manager.renderbus_frames


def _files(folder):
    return sorted(p for p in Path(folder).rglob("*") if p.is_file() and not p.name.endswith(".rbpart"))


def test_test_frames_forecast_downloads_and_the_image_editor(farm, account, project):
    from renderbus_blender import downloads, jobs, panels

    settings = bpy.context.scene.renderbus
    settings.test_frames, settings.stop_after_test = "first,last", True
    assert bpy.ops.renderbus.submit(follow=False) == {"FINISHED"}
    task_id = state().last_task_id
    info = received(farm, task_id)[0]["task.json"]["task_info"]
    assert (info["pre_frames"], info["stop_after_test"]) == ("101", "1")
    deadline = time.monotonic() + 60
    while task_info(farm, task_id).status != TaskStatus.STOP:
        assert time.monotonic() < deadline
        time.sleep(0.05)

    # the task list shows it: its finished test frames come home by themselves, in the scene's image folder
    assert bpy.ops.renderbus.refresh_tasks(follow=False) == {"FINISHED"}
    render = project["root"] / "render"
    drain_until(lambda: len(_files(render)) == 2)  # frames 1 and 3
    drain_until(lambda: not jobs.running("download"))
    assert [p.name for p in _files(render)] == ["shot.0001.exr", "shot.0003.exr"]  # the scene's own format

    # selecting it shows the forecast, with Start and Abort right there, and the frames
    state().task_index = 0
    drain_until(lambda: frames_state().forecast and not jobs.running("forecast"))
    assert frames_state().forecast_waiting and "from 2 test frames" in frames_state().forecast
    assert "Whole task: about" in frames_state().forecast and "1 frame left" in frames_state().forecast
    drawn = draw(panels.RENDER_PT_renderbus_tasks)
    texts = [kw.get("text", "") for _name, _args, kw in drawn]
    assert "Start the Rest" in texts and "Abort" in texts and "Download Automatically" in texts
    assert any(t.startswith("2 frames in ") for t in texts)
    opened = [kw["text"] for name, args, kw in drawn if name == "operator" and args == ("renderbus.open_frame",)]
    assert opened == ["render/shot.0001.exr", "render/shot.0003.exr"]

    # a frame opens as an image (an Image Editor shows it where Blender has a window)
    frame = str(_files(render)[0])
    assert bpy.ops.renderbus.open_frame(path=frame) == {"FINISHED"}
    image = bpy.data.images[frames_state().opened]
    assert image.filepath == frame and tuple(image.size) == (96, 54)  # a real EXR, decoded by Blender
    assert image.file_format == "OPEN_EXR"

    # Start: the rest renders, and comes home too
    assert bpy.ops.renderbus.task_action(action="START", task_id=task_id) == {"FINISHED"}
    deadline = time.monotonic() + 60
    while task_info(farm, task_id).status != TaskStatus.FINISHED:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert bpy.ops.renderbus.refresh_tasks(follow=False) == {"FINISHED"}
    drain_until(lambda: len(_files(render)) == 3 and not jobs.running("download"))


def test_the_automatic_download_is_a_switch_per_task(farm, account, project):
    from renderbus_blender import jobs
    from renderbus_dcc.downloads import records

    assert bpy.ops.renderbus.submit(follow=False) == {"FINISHED"}
    task_id = state().last_task_id
    assert bpy.ops.renderbus.auto_download(task_id=task_id, enable=False) == {"FINISHED"}
    assert records().auto(task_id) is False
    deadline = time.monotonic() + 60
    while task_info(farm, task_id).status != TaskStatus.FINISHED:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert bpy.ops.renderbus.refresh_tasks(follow=False) == {"FINISHED"}
    jobs.drain()
    assert not jobs.running("download") and _files(project["root"] / "render") == []
    assert bpy.ops.renderbus.download(task_id=task_id) == {"FINISHED"}  # by hand it still comes
    drain_until(lambda: len(_files(project["root"] / "render")) == 3 and not jobs.running("download"))
