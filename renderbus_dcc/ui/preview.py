"""Screenshots of the windows in the states worth seeing, against an in-process local farm.

    python -m renderbus_dcc.ui.preview --out docs/images
    python -m renderbus_dcc.ui.preview --out docs/images/zh_CN --lang zh_CN

Runs with its own temporary configuration (the user's settings are not touched), opens each
window on the example scene and saves one PNG per state: settings, submitter without an
account, submitter with validation errors, submitter uploading, submitter done, monitor
following a running task with its progress image, monitor on a task waiting after its test
frames (forecast, Start, the frames at home). ``--lang zh_CN`` draws them in Chinese (Qt's
offscreen platform needs a CJK font for that, such as Debian's fonts-wqy-microhei).
"""

import argparse
import copy
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable, List, Optional

__all__ = ["main", "wait_until", "example_scene_or_fallback", "broken_scene"]


def wait_until(predicate: Callable[[], Any], timeout: float = 30.0, what: str = "") -> None:
    """Run the Qt event loop until ``predicate()`` is true (TimeoutError after ``timeout`` s)."""
    from renderbus_dcc.ui.qt import QtCore, QtWidgets, enum

    app = QtWidgets.QApplication.instance()
    end = time.monotonic() + timeout
    all_events = enum(QtCore.QEventLoop, "ProcessEventsFlag", "AllEvents")
    while not predicate():
        if time.monotonic() > end:
            raise TimeoutError("timed out waiting for %s" % (what or predicate))
        app.processEvents(all_events, 20)
        time.sleep(0.005)


def example_scene_or_fallback() -> Any:
    """The packaged example scene, or a small one built here if examples are missing."""
    try:
        from renderbus_dcc.examples import example_scene

        return example_scene("maya_arnold")
    except Exception:
        from renderbus_dcc.scene import PluginUse, RenderLayer, SceneDescription

        folder = Path(tempfile.mkdtemp(prefix="rb_scene_"))
        (folder / "scenes").mkdir()
        scene_file = folder / "scenes" / "shot010.ma"
        scene_file.write_text("//Maya ASCII 2024 scene\n", encoding="utf-8")
        return SceneDescription(cg_id=2000, cg_name="Maya", cg_version="2024", scene_file=str(scene_file),
                                project_dir=str(folder), renderer="arnold", renderer_version="5.3.4.1",
                                plugins=[PluginUse("mtoa", "5.3.4.1")], frames="1-10",
                                layers=[RenderLayer("masterLayer", True, ["shotCam"])],
                                cameras=["persp", "shotCam"])


def broken_scene(scene: Any) -> Any:
    """``scene`` with problems the checks report: the scene file is gone (an error), a texture
    is missing and there are unsaved changes (warnings)."""
    from renderbus_dcc.scene import Asset

    out = copy.deepcopy(scene)
    out.modified = True
    if out.scene_file:
        stem, dot, ext = out.scene_file.rpartition(".")
        out.scene_file = "%s_v002%s%s" % (stem, dot, ext) if dot else out.scene_file + "_v002"
    out.assets = list(out.assets) + [Asset("sourceimages/brick_wall_missing.png", "brick.fileTextureName", "texture")]
    return out


def _prefix(message: str) -> str:
    """The words of a translated message before its first placeholder (what a label starts with)."""
    return message.split("%", 1)[0]


