"""Maya start-up: the Renderbus shelf and the Renderbus menu, created once, never in batch mode.

Run by ``userSetup.py`` through ``maya.utils.executeDeferred`` (after Maya's UI is built) and
by the drag-and-drop installer. Running it again replaces the shelf's buttons and the menu
instead of adding a second set (Maya saves the shelf as ``prefs/shelves/shelf_Renderbus.mel``
on exit and loads it back at the next start, so the tab is usually there already). It imports
only ``maya.cmds``, ``maya.mel`` and the catalog (``renderbus_dcc.i18n``, standard library only):
no requests, no Qt until a window opens. The labels speak the user's language: the Renderbus
setting, else Maya's interface language (:func:`ui_language`), else the system's.
"""

from typing import Any, List, Optional

from maya import cmds, mel

from renderbus_dcc.i18n import N_, _

__all__ = ["SHELF", "MENU", "run", "build_shelf", "build_menu", "remove", "ui_language"]

SHELF = "Renderbus"
MENU = "RenderbusMenu"
ICON = "renderbus.png"  # in the module's icons/ folder, which Maya adds to XBMLANGPATH

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
            label=_(label),
            annotation=_(annotation),
            image=ICON,
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
    """Take the shelf and the menu out of the running session."""
    if cmds.menu(MENU, exists=True):
        cmds.deleteUI(MENU, menu=True)
    if cmds.shelfLayout(SHELF, exists=True):
        cmds.deleteUI(SHELF, layout=True)
