"""Frames come home: a task's outputs listed, brought to a folder, and followed while it renders.

- :func:`list_outputs` walks the task's output folder with ``getOutputUserDirFile`` (one folder
  level per request, as the live service answers);
- :func:`destination` is where a task's frames go: the folder the scene writes its images to,
  as recorded at submission (the submission journal), else ``<Downloads>/Renderbus/<task folder>``;
  the farm's layer/camera layout is kept below it;
- :func:`download_task` brings every finished frame home (a second run moves nothing; a
  cancelled or killed one carries on), and with ``watch`` keeps at it until the task ends;
- :class:`DownloadRecords` remembers, per task, where its frames went and whether the monitors
  download it automatically (on by default).

Everything here runs off the UI thread; callbacks can cancel (return False).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from renderbus_dcc.i18n import _

log = logging.getLogger(__name__)

__all__ = ["TaskOutputs", "DownloadSummary", "list_outputs", "destination", "downloads_dir", "local_path_of",
           "download_task", "recent_files", "DownloadRecords", "records"]

_UNSAFE = re.compile(r'[<>:"|?*\x00-\x1f]')


@dataclass
class TaskOutputs:
    """A task's output folder (server path, ``/19001_shot``) and the files under it."""

    folder: str = ""
    files: List[Any] = field(default_factory=list)  #: OutputFile, every level
    requests: int = 0  #: listing requests it took


@dataclass
class DownloadSummary:
    """What :func:`download_task` did."""

    task_id: int
    destination: str
    why: str = ""  #: where the destination came from
    files: int = 0  #: the task's output files seen
    downloaded: List[str] = field(default_factory=list)
    skipped: int = 0
    bytes: int = 0
    requests: int = 0  #: listing and download requests
    status: Any = None  #: the task's last status (with watch)


#: The local farm's own listing of a task's outputs (every level, with md5s), for profile v1.
LIST_PATH = "/api/farm/transfer/list"


def list_outputs(client: Any, task_id: int, child_ids: Sequence[int] = (), bid: str = "") -> TaskOutputs:
    """Every output file of a task (all layers, cameras, AOVs).

    Profile v2 walks ``getOutputUserDirFile`` as the live service answers it (``child_ids``, its
    rendering tasks, are asked when the task id itself has no folder: the live service lists a
    layered task by layer). Profile v1, which has no such operation, asks the local farm's own
    listing (one request, md5s included; ``bid`` is the output bid).
    """
    from renderbus_dcc.routes import get_profile

    if "getOutputUserDirFile" not in get_profile(getattr(client, "profile", "v2")).live:
        return _farm_listing(client, task_id, bid or str(client.get_transfer_bid().output_bid))
    roots: Dict[str, Any] = {}
    asked = 0
    for tid in [int(task_id)] + [int(c) for c in child_ids]:
        asked += 1
        for entry in client.get_output_files(task_id=tid):
            roots.setdefault(entry.file_path, entry)
        if roots:
            break
    files: List[Any] = []
    folder = ""
    queue = sorted(roots)
    seen = set()
    while queue:
        path = queue.pop(0)
        entry = roots.get(path)
        if entry is not None and not entry.directory:
            files.append(entry)
            continue
        if path in seen:
            continue
        seen.add(path)
        folder = folder or path
        asked += 1
        for child in client.get_output_files(tree_path=path):
            if child.directory:
                queue.append(child.file_path)
            elif child.file_path.startswith(path.rstrip("/") + "/"):
                files.append(child)
    return TaskOutputs(folder=folder, files=sorted(files, key=lambda f: f.file_path), requests=asked)


def _farm_listing(client: Any, task_id: int, bid: str) -> TaskOutputs:
    from renderbus_dcc.errors import ConfigError, RenderbusError
    from renderbus_dcc.models import OutputFile
    from renderbus_dcc.transfer.base import is_live_endpoint

    try:
        data = client.request(LIST_PATH, {"bid": bid, "taskId": int(task_id)}, mutates=False) or {}
    except RenderbusError:
        if is_live_endpoint(client):
            raise ConfigError(_("listing a task's rendered frames needs the live service's routes (profile v2)"),
                              hint=_("use the v2 profile: RENDERBUS_API_PROFILE=v2")) from None
        raise
    files = [OutputFile(file_name=str(f.get("path", "")).rsplit("/", 1)[-1], file_path=str(f.get("path", "")),
                        file_size=int(f["size"]) if f.get("size") is not None else None, md5=str(f.get("md5") or ""))
             for f in (data.get("files") or []) if isinstance(f, dict) and f.get("path")]
    folder = "/" + files[0].file_path.strip("/").split("/")[0] if files else ""
    return TaskOutputs(folder=folder, files=files, requests=1)


