"""Install Renderbus into Maya (a module file per Maya version), or uninstall it.

``renderbus install maya [--version 2024 ...] [--all] [--uninstall] [--modules-dir DIR]``

Maya reads every ``.mod`` file in its module folders at start-up. The one written here points
at the Renderbus module folder (``maya/`` beside this package in a source checkout or editable
install; a folder made next to the .mod when the package came from a wheel, which holds no
``maya/`` folder) and adds the folder holding ``renderbus_dcc`` to PYTHONPATH, so the module's
scripts find the core. Maya then adds the module's ``scripts/`` to PYTHONPATH (its
``userSetup.py`` builds the shelf and menu) and its ``icons/`` to XBMLANGPATH.

The user's Maya folder is ``MAYA_APP_DIR`` when set, else ``~/Documents/maya`` (Windows),
``~/Library/Preferences/Autodesk/maya`` (macOS) or ``~/maya`` (Linux); a version's module file
goes to ``<maya>/<version>/modules/renderbus.mod``. Uninstalling removes the module file, the
folder made for a wheel install, and the shelf Maya saved (``<version>/prefs/shelves/shelf_Renderbus.mel``).
"""

import argparse
import importlib.util
import os
import re
import shutil
import sys
from pathlib import Path
from typing import List, Mapping, Optional, Sequence

import renderbus_dcc
from renderbus_dcc.errors import InstallError
from renderbus_dcc.i18n import _

__all__ = [
    "MODULE_NAME", "MOD_FILE", "SHELF_FILE", "user_maya_dir", "find_versions", "module_source_dir",
    "core_dir", "module_text", "install", "uninstall", "add_arguments", "run",
]

MODULE_NAME = "renderbus"
MOD_FILE = MODULE_NAME + ".mod"
SHELF_FILE = "shelf_Renderbus.mel"
#: the folder made beside the .mod for a wheel install (no maya/ folder to point at)
COPY_DIR = "renderbus_module"
_VERSION_DIR = re.compile(r"^(\d{4})(-x64)?$")

#: userSetup.py of a module made for a wheel install; the same as maya/scripts/userSetup.py.
USER_SETUP = '''"""Renderbus for Maya: add the Renderbus shelf and menu once Maya's UI is up (never in batch mode)."""

import maya.cmds
import maya.utils

if not maya.cmds.about(batch=True):  # mayapy, render nodes: nothing at all
    maya.utils.executeDeferred("import renderbus_maya.startup; renderbus_maya.startup.run()")
'''


def user_maya_dir(environ: Optional[Mapping[str, str]] = None, platform: Optional[str] = None,
                  home: Optional[Path] = None) -> Path:
    """The user's Maya folder (holding one folder per version)."""
    environ = os.environ if environ is None else environ
    if environ.get("MAYA_APP_DIR"):
        return Path(environ["MAYA_APP_DIR"]).expanduser()
    platform = platform or sys.platform
    home = home or Path.home()
    if platform.startswith("win"):
        return home / "Documents" / "maya"
    if platform == "darwin":
        return home / "Library" / "Preferences" / "Autodesk" / "maya"
    return home / "maya"


def find_versions(maya_dir: Path) -> List[str]:
    """Maya versions that have a folder in ``maya_dir`` ("2024", ...), oldest first."""
    if not maya_dir.is_dir():
        return []
    found = {m.group(1) for m in (_VERSION_DIR.match(p.name) for p in maya_dir.iterdir() if p.is_dir()) if m}
    return sorted(found)


def core_dir() -> Path:
    """The folder that holds the ``renderbus_dcc`` package (site-packages or the checkout)."""
    return Path(renderbus_dcc.__file__).resolve().parent.parent


def module_source_dir() -> Optional[Path]:
    """The ``maya/`` module folder shipped beside the package, if there is one."""
    candidates = [core_dir() / "maya"]
    spec = importlib.util.find_spec("renderbus_maya")  # located, not imported: the core imports no host
    if spec is not None and spec.origin:
        package = Path(spec.origin).resolve().parent
        candidates.append(package.parent.parent)  # a checkout: maya/scripts/renderbus_maya
        candidates.append(package / "_module")  # a built package carries the module files here
    for candidate in candidates:
        if (candidate / MOD_FILE).is_file() and (candidate / "scripts" / "userSetup.py").is_file():
            return candidate
    return None


def _mod_path(path: Path) -> str:
    return str(path).replace("\\", "/")


