"""The Submitter window against the local farm: its states, a whole submission, cancel and resume."""

import threading
from pathlib import Path


from renderbus_dcc.ui.preview import broken_scene
from renderbus_dcc.ui.submitter import SubmitterWindow

WAIT = 30000


def _open(show, host):
    window = show(SubmitterWindow(host))
    return window


def _settled(window):
    return (window.preparation is not None and not window.runner.busy and not window._options_timer.isActive()
            and not window._scene_timer.isActive())


def test_without_an_account_it_offers_the_settings(qtbot, show, host) -> None:
    window = _open(show, host)
    qtbot.waitUntil(lambda: window.account_line.state == "no_credentials" and _settled(window), timeout=WAIT)
    assert window.account_line.setup_button.isVisible()
    assert window.account_line.setup_button.text().startswith("Set up your Renderbus account")
    assert not window.submit_button.isEnabled()
    assert "account" in window.submit_button.toolTip()
    # the scene's own checks still ran
    assert window.validation.summary.text()
    window.account_line.setup_button.click()
    from renderbus_dcc.ui import _WINDOWS

    assert "settings" in _WINDOWS and _WINDOWS["settings"].isVisible()


def test_unreachable_farm_is_said_plainly(qtbot, show, host, farm, login) -> None:
    login(farm, endpoint="http://127.0.0.1:9")  # nothing listens there
    window = _open(show, host)
    qtbot.waitUntil(lambda: window.account_line.state == "unreachable", timeout=WAIT)
    assert window.account_line.retry_button.isVisible()
    assert "cannot be reached" in window.account_line.label.text()
    assert not window.submit_button.isEnabled()


def test_shows_account_environment_and_scene_choices(qtbot, show, host, scene, logged_in) -> None:
    window = _open(show, host)
    qtbot.waitUntil(lambda: window.account_line.state == "ok" and _settled(window), timeout=WAIT)
    assert "Signed in as" in window.account_line.label.text()
    env = window.preparation.env
    assert env is not None
    assert window.software_label.text() == "%s %s" % (env.cg_name, env.cg_version)
    assert env.reason and env.reason in window.env_reason.text()
    assert window.env_combo.itemText(0).startswith("Automatic")
    assert window.env_combo.itemText(window.env_combo.count() - 1) == "New environment…"
    assert window.frames_edit.text() == scene.frames
    layers = [window.layers_list.item(i).text() for i in range(window.layers_list.count())]
    assert layers == [l.name for l in scene.layers]
    checked = window._checked(window.layers_list, [])
    assert checked == [l.name for l in scene.renderable_layers()]
    assert window.submit_button.isEnabled(), window.submit_button.toolTip()


def test_validation_errors_disable_submit(qtbot, show, scene, logged_in) -> None:
    from renderbus_dcc.ui.host import HostHooks

    window = _open(show, HostHooks(broken_scene(scene)))
    qtbot.waitUntil(lambda: window.account_line.state == "ok" and _settled(window), timeout=WAIT)
    assert window.validation.count("error") >= 1
    texts = [window.validation.list.item(i).text() for i in range(window.validation.list.count())]
    assert any("brick_wall_missing" in t for t in texts)
    assert all(t for t in texts)
    assert "error" in window.validation.summary.text()
    assert not window.submit_button.isEnabled()
    assert "fix the errors" in window.submit_button.toolTip()


def test_frames_are_checked_as_they_are_typed(qtbot, show, host, logged_in) -> None:
    window = _open(show, host)
    qtbot.waitUntil(lambda: _settled(window) and window.submit_button.isEnabled(), timeout=WAIT)
    window.frames_edit.setText("1-10x")
    assert window.frames_error.text()  # the FrameSpecError's message, at once
    assert not window.submit_button.isEnabled()
    window.frames_edit.setText("1-10")
    assert window.frames_error.text() == ""
    qtbot.waitUntil(lambda: _settled(window) and window.submit_button.isEnabled(), timeout=WAIT)
    assert host.load_scene_settings()["frames"] == "1-10"  # saved with the scene


