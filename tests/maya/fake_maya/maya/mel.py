"""A fake ``maya.mel``: evaluates the few MEL forms Maya scripts use for the UI, and refuses the rest.

- ``$x = $gShelfTopLevel`` / ``$gMainWindow``: the global UI names (empty in batch mode);
- ``addNewShelfTab "Name"``: what Maya's ``shelf.mel`` does: a shelf tab under the shelf tab
  layout, the optionVars that make Maya save it and load it back (``numShelves``,
  ``shelfName<n>``, ``shelfLoad<n>``, ``shelfFile<n>``, ``shelfAlign<n>``), and the new tab
  selected (``selectedShelf``).
"""

import re
from typing import Any

from maya import _scene

_GLOBALS = {"gShelfTopLevel": "ShelfLayout", "gMainWindow": "MayaWindow"}
_READ = re.compile(r"^\s*\$\w+\s*=\s*\$(\w+)\s*;?\s*$")
_NEW_SHELF = re.compile(r'^\s*addNewShelfTab\s+"(\w+)"\s*;?\s*$')


class MelError(RuntimeError):
    """What maya.mel.eval raises for MEL it cannot run."""


#: Runtime commands the fake runs (``maya.mel.eval("RenderViewWindow")``); not in batch mode.
_RUNTIME = {"RenderViewWindow"}


def _add_new_shelf_tab(name: str) -> int:
    state = _scene.STATE
    if state.batch:
        raise MelError("addNewShelfTab: no shelves in batch mode")
    if name in state.controls:
        return 0  # shelf.mel warns that the shelf exists and adds nothing
    top = _GLOBALS["gShelfTopLevel"]
    state.controls[name] = _scene.Control("shelfLayout", top)
    count = len([c for c in state.children(top) if state.controls[c].kind == "shelfLayout"])
    state.option_vars.update({"numShelves": count, "shelfName%d" % count: name, "shelfLoad%d" % count: 1,
                              "shelfFile%d" % count: "shelf_" + name, "shelfAlign%d" % count: "left",
                              "selectedShelf": name})
    state.controls[top].flags["selectTab"] = name
    return 1


def eval(string):  # type: (str) -> Any  # noqa: A001 - Maya's name
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
    match = _NEW_SHELF.match(string)
    if match:
        return _add_new_shelf_tab(match.group(1))
    raise MelError("the fake maya.mel cannot evaluate %r" % string)
