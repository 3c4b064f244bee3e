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
    assert fake_maya.modified  # saved with the scene at the next save
    stored = fake_maya.file_info["renderbus_settings"]
    assert stored.isascii() and "beauty" in stored
    # a new session (the scene reopened) starts from them
    restored = SubmitOptions.from_settings(host().load_scene_settings())
    assert (restored.frames, restored.layers, restored.cameras, restored.label, restored.env_name) == (
        "1-10x2", ["beauty", "背景"], ["shotCam"], 'show "A" \\ 第一集', "Maya 2024 arnold")


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