def test_settings_are_restored_from_the_scene(qtbot, show, scene, logged_in) -> None:
    from renderbus_dcc.ui.host import HostHooks

    layer = scene.renderable_layers()[0].name
    host = HostHooks(scene, settings={"frames": "3-5", "layers": [layer], "label": "showreel"})
    window = _open(show, host)
    assert window.frames_edit.text() == "3-5"
    assert window._checked(window.layers_list, []) == [layer]
    assert window.label_combo.currentText() == "showreel"
    options = window.options()
    assert (options.frames, options.layers, options.label) == ("3-5", [layer], "showreel")


def test_scene_changes_refresh_the_checks(qtbot, show, host, scene, logged_in) -> None:
    window = _open(show, host)
    qtbot.waitUntil(lambda: _settled(window) and window.submit_button.isEnabled(), timeout=WAIT)
    with qtbot.waitSignal(window.prepared, timeout=WAIT):
        host.set_scene(broken_scene(scene))  # the host's scene-change callback
        host.notify_scene_changed()  # a burst of callbacks makes one refresh
    qtbot.waitUntil(lambda: _settled(window) and window.validation.count("error") >= 1, timeout=WAIT)
    assert not window.submit_button.isEnabled()
    window.close()
    assert host._callbacks == []  # the callback was removed


def test_a_whole_submission_through_the_dialog(qtbot, show, host, logged_in, farm_client, network_threads,
                                              monkeypatch) -> None:
    from renderbus_dcc import assets

    hashed_on_main = []  # the scene's md5 (a multi-GB file can take seconds) runs in a worker
    md5_file = assets.md5_file
    monkeypatch.setattr(assets, "md5_file", lambda *a, **k: hashed_on_main.append(
        threading.current_thread() is threading.main_thread()) or md5_file(*a, **k))
    window = _open(show, host)
    qtbot.waitUntil(lambda: _settled(window) and window.submit_button.isEnabled(), timeout=WAIT)
    window.confirm_warnings = lambda report: True
    stages = []
    window.runner._signals.progress.connect(lambda job, p: stages.append(p.stage))
    qtbot.mouseClick(window.submit_button, qtbot_button())
    qtbot.waitUntil(lambda: window.result is not None or window.last_error is not None, timeout=60000)
    main_thread_calls = list(network_threads.main_thread_calls)
    assert window.last_error is None, window.result_label.text()
    task_id = window.result.task_id
    assert "Submitted task %d" % task_id in window.result_label.text()
    assert window.monitor_button.isVisible()
    assert "upload" in stages
    listed = {t.id: t for t in farm_client.get_task_list(page_size=100).items}  # lists submitted tasks only
    assert task_id in listed and listed[task_id].scene_name == host.scene.scene_name
    qtbot.waitUntil(lambda: farm_client.query_task_info([task_id]).items[0].total_frames > 0, timeout=WAIT)
    assert main_thread_calls == [] and len(network_threads.threads) > 5  # every call ran in a worker
    assert hashed_on_main and not any(hashed_on_main)
    monitor = window.open_monitor()
    assert monitor.followed == [task_id]


def qtbot_button():
    from renderbus_dcc.ui import qt

    return qt.enum(qt.QtCore.Qt, "MouseButton", "LeftButton")


