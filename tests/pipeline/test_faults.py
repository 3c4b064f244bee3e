"""Under faults and mistakes: never a duplicate, nothing lost, no manual resume needed.

Against the real local farm: seeded chaos, answers lost after the farm acted (createTask,
submitTask, addRenderEnv), two workstations of one account, Ctrl-C then submit again.
"""

import json
import shutil
from pathlib import Path
from typing import Any, List

import pytest

from renderbus_dcc.cli.submit import load_scene
from renderbus_dcc.errors import BadResponseError, Cancelled, OutcomeUnknown, SubmissionError
from renderbus_dcc.examples import example_dir
from renderbus_dcc.journal import Journal, latest_unfinished, list_journals
from renderbus_dcc.pending import PendingSubmission, discard
from renderbus_dcc.submission import SubmitOptions, resume, submit

from .test_submit_farm import Killed, all_tasks, check_received

YES = dict(confirm=lambda report: True)


def copy_scene(tmp_path: Path, name: str) -> Any:
    """Its own copy of the example project: another scene file, so another scene."""
    target = tmp_path / name
    shutil.copytree(str(example_dir("maya_arnold")), str(target))
    return load_scene(str(target / "scene.json"))


def shells(farm) -> List[int]:
    """Tasks created and never submitted nor deleted (invisible to the artist, left behind)."""
    rows = farm._require_db().all("SELECT id FROM tasks WHERE parent_id = 0 AND submitted = 0 AND deleted = 0")
    return [r["id"] for r in rows]


def scene_of(farm, client, task_id: int) -> str:
    """The scene file a task's task.json renders."""
    bid = client.get_transfer_bid().config_bid
    task = json.loads(farm.uploaded_path(bid, "/%d/cfg/task.json" % task_id).read_text(encoding="utf-8"))
    return task["task_info"]["input_cg_file"]


def answer_lost(client, method: str, error: Exception, times: int = 1):
    """``client.method`` does its work on the farm, then its answer is lost (``times`` times)."""
    real = getattr(type(client), method)
    made = []

    def lost(*args, **kwargs):
        result = real(client, *args, **kwargs)
        made.append(result)
        if len(made) <= times:
            raise error
        return result

    setattr(client, method, lost)
    return made


# --- chaos ------------------------------------------------------------------------------------

@pytest.mark.parametrize("profile", ["v1", "v2"])
def test_seeded_chaos_submissions_end_well_by_themselves(farm, tmp_path, profile):
    """The issue's mix of faults, seeded: every submission ends by itself, one task each."""
    client = farm.client(profile, backoff=0.001)
    submit(copy_scene(tmp_path, "history"), client, **YES)  # an account with a past
    farm.set_chaos("drop=0.1,error500=0.1,slow=0.1,garble=0.05,delay=0.01")
    scenes = [copy_scene(tmp_path, "shot%d" % i) for i in range(4)]
    results = [submit(scene, client, SubmitOptions(label="shot%d" % i), **YES) for i, scene in enumerate(scenes)]
    met = {fault for _, _, fault in farm.chaos.log}
    farm.set_chaos(None)
    assert {"drop", "error500", "garble"} <= met  # the faults were met, and nobody had to act
    assert len({r.task_id for r in results}) == 4
    assert len(all_tasks(client)) == 5  # never a duplicate
    for scene, result in zip(scenes, results):
        assert scene_of(farm, client, result.task_id) == scene.scene_file  # each renders its own scene
    assert shells(farm) == []  # no empty task left behind
    assert latest_unfinished() is None


# --- answers lost after the farm acted ---------------------------------------------------------

@pytest.mark.parametrize("profile", ["v1", "v2"])
def test_a_garbled_create_answer_is_recovered_in_place(farm, tmp_path, profile):
    client = farm.client(profile, backoff=0.001)
    submit(copy_scene(tmp_path, "before"), client, **YES)
    made = answer_lost(client, "create_task", BadResponseError("garbled"))
    result = submit(copy_scene(tmp_path, "shot"), client, **YES)
    assert result.task_id == made[0].task_ids[0]  # the task the lost answer named: adopted
    assert len(made) == 1 and len(all_tasks(client)) == 2 and shells(farm) == []
    assert Journal.load(result.journal_path).data["recovered"]


