"""Test frames from the submitter's words to the farm, and the forecast they make possible: the
task stops after them, the forecast is within 25 % of what the whole task finally cost, and
`renderbus submit --test-frames ... --stop-after-test` / `renderbus watch` show and act on it."""

import json
import time

import pytest

from renderbus_dcc.constants import FrameStatus, FrameType, TaskStatus
from renderbus_dcc.errors import FrameSpecError
from renderbus_dcc.forecast import describe, fetch_forecast, forecast
from renderbus_dcc.models import FrameInfo, TaskInfo
from renderbus_dcc.testframes import describe_pre_frames, parse_pre_frames, pre_frames_value, frames_first


@pytest.mark.parametrize("typed, value", [
    ("", "000"), ("first,middle,last", "111"), ("first, last", "101"), ("FIRST,last,5-7", "101:5-7[1]"),
    ("1,3-4", "000:1,3-4[1]"), ("middle,50", "010:50-50[1]"), ("101:5-7[1]", "101:5-7[1]"),
])
def test_what_artists_type_becomes_the_sdks_pre_frames(typed, value):
    assert pre_frames_value(typed) == value
    assert pre_frames_value(describe_pre_frames(value)) == value


@pytest.mark.parametrize("typed, why", [("first,,last", "empty part"), ("firts", "firts"), ("10-1", "reversed")])
def test_a_bad_test_frame_spec_says_what_is_wrong(typed, why):
    with pytest.raises(FrameSpecError, match=why) as caught:
        pre_frames_value(typed)
    assert caught.value.hint


def test_the_frames_a_layer_renders_first():
    assert frames_first("111", [1, 2, 3, 4]) == [1, 2, 4]
    assert frames_first("010", range(1, 11)) == [5]
    assert frames_first("000:3,99", [1, 2, 3, 4]) == [3]  # a frame outside the layer's range is left out
    assert frames_first("000", [1, 2]) == [] and parse_pre_frames("101:5")[0] == (True, False, True)


def _frame(status, seconds, fee, kind=FrameType.MAIN, start=0):
    return FrameInfo(status=FrameStatus(status), execute_time=seconds, fee_amount=fee, frame_type=FrameType(kind),
                     start_time=start * 1000 if start else None, end_time=(start + seconds) * 1000 if start else None)


def test_the_forecast_is_arithmetic_on_the_test_frames_and_the_price():
    tests = [_frame(4, 40, 0.06, FrameType.PRIORITY, 1000), _frame(4, 60, 0.09, FrameType.PRIORITY, 1000)]
    rest = [_frame(3, 0, 0.0) for _ in range(8)]
    info = TaskInfo(id=7, status=TaskStatus.STOP, task_limit=4)
    fc = forecast(info, tests + rest, now=1000.0)
    assert fc.basis == "test" and fc.samples == 2 and fc.seconds_per_frame == 50.0 and fc.frames_left == 8
    assert fc.price_per_second == pytest.approx(0.0015) and fc.spent == pytest.approx(0.15)
    assert fc.cost == pytest.approx(0.15 + 8 * 50 * 0.0015)
    assert fc.cost_low <= fc.cost <= fc.cost_high and fc.seconds_low >= 40 and fc.seconds_high <= 60
    assert fc.nodes == 4 and fc.duration == 2 * 50 and fc.waiting and fc.finish_at == 1100.0
    assert forecast(info, rest) is None  # nothing finished: no forecast
    # no fee yet: the account's CPU price (per core-hour) for a node
    from renderbus_dcc.models import UserProfile

    unpaid = [_frame(4, 50, 0.0, FrameType.PRIORITY)]
    assert forecast(info, unpaid + rest, UserProfile(cpu_price=0.675)).price_per_second == pytest.approx(0.0015)
    lines = describe(fc)
    assert "2 test frames" in lines[0] and "Start renders the rest" in lines[-1]


