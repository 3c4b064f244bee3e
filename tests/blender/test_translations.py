"""The add-on in Chinese through Blender's own translation system.

This bpy module is built without Blender's international support (``build_options.international``
is False: its interface language is DEFAULT only), so Blender cannot be switched to Chinese here.
What is checked is what Blender would use: the table the add-on registers with
``bpy.app.translations`` has a Chinese word for every label, tooltip, property and enum item
Blender's RNA lists for the add-on, and for every constant text its panels draw, in the
translation context Blender looks it up in; and the core's messages follow the language.
"""

import bpy

from renderbus_dcc import i18n

from .test_panels import Recorder, draw


def _words(addon):
    return addon.translations.table()


def _rna_words(addon):
    """(context, text) of everything Blender shows for the add-on's registered classes."""
    out = []
    modules = (addon.operators, addon.panels, addon.preferences, addon.properties)
    for cls in (c for module in modules for c in module.classes):
        rna = cls.bl_rna
        if issubclass(cls, bpy.types.Operator):
            group, name = cls.bl_idname.split(".")
            rna = getattr(getattr(bpy.ops, group), name).get_rna_type()  # what Blender shows: label, tooltip
            out.append(("Operator", rna.name))
            if rna.description:
                out.append(("Operator", rna.description))
        elif issubclass(cls, bpy.types.Panel):
            out.append(("*", cls.bl_label))
        base = next((b for b in (bpy.types.Operator, bpy.types.Panel, bpy.types.UIList, bpy.types.AddonPreferences,
                                 bpy.types.PropertyGroup) if issubclass(cls, b)), None)
        own = set(rna.properties.keys()) - set(base.bl_rna.properties.keys() if base is not None else ())
        for prop in rna.properties:
            if prop.identifier not in own or prop.is_hidden:  # Blender's own, or not shown
                continue
            for text in (prop.name, prop.description):
                if text and text != prop.identifier:
                    out.append(("*", text))
            if prop.type == "ENUM" and not prop.is_enum_flag:
                for item in prop.enum_items:
                    out += [("*", t) for t in (item.name, item.description) if t]
    return out


def test_the_table_is_registered_under_blenders_chinese_locales(addon):
    words = _words(addon)
    assert set(words) == {"zh_HANS", "zh_CN"}  # zh_HANS from Blender 4.0, zh_CN before
    assert words["zh_HANS"][("Operator", "Check Scene")] == "检查场景"
    assert words["zh_HANS"][("*", "Cameras")] == "相机"
    addon.translations.unregister(addon.__name__)  # what disabling the add-on does, then enabling it
    addon.translations.register(addon.__name__)
    addon.translations.register(addon.__name__)  # a reload registers again without an error


def test_every_label_blender_shows_for_the_addon_has_a_chinese_word(addon):
    words = _words(addon)["zh_HANS"]
    missing = sorted({(ctx, text) for ctx, text in _rna_words(addon) if (ctx, text) not in words})
    assert not missing, missing
    assert len(_rna_words(addon)) > 40


def test_every_constant_text_the_panels_draw_has_a_chinese_word(addon, account):
    words = _words(addon)["zh_HANS"]
    seen = draw(addon.panels.RENDER_PT_renderbus) + draw(addon.panels.RENDER_PT_renderbus_tasks)
    prefs = []
    addon.preferences.RENDERBUS_AP_preferences.draw(type("D", (), {"layout": Recorder(prefs)})(), bpy.context)
    texts = [kw["text"] for _name, _args, kw in seen + prefs
             if kw.get("text") and kw.get("translate", True) and not kw["text"].isdigit()]
    assert texts
    missing = [t for t in texts if ("*", t) not in words]
    assert not missing, missing


def test_the_core_speaks_what_the_renderbus_setting_says_inside_blender(addon, monkeypatch):
    from renderbus_dcc.errors import Cancelled

    monkeypatch.setenv("RENDERBUS_LANGUAGE", "zh_CN")
    assert addon.translations.sync_language() == "zh_CN"
    assert addon.jobs._error_text(Cancelled()) == "已取消"
    assert addon.jobs._error_text(ValueError("x")) == "x"
    monkeypatch.setenv("RENDERBUS_LANGUAGE", "auto")
    bpy.context.preferences.view.use_translate_interface = False  # Blender in English: so are we
    try:
        assert addon.translations.blender_language() == "en_US"
        assert addon.translations.sync_language() == "en"
    finally:
        bpy.context.preferences.view.use_translate_interface = True
        i18n.set_language(None)
