"""Maya start-up: the Renderbus shelf and the Renderbus menu, created once, never in batch mode.

Run by ``userSetup.py`` through ``maya.utils.executeDeferred`` (after Maya's UI is built) and
by the drag-and-drop installer. Running it again replaces the shelf's buttons and the menu
instead of adding a second set (Maya saves the shelf as ``prefs/shelves/shelf_Renderbus.mel``
on exit and loads it back at the next start, so the tab is usually there already).

The shelf tab is made the way Maya's own shelf editor makes one (``addNewShelfTab`` of
``shelf.mel``), so Maya's shelf optionVars know it and save and load it like the others; the
tab the artist had selected stays selected. The buttons name their icon by its full path: the
module's ``icons/`` is on ``XBMLANGPATH`` only from the next start of Maya after installing.

It imports only ``maya.cmds``, ``maya.mel`` and the catalog (``renderbus_dcc.i18n``, standard
library only): no requests, no Qt until a window opens. The labels speak the user's language:
the Renderbus setting, else Maya's interface language (:func:`ui_language`), else the system's.
"""

import os
from typing import Any, List, Optional

from maya import cmds, mel

from renderbus_dcc.i18n import N_, _

__all__ = ["SHELF", "MENU", "run", "build_shelf", "build_menu", "remove", "ui_language", "icon"]

SHELF = "Renderbus"
MENU = "RenderbusMenu"
ICON = "renderbus.png"  # in the module's icons/ folder

_COMMAND = "import renderbus_maya.commands as rb; rb.%s()"

#: (label, command function, annotation) of the shelf buttons
SHELF_BUTTONS = (
    (N_("Submit"), "submit", N_("Submit this scene to Renderbus")),
    (N_("Monitor"), "monitor", N_("Watch your Renderbus jobs render")),
)
#: (label, command function) of the menu items; None = a divider
MENU_ITEMS = (
    (N_("Submit\u2026"), "submit"),
    (N_("Monitor\u2026"), "monitor"),
    (N_("Settings\u2026"), "settings"),
    None,
    (N_("About"), "about"),
)


def ui_language() -> Optional[str]:
    """Maya's interface language (``about -uiLanguage``: "en_US", "zh_CN", "ja_JP"), or None."""
    try:
        return str(cmds.about(uiLanguage=True) or "") or None
    except Exception:  # a Maya that cannot say: the setting or the system decides
        return None


def run() -> bool:
    """Add the shelf and the menu; False (and nothing done) in batch mode."""
    if cmds.about(batch=True):
        return False
    from renderbus_dcc.i18n import use_language_setting

    use_language_setting(ui_language())
    build_shelf()
    build_menu()
    return True


def icon() -> str:
    """The shelf icon: its full path in the module's ``icons/`` (just its name if not there)."""
    module = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    path = os.path.join(module, "icons", ICON)
    return path.replace("\\", "/") if os.path.isfile(path) else ICON


def build_shelf() -> str:
    """The Renderbus shelf tab with its buttons (an existing tab's buttons are replaced)."""
    if cmds.shelfLayout(SHELF, exists=True):
        children: Any = cmds.shelfLayout(SHELF, query=True, childArray=True)
        buttons: List[str] = [str(child) for child in children] if isinstance(children, list) else []
        for button in buttons:
            cmds.deleteUI(button)
    else:
        top = str(mel.eval("$renderbusTmp = $gShelfTopLevel"))
        selected = str(cmds.shelfTabLayout(top, query=True, selectTab=True) or "")
        mel.eval('addNewShelfTab "%s"' % SHELF)
        if selected and selected != SHELF:  # addNewShelfTab selects the new tab: give the artist theirs back
            cmds.shelfTabLayout(top, edit=True, selectTab=selected)
            cmds.optionVar(stringValue=("selectedShelf", selected))
    image = icon()
    for label, function, annotation in SHELF_BUTTONS:
        cmds.shelfButton(
            parent=SHELF,
            label=_(label),
            annotation=_(annotation),
            image=image,
            imageOverlayLabel=_(label),
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
            cmds.menuItem(parent=MENU, label=_(label), sourceType="python", command=_COMMAND % function)
    return MENU


def remove() -> None:
    """Take the shelf and the menu out of the running session (and out of Maya's shelf optionVars)."""
    if cmds.menu(MENU, exists=True):
        cmds.deleteUI(MENU, menu=True)
    if cmds.shelfLayout(SHELF, exists=True):
        cmds.deleteUI(SHELF, layout=True)
    _forget_shelf()


def _forget_shelf() -> None:
    """Drop the shelf from the optionVars shelf.mel keeps (what deleteShelfTab does, without its dialog)."""
    count = int(cmds.optionVar(query="numShelves") or 0)  # type: ignore[call-overload]
    names = [str(cmds.optionVar(query="shelfName%d" % i) or "") for i in range(1, count + 1)]  # type: ignore[call-overload]
    if SHELF not in names:
        return
    for index in range(names.index(SHELF) + 1, count):  # shift the later shelves down by one
        for key in ("shelfName", "shelfLoad", "shelfFile", "shelfAlign"):
            value = cmds.optionVar(query="%s%d" % (key, index + 1))  # type: ignore[call-overload]
            if isinstance(value, int):
                cmds.optionVar(intValue=("%s%d" % (key, index), value))
            else:
                cmds.optionVar(stringValue=("%s%d" % (key, index), str(value)))
    for key in ("shelfName", "shelfLoad", "shelfFile", "shelfAlign"):
        cmds.optionVar(remove="%s%d" % (key, count))
    cmds.optionVar(intValue=("numShelves", count - 1))
