"""The live service's operations beyond the document (profile v2), and the official SDK's spellings,
through the project's client and by hand."""

import json
import time

import pytest
import requests

from renderbus_dcc.constants import FrameStatus, TaskStatus
from renderbus_dcc.errors import ConfigError
from renderbus_dcc.routes import LIVE_OPERATIONS

from .helpers import maya_task, wait_for


def test_every_live_operation_answers_in_v2_and_not_in_v1(raw, raw2):
    for name, op in LIVE_OPERATIONS.items():
        response = raw2.post(op.v2, {})
        assert response.status_code == 200, name
        assert response.json()["code"] in (200, 600, 601), (name, response.json())
        assert raw.post(op.v2, {}).json()["code"] == 603, name  # a v2 path answers version 2.0.0 only


def test_priority_stop_frames_log_and_labels_through_the_client(craw, clocked_farm, clock):
    client = clocked_farm.client(profile="v2")
    task_id = craw.submit(maya_task("1-30[1]"))
    clock.advance(4)  # analysis and waiting over, frames rendering
    client.update_task_user_level(task_id, 60)
    info = craw.info(task_id)
    assert info["taskUserLevel"] == 60 and all(c["taskUserLevel"] == 60 for c in info["respRenderingTaskList"])
    frames = client.query_task_frames(task_id, page_size=100).items
    waiting = [f.id for f in frames if f.status == FrameStatus.WAITING][:3]
    client.stop_task_frames(task_id, ids=waiting)
    assert {f.id: f.status for f in client.query_task_frames(task_id, page_size=100).items if f.id in waiting} == \
        dict.fromkeys(waiting, FrameStatus.STOPPED)
    clock.advance(60)
    done = next(f for f in client.query_task_frames(task_id, page_size=100).items if f.status == FrameStatus.DONE)
    log = client.show_log(done.id, page_size=5)
    assert any("done in" in line for line in log.items) and log.extra["frameId"] == done.id
    client.restart_frame(task_id, ids=waiting)
    assert all(f.status != FrameStatus.STOPPED for f in client.query_task_frames(task_id, page_size=100).items)
    client.add_task_label("hero", [task_id])
    assert "hero" in craw.info(task_id)["labels"].split(",")
    assert "hero" in [label.project_name for label in client.get_label_list()]
    client.delete_task_label([task_id], ["hero"])
    assert "hero" not in craw.info(task_id)["labels"].split(",")
    thumbs = craw.post("/api/render/handle/loadingFrameThumbnail", {}).json()  # v1 header: refused
    assert thumbs["code"] == 603


def test_v2_only_methods_say_which_profile_under_v1(farm):
    with pytest.raises(ConfigError) as caught:
        farm.client().update_task_user_level(19000, 60)
    assert "v2" in str(caught.value) and "RENDERBUS_API_PROFILE" in caught.value.hint


def test_task_files_sent_in_the_request_then_submitted(raw2):
    task_id = raw2.data("createTask", {"count": 1})["taskIdList"][0]
    task = json.loads(json.dumps(maya_task("1-2[1]")).replace("{TASK_ID}", str(task_id)))
    upload = {"scene": [{"local": "D:/proj/scene.ma", "server": "/D/proj/scene.ma"}], "asset": []}
    for name, content in (("task.json", task), ("upload.json", upload), ("tips.json", {})):
        assert raw2.code("taskJsonFile", {"taskId": task_id, "fileName": name, "content": json.dumps(content)}) == 200
    assert raw2.code("taskJsonFile", {"taskId": task_id, "fileName": "../x", "content": "{}"}) == 600
    assert raw2.upload("10201", "/D/proj/scene.ma", b"//Maya")["code"] == 200
    assert raw2.code("submitTask", {"taskId": task_id}) == 200
    env = raw2.op("taskJsonFile", {"taskId": task_id, "fileName": "task.json", "content": "{}"})
    assert env["code"] == 600 and "submitted" in env["message"]


def test_the_sdks_spellings(raw2):
    task_id = raw2.submit(maya_task("1-2[1]"))
    info = raw2.info(task_id)
    assert "renderable_camera:[\"persp\"]::" in info["keyValue"]  # JSON, not Python's list text
    clone = raw2.data("createTask", {"count": 1, "cloneOriginalId": task_id, "labels": ["a", "b"]})["taskIdList"][0]
    assert raw2.data("queryTaskInfo", {"taskIds": [clone]})["items"][0]["cloneOriginalId"] == task_id
    details = raw2.data("queryErrorDetail", {"codes": ["15000", "10010"], "language": 1})
    assert {d["code"] for d in details} <= {"15000", "10010"} and details
    today = time.strftime("%Y-%m-%d")
    listed = raw2.data("getTaskList", {"pageNum": 1, "pageSize": 10, "startTime": today + " 00:00:00",
                                       "endTime": today + " 23:59:59"})
    assert task_id in [t["id"] for t in listed["items"]]
    env = raw2.op("getTaskList", {"pageNum": 1, "pageSize": 10, "startTime": "yesterday"})
    assert env["code"] == 600 and "startTime" in env["message"]
    assert raw2.code("deleteTask", {"taskIds": [task_id]}) == 200
    deleted = raw2.data("getTaskList", {"pageNum": 1, "pageSize": 10, "recycleFlag": 1})["items"]
    assert [t["id"] for t in deleted] == [task_id]
    assert task_id not in [t["id"] for t in raw2.data("getTaskList", {"pageNum": 1, "pageSize": 10})["items"]]


