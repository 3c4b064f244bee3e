"""`renderbus submit`, `watch` and `demo` through cli.main()."""

import json

import pytest

from renderbus_dcc.cli import main


@pytest.fixture
def account(farm, monkeypatch):
    monkeypatch.setenv("RENDERBUS_ACCESS_ID", farm.access_id)
    monkeypatch.setenv("RENDERBUS_ACCESS_KEY", farm.access_key)
    monkeypatch.setenv("RENDERBUS_ENDPOINT", farm.url)
    monkeypatch.setenv("RENDERBUS_PLATFORM", str(farm.platform))
    return farm


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
    assert "exported 30 files" in capsys.readouterr().out
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
