"""Files: the farm's own transfer routes (status, upload, download, list) and the live service's
HTTP upload of task files (``submit/taskJsonFile``)."""

import hashlib
from typing import Any, BinaryIO, Dict, Tuple

from renderbus_dcc.constants import ErrorCode
from renderbus_dcc.farm.core import BIDS, Call
from renderbus_dcc.farm.db import INT_MAX
from renderbus_dcc.farm.envelope import FarmError
from renderbus_dcc.farm.outputs import OutputOps
from renderbus_dcc.farm.params import int_field, str_field

#: The task files a client may send by ``taskJsonFile``.
TASK_FILES = ("task.json", "upload.json", "asset.json", "tips.json")


class TransferOps(OutputOps):
    """Files: the farm's own transfer routes and ``taskJsonFile``."""

    def transfer(self, name: str, call: Call, fields: Dict[str, Any]) -> Any:
        """``status`` or ``list`` (uploads and downloads have methods of their own)."""
        if name == "status":
            paths = fields.get("paths")
            if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
                raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY if paths is None else ErrorCode.PARAMETER_INVALID,
                                "paths must be a list of server paths")
            return self.storage.status(call.user_id, fields.get("bid"), paths)
        prefix = fields.get("path") or "/"
        if not isinstance(prefix, str):
            raise FarmError(ErrorCode.PARAMETER_INVALID, "path must be a server path")
        if fields.get("bid") == BIDS["output_bid"]:
            task_id = int_field(fields, "taskId", lo=1, hi=INT_MAX)
            if task_id is not None:  # one task's outputs, every level (a shell or a rendering task id)
                shell = self._shell(call, task_id)
                return {"files": self.output_listing(call.user_id, "/%d_" % shell["id"], shell["id"])}
            return {"files": self.output_listing(call.user_id, prefix)}
        return {"files": self.storage.listing(call.user_id, fields.get("bid"), prefix)}

    def transfer_upload(self, call: Call, fields: Dict[str, Any], body: BinaryIO, length: int) -> Any:
        """A chunk of a file: query fields ``bid, path, offset, total, md5``; the body is the bytes."""
        for key in ("bid", "path", "offset", "total"):
            if not fields.get(key):
                raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "query field %s is missing" % key)
        offset = self._size(fields, "offset")
        total = self._size(fields, "total")
        return self.storage.upload(call.user_id, fields["bid"], fields["path"], offset, total, fields.get("md5"),
                                   body, length)

    def transfer_upload_batch(self, call: Call, fields: Dict[str, Any], data: bytes) -> Any:
        """Whole small files in one request (``bid``, ``files`` [{path, size, md5}]; their bytes follow)."""
        return self.storage.upload_batch(call.user_id, fields.get("bid"), fields.get("files"), data)

    @staticmethod
    def _size(fields: Dict[str, Any], name: str) -> int:
        text = str(fields[name]).strip()
        if not text.isdigit() or len(text) > 18:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "%s must be a whole number of bytes, got %r" % (name, text[:40]))
        return int(text)

    def transfer_download(self, call: Call, fields: Dict[str, Any]) -> Tuple[bytes, Dict[str, str]]:
        """A file's bytes from ``offset`` (``length`` of them, or to the end), with the whole file's
        size and md5 as the headers ``X-Renderbus-Size`` / ``X-Renderbus-MD5`` (and the offset)."""
        if fields.get("bid") == BIDS["output_bid"] and isinstance(fields.get("path"), str):
            whole = self.output_bytes(call.user_id, fields["path"])
        else:
            whole = self.storage.read(call.user_id, fields.get("bid"), fields.get("path"))
        offset = int_field(fields, "offset", default=0, lo=0, hi=len(whole)) or 0
        length = int_field(fields, "length", lo=1, hi=INT_MAX)
        end = len(whole) if length is None else min(len(whole), offset + length)
        return whole[offset:end], {"X-Renderbus-Size": str(len(whole)), "X-Renderbus-MD5": hashlib.md5(whole).hexdigest(),
                                   "X-Renderbus-Offset": str(offset)}

    def op_taskJsonFile(self, call: Call, body: Dict[str, Any]) -> Any:
        """A task file sent in the request (the official SDK's upload of task.json and the others)."""
        task_id = int_field(body, "taskId", required=True, lo=1, hi=INT_MAX) or 0
        name = str_field(body, "fileName", required=True) or ""
        if name not in TASK_FILES:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "fileName must be one of %s, got %r" % (", ".join(TASK_FILES),
                                                                                                name[:60]))
        content = body.get("content")
        if not isinstance(content, str):
            raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY if content is None else ErrorCode.PARAMETER_INVALID,
                            "content must be the file's text")
        task = self._task(call, task_id)
        if task["parent_id"] or task["submitted"]:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "task %d was already submitted: its task files are fixed" % task_id)
        data = content.encode("utf-8")
        self.storage.upload(call.user_id, BIDS["config_bid"], "/%d/cfg/%s" % (task_id, name), 0, len(data),
                            hashlib.md5(data).hexdigest(), data)
        return None
