"""MaxHost: settings saved with the scene, scene-change callbacks, the main window, errors shown."""

import fakemax
from renderbus_max.hooks import MaxHost

from max_scenes import corona_scene, vray_scene


def test_settings_persist_with_the_scene(make_max):
    fake = make_max(2024, vray_scene())
    host = MaxHost()
    assert host.load_scene_settings() == {}

    settings = {"frames": "1-10", "label": "镜头 010", "env_name": "3ds Max 2024 V-Ray 6", "cameras": ["CAM_main"]}
    host.save_scene_settings(settings)
    assert fake.save_required  # stored in the scene: 3ds Max asks to save

    saved = fake.save()  # File > Save, then open the file in a new session
    make_max(2024, saved)
    assert MaxHost().load_scene_settings() == settings

    second = dict(settings, frames="5")
    MaxHost().save_scene_settings(second)  # replaced, not added twice
    props = fakemax.current().file_properties
    assert props.getNumProperties(fakemax.Name("custom")) == 1
    assert MaxHost().load_scene_settings() == second


def test_unchanged_settings_do_not_dirty_the_scene(make_max):
    fake = make_max(2024, vray_scene(file_properties={"renderbus_settings": '{"frames": "1-10"}'}))
    MaxHost().save_scene_settings({"frames": "1-10"})
    assert not fake.save_required


def test_unreadable_settings_are_ignored(make_max):
    make_max(2024, vray_scene(file_properties={"renderbus_settings": "not json {"}))
    assert MaxHost().load_scene_settings() == {}


def test_scene_change_callbacks(make_max):
    fake = make_max(2025, vray_scene())
    host = MaxHost()
    seen = []
    remove_a = host.add_scene_change_callback(lambda: seen.append("a"))
    remove_b = host.add_scene_change_callback(lambda: seen.append("b"))
    assert {str(e) for e, _, _ in fake.callbacks.scripts} == {"filePostOpen", "filePostSave", "systemPostNew",
                                                               "systemPostReset"}

    fake.callbacks.fire("filePostOpen")
    fake.callbacks.fire("systemPostReset")
    assert seen == ["a", "b", "a", "b"]
    remove_a()
    fake.callbacks.fire("filePostSave")
    assert seen[-1:] == ["b"] and len(seen) == 5
    remove_b()
    assert fake.callbacks.scripts == []  # the last listener gone: nothing left in 3ds Max


def test_a_failing_listener_does_not_break_the_others(make_max):
    fake = make_max(2024, corona_scene())
    host = MaxHost()
    seen = []
    host.add_scene_change_callback(lambda: 1 / 0)
    host.add_scene_change_callback(lambda: seen.append("ok"))
    fake.callbacks.fire("systemPostNew")
    assert seen == ["ok"]


def test_main_window_and_scene(make_max, qapp):
    fake = make_max(2025, corona_scene())
    host = MaxHost()
    assert host.main_window() is fake.main_window()
    assert host.describe_scene().renderer == "corona"
    assert host.name == "3ds Max"


def test_command_errors_are_shown_not_raised(make_max, qapp, monkeypatch):
    from renderbus_dcc.errors import HostError
    from renderbus_max import commands

    fake = make_max(2024, corona_scene())

    def broken(host, **_):
        raise HostError("The scene is busy.", "try again")

    monkeypatch.setattr("renderbus_dcc.ui.open_settings", broken)
    assert commands.settings() is None
    assert fake.message_boxes == [("Renderbus", "Renderbus could not open the settings:\nThe scene is busy.; try again")]


def test_a_downloaded_frame_opens_in_the_frame_buffer(make_max, tmp_path):
    from renderbus_dcc.errors import HostError

    from renderbus_dcc.farm.images import frame_image

    fake = make_max(2024, vray_scene())
    frame = tmp_path / "beauty" / "room.0001.exr"
    frame.parent.mkdir()
    frame.write_bytes(frame_image(16, 9, 1, "exr"))
    host = MaxHost()
    assert host.viewer_name == "the Frame Buffer"
    host.open_image(str(frame))
    assert fake.displayed == [str(frame)]
    try:
        host.open_image(str(tmp_path / "gone.exr"))  # openBitMap answers undefined
    except HostError as exc:
        assert "cannot open" in str(exc)
    else:
        raise AssertionError("a missing frame must be refused")
    assert fake.displayed == [str(frame)]
