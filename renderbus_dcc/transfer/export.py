"""A dry run: the whole submission written to a folder for inspection, nothing sent.

The task files land as files (their server path under the folder, e.g. ``cfg/task.json``);
the assets are listed in ``manifest.json`` (local, server, size, bid), not copied.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Union

from renderbus_dcc.transfer.base import ProgressCallback, TransferBackend, TransferItem, TransferProgress, report_progress

__all__ = ["ExportTransfer", "MANIFEST_NAME"]

MANIFEST_NAME = "manifest.json"


class ExportTransfer(TransferBackend):
    """Writes task files into ``folder`` and lists assets in ``folder/manifest.json``."""

    name = "export"

    def __init__(self, folder: Union[str, Path]) -> None:
        self.folder = Path(folder)
        self.entries: List[Dict[str, Any]] = []
        self.task_files: List[str] = []

    def _target(self, server: str) -> Path:
        parts = [p for p in server.replace("\\", "/").split("/") if p and p not in (".", "..")]
        if len(parts) >= 2 and parts[1] == "cfg":  # /{taskId}/cfg/task.json -> cfg/task.json
            parts = parts[1:]
        return self.folder.joinpath(*parts)

    def upload(self, items: Sequence[TransferItem], bid: str, on_progress: Optional[ProgressCallback] = None) -> None:
        items = list(items)
        progress = TransferProgress(0, sum(int(s) for _, _, s in items), 0, len(items))
        for local, server, size in items:
            self.entries.append({"local": local.replace("\\", "/"), "server": server, "size": int(size),
                                 "bid": str(bid), "exists": os.path.isfile(local)})
            progress.files_done += 1
            progress.bytes_done += int(size)
            progress.current_file = progress.completed = server
            report_progress(on_progress, progress)
        self.write_manifest()

    def upload_bytes(self, payloads: Dict[str, bytes], bid: str, on_progress: Optional[ProgressCallback] = None) -> None:
        for server, data in payloads.items():
            target = self._target(server)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            self.task_files.append(str(target.relative_to(self.folder)).replace(os.sep, "/"))
        self.write_manifest()

    def write_manifest(self) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / MANIFEST_NAME
        manifest = {
            "task_files": self.task_files,
            "files": self.entries,
            "file_count": len(self.entries),
            "total_bytes": sum(e["size"] for e in self.entries),
        }
        path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        return path