def test_cancel_during_upload_then_resume_without_a_second_task(qtbot, show, host, logged_in, farm_client) -> None:
    window = _open(show, host)
    qtbot.waitUntil(lambda: _settled(window) and window.submit_button.isEnabled(), timeout=WAIT)
    window.confirm_warnings = lambda report: True
    in_upload, go_on = threading.Event(), threading.Event()
    original = window._worker_progress

    def hold(job, progress):
        answer = original(job, progress)
        if progress.stage == "upload" and not in_upload.is_set():
            in_upload.set()
            go_on.wait(20)
            return not job.cancelled
        return answer

    window._worker_progress = hold
    before = farm_client.get_task_list(page_size=100).total
    window.submit()
    qtbot.waitUntil(in_upload.is_set, timeout=WAIT)
    qtbot.waitUntil(lambda: window.progress.label.text().startswith("Uploading"), timeout=WAIT)
    assert window.progress.isVisible() and window.progress.cancel_button.isEnabled()
    window.progress.cancel_button.click()
    go_on.set()
    qtbot.waitUntil(lambda: window.last_error is not None, timeout=WAIT)
    assert "cancelled" in window.result_label.text().lower()
    assert window.resume_button.isVisible()
    assert window.submit_button.isEnabled()
    from renderbus_dcc.journal import latest_unfinished

    interrupted = latest_unfinished()
    assert interrupted is not None and interrupted.task_id
    window.resume_button.click()
    qtbot.waitUntil(lambda: window._submit_job is None, timeout=60000)
    assert window.result is not None, window.result_label.text()
    assert window.result.task_id == interrupted.task_id  # the same task, not a second one
    assert farm_client.get_task_list(page_size=100).total == before + 1


def _cancel_in_upload(qtbot, window):
    """Submit, then press Cancel while the upload runs; returns the interrupted journal."""
    from renderbus_dcc.journal import latest_unfinished

    in_upload, go_on = threading.Event(), threading.Event()
    original = window._worker_progress

    def hold(job, progress):
        answer = original(job, progress)
        if progress.stage == "upload" and progress.files_done >= 2 and not in_upload.is_set():
            in_upload.set()
            go_on.wait(20)
            return not job.cancelled
        return answer

    window._worker_progress = hold
    window.submit()
    qtbot.waitUntil(in_upload.is_set, timeout=WAIT)
    window.progress.cancel_button.click()
    go_on.set()
    qtbot.waitUntil(lambda: window.last_error is not None, timeout=WAIT)
    window._worker_progress = original
    return latest_unfinished()


def test_cancel_then_submit_again_asks_and_resumes_the_same_task(qtbot, show, host, logged_in, farm_client) -> None:
    window = _open(show, host)
    qtbot.waitUntil(lambda: _settled(window) and window.submit_button.isEnabled(), timeout=WAIT)
    window.confirm_warnings = lambda report: True
    journal = _cancel_in_upload(qtbot, window)
    text = window.result_label.text()
    assert "task %s is created and not submitted" % journal.data["alias"] in text  # says what it left behind
    assert "of 30 files" in text and window.resume_button.isVisible()
    asked = []
    window.ask_interrupted = lambda j: asked.append(j.id) or None  # the artist cancels the dialog
    window.submit()
    assert asked == [journal.id] and window._submit_job is None  # nothing started
    window.ask_interrupted = lambda j: asked.append(j.id) or "resume"
    window.submit()
    qtbot.waitUntil(lambda: window._submit_job is None, timeout=60000)
    assert window.result is not None, window.result_label.text()
    assert window.result.task_id == journal.task_id
    assert [t.id for t in farm_client.get_task_list(page_size=100).items] == [journal.task_id]  # exactly one task


def test_cancel_then_discard_in_the_dialog_submits_once(qtbot, show, host, logged_in, farm_client) -> None:
    from renderbus_dcc.errors import NotFoundError

    window = _open(show, host)
    qtbot.waitUntil(lambda: _settled(window) and window.submit_button.isEnabled(), timeout=WAIT)
    window.confirm_warnings = lambda report: True
    journal = _cancel_in_upload(qtbot, window)
    window.ask_interrupted = lambda j: "discard"
    window.submit()
    qtbot.waitUntil(lambda: window._submit_job is None, timeout=60000)
    assert window.result is not None, window.result_label.text()
    assert [t.id for t in farm_client.get_task_list(page_size=100).items] == [window.result.task_id]
    assert window.result.task_id != journal.task_id
    try:
        farm_client.query_task_info([journal.task_id])
        raise AssertionError("the discarded task is still there")
    except NotFoundError:
        pass


