"""The few pymxs idioms the 3ds Max layer uses, in one place.

``pymxs`` exists only inside 3ds Max; it is imported when a function here runs, never when
this module is imported, so the package can be imported (and tested) anywhere.
References: "pymxs Module" and "MAXScript Values in pymxs" in the 3ds Max Python help
(https://help.autodesk.com/cloudhelp/2024/ENU/MAXDEV-Python/files/using_pymxs/MAXDEV_Python_using_pymxs_pymxs_module_html.html).
"""

from typing import Any, List

__all__ = ["runtime", "optional", "text", "frame", "name", "items", "prop", "max_year"]


def runtime() -> Any:
    """``pymxs.runtime`` (the MAXScript globals)."""
    from pymxs import runtime as rt  # only inside 3ds Max (or the tests' fake)

    return rt


def optional(rt: Any, global_name: str) -> Any:
    """A MAXScript global that may not exist (a plugin's class or function): its value or None.

    An undeclared MAXScript global reads as ``undefined``, which pymxs gives as None; a
    binding that raises AttributeError instead is treated the same way.
    """
    try:
        return getattr(rt, global_name)
    except AttributeError:
        return None


def text(value: Any) -> str:
    """A MAXScript string/filename/name as str ("" for undefined)."""
    return "" if value is None else str(value)


def frame(time_value: Any) -> int:
    """A MAXScript Time value as a whole frame number (Time has ``.frame``, a float)."""
    if time_value is None:
        return 0
    value = getattr(time_value, "frame", time_value)
    return int(round(float(value)))


def name(rt: Any, literal: str) -> Any:
    """A MAXScript name literal (``#literal``)."""
    return rt.Name(literal)


def items(value: Any) -> List[Any]:
    """A MAXScript array/collection as a Python list (undefined -> [])."""
    return [] if value is None else list(value)


def prop(rt: Any, obj: Any, prop_name: str, default: Any = None) -> Any:
    """``obj.prop_name`` if the object has that property (MAXScript ``isProperty``), else default."""
    key = name(rt, prop_name)
    if obj is None or not rt.isProperty(obj, key):
        return default
    return rt.getProperty(obj, key)


def max_year(rt: Any) -> int:
    """3ds Max's release year: ``maxVersion()[1]`` is e.g. 26000 -> 1998 + 26 = 2024."""
    release = int(items(rt.maxVersion())[0])
    return 1998 + release // 1000
