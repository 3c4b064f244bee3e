"""The Monitor window against the local farm: tasks, frames, progress image, actions."""

import pytest

from renderbus_dcc.constants import FrameStatus, TaskStatus
from renderbus_dcc.ui import qt
from renderbus_dcc.ui.monitor import STATUS_FILTERS, MonitorWindow

WAIT = 30000


@pytest.fixture
def slow_farm(tmp_path):
    """A farm slow enough that a task is still rendering while the test acts on it (a 6-frame
    task analyses for ~2 s and renders for 1-4 s), fast enough to see it end."""
    from renderbus_dcc.farm import LocalFarm

    with LocalFarm(data_dir=tmp_path / "slowfarm", speed=15.0, seed=1) as running:
        yield running


@pytest.fixture
def account_on(slow_farm, login):
    return login(slow_farm)


@pytest.fixture
def task_id(account_on, scene, tmp_path):
    """A task submitted with the core (the test's own set-up), now rendering on the farm."""
    from renderbus_dcc.submission import SubmitOptions, submit

    result = submit(scene, account_on.client(), SubmitOptions(frames="1-6"), journal_dir=tmp_path / "journal",
                    confirm=lambda r: True)
    return result.task_id


def _open(show, host, ids):
    window = show(MonitorWindow(host, ids, interval=0.2, max_interval=1.0))
    return window


def _status(farm, task_id):
    return farm.client().query_task_info([task_id]).items[0].status


def test_follows_a_running_task_with_frames_and_progress_image(qtbot, show, host, task_id, network_threads) -> None:
    window = _open(show, host, [task_id])
    qtbot.waitUntil(lambda: window.tasks.rowCount() > 0 and window.frames_model.rowCount() > 0, timeout=WAIT)
    assert str(task_id) in window.tasks.item(0, 0).text()
    assert "Task %d" % task_id in window.detail_title.text()
    assert window.children_table.rowCount() >= 1
    qtbot.waitUntil(lambda: window.image_shown, timeout=WAIT)
    assert window.image_caption.text().startswith("Frame ")
    assert network_threads.main_thread_calls == []
    assert window.account_line.state == "ok"


def test_table_cells_are_qt_own_items_painted_without_python(qtbot, show, host, task_id) -> None:
    """The task and child tables' cells are made by Qt itself, as the frame list's are: a cell
    made in Python is a wrapper whose first paint calls into Python (taking the interpreter lock
    that a busy worker holds), which stalled the first paint of 200 tasks."""
    shiboken = pytest.importorskip("shiboken6")
    window = _open(show, host, [task_id])
    qtbot.waitUntil(lambda: window.tasks.rowCount() > 0 and window.children_table.rowCount() > 0, timeout=WAIT)
    for table in (window.tasks, window.children_table):
        cells = [table.item(r, c) for r in range(table.rowCount()) for c in range(table.columnCount())]
        assert cells and all(cell is not None and not shiboken.Shiboken.createdByPython(cell) for cell in cells)
    assert str(task_id) in window.tasks.item(0, 0).text() and window.tasks.item(0, 0).data(qt.USER_ROLE) is not None


def test_refreshes_until_the_task_ends(qtbot, show, host, task_id) -> None:
    window = _open(show, host, [task_id])
    qtbot.waitUntil(lambda: window.last_result is not None and task_id in window.last_result.infos
                    and window.last_result.infos[task_id].is_terminal, timeout=90000)
    qtbot.waitUntil(lambda: window.overall.value() == 1000, timeout=WAIT)
    assert "Task %d" % task_id in window.status_line.text()


def test_status_filter_and_paging(qtbot, show, host, task_id) -> None:
    window = _open(show, host, [])
    qtbot.waitUntil(lambda: window.tasks.rowCount() == 1, timeout=WAIT)
    assert window.page_label.text().startswith("Page 1 of 1")
    labels = [label for label, _ in STATUS_FILTERS]
    window.filter.setCurrentIndex(labels.index("Abandoned"))
    qtbot.waitUntil(lambda: window.tasks.rowCount() == 0, timeout=WAIT)
    window.filter.setCurrentIndex(labels.index("All tasks"))
    qtbot.waitUntil(lambda: window.tasks.rowCount() == 1, timeout=WAIT)


def test_stop_then_start(qtbot, show, host, task_id, account_on) -> None:
    window = _open(show, host, [task_id])
    qtbot.waitUntil(lambda: window.tasks.rowCount() > 0, timeout=WAIT)
    with qtbot.waitSignal(window.action_done, timeout=WAIT):
        window.stop_button.click()
    assert _status(account_on, task_id) == TaskStatus.STOP
    with qtbot.waitSignal(window.action_done, timeout=WAIT):
        window.start_button.click()
    assert _status(account_on, task_id) != TaskStatus.STOP


