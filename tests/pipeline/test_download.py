"""Frames come home, over real HTTP against the local farm: the demo task's 48 frames identical to
the farm's bytes, a second run that moves nothing, a kill mid-download then a rerun that resumes,
--watch getting frames while the task renders, and the command line."""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from renderbus_dcc.constants import TaskStatus
from renderbus_dcc.downloads import download_task, list_outputs
from renderbus_dcc.errors import Cancelled
from renderbus_dcc.transfer.download import PART_SUFFIX, LocalFarmDownload, RemoteFile

from farm.helpers import Raw  # tests/ is on sys.path (pytest's rootdir-relative packages)


def _submit(client, scene, tmp_path, **options):
    from renderbus_dcc.submission import SubmitOptions, submit

    return submit(scene, client, SubmitOptions(**options), confirm=lambda r: True,
                  journal_dir=tmp_path / "journal").task_id


def _finish(client, task_id, timeout=60.0):
    deadline = time.monotonic() + timeout
    while True:
        info = client.query_task_info([task_id]).items[0]
        if info.is_terminal:
            return info
        assert time.monotonic() < deadline, "task %d did not end" % task_id
        time.sleep(0.05)


def _farm_bytes(farm, server_path):
    """The farm's own bytes of an output, by a plain signed request of its download route."""
    resp = Raw(farm).transfer("download", {"bid": "20201", "path": server_path})
    assert resp.headers["Content-Type"] == "application/octet-stream"
    return resp.content


def _files(folder):
    return sorted(str(p.relative_to(folder)) for p in Path(folder).rglob("*") if p.is_file())


@pytest.fixture
def rendered(farm, farm_client, scene, tmp_path):
    """The demo scene's 48 frames (2 layers x 24), rendered."""
    task_id = _submit(farm_client, scene, tmp_path)
    assert _finish(farm_client, task_id).status == TaskStatus.FINISHED
    return task_id


def test_the_demo_tasks_48_frames_come_home_identical_and_a_second_run_moves_nothing(farm, farm_client, rendered,
                                                                                   tmp_path):
    dest = tmp_path / "frames"
    first = download_task(farm_client, rendered, dest)
    names = _files(dest)
    assert len(names) == 48 and first.files == 48 and len(first.downloaded) == 48 and first.skipped == 0
    # the farm's layer layout below the task folder, the scene's format (EXR)
    assert {n.split(os.sep)[0] for n in names} == {"rs_beauty", "rs_shadow"}
    assert all(n.endswith(".exr") for n in names)
    outputs = list_outputs(farm_client, rendered)
    for entry in outputs.files:
        local = dest / entry.file_path[len(outputs.folder) + 1:]
        assert local.read_bytes() == _farm_bytes(farm, entry.file_path)
        assert local.stat().st_size == entry.file_size
    assert first.requests == 48 + 2  # one request a frame, plus the listing and the transfer id
    assert not list(dest.rglob("*" + PART_SUFFIX))

    second = download_task(farm_client, rendered, dest)
    assert second.downloaded == [] and second.bytes == 0 and second.skipped == 48
    assert second.requests == 2  # the transfer id and the listing only


def test_a_kill_mid_download_then_a_rerun_resumes_from_the_byte_offset(farm, farm_client, rendered, tmp_path,
                                                                     monkeypatch):
    monkeypatch.setattr("renderbus_dcc.transfer.download._BLOCK", 100)  # small blocks: stop inside a file
    dest = tmp_path / "frames"
    mark = {"start": 0}

    def killed_midway(progress):
        if progress.completed:
            mark["start"] = progress.bytes_done
        elif progress.files_done == 5 and progress.bytes_done - mark["start"] >= 300:
            raise KeyboardInterrupt  # Ctrl-C, or the process killed: nothing runs after it
        return True

    with pytest.raises(KeyboardInterrupt):
        download_task(farm_client, rendered, dest, on_progress=killed_midway)
    [part] = list(dest.rglob("*" + PART_SUFFIX))
    held = part.stat().st_size
    final = Path(str(part)[:-len(PART_SUFFIX)])
    assert held >= 300 and not final.exists()  # never a half-written file under its final name
    done_before = [dest / n for n in _files(dest) if not n.endswith(PART_SUFFIX)]
    assert len(done_before) == 5

    again = download_task(farm_client, rendered, dest)
    assert len(again.downloaded) == 43 and again.skipped == 5
    whole = sum(e.file_size for e in list_outputs(farm_client, rendered).files)
    # the part file was carried on from its byte offset: its first bytes did not travel again
    assert again.bytes == whole - sum(p.stat().st_size for p in done_before) - held
    assert final.read_bytes() == _farm_bytes(farm, "/%d_shot010_lighting/%s" % (
        rendered, final.relative_to(dest).as_posix()))
    assert len(_files(dest)) == 48 and not list(dest.rglob("*" + PART_SUFFIX))


