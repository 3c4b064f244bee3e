"""Configuration and credentials: arguments > environment > config file / OS keyring.

The config file is ``config_dir()/config.json``, written with owner-only permissions (file
0600, folder 0700). When the OS keyring is available (the optional ``keyring`` package with a
real backend, and ``RENDERBUS_KEYRING`` is not ``0``) the access key is stored there and not in
the file. The access key never appears in a repr, a log line or an exception text.
"""

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Optional, Tuple
from urllib.parse import urlsplit

from renderbus_dcc.errors import ConfigError, CredentialsMissing
from renderbus_dcc.folders import config_dir, config_path, data_dir
from renderbus_dcc.i18n import _

__all__ = [
    "Config",
    "write_private",
    "DEFAULT_ENDPOINT",
    "DEFAULT_PLATFORM",
    "DEFAULT_PROFILE",
    "KEYRING_SERVICE",
    "load_config",
    "save_config",
    "config_dir",
    "data_dir",
    "config_path",
    "normalize_endpoint",
    "LIMIT_VARS",
    "DEFAULT_CONFIRM_FRAMES",
    "DEFAULT_CONFIRM_COST",
    "confirm_limits",
    "parse_limit",
    "keyring_available",
    "language_value",
]

log = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://task.renderbus.com"
DEFAULT_PLATFORM = 2
DEFAULT_PROFILE = "v1"
KEYRING_SERVICE = "renderbus_dcc"

#: setting name -> environment variable
ENV_VARS = {
    "access_id": "RENDERBUS_ACCESS_ID",
    "access_key": "RENDERBUS_ACCESS_KEY",
    "endpoint": "RENDERBUS_ENDPOINT",
    "platform": "RENDERBUS_PLATFORM",
    "profile": "RENDERBUS_API_PROFILE",
    "language": "RENDERBUS_LANGUAGE",
}


#: threshold setting -> environment variable: a submission above it asks for confirmation
LIMIT_VARS = {
    "confirm_frames": "RENDERBUS_CONFIRM_FRAMES",
    "confirm_cost": "RENDERBUS_CONFIRM_COST",
}
#: Frames rendered (frames x layers x cameras) above which a submission asks first.
DEFAULT_CONFIRM_FRAMES = 5000
#: Forecast cost (the account's currency) above which a submission asks first.
DEFAULT_CONFIRM_COST = 1000.0


@dataclass
class Config:
    """The settings a client needs. ``sources`` says where each value came from."""

    access_id: str = ""
    access_key: str = field(default="", repr=False)
    endpoint: str = DEFAULT_ENDPOINT
    platform: int = DEFAULT_PLATFORM
    profile: str = DEFAULT_PROFILE
    confirm_frames: int = DEFAULT_CONFIRM_FRAMES
    confirm_cost: float = DEFAULT_CONFIRM_COST
    language: str = ""  #: "zh_CN", "en", or "" (auto: the application's, else the system's)
    sources: Dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __repr__(self) -> str:
        return "Config(access_id=%r, access_key=%s, endpoint=%r, platform=%r, profile=%r, language=%r)" % (
            self.access_id,
            "'***'" if self.access_key else "''",
            self.endpoint,
            self.platform,
            self.profile,
            self.language,
        )

    __str__ = __repr__

    @property
    def has_credentials(self) -> bool:
        return bool(self.access_id and self.access_key)

    def require_credentials(self) -> "Config":
        """Self, or CredentialsMissing naming what is missing."""
        missing = [name for name in ("access_id", "access_key") if not getattr(self, name)]
        if missing:
            if len(missing) == 2:
                raise CredentialsMissing(_("no access id and no access key configured"))
            raise CredentialsMissing(_("no access id configured") if missing[0] == "access_id"
                                     else _("no access key configured"))
        return self

    def public_dict(self) -> Dict[str, Any]:
        """The settings without the key (for `renderbus config show`)."""
        return {
            "access_id": self.access_id,
            "access_key": _("(set, from %s)") % self.sources.get("access_key", "?") if self.access_key else _("(not set)"),
            "endpoint": self.endpoint,
            "platform": self.platform,
            "profile": self.profile,
            "confirm_frames": self.confirm_frames,
            "confirm_cost": self.confirm_cost,
            "language": self.language or "auto",
        }


