"""The answer envelope every signed route gives, and the error a handler raises to give one."""

import json
from typing import Any, Optional

from renderbus_dcc.constants import ErrorCode

__all__ = ["FarmError", "envelope"]


class FarmError(Exception):
    """A protocol error: the farm answers ``code`` and ``message`` (and ``data``) in the envelope."""

    def __init__(self, code: int, message: str = "", data: Any = None) -> None:
        super().__init__(message)
        self.code = int(code)
        self.message = message or _name(code).lower()
        self.data = data


def _name(code: int) -> str:
    try:
        return ErrorCode(code).name
    except ValueError:
        return "ERROR_%s" % code


def envelope(version: str, server_ms: int, data: Any = None, error: Optional[FarmError] = None) -> bytes:
    """The JSON bytes of ``{version, result, message, code, serverTime, data}``."""
    body = {
        "version": version,
        "result": error is None,
        "message": "success" if error is None else error.message,
        "code": int(ErrorCode.SUCCESS) if error is None else error.code,
        "serverTime": server_ms,
        "data": data if error is None else error.data,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