def downloads_dir() -> Path:
    """The user's downloads folder (Windows' known folder, XDG's ``XDG_DOWNLOAD_DIR``, ``~/Downloads``)."""
    home = Path(os.path.expanduser("~"))
    if sys.platform == "win32":
        try:
            import ctypes
            from ctypes import wintypes
            import uuid

            guid = uuid.UUID("{374DE290-123F-4565-9164-39C4925E467B}")  # FOLDERID_Downloads
            buf = ctypes.c_wchar_p()
            shell32 = ctypes.windll.shell32  # type: ignore[attr-defined]
            raw = (ctypes.c_ubyte * 16).from_buffer_copy(guid.bytes_le)
            if shell32.SHGetKnownFolderPath(ctypes.byref(raw), 0, wintypes.HANDLE(0), ctypes.byref(buf)) == 0:
                value = buf.value
                ctypes.windll.ole32.CoTaskMemFree(buf)  # type: ignore[attr-defined]
                if value:
                    return Path(value)
        except Exception:  # an odd Windows: the usual place
            log.debug("no known Downloads folder", exc_info=True)
        return Path(os.environ.get("USERPROFILE") or str(home)) / "Downloads"
    if sys.platform != "darwin":
        found = _xdg_download_dir(home)
        if found is not None:
            return found
    return home / "Downloads"


def _xdg_download_dir(home: Path) -> Optional[Path]:
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config") / "user-dirs.dirs"
    try:
        text = config.read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(r'^XDG_DOWNLOAD_DIR="?([^"\n]+)"?', text, re.MULTILINE)
    if not match:
        return None
    return Path(match.group(1).replace("$HOME", str(home)))


def _recorded_output_dir(task_id: int, journal_base: Any = None) -> str:
    """The scene's image folder recorded by the submission of ``task_id`` ("" if none)."""
    from renderbus_dcc.journal import list_journals

    for journal in reversed(list_journals(journal_base)):
        if journal.task_id == int(task_id) and not journal.data.get("dry_run_dir"):
            scene = journal.data.get("scene") or {}
            value = str(scene.get("output_dir") or "")
            if value.startswith("//"):  # Blender: relative to the .blend's folder
                value = os.path.join(os.path.dirname(str(scene.get("scene_file") or "")), value[2:])
            elif value and not _is_absolute(value):  # Maya: relative to the project (workspace)
                value = os.path.join(str(scene.get("project_dir") or ""), value)
            if _is_absolute(value):
                return os.path.normpath(value)
    return ""


def _is_absolute(path: str) -> bool:
    return bool(re.match(r"^([A-Za-z]:[\\/]|[\\/]{2}[^\\/]|/)", path or ""))


def destination(task_id: int, folder: str = "", journal_base: Any = None) -> Tuple[Path, str]:
    """Where a task's frames go, and why there: (folder, reason)."""
    remembered = records().get(task_id).get("destination")
    if remembered:
        return Path(remembered), _("where this task's frames went before")
    recorded = _recorded_output_dir(task_id, journal_base)
    if recorded:
        return Path(recorded), _("the scene's image folder, recorded when it was submitted")
    name = _UNSAFE.sub("_", (folder or "").strip("/").split("/")[0]) or str(task_id)
    return downloads_dir() / "Renderbus" / name, _("a folder of this task under your downloads folder")


