"""A submission from a (fake) Maya scene to the local farm, through the real Qt windows."""

import json
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from maya_scenes import arnold_two_layers, make_files  # noqa: E402

WAIT = 60000


@pytest.fixture
def logged_in(farm):
    """The farm's account saved as the user's settings (what Settings > Save does)."""
    from renderbus_dcc.config import Config, save_config
    from renderbus_dcc.ui.account import account

    save_config(Config(access_id=farm.access_id, access_key=farm.access_key, endpoint=farm.url,
                       platform=farm.platform, profile="v1"))
    account().reset()
    yield farm
    account().reset()


@pytest.fixture
def windows(qapp):
    from renderbus_dcc.ui import close_all

    yield
    close_all()
    qapp.processEvents()


def test_submit_from_the_shelf_to_the_local_farm(fake_maya, tmp_path, qtbot, logged_in, farm_client, windows) -> None:
    root = tmp_path / "项目 shot"
    make_files(root, "scenes/shot010.ma", "sourceimages/wood.jpg", "cache/crowd.abc", "proxies/tree.ass")
    arnold_two_layers(fake_maya, root)
    from renderbus_maya import commands, startup

    startup.run()
    submit_button = [b for b in fake_maya.children("Renderbus") if fake_maya.controls[b].flags["label"] == "Submit"][0]
    exec(fake_maya.controls[submit_button].flags["command"], {})  # the artist clicks Submit on the shelf
    from renderbus_dcc.ui import _WINDOWS

    window = _WINDOWS["submitter"]
    assert window.host is commands.host()
    qtbot.waitUntil(lambda: window.preparation is not None and not window.runner.busy, timeout=WAIT)
    layers = [window.layers_list.item(i).text() for i in range(window.layers_list.count())]
    assert layers == ["masterLayer", "beauty", "closeUp", "old_test"]
    assert window._checked(window.layers_list, []) == ["beauty", "closeUp"]
    report = window.preparation.report
    assert window.submit_button.isEnabled(), [(i.code, i.message) for i in report.errors]
    window.label_combo.setEditText("ep01")
    window.confirm_warnings = lambda report: True
    window.submit()
    qtbot.waitUntil(lambda: window.result is not None or window.last_error is not None, timeout=WAIT)
    assert window.last_error is None, window.result_label.text()
    task_id = window.result.task_id
    assert "Submitted task %d" % task_id in window.result_label.text()

    # the farm got one scene_info_render entry per renderable layer, with the layer's overrides
    task = json.loads(logged_in.uploaded_path("30201", "/%d/cfg/task.json" % task_id).read_text(encoding="utf-8"))
    render = task["scene_info_render"]
    assert sorted(render) == ["beauty", "closeUp"]
    assert render["beauty"]["common"]["frames"] == "101-147[2]"
    assert render["closeUp"]["common"]["renderer"] == "mayaSoftware"
    # the artist left the cameras as they were: each layer renders its own camera, not the union
    # (named by their shapes, as the SDK's Maya analyser names them)
    assert render["beauty"]["common"]["render_camera"] == ["shotCamShape"]
    assert render["closeUp"]["common"]["render_camera"] == ["closeUpCamShape"]
    assert task["software_config"]["cg_version"] == "2024"
    upload = json.loads(logged_in.uploaded_path("30201", "/%d/cfg/upload.json" % task_id).read_text(encoding="utf-8"))
    # the scene is in "asset" too: the SDK's transfer reads that list only
    assert sorted(os.path.basename(a["local"]) for a in upload["asset"]) == ["crowd.abc", "shot010.ma", "tree.ass",
                                                                            "wood.jpg"]
    # the farm makes the frames of both layers: 101-147 by 2 (24) and 1-24 (24)
    qtbot.waitUntil(lambda: farm_client.query_task_info([task_id]).items[0].total_frames > 0, timeout=WAIT)
    assert farm_client.query_task_info([task_id]).items[0].total_frames == 48

    # the artist's choices were stored in the scene: the next submission starts from them
    assert "ep01" in fake_maya.file_info["renderbus_settings"]
    window.close()
    qtbot.waitUntil(lambda: "submitter" not in _WINDOWS, timeout=WAIT)
    exec(fake_maya.controls[submit_button].flags["command"], {})
    assert _WINDOWS["submitter"] is not window
    assert _WINDOWS["submitter"].label_combo.currentText() == "ep01"

    # Monitor on the shelf opens the monitor
    monitor_button = [b for b in fake_maya.children("Renderbus") if fake_maya.controls[b].flags["label"] == "Monitor"][0]
    exec(fake_maya.controls[monitor_button].flags["command"], {})
    assert _WINDOWS["monitor"].isVisible()
