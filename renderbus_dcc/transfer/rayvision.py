"""Uploads through the official ``rayvision_sync`` package (Raysync / Aspera), for the live service.

The live service has no plain HTTP upload; its transfer engine is a binary that ships inside
``rayvision_sync``. This backend drives it where it is installed (``RayvisionUpload.upload_asset``
with an upload.json, ``upload_config`` for the task files) and says clearly what to do where it
is not. Kept small: the engine cannot run here, so only "not installed" is tested.
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any, Dict, List, Optional, Sequence

from renderbus_dcc.errors import TransferError
from renderbus_dcc.transfer.base import ProgressCallback, TransferBackend, TransferItem, TransferProgress, report_progress
from renderbus_dcc.i18n import _

__all__ = ["RayvisionTransfer", "rayvision_available"]


def rayvision_available() -> bool:
    """True if ``rayvision_sync`` can be imported."""
    try:
        import rayvision_sync  # noqa: F401
    except ImportError:
        return False
    return True


class RayvisionTransfer(TransferBackend):
    """Upload with ``rayvision_sync``; progress is reported per batch (the engine reports none)."""

    name = "rayvision"

    def __init__(self, client: Any) -> None:
        self.client = client
        self._engine_obj: Any = None

    def _engine(self) -> Any:
        if self._engine_obj is None:
            try:
                from rayvision_api import RayvisionAPI
                from rayvision_sync.upload import RayvisionUpload
            except ImportError as exc:
                raise TransferError(
                    _("uploading to the live Renderbus service needs the rayvision_sync package (%s)") % exc,
                    hint=_("install it with `pip install rayvision_sync`, or use --dry-run to export the submission"),
                ) from None
            from urllib.parse import urlsplit

            api = RayvisionAPI(access_id=self.client.access_id, access_key=self.client.reveal_access_key(),
                               domain=urlsplit(str(self.client.endpoint)).hostname,
                               platform=str(self.client.platform))
            self._engine_obj = RayvisionUpload(api)
        return self._engine_obj

    def upload(self, items: Sequence[TransferItem], bid: str, on_progress: Optional[ProgressCallback] = None) -> None:
        engine = self._engine()
        items = list(items)
        progress = TransferProgress(0, sum(int(s) for _, _, s in items), 0, len(items))
        report_progress(on_progress, progress)
        with tempfile.TemporaryDirectory(prefix="renderbus-") as tmp:
            path = os.path.join(tmp, "upload.json")
            manifest = {"asset": [{"local": l, "server": s} for l, s, _ in items]}
            with open(path, "w", encoding="utf-8") as fh:
                json.dump(manifest, fh, ensure_ascii=False)
            try:
                engine.upload_asset(path)
            except Exception as exc:  # the SDK raises its own types
                raise TransferError(_("rayvision_sync failed: %s") % exc, hint=_("resume the submission to try again")) from None
        progress.bytes_done, progress.files_done = progress.bytes_total, len(items)
        report_progress(on_progress, progress)

    def upload_bytes(self, payloads: Dict[str, bytes], bid: str, on_progress: Optional[ProgressCallback] = None) -> None:
        engine = self._engine()
        by_task: Dict[str, List[str]] = {}
        with tempfile.TemporaryDirectory(prefix="renderbus-") as tmp:
            for server, data in payloads.items():
                parts = [p for p in server.split("/") if p]
                local = os.path.join(tmp, parts[0], parts[-1])
                os.makedirs(os.path.dirname(local), exist_ok=True)
                with open(local, "wb") as fh:
                    fh.write(data)
                by_task.setdefault(parts[0], []).append(local)
            for task_id, paths in by_task.items():
                try:
                    engine.upload_config(task_id, paths)
                except Exception as exc:
                    raise TransferError(_("rayvision_sync failed on the task files: %s") % exc) from None
