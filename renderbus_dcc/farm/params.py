"""Readers of request fields for the farm's handlers: 601 when missing, 600 when wrong; paging."""

import time
from typing import Any, Dict, List, Optional, Sequence

from renderbus_dcc.constants import ErrorCode
from renderbus_dcc.farm.envelope import FarmError

__all__ = ["missing", "to_int", "int_field", "str_field", "int_list", "page", "fmt_ms"]


def missing(body: Dict[str, Any], name: str) -> bool:
    return body.get(name) is None or body.get(name) == ""


def to_int(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise FarmError(ErrorCode.PARAMETER_INVALID, "%s must be an integer, not a boolean" % name)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise FarmError(ErrorCode.PARAMETER_INVALID, "%s must be an integer, got %r" % (name, value))


def int_field(body: Dict[str, Any], name: str, required: bool = False, default: Optional[int] = None,
              lo: Optional[int] = None, hi: Optional[int] = None, choices: Sequence[int] = ()) -> Optional[int]:
    if missing(body, name):
        if required:
            raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "%s is required" % name)
        return default
    value = to_int(name, body[name])
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        bounds = "from %s to %s" % (lo, hi) if lo is not None and hi is not None else (
            "at least %s" % lo if lo is not None else "at most %s" % hi)
        raise FarmError(ErrorCode.PARAMETER_INVALID, "%s must be %s, got %s" % (name, bounds, value))
    if choices and value not in choices:
        raise FarmError(ErrorCode.PARAMETER_INVALID,
                        "%s must be one of %s, got %s" % (name, ", ".join(map(str, choices)), value))
    return value


def str_field(body: Dict[str, Any], name: str, required: bool = False, default: Optional[str] = None) -> Optional[str]:
    if missing(body, name):
        if required:
            raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "%s is required" % name)
        return default
    value = body[name]
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise FarmError(ErrorCode.PARAMETER_INVALID, "%s must be a string, got %r" % (name, value))
    return str(value)


def int_list(body: Dict[str, Any], name: str, required: bool = False) -> Optional[List[int]]:
    value = body.get(name)
    if value is None or value == []:
        if required:
            raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "%s is required (a list of integers)" % name)
        return None if value is None else []
    if not isinstance(value, list):
        raise FarmError(ErrorCode.PARAMETER_INVALID, "%s must be a list of integers, got %r" % (name, value))
    return [to_int("%s[%d]" % (name, i), item) for i, item in enumerate(value)]


def page(items: List[Any], total: int, page_num: int, page_size: int) -> Dict[str, Any]:
    return {"pageCount": (total + page_size - 1) // page_size, "pageNum": page_num, "total": total,
            "size": page_size, "items": items}


def fmt_ms(ms: Optional[int]) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ms / 1000.0)) if ms else ""
