"""Asset collection: from the paths a scene names to the files the farm needs.

``collect_assets(scene)`` turns every :class:`~renderbus_dcc.scene.Asset` into real files:

- Relative paths are resolved against ``scene.project_dir``, then the scene file's folder.
- UDIM tokens in a file name expand to every tile on disk: ``<UDIM>``/``<udim>`` (any case),
  ``$UDIM``, ``%(UDIM)d``, Mudbox/Maya ``<UVTILE>`` (``u1_v1``) and ``<U>``/``<V>``, Arnold's
  ``<tile>`` (``_u1_v1``) and ``<utile>``/``<vtile>``. Arnold's ``<attr:name>`` (a per-object
  value, ``<attr:name default:value>`` too) expands to every file on disk the rest of the name
  matches. A literal
  tile (``wood.1001.exr``) is a single file unless the host marks it as a UDIM set: hosts
  that know (Maya's uvTilingMode, Blender's tiled images) pass it through :func:`mark_udim`,
  which writes the ``<UDIM>`` token. (A literal ``1001`` is far too often frame 1001 of a
  sequence to be guessed.)
- Frame tokens in a file name expand to the frames on disk: ``####`` (padding = count),
  ``%04d``/``%d``, ``<f>``/``<f4>``, ``<frame>``/``<frame04>``, ``$F``/``$F4``. When the host
  knows the frames read (``Asset.frames``), exactly those files are taken and missing frames
  are reported.
- A path naming an existing file is taken as it is, even if it contains ``#`` or ``%``.
- A path naming a folder brings every file below it (caches, proxies, groom folders).
- Tokens are recognised in the file name only, not in folder names.

Each folder is listed once (``os.scandir``) and sizes and modification times come from its
entries, so 10,000 textures cost one listing per folder and one stat per file (a submission
stats no file again: see :func:`renderbus_dcc.submission.submit`). Missing files are reported
as :class:`MissingAsset` with a reason and never stop the collection. Files are deduplicated
(Windows paths ignoring case); the scene file is md5-hashed in chunks (only the scene file).
"""

import bisect
import hashlib
import logging
import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from typing import Dict, Iterable, Iterator, List, Optional, Set, Tuple, Union

from renderbus_dcc import paths
from renderbus_dcc.frames import format_frames
from renderbus_dcc.scene import Asset, SceneDescription
from renderbus_dcc.i18n import _

__all__ = [
    "ResolvedFile",
    "MissingAsset",
    "AssetCollection",
    "collect_assets",
    "md5_file",
    "mark_udim",
]

log = logging.getLogger(__name__)

_TOKEN = re.compile(
    r"""
    (?P<udim><udim>|\$UDIM|%\(UDIM\)d)
  | (?P<uvtile><uvtile>)
  | (?P<tile><tile>)
  | (?P<utile><[uv]tile>)
  | (?P<attr><attr:[^>]*>)
  | (?P<uv><[uv]>)
  | (?P<hash>\#+)
  | %0?(?P<printf>\d*)d
  | <f(?P<angle>\d*)>
  | <frame(?P<frame>\d*)>
  | \$F(?P<houdini>\d*)(?![A-Za-z_])
    """,
    re.IGNORECASE | re.VERBOSE,
)
_TOKEN_CHARS = ("#", "%", "$", "<")
_LITERAL_TILE = re.compile(r"(?<!\d)(1\d{3})(?!\d)")
_CHUNK = 1 << 20


@dataclass
class ResolvedFile:
    """A file found on disk: its local path, its path on the farm, its size in bytes."""

    local: str
    server: str
    size: int
    owner: str
    kind: str
    md5: str = ""  #: only for the scene file
    mtime_ns: int = 0  #: its modification time when collected (0: not known)


@dataclass
class MissingAsset:
    """An asset whose file(s) could not be found; ``reason`` says what was looked for."""

    path: str  #: as the scene names it
    resolved: str  #: where it was looked for ("" if it could not be resolved)
    owner: str
    kind: str
    reason: str


@dataclass
class AssetCollection:
    """The scene file and every asset file the farm needs, plus what is missing."""

    files: List[ResolvedFile] = field(default_factory=list)
    missing: List[MissingAsset] = field(default_factory=list)
    scene_file: Optional[ResolvedFile] = None
    total_bytes: int = 0


def md5_file(path: str, chunk_size: int = _CHUNK) -> str:
    """The hex md5 of a file, read in chunks (memory stays flat for multi-GB scenes)."""
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(chunk_size), b""):
            digest.update(block)
    return digest.hexdigest()


