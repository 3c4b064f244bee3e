"""The add-on in Blender's interface language: renderbus_dcc's zh_CN catalog registered with
``bpy.app.translations``, so that labels, buttons, tooltips and property names follow Blender's
Preferences > Interface > Translation (the language, and the "Translate Interface" switch).

Blender translates the static words itself (``bl_label``, property names and descriptions, enum
items, ``layout.label(text="...")``); what the add-on formats at run time (``"Frames %s" % spec``)
and what the core says (validation messages, errors) go through ``renderbus_dcc.i18n._``, whose
language :func:`sync_language` keeps in step with Blender's (a Renderbus language setting wins).
"""

from typing import Dict, Optional, Tuple

import bpy

__all__ = ["BLENDER_LOCALES", "CONTEXTS", "table", "register", "unregister", "blender_language", "sync_language"]

#: Blender's names of the locales our catalogs serve: zh_HANS since Blender 4.0, zh_CN before.
BLENDER_LOCALES = {"zh_CN": ("zh_HANS", "zh_CN")}
#: The translation contexts Blender looks words up in: "*" (labels, properties, enum items) and
#: "Operator" (operators' names on buttons and menus).
CONTEXTS = ("*", "Operator")


def table() -> Dict[str, Dict[Tuple[str, str], str]]:
    """``{blender_locale: {(context, msgid): msgstr}}`` of every translated message."""
    from renderbus_dcc.i18n import catalog_items

    out: Dict[str, Dict[Tuple[str, str], str]] = {}
    for lang, locales in BLENDER_LOCALES.items():
        words = {(context, msgid): msgstr for msgid, msgstr in catalog_items(lang) for context in CONTEXTS}
        for locale in locales:
            out[locale] = words
    return out


def register(owner: str) -> None:
    """Hand the table to Blender (``owner``: the add-on's module name, used to unregister)."""
    try:
        bpy.app.translations.unregister(owner)  # a reload registers again
    except Exception:
        pass
    bpy.app.translations.register(owner, table())
    sync_language()


def unregister(owner: str) -> None:
    try:
        bpy.app.translations.unregister(owner)
    except Exception:  # never registered (an earlier error): nothing to undo
        pass


def blender_language() -> Optional[str]:
    """Blender's interface language as the user sees it: "en_US" when "Translate Interface" is
    off, else the locale in use ("zh_HANS"); None when Blender cannot say."""
    try:
        view = bpy.context.preferences.view
        if not getattr(view, "use_translate_interface", True):
            return "en_US"
        return bpy.app.translations.locale or (view.language if view.language != "DEFAULT" else None)
    except Exception:
        return None


def sync_language() -> str:
    """Make the core speak what Blender shows (a Renderbus language setting wins); returns it.
    Called on the main thread: when the add-on registers and before each job starts."""
    from renderbus_dcc.i18n import use_language_setting

    return use_language_setting(blender_language())
