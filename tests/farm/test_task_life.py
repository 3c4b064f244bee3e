"""A task's life on the farm, driven by a clock the test moves (no sleeping, no timing)."""

import requests

from renderbus_dcc.constants import FrameStatus, TaskStatus
from renderbus_dcc.farm import LocalFarm

from .helpers import Raw, max_task, maya_task, wait_for


def _to_the_end(craw, clock, task_id, step=1.0, limit=400):
    for _ in range(limit):
        info = craw.info(task_id)
        if info["taskStatus"] in (TaskStatus.FINISHED, TaskStatus.FINISHED_HAS_FAILED):
            return info
        clock.advance(step)
    raise AssertionError("task %d never finished: %s" % (task_id, craw.info(task_id)["taskStatus"]))


def test_a_vray_max_task_renders_photon_then_main_pass(craw, clock):
    task_id = craw.submit(max_task("1-5[1]"), {"/D/proj/room.max": b"max scene", "/D/tex/wood.jpg": b"jpg"})
    info = craw.info(task_id)
    assert info["taskStatus"] == TaskStatus.ANALYSE and info["respRenderingTaskList"] == []
    assert info["submitDate"] and info["sceneName"] == "room.max" and info["taskAlias"] == "2W%d" % task_id
    listed = craw.data("getTaskList", {"pageNum": 1, "pageSize": 10})
    assert [t["id"] for t in listed["items"]] == [task_id]

    clock.advance(2.5)  # analysis over (20 farm s at speed 10)
    info = craw.info(task_id)
    assert info["taskStatus"] == TaskStatus.WAITING
    kids = info["respRenderingTaskList"]
    assert [k["taskType"] for k in kids] == ["RenderPhoton", "Render"]
    assert [k["taskTypeText"] for k in kids] == ["render_photons_task", "render_major_picture_task"]
    assert all(k["layerParentId"] == task_id for k in kids)
    assert info["totalFrames"] == 6

    clock.advance(1.0)  # waiting over: the photon frame renders, the main frames wait for it
    frames = craw.frames(task_id)
    assert [f["frameType"] for f in frames] == [2, 5, 5, 5, 5, 5]
    assert frames[0]["frameStatus"] == FrameStatus.RUNNING and frames[0]["startTime"]
    assert {f["frameStatus"] for f in frames[1:]} == {FrameStatus.WAIT_PHOTON_FRAME}
    info = craw.info(task_id)
    assert info["taskStatus"] == TaskStatus.RENDERING and info["executingFrames"] == 1
    assert craw.data("queryAllFrameStats") == {"executingFramesTotal": 1, "doneFramesTotal": 0, "failedFramesTotal": 0,
                                               "waitingFramesTotal": 5, "totalFrames": 6}
    photo = craw.data("loadTaskProcessImg", {"taskId": task_id})
    assert photo["currentTaskType"] == "RenderPhoton" and photo["isRenderPhoton"] is True

    clock.advance(6.5)  # the photon pass is over (at most 60 farm s)
    frames = craw.frames(task_id)
    assert frames[0]["frameStatus"] == FrameStatus.DONE
    assert frames[0]["frameExecuteTime"] >= 30 and frames[0]["endTime"] > frames[0]["startTime"]
    assert {f["frameStatus"] for f in frames[1:]} == {FrameStatus.RUNNING}

    info = _to_the_end(craw, clock, task_id)
    assert info["taskStatus"] == TaskStatus.FINISHED and info["doneFrames"] == 6 and info["failedFrames"] == 0
    assert info["renderConsume"] > 0 and info["completedDate"] >= info["startTime"]
    assert [k["taskStatus"] for k in info["respRenderingTaskList"]] == [25, 25]
    frames = craw.frames(task_id)
    assert all(f["feeAmount"] > 0 and f["frameExecuteTime"] > 0 for f in frames)
    assert craw.data("queryAllFrameStats")["doneFramesTotal"] == 6
    listing = craw.transfer("list", {"bid": "20201", "path": "/%d_room" % task_id}).json()["data"]["files"]
    # outputs: one image per frame in the format the task asks for (output_file_type ".exr")
    assert [f["path"] for f in listing] == ["/%d_room/room.%04d.exr" % (task_id, n) for n in range(1, 6)]
    exr = craw.transfer("download", {"bid": "20201", "path": listing[0]["path"]})
    assert exr.headers["Content-Type"] == "application/octet-stream" and exr.content.startswith(b"\x76\x2f\x31\x01")