def mark_udim(path: str) -> str:
    """Turn a literal tile in the file name into ``<UDIM>``: ``wood.1001.exr`` -> ``wood.<UDIM>.exr``.

    For hosts that know a texture is a UDIM set. The last 1001-1999 number of the name is
    taken; a path without one is returned unchanged.
    """
    head, sep, name = path.replace("\\", "/").rpartition("/") if paths.is_windows_path(path) else path.rpartition("/")
    matches = list(_LITERAL_TILE.finditer(name))
    if not matches:
        return path
    last = matches[-1]
    name = name[: last.start()] + "<UDIM>" + name[last.end():]
    return head + sep + name


# -- folder listings --------------------------------------------------------------------------


def _case_insensitive() -> bool:
    return os.name == "nt" or sys.platform == "darwin"


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


class _Folder:
    """One folder's listing: entries by name, sorted keys for prefix search."""

    def __init__(self, entries: Dict[str, "os.DirEntry[str]"], fold: bool) -> None:
        self.entries = entries
        self.fold = fold
        if fold:
            self.by_key = {_fold(name): name for name in entries}
        else:
            self.by_key = {name: name for name in entries}
        self._keys: Optional[List[str]] = None

    def get(self, name: str) -> Optional["os.DirEntry[str]"]:
        entry = self.entries.get(name)
        if entry is None and self.fold:
            real = self.by_key.get(_fold(name))
            entry = self.entries.get(real) if real is not None else None
        return entry

    def starting_with(self, prefix: str) -> Iterable[str]:
        """Names that start with ``prefix`` (case-folded where the OS ignores case)."""
        if self._keys is None:
            self._keys = sorted(self.by_key)
        key = _fold(prefix) if self.fold else prefix
        i = bisect.bisect_left(self._keys, key)
        while i < len(self._keys) and self._keys[i].startswith(key):
            yield self.by_key[self._keys[i]]
            i += 1


class _Listings:
    """Folder listings, each read once per collection."""

    def __init__(self) -> None:
        self.fold = _case_insensitive()
        self._folders: Dict[str, Tuple[Optional[_Folder], str]] = {}

    def folder(self, path: str) -> Tuple[Optional[_Folder], str]:
        """(listing, "") or (None, why it could not be read)."""
        cached = self._folders.get(path)
        if cached is not None:
            return cached
        try:
            with os.scandir(path or ".") as it:
                result: Tuple[Optional[_Folder], str] = (_Folder({e.name: e for e in it}, self.fold), "")
        except FileNotFoundError:
            result = (None, _('folder "%s" does not exist') % path)
        except NotADirectoryError:
            result = (None, _('"%s" is a file, not a folder') % path)
        except PermissionError:
            result = (None, _('folder "%s" cannot be read (permission denied)') % path)
        except OSError as error:
            result = (None, _('folder "%(folder)s" cannot be read (%(error)s)') % {"folder": path, "error": error.strerror or error})
        self._folders[path] = result
        return result


def _join(folder: str, name: str) -> str:
    return folder + name if folder.endswith("/") else folder + "/" + name


def _stat(entry: "os.DirEntry[str]") -> Optional[os.stat_result]:
    """The ``os.stat`` of a file entry; None if it is not a (readable) file."""
    try:
        if not entry.is_file():
            return None
        return entry.stat()
    except OSError:
        return None


def _walk(folder: str, listings: _Listings, out: List[Tuple[str, os.stat_result]]) -> None:
    """Every file below ``folder`` (symlinked folders are not followed: no loops)."""
    listing, _why = listings.folder(folder)
    if listing is None:
        return
    for name in sorted(listing.entries):
        entry = listing.entries[name]
        path = _join(folder, name)
        try:
            if entry.is_dir(follow_symlinks=False):
                _walk(path, listings, out)
                continue
        except OSError:
            continue
        stat = _stat(entry)
        if stat is not None:
            out.append((path, stat))


# -- patterns ---------------------------------------------------------------------------------