def module_text(module_dir: Path, core: Path, versions: Sequence[Optional[str]]) -> str:
    """A module description: one block per Maya version (None = any version)."""
    from renderbus_dcc import __version__

    blocks = []
    for version in versions:
        condition = "MAYAVERSION:%s " % version if version else ""
        blocks.append("+ %s%s %s %s\nPYTHONPATH+=%s\n" % (
            condition, MODULE_NAME, __version__, _mod_path(module_dir), _mod_path(core)))
    return "# Renderbus for Maya, written by `renderbus install maya`.\n" + "\n".join(blocks)


def _prepare_module(modules_dir: Path) -> Path:
    """The module folder to point at: the shipped one, or one made in ``modules_dir``."""
    shipped = module_source_dir()
    if shipped is not None:
        return shipped
    made = modules_dir / COPY_DIR
    (made / "scripts").mkdir(parents=True, exist_ok=True)
    (made / "icons").mkdir(exist_ok=True)
    (made / "scripts" / "userSetup.py").write_text(USER_SETUP, encoding="utf-8")
    return made


def _write(path: Path, text: str) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InstallError(_("Cannot write %(file)s: %(error)s") % {"file": path, "error": error}, _("check the folder's permissions")) from error
    return path


def install(versions: Sequence[str], maya_dir: Optional[Path] = None, modules_dir: Optional[Path] = None) -> List[Path]:
    """Write the module file(s); returns what was written.

    With ``modules_dir`` one file goes there, with a block per version (any version if none);
    otherwise one file per version into ``<maya_dir>/<version>/modules``.
    """
    core = core_dir()
    if modules_dir is not None:
        module_dir = _prepare_module(modules_dir)
        return [_write(modules_dir / MOD_FILE, module_text(module_dir, core, list(versions) or [None]))]
    if not versions:
        raise InstallError(_("No Maya version to install into."), _("pass --version 2024 (or --all)"))
    maya_dir = maya_dir or user_maya_dir()
    written = []
    for version in versions:
        target = maya_dir / version / "modules"
        module_dir = _prepare_module(target)
        written.append(_write(target / MOD_FILE, module_text(module_dir, core, [version])))
    return written


def _remove(path: Path) -> bool:
    try:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
        else:
            return False
    except OSError as error:
        raise InstallError(_("Cannot remove %(file)s: %(error)s") % {"file": path, "error": error}, _("close Maya and try again")) from error
    return True


def uninstall(versions: Sequence[str], maya_dir: Optional[Path] = None, modules_dir: Optional[Path] = None) -> List[Path]:
    """Remove the module file(s), a module folder made for a wheel install, and the saved shelf."""
    maya_dir = maya_dir or user_maya_dir()
    candidates = []
    if modules_dir is not None:
        candidates += [modules_dir / MOD_FILE, modules_dir / COPY_DIR]
    for version in versions:
        candidates += [
            maya_dir / version / "modules" / MOD_FILE,
            maya_dir / version / "modules" / COPY_DIR,
            maya_dir / version / "prefs" / "shelves" / SHELF_FILE,
        ]
    return [path for path in candidates if _remove(path)]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``renderbus install maya``."""
    parser.add_argument("--version", dest="versions", action="append", default=[], metavar="YEAR",
                        help=_("Maya version to install into (repeatable), e.g. 2024"))
    parser.add_argument("--all", action="store_true",
                        help=_("every Maya version found in the user's Maya folder (the default without --version)"))
    parser.add_argument("--uninstall", action="store_true", help=_("remove Renderbus from Maya"))
    parser.add_argument("--modules-dir", type=Path, default=None, metavar="DIR",
                        help=_("write the module file into DIR instead of each version's modules folder"))


def run(args: argparse.Namespace) -> int:
    """Install or uninstall; prints what changed."""
    maya_dir = user_maya_dir()
    found = find_versions(maya_dir)
    versions: List[str] = list(dict.fromkeys(args.versions + (found if args.all or not args.versions else [])))
    for version in versions:
        if not _VERSION_DIR.match(version):
            raise InstallError(_("%r is not a Maya version.") % version, _("write the year, e.g. --version 2024"))
    if args.uninstall:
        removed = uninstall(versions, maya_dir, args.modules_dir)
        for path in removed:
            print(_("removed %s") % path)
        if not removed:
            print(_("Renderbus was not installed in %s") % (args.modules_dir or maya_dir))
        return 0
    if not versions and args.modules_dir is None:
        raise InstallError(_("No Maya found in %s.") % maya_dir,
                           _("start Maya once, pass --version 2024, or set MAYA_APP_DIR"))
    for path in install(versions, maya_dir, args.modules_dir):
        print(_("wrote %s") % path)
    print(_("Restart Maya %s: the Renderbus shelf and menu appear at start-up.") % ", ".join(versions) if versions
          else _("Restart Maya: the Renderbus shelf and menu appear at start-up."))
    return 0