def test_maya_renders_a_child_task_per_layer_and_tiles_make_blocks(craw, clock):
    task_id = craw.submit(maya_task("1-3[1]", layers=("beauty", "shadow"), tiles=4))
    clock.advance(3.5)
    kids = craw.info(task_id)["respRenderingTaskList"]
    assert [(k["taskType"], k["layerName"]) for k in kids] == [("Render", "beauty"), ("Render", "shadow")]
    frames = craw.frames(task_id)
    assert len(frames) == 2 * 3 * 4
    assert [f["frameIndex"] for f in frames[:5]] == ["1-1", "1-2", "1-3", "1-4", "2-1"]
    assert [f["frameBlock"] for f in frames[:4]] == ["1", "2", "3", "4"]
    child_frames = craw.frames(kids[1]["id"])  # a child's own frames
    assert len(child_frames) == 12 and {f["taskId"] for f in child_frames} == {kids[1]["id"]}
    only = craw.data("queryTaskFrames", {"taskId": task_id, "pageNum": 1, "pageSize": 50, "searchKeyword": "2-"})
    assert only["total"] == 8 and all(f["frameIndex"].startswith("2-") for f in only["items"])
    info = _to_the_end(craw, clock, task_id)
    assert info["doneFrames"] == 24
    img = craw.data("loadTaskProcessImg", {"taskId": task_id, "frameType": 5})
    assert img["block"] == 4 and len(img["grabInfo"]) == 6 and all(len(row) == 4 for row in img["grabInfo"])
    files = craw.transfer("list", {"bid": "20201", "path": "/"}).json()["data"]["files"]
    assert len(files) == 6 and files[0]["path"] == "/%d_scene/beauty/scene.0001.exr" % task_id  # image_format exr


def test_failures_are_deterministic_under_the_seed(tmp_path, clock):
    results = []
    for run in range(2):
        with LocalFarm(data_dir=tmp_path / str(run), speed=10, seed=3, fail_rate=0.3, clock=clock) as farm:
            craw = Raw(farm)
            task_id = craw.submit(maya_task("1-20[1]"))
            info = _to_the_end(craw, clock, task_id)
            assert info["taskStatus"] == TaskStatus.FINISHED_HAS_FAILED
            frames = craw.frames(task_id)
            failed = [f["frameIndex"] for f in frames if f["frameStatus"] == FrameStatus.FAILED]
            assert failed and info["failedFrames"] == len(failed)
            assert info["respRenderingTaskList"][0]["taskStatus"] == TaskStatus.FINISHED_HAS_FAILED
            results.append(failed)

            # restartFailedFrames renders them again (recommitFlag counts)
            craw.data("restartFailedFrames", {"taskIds": [task_id]})
            info = craw.info(task_id)
            assert info["taskStatus"] == TaskStatus.RENDERING and info["failedFrames"] == 0
            again = [f for f in craw.frames(task_id) if f["frameIndex"] in failed]
            assert {f["recommitFlag"] for f in again} == {1}
            farm.fail_rate = 0.0
            info = _to_the_end(craw, clock, task_id)
            assert info["taskStatus"] == TaskStatus.FINISHED and info["doneFrames"] == 20
    assert results[0] == results[1]


def test_stop_start_abort_delete_in_the_middle_of_the_life(craw, clock):
    task_id = craw.submit(maya_task("1-40[1]"))
    clock.advance(3.5 + 2.5)  # rendering, some frames running
    info = craw.info(task_id)
    assert info["taskStatus"] == TaskStatus.RENDERING and info["executingFrames"] == 20

    craw.data("stopTask", {"taskIds": [task_id]})
    info = craw.info(task_id)
    assert info["taskStatus"] == TaskStatus.STOP and info["preTaskStatus"] == TaskStatus.RENDERING
    assert info["executingFrames"] == 0
    stopped = craw.frames(task_id)
    clock.advance(30)
    assert craw.frames(task_id) == stopped  # nothing moves while stopped
    assert {f["frameStatus"] for f in stopped} <= {FrameStatus.STOPPED, FrameStatus.DONE}

    craw.data("startTask", {"taskIds": [task_id]})
    clock.advance(0.1)
    info = craw.info(task_id)
    assert info["taskStatus"] == TaskStatus.RENDERING and info["executingFrames"] == 20

    craw.data("abortTask", {"taskIds": [task_id]})
    info = craw.info(task_id)
    assert info["taskStatus"] == TaskStatus.ABANDON and info["abortFrames"] > 0
    assert info["abortFrames"] + info["doneFrames"] == 40
    craw.data("startTask", {"taskIds": [task_id]})  # an abandoned task stays abandoned
    assert craw.info(task_id)["taskStatus"] == TaskStatus.ABANDON
    assert craw.code("restartFailedFrames", {"taskIds": [task_id]}) == 200  # no failed frames: nothing to do
    assert craw.code("restartFrame", {"taskId": task_id, "selectAll": 1}) == 600

    craw.data("deleteTask", {"taskIds": [task_id]})
    assert craw.code("queryTaskInfo", {"taskIds": [task_id]}) == 404
    assert craw.code("queryTaskFrames", {"taskId": task_id}) == 404
    assert craw.data("getTaskList", {"pageNum": 1, "pageSize": 10})["total"] == 0
    assert craw.data("queryAllFrameStats")["totalFrames"] == 0


