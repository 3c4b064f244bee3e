"""The official SDK (rayvision_api 3.0.4.3, pip-installed unchanged in a venv of its own) against
`renderbus farm serve`: its public methods, its own check-and-submit flow, a task's whole life.

This file runs in the job "sdk-rayvision" (tools/testmatrix.py), whose venv holds the SDK and
pytest only: it imports nothing of renderbus_dcc. The farm runs as a command, in the Python of
the dev venv (or ``RENDERBUS_FARM_PYTHON``). The SDK moves asset files with Raysync, a
proprietary engine that is not here: the test puts the scene file where the farm keeps
uploaded files, as that engine would have, and sends the task files by the SDK's own HTTP route.
"""

import hashlib
import json
import os
import subprocess
import time
from pathlib import Path

import pytest

rayvision_api = pytest.importorskip("rayvision_api")
from rayvision_api import RayvisionAPI  # noqa: E402
from rayvision_api.exception import RayvisionAPIError  # noqa: E402
from rayvision_api.task.check import RayvisionCheck  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ACCESS_ID, ACCESS_KEY = "AKIDofficialSdkTest", "official-sdk-test-key-0123456789"


@pytest.fixture(scope="module")
def farm(tmp_path_factory):
    """`renderbus farm serve` on a free port: (port, data folder)."""
    python = os.environ.get("RENDERBUS_FARM_PYTHON") or str(ROOT / ".venv" / "bin" / "python")
    if not Path(python).exists():
        pytest.skip("no Python with renderbus_dcc for the farm (set RENDERBUS_FARM_PYTHON)")
    data = tmp_path_factory.mktemp("sdkfarm") / "farm"
    env = dict(os.environ, RENDERBUS_FARM_ACCESS_ID=ACCESS_ID, RENDERBUS_FARM_ACCESS_KEY=ACCESS_KEY,
               PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([python, "-m", "renderbus_dcc", "farm", "serve", "--port", "0", "--data", str(data),
                             "--speed", "100", "--seed", "4"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, cwd=str(ROOT))
    port = None
    for line in proc.stdout:
        if "listening on http://127.0.0.1:" in line:
            port = int(line.split("listening on http://127.0.0.1:")[1].split()[0])
        if "Press Ctrl-C" in line:
            break
    if port is None:
        proc.kill()
        pytest.fail("the farm did not start: %s" % proc.stderr.read())
    yield port, data
    proc.terminate()
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err


@pytest.fixture(scope="module")
def api(farm, tmp_path_factory):
    port, _ = farm
    logs = tmp_path_factory.mktemp("sdklogs")
    return RayvisionAPI(access_id=ACCESS_ID, access_key=ACCESS_KEY, domain="127.0.0.1:%d" % port, platform="2",
                        protocol="http", log_folder=str(logs), log_name="sdk.log", log_level="INFO", timeout=30)


SCENE_BYTES = b"//Maya ASCII 2024 scene"


def _task_json(scene: str) -> dict:
    """A task.json as rayvision_maya's analyser writes it (the local farm checks that form)."""
    return {
        "task_info": {"task_id": "", "user_id": "", "project_name": "sdkShots", "project_id": "", "cg_id": "2000",
                      "platform": "2", "channel": "4", "input_cg_file": scene, "input_project_path": "",
                      "os_name": "1", "render_layer_type": "0", "is_layer_rendering": "1",
                      "is_distribute_render": "0", "distribute_render_node": "3", "is_picture": "0",
                      "frames_per_task": "1", "pre_frames": "000", "stop_after_test": "2", "job_stop_time": "259200",
                      "task_stop_time": "0", "time_out": "43200", "tiles": "1", "tiles_type": "block", "ram": "64",
                      "hardwareConfigIds": [], "graphics_cards_num": "2"},
        "software_config": {"cg_name": "Maya", "cg_version": "2024", "plugins": {"mtoa": "5.3.1.1"}},
        "scene_info_render": {"defaultRenderLayer": {"renderable": "1", "env": {}, "is_default_camera": "0",
                                                     "option": "", "common": {
            "renderer": "arnold", "frames": "1-6[1]", "start": "1", "end": "6", "by_frame": "1",
            "animation": "True", "renumber_frames": "False", "width": "960", "height": "540",
            "image_format": "exr", "image_file_prefix": "", "render_camera": ["shotCam"],
            "all_camera": ["shotCam", "persp"]}}},
        "scene_info": {}, "additional_info": {},
    }


def test_account_catalogue_environments_and_labels(api):
    assert api.user_info["user_name"] and api.user_info["input_bid"] == "10201"
    assert {"platform": 2, "name": "query_platform_w2"} in api.query.platforms()
    assert any(s["cgName"] == "Maya" for s in api.query.supported_software()["renderInfoList"])
    versions = [v["cgVersion"] for v in api.query.supported_plugin("maya", os_name="windows")["cgVersion"]]
    assert "2024" in versions
    env = {"cgId": 2000, "cgName": "Maya", "cgVersion": "2024", "renderLayerType": 0, "editName": "sdkEnv",
           "renderSystem": 1, "pluginIds": [2103]}
    assert api.env.add_render_env(env) == {"editName": "sdkEnv"}
    api.env.update_render_env(dict(env, pluginIds=[]))
    api.env.set_default_render_env("sdkEnv")
    # get_render_env("maya") sends cgId as text, which the SDK's own validator refuses before sending
    listed = api.env.get_render_env()
    assert listed[0]["editName"] == "sdkEnv" and listed[0]["isDefault"] == 1
    api.env.delete_render_env("sdkEnv")
    assert api.env.get_render_env() == []
    api.tag.add_label("sdkLabel", 0)
    assert "sdkLabel" in [p["projectName"] for p in api.tag.get_project_list()]
    assert api.tag.get_list(flag=2)["projectNameList"]
    api.tag.delete_label("sdkLabel")
    detail = api.query.error_detail(code="15000", language=1)
    assert detail[0]["code"] == "15000"
    assert {d["code"] for d in api.query.error_detail(codes=["15000", "10012"])} == {"15000", "10012"}
    api.user.update_user_settings(7200)
    assert api.user.query_user_setting()["taskOverTimeSec"] == 7200
    assert api.user.get_hardware_config()[0]["model"]
    assert api.query.get_raysync_user_key()["raySyncUserKey"]
    assert api.query.get_transfer_server_msg()["raysyncTransfer"]["serverIp"] == "127.0.0.1"
    assert api.transmit.get_transfer_config()
    assert api.query.get_pack_node_info() == []
    assert api.user.login_record()["total"] >= 1


def test_check_submit_and_the_whole_life_of_a_task(api, farm, tmp_path):
    port, data = farm
    workspace = tmp_path / "ws"
    workspace.mkdir()
    scene = "D:/proj/sdk_scene.ma"
    paths = {}
    for name, content in (("task.json", _task_json(scene)),
                          ("upload.json", {"asset": [], "scene": [{"local": scene, "server": "/D/proj/sdk_scene.ma",
                                                                   "hash": hashlib.md5(SCENE_BYTES).hexdigest()}]}),
                          ("asset.json", {}), ("tips.json", {})):
        paths[name] = workspace / name
        paths[name].write_text(json.dumps(content), encoding="utf-8")
    # the SDK's own check: software, hardware, a task id, the user, the project
    task_id = RayvisionCheck(api, workspace=str(workspace)).execute(
        {"model": "Default", "gpuNum": None, "ram": "64GB"}, str(paths["task.json"]), str(paths["upload.json"]),
        str(paths["asset.json"]))
    assert isinstance(task_id, int)
    checked = json.loads(paths["task.json"].read_text(encoding="utf-8"))
    assert checked["task_info"]["task_id"] == str(task_id) and checked["task_info"]["hardwareConfigIds"]
    assert checked["task_info"]["project_id"] not in ("", "0")
    for name in ("task.json", "upload.json", "asset.json", "tips.json"):
        api.transmit.upload_json_content(task_id, paths[name].read_text(encoding="utf-8"), file_name=name)
    # the asset, as the SDK's transfer engine would have delivered it
    user_id = api.get_user_id()
    stored = Path(data) / "storage" / str(user_id) / "10201" / "D" / "proj" / "sdk_scene.ma"
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(SCENE_BYTES)
    assert api.submit(task_id, producer="sdk") is True

    api.task.update_priority(task_id, 60)
    api.task.set_task_overtime_top([task_id], 1800)
    api.task.full_speed([task_id])
    api.task.update_task_limit(task_id, 10)
    api.task.edit_task_hardware_config([task_id], ["1"], "Default", "0", "64GB")
    api.tag.add_task_tag("hero", [task_id])
    info = api.query.task_info([task_id])["items"][0]
    assert info["taskUserLevel"] == 60 and info["taskLimit"] == 10 and "hero" in info["labels"]
    assert 'renderable_camera:["shotCam"]' in info["keyValue"]
    api.tag.delete_task_tag([task_id], ["hero"])

    child = _wait(lambda: (api.query.get_small_task_id(task_id) or [None])[0]
                  if api.query.task_info([task_id])["items"][0]["respRenderingTaskList"] else None)
    frames = _wait(lambda: api.query.task_frames(child, page_size=100)["items"])
    assert len(frames) == 6
    api.query.stop_frame(child, select_all=0, ids_list=[frames[-1]["id"]])
    api.query.restart_frame(child, select_all=0, ids_list=[frames[-1]["id"]])
    api.task.stop_task([task_id])
    assert api.query.task_info([task_id])["items"][0]["taskStatus"] == 10
    api.task.start_task([task_id])
    done = _wait(lambda: api.query.task_info([task_id])["items"][0]["taskStatus"] == 25 or None, timeout=90)
    assert done
    first = api.query.task_frames(child, page_size=100)["items"][0]
    assert api.query.get_render_log(frame_id=first["id"], pageSize=3)["items"]
    assert api.query.get_frame_thumbnall(first["id"])
    assert api.query.get_task_processing_img(task_id)["grabInfo"]
    assert api.query.all_frame_status()["doneFramesTotal"] >= 6
    api.query.restart_failed_frames([task_id])
    today = time.strftime("%Y-%m-%d")
    listed = api.query.get_task_list(page_num=1, page_size=10, start_time=today + " 00:00:00",
                                     end_time=today + " 23:59:59")
    assert task_id in [t["id"] for t in listed["items"]]
    assert api.user.task_record()["total"] >= 5
    _output_listing(api, port, task_id)
    api.task.abort_task([task_id])
    api.task.delete_task([task_id])
    assert [t["id"] for t in api.query.get_task_list(recycle_flag=1)["items"]] == [task_id]


def _output_listing(api, port, task_id):
    """The output listing (getOutputUserDirFile) comes with another change: checked once the farm serves it."""
    import requests

    if requests.post("http://127.0.0.1:%d/api/render/file/operate/getOutputUserDirFile" % port, data=b"{}",
                     timeout=10).status_code == 404:
        return
    assert api.transmit.get_output_files(task_id=task_id) is not None


def _wait(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except RayvisionAPIError:
            value = None
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("timed out")
