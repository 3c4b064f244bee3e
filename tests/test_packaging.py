"""What a user gets from `pip install renderbus_dcc`: the built package, not this checkout.

The package is built into a folder of its own and run from there, so a file the
checkout has but the wheel lacks (the example scene, the farm's catalogue, the Maya module,
the 3ds Max startup script, the Blender manifest) fails here rather than on a user's machine.
"""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What the wheel installs: the packages as `setup.py build` lays them out for it.

    (A pure wheel is that tree zipped; building it through pip would fetch the build tools.)
    """
    out = tmp_path_factory.mktemp("wheel")
    site = out / "site"
    subprocess.run(
        [sys.executable, "setup.py", "-q", "build", "--build-base", str(out / "build"), "--build-lib", str(site)],
        check=True, cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    return site


def _run(site: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(site))
    return subprocess.run([sys.executable, "-m", "renderbus_dcc", *args], env=env, cwd=str(site.parent),
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)


def test_the_package_runs_from_its_own_files(site: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(site))
    # (renderbus_blender is an add-on: it imports bpy, so it is only looked at, not imported)
    assert (site / "renderbus_blender" / "__init__.py").is_file()
    assert (site / "renderbus_blender" / "blender_manifest.toml").is_file()
    where = subprocess.run([sys.executable, "-c", "import renderbus_dcc, renderbus_maya, renderbus_max; "
                            "print(renderbus_dcc.__file__)"],
                           env=env, cwd=str(site.parent), capture_output=True, text=True, timeout=60)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).resolve().is_relative_to(site.resolve())


def test_the_demo_runs_from_the_package(site: Path) -> None:
    result = _run(site, "demo", "--speed", "400", "--interval", "0.2")
    assert result.returncode == 0, result.stderr
    assert "100.0%  finished  48/48 done" in result.stdout


def test_the_host_installers_find_their_files_in_the_package(site: Path, tmp_path: Path) -> None:
    result = _run(site, "install", "maya", "--modules-dir", str(tmp_path / "modules"))
    assert result.returncode == 0, result.stderr
    mod = (tmp_path / "modules" / "renderbus.mod").read_text(encoding="utf-8")
    assert mod.count("+ MAYAVERSION:") == 6  # every supported Maya, each with the folder of its Python
    for folder in ("renderbus-py37", "renderbus-py39", "renderbus-py310", "renderbus-py311"):
        module = tmp_path / "modules" / folder
        assert (module / "icons" / "renderbus.png").is_file()  # the shelf button's icon
        assert (module / "scripts" / "userSetup.py").is_file()
        assert (module / "site-packages" / "requests" / "__init__.py").is_file()  # from the wheels in the package

    result = _run(site, "install", "max", "--scripts-dir", str(tmp_path / "scripts" / "startup"), "--version", "2025")
    assert result.returncode == 0, result.stderr
    script = (tmp_path / "scripts" / "startup" / "renderbus_startup.ms").read_text(encoding="utf-8-sig")
    assert str(tmp_path / "scripts" / "renderbus") in script and str(site) not in script

    result = _run(site, "install", "blender", "--zip-only", str(tmp_path / "renderbus.zip"))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "renderbus.zip") as archive:
        assert "blender_manifest.toml" in archive.namelist()


def test_the_metadata_states_the_supported_pythons_and_a_qt_py_that_knows_pyside6(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "setup.py", "-q", "egg_info", "--egg-base", str(tmp_path)], check=True,
                   cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    (info,) = tmp_path.glob("*.egg-info")
    metadata = (info / "PKG-INFO").read_text(encoding="utf-8")
    assert "Requires-Python: >=3.7\n" in metadata  # Maya and 3ds Max 2022 run Python 3.7
    requires = (info / "requires.txt").read_text(encoding="utf-8")
    assert "[qt]\nQt.py>=2\n" in requires  # Qt.py 1.x lacks PySide6 (Maya and 3ds Max 2025+)
