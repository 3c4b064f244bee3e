"""MayaHost: scene settings kept in the scene (fileInfo), scene-change callbacks, the main window."""

from renderbus_dcc.submission import SubmitOptions


def host():
    from renderbus_maya.hooks import MayaHost

    return MayaHost()


def test_settings_are_stored_in_the_scene_and_read_back(fake_maya) -> None:
    maya_host = host()
    assert maya_host.load_scene_settings() == {}
    options = SubmitOptions(frames="1-10x2", layers=["beauty", "背景"], cameras=["shotCam"],
                            label='show "A" \\ 第一集', env_name="Maya 2024 arnold")
    maya_host.save_scene_settings(options.to_settings())
    assert not fake_maya.modified  # stored in the scene, saved with the artist's next save, no "save changes?"
    stored = fake_maya.file_info["renderbus_settings"]
    assert stored.isascii() and "beauty" in stored
    # a new session (the scene reopened) starts from them
    restored = SubmitOptions.from_settings(host().load_scene_settings())
    assert (restored.frames, restored.layers, restored.cameras, restored.label, restored.env_name) == (
        "1-10x2", ["beauty", "背景"], ["shotCam"], 'show "A" \\ 第一集', "Maya 2024 arnold")


def test_unchanged_settings_are_not_written_again_and_leave_a_modified_scene_modified(fake_maya) -> None:
    maya_host = host()
    settings = SubmitOptions(frames="1-10", label="ep01").to_settings()
    maya_host.save_scene_settings(settings)
    fake_maya.modified = False  # the artist saved
    for _ in range(3):  # the submitter saves after each edit it settles on
        maya_host.save_scene_settings(dict(settings))
    assert fake_maya.modified is False  # nothing written: Maya has nothing to ask about
    fake_maya.modified = True
    maya_host.save_scene_settings(SubmitOptions(frames="1-20", label="ep01").to_settings())
    assert fake_maya.modified is True and "1-20" in fake_maya.file_info["renderbus_settings"]


def test_unreadable_settings_are_ignored(fake_maya) -> None:
    fake_maya.file_info["renderbus_settings"] = "{not json"
    assert host().load_scene_settings() == {}


def test_scene_change_callbacks_follow_maya_events_and_are_removed(fake_maya) -> None:
    seen = []
    remove = host().add_scene_change_callback(lambda: seen.append(1))
    assert fake_maya.fire("SceneOpened") == 1 and fake_maya.fire("NewSceneOpened") == 1
    assert fake_maya.fire("SceneSaved") == 1
    assert len(seen) == 3
    remove()
    assert fake_maya.script_jobs == {}
    assert fake_maya.fire("SceneOpened") == 0
    remove()  # twice is harmless


def test_scene_jobs_belong_to_the_window_and_die_with_it(fake_maya, qapp) -> None:
    """scriptJob -parent: Maya kills the jobs when the window goes, even if it never said goodbye."""
    from renderbus_dcc.ui.qt import WINDOW, QtCore, QtWidgets, cpp_pointer, enum

    main = QtWidgets.QMainWindow()
    fake_maya.main_window_ptr = cpp_pointer(main)

    class Window(QtWidgets.QWidget):
        def __init__(self) -> None:
            super().__init__(main, WINDOW)  # a window of its own over Maya's, as the Renderbus windows are
            self.setObjectName("renderbusSubmitter")
            self.seen = 0

        def scene_changed(self) -> None:
            self.seen += 1

    window = Window()
    host().add_scene_change_callback(window.scene_changed)
    assert {job[2] for job in fake_maya.script_jobs.values()} == {"MayaWindow|renderbusSubmitter"}
    assert fake_maya.fire("SceneOpened") == 1 and window.seen == 1
    window.deleteLater()
    qapp.sendPostedEvents(None, enum(QtCore.QEvent, "Type", "DeferredDelete"))  # the window is gone
    assert fake_maya.script_jobs == {}
    main.deleteLater()


def test_layer_events_of_the_analysis_itself_do_not_call_back(fake_maya, tmp_path) -> None:
    """Reading Render Setup layers switches them; the windows must not re-read the scene for that."""
    from maya_scenes import render_setup_layers

    render_setup_layers(fake_maya, tmp_path)
    seen = []
    maya_host = host()
    maya_host.add_scene_change_callback(lambda: seen.append(1))
    maya_host.describe_scene()
    assert fake_maya.layer_switches == 4 and seen == []
    fake_maya.add_rs_layer("new_layer")  # the artist adds a layer: that is news
    fake_maya.fire("renderLayerManagerChange")
    assert seen == [1]


def test_main_window_is_none_without_maya_ui(fake_maya) -> None:
    assert host().main_window() is None


def test_main_window_wraps_mayas_pointer(fake_maya, qapp) -> None:
    from renderbus_dcc.ui.qt import QtWidgets
    import shiboken6

    window = QtWidgets.QMainWindow()
    fake_maya.main_window_ptr = shiboken6.getCppPointer(window)[0]
    wrapped = host().main_window()
    assert isinstance(wrapped, QtWidgets.QWidget)
    assert shiboken6.getCppPointer(wrapped)[0] == fake_maya.main_window_ptr
    window.deleteLater()


def test_describe_scene_is_the_analysis(fake_maya) -> None:
    fake_maya.scene_name = "/p/shot.ma"
    assert host().describe_scene().scene_file == "/p/shot.ma"


def test_a_downloaded_frame_opens_in_the_render_view(fake_maya, tmp_path) -> None:
    import pytest

    from renderbus_dcc.errors import HostError
    from renderbus_dcc.farm.images import frame_image

    frame = tmp_path / "rs_beauty" / "shot.0001.exr"
    frame.parent.mkdir()
    frame.write_bytes(frame_image(16, 9, 1, "exr"))
    maya_host = host()
    assert maya_host.viewer_name == "Render View"
    maya_host.open_image(str(frame))
    assert fake_maya.render_view_open and fake_maya.render_view_images == [str(frame)]
    with pytest.raises(HostError, match="not there"):
        maya_host.open_image(str(tmp_path / "gone.exr"))
    assert fake_maya.render_view_images == [str(frame)]
