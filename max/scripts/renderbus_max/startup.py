"""Add the Renderbus menu (Submit..., Monitor..., Settings...) to 3ds Max's main menu bar.

Run by ``renderbus_startup.ms`` from 3ds Max's startup scripts folder, on every start:

- 3ds Max 2025 and later (new menu system): register a ``#cuiRegisterMenus`` callback under the
  id ``#renderbus`` (any earlier registration of that id is removed first); 3ds Max calls it
  whenever it builds the menus, and it adds the "Renderbus" submenu (a stable GUID) before
  Help, with one item per macroScript (stable GUIDs). User startup scripts run after 3ds Max
  built its menus, so the menus are then rebuilt once (``maxOps.GetICuiMenuMgr()``:
  ``LoadConfiguration (GetCurrentConfiguration())``, the ICuiMenuManager of the C++ API, as
  Autodesk's ShotGrid integration tk-3dsmax does) for the menu to show in this session.
  Reference: "The Menu System" (https://help.autodesk.com/cloudhelp/2025/ENU/MAXScript-Help/files/MAXScript-Tools-and-Interaction/Interacting-with-the-3ds-Max/GUID-FF48D0EC-6669-4EC7-AB43-E9998A14A198.html).
- 3ds Max 2024 and earlier (menuMan): remove every menu titled "Renderbus" (from the main
  menu bar and the menu manager), then create it afresh and update the menu bar. The legacy
  menus are saved in the user's menu file, so "remove, then add" is what keeps one copy.
  Loading a menu file (a workspace switch, Customize > Load Custom UI Scheme) replaces every
  menu, so a ``#postLoadingMenus`` callback (id ``#renderbus``) adds the menu again each time,
  as Autodesk's tk-3dsmax does.
  Reference: "Menu Manager" (https://help.autodesk.com/cloudhelp/2017/ENU/MAXScript-Help/files/GUID-258F6015-6B45-4A87-A7F5-BB091A2AE065.htm).

Only this module and :mod:`renderbus_max.macros` are imported at start-up: no renderbus_dcc,
requests or Qt until a window opens.
"""

import logging
from typing import Any, Optional

from renderbus_max import mxs
from renderbus_max.macros import CATEGORY, MACRO_ACTION_TABLE, MACROS, define_macros

__all__ = [
    "MENU_TITLE", "MENU_ID", "CALLBACK_ID", "FIRST_NEW_MENU_YEAR",
    "install", "uninstall", "install_legacy_menu", "remove_legacy_menu", "ui_language",
    "register_menu_callback", "rebuild_menus", "on_cui_register_menus", "on_post_loading_menus",
]

log = logging.getLogger(__name__)

MENU_TITLE = "Renderbus"
#: Stable id of the Renderbus submenu in the 3ds Max 2025+ main menu bar.
MENU_ID = "5b0e2f6a-3c1d-4e8b-9a7f-2d6c1e0b4a10"
#: The 3ds Max 2025+ id of the main menu bar's Help menu (from "The Menu System" example).
HELP_MENU_ID = "cee8f758-2199-411b-81e7-d3ff4a80d143"
#: The callbacks id every Renderbus registration uses (``id:#renderbus``).
CALLBACK_ID = "renderbus"
FIRST_NEW_MENU_YEAR = 2025
#: What 3ds Max runs when it builds its menus (2025+).
CUI_SCRIPT = ('python.Execute "import renderbus_max.startup; '
              'renderbus_max.startup.on_cui_register_menus()"')
#: What 3ds Max 2024 and earlier run after loading a menu file.
LEGACY_SCRIPT = ('python.Execute "import renderbus_max.startup; '
                 'renderbus_max.startup.on_post_loading_menus()"')


def ui_language(rt: Optional[Any] = None) -> Optional[str]:
    """3ds Max's interface language: the 3-letter code of ``sysInfo.getMaxLanguage()`` ("ENU",
    "CHS", "JPN"...), or None when it cannot say."""
    try:
        rt = rt if rt is not None else mxs.runtime()
        answer = rt.sysInfo.getMaxLanguage()
        return mxs.text(answer[1]) if answer is not None and len(answer) > 1 else None
    except Exception:  # an older 3ds Max, or no answer: the setting or the system decides
        return None


def install(rt: Optional[Any] = None) -> str:
    """Define the macroScripts and add the menu with the menu system of this 3ds Max.

    Returns which system was used: ``"cui"`` (2025+) or ``"menuMan"`` (2024 and earlier).
    Safe to run any number of times: the menu is never duplicated. The menu items speak the
    user's language: the Renderbus setting, else 3ds Max's (:func:`ui_language`), else the system's.
    """
    from renderbus_dcc.i18n import use_language_setting

    rt = rt if rt is not None else mxs.runtime()
    use_language_setting(ui_language(rt))
    define_macros(rt)
    if mxs.max_year(rt) >= FIRST_NEW_MENU_YEAR:
        register_menu_callback(rt)
        rebuild_menus(rt)
        return "cui"
    install_legacy_menu(rt)
    event = mxs.name(rt, "postLoadingMenus")
    rt.callbacks.removeScripts(event, id=mxs.name(rt, CALLBACK_ID))
    rt.callbacks.addScript(event, LEGACY_SCRIPT, id=mxs.name(rt, CALLBACK_ID))
    return "menuMan"


