"""3ds Max: add the Renderbus menu through each version's user startup scripts folder.

``renderbus install max`` writes, for every 3ds Max found under
``%LOCALAPPDATA%\\Autodesk\\3dsMax\\<year> - 64bit\\<language>\\scripts`` (``--version YEAR`` to
choose, repeatable; ``--all`` for all, the default):

- ``renderbus\\`` beside ``startup\\``: that version's own Python folder (renderbus_dcc,
  renderbus_max, and requests, urllib3, idna, charset_normalizer, certifi and Qt.py at versions
  for the Python this 3ds Max runs: see :mod:`renderbus_dcc.install.bundle`); nothing of the
  installing interpreter;
- ``startup\\renderbus_startup.ms``, with that folder written into it: 3ds Max appends it to its
  Python path at start-up (after its own, so its own packages keep precedence).

3ds Max 2021 and earlier run Python 2.7 (or 3.7 beside it) and are skipped with a line saying so.
``--uninstall`` removes both; for 3ds Max 2024 and earlier, whose menus are saved in the user's
menu file, it leaves a one-shot ``renderbus_uninstall.ms`` that takes the menu out at the next
start and deletes itself. ``--scripts-dir DIR`` installs into the startup folder DIR instead of
looking for 3ds Max (its Python folder goes beside DIR); it needs ``--version``.
"""

import argparse
import importlib.util
import logging
import os
import re
from pathlib import Path
from typing import Dict, List, Optional

from renderbus_dcc.errors import InstallError
from renderbus_dcc.i18n import _
from renderbus_dcc.install import bundle, support

__all__ = [
    "STARTUP_NAME", "CLEANUP_NAME", "LIB_DIR", "add_arguments", "run", "find_startup_dirs", "lib_dir",
    "make_lib", "startup_script", "install_into", "uninstall_from",
]

log = logging.getLogger(__name__)

STARTUP_NAME = "renderbus_startup.ms"
CLEANUP_NAME = "renderbus_uninstall.ms"
#: The version's Python folder, beside the startup folder (not in it: 3ds Max runs the scripts there).
LIB_DIR = "renderbus"
APP = "3ds Max"
#: The first 3ds Max with the new menu system (its menus are rebuilt at each start).
FIRST_NEW_MENU_YEAR = 2025
_PATHS_LINE = re.compile(r"^(?P<indent>[ \t]*)global renderbus_python_paths = #\(\).*$", re.MULTILINE)

#: MAXScript run once at the next start of a 3ds Max 2024 or earlier after uninstalling.
CLEANUP_SCRIPT = """-- Renderbus uninstall: take the Renderbus menu out of the saved menus, then delete this script.
(
    local mainBar = menuMan.getMainMenuBar()
    for i = mainBar.numItems() to 1 by -1 do
    (
        local item = mainBar.getItem i
        local sub = item.getSubMenu()
        if sub != undefined and sub.getTitle() == "Renderbus" do mainBar.removeItem item
    )
    local menu = menuMan.findMenu "Renderbus"
    while menu != undefined do
    (
        menuMan.unRegisterMenu menu
        menu = menuMan.findMenu "Renderbus"
    )
    menuMan.updateMenuBar()
    deleteFile (getSourceFileName())
)
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", dest="versions", action="append", metavar="YEAR",
                        help=_("3ds Max version to install into (e.g. 2025); repeat for several"))
    parser.add_argument("--all", action="store_true", help=_("every 3ds Max found (the default)"))
    parser.add_argument("--uninstall", action="store_true", help=_("remove the Renderbus menu instead"))
    parser.add_argument("--scripts-dir", metavar="DIR",
                        help=_("the startup scripts folder to use instead of looking for 3ds Max"))


def find_startup_dirs(local_appdata: Optional[str] = None) -> Dict[int, List[Path]]:
    """year -> the user startup scripts folders (one per language folder) of each 3ds Max found."""
    root = local_appdata if local_appdata is not None else os.environ.get("LOCALAPPDATA", "")
    found: Dict[int, List[Path]] = {}
    base = Path(root) / "Autodesk" / "3dsMax" if root else None
    if base is None or not base.is_dir():
        return found
    for version_dir in sorted(base.iterdir()):
        match = re.match(r"^(\d{4})(?: - 64bit)?$", version_dir.name)
        if not match or not version_dir.is_dir():
            continue
        for language_dir in sorted(version_dir.iterdir()):
            if (language_dir / "scripts").is_dir():
                found.setdefault(int(match.group(1)), []).append(language_dir / "scripts" / "startup")
    return found


def lib_dir(startup_dir: Path) -> Path:
    """Where the Python folder of the 3ds Max whose startup folder is ``startup_dir`` goes."""
    return startup_dir.parent / LIB_DIR


def _package(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin:
        raise InstallError(_("%s is not installed beside renderbus_dcc.") % name, _("reinstall renderbus_dcc"))
    return Path(spec.origin).resolve().parent


def make_lib(startup_dir: Path, python: str) -> Path:
    """(Re)make the Python folder for a 3ds Max running ``python``; returns it."""
    final = lib_dir(startup_dir)
    staging = bundle.staging_dir(final, APP)
    bundle.make_site(staging, python, [_package("renderbus_dcc"), _package("renderbus_max")], extra={"host": "max"})
    return bundle.replace_dir(staging, final, APP)


def _template() -> str:
    package = _package("renderbus_max")
    # a checkout keeps it in max/startup/; a built package carries a copy in _startup/
    candidates = [package.parent.parent / "startup" / STARTUP_NAME, package / "_startup" / STARTUP_NAME]
    for path in candidates:
        if path.is_file():
            return path.read_text(encoding="utf-8-sig")
    raise InstallError(_("The 3ds Max startup script %(file)s is missing (looked in %(folders)s).")
                       % {"file": STARTUP_NAME, "folders": ", ".join(str(p.parent) for p in candidates)},
                       _("reinstall renderbus_dcc"))


def startup_script(paths: List[str]) -> str:
    """The startup script's text with ``paths`` filled in (MAXScript verbatim strings)."""
    for path in paths:
        if '"' in path or "\n" in path:
            raise InstallError(_("A folder name 3ds Max cannot read: %r") % path, _("install from a folder without quotes"))
    template = _template()
    if not _PATHS_LINE.search(template):
        raise InstallError("The startup script template has no renderbus_python_paths line.")

    def fill(match: "re.Match[str]") -> str:
        indent = match.group("indent")
        entries = (",\n" + indent + "    ").join('@"%s"' % p for p in paths)
        return "%sglobal renderbus_python_paths = #(\n%s    %s\n%s)" % (indent, indent, entries, indent)

    return _PATHS_LINE.sub(fill, template, count=1)


