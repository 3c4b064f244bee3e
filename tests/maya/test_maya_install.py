"""Installing into Maya: `renderbus install maya` (and --uninstall), and install.mel's drop installer.

Each Maya version gets a module of its own: the module file and a folder holding that version's
Python packages (the core, the Maya layer, requests & co. and Qt.py at versions for the Python
that Maya runs), and nothing of the installing interpreter.
"""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from renderbus_dcc.cli import main
from renderbus_dcc.install import maya as installer

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "maya"


@pytest.fixture
def maya_app_dir(tmp_path, monkeypatch):
    folder = tmp_path / "我的 maya"
    for version in ("2020", "2023", "2024", "2025"):
        (folder / version / "prefs" / "shelves").mkdir(parents=True)
    (folder / "scripts").mkdir()  # not a version
    monkeypatch.setenv("MAYA_APP_DIR", str(folder))
    return folder


def read_mod(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def site_of(modules: Path, folder: str = "renderbus") -> Path:
    return modules / folder / "site-packages"


def dist_versions(site: Path) -> dict:
    """{distribution: version} of what is unpacked in a module's site-packages."""
    found = {}
    for info in site.glob("*.dist-info"):
        name, version = info.name[: -len(".dist-info")].rsplit("-", 1)
        found[name.lower().replace("_", "-")] = version
    return found


def test_user_maya_dir_per_os(tmp_path) -> None:
    home = Path("/home/u")
    assert installer.user_maya_dir({}, "win32", home) == home / "Documents" / "maya"
    assert installer.user_maya_dir({}, "darwin", home) == home / "Library" / "Preferences" / "Autodesk" / "maya"
    assert installer.user_maya_dir({}, "linux", home) == home / "maya"
    assert installer.user_maya_dir({"MAYA_APP_DIR": str(tmp_path)}, "linux", home) == tmp_path


def test_install_one_version_gives_it_its_own_python_folder(maya_app_dir, capsys) -> None:
    assert main(["install", "maya", "--version", "2024"]) == 0
    modules = maya_app_dir / "2024" / "modules"
    text = read_mod(modules / "renderbus.mod")
    assert "\n+ MAYAVERSION:2024 renderbus %s renderbus\n" % __import__("renderbus_dcc").__version__ in text
    assert "\nPYTHONPATH+:=site-packages\n" in text  # the module's own folder, for this version only
    assert sys.prefix not in text and str(ROOT) not in text  # nothing of the installing interpreter
    module = modules / "renderbus"
    assert (module / "scripts" / "userSetup.py").read_bytes() == (MODULE / "scripts" / "userSetup.py").read_bytes()
    assert (module / "icons" / "renderbus.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    site = site_of(modules)
    for name in ("renderbus_dcc/__init__.py", "renderbus_maya/startup.py", "requests/__init__.py",
                 "urllib3/__init__.py", "idna/__init__.py", "charset_normalizer/__init__.py", "certifi/cacert.pem",
                 "Qt.py"):
        assert (site / name).is_file(), name
    assert not (site / "renderbus_dcc" / "examples").exists() and not list(site.rglob("*.whl"))
    manifest = json.loads((site / "renderbus_bundle.json").read_text(encoding="utf-8"))
    assert (manifest["python"], manifest["host"]) == ("3.10", "maya")  # Maya 2024 runs Python 3.10
    assert not (maya_app_dir / "2023" / "modules").exists()
    out = capsys.readouterr().out
    assert "wrote %s" % (modules / "renderbus.mod") in out and "Restart Maya 2024" in out


def test_each_version_gets_the_packages_its_python_can_run(maya_app_dir, capsys) -> None:
    assert main(["install", "maya", "--version", "2022", "--version", "2025"]) == 0
    old = dist_versions(site_of(maya_app_dir / "2022" / "modules"))
    new = dist_versions(site_of(maya_app_dir / "2025" / "modules"))
    # Python 3.7: urllib3 1.26 and requests 2.31 (the last for 3.7); 3.11: the newest
    assert old["urllib3"].startswith("1.26.") and old["requests"] == "2.31.0"
    assert new["urllib3"].startswith("2.") and new["requests"] > "2.32"
    assert old["qt-py"] >= "2" and new["qt-py"] >= "2"  # Qt.py 2 knows PySide6
    for python, site in (("3.7", site_of(maya_app_dir / "2022" / "modules")),
                         ("3.11", site_of(maya_app_dir / "2025" / "modules"))):
        assert json.loads((site / "renderbus_bundle.json").read_text(encoding="utf-8"))["python"] == python


def test_install_all_skips_python_2_mayas_then_uninstall_everything(maya_app_dir, capsys) -> None:
    assert main(["install", "maya", "--all"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ("Maya 2020 skipped: it runs Python 2.7, which Renderbus cannot run in; "
                                   "use Maya 2022 or later.")
    mods = sorted(maya_app_dir.glob("*/modules/renderbus.mod"))
    assert [p.parent.parent.name for p in mods] == ["2023", "2024", "2025"]
    assert not (maya_app_dir / "2020" / "modules").exists()
    shelf = maya_app_dir / "2024" / "prefs" / "shelves" / "shelf_Renderbus.mel"
    shelf.write_text("global proc shelf_Renderbus () {}\n")  # what Maya saves on exit
    other_shelf = maya_app_dir / "2024" / "prefs" / "shelves" / "shelf_Custom.mel"
    other_shelf.write_text("// the artist's")
    assert main(["install", "maya", "--uninstall"]) == 0
    assert list(maya_app_dir.glob("*/modules/renderbus*")) == []
    assert not shelf.exists() and other_shelf.exists()
    out = capsys.readouterr().out
    assert "removed %s" % shelf in out
    assert main(["install", "maya", "--uninstall"]) == 0
    assert "was not installed" in capsys.readouterr().out


def test_only_python_2_mayas_asked_is_an_error_with_one_line(maya_app_dir, capsys) -> None:
    assert main(["install", "maya", "--version", "2020"]) == 1
    assert capsys.readouterr().out.strip() == ("Maya 2020 skipped: it runs Python 2.7, which Renderbus cannot run "
                                               "in; use Maya 2022 or later.")
    assert not list(maya_app_dir.glob("*/modules"))


def test_installing_again_replaces_the_module_and_an_old_release_folder(maya_app_dir) -> None:
    modules = maya_app_dir / "2024" / "modules"
    (modules / "renderbus_module").mkdir(parents=True)  # what an earlier release made
    installer.install(["2024"], maya_app_dir)
    stale = site_of(modules) / "stale.py"
    stale.write_text("")
    installer.install(["2024"], maya_app_dir)
    assert not stale.exists() and not (modules / "renderbus_module").exists()
    assert sorted(p.name for p in modules.iterdir()) == ["renderbus", "renderbus.mod"]


def test_modules_dir_gets_one_file_with_a_block_per_version_and_a_folder_per_python(maya_app_dir, tmp_path) -> None:
    target = tmp_path / "studio modules"
    assert main(["install", "maya", "--version", "2023", "--version", "2025", "--version", "2026",
                 "--modules-dir", str(target)]) == 0
    text = read_mod(target / "renderbus.mod")
    assert text.count("+ MAYAVERSION:") == 3
    assert " renderbus-py39\n" in text and text.count(" renderbus-py311\n") == 2
    assert sorted(p.name for p in target.iterdir()) == ["renderbus-py311", "renderbus-py39", "renderbus.mod"]
    assert not list(maya_app_dir.glob("*/modules/renderbus.mod"))
    assert main(["install", "maya", "--uninstall", "--version", "2024", "--modules-dir", str(target)]) == 0
    assert list(target.iterdir()) == []


def test_no_maya_found_says_what_to_do(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("MAYA_APP_DIR", str(tmp_path / "none"))
    assert main(["install", "maya"]) == 1
    err = capsys.readouterr().err
    assert "No Maya found in" in err and "--version 2024" in err
    assert main(["install", "maya", "--version", "24"]) == 1
    assert "not a Maya version" in capsys.readouterr().err


@pytest.fixture
def our_modules_restored():
    """The drop installer replaces renderbus_dcc's and renderbus_maya's modules in the session: put them back."""
    ours = ("renderbus_dcc", "renderbus_maya")
    saved = {name: module for name, module in sys.modules.items() if name.split(".")[0] in ours}
    yield
    for name in [n for n in sys.modules if n.split(".")[0] in ours]:
        del sys.modules[name]
    sys.modules.update(saved)


def test_drop_installer_does_what_the_command_does_and_loads_it_now(fake_maya, tmp_path, monkeypatch,
                                                                      our_modules_restored) -> None:
    mel = (MODULE / "install.mel").read_text()
    assert "renderbus_maya.dropinstall.install(" in mel and "whatIs renderbusInstallLocator" in mel
    monkeypatch.setenv("MAYA_APP_DIR", str(tmp_path / "command"))
    assert main(["install", "maya", "--version", "2025"]) == 0
    by_command = tmp_path / "command" / "2025" / "modules"
    fake_maya.version = "2025"  # Python 3.11, as this process
    fake_maya.user_app_dir = str(tmp_path / "dropped")
    monkeypatch.setenv("XBMLANGPATH", "/maya/icons/%B")
    monkeypatch.setattr(sys, "path", list(sys.path))
    scripts = str(MODULE / "scripts")
    sys.path.insert(0, scripts)  # what install.mel does before calling the installer
    from renderbus_maya import dropinstall

    mod = Path(dropinstall.install(str(MODULE)))
    assert mod == tmp_path / "dropped" / "2025" / "modules" / "renderbus.mod"
    # the same module as `renderbus install maya --version 2025`

    def tree(root: Path) -> list:
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if "__pycache__" not in p.parts)

    assert tree(mod.parent) == tree(by_command)
    assert read_mod(mod) == read_mod(by_command / "renderbus.mod")
    # this session now runs the installed module, not the dropped folder
    module = mod.parent / "renderbus"
    assert sys.path[:2] == [str(module / "site-packages"), str(module / "scripts")]
    assert scripts not in sys.path
    assert Path(sys.modules["renderbus_maya.startup"].__file__).is_relative_to(module)
    assert Path(importlib.util.find_spec("renderbus_dcc").origin).is_relative_to(module)
    assert os.environ["XBMLANGPATH"] == "/maya/icons/%B"  # set now, Maya would not see it anyway
    assert "RenderbusMenu" in fake_maya.controls and len(fake_maya.children("Renderbus")) == 2
    assert fake_maya.missing_icons == []  # the icon named by its full path
    assert "Renderbus is installed" in fake_maya.dialogs[-1]["message"]
    sys.path.insert(0, scripts)
    sys.modules.pop("renderbus_maya", None), sys.modules.pop("renderbus_maya.dropinstall", None)
    from renderbus_maya import dropinstall as again

    again.install(str(MODULE))  # dropped twice: still one shelf, one menu, one module
    assert fake_maya.of_kind("menu") == ["RenderbusMenu"] and len(fake_maya.children("Renderbus")) == 2


def test_renderbus_command_line_entry_point(maya_app_dir) -> None:
    out = subprocess.run([sys.executable, "-m", "renderbus_dcc", "install", "maya", "--help"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "--modules-dir" in out.stdout and "--uninstall" in out.stdout