def test_v2_recovery_needs_no_history_and_deletes_what_it_could_not_find(farm, tmp_path):
    """A new account (nothing to count from): a second task is made, then the first, which
    carries this submission's token, is found below it and deleted."""
    client = farm.client("v2", backoff=0.001)
    made = answer_lost(client, "create_task", OutcomeUnknown("lost"))
    result = submit(copy_scene(tmp_path, "shot"), client, **YES)
    assert len(made) == 2 and result.task_id == made[1].task_ids[0]
    assert [t.id for t in all_tasks(client)] == [result.task_id]
    assert shells(farm) == []  # the first one, provably this submission's, was deleted
    [lost] = made[0].task_ids
    with pytest.raises(Exception, match="not found"):
        client.query_task_info([lost])


def test_the_token_rides_on_v2_create_task_only(farm, tmp_path):
    v2 = farm.client("v2")
    submit(copy_scene(tmp_path, "a"), v2, **YES)
    [task] = all_tasks(v2)
    journal = latest = [j for j in list_journals() if j.task_id == task.id][0]
    assert journal.token and ("rb-" + journal.token) in v2.query_task_info([task.id]).items[0].artist
    assert latest.data["create_intent"]["token_sent"]
    v1 = farm.client("v1")
    result = submit(copy_scene(tmp_path, "b"), v1, **YES)
    assert not Journal.load(result.journal_path).data["create_intent"]["token_sent"]


def test_a_lost_submit_answer_is_found_out_not_resent_blind(farm, tmp_path):
    client = farm.client(backoff=0.001)
    made = answer_lost(client, "submit_task", OutcomeUnknown("lost"))
    result = submit(copy_scene(tmp_path, "shot"), client, **YES)
    assert len(made) == 1  # it had taken: not sent again ("already submitted" never seen)
    assert [t.id for t in all_tasks(client)] == [result.task_id]
    assert Journal.load(result.journal_path).finished


def test_a_lost_environment_answer_makes_one_environment(farm, tmp_path):
    client = farm.client(backoff=0.001)
    made = answer_lost(client, "add_render_env", BadResponseError("garbled"))
    result = submit(copy_scene(tmp_path, "shot"), client, **YES)
    assert len(made) == 1 and [e.edit_name for e in client.get_render_env(2000)] == [result.env_name]


def test_a_refusal_is_not_taken_for_a_lost_answer(farm, tmp_path):
    client = farm.client(backoff=0.001)
    scene = copy_scene(tmp_path, "shot")
    calls = []

    def refused(*args, **kwargs):
        calls.append(1)
        from renderbus_dcc.errors import ParameterInvalidError

        raise ParameterInvalidError("no", code=600)

    client.submit_task = refused
    with pytest.raises(SubmissionError, match="refused to submit"):
        submit(scene, client, **YES)
    assert len(calls) == 1


# --- two workstations of one account ----------------------------------------------------------

def _dies_after_task_files(client):
    from renderbus_dcc.transfer.localfarm import LocalFarmTransfer

    class Dies(LocalFarmTransfer):
        """The task files go up; the process dies as the assets start."""

        def upload(self, items, bid, on_progress=None):
            if str(bid) != str(client.get_transfer_bid().config_bid):
                raise Killed("after the task files")
            return super().upload(items, bid, on_progress)

    return Dies(client)