def test_a_cancel_keeps_the_part_file_and_a_damaged_one_is_fetched_again(farm, farm_client, rendered, tmp_path):
    outputs = list_outputs(farm_client, rendered)
    entry = outputs.files[0]
    local = tmp_path / "one.exr"
    item = RemoteFile(entry.file_path, str(local), entry.file_size)
    backend = LocalFarmDownload(farm_client)
    with pytest.raises(Cancelled, match="download cancelled"):
        backend.download([item], "20201", lambda p: p.bytes_done == 0)
    # a part file that is not the farm's bytes (a disk error, another program) is noticed and replaced
    Path(str(local) + PART_SUFFIX).write_bytes(b"garbage" * 10)
    result = backend.download([item], "20201")
    assert local.read_bytes() == _farm_bytes(farm, entry.file_path) and result.downloaded == [str(local)]
    # a complete file of the wrong size is fetched again, not skipped
    local.write_bytes(b"short")
    assert backend.download([item], "20201").downloaded == [str(local)]
    assert local.read_bytes() == _farm_bytes(farm, entry.file_path)


def test_watch_gets_frames_while_the_task_renders(tmp_path, scene):
    from renderbus_dcc.farm import LocalFarm

    with LocalFarm(data_dir=tmp_path / "farm", speed=40.0, seed=2) as farm:
        client = farm.client()
        task_id = _submit(client, scene, tmp_path, frames="1-12")
        rounds = []
        summary = download_task(client, task_id, tmp_path / "frames", watch=True, interval=0.2, max_interval=0.5,
                                on_round=lambda s: rounds.append((s.status, len(s.downloaded))))
        client.close()
    assert summary.status == TaskStatus.FINISHED and len(_files(tmp_path / "frames")) == 24
    during = [n for status, n in rounds if status == TaskStatus.RENDERING]
    assert any(0 < n < 24 for n in during)  # frames came home while others still rendered


def test_outputs_are_listed_and_downloadable_per_account_only(farm, farm_client, rendered):
    other_id, other_key = farm.add_account()
    from renderbus_dcc.client import RenderbusClient
    from renderbus_dcc.errors import ForbiddenError

    other = RenderbusClient(other_id, other_key, endpoint=farm.url, platform=farm.platform, profile="v2")
    assert other.get_output_files(tree_path="/") == []
    with pytest.raises(ForbiddenError):
        other.get_output_files(task_id=rendered)
    path = list_outputs(farm_client, rendered).files[0].file_path
    assert other.get_output_files(tree_path=path.rsplit("/", 1)[0]) == []
    stranger = Raw(farm, other_id, other_key)
    assert stranger.transfer("download", {"bid": "20201", "path": path}).json()["code"] == 404
    assert stranger.transfer("list", {"bid": "20201", "taskId": rendered}).json()["code"] == 403
    with pytest.raises(ForbiddenError):
        download_task(RenderbusClient(other_id, other_key, endpoint=farm.url, platform=farm.platform), rendered,
                      Path(farm.data_dir).parent / "stolen")


def test_profile_v2_walks_the_live_services_listing_to_the_same_files(farm, rendered, tmp_path):
    v1 = download_task(farm.client(), rendered, tmp_path / "v1")
    client = farm.client(profile="v2")
    v2 = download_task(client, rendered, tmp_path / "v2")
    assert _files(tmp_path / "v1") == _files(tmp_path / "v2") and len(v2.downloaded) == 48
    for name in _files(tmp_path / "v1"):
        assert (tmp_path / "v1" / name).read_bytes() == (tmp_path / "v2" / name).read_bytes()
    # v1: one listing request (the farm's own, with md5s); v2: a request a folder (task, 2 layers, root)
    assert v1.requests == 1 + 1 + 48 and v2.requests == 1 + 4 + 48


def test_the_default_folder_is_the_scenes_image_folder_recorded_at_submission(farm, farm_client, scene, tmp_path):
    task_id = _submit(farm_client, scene, tmp_path)
    _finish(farm_client, task_id)
    summary = download_task(farm_client, task_id, journal_base=tmp_path / "journal")
    assert summary.destination == os.path.join(scene.project_dir, "images")
    assert "recorded when it was submitted" in summary.why
    assert (Path(summary.destination) / "rs_beauty").is_dir()


