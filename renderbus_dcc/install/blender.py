"""Install the Renderbus add-on into Blender, or build its extension zip.

``renderbus install blender [--version 4.2 ...] [--all] [--blender PATH] [--zip-only OUT] [--uninstall]``

The zip is a Blender extension (``blender_manifest.toml`` at its root, Blender 4.2+) holding the
add-on ``renderbus_blender`` and the core as a pure-Python wheel (``wheels/renderbus_dcc-*.whl``,
listed in the manifest, so Blender installs it; ``requests`` comes with Blender). The add-on
also imports the core straight from that wheel file when Blender has not installed it (a
legacy install, or files copied by hand), so one layout serves both.

Where it goes, per Blender version folder ``<ver>`` of the user's Blender folder
(``$XDG_CONFIG_HOME/blender`` or ``~/.config/blender`` on Linux,
``~/Library/Application Support/Blender`` on macOS, ``%APPDATA%/Blender Foundation/Blender`` on
Windows; ``BLENDER_USER_RESOURCES`` replaces ``<ver>``, ``BLENDER_USER_CONFIG`` names
``<ver>/config``):
- Blender 4.2+: the extension, unpacked, in ``<ver>/extensions/user_default/renderbus``
  (``BLENDER_USER_EXTENSIONS`` replaces ``<ver>/extensions``); module ``bl_ext.user_default.renderbus``.
- older Blender: the legacy add-on in ``<ver>/scripts/addons/renderbus_blender``
  (``BLENDER_USER_SCRIPTS`` replaces ``<ver>/scripts``); module ``renderbus_blender``.
Enabling means adding the module to Blender's user preferences: done by running the Blender
found (``--blender``, or ``blender`` on PATH, when its version matches) in the background;
without one, the command says where to tick the add-on (Preferences > Add-ons > Renderbus).
"""

import argparse
import base64
import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence, Set, Tuple

import renderbus_dcc
from renderbus_dcc.errors import InstallError
from renderbus_dcc.i18n import _

__all__ = [
    "ADDON_PACKAGE", "EXTENSION_ID", "addon_source_dir", "build_wheel", "build_zip", "user_blender_dir",
    "find_versions", "install_dir", "module_name", "enable_expr", "install", "uninstall", "add_arguments", "run",
]

ADDON_PACKAGE = "renderbus_blender"
EXTENSION_ID = "renderbus"
EXTENSION_REPO = "user_default"
FIRST_EXTENSION_VERSION = (4, 2)
_VERSION_DIR = re.compile(r"^(\d+)\.(\d+)$")
_SKIP = re.compile(r"(__pycache__|\.pyc$|\.pyo$|\.orig$|~$)")


# --- what is installed ----------------------------------------------------------------------


def addon_source_dir() -> Path:
    """The add-on package folder (``blender/renderbus_blender`` of a checkout, or installed)."""
    spec = importlib.util.find_spec(ADDON_PACKAGE)
    if spec is not None and spec.origin:
        return Path(spec.origin).parent
    checkout = Path(renderbus_dcc.__file__).resolve().parents[1] / "blender" / ADDON_PACKAGE
    if (checkout / "__init__.py").is_file():
        return checkout
    raise InstallError(_("the Blender add-on (%s) is not installed with renderbus_dcc") % ADDON_PACKAGE,
                       _("reinstall renderbus_dcc (pip install renderbus_dcc)"))


def _files(root: Path) -> List[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not _SKIP.search(p.as_posix()))


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


def wheel_name() -> str:
    return "renderbus_dcc-%s-py3-none-any.whl" % renderbus_dcc.__version__


def build_wheel(out_dir: Path) -> Path:
    """A pure-Python wheel of the installed ``renderbus_dcc`` package, in ``out_dir``."""
    package = Path(renderbus_dcc.__file__).resolve().parent
    version = renderbus_dcc.__version__
    dist_info = "renderbus_dcc-%s.dist-info" % version
    entries: List[Tuple[str, bytes]] = [
        ("renderbus_dcc/" + p.relative_to(package).as_posix(), p.read_bytes()) for p in _files(package)]
    entries.append(("%s/METADATA" % dist_info, (
        "Metadata-Version: 2.1\nName: renderbus_dcc\nVersion: %s\n"
        "Summary: Renderbus render farm integration (core, bundled with the Blender add-on)\n"
        "Requires-Python: >=3.9\nRequires-Dist: requests>=2.25\n" % version).encode()))
    entries.append(("%s/WHEEL" % dist_info, (
        "Wheel-Version: 1.0\nGenerator: renderbus_dcc.install.blender\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n").encode()))
    record = "".join("%s,%s,%d\n" % (name, _record_hash(data), len(data)) for name, data in entries)
    record += "%s/RECORD,,\n" % dist_info
    entries.append(("%s/RECORD" % dist_info, record.encode()))
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / wheel_name()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as whl:
        for name, data in entries:
            whl.writestr(name, data)
    return path


