"""Install Renderbus into Maya (a module per Maya version), or uninstall it.

``renderbus install maya [--version 2024 ...] [--all] [--uninstall] [--modules-dir DIR]``

Maya reads every ``.mod`` file in its module folders at start-up. For each Maya version this
writes ``<maya>/<version>/modules/renderbus.mod`` and, beside it, the module folder
``renderbus/``: ``scripts/userSetup.py`` (builds the shelf and menu once Maya's UI is up),
``icons/`` and ``site-packages/``, that version's own Python folder (renderbus_dcc,
renderbus_maya, and requests, urllib3, idna, charset_normalizer, certifi and Qt.py at versions
for the Python this Maya runs: see :mod:`renderbus_dcc.install.bundle`). The module file names
the folder relative to itself and adds ``site-packages`` to PYTHONPATH for that Maya version
only (``MAYAVERSION:``); nothing of the installing interpreter reaches Maya.

With ``--modules-dir DIR`` (a folder on ``MAYA_MODULE_PATH``, e.g. a studio share) one
``renderbus.mod`` goes there with a block per version, and one module folder per Python
(``renderbus-py311``), shared by the versions that run it. Without ``--version`` that is every
supported version.

The user's Maya folder is ``MAYA_APP_DIR`` when set, else ``~/Documents/maya`` (Windows),
``~/Library/Preferences/Autodesk/maya`` (macOS) or ``~/maya`` (Linux). Versions that run Python
2.7 (Maya 2021 and earlier) are skipped with a line saying so. Uninstalling removes the module
file, the module folder and the shelf Maya saved (``<version>/prefs/shelves/shelf_Renderbus.mel``).
"""

import argparse
import importlib.util
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence

import renderbus_dcc
from renderbus_dcc.errors import InstallError
from renderbus_dcc.i18n import _
from renderbus_dcc.install import bundle, support

__all__ = [
    "MODULE_NAME", "MOD_FILE", "SHELF_FILE", "MODULE_DIR", "SITE_DIR", "user_maya_dir", "find_versions",
    "module_source_dir", "core_package", "module_text", "install", "uninstall", "add_arguments", "run",
]

MODULE_NAME = "renderbus"
MOD_FILE = MODULE_NAME + ".mod"
SHELF_FILE = "shelf_Renderbus.mel"
#: The module folder beside a version's renderbus.mod.
MODULE_DIR = "renderbus"
#: The module's Python folder (added to PYTHONPATH by the module file).
SITE_DIR = "site-packages"
#: Folders earlier releases made beside the .mod; removed on install and uninstall.
_LEGACY_DIRS = ("renderbus_module",)
_VERSION_DIR = re.compile(r"^(\d{4})(-x64)?$")
APP = "Maya"


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


def core_package() -> Path:
    """The ``renderbus_dcc`` package folder of this installation."""
    return Path(renderbus_dcc.__file__).resolve().parent


def _maya_package() -> Path:
    spec = importlib.util.find_spec("renderbus_maya")  # located, not imported: the core imports no host
    if spec is None or not spec.origin:
        raise InstallError(_("The Maya integration (renderbus_maya) is not installed beside renderbus_dcc."),
                           _("reinstall renderbus_dcc"))
    return Path(spec.origin).resolve().parent


def module_source_dir() -> Path:
    """The module's own files (``scripts/userSetup.py``, ``icons/``): ``maya/`` in a checkout,
    ``renderbus_maya/_module`` in a built package."""
    package = _maya_package()
    for candidate in (package.parent.parent, package / "_module"):
        if (candidate / "scripts" / "userSetup.py").is_file() and (candidate / "icons").is_dir():
            return candidate
    raise InstallError(_("The Maya module files (userSetup.py, icons) are missing beside %s.") % package,
                       _("reinstall renderbus_dcc"))


def module_text(blocks: Sequence["tuple"]) -> str:
    """A module file: one block per (Maya version, module folder relative to the file, Python)."""
    from renderbus_dcc import __version__

    lines = ["# Renderbus for Maya, written by `renderbus install maya`: one block per Maya version,",
             "# each with the module folder of the Python that version runs."]
    for year, folder, python in blocks:
        lines += ["", "+ MAYAVERSION:%s %s %s %s" % (year, MODULE_NAME, __version__, folder),
                  "# Python %s" % python, "PYTHONPATH+:=%s" % SITE_DIR]
    return "\n".join(lines) + "\n"


