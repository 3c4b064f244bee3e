"""The farm driven by the project's own client, and `renderbus farm serve`."""

import io
import os
import signal
import stat
import subprocess
import sys
import threading
from contextlib import redirect_stderr, redirect_stdout

import pytest

from renderbus_dcc.cli import build_parser
from renderbus_dcc.cli.farm import serve
from renderbus_dcc.client import RenderbusClient
from renderbus_dcc.constants import TaskStatus
from renderbus_dcc.errors import ForbiddenError, NotFoundError, ParameterInvalidError, SignatureInvalidError

from .helpers import maya_task, wait_for


def test_the_client_talks_to_the_farm_in_both_profiles(farm, raw):
    for profile in ("v1", "v2"):
        client = farm.client(profile=profile)
        assert client.query_user_profile().user_id == farm.user_id
        bids = client.get_transfer_bid()
        assert (bids.config_bid, bids.input_bid, bids.output_bid) == ("30201", "10201", "20201")
        software = client.query_supported_software()
        assert {s.cg_id for s in software.software} == {2000, 2001, 2007}
        catalogue = client.query_supported_plugin(2001)
        assert any(p.plugin_name == "corona" for p in catalogue.plugins)
        name = client.add_render_env(2000, "Maya", "2024", "env-" + profile, plugin_ids=[2103])
        assert name == "env-" + profile
        envs = client.get_render_env(2000)
        assert envs[-1].plugins[0].plugin_version == "mtoa 5.3.1.1"
        created = client.create_task(count=2)
        assert len(created.task_ids) == 2 and created.aliases[0] == "2W%d" % created.task_ids[0]
    task_id = raw.submit(maya_task("1-20[1]"))
    client = farm.client()
    done = wait_for(lambda: (lambda p: p if p.items[0].status == TaskStatus.FINISHED else None)(
        client.query_task_info([task_id])), timeout=30, what="the task to finish")
    assert done.items[0].done_frames == 20
    frames = client.query_task_frames(task_id, page_num=2, page_size=8)
    assert frames.total == 20 and len(frames.items) == 8 and frames.page_count == 3
    assert client.query_all_frame_stats().done == 20
    image = client.load_task_process_img(task_id)
    assert image.blocks and client.fetch(image.blocks[0][0].grab_url).startswith(b"\x89PNG")


def test_the_client_sees_the_farms_errors_as_its_exceptions(farm):
    client = farm.client()
    with pytest.raises(NotFoundError):
        client.query_task_info([424242])
    task_id = client.create_task().task_ids[0]
    other_id, other_key = farm.add_account()
    other = RenderbusClient(other_id, other_key, endpoint=farm.url, platform=2)
    with pytest.raises(ForbiddenError):
        other.stop_task([task_id])
    with pytest.raises(ParameterInvalidError) as info:
        client.submit_task(task_id)
    assert "task.json" in str(info.value)
    wrong = RenderbusClient(farm.access_id, "not-the-key", endpoint=farm.url, platform=2)
    with pytest.raises(SignatureInvalidError):
        wrong.query_user_profile()


def _serve(argv, env=None, monkeypatch=None):
    """Run `renderbus farm serve ARGV` in a thread until it printed its banner; (stop, thread, out, err, result)."""
    args = build_parser().parse_args(["farm", "serve", "--port", "0"] + argv)
    stop = threading.Event()
    out, err = io.StringIO(), io.StringIO()
    result = {}

    def run():
        with redirect_stdout(out), redirect_stderr(err):
            result["code"] = serve(args, stop)

    thread = threading.Thread(target=run)
    thread.start()
    wait_for(lambda: "Press Ctrl-C" in out.getvalue() or "code" in result, timeout=10, what="the farm to start")
    return stop, thread, out, err, result


def _end(stop, thread, result):
    stop.set()
    thread.join(10)
    assert result["code"] == 0