def _manifest_with_wheel(text: str) -> str:
    line = 'wheels = ["./wheels/%s"]' % wheel_name()
    text = re.sub(r"(?m)^#?\s*wheels\s*=.*$", line, text, count=1)
    if line not in text:
        text = text.replace("\n[permissions]", "\n%s\n\n[permissions]" % line, 1)
    return text


def build_zip(out: Path) -> Path:
    """The extension zip (add-on + manifest naming the core's wheel). ``out``: a file or a folder."""
    out = Path(out)
    if out.suffix.lower() != ".zip":
        out = out / ("%s-%s.zip" % (EXTENSION_ID, renderbus_dcc.__version__))
    source = addon_source_dir()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel(Path(tmp))
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in _files(source):
                rel = path.relative_to(source).as_posix()
                if rel.startswith("wheels/"):
                    continue
                if rel == "blender_manifest.toml":
                    archive.writestr(rel, _manifest_with_wheel(path.read_text(encoding="utf-8")))
                else:
                    archive.write(path, rel)
            archive.write(wheel, "wheels/" + wheel.name)
    return out


# --- where it goes --------------------------------------------------------------------------


def user_blender_dir(environ: Optional[Mapping[str, str]] = None, platform: Optional[str] = None,
                     home: Optional[Path] = None) -> Path:
    """The user's Blender folder (holding one folder per version, like ``4.2``)."""
    environ = os.environ if environ is None else environ
    platform = platform or sys.platform
    home = home or Path.home()
    if platform.startswith("win"):
        return Path(environ.get("APPDATA") or home / "AppData" / "Roaming") / "Blender Foundation" / "Blender"
    if platform == "darwin":
        return home / "Library" / "Application Support" / "Blender"
    return Path(environ.get("XDG_CONFIG_HOME") or home / ".config") / "blender"


def _parse_version(text: str) -> Tuple[int, int]:
    match = re.match(r"^\s*(\d+)\.(\d+)", str(text))
    if not match:
        raise InstallError(_("%r is not a Blender version") % text, _("write versions like 4.2 or 3.6"))
    return int(match.group(1)), int(match.group(2))


def find_versions(environ: Optional[Mapping[str, str]] = None, base: Optional[Path] = None) -> List[str]:
    """Blender versions with a user folder (``BLENDER_USER_CONFIG``'s one included), oldest first."""
    environ = os.environ if environ is None else environ
    base = base or user_blender_dir(environ)
    found: Set[str] = set()
    if base.is_dir():
        found.update(p.name for p in base.iterdir() if p.is_dir() and _VERSION_DIR.match(p.name))
    config = environ.get("BLENDER_USER_CONFIG")
    if config and _VERSION_DIR.match(Path(config).parent.name):
        found.add(Path(config).parent.name)
    return sorted(found, key=_parse_version)


def _version_root(version: str, environ: Mapping[str, str], base: Path) -> Path:
    if environ.get("BLENDER_USER_RESOURCES"):
        return Path(environ["BLENDER_USER_RESOURCES"])
    config = environ.get("BLENDER_USER_CONFIG")
    if config and Path(config).parent.name == version:
        return Path(config).parent
    return base / version


def is_extension(version: str) -> bool:
    return _parse_version(version) >= FIRST_EXTENSION_VERSION


def install_dir(version: str, environ: Optional[Mapping[str, str]] = None, base: Optional[Path] = None) -> Path:
    """Where the add-on goes for Blender ``version``."""
    environ = os.environ if environ is None else environ
    base = base or user_blender_dir(environ)
    root = _version_root(version, environ, base)
    if is_extension(version):
        extensions = Path(environ["BLENDER_USER_EXTENSIONS"]) if environ.get("BLENDER_USER_EXTENSIONS") else root / "extensions"
        return extensions / EXTENSION_REPO / EXTENSION_ID
    scripts = Path(environ["BLENDER_USER_SCRIPTS"]) if environ.get("BLENDER_USER_SCRIPTS") else root / "scripts"
    return scripts / "addons" / ADDON_PACKAGE


