"""The farm driven by the project's own client, and `renderbus farm serve`."""

import io
import os
import signal
import subprocess
import sys
import threading
from contextlib import redirect_stdout

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


def test_renderbus_farm_serve_prints_the_url_and_account(tmp_path):
    args = build_parser().parse_args(["farm", "serve", "--port", "0", "--data", str(tmp_path / "d"), "--speed", "50",
                                      "--seed", "3", "--access-id", "AKIDcli", "--access-key", "s3cret"])
    stop = threading.Event()
    out = io.StringIO()
    result = {}

    def run():
        with redirect_stdout(out):
            result["code"] = serve(args, stop)

    thread = threading.Thread(target=run)
    thread.start()
    wait_for(lambda: "Press Ctrl-C" in out.getvalue(), timeout=10, what="the farm to start")
    text = out.getvalue()
    assert "listening on http://127.0.0.1:" in text and "AKIDcli" in text and "s3cret" in text
    stop.set()
    thread.join(10)
    assert result["code"] == 0
    assert (tmp_path / "d" / "farm.sqlite3").is_file()


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name == "nt", reason="POSIX signals")
def test_renderbus_farm_serve_stops_cleanly_on_sigterm(tmp_path):
    """A service manager stops the farm with SIGTERM: it shuts down and exits 0, its data kept."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "renderbus_dcc", "farm", "serve", "--port", "0", "--data", str(tmp_path / "d")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
    )
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "Press Ctrl-C" in line:
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
