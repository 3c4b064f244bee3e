"""The farm at production scale: a call's work is bounded by what it reads and what happened in
farm time, never by the size of a task (100,000 frames) or by other accounts' tasks.

Work is counted as rows the farm's database hands back per call (deterministic), never timed.
"""

import sqlite3
from typing import Any, Dict, List

import pytest

from renderbus_dcc.constants import TaskStatus
from renderbus_dcc.farm import LocalFarm

from .helpers import FakeClock, Raw, maya_task


class RowCounter:
    """Counts the rows the farm's database returns (wraps FarmDB.one/all/value/tuples on the instance)."""

    def __init__(self, db: Any) -> None:
        self.rows = 0
        for name in ("one", "all", "value", "tuples"):
            setattr(db, name, self._wrap(getattr(db, name)))

    def _wrap(self, method: Any) -> Any:
        def counted(*args: Any) -> Any:
            result = method(*args)
            self.rows += len(result) if isinstance(result, list) else 1
            return result
        return counted

    def take(self) -> int:
        rows, self.rows = self.rows, 0
        return rows


def _sim(farm: LocalFarm, task_id: int) -> Any:
    return farm._db.conn.execute("SELECT sim_ft FROM tasks WHERE id = ?", (task_id,)).fetchone()["sim_ft"]


@pytest.fixture
def big(clocked_farm: LocalFarm, craw: Raw, clock: FakeClock) -> Dict[str, Any]:
    """A 100,000-frame Maya task, rendering (20 nodes busy)."""
    task_id = craw.submit(maya_task("1-100000[1]"))
    clock.advance(3.5)  # analysis and waiting over (speed 10)
    info = craw.info(task_id)
    assert info["taskStatus"] == TaskStatus.RENDERING and info["totalFrames"] == 100000
    return {"id": task_id, "counter": RowCounter(clocked_farm._db)}


def test_a_100000_frame_task_costs_a_call_only_what_it_reads(big, craw, clock):
    counter = big["counter"]
    for _ in range(3):
        clock.advance(4.0)  # 40 farm s: a few of the 20 running frames end, others start
        counter.take()
        info = craw.info(big["id"])
        assert counter.take() < 200
        listed = craw.data("getTaskList", {"pageNum": 1, "pageSize": 20})
        assert counter.take() < 200
        assert listed["items"][0]["id"] == big["id"]
        assert info["executingFrames"] == 20 and info["doneFrames"] > 0
        assert info["doneFrames"] + info["executingFrames"] + info["failedFrames"] < 100000
    stats = craw.data("queryAllFrameStats")
    assert counter.take() < 50
    assert stats["totalFrames"] == 100000 and stats["executingFramesTotal"] == 20
    profile = craw.data("queryUserProfile")
    assert counter.take() < 50 and profile["rmbCumulative"] > 0


def test_any_page_of_a_100000_frame_task_reads_only_that_page(big, craw):
    counter = big["counter"]
    for page_num in (1, 450, 1000):
        counter.take()
        page = craw.data("queryTaskFrames", {"taskId": big["id"], "pageNum": page_num, "pageSize": 100})
        assert counter.take() < 150
        assert page["total"] == 100000 and page["pageCount"] == 1000
        assert [f["frameIndex"] for f in page["items"]] == [str(n) for n in range((page_num - 1) * 100 + 1,
                                                                                page_num * 100 + 1)]
    child = craw.info(big["id"])["respRenderingTaskList"][0]["id"]
    page = craw.data("queryTaskFrames", {"taskId": child, "pageNum": 999, "pageSize": 100})
    assert [f["frameIndex"] for f in page["items"]][:2] == ["99801", "99802"] and page["total"] == 100000
    image = craw.data("loadTaskProcessImg", {"taskId": big["id"]})
    assert 20 <= sum(len(g) for g in image["grabInfo"]) <= 200


def test_calls_that_read_no_task_and_other_accounts_play_no_task(big, clocked_farm, craw, clock):
    other_id, other_key = clocked_farm.add_account()
    other = Raw(clocked_farm, access_id=other_id, access_key=other_key)
    before = _sim(clocked_farm, big["id"])
    clock.advance(5.0)
    for raw, name in ((craw, "queryUserSetting"), (craw, "getRenderEnv"), (other, "getTaskList"),
                      (other, "queryUserProfile")):
        raw.data(name, {"pageNum": 1, "pageSize": 20} if name == "getTaskList" else
                 ({"cgId": 2000} if name == "getRenderEnv" else {}))
        assert _sim(clocked_farm, big["id"]) == before, name
    craw.info(big["id"])
    assert _sim(clocked_farm, big["id"]) > before


