"""Readers of request fields for the farm's handlers: 601 when missing, 600 when wrong; paging."""

import time
from typing import Any, Dict, List, Optional, Sequence

from renderbus_dcc.constants import ErrorCode
from renderbus_dcc.farm.db import INT_MAX
from renderbus_dcc.farm.envelope import FarmError

__all__ = ["missing", "to_int", "int_field", "str_field", "int_list", "page", "fmt_ms", "time_field", "MAX_PAGE",
           "MAX_LIST"]

#: Largest page number taken (pageNum x pageSize stays far below SQLite's integers).
MAX_PAGE = 10 ** 9
#: Most items a list field may hold.
MAX_LIST = 100000
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d")


def missing(body: Dict[str, Any], name: str) -> bool:
    return body.get(name) is None or body.get(name) == ""


def to_int(name: str, value: Any) -> int:
    """An integer field's value (digit strings too); 600 if it is not one or lies outside +-(2**63 - 1)."""
    if isinstance(value, bool):
        raise FarmError(ErrorCode.PARAMETER_INVALID, "%s must be an integer, not a boolean" % name)
    number: Optional[int] = None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value.strip()) <= 25:
        number = int(value.strip())
    if number is None:
        raise FarmError(ErrorCode.PARAMETER_INVALID, "%s must be an integer, got %s" % (name, _shown(value)))
    if not -INT_MAX <= number <= INT_MAX:
        raise FarmError(ErrorCode.PARAMETER_INVALID, "%s is out of range (at most %d)" % (name, INT_MAX))
    return number


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def int_field(body: Dict[str, Any], name: str, required: bool = False, default: Optional[int] = None,
              lo: Optional[int] = None, hi: Optional[int] = None, choices: Sequence[int] = ()) -> Optional[int]:
    if missing(body, name):
        if required:
            raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "%s is required" % name)
        return default
    value = to_int(name, body[name])
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        if lo is not None and value < lo and (hi is None or hi >= MAX_PAGE):
            bounds = "at least %s" % lo  # a bound far away reads as none
        elif hi is not None and value > hi and (lo is None or lo <= -MAX_PAGE):
            bounds = "at most %s" % hi
        else:
            bounds = "from %s to %s" % (lo, hi)
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
        raise FarmError(ErrorCode.PARAMETER_INVALID, "%s must be a string, got %s" % (name, _shown(value)))
    return str(value)


def int_list(body: Dict[str, Any], name: str, required: bool = False) -> Optional[List[int]]:
    value = body.get(name)
    if value is None or value == []:
        if required:
            raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "%s is required (a list of integers)" % name)
        return None if value is None else []
    if not isinstance(value, list):
        raise FarmError(ErrorCode.PARAMETER_INVALID, "%s must be a list of integers, got %s" % (name, _shown(value)))
    if len(value) > MAX_LIST:
        raise FarmError(ErrorCode.PARAMETER_INVALID, "%s holds more than %d items" % (name, MAX_LIST))
    return [to_int("%s[%d]" % (name, i), item) for i, item in enumerate(value)]


def time_field(body: Dict[str, Any], name: str) -> Optional[int]:
    """A point in time as ms since 1970: whole seconds or ms, or date text as the official SDK sends it
    ("2024-05-01 08:00:00", "2024-05-01"; the farm's local time)."""
    value = body.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str) and not value.strip().lstrip("-").isdigit():
        for fmt in _DATE_FORMATS:
            try:
                return int(time.mktime(time.strptime(value.strip(), fmt)) * 1000)
            except (ValueError, OverflowError):
                continue
        raise FarmError(ErrorCode.PARAMETER_INVALID, "%s must be a date like 2024-05-01 08:00:00 or seconds since 1970, "
                        "got %s" % (name, _shown(value)))
    number = to_int(name, value)
    if not 0 <= number <= 10 ** 15:
        raise FarmError(ErrorCode.PARAMETER_INVALID, "%s is out of range (seconds or ms since 1970)" % name)
    return number * 1000 if number < 10 ** 11 else number


def page(items: List[Any], total: int, page_num: int, page_size: int) -> Dict[str, Any]:
    return {"pageCount": (total + page_size - 1) // page_size, "pageNum": page_num, "total": total,
            "size": page_size, "items": items}


def fmt_ms(ms: Optional[int]) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ms / 1000.0)) if ms else ""
