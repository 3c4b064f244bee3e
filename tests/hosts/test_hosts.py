"""Every supported Maya and 3ds Max version, installed as a user installs it and started as it starts.

One test per host version (renderbus_dcc.install.support.SUPPORTED): ``renderbus install`` from
the built wheel into a scratch user folder, then the host's start-up replayed in that version's
own Python with only what the host has on its path (its Qt binding, its own modules: the fakes)
plus what the installer gave it; the shelf/menu, the submitter opened from them, a submission to
the local farm, the monitor showing it. ``RENDERBUS_HOSTS=maya-2022,max-2022`` picks versions
(the test jobs do: tools/testmatrix.py); without it, every version runs.
"""

import json
import os
from pathlib import Path

import pytest

import harness
from renderbus_dcc.install.support import SUPPORTED, HostVersion

WANTED = [k for k in os.environ.get("RENDERBUS_HOSTS", "").split(",") if k]
VERSIONS = [v for v in SUPPORTED if not WANTED or v.key in WANTED]
HEAVY = ("requests", "urllib3", "Qt", "PySide2", "PySide6", "shiboken2", "shiboken6")
#: what start-up may load of the core: the catalog, for the menu's labels (standard library only)
LIGHT_CORE = {"renderbus_dcc", "renderbus_dcc.i18n", "renderbus_dcc.folders"}


@pytest.fixture
def logged_in(farm):
    """The farm's account saved as the user's settings (Settings > Save), for the host to read."""
    from renderbus_dcc.config import Config, save_config

    save_config(Config(access_id=farm.access_id, access_key=farm.access_key, endpoint=farm.url,
                       platform=farm.platform, profile="v1"))
    return farm


def _check_common(report: dict, version: HostVersion, module_site: Path, farm, task_name: str) -> None:
    assert report["python"] == version.python
    heavy = [m for m in report["loaded_at_startup"]
             if m.split(".")[0] in HEAVY or (m.startswith("renderbus_dcc") and m not in LIGHT_CORE)]
    assert heavy == [], "start-up must import neither requests nor Qt"
    assert report["last_error"] is None and report["errors"] == []
    assert report["task_id"] and any(row.split()[0] == str(report["task_id"]) for row in report["monitor_rows"])
    # the host's binding only, Qt.py and requests from the installed folder, one QApplication, parented windows
    assert report["qt_binding"] == version.binding
    assert report["bindings_loaded"] == sorted([version.binding, version.binding.replace("PySide", "shiboken")])
    assert report["other_binding_tried"] is False
    assert report["one_qapplication"] and report["parents"] == [True, True]
    for name, path in report["files"].items():
        assert Path(path).resolve().is_relative_to(module_site.resolve()), (name, path)
    assert report["versions"]["Qt.py"] >= "2"
    if version.python == "3.7":
        assert report["versions"]["urllib3"].startswith("1.26.")
    info = farm.client().query_task_info([report["task_id"]]).items[0]
    assert info.scene_name == task_name


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.key)
def test_host(version: HostVersion, tmp_path, wheel_site, logged_in, request) -> None:
    """Installed as a user installs it, started as the host starts, used as an artist uses it."""
    if version.host == "maya":
        maya(version, tmp_path, wheel_site, request.getfixturevalue("maya_flags"), logged_in)
    else:
        max_(version, tmp_path, wheel_site, logged_in)


def maya(version: HostVersion, tmp_path: Path, wheel_site: Path, maya_flags: Path, logged_in) -> None:
    made = harness.set_up(version, tmp_path, wheel_site, maya_flags)
    modules = made["modules"]
    assert "wrote %s" % (modules / "renderbus.mod") in made["installed"]["output"]
    report = harness.replay(version.python, "maya", made["spec"], tmp_path)
    assert report["errors"] == [] and report["last_error"] is None, report
    print("FIGURES " + json.dumps({"host": version.key, "install_s": made["installed"]["seconds"],
                                   "startup_ms": report["startup_ms"]}))

    assert report["user_setups"] == [str(modules / "renderbus" / "scripts" / "userSetup.py")]
    assert [label for label, _ in report["shelf"]] == ["Submit", "Monitor"] and report["missing_icons"] == []
    assert report["menu"] == ["Submit\u2026", "Monitor\u2026", "Settings\u2026", "---", "About"]
    assert "Renderbus" in report["option_vars"].values()  # one of Maya's shelves
    assert report["layers"] == ["masterLayer", "characters", "background", "fx_test"]
    assert report["visible_layer"] == "characters" and report["modified"] is False
    _check_common(report, version, made["site"], logged_in, "shot020.ma")
    task = json.loads(logged_in.uploaded_path("30201", "/%d/cfg/task.json" % report["task_id"]).read_text("utf-8"))
    render = task["scene_info_render"]
    assert sorted(render) == ["rs_background", "rs_characters"]  # the layers' nodes, as Maya's analyser names them
    assert task["software_config"]["cg_version"] == str(version.year)
    assert render["rs_characters"]["common"]["frames"] == "1-47[2]"
    assert render["rs_background"]["common"]["renderer"] == "vray"


def max_(version: HostVersion, tmp_path: Path, wheel_site: Path, logged_in) -> None:
    made = harness.set_up(version, tmp_path, wheel_site)
    assert "3ds Max %d: installed" % version.year in made["installed"]["output"]
    report = harness.replay(version.python, "max", made["spec"], tmp_path)
    assert report["errors"] == [] and report["last_error"] is None, report
    print("FIGURES " + json.dumps({"host": version.key, "install_s": made["installed"]["seconds"],
                                   "startup_ms": report["startup_ms"]}))

    assert report["menu"] == ["Submit...", "Monitor...", "Settings..."]
    bar = report["menu_bar"]
    assert bar.count("Renderbus") == 1 and bar.index("Renderbus") == bar.index("&Help") - 1
    assert report["accelerators_off"] == ["SubmitterWindow", "MonitorWindow"]
    _check_common(report, version, made["site"], logged_in, "灯光 v002.max")
