"""The add-on's preferences: the Renderbus account (access id and key), endpoint, API profile
and platform, and "Test Connection".

The values live in renderbus_dcc's own store (``config.load_config`` / ``config.save_config``:
the config file, with the access key in the OS keyring where there is one), shared with the
``renderbus`` command line, and not in Blender's userpref.blend. Only if that store cannot be
written do they fall back to hidden preferences, so a setting is never lost.
"""

import logging
from typing import Any, Optional, Tuple

import bpy
from bpy.props import EnumProperty, IntProperty, StringProperty

from renderbus_dcc.i18n import _

__all__ = ["classes", "addon_prefs", "load_settings", "make_client", "reload_settings", "online_access", "ADDON_ID"]

log = logging.getLogger(__name__)

#: The add-on's module name as Blender knows it ("renderbus_blender" or "bl_ext.<repo>.renderbus").
ADDON_ID = __name__.rpartition(".")[0]

_FIELDS = ("access_id", "access_key", "endpoint", "platform", "profile", "language")
_cache: Optional[Tuple[str, Any]] = None  # (config path, Config)


def online_access() -> bool:
    """Blender's "Allow Online Access" (4.2+); always True on older Blender."""
    return bool(getattr(bpy.app, "online_access", True))


def reload_settings() -> None:
    """Forget the cached settings (read again from the store at next use)."""
    global _cache
    _cache = None


def load_settings() -> Any:
    """The current :class:`renderbus_dcc.config.Config` (cached; reread if the folder changed)."""
    global _cache
    from renderbus_dcc import config

    path = str(config.config_path())
    if _cache is None or _cache[0] != path:
        try:
            loaded = config.load_config()
        except Exception as exc:  # a broken config file must not break Blender's UI
            log.warning("Renderbus settings could not be read: %s", exc)
            loaded = config.Config()
        prefs = addon_prefs()
        if prefs is not None:  # values kept in the preferences when the store failed
            for name in _FIELDS:
                value = getattr(prefs, "fallback_" + name)
                if name == "platform":
                    value = int(value) if value.isdigit() else None
                if value and not loaded.sources.get(name):
                    setattr(loaded, name, value)
        _cache = (path, loaded)
    return _cache[1]


def _store(name: str, value: Any) -> None:
    from renderbus_dcc import config

    settings = load_settings()
    setattr(settings, name, value)
    prefs = addon_prefs()
    try:
        config.save_config(settings)
    except Exception as exc:  # no writable store: keep it in the preferences
        log.warning("Renderbus settings could not be saved (%s); keeping them in Blender's preferences", type(exc).__name__)
        if prefs is not None:
            setattr(prefs, "fallback_" + name, str(value))
        return
    if prefs is not None and getattr(prefs, "fallback_" + name):
        setattr(prefs, "fallback_" + name, "")
    reload_settings()  # read back: where each value now comes from (file, keyring)


def _getter(name: str, kind: type = str):
    def get(self: Any) -> Any:
        value = getattr(load_settings(), name)
        return kind(value) if value not in (None, "") else kind()
    return get


def _setter(name: str, clean=lambda v: v):
    def set_(self: Any, value: Any) -> None:
        _store(name, clean(value))
    return set_


_PROFILES = [
    ("v1", "v1 (document)", "The protocol document's routes, header version 1.0.0"),
    ("v2", "v2 (live service)", "The live service's current routes, header version 2.0.0"),
]


def _get_profile(self: Any) -> int:
    return 1 if load_settings().profile == "v2" else 0


def _set_profile(self: Any, value: int) -> None:
    _store("profile", _PROFILES[value][0])


#: The language setting (renderbus_dcc's, shared with `renderbus config --language`): automatic
#: follows Blender's interface language.
_LANGUAGES = [
    ("AUTO", "Automatic", "Blender's interface language (Preferences > Interface > Translation)"),
    ("zh_CN", "简体中文", "Simplified Chinese"),
    ("en", "English", "English"),
]


def _get_language(self: Any) -> int:
    ids = [item[0] for item in _LANGUAGES]
    current = load_settings().language or "AUTO"
    return ids.index(current) if current in ids else 0


