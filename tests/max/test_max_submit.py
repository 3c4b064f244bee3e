"""From the Renderbus menu of a (fake) 3ds Max to the local farm, through the real Qt windows."""

import json
from pathlib import Path

import pytest

from renderbus_max import startup

from max_scenes import vray_scene

WAIT = 30000  # ms: the machine is shared


@pytest.fixture
def logged_in(farm):
    """The farm's account saved as the user's settings (what Settings > Save does)."""
    from renderbus_dcc.config import Config, save_config
    from renderbus_dcc.ui.account import account

    save_config(Config(access_id=farm.access_id, access_key=farm.access_key, endpoint=farm.url,
                       platform=farm.platform, profile="v1"))
    account().reset()
    yield farm
    from renderbus_dcc.ui import close_all

    close_all()
    account().set_factory(None)


def _scene_on_disk(root: Path) -> dict:
    shot = root / "项目 A" / "shot 010"
    (shot / "tex").mkdir(parents=True)
    (shot / "proxy").mkdir()
    (shot / "灯光 v002.max").write_bytes(b"3ds max scene" * 100)
    (shot / "tex" / "木纹 wood.jpg").write_bytes(b"jpg" * 1000)
    (shot / "proxy" / "tree.vrmesh").write_bytes(b"vrmesh" * 1000)
    renders = root / "renders"
    return vray_scene(
        file=str(shot / "灯光 v002.max"), project=str(root / "项目 A"), plugins=["vray"],
        time={"type": 3, "start": 1, "end": 6, "nth": 1},
        output={"save": True, "file": str(renders / "beauty.exr")},
        elements=[{"class": "VRayAlpha", "name": "Alpha", "file": str(renders / "beauty.VRayAlpha.exr")}],
        objects=[{"class": "BitmapTexture", "name": "wood", "props": {"filename": str(shot / "tex" / "木纹 wood.jpg")}},
                 {"class": "VRayProxy", "name": "tree", "props": {"fileName": str(shot / "proxy" / "tree.vrmesh")}}],
        xrefs=[], object_xrefs=[], ats_files=[])


def _find_window(parent, class_name):
    from renderbus_dcc.ui.qt import QtWidgets

    for widget in parent.findChildren(QtWidgets.QWidget):
        if type(widget).__name__ == class_name:
            return widget
    return None


def test_submit_from_the_menu_to_the_farm(qtbot, make_max, logged_in, farm_client, tmp_path):
    fake = make_max(2024, _scene_on_disk(tmp_path))
    startup.install()
    (menu,) = [m for m in fake.menu_man.registered if m.getTitle() == "Renderbus"]
    name, category = menu.getItem(1).macro  # "Submit..."
    fake.run_macro(category, name)

    window = _find_window(fake.main_window(), "SubmitterWindow")  # parented to 3ds Max's main window
    assert window is not None and window.isVisible()
    assert fake.accelerators_off == [window]  # typing in it does not fire 3ds Max's shortcuts
    qtbot.waitUntil(lambda: window.preparation is not None and not window.runner.busy
                    and window.submit_button.isEnabled(), timeout=WAIT)
    window.confirm_warnings = lambda report: True
    window.submit_button.click()
    qtbot.waitUntil(lambda: window.result is not None or window.last_error is not None, timeout=60000)
    assert window.last_error is None, window.result_label.text()

    task_id = window.result.task_id

    def info():
        return farm_client.query_task_info([task_id]).items[0]

    qtbot.waitUntil(lambda: info().total_frames > 0, timeout=WAIT)  # the farm made frames: submitted
    assert [c.task_type for c in info().children][:1] == ["RenderPhoton"]  # V-Ray in 3ds Max: photon pass first
    bid = farm_client.get_transfer_bid().config_bid
    task = json.loads(logged_in.uploaded_path(bid, "/%d/cfg/task.json" % task_id).read_text(encoding="utf-8"))
    assert task["task_info"]["cg_id"] == "2001"
    assert task["task_info"]["input_cg_file"].endswith("项目 A/shot 010/灯光 v002.max")
    assert task["software_config"]["cg_version"] == "2024"
    common = task["scene_info_render"]["common"]
    assert (common["frames"], common["renderable_camera"], common["width"]) == ("1-6[1]", ["CAM_main"], "2048")
    renderer = task["scene_info_render"]["renderer"]  # the V-Ray settings the analysis read reach the farm
    assert (renderer["name"], renderer["renderer_orign"], renderer["secondary_gi_engine"]) == (
        "vray", "V_Ray_6__Update_2", "3")  # with the keys rayvision_max writes
    upload = json.loads(logged_in.uploaded_path(bid, "/%d/cfg/upload.json" % task_id).read_text(encoding="utf-8"))
    assert sorted(Path(a["local"]).name for a in upload["asset"]) == ["tree.vrmesh", "木纹 wood.jpg", "灯光 v002.max"]
    assert Path(upload["scene"]["local"]).name == "灯光 v002.max"  # 3ds Max: one scene object
    assert "renderbus_settings" in fake.file_properties.custom()  # the submitter's choices stay with the scene

    # Monitor... from the same menu follows the farm's jobs, over 3ds Max too
    name, category = menu.getItem(2).macro
    fake.run_macro(category, name)
    monitor = _find_window(fake.main_window(), "MonitorWindow")
    assert monitor is not None and monitor.isVisible()
    assert monitor in fake.accelerators_off
    qtbot.waitUntil(lambda: monitor.runner is None or not monitor.runner.busy, timeout=WAIT)