def test_python_list_text_for_cameras_in_task_json_is_refused_naming_the_field(raw2):
    """The SDK's analysers write cameras as a JSON list; list text is a drift the farm names."""
    task = maya_task("1-2[1]")
    task["scene_info_render"]["defaultRenderLayer"]["common"]["render_camera"] = "['shotCam']"
    task_id = raw2.prepare(task)
    env = raw2.op("submitTask", {"taskId": task_id})
    assert env["code"] == 600 and "render_camera" in env["message"], env


def test_hardware_projects_records_and_transfer_settings(raw2, farm):
    hardware = raw2.data("hardwareConfigList", {"cloneTask": "false"})
    assert {"id", "model", "ram", "gpuNum", "status", "platform"} <= set(hardware[0])
    assert raw2.code("addLabel", {"newName": "shots", "status": 0}) == 200
    assert raw2.data("projectList", {"flag": 2})["projectNameList"][0]["projectName"] == "shots"
    task_id = raw2.submit(maya_task("1-2[1]"))
    assert raw2.code("editTaskHardwareConfig", {"taskIds": [task_id], "hardwareConfigIds": ["2"], "model": "Default",
                                                "gpuNum": "", "ram": "128GB"}) in (200, 601)
    assert raw2.code("editTaskHardwareConfig", {"taskIds": [task_id], "hardwareConfigIds": ["99"], "model": "x",
                                                "gpuNum": "1", "ram": "1"}) == 600
    assert raw2.code("updateTaskLimit", {"taskId": task_id, "taskLimit": 5}) == 200
    assert raw2.code("setTaskOverTimeStop", {"taskIds": [task_id], "overTime": 1800}) == 200
    assert raw2.code("fullSpeedRendering", {"taskIds": [task_id]}) == 200
    info = raw2.info(task_id)
    assert info["taskLimit"] == 5
    records = raw2.data("taskRecord", {"platform": 2, "pageNum": 1, "pageSize": 50})
    assert {"submitTask", "updateTaskLimit"} <= {r["operation"] for r in records["items"]}
    raw2.data("queryUserProfile")
    assert raw2.data("loginRecord", {"pageNum": 1, "pageSize": 5})["total"] >= 1
    key = raw2.data("getRaySyncUserKey")["raySyncUserKey"]
    assert key and farm.access_key not in key
    assert raw2.data("getServerInfo", {"zone": 1})["raysyncTransfer"]["serverPort"] == farm.port
    assert raw2.data("getTransferConfig")["uploadPath"] == "/api/farm/transfer/upload"
    assert raw2.data("getUserPackNodeInfo") == []


def test_thumbnails_of_done_frames(raw2, farm):
    task_id = raw2.submit(maya_task("1-2[1]"))
    wait_for(lambda: raw2.info(task_id)["taskStatus"] == TaskStatus.FINISHED, what="the task to finish")
    frame = raw2.frames(task_id)[0]
    urls = raw2.data("loadingFrameThumbnail", {"id": frame["id"], "frameStatus": 4})
    assert len(urls) == 1 and requests.get(urls[0], timeout=5).content.startswith(b"\x89PNG")


def test_another_accounts_task_is_403_for_every_live_operation(raw2, farm, make_raw):
    task_id = raw2.submit(maya_task("1-2[1]"))
    access_id, access_key = farm.add_account()
    other = make_raw(access_id=access_id, access_key=access_key, profile="v2")
    for name, fields in (("updateTaskUserLevel", {"taskId": task_id, "taskUserLevel": 60}),
                         ("stopTaskFrames", {"taskId": task_id, "selectAll": 1}),
                         ("addTaskLabel", {"label": "x", "taskIds": [task_id]}),
                         ("updateTaskLimit", {"taskId": task_id, "taskLimit": 3}),
                         ("taskJsonFile", {"taskId": task_id, "fileName": "task.json", "content": "{}"})):
        assert other.code(name, fields) == 403, name
    frame_id = raw2.frames(task_id)[0]["id"] if raw2.frames(task_id) else 1
    assert other.code("showLog", {"id": frame_id}) in (403, 404)