def test_renderbus_farm_serve_prints_the_url_and_account_never_the_key(tmp_path, monkeypatch):
    monkeypatch.setenv("RENDERBUS_FARM_ACCESS_KEY", "s3cret-from-env")
    stop, thread, out, err, result = _serve(["--data", str(tmp_path / "d"), "--speed", "50", "--seed", "3",
                                             "--access-id", "AKIDcli"])
    text = out.getvalue()
    assert "listening on http://127.0.0.1:" in text and "AKIDcli" in text and "s3cret" not in text + err.getvalue()
    assert RenderbusClient("AKIDcli", "s3cret-from-env", endpoint=text.split("listening on ")[1].split()[0],
                           platform=2).query_user_profile().user_id
    _end(stop, thread, result)
    assert (tmp_path / "d" / "farm.sqlite3").is_file()


def test_a_made_key_is_kept_in_an_owner_only_file_and_shown_by_its_path(tmp_path):
    stop, thread, out, err, result = _serve(["--data", str(tmp_path / "d")])
    key_file = tmp_path / "d" / "access_key"
    key = key_file.read_text().strip()
    assert str(key_file) in out.getvalue() and key not in out.getvalue() + err.getvalue()
    assert os.name == "nt" or stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # the printed `renderbus config` line takes the key through the environment, never on its command line,
    # and run as printed it configures a client that reaches this farm
    [line] = [l[len("or: "):] for l in out.getvalue().splitlines() if l.startswith("or: ")]
    assert "--access-key" not in line and key not in line
    command = line.replace(" renderbus ", ' "%s" -m renderbus_dcc ' % sys.executable, 1)  # the `renderbus` of this Python
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    from renderbus_dcc.config import load_config

    config = load_config(environment=False)
    assert config.access_key == key
    assert RenderbusClient.from_config().query_user_profile().user_id
    _end(stop, thread, result)


def test_the_key_comes_from_a_file_or_with_a_warning_from_the_command_line(tmp_path):
    (tmp_path / "key.txt").write_text("key-in-a-file\n")
    stop, thread, out, err, result = _serve(["--data", str(tmp_path / "a"), "--access-id", "AKIDfile",
                                             "--access-key-file", str(tmp_path / "key.txt")])
    url = out.getvalue().split("listening on ")[1].split()[0]
    assert RenderbusClient("AKIDfile", "key-in-a-file", endpoint=url, platform=2).query_user_profile().user_id
    assert "key-in-a-file" not in out.getvalue() + err.getvalue() and not err.getvalue()
    _end(stop, thread, result)
    stop, thread, out, err, result = _serve(["--data", str(tmp_path / "b"), "--access-key", "on-the-line"])
    assert "warning: --access-key" in err.getvalue() and "on-the-line" not in out.getvalue() + err.getvalue()
    _end(stop, thread, result)


def test_listening_on_every_interface_warns_and_says_so(tmp_path):
    stop, thread, out, err, result = _serve(["--data", str(tmp_path / "d"), "--host", "0.0.0.0"])
    assert "other machines" in err.getvalue()
    assert "every network interface" in out.getvalue() and "127.0.0.1" in out.getvalue()
    _end(stop, thread, result)


def test_a_second_farm_on_the_same_folder_is_refused(tmp_path):
    from renderbus_dcc.errors import ConfigError

    stop, thread, out, err, result = _serve(["--data", str(tmp_path / "d")])
    args = build_parser().parse_args(["farm", "serve", "--port", "0", "--data", str(tmp_path / "d")])
    with pytest.raises(ConfigError, match="another local farm"):
        serve(args, threading.Event())
    _end(stop, thread, result)


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name == "nt", reason="POSIX signals")
def test_renderbus_farm_serve_stops_cleanly_on_sigterm(tmp_path):
    """A service manager stops the farm with SIGTERM, even as it starts: it shuts down and exits 0, its data kept."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "renderbus_dcc", "farm", "serve", "--port", "0", "--data", str(tmp_path / "d")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
    )
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "listening on" in line:  # SIGTERM before the farm said "Press Ctrl-C"
                break
        assert any("listening on http://127.0.0.1:" in line for line in lines), lines
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "stopping the farm" in out
    assert (tmp_path / "d" / "farm.sqlite3").is_file()
