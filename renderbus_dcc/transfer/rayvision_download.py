"""Downloads through the official ``rayvision_sync`` package, for the live service.

The live service moves files with its transfer engine (Raysync or Aspera), a binary that ships
inside ``rayvision_sync``. This backend drives ``RayvisionDownload.download`` where the package
is installed, and says what to do where it is not. The engine writes into a staging folder
beside the destination (``.rbstaging``); each file then takes its place only once its size is
the one the listing gave, so the promises of :mod:`renderbus_dcc.transfer.download` hold here
too (the engine resumes its own partial files). Progress is reported per file as they are moved.
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional

from renderbus_dcc.errors import TransferError
from renderbus_dcc.i18n import _
from renderbus_dcc.transfer.download import DownloadBackend, DownloadCallback, DownloadProgress, RemoteFile

__all__ = ["RayvisionDownload", "STAGING"]

STAGING = ".rbstaging"


class RayvisionDownload(DownloadBackend):
    """Download with ``rayvision_sync`` (one engine run per batch of files)."""

    name = "rayvision"

    def __init__(self, client: Any) -> None:
        super().__init__()
        self.client = client
        self._engine_obj: Any = None
        self._staged: Dict[str, str] = {}

    def _engine(self) -> Any:
        if self._engine_obj is None:
            try:
                from rayvision_api import RayvisionAPI
                from rayvision_sync.download import RayvisionDownload as Engine
            except ImportError as exc:
                raise TransferError(
                    _("downloading from the live Renderbus service needs the rayvision_sync package (%s)") % exc,
                    hint=_("install it with `pip install rayvision_sync`, or download the frames from the Renderbus "
                           "web page or client"),
                ) from None
            from urllib.parse import urlsplit

            api = RayvisionAPI(access_id=self.client.access_id, access_key=self.client.reveal_access_key(),
                               domain=urlsplit(str(self.client.endpoint)).hostname, platform=str(self.client.platform))
            self._engine_obj = Engine(api)
        return self._engine_obj

    def download(self, files: Any, bid: str, on_progress: Optional[DownloadCallback] = None) -> Any:
        from renderbus_dcc.transfer.download import is_complete

        todo: List[RemoteFile] = [f for f in files if not is_complete(f)]
        if todo:
            engine = self._engine()
            by_root: Dict[str, List[RemoteFile]] = {}
            for item in todo:
                by_root.setdefault(os.path.join(_root_of(item), STAGING), []).append(item)
            for staging, items in by_root.items():
                try:
                    engine.download(local_path=staging, server_path=sorted({i.server for i in items}),
                                    download_filename_format="true", enable_hash=True, print_log=False)
                except Exception as exc:  # the SDK raises its own types
                    raise TransferError(_("rayvision_sync failed: %s") % exc,
                                        hint=_("run the download again: it carries on where it stopped")) from None
                self.requests += 1
                for item in items:
                    self._staged[item.local] = os.path.join(staging, *[p for p in item.server.split("/") if p])
        return super().download(files, bid, on_progress)

    def _fetch(self, item: RemoteFile, bid: str, progress: DownloadProgress,
               on_progress: Optional[DownloadCallback]) -> int:
        staged = self._staged.get(item.local, "")
        try:
            size = os.path.getsize(staged)
        except OSError:
            raise TransferError(_("rayvision_sync did not bring %s") % item.server,
                                hint=_("run the download again")) from None
        if item.size >= 0 and size != item.size:
            raise TransferError(_("%(file)s arrived with %(got)d bytes, not %(want)d") % {
                "file": item.server, "got": size, "want": item.size}, hint=_("run the download again"))
        os.replace(staged, item.local)
        return size


def _root_of(item: RemoteFile) -> str:
    """The destination folder a file's server path hangs from (its local path less the server path's tail)."""
    local = item.local.replace("\\", "/").split("/")
    server = [p for p in item.server.split("/") if p]
    keep = len(local) - (len(server) - 1)
    return "/".join(local[:max(1, keep)]) if keep > 0 else os.path.dirname(item.local)
