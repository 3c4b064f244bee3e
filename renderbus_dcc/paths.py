"""Local paths as the farm sees them: pure string functions, the same on every OS.

A scene made on Windows is often analysed elsewhere (and tests run on Linux), so nothing here
asks the running OS how to read a path: a path is a Windows path when it looks like one
(``D:\\x``, ``D:/x``, ``\\\\srv\\share\\x``, ``//srv/share/x``), otherwise it is POSIX.

Windows paths are written with forward slashes (``D:/tex/a.png``), which every Windows API
accepts and which the farm's upload.json uses; the drive letter is upper-cased.
"""

import re
from typing import List, Optional

from renderbus_dcc.errors import SceneError
from renderbus_dcc.i18n import _

__all__ = [
    "FARM_BAD_CHARS",
    "MAX_PATH_LENGTH",
    "is_windows_path",
    "is_unc_path",
    "is_absolute",
    "normalise",
    "is_normal",
    "drive_of",
    "same_drive",
    "join",
    "dirname",
    "basename",
    "is_inside",
    "path_key",
    "to_server_path",
    "name_problems",
]

_DRIVE = re.compile(r"^([A-Za-z]):(?:[\\/]|$)")
_DRIVE_RELATIVE = re.compile(r"^([A-Za-z]):(?![\\/])")
_LONG_PREFIX = re.compile(r"^[\\/]{2}[?.][\\/]")
#: Anything :func:`name_problems` might report (a name ending in a space or a dot; a character
#: the farm refuses): paths without any are fine at once (a scene holds 20,000 of them).
_NAME_TROUBLE = re.compile(r'[ .](?:/|$)|[:*?"<>|\x00-\x1f]')

#: Characters Windows (and so the farm's Windows nodes) refuse in a file or folder name.
FARM_BAD_CHARS = ':*?"<>|'
#: The longest path the farm's Windows nodes take.
MAX_PATH_LENGTH = 255


def _strip_long_prefix(path: str) -> str:
    r"""``\\?\D:\x`` -> ``D:\x``; ``\\?\UNC\srv\share`` -> ``\\srv\share``."""
    if path[:1] in ("\\", "/") and _LONG_PREFIX.match(path):
        rest = path[4:]
        if rest[:4].upper() in ("UNC\\", "UNC/"):
            return "//" + rest[4:]
        return rest
    return path


def is_unc_path(path: str) -> bool:
    r"""True for ``\\srv\share\x`` and ``//srv/share/x``."""
    path = _strip_long_prefix(path)
    return len(path) > 2 and path[0] in "\\/" and path[1] in "\\/" and path[2] not in "\\/"


def is_windows_path(path: str) -> bool:
    """True for a drive path (``D:\\x``, ``D:/x``, ``D:``, ``D:x``) or a UNC path."""
    path = _strip_long_prefix(path)
    return bool(_DRIVE.match(path) or _DRIVE_RELATIVE.match(path)) or is_unc_path(path)


def is_absolute(path: str) -> bool:
    """True for ``/x``, ``D:/x``, ``D:\\x`` and UNC paths, whatever OS runs this."""
    path = _strip_long_prefix(path)
    return path.startswith(("/", "\\")) or bool(_DRIVE.match(path))


def _collapse(parts: List[str], absolute: bool) -> List[str]:
    """Drop empty and ``.`` segments and apply ``..`` (never above the root of an absolute path)."""
    out: List[str] = []
    for part in parts:
        if part in ("", "."):
            continue
        if part == "..":
            if out and out[-1] != "..":
                out.pop()
            elif not absolute:
                out.append(part)
            continue
        out.append(part)
    return out


def is_normal(path: str) -> bool:
    """True for an absolute path already in normal form (most paths a scene holds): :func:`normalise`
    would return it unchanged (the fast path of the functions here)."""
    if path.startswith("/"):
        body = path
    elif path[1:3] == ":/" and "A" <= path[0] <= "Z":
        body = path[2:]
    else:
        return False
    return (
        "\\" not in body and "//" not in body and "/." not in body
        and (not body.endswith("/") or body == "/") and not path.startswith("//")
    )


def normalise(path: str) -> str:
    r"""One spelling per path: ``d:\a\.\b\..\c`` -> ``D:/a/c``; ``\\srv\s\x`` -> ``//srv/s/x``.

    POSIX paths keep their backslashes (a legal file name character there) and get ``.``,
    ``..`` and doubled slashes collapsed. A trailing separator is dropped.
    """
    if not path or is_normal(path):
        return path
    path = _strip_long_prefix(path)
    if is_unc_path(path):
        parts = path.replace("\\", "/").split("/")[2:]
        return "//" + "/".join(parts[:2] + _collapse(parts[2:], True))
    drive = _DRIVE.match(path) or _DRIVE_RELATIVE.match(path)
    if drive:
        rest = path[2:].replace("\\", "/")
        absolute = rest.startswith("/")
        body = "/".join(_collapse(rest.split("/"), absolute))
        return "%s:%s%s" % (drive.group(1).upper(), "/" if absolute else "", body)
    if path.startswith("/"):
        return "/" + "/".join(_collapse(path.split("/"), True))
    return "/".join(_collapse(path.split("/"), False)) or "."


