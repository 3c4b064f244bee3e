"""Maya start-up: the Renderbus shelf and menu, once; nothing in batch mode; nothing heavy imported."""

import json
import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from maya_scenes import FAKE_DIR

ROOT = Path(__file__).resolve().parents[2]
USER_SETUP = ROOT / "maya" / "scripts" / "userSetup.py"


def shelf_buttons(maya):
    return [(maya.controls[b].flags["label"], maya.controls[b].flags["command"]) for b in maya.children("Renderbus")]


def menu_labels(maya):
    return [maya.controls[i].flags.get("label", "---") for i in maya.children("RenderbusMenu")]


def test_user_setup_defers_the_startup_which_adds_shelf_and_menu(fake_maya) -> None:
    runpy.run_path(str(USER_SETUP))
    assert fake_maya.controls.get("Renderbus") is None  # nothing until Maya is idle
    assert len(fake_maya.deferred) == 1
    import maya.utils

    maya.utils.processIdleEvents()
    assert fake_maya.controls["Renderbus"].parent == "ShelfLayout"
    assert shelf_buttons(fake_maya) == [
        ("Submit", "import renderbus_maya.commands as rb; rb.submit()"),
        ("Monitor", "import renderbus_maya.commands as rb; rb.monitor()"),
    ]
    for button in fake_maya.children("Renderbus"):
        flags = fake_maya.controls[button].flags
        assert flags["sourceType"] == "python" and flags["annotation"]
        assert Path(flags["image"]).name == "renderbus.png" and Path(flags["image"]).is_file()
    assert fake_maya.missing_icons == []
    assert fake_maya.controls["RenderbusMenu"].parent == "MayaWindow"
    assert fake_maya.controls["RenderbusMenu"].flags["label"] == "Renderbus"
    assert menu_labels(fake_maya) == ["Submit\u2026", "Monitor\u2026", "Settings\u2026", "---", "About"]


def test_running_again_does_not_duplicate_anything(fake_maya) -> None:
    from renderbus_maya import startup

    assert startup.run() and startup.run() and startup.run()
    assert fake_maya.of_kind("shelfLayout") == ["General", "Rendering", "Renderbus"]
    assert len(fake_maya.children("Renderbus")) == 2
    assert fake_maya.of_kind("menu") == ["RenderbusMenu"]
    assert len(fake_maya.children("RenderbusMenu")) == 5


def test_a_shelf_saved_by_maya_gets_its_buttons_replaced(fake_maya) -> None:
    """Maya saves the shelf on exit (shelf_Renderbus.mel) and loads it back before userSetup runs."""
    import maya._scene as scene

    fake_maya.controls["Renderbus"] = scene.Control("shelfLayout", "ShelfLayout")
    fake_maya.controls["oldButton"] = scene.Control("shelfButton", "Renderbus", {"label": "Submit", "command": "old"})
    from renderbus_maya import startup

    startup.run()
    assert [label for label, _ in shelf_buttons(fake_maya)] == ["Submit", "Monitor"]
    assert "oldButton" not in fake_maya.controls
    startup.remove()
    assert "Renderbus" not in fake_maya.controls and "RenderbusMenu" not in fake_maya.controls


def test_the_shelf_is_one_of_mayas_shelves_and_the_artists_tab_stays_selected(fake_maya) -> None:
    """Made as Maya's shelf editor makes shelves (addNewShelfTab): Maya saves it and loads it back."""
    from renderbus_maya import startup

    startup.run()
    options = fake_maya.option_vars
    assert options["numShelves"] == 3
    assert (options["shelfName3"], options["shelfFile3"], options["shelfLoad3"]) == ("Renderbus", "shelf_Renderbus", 1)
    assert options["selectedShelf"] == "Rendering"  # the tab the artist had open
    assert fake_maya.controls["ShelfLayout"].flags["selectTab"] == "Rendering"
    startup.run()
    assert options["numShelves"] == 3  # not registered twice
    startup.remove()
    assert options["numShelves"] == 2 and "shelfName3" not in options
    assert [options["shelfName%d" % i] for i in (1, 2)] == ["General", "Rendering"]


def test_the_icon_shows_in_a_session_where_xbmlangpath_lacks_the_module(fake_maya, monkeypatch) -> None:
    """Maya reads XBMLANGPATH at start-up: the drag-and-drop install's session never sees icons/."""
    fake_maya.icon_path = "/usr/autodesk/maya/icons/%B"
    from renderbus_maya import startup

    startup.run()
    assert fake_maya.missing_icons == []
    assert Path(startup.icon()).is_absolute()


