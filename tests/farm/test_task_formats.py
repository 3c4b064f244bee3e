"""submitTask reads the task files as the live service does: a file that does not follow its
host's format (renderbus_dcc.taskschema) is refused with 600, naming the file and the field."""

import json

from .helpers import max_task, maya_task


def _upload_cfg(raw, task_id, name, content):
    env = raw.upload("30201", "/%d/cfg/%s" % (task_id, name), json.dumps(content).encode())
    assert env["code"] == 200, env


def test_a_task_file_off_the_format_is_refused_naming_the_field(craw):
    task = maya_task()
    task["task_info"]["tiles"] = 4  # a number: the SDK writes every task_info value as a string
    task["software_config"]["plugins"]["mtoa"] = "mtoa 5.3.1.1"  # the catalogue's display text, not the version
    task_id = craw.prepare(task)
    env = craw.op("submitTask", {"taskId": task_id})
    assert env["code"] == 600
    assert "task.json task_info.tiles: 4 is an integer; the farm reads a string" in env["message"]
    assert "(and 1 more)" in env["message"]
    assert env["data"]["file"] == "task.json" and env["data"]["field"] == "task_info.tiles"
    assert any("software_config.plugins.mtoa" in p for p in env["data"]["problems"])
    assert craw.data("getTaskList", {"pageNum": 1, "pageSize": 5})["total"] == 0  # nothing was submitted

    # fixed and uploaded again, the same task is taken
    fixed = json.loads(json.dumps(maya_task()).replace("{TASK_ID}", str(task_id)))
    _upload_cfg(craw, task_id, "task.json", fixed)
    assert craw.code("submitTask", {"taskId": task_id}) == 200


def test_upload_tips_and_asset_files_are_read_too(craw):
    task_id = craw.prepare(max_task(), {"/D/proj/room.max": b"max scene"})
    _upload_cfg(craw, task_id, "tips.json", {"assets_missing": ["D:/tex/gone.png"]})  # our old code names
    env = craw.op("submitTask", {"taskId": task_id})
    assert env["code"] == 600 and "tips.json assets_missing (the name)" in env["message"]
    _upload_cfg(craw, task_id, "tips.json", {"10012": ["D:/tex/gone.png"]})
    _upload_cfg(craw, task_id, "asset.json", {"asset": [{"local": "D:/tex/a.jpg"}]})
    env = craw.op("submitTask", {"taskId": task_id})
    assert env["code"] == 600 and "asset.json asset[0]" in env["message"]
    _upload_cfg(craw, task_id, "asset.json", {"asset": ["D:/tex/a.jpg"]})
    upload = {"asset": [{"local": "D:/proj/room.max", "server": "/D/proj/room.max"}],
              "scene": [{"local": "D:/proj/room.max", "server": "/D/proj/room.max", "hash": ""}]}
    _upload_cfg(craw, task_id, "upload.json", upload)  # 3ds Max's analyser writes one scene object
    env = craw.op("submitTask", {"taskId": task_id})
    assert env["code"] == 600 and "upload.json scene" in env["message"]
    upload["scene"] = upload["scene"][0]
    _upload_cfg(craw, task_id, "upload.json", upload)
    assert craw.code("submitTask", {"taskId": task_id}) == 200


def test_what_the_sdk_writes_is_taken(craw):
    # as in the SDK's 3ds Max document: numbers as task_id and user_id, which the live service reads
    task = max_task()
    task["task_info"]["user_id"] = 100150764
    task_id = craw.prepare(task)
    task = json.loads(json.dumps(task).replace('"{TASK_ID}"', str(task_id)))
    assert isinstance(task["task_info"]["task_id"], int)
    _upload_cfg(craw, task_id, "task.json", task)
    assert craw.code("submitTask", {"taskId": task_id}) == 200