def drive_of(path: str) -> str:
    r"""The root a path lives on: ``D:``, ``//srv/share`` (lower case), or ``/`` for POSIX; "" if relative."""
    path = normalise(path)
    if is_unc_path(path):
        return "/".join(path.split("/")[:4]).lower()
    match = _DRIVE.match(path) or _DRIVE_RELATIVE.match(path)
    if match:
        return match.group(1).upper() + ":"
    return "/" if path.startswith("/") else ""


def same_drive(a: str, b: str) -> bool:
    """True when both paths are on the same drive letter, UNC share, or both POSIX-absolute."""
    da, db = drive_of(a), drive_of(b)
    return bool(da) and da == db


def join(base: str, relative: str) -> str:
    """``relative`` against ``base`` (a folder), normalised; an absolute ``relative`` is kept.

    Backslashes in ``relative`` are separators, whatever the base (a scene made on Windows
    opened on macOS still names ``sourceimages\\wood.png``).
    """
    if (
        base and is_normal(base) and relative and "\\" not in relative and "//" not in relative
        and "/." not in relative and not relative.startswith((".", "/")) and not relative.endswith("/")
        and relative[1:2] != ":"
    ):  # fast path: a clean relative path under a normal base
        return base + relative if base.endswith("/") else base + "/" + relative
    if not base or is_absolute(relative) or _DRIVE_RELATIVE.match(relative):
        return normalise(relative)
    # a relative path with backslashes was written on Windows: its backslashes are separators
    return normalise(base.rstrip("/\\") + "/" + relative.replace("\\", "/"))


def dirname(path: str) -> str:
    """The folder part of a normalised path (``D:/a/b.png`` -> ``D:/a``; ``/b.png`` -> ``/``)."""
    path = normalise(path)
    head, _sep, _tail = path.rpartition("/")
    if not head:
        return "/" if path.startswith("/") else ""
    if re.match(r"^[A-Z]:$", head):
        return head + "/"
    return head


def basename(path: str) -> str:
    """The last part of a path, whatever its separators."""
    if is_windows_path(path):
        path = path.replace("\\", "/")
    return path.rstrip("/").rpartition("/")[2]


def path_key(path: str) -> str:
    """A key under which two spellings of the same file compare equal (Windows paths ignore case)."""
    if path.startswith("/") and is_normal(path):
        return path  # fast path: a POSIX path in normal form
    path = normalise(path)
    return path.lower() if is_windows_path(path) else path


def is_inside(path: str, folder: str) -> bool:
    """True if ``path`` is ``folder`` or below it (case-insensitive for Windows paths)."""
    if not folder:
        return False
    p, f = path_key(path), path_key(folder).rstrip("/")
    return p == f or p.startswith(f + "/") or (f == "" and p.startswith("/"))


def to_server_path(local: str) -> str:
    r"""The farm's path for a local file.

    ``D:\x\y.png`` / ``D:/x/y.png`` -> ``/D/x/y.png``; ``\\srv\share\x`` -> ``/srv/share/x``;
    a POSIX path keeps its form (normalised). Raises SceneError for a relative path.
    """
    if is_normal(local):  # fast path
        if local.startswith("/"):
            return local
        return "/" + local[0] + local[2:] if len(local) > 3 else "/" + local[0]
    if not is_absolute(local):
        raise SceneError(
            _("cannot map the relative path %r to the farm") % local,
            hint=_("resolve it against the project or scene folder first"),
        )
    path = normalise(local)
    if is_unc_path(path):
        return path[1:]
    match = _DRIVE.match(path)
    if match:
        return "/" + match.group(1) + path[2:].rstrip("/") if len(path) > 3 else "/" + match.group(1)
    return path


def name_problems(path: str, max_length: Optional[int] = MAX_PATH_LENGTH) -> List[str]:
    """What in ``path`` the farm's Windows nodes cannot take, as short sentences (empty: fine).

    Checks each file and folder name for ``:*?"<>|`` and control characters, names ending in
    a space or a dot, and the whole path's length.
    """
    problems: List[str] = []
    norm = normalise(path) if path else path
    body = norm
    if is_unc_path(norm):
        body = "/".join(norm.split("/")[2:])
    elif _DRIVE.match(norm) or _DRIVE_RELATIVE.match(norm):
        body = norm[2:]
    if not _NAME_TROUBLE.search(body) and not (max_length and len(norm) > max_length):
        return problems
    for name in body.split("/"):
        if not name or name in (".", ".."):
            continue
        bad = sorted({c for c in name if c in FARM_BAD_CHARS or ord(c) < 32})
        if bad:
            shown = " ".join(repr(c)[1:-1] if ord(c) < 32 else c for c in bad)
            problems.append(_('"%(name)s" contains %(chars)s') % {"name": name, "chars": shown})
        if name != name.rstrip(" ."):
            problems.append(_('"%s" ends with a space or a dot') % name)
    if max_length and len(norm) > max_length:
        problems.append(_("the path is %(length)d characters long (the farm takes at most %(max)d)") % {"length": len(norm), "max": max_length})
    return problems