def uninstall(rt: Optional[Any] = None) -> None:
    """Take the menu out of the running 3ds Max (the installer removes the startup script)."""
    rt = rt if rt is not None else mxs.runtime()
    if mxs.max_year(rt) >= FIRST_NEW_MENU_YEAR:
        rt.callbacks.removeScripts(mxs.name(rt, "cuiRegisterMenus"), id=mxs.name(rt, CALLBACK_ID))
        rebuild_menus(rt)
    else:
        rt.callbacks.removeScripts(mxs.name(rt, "postLoadingMenus"), id=mxs.name(rt, CALLBACK_ID))
        remove_legacy_menu(rt)
        rt.menuMan.updateMenuBar()


# 3ds Max 2025 and later -------------------------------------------------------------------
def register_menu_callback(rt: Any) -> None:
    """Register (once: the previous ``#renderbus`` registration is removed) the menu callback."""
    event = mxs.name(rt, "cuiRegisterMenus")
    rt.callbacks.removeScripts(event, id=mxs.name(rt, CALLBACK_ID))
    rt.callbacks.addScript(event, CUI_SCRIPT, id=mxs.name(rt, CALLBACK_ID))


def rebuild_menus(rt: Any) -> None:
    """Have 3ds Max 2025+ build its menus again now (every #cuiRegisterMenus callback runs)."""
    manager = rt.maxOps.GetICuiMenuMgr()
    manager.LoadConfiguration(manager.GetCurrentConfiguration())


def on_cui_register_menus(rt: Optional[Any] = None) -> None:
    """The ``#cuiRegisterMenus`` callback: add the Renderbus submenu to the menu being built."""
    rt = rt if rt is not None else mxs.runtime()
    menu_manager = rt.callbacks.notificationParam()
    menu = menu_manager.mainMenuBar.CreateSubMenu(MENU_ID, MENU_TITLE, beforeId=HELP_MENU_ID)
    for macro in MACROS:
        menu.CreateAction(macro.item_id, MACRO_ACTION_TABLE, macro.action_id)


# 3ds Max 2024 and earlier -----------------------------------------------------------------
def on_post_loading_menus(rt: Optional[Any] = None) -> None:
    """The ``#postLoadingMenus`` callback: the loaded menu file replaced the menus; add ours again."""
    install_legacy_menu(rt if rt is not None else mxs.runtime())


def remove_legacy_menu(rt: Any) -> int:
    """Remove every "Renderbus" menu from the main menu bar and the menu manager; returns how many."""
    menu_man = rt.menuMan
    main_bar = menu_man.getMainMenuBar()
    removed = 0
    for position in range(int(main_bar.numItems()), 0, -1):  # menu positions are 1-based
        item = main_bar.getItem(position)
        sub_menu = item.getSubMenu()
        if sub_menu is not None and mxs.text(sub_menu.getTitle()) == MENU_TITLE:
            main_bar.removeItem(item)  # by the item: no position convention to get wrong
            removed += 1
    for _copy in range(100):  # one per registered copy; bounded in case unRegisterMenu fails
        menu = menu_man.findMenu(MENU_TITLE)
        if menu is None:
            break
        menu_man.unRegisterMenu(menu)
    return removed


def install_legacy_menu(rt: Any) -> None:
    """Create the Renderbus menu before Help in the main menu bar (after removing old copies)."""
    remove_legacy_menu(rt)
    menu_man = rt.menuMan
    menu = menu_man.createMenu(MENU_TITLE)
    for macro in MACROS:
        item = menu_man.createActionItem(macro.name, CATEGORY)
        if item is None:  # the macroScript is not defined: 3ds Max answers undefined
            log.warning("3ds Max has no macroScript %s`%s; skipped", macro.name, CATEGORY)
            continue
        menu.addItem(item, -1)
    main_bar = menu_man.getMainMenuBar()
    sub_menu_item = menu_man.createSubMenuItem(MENU_TITLE, menu)
    # Autodesk's "Menu Manager" example (copied by tk-3dsmax, ftrack, Quixel Bridge) inserts at
    # numItems() - 1 "the next-to-last slot", i.e. just before Help: addItem's position counts
    # from 0, unlike getItem's. numItems() would put the menu after Help.
    main_bar.addItem(sub_menu_item, max(0, int(main_bar.numItems()) - 1))
    menu_man.updateMenuBar()