def test_without_a_record_frames_go_to_a_task_folder_under_the_downloads_folder(farm, farm_client, scene, tmp_path,
                                                                               monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    task_id = _submit(farm_client, scene, tmp_path, frames="1-2")
    _finish(farm_client, task_id)
    summary = download_task(farm_client, task_id, journal_base=tmp_path / "no-journal")
    assert summary.destination == str(tmp_path / "home" / "Downloads" / "Renderbus" / ("%d_shot010_lighting" % task_id))
    assert len(_files(summary.destination)) == 4


# --- the command line -----------------------------------------------------------------------------
def test_renderbus_download_json_and_a_second_run(account, rendered, tmp_path, capsys):
    from renderbus_dcc.cli import main

    assert main(["download", str(rendered), "--to", str(tmp_path / "out"), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["files"] == 48 and first["downloaded"] == 48 and first["destination"] == str(tmp_path / "out")
    assert main(["download", str(rendered), "--to", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "0 of 48 files downloaded" in out and "48 already there" in out


def test_renderbus_download_of_an_unknown_task_is_one_clear_line(account, capsys):
    from renderbus_dcc.cli import main

    assert main(["download", "99999"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("renderbus: error:") and "99999" in err and "Traceback" not in err


def test_a_killed_download_process_is_carried_on_by_the_next_run(account, rendered, tmp_path):
    """The real thing: `renderbus download` in its own process, killed (SIGKILL) mid-way, run again."""
    account.set_chaos("slow=1,delay=0.15")  # every request answers late: there is time to kill it
    env = dict(os.environ)
    dest = tmp_path / "killed"
    cmd = [sys.executable, "-m", "renderbus_dcc", "download", str(rendered), "--to", str(dest)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while len(_files(dest) if dest.exists() else []) < 3:
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    got = len(_files(dest))
    assert 3 <= got < 48
    account.set_chaos(None)
    out = subprocess.run(cmd + ["--json"], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["skipped"] >= got - 1 and summary["downloaded"] == 48 - summary["skipped"]
    files = _files(dest)
    assert len(files) == 48 and not any(f.endswith(PART_SUFFIX) for f in files)
    for name in files:
        server = "/%d_shot010_lighting/%s" % (rendered, Path(name).as_posix())
        assert hashlib.md5((dest / name).read_bytes()).hexdigest() == hashlib.md5(_farm_bytes(account, server)).hexdigest()


def test_the_live_service_downloads_through_rayvision_sync_or_says_how_to_get_it(tmp_path):
    from renderbus_dcc.client import RenderbusClient
    from renderbus_dcc.errors import TransferError
    from renderbus_dcc.transfer.download import default_download_backend
    from renderbus_dcc.transfer.rayvision_download import RayvisionDownload

    live = RenderbusClient("AKIDexample", "secret-key", endpoint="https://task.renderbus.com")
    backend = default_download_backend(live)
    assert isinstance(backend, RayvisionDownload)
    item = RemoteFile("/19000_shot/beauty/shot.0001.exr", str(tmp_path / "beauty" / "shot.0001.exr"), 10)
    with pytest.raises(TransferError, match="rayvision_sync") as caught:
        backend.download([item], "20201")
    assert "pip install rayvision_sync" in caught.value.hint and "secret-key" not in str(caught.value)
    assert not (tmp_path / "beauty").exists()


def test_windows_shaped_and_hostile_paths():
    from renderbus_dcc.downloads import _is_absolute, local_path_of
    from renderbus_dcc.errors import TransferError

    dest = Path("D:/shots/frames")
    got = local_path_of(dest, "/19000_shot", "/19000_shot/beauty:1/cam?A/shot.0001.exr")
    assert Path(got) == dest / "beauty_1" / "cam_A" / "shot.0001.exr"
    for hostile in ("/19000_shot/../../evil.exr", "/19000_shot/beauty/.."):
        with pytest.raises(TransferError, match="strange path"):
            local_path_of(dest, "/19000_shot", hostile)
    assert all(_is_absolute(p) for p in ("D:\\proj\\images", "d:/x", "\\\\server\\share\\images", "/mnt/x"))
    assert not any(_is_absolute(p) for p in ("images", "render\\x", ""))  # (Blender's //render/ is read before)