def test_stop_during_analysis_and_restart_frames_by_id(craw, clock):
    task_id = craw.submit(maya_task("1-4[1]"))
    craw.data("stopTask", {"taskIds": [task_id]})
    clock.advance(10)
    info = craw.info(task_id)
    assert info["taskStatus"] == TaskStatus.STOP and info["preTaskStatus"] == TaskStatus.ANALYSE
    craw.data("startTask", {"taskIds": [task_id]})
    assert craw.info(task_id)["taskStatus"] == TaskStatus.ANALYSE
    info = _to_the_end(craw, clock, task_id)
    frames = craw.frames(task_id)
    craw.data("restartFrame", {"taskId": task_id, "selectAll": 0, "ids": [frames[1]["id"], frames[3]["id"]]})
    info = craw.info(task_id)
    assert info["taskStatus"] == TaskStatus.RENDERING and info["doneFrames"] == 2
    again = craw.frames(task_id)
    assert [f["recommitFlag"] for f in again] == [0, 1, 0, 1]
    assert craw.code("restartFrame", {"taskId": task_id, "selectAll": 0, "ids": [999999]}) == 600
    assert craw.code("restartFrame", {"taskId": task_id, "selectAll": 0}) == 601
    _to_the_end(craw, clock, task_id)
    craw.data("restartFrame", {"taskId": task_id, "selectAll": 1})
    assert [f["recommitFlag"] for f in craw.frames(task_id)] == [1, 2, 1, 2]
    assert craw.info(task_id)["taskStatus"] == TaskStatus.RENDERING


def test_progress_images_grow_and_are_served_as_png(craw, clock):
    task_id = craw.submit(maya_task("1-2[1]"))
    clock.advance(3.0 + 1.0)
    img = craw.data("loadTaskProcessImg", {"taskId": task_id})
    assert img["currentTaskType"] == "Render" and img["isRenderPhoton"] is False
    assert img["width"] == 1920 and img["height"] == 1080 and img["sceneName"] == "scene.ma-persp"
    block = img["grabInfo"][0][0]
    assert all(isinstance(v, str) for v in block.values())
    assert block["frameStatus"] == "2" and 0 <= int(block["framePercent"]) < 100
    first = requests.get(block["grabUrl"], timeout=5)
    assert block["grabUrl"].startswith(craw.farm.url + "/farm/grab/")
    assert first.status_code == 200 and first.headers["Content-Type"] == "image/png"
    assert first.content.startswith(b"\x89PNG\r\n\x1a\n")
    clock.advance(1.5)
    later = craw.data("loadTaskProcessImg", {"taskId": task_id})["grabInfo"][0][0]
    assert int(later["framePercent"]) > int(block["framePercent"])
    assert requests.get(later["grabUrl"], timeout=5).content != first.content
    _to_the_end(craw, clock, task_id)
    done = craw.data("loadTaskProcessImg", {"taskId": task_id})
    assert [b["framePercent"] for row in done["grabInfo"] for b in row] == ["100", "100"]
    assert done["endTime"]


def test_a_hundred_frame_job_finishes_in_real_time_at_speed_200(farm, raw):
    task_id = raw.submit(maya_task("1-100[1]"))
    info = wait_for(lambda: (lambda i: i if i["taskStatus"] == TaskStatus.FINISHED else None)(raw.info(task_id)),
                    timeout=30, what="the task to finish")
    assert info["doneFrames"] == 100


def test_frames_page_in_order_and_v2_restarts_filter_by_status(clocked_farm, clock):
    raw2 = Raw(clocked_farm, profile="v2")
    task_id = raw2.submit(maya_task("1-45[1]"))
    clock.advance(3.5)
    pages = [raw2.data("queryTaskFrames", {"taskId": task_id, "pageNum": n, "pageSize": 10}) for n in range(1, 6)]
    assert {(p["total"], p["pageCount"], p["size"]) for p in pages} == {(45, 5, 10)}
    indexes = [f["frameIndex"] for p in pages for f in p["items"]]
    assert indexes == [str(n) for n in range(1, 46)]
    assert "menuJobId" in pages[0]["items"][0] and "arrearsFee" in pages[0]["items"][0]  # v2 spellings
    assert raw2.data("queryTaskFrames", {"taskId": task_id, "pageNum": 9, "pageSize": 10})["items"] == []
    clock.advance(4.0)
    frames = raw2.frames(task_id)
    done = [f["id"] for f in frames if f["frameStatus"] == FrameStatus.DONE]
    assert done and len(done) < 45
    raw2.data("restartFrame", {"taskId": task_id, "selectAll": 1, "status": [FrameStatus.DONE]})
    again = {f["id"]: f["recommitFlag"] for f in raw2.frames(task_id)}
    assert all(again[f["id"]] == (1 if f["id"] in done else 0) for f in frames)
    raw2.data("stopTask", {"taskIds": [task_id]})
    raw2.data("restartFailedFrames", {"taskIds": [task_id], "status": [FrameStatus.STOPPED]})
    info = raw2.info(task_id)
    assert info["taskStatus"] == TaskStatus.RENDERING and info["executingFrames"] == 20
