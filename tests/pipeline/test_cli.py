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