def test_reads_many_times_a_second_play_a_couple_of_tasks_each_and_stay_within_a_second(clocked_farm, craw, clock):
    from renderbus_dcc.farm.core import PLAY_EVERY, PLAYS_PER_READ, STALE_AFTER

    played: List[int] = []
    core = clocked_farm._api
    advance_one = core._advance_isolated
    core._advance_isolated = lambda shell, now: (played.append(shell["id"]), advance_one(shell, now))
    ids = [craw.submit(maya_task("1-2000[1]")) for _ in range(6)]
    clock.advance(3.5)  # all six rendering (20 nodes each)
    craw.data("getTaskList", {"pageNum": 1, "pageSize": 20})
    assert sorted(played) == sorted(ids)  # first read: every task is stale, all are played
    clock.advance(3.0)  # frames end now and then on every task (at 20-60 farm s each)
    craw.data("getTaskList", {"pageNum": 1, "pageSize": 20})  # (a second since: all played again)
    seen = set()
    for _ in range(12):  # reads 0.2 s apart (speed 10: 2 farm s)
        clock.advance(4 * PLAY_EVERY)
        del played[:]
        listed = craw.data("getTaskList", {"pageNum": 1, "pageSize": 20})
        assert len(played) <= PLAYS_PER_READ and len(listed["items"]) == 6
        seen.update(played)
    assert seen == set(ids)  # in turns, the least recently played first
    raw_info = craw.info(ids[0])
    assert raw_info["taskStatus"] == TaskStatus.RENDERING
    clock.advance(STALE_AFTER)
    del played[:]
    craw.data("queryTaskInfo", {"taskIds": ids})
    assert sorted(played) == sorted(ids)  # stale for a second: every one is played, whatever it costs
    clock.advance(STALE_AFTER / 2)
    del played[:]
    craw.data("stopTask", {"taskIds": [ids[0]]})  # a change plays the task it changes first...
    assert played in ([], [ids[0]])  # (if it was due)
    del played[:]
    craw.data("queryTaskInfo", {"taskIds": ids})  # ...and the next read every task due, not a couple
    assert len(played) > PLAYS_PER_READ and ids[0] not in played


def test_which_tasks_a_read_plays():
    from renderbus_dcc.farm.core import PLAYS_PER_READ, STALE_AFTER, to_play

    due = [{"id": i} for i in range(1, 7)]
    played = {1: 9.99, 2: 9.5, 3: 9.2, 4: 9.3, 5: 9.0 - STALE_AFTER}  # task 6: never played
    picked = [t["id"] for t in to_play(due, played, 10.0)]
    assert picked == [5, 6]  # stale ones, whatever their number
    played.update({5: 9.1, 6: 9.4})
    assert [t["id"] for t in to_play(due, played, 10.0)] == [5, 3][:PLAYS_PER_READ]  # least recently played first


def _frames_at_end(tmp_path: Any, polls: int) -> List[Any]:
    """Render a task with failures, looking at it ``polls`` times on the way; its frames at the end."""
    clock = FakeClock()
    with LocalFarm(data_dir=tmp_path / ("polls%d" % polls), speed=10.0, seed=11, clock=clock, fail_rate=0.3,
                   nodes=3) as farm:
        raw = Raw(farm)
        task_id = raw.submit(maya_task("1-40[1]", layers=("a", "b")))
        for _ in range(polls):
            clock.advance(60.0 / polls)
            raw.info(task_id)
        clock.advance(200.0 - 60.0)
        info = raw.info(task_id)
        assert info["taskStatus"] == TaskStatus.FINISHED_HAS_FAILED
        return [(f["frameIndex"], f["taskId"] - task_id, f["frameStatus"], f["frameExecuteTime"], f["feeAmount"],
                 f["startTime"] is not None) for f in raw.frames(task_id)]


def test_a_life_played_rarely_is_the_life_played_often(tmp_path):
    often = _frames_at_end(tmp_path, 60)
    assert often == _frames_at_end(tmp_path, 1)
    assert {f[2] for f in often} == {4, 5} and len(often) == 80


def test_frame_counts_are_rebuilt_for_a_data_folder_made_before_them(tmp_path, clock):
    with LocalFarm(data_dir=tmp_path / "old", speed=10.0, seed=7, clock=clock) as farm:
        raw = Raw(farm)
        task_id = raw.submit(maya_task("1-30[1]"))
        clock.advance(8.0)
        info = raw.info(task_id)
        assert info["doneFrames"] > 0
    conn = sqlite3.connect(str(tmp_path / "old" / "farm.sqlite3"))
    conn.execute("DELETE FROM frame_counts")
    conn.execute("DELETE FROM meta WHERE key = 'derived_version'")
    conn.commit()
    conn.close()
    with LocalFarm(data_dir=tmp_path / "old", speed=10.0, seed=7, clock=clock) as farm:
        again = Raw(farm).info(task_id)
    assert (again["totalFrames"], again["doneFrames"], again["renderConsume"]) == \
        (30, info["doneFrames"], info["renderConsume"])


def test_retrying_more_frames_than_sqlite_takes_in_one_statement(tmp_path, clock):
    with LocalFarm(data_dir=tmp_path / "fast", speed=1000.0, seed=7, clock=clock) as farm:
        raw = Raw(farm)
        task_id = raw.submit(maya_task("1-1500[1]"))
        clock.advance(10.0)
        frames = raw.frames(task_id)
        assert len(frames) == 1500 and all(f["frameStatus"] == 4 for f in frames)
        raw.data("restartFrame", {"taskId": task_id, "selectAll": 0, "ids": [f["id"] for f in frames]})
        info = raw.info(task_id)
        assert info["taskStatus"] == TaskStatus.RENDERING and info["doneFrames"] == 0
