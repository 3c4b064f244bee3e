"""Cancel, then Submit or Resume again, in real Blender: exactly one task on the farm, and
Cancel says what it actually left behind."""

import threading

import bpy
import pytest

from renderbus_dcc.farm.core import BIDS
from renderbus_dcc.journal import latest_unfinished

from .conftest import drain_until


def state():
    return bpy.context.window_manager.renderbus


def tasks(farm):
    return [t.id for t in farm.client().get_task_list(page_size=100).items]


def shells(farm):
    return [r["id"] for r in farm._require_db().all(
        "SELECT id FROM tasks WHERE parent_id = 0 AND submitted = 0 AND deleted = 0")]


@pytest.fixture
def hold_upload(monkeypatch):
    """The upload pauses after the artist's third file until the test lets it go."""
    from renderbus_dcc.transfer.localfarm import LocalFarmTransfer

    paused, go = threading.Event(), threading.Event()
    real = LocalFarmTransfer._upload_file
    count = {"files": 0}

    def upload_file(self, local, server, size, bid, *args, **kwargs):
        real(self, local, server, size, bid, *args, **kwargs)
        if str(bid) == BIDS["config_bid"]:
            return  # the task files: not the artist's files
        count["files"] += 1
        if count["files"] == 3 and not paused.is_set():
            paused.set()
            go.wait(30)

    monkeypatch.setattr(LocalFarmTransfer, "_upload_file", upload_file)
    # one file a request (small files otherwise go many to a request), so the upload can be held after the third
    monkeypatch.setattr(LocalFarmTransfer, "_batched", lambda self, size: False)
    return paused, go


def cancel_in_upload(hold_upload):
    """What a person does: Submit (background), then Cancel while the files go up."""
    from renderbus_blender import jobs, operators

    paused, go = hold_upload
    operators.start_background("renderbus.submit")
    assert paused.wait(60), state().job_message
    assert bpy.ops.renderbus.cancel() == {"FINISHED"}
    go.set()
    job = jobs.wait("submit")
    drain_until(lambda: not state().job_running)
    assert type(job.error).__name__ == "Cancelled"
    return latest_unfinished()


def test_cancel_says_what_it_left_then_submit_asks_and_resumes(farm, account, project, hold_upload):
    from renderbus_blender import operators

    journal = cancel_in_upload(hold_upload)
    alias = journal.data["alias"]
    assert state().job_error.startswith("Cancelled: task %s is created and not submitted" % alias)
    assert "3 of 9 files" in state().job_error and "Resume carries" not in state().job_error
    assert state().interrupted_id == journal.id  # the panel shows Resume
    # a script that does not say what to do is stopped, with the choices named
    with pytest.raises(RuntimeError, match="has an interrupted submission"):
        bpy.ops.renderbus.submit()
    assert "3 of 9 files" in state().job_error and "interrupted='RESUME'" in state().job_error
    assert tasks(farm) == []
    # what the popup shows a person, and the choice it offers
    assert operators.interrupted_submission(bpy.context).id == journal.id
    assert bpy.ops.renderbus.submit(interrupted="RESUME") == {"FINISHED"}
    assert state().last_task_id == journal.task_id
    assert tasks(farm) == [journal.task_id] and shells(farm) == []  # exactly one task
    assert operators.interrupted_submission(bpy.context) is None and not state().interrupted_id


def test_cancel_then_resume_finishes_the_same_task(farm, account, project, hold_upload):
    journal = cancel_in_upload(hold_upload)
    assert bpy.ops.renderbus.resume() == {"FINISHED"}
    assert state().last_task_id == journal.task_id
    assert tasks(farm) == [journal.task_id] and shells(farm) == []


def test_cancel_then_discard_in_the_background_submits_once(farm, account, project, hold_upload):
    from renderbus_blender import jobs, operators

    journal = cancel_in_upload(hold_upload)
    hold_upload[1].set()
    operators.start_background("renderbus.submit", interrupted="DISCARD")  # the popup's second choice
    jobs.wait("submit")
    drain_until(lambda: not state().job_running)
    assert not state().job_error, state().job_error
    assert state().last_task_id != journal.task_id
    assert tasks(farm) == [state().last_task_id] and shells(farm) == []  # the old task was deleted


def test_a_cancel_before_the_task_says_nothing_was_left(farm, account, project):
    from renderbus_blender import jobs, operators

    operators.start_background("renderbus.submit")
    assert bpy.ops.renderbus.cancel() == {"FINISHED"}
    job = jobs.wait("submit")
    drain_until(lambda: not state().job_running)
    assert type(job.error).__name__ == "Cancelled"
    if job.error.task_id is None:  # cancelled before createTask (the usual case: it is quick)
        assert "no task was created" in state().job_error and not state().interrupted_id
    assert bpy.ops.renderbus.submit(interrupted="RESUME" if job.error.task_id else "ASK") == {"FINISHED"}
    assert len(tasks(farm)) == 1 and shells(farm) == []


def test_a_submission_above_the_frame_threshold_asks_first(farm, account, project, monkeypatch):
    from renderbus_blender import operators

    monkeypatch.setenv("RENDERBUS_CONFIRM_FRAMES", "2")  # the setting (renderbus config --confirm-frames)
    warnings = operators.costly_warnings(bpy.context)  # what the popup says to a person
    assert len(warnings) == 1 and "frames, more than the 2 that ask for a confirmation" in warnings[0]
    with pytest.raises(RuntimeError, match="confirmed=True"):
        bpy.ops.renderbus.submit()  # a script that did not confirm: nothing is created
    assert tasks(farm) == [] and shells(farm) == []
    assert bpy.ops.renderbus.submit(confirmed=True) == {"FINISHED"}
    assert tasks(farm) == [state().last_task_id]
