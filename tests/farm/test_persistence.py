"""Stop the farm in the middle of a render, start it again on the same folder: nothing is lost."""

from renderbus_dcc.constants import FrameStatus, TaskStatus
from renderbus_dcc.farm import LocalFarm

from .helpers import Raw, maya_task


def test_a_restarted_farm_keeps_its_account_tasks_and_carries_on(tmp_path, clock):
    data = tmp_path / "farm"
    with LocalFarm(data_dir=data, speed=10, seed=2, clock=clock) as farm:
        account = (farm.access_id, farm.access_key)
        raw = Raw(farm)
        raw.data("addLabel", {"newName": "kept"})
        raw.data("updateUserSetting", {"taskOverTime": 20})
        task_id = raw.submit(maya_task("1-30[1]"))
        clock.advance(3.0 + 4.0)
        before = raw.info(task_id)
        assert before["taskStatus"] == TaskStatus.RENDERING and 0 < before["doneFrames"] < 30
        frames_before = raw.frames(task_id)
    clock.advance(100)  # the farm was off: its time did not move
    with LocalFarm(data_dir=data, speed=10, seed=2, clock=clock) as farm:
        assert (farm.access_id, farm.access_key) == account
        raw = Raw(farm)
        after = raw.info(task_id)
        assert after["doneFrames"] == before["doneFrames"] and after["taskStatus"] == TaskStatus.RENDERING
        assert raw.frames(task_id) == frames_before
        assert raw.data("getLabelList")["projectNameList"][0]["projectName"] == "kept"
        assert raw.data("queryUserSetting")["taskOverTime"] == 20
        for _ in range(100):
            if raw.info(task_id)["taskStatus"] == TaskStatus.FINISHED:
                break
            clock.advance(1.0)
        final = raw.frames(task_id)
        assert {f["frameStatus"] for f in final} == {FrameStatus.DONE}
        assert raw.info(task_id)["doneFrames"] == 30


def test_chosen_credentials_and_a_temporary_folder(tmp_path):
    with LocalFarm(data_dir=tmp_path / "f", access_id="AKIDmine", access_key="k" * 32) as farm:
        assert (farm.access_id, farm.access_key) == ("AKIDmine", "k" * 32)
        assert Raw(farm).code("queryUserProfile") == 200
    with LocalFarm(data_dir=tmp_path / "f") as farm:
        assert farm.access_id == "AKIDmine"
    temp = LocalFarm()
    with temp:
        folder = temp.data_dir
        assert folder.is_dir() and temp.url.startswith("http://127.0.0.1:")
    assert not folder.exists()