@pytest.mark.parametrize("profile", ["v1", "v2"])
def test_two_workstations_each_resume_their_own_task(farm, tmp_path, profile):
    """A uploads its task files and dies; B dies with createTask's answer in hand. B's resume
    must not take A's task; each resume finishes its own."""
    history = farm.client(profile)
    submit(copy_scene(tmp_path, "history"), history, **YES)
    a_dir, b_dir = tmp_path / "journal-A", tmp_path / "journal-B"
    scene_a, scene_b = copy_scene(tmp_path, "A"), copy_scene(tmp_path, "B")
    a = farm.client(profile)
    with pytest.raises(Killed):
        submit(scene_a, a, transfer=_dies_after_task_files(a), journal_dir=a_dir, **YES)
    [journal_a] = list_journals(a_dir)
    b = farm.client(profile)
    made = answer_lost(b, "create_task", Killed("after createTask"))
    with pytest.raises(Killed):
        submit(scene_b, b, journal_dir=b_dir, **YES)
    assert latest_unfinished(b_dir).step == "creating"
    result_b = resume(farm.client(profile), journal_dir=b_dir)
    assert result_b.task_id == made[0].task_ids[0] != journal_a.task_id
    result_a = resume(farm.client(profile), journal_dir=a_dir)
    assert result_a.task_id == journal_a.task_id
    client = farm.client(profile)
    assert scene_of(farm, client, result_a.task_id) == scene_a.scene_file
    assert scene_of(farm, client, result_b.task_id) == scene_b.scene_file
    assert len(all_tasks(client)) == 3 and shells(farm) == []


@pytest.mark.parametrize("profile", ["v1", "v2"])
def test_two_workstations_never_cross_even_before_task_files(farm, tmp_path, profile):
    """A dies right after createTask answered (its task holds nothing yet); B's answer is lost.
    v2: B's token finds B's task. v1: two candidates, so B takes neither and makes another."""
    submit(copy_scene(tmp_path, "history"), farm.client(profile), **YES)
    a_dir, b_dir = tmp_path / "journal-A", tmp_path / "journal-B"
    scene_a, scene_b = copy_scene(tmp_path, "A"), copy_scene(tmp_path, "B")
    a = farm.client(profile)
    with pytest.raises(Killed):
        submit(scene_a, a, journal_dir=a_dir, on_progress=lambda p: (_ for _ in ()).throw(Killed())
               if p.stage == "taskfiles" else None, **YES)
    b = farm.client(profile)
    made = answer_lost(b, "create_task", Killed("after createTask"))
    with pytest.raises(Killed):
        submit(scene_b, b, journal_dir=b_dir, **YES)
    result_b = resume(farm.client(profile), journal_dir=b_dir)
    result_a = resume(farm.client(profile), journal_dir=a_dir)
    client = farm.client(profile)
    assert result_a.task_id != result_b.task_id
    assert scene_of(farm, client, result_a.task_id) == scene_a.scene_file
    assert scene_of(farm, client, result_b.task_id) == scene_b.scene_file
    if profile == "v2":
        assert result_b.task_id == made[0].task_ids[0] and shells(farm) == []
    else:  # the stated v1 limit: B's lost task stays an empty, never-submitted shell
        assert shells(farm) == made[0].task_ids


# --- one interrupted submission per scene ------------------------------------------------------

def _cancel_in_upload(p):
    return p.stage != "upload" or p.files_done < 5


def test_submitting_a_scene_again_after_a_cancel_asks_first(farm, farm_client, scene, project):
    with pytest.raises(Cancelled) as info:
        submit(scene, farm_client, on_progress=_cancel_in_upload, **YES)
    journal = latest_unfinished()
    text = str(info.value)
    assert "task %s is created and not submitted" % journal.data["alias"] in text and "of 30 files" in text
    with pytest.raises(PendingSubmission) as asked:
        submit(scene, farm_client, **YES)
    assert asked.value.journal.id == journal.id
    assert "--resume" in str(asked.value) and "--discard" in str(asked.value) and "--new" in str(asked.value)
    result = submit(scene, farm_client, interrupted="resume", **YES)
    assert result.task_id == journal.task_id
    assert [t.id for t in all_tasks(farm_client)] == [journal.task_id]  # exactly one task
    check_received(farm, farm_client, result, project)
    assert shells(farm) == []


def test_discard_deletes_the_unsubmitted_task_then_submits_anew(farm, farm_client, scene):
    with pytest.raises(Cancelled):
        submit(scene, farm_client, on_progress=_cancel_in_upload, **YES)
    old = latest_unfinished()
    result = submit(scene, farm_client, interrupted="discard", **YES)
    assert result.task_id != old.task_id
    assert [t.id for t in all_tasks(farm_client)] == [result.task_id] and shells(farm) == []
    assert Journal.load(old.path).discarded
    with pytest.raises(SubmissionError, match="discarded"):
        resume(farm_client, old.id)  # a later resume renders nothing twice