def local_path_of(dest: Path, folder: str, server_path: str) -> str:
    """Where a file of the task's ``folder`` lands under ``dest`` (the farm's layout below the task
    folder kept). A server path that would leave ``dest`` (``..``) is refused."""
    from renderbus_dcc.errors import TransferError

    rel = server_path[len(folder):] if folder and server_path.startswith(folder.rstrip("/") + "/") else server_path
    parts = [_UNSAFE.sub("_", p).rstrip(" .") for p in rel.replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts or any(p in ("", "..") for p in parts):
        raise TransferError(_("the farm listed an output with a strange path: %s") % server_path,
                            hint=_("report it; the other frames are downloaded"))
    return os.path.join(str(dest), *parts)


def download_task(client: Any, task_id: int, dest: Optional[Any] = None, *, backend: Any = None,
                  watch: bool = False, interval: float = 5.0, max_interval: float = 30.0,
                  on_progress: Optional[Callable[[Any], Optional[bool]]] = None,
                  on_round: Optional[Callable[[DownloadSummary], Optional[bool]]] = None,
                  stop_event: Optional[threading.Event] = None, journal_base: Any = None) -> DownloadSummary:
    """Bring a task's finished frames home. With ``watch``, again each round (waiting ``interval``,
    longer while nothing new arrives) until the task ends, ``on_round`` returns False or
    ``stop_event`` is set. Returns what was done (over every round)."""
    from renderbus_dcc.monitor import next_interval
    from renderbus_dcc.transfer.download import RemoteFile, default_download_backend

    own = backend is None
    backend = backend or default_download_backend(client)
    stop_event = stop_event or threading.Event()
    summary = DownloadSummary(task_id=int(task_id), destination=str(dest or ""))
    bid = str(client.get_transfer_bid().output_bid)
    summary.requests += 1
    delay = interval
    try:
        while True:
            info = None
            if watch:
                items = client.query_task_info([task_id]).items
                info = items[0] if items else None
                summary.requests += 1
            children = [c.id for c in (getattr(info, "children", None) or [])]
            outputs = list_outputs(client, task_id, children, bid)
            summary.requests += outputs.requests
            if dest is None and outputs.folder:
                chosen, summary.why = destination(task_id, outputs.folder, journal_base)
                dest = chosen
                summary.destination = str(chosen)
            files = [RemoteFile(f.file_path, local_path_of(Path(dest), outputs.folder, f.file_path),
                                -1 if f.file_size is None else int(f.file_size), f.md5) for f in outputs.files] \
                if dest is not None else []
            result = backend.download(files, bid, on_progress)
            summary.files = len(files)
            summary.downloaded += result.downloaded
            summary.skipped = len(result.skipped)
            summary.bytes += result.bytes_transferred
            summary.requests += result.requests
            if files:
                records().update(task_id, destination=str(dest), files=len(files))
            if info is not None:
                summary.status = info.status
            if on_round is not None and on_round(summary) is False:
                break
            if not watch or (info is not None and info.is_terminal) or stop_event.is_set():
                break
            delay = next_interval(delay, interval, max_interval, changed=bool(result.downloaded))
            if stop_event.wait(delay):
                break
    finally:
        if own:
            backend.close()
    return summary


def recent_files(folder: str, limit: int = 200) -> List[str]:
    """The last ``limit`` complete files under ``folder``, in folder and name order (a disk walk:
    call it off the UI thread)."""
    from renderbus_dcc.transfer.download import PART_SUFFIX

    found: List[str] = []
    for root, dirs, names in os.walk(folder or "."):
        dirs.sort()
        found += [os.path.join(root, n) for n in sorted(names) if not n.endswith(PART_SUFFIX)]
    return found[-limit:] if folder else []


class DownloadRecords:
    """Per task: where its frames went and whether the monitors download it automatically.

    A small JSON file in the data folder (``downloads.json``), rewritten whole and atomically.
    """

    def __init__(self, path: Optional[Path] = None) -> None:
        from renderbus_dcc.config import data_dir

        self.path = Path(path) if path is not None else Path(data_dir()) / "downloads.json"
        self._lock = threading.Lock()

    def _read(self) -> Dict[str, Dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, task_id: int) -> Dict[str, Any]:
        """``{"destination", "files", "auto"}`` of a task. ``auto`` unless switched: on for the tasks
        submitted from this computer and those downloaded before, off for the others (browsing
        the task list downloads nothing)."""
        with self._lock:
            entry = dict(self._read().get(str(int(task_id))) or {})
        if "auto" not in entry:
            entry["auto"] = bool(entry.get("destination")) or _submitted_here(int(task_id))
        return entry

    def auto(self, task_id: int) -> bool:
        return bool(self.get(task_id)["auto"])

    def update(self, task_id: int, **values: Any) -> None:
        from renderbus_dcc.config import write_private

        with self._lock:
            data = self._read()
            entry = dict(data.get(str(int(task_id))) or {})
            entry.update(values, updated=time.time())
            data[str(int(task_id))] = entry
            if len(data) > 500:  # the oldest go
                for key in sorted(data, key=lambda k: data[k].get("updated", 0))[:len(data) - 500]:
                    del data[key]
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_private(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


_JOURNALED: Dict[str, Any] = {"ids": set(), "read": 0.0}


def _submitted_here(task_id: int) -> bool:
    """True when a submission journal on this computer made the task (read again at most every 2 s)."""
    from renderbus_dcc.journal import journal_dir, list_journals

    key = str(journal_dir())
    if task_id not in _JOURNALED["ids"] or _JOURNALED.get("dir") != key:
        if _JOURNALED.get("dir") != key or time.time() - _JOURNALED["read"] > 2.0:
            _JOURNALED.update(dir=key, read=time.time(), ids={j.task_id for j in list_journals() if j.task_id})
    return task_id in _JOURNALED["ids"]


_RECORDS: Dict[str, DownloadRecords] = {}


def records() -> DownloadRecords:
    """The records of the current data folder (``RENDERBUS_DATA_DIR`` is honoured when it changes)."""
    from renderbus_dcc.config import data_dir

    key = str(data_dir())
    if key not in _RECORDS:
        _RECORDS[key] = DownloadRecords(Path(key) / "downloads.json")
    return _RECORDS[key]
