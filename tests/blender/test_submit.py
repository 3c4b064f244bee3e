"""Submitting and following tasks from Blender, against the real local farm."""

from pathlib import Path

import bpy
import pytest

from renderbus_dcc.constants import TaskStatus
from renderbus_dcc.paths import to_server_path

from .conftest import drain_until, received


def state():
    return bpy.context.window_manager.renderbus


def task_info(farm, task_id):
    [info] = farm.client().query_task_info([task_id]).items
    return info


def submitted_ids(farm):
    """The farm's task list: submitted tasks only (a task created but not submitted is not in it)."""
    return [t.id for t in farm.client().get_task_list().items]


BLENDER = "Blender %d.%d" % bpy.app.version[:2]


def test_a_script_submits_with_the_blocking_operator(farm, account, project):
    result = bpy.ops.renderbus.submit()

    assert result == {"FINISHED"}
    task_id = state().last_task_id
    assert task_id and "Submitted task" in state().job_message
    assert task_info(farm, task_id).scene_name == "shot.blend" and submitted_ids(farm) == [task_id]
    cfg, files = received(farm, task_id)
    expected = project["udim"] + project["sequence"] + [project["unicode"], project["library"], project["lib_tex"],
                                                       project["blend"]]
    for path in expected:  # every file, byte for byte, non-ASCII names included
        assert files[str(path)] == Path(path).read_bytes(), path
    assert len(files) == len(expected)
    assert farm.uploaded_path(farm.client().get_transfer_bid().input_bid, to_server_path(str(project["unicode"]))).exists()
    missing = [m["owner"] for m in cfg["asset.json"]["additional_info"]["missing"]]
    assert missing == ["bpy.data.images['missing']"]
    task = cfg["task.json"]
    assert task["software_config"]["cg_name"] == "Blender"
    assert task["software_config"]["cg_version"] == "%d.%d" % bpy.app.version[:2]
    assert [w.code for w in state().issues if w.severity == "warning"] == ["assets_missing"]  # saved: no scene_unsaved
    assert state().env_summary == BLENDER  # the environment's name is the same: said once


def test_a_person_submits_in_the_background_with_progress_and_follows_the_task(farm, account, project, monkeypatch):
    from renderbus_blender import jobs, operators

    seen = []  # what the panel showed after each message the timer applied
    apply = jobs._apply

    def recording(kind, name, payload):
        apply(kind, name, payload)
        seen.append((name, state().job_stage, round(state().job_progress, 3), state().job_message))
    monkeypatch.setattr(jobs, "_apply", recording)
    import threading

    from renderbus_dcc import assets
    from renderbus_blender import analysis

    threads = {"describe": [], "md5": []}  # bpy read on the main thread, the scene hashed in the job's

    def spy(kind, fn):
        def wrapped(*args, **kwargs):
            threads[kind].append(threading.current_thread() is threading.main_thread())
            return fn(*args, **kwargs)
        return wrapped
    monkeypatch.setattr(analysis, "describe_scene", spy("describe", analysis.describe_scene))
    monkeypatch.setattr(assets, "md5_file", spy("md5", assets.md5_file))

    # what the button's invoke() does (the bpy module has no window to invoke in)
    operators.start_background("renderbus.submit")
    assert state().job_running and state().job_kind == "submit"  # returned at once
    drain_until(lambda: not state().job_running)

    assert not state().job_error, state().job_error
    assert threads == {"describe": [True], "md5": [False]}
    uploads = [s for s in seen if s[1] == "upload"]
    assert uploads and uploads[-1][2] == 1.0 and uploads[-1][3].startswith("Uploading 9/9 files")  # the scene and its assets
    assert [p for _, _, p, _ in uploads] == sorted(p for _, _, p, _ in uploads)  # never goes back
    assert seen[-1][1] == "done" and state().job_message.startswith("Submitted task")
    task_id = state().last_task_id
    assert task_id and state().tasks[0].task_id == task_id
    # following: the monitor thread's snapshots reach the list through the timer callback
    drain_until(lambda: state().tasks[0].finished, timeout=120)
    item = state().tasks[0]
    assert (item.frames_done, item.frames_total, item.percent) == (3, 3, 100.0)
    assert item.status == "finished"
    jobs.shutdown()


def test_cancel_stops_a_running_submission(farm, account, project):
    from renderbus_blender import jobs, operators

    operators.start_background("renderbus.submit")
    assert bpy.ops.renderbus.cancel() == {"FINISHED"}
    job = jobs.wait("submit")

    assert job.error is not None and type(job.error).__name__ == "Cancelled"
    assert state().job_error.startswith("Cancelled") and not state().job_running
    assert farm.client().get_task_list().items == [] or all(
        t.status == TaskStatus.WAITING for t in farm.client().get_task_list().items)


