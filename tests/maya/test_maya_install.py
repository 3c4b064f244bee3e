"""Installing into Maya: `renderbus install maya` (and --uninstall), and install.mel's drop installer."""

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
    for version in ("2023", "2024", "2025"):
        (folder / version / "prefs" / "shelves").mkdir(parents=True)
    (folder / "scripts").mkdir()  # not a version
    monkeypatch.setenv("MAYA_APP_DIR", str(folder))
    return folder


def read_mod(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_user_maya_dir_per_os(tmp_path) -> None:
    home = Path("/home/u")
    assert installer.user_maya_dir({}, "win32", home) == home / "Documents" / "maya"
    assert installer.user_maya_dir({}, "darwin", home) == home / "Library" / "Preferences" / "Autodesk" / "maya"
    assert installer.user_maya_dir({}, "linux", home) == home / "maya"
    assert installer.user_maya_dir({"MAYA_APP_DIR": str(tmp_path)}, "linux", home) == tmp_path


def test_install_one_version(maya_app_dir, capsys) -> None:
    assert main(["install", "maya", "--version", "2024"]) == 0
    mod = maya_app_dir / "2024" / "modules" / "renderbus.mod"
    text = read_mod(mod)
    assert "+ MAYAVERSION:2024 renderbus " in text
    assert " %s\n" % str(MODULE).replace("\\", "/") in text  # the module folder of this checkout
    assert "PYTHONPATH+=%s\n" % str(ROOT).replace("\\", "/") in text  # where renderbus_dcc is
    assert not (maya_app_dir / "2023" / "modules").exists()
    assert "wrote %s" % mod in capsys.readouterr().out


def test_install_all_then_uninstall_everything(maya_app_dir, capsys) -> None:
    assert main(["install", "maya", "--all"]) == 0
    mods = sorted(maya_app_dir.glob("*/modules/renderbus.mod"))
    assert [p.parent.parent.name for p in mods] == ["2023", "2024", "2025"]
    shelf = maya_app_dir / "2024" / "prefs" / "shelves" / "shelf_Renderbus.mel"
    shelf.write_text("global proc shelf_Renderbus () {}\n")  # what Maya saves on exit
    other_shelf = maya_app_dir / "2024" / "prefs" / "shelves" / "shelf_Custom.mel"
    other_shelf.write_text("// the artist's")
    assert main(["install", "maya", "--uninstall"]) == 0
    assert list(maya_app_dir.glob("*/modules/renderbus.mod")) == []
    assert not shelf.exists() and other_shelf.exists()
    out = capsys.readouterr().out
    assert "removed %s" % shelf in out
    assert main(["install", "maya", "--uninstall"]) == 0
    assert "was not installed" in capsys.readouterr().out


def test_modules_dir_gets_one_file_for_the_versions_asked(maya_app_dir, tmp_path) -> None:
    target = tmp_path / "studio modules"
    assert main(["install", "maya", "--version", "2024", "--version", "2025", "--modules-dir", str(target)]) == 0
    text = read_mod(target / "renderbus.mod")
    assert text.count("+ MAYAVERSION:") == 2 and "MAYAVERSION:2025" in text
    assert not list(maya_app_dir.glob("*/modules/renderbus.mod"))
    assert main(["install", "maya", "--uninstall", "--version", "2024", "--modules-dir", str(target)]) == 0
    assert not (target / "renderbus.mod").exists()


def test_no_maya_found_says_what_to_do(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("MAYA_APP_DIR", str(tmp_path / "none"))
    assert main(["install", "maya"]) == 1
    err = capsys.readouterr().err
    assert "No Maya found in" in err and "--version 2024" in err
    assert main(["install", "maya", "--version", "24"]) == 1
    assert "not a Maya version" in capsys.readouterr().err


def test_a_wheel_install_gets_a_module_folder_made(maya_app_dir, monkeypatch) -> None:
    monkeypatch.setattr(installer, "module_source_dir", lambda: None)
    installer.install(["2024"], maya_app_dir)
    made = maya_app_dir / "2024" / "modules" / installer.COPY_DIR
    assert (made / "scripts" / "userSetup.py").read_text(encoding="utf-8") == \
        (MODULE / "scripts" / "userSetup.py").read_text(encoding="utf-8")
    assert " %s\n" % str(made).replace("\\", "/") in read_mod(made.parent / "renderbus.mod")
    installer.uninstall(["2024"], maya_app_dir)
    assert not made.exists() and not (made.parent / "renderbus.mod").exists()


def test_the_shipped_module_file_points_at_this_folder_and_the_core() -> None:
    lines = (MODULE / "renderbus.mod").read_text().splitlines()
    assert lines[0].startswith("+ renderbus ") and lines[0].endswith(" .")
    assert "PYTHONPATH+:=.." in lines
    assert (MODULE / "icons" / "renderbus.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (MODULE / ".." / "renderbus_dcc" / "__init__.py").is_file()


def test_drop_installer_writes_the_module_and_loads_it_now(fake_maya, tmp_path, monkeypatch) -> None:
    mel = (MODULE / "install.mel").read_text()
    assert "renderbus_maya.dropinstall.install(" in mel and "whatIs renderbusInstallLocator" in mel
    fake_maya.user_app_dir = str(tmp_path / "maya")
    monkeypatch.setenv("XBMLANGPATH", "/maya/icons")
    monkeypatch.setattr(sys, "path", list(sys.path))
    from renderbus_maya import dropinstall

    mod = Path(dropinstall.install(str(MODULE)))
    assert mod == tmp_path / "maya" / "2024" / "modules" / "renderbus.mod"
    assert "+ MAYAVERSION:2024 renderbus" in mod.read_text(encoding="utf-8")
    assert os.environ["XBMLANGPATH"].split(os.pathsep) == ["/maya/icons", str(MODULE / "icons")]
    assert str(MODULE / "scripts") in sys.path
    assert "RenderbusMenu" in fake_maya.controls and len(fake_maya.children("Renderbus")) == 2
    assert "Renderbus is installed" in fake_maya.dialogs[-1]["message"]
    dropinstall.install(str(MODULE))  # dropped twice: still one shelf, one menu, one module file
    assert fake_maya.of_kind("menu") == ["RenderbusMenu"] and len(fake_maya.children("Renderbus")) == 2
    assert os.environ["XBMLANGPATH"].count("icons") == 2


def test_renderbus_command_line_entry_point(maya_app_dir) -> None:
    out = subprocess.run([sys.executable, "-m", "renderbus_dcc", "install", "maya", "--help"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "--modules-dir" in out.stdout and "--uninstall" in out.stdout