# --- values -----------------------------------------------------------------------------


def normalize_endpoint(endpoint: str) -> str:
    """``https://task.renderbus.com/`` -> ``https://task.renderbus.com``; ConfigError if not http(s)."""
    text = (endpoint or "").strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            _("endpoint %r is not an http(s) URL") % endpoint,
            _("write it like https://task.renderbus.com or http://127.0.0.1:8765"),
        )
    return text


def _platform(value: Any, origin: str) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise ConfigError(_("platform %(value)r (from %(origin)s) is not a number") % {"value": value, "origin": origin},
                          _("use the number `renderbus platforms` lists")) from None


def _profile(value: Any, origin: str) -> str:
    from renderbus_dcc.routes import PROFILES

    name = str(value).strip()
    if name not in PROFILES:
        raise ConfigError(
            _("API profile %(value)r (from %(origin)s) is unknown") % {"value": value, "origin": origin},
            _("use one of %s") % ", ".join(sorted(PROFILES)),
        )
    return name


def language_value(value: Any, origin: str) -> str:
    """A language setting as stored: "zh_CN", "en", "" (auto: ``auto`` or empty); ConfigError
    naming ``origin`` for a language the product does not speak."""
    from renderbus_dcc.i18n import LANGUAGES, normalize_language

    text = str(value or "").strip()
    if text.lower() in ("", "auto"):
        return ""
    found = normalize_language(text)
    if found is None:
        raise ConfigError(_("language %(value)r (from %(origin)s) is not one we speak") % {"value": value, "origin": origin},
                          _("use one of %s, or auto") % ", ".join(sorted(LANGUAGES)))
    return found


# --- keyring ----------------------------------------------------------------------------


def _keyring() -> Any:
    """The ``keyring`` module when it is enabled and has a usable backend, else None."""
    if os.environ.get("RENDERBUS_KEYRING", "1").strip().lower() in ("0", "false", "no", "off"):
        return None
    try:
        import keyring
        from keyring.backends import fail
    except Exception:  # not installed, or broken: the file is used
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:
        return None
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        return None
    return keyring


def keyring_available() -> bool:
    """True when the access key is stored in the OS keyring rather than the file."""
    return _keyring() is not None


def _keyring_get(access_id: str) -> Optional[str]:
    ring = _keyring()
    if ring is None or not access_id:
        return None
    try:
        return ring.get_password(KEYRING_SERVICE, access_id)
    except Exception as exc:  # a locked or broken keyring must not stop the user
        log.warning("could not read the OS keyring (%s); using the config file", type(exc).__name__)
        return None


def _keyring_set(access_id: str, access_key: str) -> bool:
    ring = _keyring()
    if ring is None or not access_id:
        return False
    try:
        ring.set_password(KEYRING_SERVICE, access_id, access_key)
        return True
    except Exception as exc:
        log.warning("could not write the OS keyring (%s); the key goes to the config file", type(exc).__name__)
        return False


# --- load / save ------------------------------------------------------------------------


def _read_file(path: Path) -> Dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(_("cannot read %(file)s: %(error)s") % {"file": path, "error": exc.strerror},
                          _("check the file's permissions")) from None
    try:
        data = json.loads(text)
    except ValueError:
        raise ConfigError(_("%s is not valid JSON") % path, _("fix it or run `renderbus config` again")) from None
    if not isinstance(data, dict):
        raise ConfigError(_("%s does not hold a JSON object") % path, _("run `renderbus config` again"))
    return data


