"""The monitor following real tasks on the local farm through their whole life."""

import threading

from renderbus_dcc.constants import TaskStatus
from renderbus_dcc.monitor import TaskMonitor
from renderbus_dcc.submission import SubmitOptions, submit


def test_snapshots_through_a_whole_task_life(farm, farm_client, scene):
    result = submit(scene, farm_client, confirm=lambda r: True)
    rounds = []
    monitor = TaskMonitor(farm_client, [result.task_id], interval=0.05, max_interval=0.2,
                          on_snapshot=lambda snaps: rounds.append(snaps[0]) and None)
    last = monitor.run()
    assert monitor.requests == len(rounds)  # one batched query per round
    [final] = last
    assert final.finished and final.status == TaskStatus.FINISHED
    assert final.percent == 100.0 and final.frames_done == final.frames_total == 48
    assert final.frames_waiting == final.frames_running == final.frames_failed == 0
    assert final.cost > 0 and final.time_used > 0 and final.eta == 0.0
    assert sorted(c.frames_total for c in final.children) == [24, 24]  # one child task per layer
    percents = [s.percent for s in rounds]
    assert percents == sorted(percents)
    assert any(0 < p < 100 for p in percents) or len(rounds) == 1
    statuses = [s.status for s in rounds]
    assert statuses[-1] == TaskStatus.FINISHED


def test_one_request_per_round_for_many_tasks_and_frames_on_demand(farm, farm_client, scene):
    ids = [submit(scene, farm_client, SubmitOptions(frames="1-%d" % n), confirm=lambda r: True).task_id
           for n in (2, 3)]
    monitor = TaskMonitor(farm_client, ids, interval=0.05, max_interval=0.1)
    stop = threading.Event()
    snaps = monitor.run(stop)
    assert monitor.finished and sorted(s.task_id for s in snaps) == sorted(ids)
    assert {s.frames_done for s in snaps} == {4, 6}
    page = monitor.frames(ids[0])
    assert page.total >= 4
    image = monitor.progress_image(ids[0])
    assert image.blocks is not None
    before = monitor.requests
    monitor.poll()  # every task ended: nothing left to ask
    assert monitor.requests == before


def test_a_deleted_task_does_not_blind_the_others(farm, farm_client, scene):
    keep, gone = [submit(scene, farm_client, SubmitOptions(frames="1"), confirm=lambda r: True).task_id
                  for _ in range(2)]
    farm_client.delete_task([gone])
    monitor = TaskMonitor(farm_client, [keep, gone], interval=0.05, max_interval=0.1)
    snaps = {s.task_id: s for s in monitor.poll()}
    assert "not found" in snaps[gone].error and snaps[gone].finished
    assert not snaps[keep].error and snaps[keep].scene_name == "shot010_lighting.ma"
    before = monitor.requests
    monitor.poll()
    # the deleted task is no longer asked about; the other one is, while it has not finished
    assert monitor.requests == before + (0 if snaps[keep].finished else 1)
    monitor.run()
    assert monitor.snapshots[keep].status == TaskStatus.FINISHED


def test_errors_back_off_and_are_reported(farm):
    monitor = TaskMonitor(farm.client(retries=0), [999999], interval=1.0, max_interval=8.0)
    snaps = monitor.poll()
    assert snaps[0].error and snaps[0].finished  # no such task: nothing to wait for
    farm.stop()
    monitor.add(1000000)
    delays = []
    for _ in range(5):
        snaps = monitor.poll()
        delays.append(monitor.next_delay())
    assert snaps[-1].error and not snaps[-1].finished  # a network error may pass: keep asking
    assert delays == sorted(delays) and delays[-1] == 8.0


def test_following_many_tasks_costs_one_request_a_round(tmp_path):
    """20 tasks followed on the farm, 19 stopped (ended, as far as following goes: asked about
    once), one rendering (asked about every few seconds): every round is one request."""
    from renderbus_dcc.farm import LocalFarm

    from farm.helpers import FakeClock, Raw, maya_task

    farm_clock = FakeClock()
    with LocalFarm(data_dir=tmp_path / "farm", speed=100.0, seed=5, clock=farm_clock) as farm:
        raw = Raw(farm)
        ids = [raw.submit(maya_task("1-2000[1]")) for _ in range(20)]
        raw.data("stopTask", {"taskIds": ids[1:]})
        farm_clock.advance(1.0)
        now = [0.0]
        client = farm.client()
        monitor = TaskMonitor(client, ids, interval=5.0, max_interval=60.0, clock=lambda: now[0])
        rounds = 0
        while now[0] < 600.0:  # ten minutes of the monitor's clock
            before = monitor.requests
            monitor.poll(due_only=True)
            rounds += 1
            assert monitor.requests - before <= 1
            step = max(0.5, monitor.next_delay())
            now[0] += step
            farm_clock.advance(0.05)  # the rendering task moves between rounds
        assert not monitor.snapshots[ids[0]].finished
        minutes = 10.0
        assert all(monitor.asked[t] == 1 for t in ids[1:]), monitor.asked
        assert monitor.asked[ids[0]] / minutes >= 6.0
        assert monitor.requests <= rounds and monitor.requests < 12 * minutes + 20
        client.close()
