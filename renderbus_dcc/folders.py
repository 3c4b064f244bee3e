"""The user's folders for renderbus_dcc: configuration and data, per OS, or where
``RENDERBUS_CONFIG_DIR`` / ``RENDERBUS_DATA_DIR`` say. Standard library only and light, so that a
host's start-up can find the language setting without loading the configuration code."""

import os
import sys
from pathlib import Path

__all__ = ["APP", "config_dir", "data_dir", "config_path"]

#: The folder name of the package's own folders.
APP = "renderbus_dcc"


def _home() -> Path:
    return Path(os.path.expanduser("~"))


def config_dir() -> Path:
    """RENDERBUS_CONFIG_DIR, else the OS's user config folder (not created here)."""
    env = os.environ.get("RENDERBUS_CONFIG_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or str(_home() / "AppData" / "Roaming")
        return Path(base) / APP
    if sys.platform == "darwin":
        return _home() / "Library" / "Application Support" / APP
    return Path(os.environ.get("XDG_CONFIG_HOME") or _home() / ".config") / APP


def data_dir() -> Path:
    """RENDERBUS_DATA_DIR, else the OS's user data folder (journals, caches; not created here)."""
    env = os.environ.get("RENDERBUS_DATA_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.environ.get("APPDATA") or str(_home() / "AppData" / "Local")
        return Path(base) / APP
    if sys.platform == "darwin":
        return _home() / "Library" / "Application Support" / APP
    return Path(os.environ.get("XDG_DATA_HOME") or _home() / ".local" / "share") / APP


def config_path() -> Path:
    """The config file."""
    return config_dir() / "config.json"
