"""Whole submissions against the real local farm: what it received, resume, cancel, dry run."""

import json
from pathlib import Path
from typing import List

import pytest

from renderbus_dcc.errors import Cancelled, RenderbusError, TransferError, ValidationFailed
from renderbus_dcc.journal import Journal, latest_unfinished, list_journals
from renderbus_dcc.scene import Asset
from renderbus_dcc.submission import SubmitOptions, SubmitProgress, prepare, resume, submit
from renderbus_dcc.transfer.localfarm import LocalFarmTransfer


class Killed(Exception):
    """Stands for the process dying (not a RenderbusError: nothing catches it)."""


def all_tasks(client) -> List:
    return client.get_task_list(page_num=1, page_size=100).items


def check_received(farm, client, result, scene_dir: Path) -> dict:
    """Every task file and every asset reached the farm, byte for byte; returns task.json."""
    bid = client.get_transfer_bid()
    cfg = {}
    for name in ("task.json", "upload.json", "asset.json", "tips.json"):
        path = farm.uploaded_path(bid.config_bid, "/%d/cfg/%s" % (result.task_id, name))
        cfg[name] = json.loads(path.read_text(encoding="utf-8"))
    upload = cfg["upload.json"]
    entries = upload["asset"]  # the scene too: the SDK's transfer reads "asset" only
    assert [s["server"] for s in upload["scene"]] == [e["server"] for e in entries if e["server"].endswith(".ma")]
    assert len(entries) == result.files
    for entry in entries:
        got = farm.uploaded_path(bid.input_bid, entry["server"]).read_bytes()
        assert got == Path(entry["local"]).read_bytes(), entry["local"]
    assert cfg["task.json"]["task_info"]["task_id"] == str(result.task_id)
    return cfg


def test_a_whole_submission(farm, farm_client, scene, project):
    scene.assets.append(Asset("sourceimages/lost_<UDIM>.tx", "lost.fileTextureName", "texture"))
    seen: List[SubmitProgress] = []
    asked = []

    def confirm(report):
        asked.append(report)
        return True

    result = submit(scene, farm_client, SubmitOptions(label="shot010"), on_progress=seen.append, confirm=confirm)

    assert [t.id for t in all_tasks(farm_client)] == [result.task_id]  # exactly one createTask
    cfg = check_received(farm, farm_client, result, project)
    assert result.files == 30  # 29 assets + the scene
    assert result.alias and result.env_name
    assert len(asked) == 1 and [w.code for w in asked[0].warnings] == ["assets_missing"]
    # the accepted warning, under the live service's code (MISSING_FILE), our message as the detail
    assert list(cfg["tips.json"]) == ["10012"] and "lost_<UDIM>.tx" in cfg["tips.json"]["10012"][0]
    assert [m["owner"] for m in cfg["asset.json"]["additional_info"]["missing"]] == ["lost.fileTextureName"]
    assert sorted(cfg["task.json"]["scene_info_render"]) == ["rs_beauty", "rs_shadow"]
    assert cfg["task.json"]["task_info"]["project_name"] == "shot010"
    # the label's id, as the SDK writes it for a task with a project name (the label was made)
    [label] = [l for l in farm_client.get_label_list() if l.project_name == "shot010"]
    assert cfg["task.json"]["task_info"]["project_id"] == str(label.project_id)
    assert cfg["task.json"]["software_config"]["plugins"]  # the farm's arnold version
    stages = [p.stage for p in seen]
    assert stages[0] == "prepare" and stages[-1] == "done"
    assert [s for i, s in enumerate(stages) if i == 0 or stages[i - 1] != s] == \
        ["prepare", "create", "taskfiles", "upload", "submit", "done"]
    last_upload = [p for p in seen if p.stage == "upload"][-1]
    # the counts are the artist's files (scene + assets), the same in the progress and the result
    assert last_upload.files_done == last_upload.files_total == result.files == 30
    assert last_upload.bytes_done == last_upload.bytes_total == result.bytes
    journal = Journal.load(result.journal_path)
    assert journal.finished and journal.task_id == result.task_id
    [info] = farm_client.query_task_info([result.task_id]).items
    assert info.scene_name == "shot010_lighting.ma"
    # The environment was created once with a readable name and is reused next time.
    envs = farm_client.get_render_env(2000)
    assert [e.edit_name for e in envs] == [result.env_name]
    seen_again: List[SubmitProgress] = []
    again = submit(scene, farm_client, on_progress=seen_again.append, confirm=lambda r: True)
    assert again.env_name == result.env_name and again.task_id != result.task_id
    assert len(farm_client.get_render_env(2000)) == 1
    # Nothing changed: the files the farm holds are told together (one report a status answer,
    # not one a file), all counted; the journal notes every one (a resume would not ask again).
    uploads = [(p.files_done, p.bytes_done) for p in seen_again if p.stage == "upload"]
    assert uploads == [(0, 0), (30, result.bytes), (30, result.bytes)]
    assert len(Journal.load(again.journal_path).uploaded()) == 30