def _set_language(self: Any, value: int) -> None:
    code = _LANGUAGES[value][0]
    _store("language", "" if code == "AUTO" else code)
    from .translations import sync_language

    sync_language()


def _set_endpoint(self: Any, value: str) -> None:
    from renderbus_dcc import config

    try:
        _store("endpoint", config.normalize_endpoint(value))
    except Exception as exc:
        log.warning("endpoint not changed: %s", exc)


class RENDERBUS_AP_preferences(bpy.types.AddonPreferences):
    """Renderbus account and connection."""

    bl_idname = ADDON_ID

    access_id: StringProperty(
        name="Access ID", description="The AccessID of your Renderbus API key",
        get=_getter("access_id"), set=_setter("access_id", lambda v: v.strip()),
    )
    access_key: StringProperty(
        name="Access Key", description="The AccessKey of your Renderbus API key (kept in the credential store)",
        subtype="PASSWORD", get=_getter("access_key"), set=_setter("access_key", lambda v: v.strip()),
    )
    endpoint: StringProperty(
        name="Endpoint", description="Address of the Renderbus API (a local farm: http://127.0.0.1:PORT)",
        get=_getter("endpoint"), set=_set_endpoint,
    )
    api_profile: EnumProperty(name="API Profile", items=_PROFILES, get=_get_profile, set=_set_profile)
    platform: IntProperty(
        name="Platform", description="Renderbus platform (server cluster) id of your account",
        min=1, get=_getter("platform", int), set=_setter("platform", int),
    )
    # Where the settings go when renderbus_dcc's store cannot be written (saved with Blender's
    # preferences). Declared properties, not ID properties: add-on preferences have none in 5.0.
    fallback_access_id: StringProperty(options={"HIDDEN"})
    fallback_access_key: StringProperty(options={"HIDDEN"}, subtype="PASSWORD")
    fallback_endpoint: StringProperty(options={"HIDDEN"})
    fallback_platform: StringProperty(options={"HIDDEN"})
    fallback_profile: StringProperty(options={"HIDDEN"})
    fallback_language: StringProperty(options={"HIDDEN"})
    language: EnumProperty(
        name="Language", description="The language of Renderbus's messages; Automatic: Blender's",
        items=_LANGUAGES, get=_get_language, set=_set_language,
    )

    def draw(self, context: "bpy.types.Context") -> None:
        layout = self.layout
        col = layout.column()
        col.prop(self, "access_id")
        col.prop(self, "access_key")
        col.prop(self, "endpoint")
        row = col.row()
        row.prop(self, "api_profile")
        row.prop(self, "platform")
        col.prop(self, "language")
        settings = load_settings()
        source = settings.sources.get("access_key") or (_("Blender preferences") if settings.access_key else "")
        if source:
            col.label(text=_("Access key stored in: %s") % source, icon="LOCKED", translate=False)
        row = layout.row()
        row.enabled = online_access()
        row.operator("renderbus.test_connection", icon="URL")
        if not online_access():
            layout.label(text="Online access is off (Preferences > System > Network)", icon="INTERNET_OFFLINE")
        from . import properties

        message = properties.state(context).job_message if properties.state(context).job_kind == "connection" else ""
        if message:
            layout.label(text=message, icon="ERROR" if properties.state(context).job_error else "CHECKMARK",
                         translate=False)


def addon_prefs() -> Optional[RENDERBUS_AP_preferences]:
    """The add-on's preferences, or None when it is not enabled."""
    addon = bpy.context.preferences.addons.get(ADDON_ID)
    return addon.preferences if addon is not None else None


def make_client() -> Any:
    """A RenderbusClient for the configured account. Raises CredentialsMissing / ConfigError."""
    from renderbus_dcc.client import RenderbusClient

    settings = load_settings().require_credentials()
    return RenderbusClient(
        settings.access_id, settings.access_key, endpoint=settings.endpoint,
        platform=settings.platform, profile=settings.profile,
    )


classes = (RENDERBUS_AP_preferences,)