def test_a_python_2_maya_gets_one_line_not_a_syntax_error(tmp_path) -> None:
    """Maya 2022 started with -pythonver 2 runs userSetup.py in Python 2.7."""
    candidates = sorted(Path(os.path.expanduser("~/.pyenv/versions")).glob("2.7*/bin/python2.7"))
    candidates += [Path(p) for p in [shutil.which("python2.7")] if p]
    python2 = next((p for p in candidates if subprocess.run([str(p), "-c", "pass"], capture_output=True).returncode == 0),
                   None)
    if python2 is None:
        pytest.skip("no Python 2.7 here")
    maya = tmp_path / "maya"
    maya.mkdir()
    (maya / "__init__.py").write_text("")
    (maya / "cmds.py").write_text("def about(batch=False):\n    return False\n"
                                  "def warning(text):\n    print('# Warning: ' + text)\n")
    (maya / "utils.py").write_text("def executeDeferred(code):\n    exec(code)\n")  # at once: any error shows
    scripts = ROOT / "maya" / "scripts"
    out = subprocess.run([str(python2), str(USER_SETUP)], capture_output=True, text=True, timeout=60,
                         env={"PYTHONPATH": os.pathsep.join([str(tmp_path), str(scripts), str(ROOT)]),
                              "PYTHONDONTWRITEBYTECODE": "1"})  # Python 2 writes .pyc beside the sources
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines() == [
        "# Warning: Renderbus needs Maya's Python 3: start Maya without -pythonver 2 to use it."]


def test_nothing_happens_in_batch_mode(fake_maya) -> None:
    fake_maya.batch = True
    fake_maya.controls.clear()  # mayapy has no UI
    runpy.run_path(str(USER_SETUP))
    assert fake_maya.deferred == []  # nothing even queued
    from renderbus_maya import startup

    assert startup.run() is False
    assert fake_maya.controls == {}
    assert fake_maya.calls["shelfLayout"] == fake_maya.calls["menu"] == 0


def test_startup_imports_neither_requests_nor_qt_nor_the_core() -> None:
    """In a fresh interpreter (as Maya's): what the start-up adds to sys.modules. Of the core, only
    the message catalog and the folders, to read the language setting (standard library only)."""
    code = (
        "import sys, json; sys.path.insert(0, %r); before = set(sys.modules)\n"
        "import runpy, maya.utils; runpy.run_path(%r); maya.utils.processIdleEvents()\n"
        "import maya._scene as s; assert 'RenderbusMenu' in s.STATE.controls\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))\n"
    ) % (FAKE_DIR, str(USER_SETUP))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, PYTHONPATH=""), check=True).stdout
    added = json.loads(out.strip().splitlines()[-1])
    light_core = {"renderbus_dcc", "renderbus_dcc.i18n", "renderbus_dcc.folders"}
    heavy = [m for m in added if m.split(".")[0] in ("requests", "urllib3", "Qt", "PySide6", "PySide2", "shiboken6",
                                                       "renderbus_dcc") and m not in light_core]
    assert heavy == []
    assert "renderbus_maya.startup" in added


def test_menu_and_shelf_commands_open_the_windows(fake_maya, monkeypatch) -> None:
    opened = []
    import renderbus_dcc.ui as ui

    monkeypatch.setattr(ui, "open_submitter", lambda host: opened.append(("submitter", host.name)))
    monkeypatch.setattr(ui, "open_monitor", lambda host, ids=None: opened.append(("monitor", host.name)))
    monkeypatch.setattr(ui, "open_settings", lambda host: opened.append(("settings", host.name)))
    from renderbus_maya import startup

    startup.run()
    for item in fake_maya.children("RenderbusMenu") + fake_maya.children("Renderbus"):
        command = fake_maya.controls[item].flags.get("command")
        if command and not command.endswith("about()"):
            exec(command, {})
    assert opened == [("submitter", "Maya"), ("monitor", "Maya"), ("settings", "Maya"),
                      ("submitter", "Maya"), ("monitor", "Maya")]
    from renderbus_maya import commands

    assert commands.about() == "OK"
    assert "Renderbus for Maya" in fake_maya.dialogs[-1]["message"]


def test_a_failing_window_is_shown_to_the_artist(fake_maya, monkeypatch) -> None:
    import renderbus_dcc.ui as ui
    from renderbus_dcc.errors import HostError

    def broken(host):
        raise HostError("There is no scene to submit.", "open or save a scene first")

    monkeypatch.setattr(ui, "open_submitter", broken)
    from renderbus_maya import commands

    assert commands.submit() is None
    assert fake_maya.dialogs[-1]["message"] == "There is no scene to submit.; open or save a scene first"
