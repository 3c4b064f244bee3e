"""The monitor's Frames home panel against the local farm: the forecast after the test frames with
Start right there, frames downloaded automatically (off the UI thread) and opened in the host's viewer."""

import os
from pathlib import Path

import pytest

from renderbus_dcc.constants import TaskStatus
from renderbus_dcc.ui.host import HostHooks
from renderbus_dcc.ui.monitor import MonitorWindow

WAIT = 60000


class ViewerHost(HostHooks):
    """A host whose viewer records what it was asked to show (as Maya's Render View would load it)."""

    viewer_name = "Render View"

    def __init__(self, scene):
        super().__init__(scene)
        self.opened = []

    def open_image(self, path):
        assert os.path.isfile(path)
        self.opened.append(path)


@pytest.fixture
def stopped_task(farm, logged_in, scene, tmp_path):
    """A task whose test frames are done: the farm stopped it after them (stop_after_test "1")."""
    from renderbus_dcc.downloads import records
    from renderbus_dcc.submission import SubmitOptions, submit

    client = farm.client()
    result = submit(scene, client, SubmitOptions(frames="1-6", test_frames="first,last", stop_after_test=True),
                    journal_dir=tmp_path / "journal", confirm=lambda r: True)
    records().update(result.task_id, destination=str(tmp_path / "frames"))  # not the artist's real folders
    import time

    deadline = time.monotonic() + 60
    while client.query_task_info([result.task_id]).items[0].status != TaskStatus.STOP:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return result.task_id


def _frames(folder):
    return sorted(p for p in Path(folder).rglob("*") if p.is_file()) if Path(folder).exists() else []


def test_forecast_start_downloads_and_the_viewer(qtbot, show, scene, stopped_task, tmp_path, network_threads):
    host = ViewerHost(scene)
    window = show(MonitorWindow(host, [stopped_task], interval=0.2, max_interval=0.5))
    panel = window.frames_panel
    assert panel.open_button.text() == "Open in Render View"
    # the test frames come home by themselves, and the forecast says what the rest will cost
    qtbot.waitUntil(lambda: len(_frames(tmp_path / "frames")) == 4, timeout=WAIT)
    qtbot.waitUntil(lambda: panel.start_button.isVisible() and "test frames" in panel.forecast_label.text(),
                    timeout=WAIT)
    assert "Whole task: about" in panel.forecast_label.text()
    qtbot.waitUntil(lambda: panel.frame_list.count() == 4, timeout=WAIT)
    assert str(tmp_path / "frames") in panel.where_label.text()
    # Start, right there: the rest renders and comes home too
    with qtbot.waitSignal(panel.acted, timeout=WAIT):
        qtbot.mouseClick(panel.start_button, qt_left())
    qtbot.waitUntil(lambda: len(_frames(tmp_path / "frames")) == 12, timeout=WAIT)
    qtbot.waitUntil(lambda: panel.frame_list.count() == 12, timeout=WAIT)
    assert not panel.start_button.isVisible()
    # a frame opens in the host's viewer
    panel.frame_list.setCurrentRow(0)
    qtbot.mouseClick(panel.open_button, qt_left())
    assert host.opened == [panel.frame_list.item(0).data(user_role())]
    assert network_threads.threads and network_threads.main_thread_calls == []  # the UI thread never waited


def test_the_automatic_download_is_a_switch_per_task(qtbot, show, scene, stopped_task, tmp_path, monkeypatch):
    import threading

    from renderbus_dcc.downloads import DownloadRecords, records

    records().update(stopped_task, auto=False)
    readers = []
    read = DownloadRecords.get
    monkeypatch.setattr(DownloadRecords, "get", lambda self, t: readers.append(threading.current_thread()) or read(self, t))
    window = show(MonitorWindow(ViewerHost(scene), [stopped_task], interval=0.2, max_interval=0.5))
    panel = window.frames_panel
    qtbot.waitUntil(lambda: panel.task_id == stopped_task and window.last_result is not None
                    and panel.auto_check.isEnabled(), timeout=WAIT)  # usable once its setting is read
    assert not panel.auto_check.isChecked()
    qtbot.wait(500)
    assert _frames(tmp_path / "frames") == []  # switched off: nothing came
    # the records (a file, and the submission journals) were read off the UI thread
    assert readers and threading.main_thread() not in readers
    with qtbot.waitSignal(panel.downloaded, timeout=WAIT):
        panel.auto_check.setChecked(True)  # on: what is rendered comes at once
    assert records().auto(stopped_task) and len(_frames(tmp_path / "frames")) == 4


def qt_left():
    from renderbus_dcc.ui import qt
    from renderbus_dcc.ui.qt import QtCore

    return qt.enum(QtCore.Qt, "MouseButton", "LeftButton")


def user_role():
    from renderbus_dcc.ui import qt

    return qt.USER_ROLE
