"""`renderbus install max`: into the 3ds Max user folders found, or a given scripts folder, and back out."""

from pathlib import Path

import pytest

from renderbus_dcc.cli import main
from renderbus_dcc.install import max as max_install


def _max_user_folders(root: Path, years=(2024, 2025), language="ENU") -> Path:
    for year in years:
        (root / "Autodesk" / "3dsMax" / ("%d - 64bit" % year) / language / "scripts").mkdir(parents=True)
    return root


def test_install_into_a_scripts_dir_and_uninstall(tmp_path, capsys):
    folder = tmp_path / "脚本 startup"
    assert main(["install", "max", "--scripts-dir", str(folder), "--version", "2024"]) == 0
    script = folder / max_install.STARTUP_NAME
    raw = script.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: 3ds Max reads non-ASCII folder names right
    text = raw.decode("utf-8-sig")
    for path in max_install.python_paths():
        assert '@"%s"' % path in text
    assert "renderbus_max.startup.install()" in text
    assert "installed" in capsys.readouterr().out

    assert main(["install", "max", "--scripts-dir", str(folder), "--version", "2024", "--uninstall"]) == 0
    assert not script.exists()
    cleanup = folder / max_install.CLEANUP_NAME  # 2024: the saved menu is taken out at the next start
    assert 'menuMan.findMenu "Renderbus"' in cleanup.read_text(encoding="utf-8-sig")
    assert main(["install", "max", "--scripts-dir", str(folder), "--version", "2024"]) == 0
    assert not cleanup.exists()  # installed again before the cleanup ran: the menu stays


def test_finds_every_3ds_max_and_installs_into_each(tmp_path, monkeypatch):
    root = _max_user_folders(tmp_path / "Local 应用", years=(2023, 2025))
    (root / "Autodesk" / "3dsMax" / "2025 - 64bit" / "CHS" / "scripts").mkdir(parents=True)
    (root / "Autodesk" / "3dsMax" / "notes").mkdir()
    monkeypatch.setenv("LOCALAPPDATA", str(root))

    found = max_install.find_startup_dirs()
    assert sorted(found) == [2023, 2025] and len(found[2025]) == 2

    assert main(["install", "max"]) == 0  # default: every version found
    installed = sorted(p.relative_to(root).as_posix() for p in root.rglob(max_install.STARTUP_NAME))
    assert installed == [
        "Autodesk/3dsMax/2023 - 64bit/ENU/scripts/startup/renderbus_startup.ms",
        "Autodesk/3dsMax/2025 - 64bit/CHS/scripts/startup/renderbus_startup.ms",
        "Autodesk/3dsMax/2025 - 64bit/ENU/scripts/startup/renderbus_startup.ms",
    ]
    assert main(["install", "max", "--version", "2025", "--uninstall"]) == 0
    assert [p.parts[-5] for p in root.rglob(max_install.STARTUP_NAME)] == ["2023 - 64bit"]
    assert not list(root.rglob(max_install.CLEANUP_NAME))  # 2025 rebuilds its menus: nothing to clean


def test_one_version_only(tmp_path, monkeypatch):
    root = _max_user_folders(tmp_path, years=(2024, 2025))
    monkeypatch.setenv("LOCALAPPDATA", str(root))
    assert main(["install", "max", "--version", "2024"]) == 0
    assert [p.parts[-5] for p in root.rglob(max_install.STARTUP_NAME)] == ["2024 - 64bit"]


def test_unknown_version_and_no_3ds_max_are_explained(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LOCALAPPDATA", str(_max_user_folders(tmp_path, years=(2024,))))
    assert main(["install", "max", "--version", "2019"]) == 1
    err = capsys.readouterr().err
    assert "3ds Max 2019 not found (found: 2024)" in err and "--version" in err

    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "nothing here"))
    assert main(["install", "max"]) == 1
    assert "--scripts-dir" in capsys.readouterr().err
