"""Test frames first: the farm renders them (of every layer) before the rest, stops after them with
stop_after_test "1" until startTask, and the forecast made then is within 25 % of the final cost.
Outputs are real images in the scene's format, listed one folder level at a time, per account."""

import hashlib
import struct

import pytest

from renderbus_dcc.constants import FrameStatus, FrameType, TaskStatus

from .helpers import Raw, maya_task


def _task(frames="1-10[1]", layers=("beauty", "shadow"), pre="101:5", stop="1", image_format="exr", cameras=None):
    task = maya_task(frames, layers=layers)
    task["task_info"].update(pre_frames=pre, stop_after_test=stop)
    for entry in task["scene_info_render"].values():
        entry["common"]["image_format"] = image_format
        if cameras:
            entry["common"]["render_camera"] = list(cameras)
    return task


def _until(craw, clock, task_id, statuses, step=0.5, limit=600):
    for _ in range(limit):
        info = craw.info(task_id)
        if info["taskStatus"] in statuses:
            return info
        clock.advance(step)
    raise AssertionError("task %d never reached %s" % (task_id, statuses))


def test_test_frames_render_first_then_the_task_stops_until_started(craw, clock):
    task_id = craw.submit(_task())
    info = _until(craw, clock, task_id, (TaskStatus.STOP,))
    frames = craw.frames(task_id)
    done = sorted((f["taskId"], f["frameIndex"]) for f in frames if f["frameStatus"] == FrameStatus.DONE)
    kids = [k["id"] for k in info["respRenderingTaskList"]]
    # first, last and frame 5 of each layer, and nothing else
    assert done == sorted((k, str(n)) for k in kids for n in (1, 5, 10))
    assert {f["frameType"] for f in frames if f["frameStatus"] == FrameStatus.DONE} == {FrameType.PRIORITY}
    assert {f["frameStatus"] for f in frames if f["frameType"] == FrameType.MAIN} == {FrameStatus.STOPPED}
    assert info["doneFrames"] == 6 and info["preTaskStatus"] == TaskStatus.RENDERING
    clock.advance(30)  # stopped: nothing moves
    assert craw.info(task_id)["doneFrames"] == 6

    assert craw.code("startTask", {"taskIds": [task_id]}) == 200
    info = _until(craw, clock, task_id, (TaskStatus.FINISHED, TaskStatus.FINISHED_HAS_FAILED))
    assert info["doneFrames"] == 20
    frames = craw.frames(task_id)
    # the test frames were not rendered twice, and all of them ended before any other began
    assert sum(f["frameType"] == FrameType.PRIORITY for f in frames) == 6
    last_test = max(f["endTime"] for f in frames if f["frameType"] == FrameType.PRIORITY)
    assert min(f["startTime"] for f in frames if f["frameType"] == FrameType.MAIN) >= last_test


def test_carry_on_after_the_test_frames_and_abort_counts_the_held_frames(craw, clock):
    task_id = craw.submit(_task(pre="010", stop="2"))
    clock.advance(4.5)  # analysed, waiting over: only the middle frame of each layer renders
    frames = craw.frames(task_id)
    running = [f for f in frames if f["frameStatus"] == FrameStatus.RUNNING]
    assert [f["frameIndex"] for f in running] == ["5", "5"]
    assert {f["frameStatus"] for f in frames if f["frameType"] == FrameType.MAIN} == {FrameStatus.WAIT_PRIORITY}
    info = _until(craw, clock, task_id, (TaskStatus.FINISHED,))
    assert info["doneFrames"] == 20

    other = craw.submit(_task(pre="100", stop="2"))
    clock.advance(4.5)
    assert craw.code("abortTask", {"taskIds": [other]}) == 200
    info = craw.info(other)
    assert info["taskStatus"] == TaskStatus.ABANDON and info["abortFrames"] == 20  # the running test frames and the held ones


@pytest.mark.parametrize("pre, stop, why", [("1x1", "1", "pre_frames"), ("100:7-", "1", "7-"),
                                            ("100", "3", "stop_after_test")])
def test_bad_test_frame_fields_are_refused_with_what_is_wrong(craw, pre, stop, why):
    task_id = craw.prepare(_task(pre=pre, stop=stop))
    answer = craw.op("submitTask", {"taskId": task_id})
    assert answer["code"] == 600 and why in answer["message"]