def load_config(environment: bool = True, **overrides: Any) -> Config:
    """The configuration: ``overrides`` (None ignored) > environment > config file / keyring
    (``environment`` False: what is stored only).

    Missing credentials are not an error here (see :meth:`Config.require_credentials`).
    """
    unknown = set(overrides) - set(ENV_VARS)
    if unknown:
        raise TypeError("unknown setting(s): %s" % ", ".join(sorted(unknown)))
    stored = _read_file(config_path())
    values: Dict[str, Any] = {}
    sources: Dict[str, str] = {}
    for name, env in ENV_VARS.items():
        if overrides.get(name) is not None and overrides[name] != "":
            values[name], sources[name] = overrides[name], _("argument")
        elif environment and os.environ.get(env):
            values[name], sources[name] = os.environ[env], _("environment (%s)") % env
        elif stored.get(name) not in (None, ""):
            values[name], sources[name] = stored[name], _("config file")
    if "access_key" not in values and values.get("access_id"):
        key = _keyring_get(str(values["access_id"]))
        if key:
            values["access_key"], sources["access_key"] = key, _("OS keyring")
    config = Config(sources=sources)
    config.access_id = str(values.get("access_id", "")).strip()
    config.access_key = str(values.get("access_key", "")).strip()
    if "endpoint" in values:
        config.endpoint = normalize_endpoint(str(values["endpoint"]))
    if "platform" in values:
        config.platform = _platform(values["platform"], sources["platform"])
    if "profile" in values:
        config.profile = _profile(values["profile"], sources["profile"])
    for name, env in LIMIT_VARS.items():
        raw, origin = os.environ.get(env) if environment else None, _("environment (%s)") % env
        if not raw:
            raw, origin = stored.get(name), _("config file")
        if raw not in (None, ""):
            setattr(config, name, parse_limit(name, raw, origin))
            config.sources[name] = origin
    if "language" in values:
        config.language = language_value(values["language"], sources["language"])
    return config


def parse_limit(name: str, value: Any, origin: str) -> Any:
    """A threshold setting's value (ConfigError naming where a bad one came from)."""
    try:
        number = float(str(value).strip())
    except ValueError:
        number = -1.0
    if number < 0:
        raise ConfigError(_("%(name)s %(value)r (from %(origin)s) is not a number of 0 or more")
                          % {"name": name, "value": value, "origin": origin},
                          _("write a number, e.g. 5000; 0 turns the question off"))
    return int(number) if name == "confirm_frames" else number


def confirm_limits() -> Tuple[int, float]:
    """(frames, cost) above which a submission asks for confirmation (0: never asks), from the
    environment and the config file; the defaults when they cannot be read."""
    try:
        config = load_config()
    except ConfigError as exc:
        log.warning("using the default confirmation thresholds: %s", exc)
        return DEFAULT_CONFIRM_FRAMES, DEFAULT_CONFIRM_COST
    return config.confirm_frames, config.confirm_cost


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, owner-only (0600) from the first byte."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.chmod(path.parent, 0o700)
    except OSError:
        pass
    fd, tmp = tempfile.mkstemp(prefix=".renderbus-", suffix=".tmp", dir=str(path.parent))  # mkstemp: mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def save_config(config: Config) -> Path:
    """Store ``config``: the key in the OS keyring when there is one, else in the file (0600)."""
    data: Dict[str, Any] = {
        "access_id": config.access_id,
        "endpoint": normalize_endpoint(config.endpoint),
        "platform": int(config.platform),
        "profile": _profile(config.profile, _("the settings being saved")),
        "confirm_frames": int(config.confirm_frames),
        "confirm_cost": float(config.confirm_cost),
    }
    if config.language:
        data["language"] = language_value(config.language, _("the settings being saved"))
    if config.access_key:
        if _keyring_set(config.access_id, config.access_key):
            data["key_in_keyring"] = True
        else:
            data["access_key"] = config.access_key
    path = config_path()
    write_private(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    log.info("saved the configuration to %s%s", path, " (key in the OS keyring)" if data.get("key_in_keyring") else "")
    return path