@pytest.mark.parametrize("stage", ["create", "taskfiles", "upload", "submit"])
def test_resume_after_a_kill_at_each_step(farm, farm_client, scene, project, stage):
    def dies(progress):
        if progress.stage == stage:
            raise Killed(stage)

    with pytest.raises(Killed):
        submit(scene, farm_client, on_progress=dies, confirm=lambda r: True)
    journal = latest_unfinished()
    assert journal is not None and not journal.finished
    result = resume(farm_client)
    assert [t.id for t in all_tasks(farm_client)] == [result.task_id]  # never a second task
    if stage != "create":
        assert result.task_id == journal.task_id
    check_received(farm, farm_client, result, project)
    assert Journal.load(journal.path).finished
    assert latest_unfinished() is None


def lose_create_answer(farm):
    """A client whose process 'dies' right after createTask answered."""
    client = farm.client()
    made = []

    def create_then_die(*args, **kwargs):
        made.append(type(client).create_task(client, *args, **kwargs))
        raise Killed("after createTask")

    client.create_task = create_then_die
    return client, made


def test_resume_when_the_create_answer_was_lost(farm, farm_client, scene, project):
    """The process died after the farm created the task but before the journal had its id."""
    first = submit(scene, farm_client, SubmitOptions(frames="1"), confirm=lambda r: True)
    client, made = lose_create_answer(farm)
    with pytest.raises(Killed):
        submit(scene, client, confirm=lambda r: True)
    [lost] = made[0].task_ids
    assert latest_unfinished().step == "creating"
    result = resume(farm_client)
    assert result.task_id == lost  # adopted, not created again
    assert sorted(t.id for t in all_tasks(farm_client)) == [first.task_id, lost]
    check_received(farm, farm_client, result, project)


def test_lost_create_answer_on_a_new_account_makes_one_more_empty_shell(farm, farm_client, scene, project):
    """The documented residual risk: nothing to count from, so a new task is made."""
    client, made = lose_create_answer(farm)
    with pytest.raises(Killed):
        submit(scene, client, confirm=lambda r: True)
    result = resume(farm_client)
    assert result.task_id != made[0].task_ids[0]
    assert [t.id for t in all_tasks(farm_client)] == [result.task_id]  # the lost shell is never submitted
    [shell] = farm_client.query_task_info([made[0].task_ids[0]]).items
    assert not shell.scene_name and shell.total_frames == 0


class FailsAfter(LocalFarmTransfer):
    """The network goes away after ``n`` asset files."""

    def __init__(self, client, n):
        super().__init__(client, chunk_size=64)
        self.n = n

    def upload(self, items, bid, on_progress=None):
        count = {"done": 0}

        def progress(p):
            if p.completed:
                count["done"] += 1
                if count["done"] > self.n:
                    raise TransferError("network lost")
            return on_progress(p) if on_progress else None

        return super().upload(items, bid, progress)


def test_a_transfer_that_fails_midway_resumes_without_sending_again(farm, farm_client, scene, project):
    with pytest.raises(TransferError) as info:
        submit(scene, farm_client, transfer=FailsAfter(farm_client, 7), confirm=lambda r: True)
    assert "--resume" in str(info.value)
    journal = latest_unfinished()
    assert journal.step == "cfg_uploaded" and len(journal.uploaded()) == 7
    transfer = LocalFarmTransfer(farm_client, chunk_size=64)
    files = []
    result = resume(farm_client, journal.id, transfer=transfer,
                    on_progress=lambda p: files.append(p.current_file) if p.stage == "upload" else None)
    assert result.task_id == journal.task_id
    assert [t.id for t in all_tasks(farm_client)] == [result.task_id]
    check_received(farm, farm_client, result, project)
    assert len(Journal.load(journal.path).uploaded()) == 30


