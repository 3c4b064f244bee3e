"""`renderbus submit`, `watch` and `demo` through cli.main()."""

import json

import pytest

from renderbus_dcc.cli import main
from renderbus_dcc.journal import latest_unfinished


def test_submit_and_watch(account, farm_client, project, capsys):
    assert main(["submit", str(project / "scene.json"), "--frames", "1-3", "--yes", "--watch",
                 "--interval", "0.05"]) == 0
    out = capsys.readouterr().out
    [task] = farm_client.get_task_list(page_size=10).items
    assert "submitted task %s" % task.alias in out
    assert "100.0%" in out and "finished" in out
    assert main(["watch", str(task.id), "--interval", "0.05"]) == 0
    assert "6/6 done" in capsys.readouterr().out


def test_submit_with_warnings_needs_yes_when_not_interactive(account, farm_client, project, capsys, monkeypatch):
    data = json.loads((project / "scene.json").read_text(encoding="utf-8"))
    data["modified"] = True
    (project / "scene.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", open("/dev/null"))
    assert main(["submit", str(project / "scene.json")]) == 1
    err = capsys.readouterr().err
    assert "--yes" in err and "cancelled" in err
    assert farm_client.get_task_list().items == []


def test_dry_run_and_resume_from_the_command_line(account, farm_client, project, tmp_path, capsys):
    out_dir = tmp_path / "dry"
    assert main(["submit", str(project / "scene.json"), "--dry-run", str(out_dir), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "exported 30 files" in out
    assert "export  [" in out and "upload" not in out  # a dry run sends nothing
    assert (out_dir / "cfg" / "task.json").is_file()
    assert main(["submit", "--resume"]) == 1
    assert "no interrupted submission" in capsys.readouterr().err


def test_bad_input_gets_one_clear_line(account, project, capsys):
    assert main(["submit", str(project / "missing.json")]) == 1
    assert "no scene description" in capsys.readouterr().err
    assert main(["submit", str(project / "scene.json"), "--frames", "1-x", "--yes"]) == 1
    assert "1-x" in capsys.readouterr().err


def test_demo_runs_to_the_end(capsys):
    assert main(["demo", "--speed", "400", "--interval", "0.05", "--frames", "1-4"]) == 0
    out = capsys.readouterr().out
    assert "local farm running at http://127.0.0.1:" in out
    assert "submitted task" in out and "100.0%" in out


class Terminal:
    """A stream that says it is a terminal."""

    def __init__(self):
        self.text = ""

    def write(self, s):
        self.text += s

    def flush(self):
        pass

    def isatty(self):
        return True


def test_progress_lines_redraw_in_place_on_a_terminal():
    from renderbus_dcc.cli.submit import ProgressPrinter, SnapshotPrinter
    from renderbus_dcc.constants import TaskStatus
    from renderbus_dcc.monitor import TaskSnapshot
    from renderbus_dcc.submission import SubmitProgress

    term = Terminal()
    printer = ProgressPrinter(term)
    printer(SubmitProgress("upload", 1, 4, 10, 40, "/a"))
    printer(SubmitProgress("upload", 4, 4, 40, 40, "/d"))
    printer(SubmitProgress("submit", 4, 4, 40, 40, message="submitting"))
    assert term.text.count("\r") == 2 and "4/4 files" in term.text and term.text.endswith("submitting\n")

    term = Terminal()
    show = SnapshotPrinter(term)
    child = TaskSnapshot(task_id=2, alias="P2", status=TaskStatus.RENDERING, percent=50.0, frames_total=2,
                         frames_done=1)
    show([TaskSnapshot(task_id=1, alias="P1", status=TaskStatus.RENDERING, percent=50.0, frames_total=2,
                       frames_done=1, eta=61, children=[child])])
    show([TaskSnapshot(task_id=1, alias="P1", status=TaskStatus.FINISHED, percent=100.0, frames_total=2,
                       frames_done=2, eta=0, finished=True)])
    assert "\x1b[2A" in term.text  # back up over the two lines drawn
    last = term.text.rsplit("\x1b[2A", 1)[1]
    assert "P1" in last and "100.0%" in last and "finished" in last and "P2" not in last
    assert "left 1:01" in term.text


def test_a_json_file_that_is_no_scene_gets_one_line_not_a_traceback(account, project, capsys):
    (project / "list.json").write_text("[1, 2]", encoding="utf-8")
    assert main(["submit", str(project / "list.json")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a scene description" in err and "JSON object" in err


def test_watch_with_a_wrong_key_or_no_farm_fails_at_once(account, monkeypatch, capsys):
    monkeypatch.setenv("RENDERBUS_ACCESS_KEY", "not-the-key")
    assert main(["watch", "1", "--interval", "0.05"]) == 1  # used to poll for ever
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "611 SIGNATURE_INVALID" in err and "renderbus config" in err
    monkeypatch.setenv("RENDERBUS_ENDPOINT", "http://127.0.0.1:1")
    assert main(["watch", "1", "--interval", "0.05"]) == 1
    assert "cannot reach http://127.0.0.1:1" in capsys.readouterr().err


def test_watch_says_why_a_task_did_not_finish(account, farm_client, project, capsys):
    assert main(["submit", str(project / "scene.json"), "--frames", "1-500", "--yes"]) == 0
    [task] = farm_client.get_task_list(page_size=10).items
    assert main(["tasks", "stop", str(task.id)]) == 0
    capsys.readouterr()
    assert main(["watch", str(task.id), "--interval", "0.05"]) == 1
    out, err = capsys.readouterr()
    assert "stop" in out and "left -" in out  # not "left 0:00" for a task that stopped half-way
    assert err.strip() == "renderbus: task %s was stopped; carry on with `renderbus tasks start %s`" % (
        task.alias, task.id)


def test_ctrl_c_in_the_upload_ends_the_bar_and_resume_carries_on(account, farm_client, project, capsys, monkeypatch):
    from renderbus_dcc.cli import submit as cli_submit

    def interrupt(self, p):
        if p.stage == "upload" and p.files_done:
            raise KeyboardInterrupt
        return True

    with monkeypatch.context() as patch:
        patch.setattr(cli_submit.ProgressPrinter, "__call__", interrupt)
        patch.setattr(cli_submit.ProgressPrinter, "end_line", lambda self: self.stream.write("<end>"))
        assert main(["submit", str(project / "scene.json"), "--frames", "1-3", "--yes"]) == 130
    out, err = capsys.readouterr()
    assert out.endswith("<end>")
    journal = latest_unfinished()
    assert err == ("renderbus: interrupted: task %s is created and not submitted (it renders nothing); 1 of 30 files "
                   "(73 B of 3.1 KB) is uploaded; nothing is lost: resume with `renderbus submit --resume` (or discard "
                   "it: `renderbus submissions discard %s`)\n" % (journal.data["alias"], journal.id))
    assert main(["submit", "--resume"]) == 0
    assert len(farm_client.get_task_list(page_size=10).items) == 1
    [task] = farm_client.get_task_list(page_size=10).items
    out = capsys.readouterr().out  # it says what it picked up before it carries on
    assert "resuming the submission of shot010_lighting.ma, task %s (it stopped at: " % task.alias in out


def test_ctrl_c_while_watching_says_the_task_carries_on(account, monkeypatch, capsys):
    from renderbus_dcc.monitor import TaskMonitor

    def interrupt(self, stop_event=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(TaskMonitor, "run", interrupt)
    assert main(["watch", "7", "--interval", "0.05"]) == 130
    err = capsys.readouterr().err
    assert err == ("renderbus: stopped watching; the farm carries on with task 7 "
                   "(`renderbus watch 7` to follow again)\n")


def test_lines_redrawn_in_place_fit_a_narrow_terminal(monkeypatch):
    from renderbus_dcc.cli.api import display_width
    from renderbus_dcc.cli.submit import ProgressPrinter, SnapshotPrinter
    from renderbus_dcc.constants import TaskStatus
    from renderbus_dcc.monitor import TaskSnapshot
    from renderbus_dcc.submission import SubmitProgress

    monkeypatch.setenv("COLUMNS", "80")
    term = Terminal()
    show = SnapshotPrinter(term)
    snap = TaskSnapshot(task_id=19018, alias="2W19018", status=TaskStatus.RENDERING, percent=10.7, frames_total=4000,
                        frames_done=429, frames_running=20, frames_waiting=3551, cost=25.23, time_used=16922, eta=145)
    show([snap])
    show([snap])
    lines = term.text.replace("\x1b[1A", "").replace("\x1b[K", "").replace("\r", "").splitlines()
    assert all(display_width(line) < 80 for line in lines)  # a wrapped line breaks the redraw
    assert "rendering  429/4000 done  left 2:25" in lines[0]
    monkeypatch.setenv("COLUMNS", "40")
    term = Terminal()
    ProgressPrinter(term)(SubmitProgress("upload", 1, 31, 10 << 20, 1 << 30, "/a"))
    assert display_width(term.text.replace("\x1b[K", "").strip("\r")) < 40


def test_a_blocking_error_is_said_once_then_one_closing_line(account, project, capsys):
    data = json.loads((project / "scene.json").read_text(encoding="utf-8"))
    data["frames"] = "1-x"
    (project / "scene.json").write_text(json.dumps(data), encoding="utf-8")
    assert main(["submit", str(project / "scene.json"), "--yes"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and err[0].startswith("error") and 'bad part "1-x"' in err[0]
    assert err[1] == "renderbus: error: the scene cannot be submitted: 1 error above; fix it, then submit again"


def test_a_refused_value_says_what_to_do(account, capsys):
    assert main(["tasks", "list", "--page", "-1"]) == 1
    err = capsys.readouterr().err
    assert err == ("renderbus: error: 600 PARAMETER_INVALID: pageNum must be at least 1, got -1 "
                   "[/api/render/task/getTaskList]; correct the value the message names, then try again\n")


def test_a_scene_given_with_resume_is_not_silently_ignored(account, farm_client, project, capsys):
    assert main(["submit", str(project / "scene.json"), "--resume"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "has no interrupted submission to resume" in err and "without --resume" in err
    assert main(["submit", str(project / "scene.json"), "--resume", "20260101-000000-abcdef"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "carries on a submission already made" in err and "either" in err
    assert farm_client.get_task_list().items == []


def _ctrl_c_in_upload(monkeypatch, project, capsys):
    from renderbus_dcc.cli import submit as cli_submit

    def interrupt(self, p):
        if p.stage == "upload" and p.files_done >= 3:
            raise KeyboardInterrupt
        return True

    with monkeypatch.context() as patch:
        patch.setattr(cli_submit.ProgressPrinter, "__call__", interrupt)
        assert main(["submit", str(project / "scene.json"), "--yes"]) == 130
    capsys.readouterr()


def test_ctrl_c_then_submit_again_asks_and_makes_one_task(account, farm_client, project, capsys, monkeypatch):
    _ctrl_c_in_upload(monkeypatch, project, capsys)
    journal = latest_unfinished()
    monkeypatch.setattr("sys.stdin", open("/dev/null"))  # a script: it must say what it wants
    assert main(["submit", str(project / "scene.json"), "--yes"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "has an interrupted submission" in err
    assert "task %s is created and not submitted" % journal.data["alias"] in err
    assert "--resume" in err and "--discard" in err and "--new" in err
    assert main(["submit", str(project / "scene.json"), "--resume", "--yes"]) == 0
    assert "submitted task %s" % journal.data["alias"] in capsys.readouterr().out
    assert [t.id for t in farm_client.get_task_list().items] == [journal.task_id]  # exactly one task


def test_the_prompt_on_a_terminal_resumes_discards_or_cancels(account, farm_client, project, capsys, monkeypatch):
    from renderbus_dcc.cli import submit as cli_submit

    _ctrl_c_in_upload(monkeypatch, project, capsys)
    first = latest_unfinished()
    monkeypatch.setattr(cli_submit, "_is_tty", lambda stream: True)
    answers = iter(["c", "d"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    assert main(["submit", str(project / "scene.json"), "--yes"]) == 1  # cancelled: nothing done
    assert "[r] resume it" in capsys.readouterr().out
    assert latest_unfinished().id == first.id
    assert main(["submit", str(project / "scene.json"), "--yes"]) == 0  # discarded, then submitted anew
    out = capsys.readouterr().out
    assert "deleted its unsubmitted task %s" % first.data["alias"] in out
    [task] = farm_client.get_task_list().items
    assert task.id != first.task_id and latest_unfinished() is None


def test_submissions_list_and_discard(account, farm_client, project, capsys, monkeypatch, isolated_user_dirs):
    _ctrl_c_in_upload(monkeypatch, project, capsys)
    journal = latest_unfinished()
    folder = isolated_user_dirs / "data" / "journal"
    (folder / "20200101-000000-000000.json").write_text("{broken", encoding="utf-8")
    assert main(["submissions", "list"]) == 0
    out = capsys.readouterr().out
    assert journal.id in out and "interrupted" in out and "shot010_lighting.ma" in out
    assert "is created and not submitted" in out and "20200101-000000-000000.json is damaged" in out
    assert main(["submissions", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in listed["submissions"]] == [journal.id] and len(listed["unreadable"]) == 1
    assert main(["submissions", "discard", journal.id, "20200101-000000-000000"]) == 0
    out = capsys.readouterr().out
    assert "deleted its unsubmitted task %s" % journal.data["alias"] in out and "removed the unreadable" in out
    assert main(["submissions", "list"]) == 0
    assert "(none)" in capsys.readouterr().out
    from renderbus_dcc.errors import NotFoundError

    with pytest.raises(NotFoundError):
        farm_client.query_task_info([journal.task_id])  # the never-submitted task is gone


def test_submit_and_watch_take_json_and_connection_options(farm, farm_client, project, capsys, monkeypatch):
    monkeypatch.setenv("RENDERBUS_ACCESS_ID", farm.access_id)
    monkeypatch.setenv("RENDERBUS_ACCESS_KEY", farm.access_key)
    args = ["--endpoint", farm.url, "--platform", str(farm.platform), "--profile", "v2", "--json"]
    assert main(["submit", str(project / "scene.json"), "--frames", "1-2", "--yes", "--watch", "--interval", "0.05"]
                + args) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    first, last = lines[0], lines[-1]
    assert first["event"] == "submitted" and first["alias"] == "2W%d" % first["task_id"]
    assert {line["event"] for line in lines[1:]} == {"progress"} and len(lines) > 2
    assert last["finished"] and last["status_name"] == "finished" and last["frames_done"] == 4
    assert main(["watch", str(first["task_id"])] + args) == 0
    [line] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert line["task_id"] == first["task_id"] and line["percent"] == 100.0


def test_a_camera_not_in_the_scene_is_an_error_not_a_bill(account, farm_client, project, capsys):
    assert main(["submit", str(project / "scene.json"), "--cameras", "camX", "--yes"]) == 1
    err = capsys.readouterr().err
    assert 'The camera "camX" chosen for the submission is not in the scene (it has persp, shotCam)' in err
    assert farm_client.get_task_list().items == []


def test_a_huge_frame_range_asks_first(account, farm_client, project, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", open("/dev/null"))
    assert main(["submit", str(project / "scene.json"), "--frames", "1-1000000"]) == 1
    out, err = capsys.readouterr()
    assert "renders 2000000 frames, more than the 5000" in out and "--yes" in err
    assert farm_client.get_task_list().items == []
    monkeypatch.setenv("RENDERBUS_CONFIRM_FRAMES", "0")  # the setting: never ask
    assert main(["submit", str(project / "scene.json"), "--frames", "1-6000", "--dry-run",
                 str(project / "out")]) == 0


def test_ctrl_c_before_the_task_says_nothing_was_left(account, farm_client, project, capsys, monkeypatch):
    from renderbus_dcc.cli import submit as cli_submit

    def interrupt(self, p):
        if p.stage == "create":
            raise KeyboardInterrupt
        return True

    with monkeypatch.context() as patch:
        patch.setattr(cli_submit.ProgressPrinter, "__call__", interrupt)
        assert main(["submit", str(project / "scene.json"), "--yes"]) == 130
    assert capsys.readouterr().err == ("renderbus: interrupted before anything reached the farm; submit again "
                                       "when ready\n")
    monkeypatch.setattr("sys.stdin", open("/dev/null"))
    assert main(["submit", str(project / "scene.json"), "--yes"]) == 0  # nothing to ask about
    assert len(farm_client.get_task_list().items) == 1
