"""A fake ``maya.mel``: evaluates only the global-variable reads Maya scripts use for the UI."""

import re
from typing import Any

from maya import _scene

_GLOBALS = {"gShelfTopLevel": "ShelfLayout", "gMainWindow": "MayaWindow"}
_READ = re.compile(r"^\s*\$\w+\s*=\s*\$(\w+)\s*;?\s*$")


class MelError(RuntimeError):
    """What maya.mel.eval raises for MEL it cannot run."""


def eval(string: str, /) -> Any:  # noqa: A001 - Maya's name
    match = _READ.match(string)
    if match and match.group(1) in _GLOBALS:
        if _scene.STATE.batch:
            return ""  # the UI globals are empty in batch mode
        return _GLOBALS[match.group(1)]
    raise MelError("the fake maya.mel cannot evaluate %r" % string)