def test_outputs_are_real_images_per_layer_and_camera_listed_level_by_level(clocked_farm, craw, clock):
    task_id = craw.submit(_task(frames="1-2[1]", pre="000", stop="2", cameras=("camA", "camB")))
    _until(craw, clock, task_id, (TaskStatus.FINISHED,))
    raw2 = Raw(clocked_farm, profile="v2")  # the live service's operation: profile v2 only
    assert craw.post("/api/render/file/operate/getOutputUserDirFile", {"treePath": "/"}).json()["code"] == 603
    top = raw2.data("getOutputUserDirFile", {"taskId": task_id, "treePath": "/"})
    assert [(e["fileName"], e["directory"], e["fileSize"]) for e in top] == [("%d_scene" % task_id, True, None)]
    layers = raw2.data("getOutputUserDirFile", {"treePath": top[0]["filePath"]})
    assert [e["fileName"] for e in layers] == ["beauty", "shadow"] and all(e["directory"] for e in layers)
    cams = raw2.data("getOutputUserDirFile", {"treePath": layers[0]["filePath"]})
    assert [e["fileName"] for e in cams] == ["camA", "camB"]
    files = raw2.data("getOutputUserDirFile", {"treePath": cams[1]["filePath"]})
    assert [e["fileName"] for e in files] == ["scene.0001.exr", "scene.0002.exr"]
    assert files[0]["fileType"] == "exr" and files[0]["lastModify"] and not files[0]["directory"]
    data = craw.transfer("download", {"bid": "20201", "path": files[0]["filePath"]}).content
    assert len(data) == files[0]["fileSize"]
    _check_exr(data)
    other_cam = craw.transfer("download", {"bid": "20201", "path": files[0]["filePath"].replace("camB", "camA")})
    assert other_cam.content != data  # an image per camera, not one copy
    # the whole account's root lists every task's folder; the farm's own listing has every level, md5s too
    assert raw2.data("getOutputUserDirFile", {"treePath": "/"}) == top
    flat = craw.transfer("list", {"bid": "20201", "taskId": task_id}).json()["data"]["files"]
    assert len(flat) == 2 * 2 * 2 and flat[0]["md5"] == hashlib.md5(
        craw.transfer("download", {"bid": "20201", "path": flat[0]["path"]}).content).hexdigest()


def test_download_route_answers_from_an_offset_with_the_whole_files_size_and_md5(craw, clock):
    import hashlib

    task_id = craw.submit(_task(frames="1-1[1]", layers=("beauty",), pre="000", stop="2", image_format="png"))
    _until(craw, clock, task_id, (TaskStatus.FINISHED,))
    path = "/%d_scene/beauty/scene.0001.png" % task_id
    whole = craw.transfer("download", {"bid": "20201", "path": path})
    assert whole.content.startswith(b"\x89PNG")
    assert whole.headers["X-Renderbus-Size"] == str(len(whole.content))
    assert whole.headers["X-Renderbus-MD5"] == hashlib.md5(whole.content).hexdigest()
    tail = craw.transfer("download", {"bid": "20201", "path": path, "offset": "100"})
    assert tail.content == whole.content[100:] and tail.headers["X-Renderbus-Offset"] == "100"
    beyond = craw.transfer("download", {"bid": "20201", "path": path, "offset": str(len(whole.content) + 1)}).json()
    assert beyond["code"] == 600


def _check_exr(data: bytes) -> None:
    """What an OpenEXR reader checks first: magic, version, the required header attributes, the
    offset table pointing at line blocks of the right size."""
    assert data[:4] == b"\x76\x2f\x31\x01" and struct.unpack("<i", data[4:8])[0] == 2
    pos, attrs = 8, {}
    while data[pos] != 0:
        name_end = data.index(b"\x00", pos)
        kind_end = data.index(b"\x00", name_end + 1)
        size = struct.unpack("<i", data[kind_end + 1:kind_end + 5])[0]
        attrs[data[pos:name_end].decode()] = (data[name_end + 1:kind_end].decode(), data[kind_end + 5:kind_end + 5 + size])
        pos = kind_end + 5 + size
    assert {"channels", "compression", "dataWindow", "displayWindow", "lineOrder", "pixelAspectRatio",
            "screenWindowCenter", "screenWindowWidth"} <= set(attrs)
    x0, y0, x1, y1 = struct.unpack("<iiii", attrs["dataWindow"][1])
    width, height = x1 - x0 + 1, y1 - y0 + 1
    first_block = struct.unpack("<Q", data[pos + 1:pos + 9])[0]
    y, size = struct.unpack("<ii", data[first_block:first_block + 8])
    assert y == 0 and size == width * 3 * 2  # three half-float channels a line
    assert len(data) == first_block + height * (8 + size)
