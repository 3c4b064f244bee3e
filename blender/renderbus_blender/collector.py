"""Gathering the files a render needs: resolving Blender paths, once each, with their owners.

The scene walk (:mod:`.analysis`) and the cache walk (:mod:`.caches`) add to one
:class:`Collector`. An owner is the Python path of the data-block (or its part) that points at
the file, as Blender's Python console shows it: ``bpy.data.images['wood']``,
``bpy.data.objects['Flag'].modifiers['Cloth']``. Main thread only (it reads bpy).
"""

import os
import re
from typing import List, Optional, Set, Tuple

import bpy

from renderbus_dcc.scene import Asset

__all__ = ["Collector", "quote", "owner_of", "sequence_files", "blend_dir_of"]

_DIGITS_AT_END = re.compile(r"^(.*?)(\d+)(\D*)$")


class Collector:
    """Gathers assets, resolving Blender paths (``//`` relative to the .blend or its library).

    Files of Blender's own installation (bundled brush assets, fonts) are not assets: the
    farm's Blender has them."""

    def __init__(self) -> None:
        self.assets: List[Asset] = []
        self._seen: Set[str] = set()
        self._builtin = tuple(
            os.path.normcase(os.path.normpath(p)) + os.sep
            for p in {bpy.utils.resource_path("LOCAL"), bpy.utils.resource_path("SYSTEM")}
            if p
        )

    def resolve(self, path: str, idblock: Optional["bpy.types.ID"] = None) -> str:
        """``path`` made absolute: ``//`` is the folder of ``idblock``'s library, else of the .blend."""
        library = getattr(idblock, "library", None)
        absolute = bpy.path.abspath(path, library=library) if library is not None else bpy.path.abspath(path)
        return os.path.normpath(absolute) if absolute else ""

    def add(self, path: str, idblock: Optional["bpy.types.ID"], kind: str, owner: str,
            frames: Optional[List[int]] = None) -> None:
        """One file (``path`` as Blender stores it), unless already listed or Blender's own."""
        if not path:
            return
        resolved = self.resolve(path, idblock)
        key = os.path.normcase(resolved)
        if not resolved or key in self._seen or key.startswith(self._builtin):
            return
        self._seen.add(key)
        self.assets.append(Asset(path=resolved, owner=owner, kind=kind, frames=frames))

    def add_maybe_sequence(self, path: str, idblock: "bpy.types.ID", kind: str, owner: str, sequence: bool) -> None:
        """A file, or every file on disk of the numbered sequence ``path`` is one frame of."""
        if not sequence:
            self.add(path, idblock, kind, owner)
            return
        files = sequence_files(self.resolve(path, idblock))
        for frame, file in files:
            self.add(file, None, kind, owner, [frame])
        if not files:
            self.add(path, idblock, kind, owner)

    def add_tree(self, folder: str, kind: str, owner: str) -> None:
        """Every file under the absolute ``folder`` (none if it does not exist)."""
        if not os.path.isdir(folder):
            return
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                self.add(os.path.join(root, name), None, kind, owner)

    def seen(self, resolved: str) -> bool:
        return os.path.normcase(os.path.normpath(resolved)) in self._seen


def quote(name: str) -> str:
    """A data-block name quoted as Python shows it in an owner string."""
    return "'%s'" % name.replace("\\", "\\\\").replace("'", "\\'")


def owner_of(collection: str, idblock: "bpy.types.ID") -> str:
    """``bpy.data.<collection>['name']``; a linked data-block with its library's path."""
    owner = "bpy.data.%s[%s]" % (collection, quote(idblock.name))
    if getattr(idblock, "library", None) is not None:
        owner = "bpy.data.%s[(%s, %s)]" % (collection, quote(idblock.name), quote(idblock.library.filepath))
    return owner


def blend_dir_of(idblock: Optional["bpy.types.ID"]) -> Tuple[str, str]:
    """(folder, file name without ``.blend``) of the .blend ``idblock`` comes from: its library's
    for linked data, else the open file's (``("", "")`` for a file never saved)."""
    library = getattr(idblock, "library", None)
    path = bpy.path.abspath(library.filepath, library=library.parent) if library is not None else bpy.data.filepath
    if not path:
        return "", ""
    folder, name = os.path.split(os.path.normpath(path))
    return folder, os.path.splitext(name)[0]


def sequence_files(path: str) -> List[Tuple[int, str]]:
    """(frame, file) of every file on disk numbered like ``path`` (same folder, prefix, suffix)."""
    folder, name = os.path.split(path)
    match = _DIGITS_AT_END.match(os.path.splitext(name)[0])
    if not match:
        return []
    ext = os.path.splitext(name)[1]
    prefix, digits = match.group(1), match.group(2)
    pattern = re.compile(re.escape(prefix) + r"(\d+)" + re.escape(match.group(3) + ext) + "$")
    found = []
    try:
        entries = list(os.scandir(folder or "."))
    except OSError:
        return []
    for entry in entries:
        m = pattern.match(entry.name)
        if m and (len(m.group(1)) == len(digits) or not digits.startswith("0")) and entry.is_file():
            found.append((int(m.group(1)), entry.path))
    return sorted(found)