def test_cancel_keeps_the_task_for_a_resume(farm, farm_client, scene, project):
    def cancel_in_upload(p):
        return p.stage != "upload" or p.files_done < 10

    with pytest.raises(Cancelled) as info:
        submit(scene, farm_client, on_progress=cancel_in_upload, confirm=lambda r: True)
    journal = latest_unfinished()
    assert "--resume %s" % journal.id in str(info.value)
    assert journal.data["error"] == "cancelled" and journal.task_id
    assert all_tasks(farm_client) == []  # never submitted
    [task] = farm_client.query_task_info([journal.task_id]).items
    assert not task.scene_name
    result = resume(farm_client)
    assert result.task_id == task.id
    assert [t.id for t in all_tasks(farm_client)] == [task.id]
    check_received(farm, farm_client, result, project)


def test_warnings_refused_create_no_task(farm, farm_client, scene):
    scene.modified = True
    with pytest.raises(Cancelled):
        submit(scene, farm_client, confirm=lambda report: False)
    assert all_tasks(farm_client) == []


def test_errors_block_before_anything_is_created(farm, farm_client, scene):
    scene.scene_file = ""
    with pytest.raises(ValidationFailed) as info:
        submit(scene, farm_client)
    assert "never been saved" in str(info.value)
    assert info.value.report.errors[0].code == "scene_never_saved"
    assert all_tasks(farm_client) == []


def test_prepare_changes_nothing(farm, farm_client, scene):
    prep = prepare(scene, farm_client, SubmitOptions(layers=["rs_beauty"], frames="1-5"))
    assert prep.report.ok and prep.env.ok
    assert [l.name for l in prep.scene.renderable_layers()] == ["rs_beauty"]
    assert prep.scene.frames == "1-5" and scene.frames == "1-24"
    assert all_tasks(farm_client) == [] and farm_client.get_render_env(2000) == []
    result = submit(scene, farm_client, SubmitOptions(layers=["rs_beauty"], frames="1-5"), preparation=prep)
    render = check_received(farm, farm_client, result, None)["task.json"]["scene_info_render"]
    assert list(render) == ["rs_beauty"] and render["rs_beauty"]["common"]["frames"] == "1-5[1]"


