"""Maya start-up: the Renderbus shelf and the Renderbus menu, created once, never in batch mode.

Run by ``userSetup.py`` through ``maya.utils.executeDeferred`` (after Maya's UI is built) and
by the drag-and-drop installer. Running it again replaces the shelf's buttons and the menu
instead of adding a second set (Maya saves the shelf as ``prefs/shelves/shelf_Renderbus.mel``
on exit and loads it back at the next start, so the tab is usually there already). It imports
only ``maya.cmds`` and ``maya.mel``: no requests, no Qt, no renderbus_dcc until a window opens.
"""

from typing import Any, List

from maya import cmds, mel

__all__ = ["SHELF", "MENU", "run", "build_shelf", "build_menu", "remove"]

SHELF = "Renderbus"
MENU = "RenderbusMenu"
ICON = "renderbus.png"  # in the module's icons/ folder, which Maya adds to XBMLANGPATH

_COMMAND = "import renderbus_maya.commands as rb; rb.%s()"

#: (label, command function, annotation) of the shelf buttons
SHELF_BUTTONS = (
    ("Submit", "submit", "Submit this scene to Renderbus"),
    ("Monitor", "monitor", "Watch your Renderbus jobs render"),
)
#: (label, command function) of the menu items; None = a divider
MENU_ITEMS = (
    ("Submit\u2026", "submit"),
    ("Monitor\u2026", "monitor"),
    ("Settings\u2026", "settings"),
    None,
    ("About", "about"),
)


def run() -> bool:
    """Add the shelf and the menu; False (and nothing done) in batch mode."""
    if cmds.about(batch=True):
        return False
    build_shelf()
    build_menu()
    return True


def build_shelf() -> str:
    """The Renderbus shelf tab with its buttons (an existing tab's buttons are replaced)."""
    if cmds.shelfLayout(SHELF, exists=True):
        children: Any = cmds.shelfLayout(SHELF, query=True, childArray=True)
        buttons: List[str] = [str(child) for child in children] if isinstance(children, list) else []
        for button in buttons:
            cmds.deleteUI(button)
    else:
        top = mel.eval("$renderbusTmp = $gShelfTopLevel")
        cmds.shelfLayout(SHELF, parent=top)
    for label, function, annotation in SHELF_BUTTONS:
        cmds.shelfButton(
            parent=SHELF,
            label=label,
            annotation=annotation,
            image=ICON,
            imageOverlayLabel=label,
            sourceType="python",
            command=_COMMAND % function,
        )
    return SHELF


def build_menu() -> str:
    """The Renderbus menu in Maya's main menu bar (an existing one is replaced)."""
    if cmds.menu(MENU, exists=True):
        cmds.deleteUI(MENU, menu=True)
    main_window = mel.eval("$renderbusTmp = $gMainWindow")
    cmds.menu(MENU, label="Renderbus", parent=main_window, tearOff=True)
    for item in MENU_ITEMS:
        if item is None:
            cmds.menuItem(parent=MENU, divider=True)
        else:
            label, function = item
            cmds.menuItem(parent=MENU, label=label, sourceType="python", command=_COMMAND % function)
    return MENU


def remove() -> None:
    """Take the shelf and the menu out of the running session."""
    if cmds.menu(MENU, exists=True):
        cmds.deleteUI(MENU, menu=True)
    if cmds.shelfLayout(SHELF, exists=True):
        cmds.deleteUI(SHELF, layout=True)