def _wait(client, task_id, statuses, timeout=60.0):
    deadline = time.monotonic() + timeout
    while True:
        info = client.query_task_info([task_id]).items[0]
        if info.status in statuses:
            return info
        assert time.monotonic() < deadline, "task %d stayed %s" % (task_id, info.status)
        time.sleep(0.05)


def test_stop_after_test_then_a_forecast_within_25_percent_of_the_final_cost(farm, farm_client, scene, tmp_path):
    from renderbus_dcc.submission import SubmitOptions, submit

    result = submit(scene, farm_client, SubmitOptions(test_frames="first,middle,last", stop_after_test=True),
                    confirm=lambda r: True, journal_dir=tmp_path / "journal")
    info = _wait(farm_client, result.task_id, (TaskStatus.STOP,))
    assert info.done_frames == 6 and info.total_frames == 48  # 3 test frames of each of the 2 layers
    fc = fetch_forecast(farm_client, result.task_id)
    assert fc.waiting and fc.basis == "test" and fc.samples == 6 and fc.frames_left == 42
    farm_client.start_task([result.task_id])
    final = _wait(farm_client, result.task_id, (TaskStatus.FINISHED,))
    assert final.done_frames == 48
    assert abs(fc.cost - final.render_consume) <= 0.25 * final.render_consume
    assert fc.cost_low <= final.render_consume * 1.25 and fc.cost_high >= final.render_consume * 0.75


def test_the_task_files_carry_the_test_frames_as_the_sdk_writes_them(account, project, tmp_path):
    from renderbus_dcc.cli import main

    scene_file = project / "scene.json"
    out = tmp_path / "dry"
    assert main(["submit", str(scene_file), "--dry-run", str(out), "--yes", "--test-frames", "first,last,12",
                 "--stop-after-test"]) == 0
    info = json.loads((out / "cfg" / "task.json").read_text(encoding="utf-8"))["task_info"]
    assert info["pre_frames"] == "101:12-12[1]" and info["stop_after_test"] == "1"
    assert main(["submit", str(scene_file), "--dry-run", str(out), "--yes"]) == 0
    info = json.loads((out / "cfg" / "task.json").read_text(encoding="utf-8"))["task_info"]
    assert info["pre_frames"] == "000" and info["stop_after_test"] == "2"


def test_submit_refuses_stop_after_test_without_test_frames_and_a_bad_spec(account, project, capsys):
    from renderbus_dcc.cli import main

    scene_file = project / "scene.json"
    assert main(["submit", str(scene_file), "--yes", "--stop-after-test"]) == 1
    assert "--test-frames" in capsys.readouterr().err
    assert main(["submit", str(scene_file), "--yes", "--test-frames", "frist"]) == 1
    assert "frist" in capsys.readouterr().err
    assert account.client().get_task_list().items == []  # nothing was made


def test_watch_ends_with_the_forecast_and_how_to_start_or_abort(account, project, capsys):
    from renderbus_dcc.cli import main
    from renderbus_dcc.cli.submit import after_test_frames

    scene_file = project / "scene.json"
    assert main(["submit", str(scene_file), "--yes", "--frames", "1-6", "--test-frames", "first,last",
                 "--stop-after-test", "--watch", "--interval", "0.05"]) == 1  # stopped, not finished
    out = capsys.readouterr().out
    farm = account
    [task] = farm.client().get_task_list().items
    assert "its test frames are done" in out and "Forecast from 4 test frames" in out
    assert "renderbus tasks start %d" % task.id in out
    # at a terminal the question is asked: "s" starts the rest, and watching carries on to the end
    from renderbus_dcc.monitor import TaskMonitor

    snaps = TaskMonitor(farm.client(), [task.id]).poll()
    assert after_test_frames(farm.client(), snaps, ask=lambda snap, fc: "start") == [task.id]
    assert "the rest renders now" in capsys.readouterr().out
    assert _wait(farm.client(), task.id, (TaskStatus.FINISHED,)).done_frames == 12
