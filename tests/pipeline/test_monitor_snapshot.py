"""Snapshots computed from TaskInfo (pure), and the polling interval's backoff."""

from renderbus_dcc.constants import TaskStatus
from renderbus_dcc.models import TaskInfo
from renderbus_dcc.monitor import TaskSnapshot, next_interval, snapshot

NOW = 1_700_000_100.0


def info(**kw):
    base = {"id": 10, "taskAlias": "P10", "sceneName": "shot.ma", "taskStatus": 5, "totalFrames": 10,
            "doneFrames": 4, "executingFrames": 2, "failedFrames": 1, "abortFrames": 0, "renderConsume": 1.5,
            "startTime": int((NOW - 100) * 1000), "renderDuration": 0}
    base.update(kw)
    return TaskInfo.from_wire(base)


def test_a_rendering_task():
    snap = snapshot(info(), now=NOW)
    assert (snap.task_id, snap.alias, snap.scene_name) == (10, "P10", "shot.ma")
    assert snap.status == TaskStatus.RENDERING and not snap.finished
    assert snap.percent == 40.0
    assert (snap.frames_done, snap.frames_running, snap.frames_failed, snap.frames_waiting) == (4, 2, 1, 3)
    assert snap.cost == 1.5
    assert snap.time_used == 100.0  # no render duration yet: the wall time since it started
    assert snap.eta == 100.0 / 4 * (10 - 4 - 1)


def test_a_waiting_task_has_no_estimate():
    snap = snapshot(info(taskStatus=0, doneFrames=0, executingFrames=0, failedFrames=0, startTime=None), now=NOW)
    assert snap.eta is None and snap.percent == 0.0 and snap.frames_waiting == 10 and snap.time_used == 0.0


def test_a_finished_task():
    snap = snapshot(info(taskStatus=25, doneFrames=10, executingFrames=0, failedFrames=0, renderDuration=321,
                         completedDate=int(NOW * 1000)), now=NOW + 999)
    assert snap.finished and snap.percent == 100.0 and snap.eta == 0.0 and snap.time_used == 321


def test_finished_with_failures_is_not_100_percent():
    snap = snapshot(info(taskStatus=30, doneFrames=8, executingFrames=0, failedFrames=2), now=NOW)
    assert snap.finished and snap.percent == 80.0 and snap.frames_failed == 2


def test_a_shell_task_sums_its_children():
    shell = info(totalFrames=0, doneFrames=0, executingFrames=0, failedFrames=0, renderConsume=None,
                 respRenderingTaskList=[
                     {"id": 11, "taskStatus": 25, "totalFrames": 1, "doneFrames": 1, "renderConsume": 0.5,
                      "taskType": "RenderPhoton"},
                     {"id": 12, "taskStatus": 5, "totalFrames": 9, "doneFrames": 3, "executingFrames": 2,
                      "renderConsume": 1.0, "taskType": "Render"}])
    snap = snapshot(shell, now=NOW)
    assert [c.task_id for c in snap.children] == [11, 12]
    assert snap.children[0].finished and not snap.children[1].finished
    assert (snap.frames_total, snap.frames_done, snap.frames_running, snap.frames_waiting) == (10, 4, 2, 4)
    assert snap.cost == 1.5 and snap.percent == 40.0


def test_null_counts_are_zero():
    snap = snapshot(info(totalFrames=None, doneFrames=None, executingFrames=None, failedFrames=None,
                         renderConsume=None), now=NOW)
    assert snap.frames_total == 0 and snap.percent == 0.0 and snap.cost == 0.0


def test_the_change_key_ignores_time():
    a = snapshot(info(), now=NOW)
    b = snapshot(info(), now=NOW + 50)
    assert a.key() == b.key() and a.eta != b.eta
    assert snapshot(info(doneFrames=5), now=NOW).key() != a.key()


def test_backoff_grows_while_nothing_changes_and_resets_on_change():
    delay, seen = 2.0, []
    for _ in range(10):
        delay = next_interval(delay, base=2.0, maximum=30.0, changed=False)
        seen.append(delay)
    assert seen == sorted(seen) and seen[-1] == 30.0 and seen[0] == 3.0
    assert next_interval(30.0, base=2.0, maximum=30.0, changed=True) == 2.0


def test_backoff_on_errors_is_steeper_and_bounded():
    assert next_interval(2.0, 2.0, 60.0, changed=True, error=True) == 4.0
    delay = 2.0
    for _ in range(20):
        delay = next_interval(delay, 2.0, 60.0, changed=False, error=True)
    assert delay == 60.0


def test_snapshot_dataclass_defaults():
    snap = TaskSnapshot(task_id=1)
    assert snap.children == [] and snap.error == "" and snap.status_name == "waiting"


class _Service:
    """Answers queryTaskInfo for 200 rendering tasks; only task 1 moves (a frame per call)."""

    def __init__(self):
        self.calls = []
        self.done = 0

    def query_task_info(self, ids):
        from renderbus_dcc.models import Page

        self.calls.append(list(ids))
        self.done += 1
        return Page(items=[info(id=t, doneFrames=self.done if t == 1 else 4, totalFrames=10000) for t in ids],
                    total=len(ids))


def test_idle_tasks_back_off_on_their_own_while_one_renders():
    from renderbus_dcc.monitor import TaskMonitor

    service, now = _Service(), [0.0]
    monitor = TaskMonitor(service, range(1, 201), interval=5.0, max_interval=60.0, clock=lambda: now[0])
    while now[0] < 1800.0:  # half an hour
        monitor.poll(due_only=True)
        now[0] += max(0.1, monitor.next_delay())
    asked = {t: sum(t in c for c in service.calls) for t in range(1, 201)}
    assert len(service.calls) == monitor.requests  # one request per round, for every task due
    assert asked[1] >= 30 * 10  # the moving task: every 5 s or so
    assert max(asked[t] for t in range(2, 201)) <= 30 * 2  # each idle one: at most twice a minute
    assert min(asked[t] for t in range(2, 201)) >= 25  # ... and still about once a minute
