"""Translations: every string a user reads goes through :func:`_` (zh_CN and English).

The catalog is standard gettext: ``renderbus_dcc/locale/<lang>/LC_MESSAGES/renderbus.po`` (the
source, kept with Babel) compiled to ``renderbus.mo`` beside it (shipped in the package), read
with the standard library only, so the hosts get no new dependency.

- ``_("text")`` translates now, into the current language.
- ``N_("text")`` only marks a string for the catalog (class attributes, tables made at import
  time); translate it with ``_()`` where it is shown.
- ``ngettext(singular, plural, n)`` for counts.
- Format after translating: ``_("task %s was submitted") % task_id``; use named placeholders
  (``%(name)s``) when a message has more than one, so a translation can reorder them.

The language is chosen by :func:`set_language` (a setting or the host's interface language,
resolved by :func:`resolve_language`), else from the system locale; English is the fallback.
Nothing is read until the first translation.
"""

import gettext as _gettext
import os
import sys
import threading
from pathlib import Path
from typing import Dict, List, Optional, Tuple

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "_",
    "ngettext",
    "language",
    "set_language",
    "normalize_language",
    "system_language",
    "resolve_language",
    "translations",
    "catalog_items",
    "use_language_setting",
    "language_setting",
    "farm_language",
]

DOMAIN = "renderbus"
#: The languages the product speaks: catalog name -> its own name (for a language menu).
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_lock = threading.Lock()
_chosen: Optional[str] = None  # set_language(); None = from the system
_cache: Dict[str, _gettext.NullTranslations] = {}


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it (translate it where shown)."""
    return message


def normalize_language(tag: Optional[str]) -> Optional[str]:
    """A language tag of any usual spelling -> ``"zh_CN"``, ``"en"``, or None if not one we speak.

    Takes POSIX locales (``zh_CN.UTF-8``), BCP 47 (``zh-Hans-CN``), Blender's ``zh_HANS``,
    Maya's ``zh_CN``, 3ds Max's ``CHS``/``ENU`` and Windows' names (``Chinese (Simplified)_China``).
    """
    if not tag:
        return None
    text = tag.strip().split(".")[0].split("@")[0].replace("-", "_").lower()
    if not text or text in ("c", "posix"):
        return None
    if text in ("chs", "zh", "chinese") or text.startswith(("zh_cn", "zh_hans", "zh_sg", "chinese (simplified)",
                                                             "chinese_simplified", "chinese_china")):
        return "zh_CN"
    if text in ("enu", "en", "english") or text.startswith(("en_", "english")):
        return "en"
    return None


def system_language(environ: Optional[Dict[str, str]] = None) -> Optional[str]:
    """The user's language from ``LANGUAGE``/``LC_ALL``/``LC_MESSAGES``/``LANG`` (first set wins,
    ``LANGUAGE`` may list several), then the OS's UI language on Windows; None if none we speak."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if not value:
            continue
        for part in value.split(":"):
            found = normalize_language(part)
            if found:
                return found
        if name != "LANGUAGE":  # the first of LC_ALL / LC_MESSAGES / LANG that is set decides
            return None
    if environ is None and sys.platform == "win32":  # pragma: no cover - Windows only
        try:
            import ctypes
            import locale

            return normalize_language(locale.windows_locale.get(ctypes.windll.kernel32.GetUserDefaultUILanguage()))
        except Exception:
            return None
    return None


def resolve_language(setting: Optional[str] = None, host: Optional[str] = None,
                     environ: Optional[Dict[str, str]] = None) -> str:
    """The language to speak: the user's setting > the host's interface language > the system's > English.

    ``setting`` of ``""``/``"auto"``/None means "not set".
    """
    for candidate in (setting if setting not in ("auto",) else None, host):
        found = normalize_language(candidate)
        if found:
            return found
    return system_language(environ) or "en"


def set_language(lang: Optional[str]) -> str:
    """Speak ``lang`` from now on (any spelling :func:`normalize_language` reads); None: the system's.

    Returns the language now in use.
    """
    global _chosen
    with _lock:
        _chosen = normalize_language(lang) if lang else None
    return language()


def language() -> str:
    """The language in use: ``"zh_CN"`` or ``"en"``."""
    return _chosen or system_language() or "en"


def use_language_setting(host: Optional[str] = None) -> str:
    """Speak what the user chose: the ``language`` setting (``renderbus config --language``, the
    Settings window; ``RENDERBUS_LANGUAGE``) > ``host``, the application's interface language >
    the system's. Called where a program starts (the command line, a host's start-up, a window
    opening); returns the language now in use. A setting that cannot be read counts as unset.
    """
    return set_language(resolve_language(language_setting(), host))


def language_setting() -> Optional[str]:
    """The user's language setting: ``RENDERBUS_LANGUAGE``, else the config file's ``language``;
    None when unset or unreadable (the config code reports a broken file where it is used). Reads
    the file directly, without the configuration code, so a host's start-up stays light."""
    value = os.environ.get("RENDERBUS_LANGUAGE")
    if not value:
        import json

        from renderbus_dcc.folders import config_path

        try:
            stored = json.loads(config_path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        value = stored.get("language") if isinstance(stored, dict) else None
    return value if isinstance(value, str) and value.strip() else None


def farm_language(lang: Optional[str] = None) -> int:
    """The ``language`` field of the farm's queryErrorDetail for ``lang`` (default: the language in
    use): 0 Chinese, 1 English, so that the farm's explanations come in the user's language."""
    return 0 if (lang or language()) == "zh_CN" else 1


def translations(lang: Optional[str] = None) -> _gettext.NullTranslations:
    """The catalog of ``lang`` (default: the language in use); a NullTranslations for English."""
    lang = lang or language()
    found = _cache.get(lang)
    if found is None:
        with _lock:
            found = _cache.get(lang)
            if found is None:
                if lang == "en":
                    found = _gettext.NullTranslations()
                else:
                    found = _gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[lang], fallback=True)
                _cache[lang] = found
    return found


def _(message: str) -> str:
    """``message`` in the current language (itself when there is no translation)."""
    return translations().gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message for ``n``, in the current language."""
    return translations().ngettext(singular, plural, n)


def catalog_items(lang: str) -> List[Tuple[str, str]]:
    """``(msgid, msgstr)`` of every translated message of ``lang`` (for a host with its own
    translation system, such as Blender's); plural entries give their one form for the plural."""
    found = translations(lang)
    out = []
    for key, value in getattr(found, "_catalog", {}).items():
        if isinstance(key, tuple):  # (msgid, n) of a plural entry
            continue
        if key and value:
            out.append((key, value))
    return out