def module_name(version: str) -> str:
    """The module Blender enables: ``bl_ext.user_default.renderbus`` (4.2+) or ``renderbus_blender``."""
    return "bl_ext.%s.%s" % (EXTENSION_REPO, EXTENSION_ID) if is_extension(version) else ADDON_PACKAGE


def enable_expr(version: str, archive: Optional[Path] = None) -> str:
    """Python for ``blender --background --python-expr``: enable the add-on, save the preferences.

    For Blender 4.2+ with the zip at hand, Blender's own extension installer does it (it also
    installs the core's wheel into the extensions' site-packages)."""
    if archive is not None and is_extension(version):
        step = ("bpy.ops.extensions.package_install_files(filepath=%r, repo=%r, enable_on_install=True)\n"
                % (str(archive), EXTENSION_REPO))
    else:
        step = "addon_utils.enable(%r, default_set=True, persistent=True)\n" % module_name(version)
    return ("import bpy, addon_utils\n" + step
            + "bpy.context.preferences.is_dirty = True\n"
            "bpy.ops.wm.save_userpref()\n"
            "print('renderbus: enabled', %r in bpy.context.preferences.addons)\n" % module_name(version))


# --- doing it -------------------------------------------------------------------------------


def _unpack(zip_path: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(str(target))
    target.mkdir(parents=True)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(str(target))


def _blender_version(binary: str) -> Optional[str]:
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=120).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"Blender (\d+\.\d+)", out)
    return match.group(1) if match else None


def _enable(binary: str, version: str, archive: Path) -> Tuple[bool, str]:
    try:
        run = subprocess.run([binary, "--background", "--python-expr", enable_expr(version, archive)],
                             capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        return False, str(exc)
    return run.returncode == 0 and "renderbus: enabled True" in run.stdout, (run.stderr or run.stdout)[-500:]


def install(versions: Sequence[str], blender: Optional[str] = None, environ: Optional[Mapping[str, str]] = None,
            base: Optional[Path] = None, out=print) -> Dict[str, Path]:
    """Install (and enable where a matching Blender binary is found) for each version."""
    environ = os.environ if environ is None else environ
    binary = blender or shutil.which("blender")
    binary_version = _blender_version(binary) if binary else None
    done: Dict[str, Path] = {}
    with tempfile.TemporaryDirectory() as tmp:
        archive = build_zip(Path(tmp))
        for version in versions:
            _parse_version(version)
            target = install_dir(version, environ, base)
            _unpack(archive, target)
            if not is_extension(version):
                (target / "blender_manifest.toml").unlink()  # a legacy add-on: bl_info speaks
            done[version] = target
            out(_("Blender %(version)s: installed %(name)s in %(folder)s") % {"version": version, "name": module_name(version), "folder": target})
            if binary and binary_version == version:
                ok, log = _enable(binary, version, archive)
                out("  " + (_("enabled with %s") % binary if ok else _("could not enable it with %(program)s: %(log)s") % {"program": binary, "log": log}))
            else:
                out("  " + _('to enable it: open Blender %s, Edit > Preferences > Add-ons, tick "Renderbus"') % version)
    return done


def uninstall(versions: Sequence[str], environ: Optional[Mapping[str, str]] = None, base: Optional[Path] = None,
              out=print) -> List[Path]:
    removed = []
    for version in versions:
        target = install_dir(version, environ, base)
        if target.exists():
            shutil.rmtree(str(target))
            removed.append(target)
            out(_("Blender %(version)s: removed %(folder)s") % {"version": version, "folder": target})
    return removed


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", dest="versions", action="append", metavar="X.Y",
                        help=_("Blender version to install for (repeat for several); default: the newest found"))
    parser.add_argument("--all", action="store_true", help=_("install for every Blender version found"))
    parser.add_argument("--blender", metavar="PATH", help=_("the Blender program used to enable the add-on"))
    parser.add_argument("--zip-only", metavar="OUT", help=_("only build the extension zip (a .zip path or a folder)"))
    parser.add_argument("--uninstall", action="store_true", help=_("remove the add-on instead"))


def run(args: argparse.Namespace) -> int:
    if args.zip_only:
        print(build_zip(Path(args.zip_only)))
        return 0
    found = find_versions()
    if args.versions:
        versions = list(dict.fromkeys(args.versions))
    elif args.all:
        versions = found
    else:
        versions = found[-1:]
    if not versions:
        raise InstallError(_("no Blender version found in %s") % user_blender_dir(),
                           _("name one with --version 4.2 (run that Blender once first, or it is made now)"))
    if args.uninstall:
        uninstall(versions)
    else:
        install(versions, blender=args.blender)
    return 0
