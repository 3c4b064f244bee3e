"""`renderbus install max`: into the 3ds Max user folders found, or a given scripts folder, and back out.

Each version gets its own Python folder beside its startup folder (the core, the 3ds Max layer,
requests & co. and Qt.py for the Python that 3ds Max runs) and a startup script naming that
folder only: nothing of the installing interpreter.
"""

import json
import sys
from pathlib import Path

from renderbus_dcc.cli import main
from renderbus_dcc.install import max as max_install


def _max_user_folders(root: Path, years=(2024, 2025), language="ENU") -> Path:
    for year in years:
        (root / "Autodesk" / "3dsMax" / ("%d - 64bit" % year) / language / "scripts").mkdir(parents=True)
    return root


def _manifest(lib: Path) -> dict:
    return json.loads((lib / "renderbus_bundle.json").read_text(encoding="utf-8"))


def test_install_into_a_scripts_dir_and_uninstall(tmp_path, capsys):
    folder = tmp_path / "脚本" / "startup"
    assert main(["install", "max", "--scripts-dir", str(folder), "--version", "2024"]) == 0
    script = folder / max_install.STARTUP_NAME
    raw = script.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: 3ds Max reads non-ASCII folder names right
    text = raw.decode("utf-8-sig")
    lib = tmp_path / "脚本" / "renderbus"  # beside startup\, not in it: 3ds Max runs what is there
    assert '#(\n        @"%s"\n    )' % lib in text  # that folder only
    assert sys.prefix not in text
    for name in ("renderbus_dcc/__init__.py", "renderbus_max/startup.py", "requests/__init__.py", "Qt.py"):
        assert (lib / name).is_file(), name
    assert _manifest(lib)["python"] == "3.10"  # 3ds Max 2024 runs Python 3.10
    assert "renderbus_max.startup.install()" in text
    assert "installed" in capsys.readouterr().out

    assert main(["install", "max", "--scripts-dir", str(folder), "--version", "2024", "--uninstall"]) == 0
    assert not script.exists() and not lib.exists()
    cleanup = folder / max_install.CLEANUP_NAME  # 2024: the saved menu is taken out at the next start
    assert 'menuMan.findMenu "Renderbus"' in cleanup.read_text(encoding="utf-8-sig")
    assert main(["install", "max", "--scripts-dir", str(folder), "--version", "2024"]) == 0
    assert not cleanup.exists()  # installed again before the cleanup ran: the menu stays


def test_a_scripts_dir_needs_the_version(tmp_path, capsys):
    assert main(["install", "max", "--scripts-dir", str(tmp_path / "startup")]) == 1
    assert "--version" in capsys.readouterr().err


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
    versions = {p.parts[-4]: _manifest(p)["python"] for p in root.rglob("renderbus") if p.is_dir()
                and (p / "renderbus_bundle.json").exists()}
    assert versions == {"2023 - 64bit": "3.9", "2025 - 64bit": "3.11"}
    assert main(["install", "max", "--version", "2025", "--uninstall"]) == 0
    assert [p.parts[-5] for p in root.rglob(max_install.STARTUP_NAME)] == ["2023 - 64bit"]
    assert not (root / "Autodesk" / "3dsMax" / "2025 - 64bit" / "ENU" / "scripts" / "renderbus").exists()
    assert not list(root.rglob(max_install.CLEANUP_NAME))  # 2025 rebuilds its menus: nothing to clean


def test_python_2_versions_are_skipped_with_one_line(tmp_path, monkeypatch, capsys):
    root = _max_user_folders(tmp_path, years=(2020, 2021, 2022))
    monkeypatch.setenv("LOCALAPPDATA", str(root))
    assert main(["install", "max"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == [
        "3ds Max 2020 skipped: it runs Python 2.7, which Renderbus cannot run in; use 3ds Max 2022 or later.",
        "3ds Max 2021 skipped: it runs Python 2.7, which Renderbus cannot run in; use 3ds Max 2022 or later."]
    assert [p.parts[-5] for p in root.rglob(max_install.STARTUP_NAME)] == ["2022 - 64bit"]
    lib = root / "Autodesk" / "3dsMax" / "2022 - 64bit" / "ENU" / "scripts" / "renderbus"
    assert _manifest(lib)["python"] == "3.7"
    assert (lib / "urllib3" / "__init__.py").is_file() and list(lib.glob("urllib3-1.26.*.dist-info"))
    assert main(["install", "max", "--version", "2021"]) == 1  # only a Python 2 version asked: nothing done


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