def _build_module(final: Path, version: support.HostVersion, python: Optional[str] = None) -> Path:
    """Make the module folder ``final`` for ``version`` (``python``: the interpreter's, in Maya)."""
    template = module_source_dir()
    staging = bundle.staging_dir(final, APP)
    bundle.make_site(staging / SITE_DIR, python or version.python, [core_package(), _maya_package()],
                     extra={"host": "maya"})
    try:
        (staging / "scripts").mkdir()
        shutil.copy2(str(template / "scripts" / "userSetup.py"), str(staging / "scripts" / "userSetup.py"))
        shutil.copytree(str(template / "icons"), str(staging / "icons"))
    except OSError as error:
        raise InstallError(_("Cannot write %(file)s: %(error)s") % {"file": staging, "error": error},
                           _("check the folder's permissions and free space")) from error
    return bundle.replace_dir(staging, final, APP)


def _write(path: Path, text: str) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InstallError(_("Cannot write %(file)s: %(error)s") % {"file": path, "error": error}, _("check the folder's permissions")) from error
    return path


def install(versions: Sequence[str], maya_dir: Optional[Path] = None, modules_dir: Optional[Path] = None,
            python: Optional[str] = None) -> List[Path]:
    """Write the module file(s) and folder(s) for ``versions`` (Python 3 versions only); returns
    the module files written.

    ``python`` overrides the Python of the table (the drag-and-drop installer runs inside Maya
    and knows it). With ``modules_dir`` one module file goes there, with a block per version.
    """
    wanted = [support.host_version("maya", int(v)) for v in versions]
    if modules_dir is not None:
        wanted = wanted or list(support.versions_of("maya"))
        folders: Dict[str, str] = {}
        blocks = []
        for version in wanted:
            site_python = python or version.python
            folder = folders.get(site_python)
            if folder is None:
                folder = folders[site_python] = "%s-py%s" % (MODULE_DIR, site_python.replace(".", ""))
                _build_module(modules_dir / folder, version, site_python)
            blocks.append((version.year, folder, site_python))
        return [_write(modules_dir / MOD_FILE, module_text(blocks))]
    if not wanted:
        raise InstallError(_("No Maya version to install into."), _("pass --version 2024 (or --all)"))
    maya_dir = maya_dir or user_maya_dir()
    written = []
    for version in wanted:
        target = maya_dir / str(version.year) / "modules"
        for legacy in _LEGACY_DIRS:
            bundle.remove_dir(target / legacy, APP)
        _build_module(target / MODULE_DIR, version, python)
        written.append(_write(target / MOD_FILE, module_text([(version.year, MODULE_DIR, python or version.python)])))
    return written


def uninstall(versions: Sequence[str], maya_dir: Optional[Path] = None, modules_dir: Optional[Path] = None) -> List[Path]:
    """Remove the module file(s) and folder(s) and the saved shelf."""
    maya_dir = maya_dir or user_maya_dir()
    candidates: List[Path] = []
    if modules_dir is not None:
        candidates.append(modules_dir / MOD_FILE)
        if modules_dir.is_dir():
            candidates += sorted(p for p in modules_dir.iterdir() if p.name.startswith(MODULE_DIR + "-py"))
    for version in versions:
        modules = maya_dir / version / "modules"
        candidates += [modules / MOD_FILE] + [modules / name for name in (MODULE_DIR,) + _LEGACY_DIRS]
        candidates += [modules / (MODULE_DIR + suffix) for suffix in (".old", ".new")]
        candidates.append(maya_dir / version / "prefs" / "shelves" / SHELF_FILE)
    return [path for path in candidates if bundle.remove_dir(path, APP)]


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
    """Install or uninstall; prints what changed, and one line per Python 2 version skipped."""
    maya_dir = user_maya_dir()
    found = find_versions(maya_dir)
    versions: List[str] = list(dict.fromkeys(args.versions + (found if args.all or not args.versions else [])))
    for version in versions:
        if not _VERSION_DIR.match(version):
            raise InstallError(_("%r is not a Maya version.") % version, _("write the year, e.g. --version 2024"))
    versions = [v[:4] for v in versions]
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
    skipped = [v for v in versions if support.is_python2("maya", int(v))]
    for version in skipped:
        print(support.python2_message("maya", int(version)))
    versions = [v for v in versions if v not in skipped]
    if skipped and not versions:
        return 1
    for path in install(versions, maya_dir, args.modules_dir):
        print(_("wrote %s") % path)
    print(_("Restart Maya %s: the Renderbus shelf and menu appear at start-up.") % ", ".join(versions) if versions
          else _("Restart Maya: the Renderbus shelf and menu appear at start-up."))
    return 0