def _save(widget: Any, out: Path, name: str, shots: List[str]) -> None:
    from renderbus_dcc.ui.qt import QtWidgets

    QtWidgets.QApplication.instance().processEvents()
    path = out / name
    widget.grab().save(str(path))
    shots.append(str(path))
    print("saved", path)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m renderbus_dcc.ui.preview", description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="folder for the PNGs")
    parser.add_argument("--lang", default="en", help="the windows' language: en (default) or zh_CN")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="rb_preview_"))
    for name in list(os.environ):
        if name.startswith("RENDERBUS_"):
            del os.environ[name]
    os.environ.update(RENDERBUS_CONFIG_DIR=str(home / "config"), RENDERBUS_DATA_DIR=str(home / "data"),
                      RENDERBUS_KEYRING="0", RENDERBUS_LANGUAGE=args.lang)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from renderbus_dcc.i18n import _, set_language

    set_language(args.lang)

    from renderbus_dcc.cli.monitor import require_qt
    from renderbus_dcc.errors import RenderbusError

    try:
        require_qt()
    except RenderbusError as exc:
        print("preview: %s" % exc, file=sys.stderr)
        return 2
    from renderbus_dcc.config import Config, save_config
    from renderbus_dcc.farm import LocalFarm
    from renderbus_dcc.scene import Asset
    from renderbus_dcc.ui import HostHooks, close_all
    from renderbus_dcc.ui.account import account
    from renderbus_dcc.ui.monitor import MonitorWindow
    from renderbus_dcc.ui.qt import QtWidgets
    from renderbus_dcc.ui.settings import SettingsWindow
    from renderbus_dcc.ui.submitter import SubmitterWindow

    app = QtWidgets.QApplication.instance()
    if app is None:
        from renderbus_dcc.ui import install_qt_translations

        app = QtWidgets.QApplication(sys.argv[:1])
        install_qt_translations(app)
    shots: List[str] = []
    scene = example_scene_or_fallback()
    if scene.project_dir and Path(scene.project_dir).is_dir():  # a copy, to add textures to
        import shutil

        from renderbus_dcc.scene import SceneDescription

        copy_dir = home / Path(scene.project_dir).name
        shutil.copytree(scene.project_dir, str(copy_dir))
        relative = Path(scene.scene_file).relative_to(scene.project_dir) if scene.scene_file else None
        scene = SceneDescription.from_dict(dict(scene.to_dict(), project_dir=str(copy_dir),
                                                scene_file=str(copy_dir / relative) if relative else ""))
    textures = Path(scene.project_dir or home) / "sourceimages" / "plates"  # a few MB: real upload figures
    textures.mkdir(parents=True, exist_ok=True)
    for i in range(3):
        path = textures / ("plate_%d.exr" % (i + 1))
        path.write_bytes(os.urandom(6 * 1024 * 1024))
        scene.assets.append(Asset(str(path), "plate%d.fileTextureName" % (i + 1), "texture"))
    with LocalFarm(data_dir=home / "farm", speed=4.0, seed=3) as farm:
        # 1. no account yet
        host = HostHooks(scene)
        w = SubmitterWindow(host)
        w.show()
        wait_until(lambda: w.account_line.state == "no_credentials" and w.preparation is not None, what="no account")
        _save(w, out, "submitter_no_account.png", shots)
        w.close()

        # 2. settings, connected
        save_config(Config(access_id=farm.access_id, access_key=farm.access_key, endpoint=farm.url,
                           platform=farm.platform, profile="v1"))
        account().reset()
        s = SettingsWindow(host)
        s.show()
        wait_until(lambda: s.access_id.text() != "", what="settings loaded")
        s.test_connection()
        answers = (_prefix(_("Connected as %(user)s, balance %(balance)s.")), _prefix(_("Could not connect: %s")))
        wait_until(lambda: s.result.text().startswith(answers), what="test connection")
        _save(s, out, "settings.png", shots)
        s.close()

        # 3. validation errors
        host = HostHooks(broken_scene(scene))
        w = SubmitterWindow(host)
        w.show()
        wait_until(lambda: w.account_line.state == "ok" and w.preparation is not None
                   and not w.runner.busy, what="validation errors")
        w.frames_edit.setText("1-24x")
        _save(w, out, "submitter_errors.png", shots)
        w.close()

        # 4. ready, uploading, done
        host = HostHooks(scene)
        w = SubmitterWindow(host)
        w.show()
        wait_until(lambda: w.submit_button.isEnabled(), timeout=60, what="ready to submit")
        _save(w, out, "submitter_ready.png", shots)
        gate, shown = threading.Event(), threading.Event()
        original = w._worker_progress

        def hold(job: Any, p: Any) -> Any:
            answer = original(job, p)
            if p.stage == "upload" and p.bytes_total and p.bytes_done >= 0.4 * p.bytes_total \
                    and not shown.is_set():
                shown.set()
                gate.wait(30)
            return answer

        w._worker_progress = hold  # type: ignore[assignment]
        w.confirm_warnings = lambda report: True  # type: ignore[method-assign]
        w.submit()
        wait_until(shown.is_set, timeout=60, what="upload under way")
        uploading = _prefix(_("Uploading file %(file)d of %(files)d — %(sent)s of %(size)s"))
        wait_until(lambda: w.progress.label.text().startswith(uploading), what="progress shown")
        _save(w, out, "submitter_uploading.png", shots)
        gate.set()
        wait_until(lambda: w.result is not None or w.last_error is not None, timeout=60, what="submitted")
        _save(w, out, "submitter_done.png", shots)
        task_id = w.result.task_id if w.result is not None else None
        w.close()

        # 5. monitor following the running task
        m = MonitorWindow(HostHooks(scene), [task_id] if task_id else [], interval=0.5, max_interval=1.0)
        m.show()
        wait_until(lambda: m.image_shown and m.frames_model.key(0) is not None, timeout=90, what="progress image")
        time.sleep(0.2)
        _save(m, out, "monitor.png", shots)
        m.close()

        # 6. test frames first: the task waits after them, with the forecast, Start and the frames home
        shot_test_frames(scene, farm, home, out, shots)
        close_all()
        wait_until(lambda: True)
    print("%d images in %s" % (len(shots), out))
    return 0


def shot_test_frames(scene: Any, farm: Any, home: Path, out: Path, shots: List[str]) -> None:
    """The monitor on a task stopped after its test frames: forecast, Start / Abort, frames at home."""
    from renderbus_dcc.downloads import records
    from renderbus_dcc.submission import SubmitOptions, submit
    from renderbus_dcc.ui.host import HostHooks
    from renderbus_dcc.ui.monitor import MonitorWindow

    client = farm.client()
    result = submit(scene, client, SubmitOptions(test_frames="first,middle,last", stop_after_test=True),
                    confirm=lambda report: True, journal_dir=home / "journal-tests")
    records().update(result.task_id, destination=str(home / "frames"))
    wait_until(lambda: client.query_task_info([result.task_id]).items[0].is_terminal, timeout=120,
               what="test frames rendered")
    m = MonitorWindow(HostHooks(scene), [result.task_id], interval=0.5, max_interval=1.0)
    m.show()
    panel = m.frames_panel
    wait_until(lambda: panel.start_button.isVisible() and panel.frame_list.count() == 6, timeout=60,
               what="forecast and test frames at home")
    time.sleep(0.2)
    _save(m, out, "monitor_test_frames.png", shots)
    m.close()
    client.close()


if __name__ == "__main__":
    sys.exit(main())