def test_the_interrupted_submission_dialog_offers_three_ways(qtbot, show, host, logged_in, farm_client) -> None:
    from renderbus_dcc.ui import qt

    window = _open(show, host)
    qtbot.waitUntil(lambda: _settled(window) and window.submit_button.isEnabled(), timeout=WAIT)
    window.confirm_warnings = lambda report: True
    journal = _cancel_in_upload(qtbot, window)
    seen = {}

    def answer():
        box = next(w for w in qt.QtWidgets.QApplication.topLevelWidgets()
                   if isinstance(w, qt.QtWidgets.QMessageBox) and w.isVisible())
        seen["text"] = box.informativeText()
        seen["buttons"] = [b.text() for b in box.buttons()]
        next(b for b in box.buttons() if b.text() == "Submit anew").click()

    qt.QtCore.QTimer.singleShot(200, answer)
    assert window.ask_interrupted(journal) == "new"
    assert sorted(seen["buttons"]) == ["Cancel", "Discard and submit again", "Resume", "Submit anew"]
    assert "task %s is created and not submitted" % journal.data["alias"] in seen["text"]


def test_export_writes_the_task_files_without_a_task(qtbot, show, host, logged_in, farm_client, tmp_path) -> None:
    window = _open(show, host)
    qtbot.waitUntil(lambda: _settled(window) and window.export_button.isEnabled(), timeout=WAIT)
    before = farm_client.get_task_list(page_size=100).total
    window.export_to(str(tmp_path / "export"))
    qtbot.waitUntil(lambda: window.result is not None or window.last_error is not None, timeout=WAIT)
    assert window.last_error is None, window.result_label.text()
    assert window.result.dry_run_dir
    assert any(Path(window.result.dry_run_dir).rglob("task.json"))
    assert "Exported" in window.result_label.text()
    assert not window.monitor_button.isVisible()
    assert farm_client.get_task_list(page_size=100).total == before


def test_saving_settings_brings_the_open_submitter_to_life(qtbot, show, host, farm, login) -> None:
    window = _open(show, host)
    qtbot.waitUntil(lambda: window.account_line.state == "no_credentials" and _settled(window), timeout=WAIT)
    login(farm)
    qtbot.waitUntil(lambda: window.account_line.state == "ok" and _settled(window)
                    and window.submit_button.isEnabled(), timeout=WAIT)


def test_choosing_a_new_environment_by_name(qtbot, show, host, logged_in) -> None:
    window = _open(show, host)
    qtbot.waitUntil(lambda: _settled(window) and window.submit_button.isEnabled(), timeout=WAIT)
    auto = window.preparation.env
    assert auto.existing is None and auto.env_name in window.env_combo.itemText(0)
    window.set_env_name("lookdev_env")
    qtbot.waitUntil(lambda: _settled(window) and window.preparation.env.env_name == "lookdev_env", timeout=WAIT)
    assert window.env_combo.currentText() == "New: lookdev_env"
    assert window.options().env_name == "lookdev_env"
    assert host.load_scene_settings()["env_name"] == "lookdev_env"
    assert window.env_combo.itemText(0).startswith("Automatic: %s" % auto.env_name)


def test_test_frames_and_stop_after_test_are_options_saved_with_the_scene(qtbot, show, host, logged_in) -> None:
    window = _open(show, host)
    qtbot.waitUntil(lambda: _settled(window) and window.submit_button.isEnabled(), timeout=WAIT)
    assert not window.stop_after_test.isEnabled()  # nothing to stop after yet
    window.test_frames_edit.setText("frist")
    assert "frist" in window.test_frames_error.text()
    assert not window.submit_button.isEnabled() and "test frames" in window.submit_button.toolTip()
    window.test_frames_edit.setText("first,middle,last")
    assert window.test_frames_error.text() == "" and window.stop_after_test.isEnabled()
    window.stop_after_test.setChecked(True)
    options = window.options()
    assert (options.test_frames, options.stop_after_test) == ("first,middle,last", True)
    qtbot.waitUntil(lambda: _settled(window) and window.submit_button.isEnabled(), timeout=WAIT)
    saved = host.load_scene_settings()
    assert (saved["test_frames"], saved["stop_after_test"]) == ("first,middle,last", True)