def install_into(startup_dir: Path, script: str) -> Path:
    """Write the startup script into ``startup_dir`` (UTF-8 with BOM: 3ds Max reads non-ASCII paths right)."""
    startup_dir.mkdir(parents=True, exist_ok=True)
    cleanup = startup_dir / CLEANUP_NAME
    if cleanup.exists():  # re-installed before the cleanup ran: the menu must stay
        cleanup.unlink()
    target = startup_dir / STARTUP_NAME
    target.write_text(script, encoding="utf-8-sig")
    return target


def uninstall_from(startup_dir: Path, year: Optional[int]) -> List[Path]:
    """Remove the startup script and the Python folder; leave the one-shot menu cleanup for 3ds
    Max 2024 and earlier."""
    changed: List[Path] = []
    target = startup_dir / STARTUP_NAME
    if bundle.remove_dir(target, APP):
        changed.append(target)
    for folder in (lib_dir(startup_dir), lib_dir(startup_dir).with_name(LIB_DIR + ".old"),
                   lib_dir(startup_dir).with_name(LIB_DIR + ".new")):
        if bundle.remove_dir(folder, APP):
            changed.append(folder)
    if year is not None and year < FIRST_NEW_MENU_YEAR and changed:
        cleanup = startup_dir / CLEANUP_NAME
        cleanup.write_text(CLEANUP_SCRIPT, encoding="utf-8-sig")
        changed.append(cleanup)
    return changed


def _targets(args: argparse.Namespace) -> Dict[Optional[int], List[Path]]:
    wanted = [int(v) for v in (args.versions or []) if str(v).strip()]
    if args.scripts_dir:
        if len(wanted) != 1 and not args.uninstall:
            raise InstallError(_("--scripts-dir needs the 3ds Max version it is for."),
                               _("add --version YEAR (each version runs its own Python)"))
        return {wanted[0] if len(wanted) == 1 else None: [Path(args.scripts_dir)]}
    found = find_startup_dirs()
    if not found:
        raise InstallError(
            _("No 3ds Max user folder was found under %%LOCALAPPDATA%%\\Autodesk\\3dsMax (looked in %r).")
            % os.environ.get("LOCALAPPDATA", ""),
            _("start 3ds Max once so it makes its user folders (3ds Max runs on Windows), or pass --scripts-dir"))
    if wanted:
        missing = [y for y in wanted if y not in found]
        if missing:
            raise InstallError(_("3ds Max %(missing)s not found (found: %(found)s).") % {
                "missing": ", ".join(map(str, missing)), "found": ", ".join(map(str, sorted(found)))},
                _("pick one of the versions found with --version, or --all"))
        return {y: found[y] for y in wanted}
    return {y: folders for y, folders in found.items()}  # --all, and the default: every 3ds Max found


def run(args: argparse.Namespace) -> int:
    targets = _targets(args)
    if args.uninstall:
        for year, folders in targets.items():
            label = "3ds Max %s" % year if year else _("the scripts folder")
            for folder in folders:
                changed = uninstall_from(folder, year)
                what = (_("removed %s") % (folder / STARTUP_NAME)) if changed else (_("nothing to remove in %s") % folder)
                print("%s: %s" % (label, what))
        return 0
    skipped = [year for year in targets if year is not None and support.is_python2("max", year)]
    for year in skipped:
        print(support.python2_message("max", year))
    installed = 0
    for year, folders in targets.items():
        if year in skipped or year is None:
            continue
        version = support.host_version("max", year)
        for folder in folders:
            lib = make_lib(folder, version.python)
            script = install_into(folder, startup_script([str(lib)]))
            installed += 1
            print(_("%(where)s: installed %(file)s") % {"where": "3ds Max %d" % year, "file": script})
    return 0 if installed or not skipped else 1