def test_check_scene_lists_the_problems_and_the_environment(farm, account, project):
    bpy.context.scene.renderbus.frames_mode = "CUSTOM"
    bpy.context.scene.renderbus.custom_frames = "1-3"
    assert bpy.ops.renderbus.validate() == {"FINISHED"}
    issues = [(i.severity, i.code) for i in state().issues]
    assert ("warning", "assets_missing") in issues
    message = next(i.message for i in state().issues if i.code == "assets_missing")
    assert "missing.png" in message or "1" in message
    assert state().env_summary == BLENDER and state().env_reason
    assert state().account  # the profile came with it
    assert farm.client().get_task_list().items == []  # checking creates nothing


def test_bad_frames_are_refused_with_a_clear_message(farm, account, project):
    bpy.context.scene.renderbus.frames_mode = "CUSTOM"
    bpy.context.scene.renderbus.custom_frames = "1-x"
    with pytest.raises(RuntimeError):
        bpy.ops.renderbus.submit()
    assert "1-x" in state().job_error or "frame" in state().job_error.lower()
    assert farm.client().get_task_list().items == []


def test_tasks_list_actions_and_progress_image(farm, account, project):
    from renderbus_blender import jobs

    # more frames than the farm's 20 nodes: the task is still rendering when it is aborted
    bpy.context.scene.renderbus.frames_mode, bpy.context.scene.renderbus.custom_frames = "CUSTOM", "1-400"
    bpy.ops.renderbus.submit(follow=False)
    task_id = state().last_task_id
    state().tasks.clear()
    assert bpy.ops.renderbus.refresh_tasks(follow=False) == {"FINISHED"}
    assert [t.task_id for t in state().tasks] == [task_id] and state().tasks[0].status
    drain_until(lambda: bpy.ops.renderbus.refresh_tasks(follow=False) and state().tasks[0].frames_total == 400)

    assert bpy.ops.renderbus.task_action(action="STOP", task_id=task_id) == {"FINISHED"}
    assert task_info(farm, task_id).status == TaskStatus.STOP and state().tasks[0].status == "stopped"
    assert bpy.ops.renderbus.task_action(action="START", task_id=task_id) == {"FINISHED"}
    assert task_info(farm, task_id).status != TaskStatus.STOP
    jobs.shutdown()

    # the selected task's progress image lands in bpy.data.images
    drain_until(lambda: (bpy.ops.renderbus.refresh_tasks(follow=False) and state().tasks[0].frames_done > 0),
                timeout=60)
    state().task_index = 0  # selecting fetches the image in the background
    jobs.wait("image")
    image = bpy.data.images[jobs.PROGRESS_IMAGE]
    assert image.packed_file is not None and image.size[0] > 0 and state().progress_image == image.name

    assert bpy.ops.renderbus.task_action(action="RETRY_FAILED", task_id=task_id) == {"FINISHED"}
    state().task_index = 0
    assert bpy.ops.renderbus.task_action(action="ABORT") == {"FINISHED"}  # the selected task
    assert task_info(farm, task_id).status == TaskStatus.ABANDON


def test_test_connection_reports_the_account_or_what_is_wrong(farm, account):
    assert bpy.ops.renderbus.test_connection() == {"FINISHED"}
    assert state().account and "Connected" in state().job_message

    account.access_key = "not-the-key"
    with pytest.raises(RuntimeError, match="611"):
        bpy.ops.renderbus.test_connection()
    assert "access id and key" in state().job_error
    assert "not-the-key" not in state().job_error


class Crash(Exception):
    """Stands for Blender dying in the middle of an upload."""


def test_resume_carries_on_an_interrupted_submission_with_the_same_task(farm, account, project):
    from renderbus_blender.analysis import describe_scene
    from renderbus_dcc.journal import latest_unfinished
    from renderbus_dcc.submission import submit

    def crash_in_upload(progress):
        if progress.stage == "upload" and progress.files_done >= 6:
            raise Crash()

    with pytest.raises(Crash):
        submit(describe_scene(), farm.client(), on_progress=crash_in_upload, confirm=lambda report: True)
    task_id = latest_unfinished().task_id
    assert task_id

    assert bpy.ops.renderbus.resume() == {"FINISHED"}

    assert state().last_task_id == task_id and [t.id for t in farm.client().get_task_list().items] == [task_id]
    assert latest_unfinished() is None
    _, files = received(farm, task_id)
    assert files[str(project["blend"])] == project["blend"].read_bytes()