class _Pattern:
    """A file name with tokens, compiled into a regex over folder entries."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.has_frame = False
        self.has_udim = False
        self._pieces: List[Union[str, int]] = []  # literal text, or a frame token's padding
        regex: List[str] = []
        pos = 0
        for match in _TOKEN.finditer(name):
            literal = name[pos: match.start()]
            regex.append(re.escape(literal))
            self._pieces.append(literal)
            pos = match.end()
            kind = match.lastgroup or ""
            if kind == "udim":
                regex.append("(?P=udim)" if self.has_udim else r"(?P<udim>\d{4})")
                self.has_udim = True
            elif kind == "uvtile":
                regex.append(r"[uU]\d+_[vV]\d+")
                self.has_udim = True
            elif kind in ("uv", "utile"):
                regex.append(r"\d+")
                self.has_udim = True
            elif kind == "tile":  # Arnold: _u<U>_v<V>, counted from 1
                regex.append(r"_[uU]\d+_[vV]\d+")
                self.has_udim = True
            elif kind == "attr":  # Arnold: a value per object, read at render time
                regex.append(r"[^/\\]+?")
                self.has_udim = True
            else:  # a frame token; "#" and "%d" mean no padding
                width = len(match.group("hash")) if kind == "hash" else int(match.group(kind) or 0)
                width = 0 if width == 1 and kind == "hash" else width
                regex.append("(?P=frame)" if self.has_frame else r"(?P<frame>-?\d{%d,})" % max(width, 1))
                self.has_frame = True
                self._pieces.append(width)
        first = _TOKEN.search(name)
        self.prefix = name[: first.start()] if first else name  #: the literal text before the first token
        regex.append(re.escape(name[pos:]))
        self._pieces.append(name[pos:])
        self.regex = re.compile("".join(regex) + r"\Z", re.IGNORECASE if _case_insensitive() else 0)

    def name_for(self, frame: int) -> str:
        """The file name of one frame (for patterns with frame tokens and no UDIM token)."""
        return "".join(p if isinstance(p, str) else ("%0*d" % (p, frame) if p else str(frame)) for p in self._pieces)


def _expand(folder: str, pattern: _Pattern, frames: Optional[List[int]], listing: _Folder) -> Tuple[List[Tuple[str, os.stat_result]], str]:
    """Files of a token pattern in one folder listing, and a reason if some are missing."""
    found: List[Tuple[str, os.stat_result]] = []
    wanted: Optional[Set[int]] = set(frames) if (frames and pattern.has_frame) else None
    seen_frames: Set[int] = set()
    if wanted is not None and not pattern.has_udim:
        for frame in sorted(wanted):
            entry = listing.get(pattern.name_for(frame))
            stat = _stat(entry) if entry is not None else None
            if entry is not None and stat is not None:
                found.append((_join(folder, entry.name), stat))
                seen_frames.add(frame)
    else:
        for name in listing.starting_with(pattern.prefix):
            match = pattern.regex.match(name)
            if match is None:
                continue
            if pattern.has_frame:
                frame = int(match.group("frame"))
                if wanted is not None and frame not in wanted:
                    continue
                seen_frames.add(frame)
            stat = _stat(listing.entries[name])
            if stat is not None:
                found.append((_join(folder, name), stat))
    what = _("UDIM tiles") if pattern.has_udim and not pattern.has_frame else _("frames")
    if not found:
        if wanted is not None:
            return found, _("none of the %(count)d frames (%(frames)s) found in %(folder)s") % {"count": len(wanted), "frames": format_frames(wanted), "folder": folder}
        return found, _("no %(what)s matching %(name)s found in %(folder)s") % {"what": what, "name": pattern.name, "folder": folder}
    if wanted is not None and len(seen_frames) < len(wanted):
        lost = sorted(wanted - seen_frames)
        return found, _("%(missing)d of %(count)d frames missing: %(frames)s") % {"missing": len(lost), "count": len(wanted), "frames": format_frames(lost)}
    return found, ""


def _find(local: str, asset: Asset, listings: _Listings) -> Tuple[List[Tuple[str, os.stat_result]], str]:
    """The files an absolute path stands for, and a reason when some or all are missing."""
    folder, _sep, name = local.rpartition("/")  # local is normalised: "/" separators
    if folder in ("", "//") or (len(folder) == 2 and folder[1] == ":"):
        folder += "/"
    if not name:  # never walk a whole drive
        return [], _("%s is the root of a drive, not a file or folder of the scene") % local
    listing, why = listings.folder(folder)
    if listing is None:
        return [], why
    entry = listing.get(name)
    if entry is not None:
        stat = _stat(entry)
        if stat is not None:
            return [(_join(folder, entry.name), stat)], ""
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            out: List[Tuple[str, os.stat_result]] = []
            _walk(_join(folder, entry.name), listings, out)
            return out, "" if out else _("folder %s holds no files") % local
        return [], _("%s is not a regular file") % local
    if any(c in name for c in _TOKEN_CHARS) and _TOKEN.search(name):
        return _expand(folder, _Pattern(name), asset.frames, listing)
    return [], _("file not found: %s") % local


def _bases(scene: SceneDescription) -> List[str]:
    """Folders a relative asset path is looked up in: the project, then the scene file's folder."""
    out: List[str] = []
    for base in (scene.project_dir, paths.dirname(scene.scene_file) if scene.scene_file else ""):
        if base and paths.is_absolute(base) and paths.normalise(base) not in out:
            out.append(paths.normalise(base))
    return out


