"""The Renderbus actions: three macroScripts (category "Renderbus") the menu items run.

A macroScript is what 3ds Max binds menu items, toolbar buttons and shortcuts to. Each one
runs ``python.Execute "import renderbus_max.commands; renderbus_max.commands.<fn>()"``, so
nothing of renderbus_dcc, Qt or requests is imported before the artist picks the item.
References: "Defining Macro Scripts" (MAXScript help) and "Interface: python"
(https://help.autodesk.com/cloudhelp/2021/ENU/3DSMax-MAXScript/files/GUID-860B6BEB-AE3E-4F99-96E9-CCD70DF4B772.htm).
"""

from typing import Any, NamedTuple, Tuple

from renderbus_dcc.i18n import N_, _

__all__ = ["CATEGORY", "MACRO_ACTION_TABLE", "Macro", "MACROS", "macro_script", "define_macros"]

#: macroScript category; menus find the actions by (name, category).
CATEGORY = "Renderbus"
#: The action table of all macroScripts (new menu system: CreateAction <id> 647394 "name`category").
MACRO_ACTION_TABLE = 647394


class Macro(NamedTuple):
    """One action: its macroScript name, menu text, tooltip, the commands function it calls, and
    the stable GUID of its item in the 3ds Max 2025+ menu."""

    name: str
    text: str
    tooltip: str
    function: str
    item_id: str

    @property
    def action_id(self) -> str:
        """The action's id in the macroScript table: ``name`category``."""
        return "%s`%s" % (self.name, CATEGORY)


MACROS: Tuple[Macro, ...] = (
    Macro("RenderbusSubmit", N_("Submit..."), N_("Submit the open scene to Renderbus"), "submit",
          "5b0e2f6a-3c1d-4e8b-9a7f-2d6c1e0b4a11"),
    Macro("RenderbusMonitor", N_("Monitor..."), N_("Follow your Renderbus jobs"), "monitor",
          "5b0e2f6a-3c1d-4e8b-9a7f-2d6c1e0b4a12"),
    Macro("RenderbusSettings", N_("Settings..."), N_("Renderbus account and defaults"), "settings",
          "5b0e2f6a-3c1d-4e8b-9a7f-2d6c1e0b4a13"),
)


def _quoted(text: str) -> str:
    """``text`` for inside a MAXScript string literal."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def macro_script(macro: Macro) -> str:
    """The MAXScript text that defines ``macro``, its menu text and tooltip in the language in use."""
    return (
        'macroScript %s category:"%s" buttonText:"%s" tooltip:"%s"\n'
        '(\n'
        '    python.Execute "import renderbus_max.commands; renderbus_max.commands.%s()"\n'
        ')\n' % (macro.name, CATEGORY, _quoted(_(macro.text)), _quoted(_(macro.tooltip)), macro.function)
    )


def define_macros(rt: Any) -> None:
    """Define (or redefine: same name and category replace the old one) every Renderbus macroScript."""
    for macro in MACROS:
        rt.execute(macro_script(macro))