def test_abort_asks_first(qtbot, show, host, task_id, account_on, monkeypatch) -> None:
    window = _open(show, host, [task_id])
    qtbot.waitUntil(lambda: window.tasks.rowCount() > 0, timeout=WAIT)
    asked = []

    def no(*args):
        asked.append(args[1])
        return qt.MSG_NO

    monkeypatch.setattr(qt.QtWidgets.QMessageBox, "question", staticmethod(no))
    window.abort_button.click()
    assert asked and _status(account_on, task_id) != TaskStatus.ABANDON
    monkeypatch.setattr(qt.QtWidgets.QMessageBox, "question", staticmethod(lambda *a: qt.MSG_YES))
    with qtbot.waitSignal(window.action_done, timeout=WAIT):
        window.abort_button.click()
    assert _status(account_on, task_id) == TaskStatus.ABANDON


def test_delete_asks_first_and_removes_the_task(qtbot, show, host, task_id, account_on, monkeypatch) -> None:
    window = _open(show, host, [task_id])
    qtbot.waitUntil(lambda: window.tasks.rowCount() > 0, timeout=WAIT)
    monkeypatch.setattr(qt.QtWidgets.QMessageBox, "question", staticmethod(lambda *a: qt.MSG_YES))
    with qtbot.waitSignal(window.action_done, timeout=WAIT):
        window.delete_button.click()
    ids = [t.id for t in account_on.client().get_task_list(page_size=100).items]
    assert task_id not in ids
    qtbot.waitUntil(lambda: window.tasks.rowCount() == 0, timeout=WAIT)


@pytest.fixture
def failing_task(tmp_path, scene, login):
    """A farm where half the frames fail, an account on it, and a task rendering there."""
    from renderbus_dcc.farm import LocalFarm
    from renderbus_dcc.submission import SubmitOptions, submit

    with LocalFarm(data_dir=tmp_path / "failfarm", speed=15.0, seed=2, fail_rate=0.5) as farm:
        login(farm)
        result = submit(scene, farm.client(), SubmitOptions(frames="1-6"), journal_dir=tmp_path / "journal",
                        confirm=lambda r: True)
        yield farm, result.task_id


def _frames(farm, task_ids):
    client = farm.client()
    return [f for t in task_ids for f in client.query_task_frames(t, page_size=500).items]


def test_retry_selected_frames_and_failed_frames(qtbot, show, host, failing_task) -> None:
    farm, task_id = failing_task
    window = _open(show, host, [task_id])
    qtbot.waitUntil(lambda: window.last_result is not None and task_id in window.last_result.infos
                    and window.last_result.infos[task_id].is_terminal and window.frames_model.rowCount() > 0,
                    timeout=WAIT)
    children = [c.id for c in window.last_result.infos[task_id].children] or [task_id]
    frames = _frames(farm, children)
    failed = [f.id for f in frames if f.status == FrameStatus.FAILED]
    done = [f for f in frames if f.status == FrameStatus.DONE]
    assert failed and done, "the seeded farm fails some frames and renders others"
    assert "failed" in window.detail_title.text()

    # retry one rendered frame, chosen in the frame list
    row = window.frames_model.row_of((done[0].task_id, done[0].id))
    window.frames_table.selectRow(row)
    with qtbot.waitSignal(window.action_done, timeout=WAIT) as blocker:
        window.retry_frames_button.click()
    assert blocker.args == ["restart_frame"]
    again = {f.id: f for f in _frames(farm, children)}
    assert again[done[0].id].status != FrameStatus.DONE or again[done[0].id].recommit_flag

    # retry every failed frame of the task
    with qtbot.waitSignal(window.action_done, timeout=WAIT) as blocker:
        window.retry_failed_button.click()
    assert blocker.args == ["restart_failed_frames"]
    again = {f.id: f for f in _frames(farm, children)}
    assert all(again[i].status != FrameStatus.FAILED for i in failed)


def test_a_10000_frame_task_fetches_only_the_frames_on_screen(qtbot, show, host, account_on, scene, tmp_path) -> None:
    from renderbus_dcc.submission import SubmitOptions, submit

    task_id = submit(scene, account_on.client(), SubmitOptions(frames="1-5000"), journal_dir=tmp_path / "journal",
                     confirm=lambda r: True).task_id  # two layers: 10,000 frames
    window = _open(show, host, [task_id])
    model = window.frames_model
    qtbot.waitUntil(lambda: model.rowCount() == 10000 and model.key(0) is not None, timeout=90000)
    fetched = len(window.last_result.frames)
    assert fetched <= 400  # the pages on screen, not 10,000 rows
    assert [s[2] for s in model.segments] == [5000, 5000]
    assert model.key(9999) is None  # not fetched until it is on screen
    window.frames_table.scrollToBottom()
    qtbot.waitUntil(lambda: model.key(9999) is not None and not model.writing, timeout=WAIT)
    assert model.key(9999)[0] == model.segments[1][0]
    assert model.data(model.index(9999, 0)) == "5000"
    assert len(window.last_result.frames) <= 400


def test_frame_pages_of_the_rows_on_screen():
    from renderbus_dcc.ui.frames import page_keys

    segs = [(7, 0, 1), (8, 1, 250), (9, 251, 10)]
    assert page_keys(segs, 0, 30) == [(7, 1), (8, 1)]
    assert page_keys(segs, 95, 105) == [(8, 1), (8, 2)]
    assert page_keys(segs, 240, 260) == [(8, 3), (9, 1)]
    assert page_keys(segs, 300, 320) == []