def test_new_beside_an_interrupted_one_is_on_request_only(farm, farm_client, scene):
    with pytest.raises(Cancelled):
        submit(scene, farm_client, on_progress=_cancel_in_upload, **YES)
    result = submit(scene, farm_client, interrupted="new", **YES)
    assert [t.id for t in all_tasks(farm_client)] == [result.task_id]
    assert latest_unfinished() is not None  # the other is still there, to resume or discard


def test_discarding_a_submission_that_had_reached_the_farm_keeps_it(farm, farm_client, scene):
    client = farm.client()
    answer_lost(client, "submit_task", Killed("after submitTask"))
    with pytest.raises(Killed):
        submit(scene, client, **YES)
    journal = latest_unfinished()
    with pytest.raises(SubmissionError, match="had reached the farm after all"):
        discard(journal, farm_client)
    assert [t.id for t in all_tasks(farm_client)] == [journal.task_id]  # still there, rendering
    assert Journal.load(journal.path).finished


def test_a_cancel_before_the_task_says_nothing_was_left(farm, farm_client, scene):
    with pytest.raises(Cancelled) as info:
        submit(scene, farm_client, on_progress=lambda p: p.stage != "create", **YES)
    assert "no task was created" in str(info.value) and info.value.task_id is None
    assert latest_unfinished() is None and shells(farm) == []
    result = submit(scene, farm_client, **YES)  # nothing to ask about
    assert [t.id for t in all_tasks(farm_client)] == [result.task_id]


# --- mistakes caught before money ------------------------------------------------------------

def test_the_forecast_cost_comes_from_what_recent_frames_cost(farm, farm_client, scene):
    from renderbus_dcc.monitor import TaskMonitor
    from renderbus_dcc.submission import prepare

    first = submit(scene, farm_client, SubmitOptions(frames="1-2"), **YES)
    TaskMonitor(farm_client, [first.task_id], interval=0.05, max_interval=0.1).run()
    [done] = farm_client.query_task_info([first.task_id]).items
    per_frame = done.render_consume / done.done_frames
    prep = prepare(scene, farm_client, SubmitOptions(frames="1-100", confirm_cost=per_frame * 50))
    assert prep.frame_count == 200 and prep.forecast == pytest.approx(per_frame * 200)
    assert "cost_high" in prep.report.codes()
    with pytest.raises(Cancelled):
        submit(scene, farm_client, SubmitOptions(frames="1-100", confirm_cost=per_frame * 50),
               confirm=lambda report: False)
    assert [t.id for t in all_tasks(farm_client)] == [first.task_id]  # nothing made, nothing billed


# --- journals that cannot be read ---------------------------------------------------------------

@pytest.mark.parametrize("content", [b"{not json", b"", b"\xff\xfe\x00", b'{"hello": 1}', b"[1, 2]"])
def test_a_damaged_or_foreign_journal_is_one_line(farm, farm_client, content, isolated_user_dirs):
    folder = isolated_user_dirs / "data" / "journal"
    folder.mkdir(parents=True)
    (folder / "20260101-000000-abcdef.json").write_bytes(content)
    problems: List[Any] = []
    assert list_journals(problems=problems) == [] and len(problems) == 1
    with pytest.raises(SubmissionError) as info:
        resume(farm_client, "20260101-000000-abcdef")
    text = str(info.value)
    assert "20260101-000000-abcdef.json" in text and "\n" not in text
    assert "discard" in text or "move it out" in text


def test_an_incomplete_journal_says_so_instead_of_a_key_error(farm, farm_client, tmp_path):
    journal = Journal.create(tmp_path, endpoint=farm_client.endpoint, access_id=farm_client.access_id)
    with pytest.raises(SubmissionError, match="incomplete: it lacks env, task_files, files"):
        resume(farm_client, journal.id, journal_dir=tmp_path)
