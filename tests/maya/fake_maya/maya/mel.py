"""A fake ``maya.mel``: evaluates only the global-variable reads Maya scripts use for the UI."""

import re
from typing import Any

from maya import _scene

_GLOBALS = {"gShelfTopLevel": "ShelfLayout", "gMainWindow": "MayaWindow"}
_READ = re.compile(r"^\s*\$\w+\s*=\s*\$(\w+)\s*;?\s*$")


class MelError(RuntimeError):
    """What maya.mel.eval raises for MEL it cannot run."""


#: Runtime commands the fake runs (``maya.mel.eval("RenderViewWindow")``); not in batch mode.
_RUNTIME = {"RenderViewWindow"}


def eval(string: str, /) -> Any:  # noqa: A001 - Maya's name
    if string.strip().rstrip(";") in _RUNTIME:
        if _scene.STATE.batch:
            raise MelError("// Error: %s: this command is not available in batch mode" % string.strip())
        _scene.STATE.calls[string.strip().rstrip(";")] += 1
        _scene.STATE.render_view_open = True
        return None
    match = _READ.match(string)
    if match and match.group(1) in _GLOBALS:
        if _scene.STATE.batch:
            return ""  # the UI globals are empty in batch mode
        return _GLOBALS[match.group(1)]
    raise MelError("the fake maya.mel cannot evaluate %r" % string)