def _candidates(path: str, bases: List[str]) -> Iterator[str]:
    """Where a path may be: itself if absolute; else under each base folder (made when asked)."""
    if paths.is_absolute(path):
        yield paths.normalise(path)
        return
    made: List[str] = []
    for base in bases:
        candidate = paths.join(base, path)
        if candidate not in made:
            made.append(candidate)
            yield candidate


def _add_owner(owners: Dict[int, Dict[str, None]], item: object, owner: str) -> None:
    """Remember one more owner of a file or missing asset (set on the item at the end)."""
    if owner:
        owners.setdefault(id(item), {})[owner] = None


def collect_assets(scene: SceneDescription, hash_scene: bool = True) -> AssetCollection:
    """Find every file ``scene`` needs; see the module doc. Never raises for missing files."""
    listings = _Listings()
    collection = AssetCollection()
    by_key: Dict[str, ResolvedFile] = {}
    missing_by_key: Dict[Tuple[str, str], MissingAsset] = {}
    owners: Dict[int, Dict[str, None]] = {}
    bases = _bases(scene)

    if scene.scene_file:
        local = paths.normalise(scene.scene_file)
        try:
            stat = os.stat(local)
        except OSError:
            collection.missing.append(
                MissingAsset(scene.scene_file, local, "scene", "scene", _("the scene file does not exist: %s") % local)
            )
        else:
            server = paths.to_server_path(local) if paths.is_absolute(local) else ""
            md5 = md5_file(local) if hash_scene else ""
            collection.scene_file = ResolvedFile(local, server, stat.st_size, "scene", "scene", md5, stat.st_mtime_ns)
            by_key[paths.path_key(local)] = collection.scene_file

    for asset in scene.assets:
        path = asset.path or ""
        if not path.strip():
            continue  # an empty file attribute: nothing to send
        found: List[Tuple[str, os.stat_result]] = []
        reason = ""
        tried: List[str] = []
        for candidate in _candidates(path, bases):
            tried.append(candidate)
            found, why = _find(candidate, asset, listings)
            if len(tried) == 1 or found:
                reason = why
            if found:
                break
        if not tried:
            reason = _("the path is relative and the scene has neither a project folder nor a saved file to resolve it against")
        elif not found and len(tried) > 1:
            reason += _(" (nor beside the scene: %s)") % tried[1]
        windows = bool(tried) and paths.is_windows_path(tried[-1])
        for local, stat in found:
            key = local.lower() if windows else local
            known = by_key.get(key)
            if known is not None:
                if known is not collection.scene_file:
                    _add_owner(owners, known, asset.owner)
                continue
            resolved = ResolvedFile(local, paths.to_server_path(local), stat.st_size, asset.owner, asset.kind,
                                    mtime_ns=stat.st_mtime_ns)
            by_key[key] = resolved
            collection.files.append(resolved)
            _add_owner(owners, resolved, asset.owner)
        if reason:
            resolved_path = tried[0] if tried else ""
            mkey = (paths.path_key(resolved_path) if resolved_path else path, reason)
            known_missing = missing_by_key.get(mkey)
            if known_missing is not None:
                _add_owner(owners, known_missing, asset.owner)
                continue
            item = MissingAsset(path, resolved_path, asset.owner, asset.kind, reason)
            missing_by_key[mkey] = item
            collection.missing.append(item)
            _add_owner(owners, item, asset.owner)

    entries: List[Union[ResolvedFile, MissingAsset]] = [*collection.files, *collection.missing]
    for entry in entries:
        names = owners.get(id(entry))
        if names and len(names) > 1:
            entry.owner = ", ".join(names)

    collection.total_bytes = sum(f.size for f in collection.files) + (
        collection.scene_file.size if collection.scene_file else 0
    )
    log.debug(
        "collected %d files (%d bytes), %d missing, %d folders listed",
        len(collection.files), collection.total_bytes, len(collection.missing), len(listings._folders),
    )
    return collection
