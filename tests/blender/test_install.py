"""`renderbus install blender`: the extension zip, where it goes, and Blender enabling it."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import bpy

from renderbus_dcc.cli import main
from renderbus_dcc.install import blender as installer


def run_bpy(code: str, env: dict, timeout: float = 180) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh Python with the bpy module (as `blender --background --python-expr`)."""
    wrapped = code + "\nimport sys, os; sys.stdout.flush(); os._exit(0)\n"  # bpy can hang on exit
    return subprocess.run([sys.executable, "-c", wrapped], capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, **env))


def test_zip_only_builds_an_extension_blender_accepts(tmp_path, capsys):
    assert main(["install", "blender", "--zip-only", str(tmp_path)]) == 0
    archive = Path(capsys.readouterr().out.strip())
    names = zipfile.ZipFile(archive).namelist()
    assert "blender_manifest.toml" in names and "__init__.py" in names and "analysis.py" in names
    [wheel] = [n for n in names if n.startswith("wheels/")]
    manifest = zipfile.ZipFile(archive).read("blender_manifest.toml").decode()
    assert 'wheels = ["./%s"]' % wheel in manifest
    cli = Path(bpy.utils.system_resource("SCRIPTS")) / "addons_core" / "bl_pkg" / "cli" / "blender_ext.py"
    check = subprocess.run([sys.executable, str(cli), "validate", str(archive)], capture_output=True, text=True,
                           timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    # the core's wheel is importable as it is (the legacy / copied-install path), without bpy
    whl = tmp_path / "core.whl"
    whl.write_bytes(zipfile.ZipFile(archive).read(wheel))
    probe = subprocess.run([sys.executable, "-I", "-S", "-c",
                            "import sys; sys.path[:0] = [%r]; import renderbus_dcc.submission, renderbus_dcc.scene;"
                            "print(renderbus_dcc.__file__)" % str(whl)], capture_output=True, text=True, timeout=60)
    assert probe.returncode == 0 and probe.stdout.startswith(str(whl)), probe.stderr


def test_install_puts_the_extension_and_the_legacy_addon_where_blender_looks(tmp_path):
    base = tmp_path / "config" / "blender"
    for version in ("3.6", "4.2", "4.5", "notes"):
        (base / version).mkdir(parents=True)
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    assert installer.find_versions(env) == ["3.6", "4.2", "4.5"]
    lines = []
    done = installer.install(["3.6", "4.5"], blender="/nonexistent/blender", environ=env, out=lines.append)

    assert done["4.5"] == base / "4.5" / "extensions" / "user_default" / "renderbus"
    assert (done["4.5"] / "blender_manifest.toml").is_file() and (done["4.5"] / "wheels").is_dir()
    assert done["3.6"] == base / "3.6" / "scripts" / "addons" / "renderbus_blender"
    assert (done["3.6"] / "__init__.py").is_file() and not (done["3.6"] / "blender_manifest.toml").exists()
    assert any("Preferences > Add-ons" in line for line in lines)  # no Blender to enable it with
    # overrides of Blender's own folders are honoured
    env2 = {"BLENDER_USER_SCRIPTS": str(tmp_path / "scripts"), "BLENDER_USER_EXTENSIONS": str(tmp_path / "ext")}
    assert installer.install_dir("3.6", env2, base) == tmp_path / "scripts" / "addons" / "renderbus_blender"
    assert installer.install_dir("4.2", env2, base) == tmp_path / "ext" / "user_default" / "renderbus"
    assert installer.uninstall(["3.6", "4.5"], environ=env, out=lines.append) == [done["3.6"], done["4.5"]]
    assert not done["4.5"].exists()


def test_blender_enables_the_installed_extension_and_keeps_it_in_its_preferences(tmp_path):
    """What the installer runs in `blender --background --python-expr`, run in the bpy module."""
    resources = tmp_path / "resources"
    archive = installer.build_zip(tmp_path)
    env = {"BLENDER_USER_RESOURCES": str(resources), "RENDERBUS_KEYRING": "0"}

    first = run_bpy(installer.enable_expr("%d.%d" % bpy.app.version[:2], archive), env)
    assert "renderbus: enabled True" in first.stdout, first.stdout + first.stderr
    userpref = resources / "config" / "userpref.blend"
    assert b"bl_ext.user_default.renderbus" in userpref.read_bytes()  # enabled in the saved preferences
    # a new Blender session reads its preferences with it enabled (the bpy module does not read
    # the user's preferences by itself: ask it to; bpy 4.2's read_userpref crashes in module
    # mode, even on factory preferences, so there the saved file is all that can be checked)
    if bpy.app.version < (4, 5):
        return
    second = run_bpy("import bpy\nbpy.ops.wm.read_userpref()\nimport renderbus_dcc\n"
                     "print('on', 'bl_ext.user_default.renderbus' in bpy.context.preferences.addons,"
                     " hasattr(bpy.types, 'RENDER_PT_renderbus'), renderbus_dcc.__file__)", env)
    assert "on True True" in second.stdout, second.stdout + second.stderr
    # Blender installed the core's wheel for the extension (used where Blender has no renderbus_dcc)
    site = resources / "extensions" / ".local" / "lib" / ("python%d.%d" % sys.version_info[:2]) / "site-packages"
    assert (site / "renderbus_dcc" / "submission.py").is_file()