def test_dry_run_writes_the_submission_to_a_folder(farm, farm_client, scene, tmp_path):
    out = tmp_path / "export"
    result = submit(scene, farm_client, SubmitOptions(dry_run_dir=str(out)), confirm=lambda r: True)
    assert result.dry_run_dir == str(out) and result.task_id == 0
    assert sorted(p.name for p in (out / "cfg").iterdir()) == ["asset.json", "task.json", "tips.json", "upload.json"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["file_count"] == 30 and all(f["exists"] for f in manifest["files"])
    assert any(f["local"].endswith("木纹 地板.jpg") for f in manifest["files"])
    assert manifest["total_bytes"] == result.bytes
    task = json.loads((out / "cfg" / "task.json").read_text(encoding="utf-8"))
    assert task["scene_info_render"]["rs_beauty"]["common"]["frames"] == "1-24[1]"
    assert all_tasks(farm_client) == []  # nothing created


def test_resume_refuses_another_account(farm, farm_client, scene):
    with pytest.raises(Killed):
        submit(scene, farm_client, confirm=lambda r: True,
               on_progress=lambda p: (_ for _ in ()).throw(Killed()) if p.stage == "upload" else None)
    other_id, other_key = farm.add_account()
    from renderbus_dcc.client import RenderbusClient

    other = RenderbusClient(other_id, other_key, endpoint=farm.url, platform=farm.platform)
    with pytest.raises(RenderbusError) as info:
        resume(other)
    assert "same account" in str(info.value)


def test_nothing_to_resume():
    from renderbus_dcc.errors import SubmissionError

    with pytest.raises(SubmissionError):
        resume(object())


class DiesAfterTaskFiles(LocalFarmTransfer):
    """The process dies once the task files reached the farm, before the journal says so."""

    def upload_bytes(self, payloads, bid, on_progress=None):
        super().upload_bytes(payloads, bid, on_progress)
        raise Killed("after the task files")


@pytest.mark.parametrize("method", ["add_render_env", "get_transfer_bid", "submit_task", "task_files"])
def test_resume_after_a_kill_right_after_a_call_answered(farm, scene, project, method):
    """The farm did the work but the process died before the journal recorded it."""
    client = farm.client()
    transfer = None
    if method == "task_files":
        transfer = DiesAfterTaskFiles(client)
    else:
        real = getattr(type(client), method)

        def answered_then_die(*args, **kwargs):
            real(client, *args, **kwargs)
            raise Killed("after %s" % method)

        setattr(client, method, answered_then_die)
    with pytest.raises(Killed):
        submit(scene, client, confirm=lambda r: True, transfer=transfer)
    journal = latest_unfinished()
    assert journal is not None and not journal.finished

    fresh = farm.client()
    result = resume(fresh)
    assert [t.id for t in all_tasks(fresh)] == [result.task_id]  # never a second task
    assert len(fresh.get_render_env(2000)) == 1  # never a second environment
    [info] = fresh.query_task_info([result.task_id]).items
    assert info.scene_name == "shot010_lighting.ma"
    check_received(farm, fresh, result, project)
    assert Journal.load(journal.path).finished and latest_unfinished() is None
    assert resume(fresh, journal.id).task_id == result.task_id  # and again: nothing more happens
    assert len(all_tasks(fresh)) == 1


def test_resuming_an_interrupted_dry_run_only_exports(farm, farm_client, scene, tmp_path):
    """A dry run killed midway, resumed by its id, finishes the export and creates nothing."""
    out = tmp_path / "export"
    with pytest.raises(Killed):
        submit(scene, farm_client, SubmitOptions(dry_run_dir=str(out)), confirm=lambda r: True,
               on_progress=lambda p: (_ for _ in ()).throw(Killed()) if p.stage == "upload" else None)
    [journal] = [j for j in list_journals() if j.data.get("dry_run_dir")]
    assert not journal.finished and latest_unfinished() is None  # `--resume` alone never picks it
    result = resume(farm_client, journal.id)
    assert result.task_id == 0 and result.dry_run_dir == str(out)
    assert all_tasks(farm_client) == [] and farm_client.get_render_env(2000) == []  # nothing created
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["file_count"] == 30 == result.files
    assert Journal.load(journal.path).finished


def test_a_resubmission_stats_each_file_once(farm, farm_client, scene, project, monkeypatch):
    """The collection's stat of each file is the submission's: nothing stats a file of the scene
    again (its size, the md5 cache's check of the farm's copy); the collection's own stats are
    of folder listings (os.scandir entries), and one of the scene file."""
    import os

    submit(scene, farm_client, confirm=lambda r: True)
    stats = []
    real = os.stat
    monkeypatch.setattr(os, "stat", lambda path, *a, **kw: stats.append(str(path)) or real(path, *a, **kw))
    result = submit(scene, farm_client, confirm=lambda r: True)
    assert result.files == 30
    assert [p for p in stats if p.startswith(str(project))] == [str(project / "scenes" / "shot010_lighting.ma")]


def test_a_file_saved_after_the_check_is_taken_as_collected(farm, farm_client, scene, project):
    """What submit() promises for a file saved between the check and the upload: one the farm
    holds as it was collected stays as it was (the next submission sends it); one that must be
    sent but changed size is a clear error, and the resume sends it as it is now."""
    held = project / "sourceimages" / "wall_diffuse.1001.png"
    submit(scene, farm_client, confirm=lambda r: True)
    prep = prepare(scene, farm_client)
    held.write_bytes(held.read_bytes()[::-1])  # saved again, same size
    submit(scene, farm_client, confirm=lambda r: True, preparation=prep)
    server = next(f.server for f in prep.assets.files if f.local.endswith("wall_diffuse.1001.png"))
    bid = farm_client.get_transfer_bid().input_bid
    assert farm.uploaded_path(bid, server).read_bytes() != held.read_bytes()  # as collected
    check_received(farm, farm_client, submit(scene, farm_client, confirm=lambda r: True), project)  # now sent

    new = project / "sourceimages" / "new.png"
    new.write_bytes(b"n" * 100)
    scene.assets.append(Asset(str(new), "new.fileTextureName", "texture"))
    prep = prepare(scene, farm_client)
    new.write_bytes(b"n" * 150)  # saved again, another size, before the farm had it
    with pytest.raises(TransferError) as info:
        submit(scene, farm_client, confirm=lambda r: True, preparation=prep)
    assert "changed size" in str(info.value) and "--resume" in str(info.value)
    check_received(farm, farm_client, resume(farm_client), project)
