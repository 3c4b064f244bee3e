"""A host version's own Python folder: the integration and its dependencies for that Python.

Maya and 3ds Max run Python 3.7 to 3.11 (see :mod:`renderbus_dcc.install.support`). Pointing
them at the installing interpreter's site-packages would hand Maya 2022's Python 3.7 a urllib3
written for 3.9+ and another Python's packages besides. So each host version gets a folder of
its own (:func:`make_site`) holding copies of ``renderbus_dcc`` and the host's layer
(``renderbus_maya`` / ``renderbus_max``), and requests, urllib3, idna, charset_normalizer,
certifi and Qt.py unpacked from the pure-Python wheels shipped in ``install/wheels/`` for that
Python (``lock.json`` lists them with their sha256; ``tools/host_wheels.py`` refreshes them).
Nothing is downloaded: it works offline, once the package is installed.

A folder is built beside its final place and swapped in (:func:`replace_dir`), so a failed
install leaves the previous one working.
"""

import hashlib
import json
import logging
import os
import shutil
import sys
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any, Dict, Iterable, List, Optional

from renderbus_dcc.errors import InstallError
from renderbus_dcc.i18n import _

__all__ = ["MANIFEST", "WHEELS_DIR", "lock", "python_set", "wheels_for", "make_site", "replace_dir",
           "remove_dir", "read_manifest", "staging_dir"]

log = logging.getLogger(__name__)

WHEELS_DIR = Path(__file__).resolve().parent / "wheels"
#: What a made folder says about itself (versions, the Python it is for).
MANIFEST = "renderbus_bundle.json"
#: Not copied into a host: caches, the demo's example scene, these wheels, the wheel's host files.
_SKIP = {"__pycache__", "examples", "wheels", "_module", "_startup"}


def lock(wheels_dir: Path = WHEELS_DIR) -> Dict[str, Any]:
    """``lock.json``: {"python": {"3.7": [wheel, ...]}, "sha256": {wheel: digest}}."""
    try:
        return json.loads((wheels_dir / "lock.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InstallError(_("The dependency wheels for Maya and 3ds Max are missing (%s).") % error,
                           _("reinstall renderbus_dcc")) from error


def _version_tuple(python: str) -> tuple:
    return tuple(int(part) for part in python.split(".")[:2])


def python_set(python: str, wheels_dir: Path = WHEELS_DIR) -> str:
    """The Python of the lock whose wheels ``python`` gets: the same, else the nearest older one."""
    known = sorted(lock(wheels_dir)["python"], key=_version_tuple)
    fitting = [p for p in known if _version_tuple(p) <= _version_tuple(python)]
    if not fitting:
        raise InstallError(_("No dependency wheels for Python %(python)s (the oldest is %(oldest)s).")
                           % {"python": python, "oldest": known[0]},
                           _("use a host version that runs Python 3.7 or later"))
    if fitting[-1] != python:
        log.info("no wheels for Python %s; using those for %s", python, fitting[-1])
    return fitting[-1]


def wheels_for(python: str, wheels_dir: Path = WHEELS_DIR) -> List[Path]:
    """The wheels for ``python``, each checked against its sha256 in the lock."""
    data = lock(wheels_dir)
    paths = []
    for name in data["python"][python_set(python, wheels_dir)]:
        path = wheels_dir / name
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as error:
            raise InstallError(_("A dependency wheel is missing: %s.") % path, _("reinstall renderbus_dcc")) from error
        if digest != data["sha256"].get(name):
            raise InstallError(_("A dependency wheel does not match its checksum: %s.") % path,
                               _("reinstall renderbus_dcc"))
        paths.append(path)
    return paths


def _unpack(wheel: Path, site: Path) -> None:
    """Unpack a pure-Python wheel into ``site`` (its ``*.data/purelib`` too; nothing outside ``site``)."""
    with zipfile.ZipFile(str(wheel)) as archive:
        for info in archive.infolist():
            parts = PurePosixPath(info.filename).parts
            if not parts or info.filename.endswith("/") or ".." in parts or info.filename.startswith("/"):
                continue
            if parts[0].endswith(".data"):
                if len(parts) < 3 or parts[1] not in ("purelib", "platlib"):
                    continue  # scripts, headers: nothing a host imports
                parts = parts[2:]
            target = site.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as source, open(str(target), "wb") as out:
                shutil.copyfileobj(source, out)


def _ignore(folder: str, names: List[str]) -> List[str]:
    return [n for n in names if n in _SKIP or n.endswith((".pyc", ".pyo"))]


def make_site(target: Path, python: str, packages: Iterable[Path], extra: Optional[Dict[str, Any]] = None) -> Path:
    """Fill the new folder ``target`` with copies of ``packages`` and the wheels for ``python``.

    ``packages`` are package folders (``.../renderbus_dcc``). Writes :data:`MANIFEST`.
    """
    from renderbus_dcc import __version__

    wheels = wheels_for(python)
    try:
        target.mkdir(parents=True)
        for package in packages:
            shutil.copytree(str(package), str(target / package.name), ignore=_ignore)
        for wheel in wheels:
            _unpack(wheel, target)
        manifest = {"renderbus_dcc": __version__, "python": python, "wheels": [w.name for w in wheels],
                    "made_with": "%d.%d.%d" % sys.version_info[:3]}
        manifest.update(extra or {})
        (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    except OSError as error:
        raise InstallError(_("Cannot write %(file)s: %(error)s") % {"file": target, "error": error},
                           _("check the folder's permissions and free space")) from error
    return target


def read_manifest(site: Path) -> Dict[str, Any]:
    """What :func:`make_site` wrote into ``site`` ({} if nothing readable)."""
    try:
        data = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remove_dir(path: Path, app: str) -> bool:
    """Remove a folder or file if it exists; False if there was nothing."""
    if not os.path.lexists(str(path)):
        return False
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(str(path))
        else:
            path.unlink()
    except OSError as error:
        raise InstallError(_("Cannot remove %(file)s: %(error)s") % {"file": path, "error": error},
                           _("close %s and try again") % app) from error
    return True


def staging_dir(final: Path, app: str) -> Path:
    """An empty folder beside ``final`` to build its replacement in (see :func:`replace_dir`)."""
    staging = final.with_name(final.name + ".new")
    remove_dir(staging, app)  # left by an install that failed half-way
    return staging


def replace_dir(new: Path, final: Path, app: str) -> Path:
    """Put the folder ``new`` in the place of ``final`` (replacing what is there); returns ``final``."""
    old = final.with_name(final.name + ".old")
    try:
        remove_dir(old, app)
        if final.exists():
            final.rename(old)
        new.rename(final)
    except OSError as error:
        raise InstallError(_("Cannot replace %(file)s: %(error)s") % {"file": final, "error": error},
                           _("close %s and try again") % app) from error
    try:
        remove_dir(old, app)
    except InstallError:  # a file still open (Windows): the next install removes it
        log.warning("could not remove %s yet", old)
    return final
