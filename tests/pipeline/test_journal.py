"""The submission journal: atomic steps, the uploaded-files log, finding what to resume."""

import json
import os

import pytest

from renderbus_dcc.errors import SubmissionError
from renderbus_dcc.journal import Journal, journal_dir, latest_unfinished, list_journals, prune


def test_journal_lives_in_the_data_folder_and_survives_reloading(isolated_user_dirs):
    j = Journal.create(scene={"cg_id": 2000}, options={"label": "x"})
    assert j.path.parent == journal_dir() == isolated_user_dirs / "data" / "journal"
    j.update("created", task_id=19097, alias="2W19097")
    again = Journal.find(j.id)
    assert again.task_id == 19097 and again.step == "created" and again.data["scene"] == {"cg_id": 2000}
    assert again.reached("creating") and not again.reached("taskfiles")


def test_updates_replace_the_file_whole(tmp_path):
    j = Journal.create(tmp_path, scene={})
    for step in ("env", "creating", "created"):
        j.update(step)
        assert json.loads(j.path.read_text(encoding="utf-8"))["step"] == step
    # no temporary file left behind (the scene is in <id>.bulk, written once)
    assert sorted(p.name for p in tmp_path.iterdir()) == [j.path.with_suffix(".bulk").name, j.path.name]


def test_uploaded_log_ignores_a_torn_last_line(tmp_path):
    j = Journal.create(tmp_path)
    j.mark_uploaded(["10201:/D/a.png", "10201:/D/木纹 地板.jpg"])
    j.mark_uploaded(["10201:/D/a.png"])  # already there: not written twice
    j.flush_uploaded()  # (marks reach the log a few hundred at a time, and at every step)
    with open(j.uploaded_log, "ab") as fh:
        fh.write(b"10201:/D/half")  # a crash in the middle of a write
    assert Journal.load(j.path).uploaded() == {"10201:/D/a.png", "10201:/D/木纹 地板.jpg"}
    assert j.uploaded_log.read_text(encoding="utf-8").count("/D/a.png") == 1


def test_latest_unfinished_skips_finished_and_dry_runs(tmp_path):
    first = Journal.create(tmp_path)
    Journal.create(tmp_path, dry_run_dir="/tmp/x")
    done = Journal.create(tmp_path)
    done.update("submitted", finished=True)
    assert latest_unfinished(tmp_path).id == first.id
    assert len(list_journals(tmp_path)) == 3
    first.update("submitted", finished=True)
    assert latest_unfinished(tmp_path) is None


def test_unknown_journal_id_says_how_to_resume(tmp_path):
    with pytest.raises(SubmissionError) as info:
        Journal.find("nope", tmp_path)
    assert "--resume" in str(info.value)


def test_unreadable_journal_is_skipped(tmp_path):
    good = Journal.create(tmp_path)
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    assert [j.id for j in list_journals(tmp_path)] == [good.id]


def test_journal_file_is_private_enough_to_hold_no_secret(tmp_path):
    j = Journal.create(tmp_path, access_id="AKID", endpoint="http://x")
    assert "key" not in json.dumps(j.data).lower()
    assert os.path.getsize(j.path) > 0


def test_prune_deletes_only_old_finished_journals(tmp_path):
    old_done, old_open, new_done = (Journal.create(tmp_path) for _ in range(3))
    old_done.update("submitted", finished=True)
    old_done.mark_uploaded(["1:/a"])
    new_done.update("submitted", finished=True)
    for j in (old_done, old_open):
        j.data["updated"] = 0  # long ago
        j.path.write_text(json.dumps(j.data), encoding="utf-8")
    assert prune(tmp_path, older_than_days=30) == 1
    assert sorted(j.id for j in list_journals(tmp_path)) == sorted([old_open.id, new_done.id])
    assert not old_done.uploaded_log.exists()


def test_latest_unfinished_of_one_account(tmp_path):
    mine = Journal.create(tmp_path, endpoint="http://farm", access_id="A")
    Journal.create(tmp_path, endpoint="http://farm", access_id="B")
    assert latest_unfinished(tmp_path, "http://farm", "A").id == mine.id
    assert latest_unfinished(tmp_path, "http://other", "A") is None


def test_bulky_fields_are_written_once_not_at_every_step(tmp_path):
    files = [["/p/t%05d.png" % i, "/p/t%05d.png" % i, 10] for i in range(20000)]
    j = Journal.create(tmp_path, files=files, task_files={"upload.json": {"asset": files}})
    bulk = j.path.with_suffix(".bulk")
    written = bulk.stat().st_mtime_ns
    for step in ("env", "creating", "created"):
        j.update(step, task_id=5)
    assert bulk.stat().st_mtime_ns == written and len(j.path.read_bytes()) < 2000
    again = Journal.load(j.path)
    assert again.data["files"] == files and again.task_id == 5
    for f in files[:1200]:  # one at a time, as a transfer reports them
        j.mark_uploaded(["10201:" + f[1]])
    assert len(Journal.load(j.path).uploaded()) == 1000  # two writes of 500; the rest at the next step
    j.update("uploaded")
    assert len(Journal.load(j.path).uploaded()) == 1200


def test_listing_reads_no_bulky_fields_and_a_damaged_bulk_is_still_said(tmp_path):
    files = [["/p/t%05d.png" % i, "/p/t%05d.png" % i, 10] for i in range(100)]
    j = Journal.create(tmp_path, files=files, scene={"assets": []}, endpoint="http://farm", access_id="A")
    j.update("created", task_id=7)
    j.path.with_suffix(".bulk").write_text("{not json", encoding="utf-8")  # damaged after the fact
    listed = list_journals(tmp_path)  # what submit looks at (step, account, task id) needs no bulk
    assert [(x.id, x.task_id, x.step, x.state["access_id"]) for x in listed] == [(j.id, 7, "created", "A")]
    assert latest_unfinished(tmp_path, "http://farm", "A").id == j.id
    with pytest.raises(SubmissionError, match=r"\.bulk is damaged"):
        listed[0].data  # the files, when a step needs them: a clear error naming the file
    problems = []
    assert list_journals(tmp_path, problems) == [] and ".bulk is damaged" in str(problems[0])  # the artist's list


def test_an_older_journal_with_its_files_inside_moves_them_out_at_the_next_step(tmp_path):
    files = [["/p/a.png", "/p/a.png", 10]]
    path = tmp_path / "20200101-000000-abcdef.json"
    path.write_text(json.dumps({"id": path.stem, "version": 1, "step": "created", "task_id": 3, "files": files,
                                "scene": {"cg_id": 2000}}), encoding="utf-8")
    old = Journal.load(path)
    old.update("taskfiles", bids={"input": "1"})
    assert "files" not in json.loads(path.read_text(encoding="utf-8"))
    again = Journal.load(path)
    assert again.data["files"] == files and again.data["scene"] == {"cg_id": 2000} and again.step == "taskfiles"
