"""Small helpers over ``maya.cmds`` answers, shared by the analysis modules (main thread only)."""

from typing import Any, Dict, List, Tuple

from maya import cmds

__all__ = ["GLOBALS", "RENDERERS", "get", "strings", "text", "number", "short"]

GLOBALS = "defaultRenderGlobals"

#: defaultRenderGlobals.currentRenderer -> (the name the farm uses, the plug-in that provides it)
RENDERERS: Dict[str, Tuple[str, str]] = {
    "arnold": ("arnold", "mtoa"),
    "vray": ("vray", "vrayformaya"),
    "redshift": ("redshift", "redshift4maya"),
    "renderManRIS": ("renderman", "RenderMan_for_Maya"),
    "renderman": ("renderman", "RenderMan_for_Maya"),
    "mayaSoftware": ("mayaSoftware", ""),
    "mayaHardware2": ("mayaHardware2", ""),
    "mayaVector": ("mayaVector", ""),
}


def get(plug: str, default: Any = None) -> Any:
    """``getAttr`` that answers ``default`` for a plug that does not exist."""
    node, _dot, attr = plug.partition(".")
    if not cmds.objExists(node) or not cmds.attributeQuery(attr.split("[")[0].split(".")[0], node=node, exists=True):
        return default
    value = cmds.getAttr(plug)
    return default if value is None else value


def strings(value: Any) -> List[str]:
    """A command's list answer as a list of str (commands answer None for "nothing")."""
    return [str(item) for item in value] if isinstance(value, (list, tuple)) else []


def text(value: Any) -> str:
    """A command's string answer ("" for None / anything that is not a string)."""
    return value if isinstance(value, str) else ""


def number(value: Any) -> float:
    return float(value[0] if isinstance(value, (list, tuple)) else value)


def short(name: str) -> str:
    return name.rsplit("|", 1)[-1]
