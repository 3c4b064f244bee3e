"""Configuration: precedence, the config file's permissions, the OS keyring, folders."""

import json
import os
import stat
import sys
from pathlib import Path
from typing import Dict, Iterator, Optional, Tuple

import pytest

from renderbus_dcc import config as cfg
from renderbus_dcc.client import RenderbusClient
from renderbus_dcc.errors import ConfigError, CredentialsMissing

keyring = pytest.importorskip("keyring")
from keyring.backend import KeyringBackend  # noqa: E402


class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps passwords in a dict."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: Dict[Tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> Optional[str]:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    monkeypatch.setenv("RENDERBUS_KEYRING", "1")
    try:
        yield ring
    finally:
        keyring.set_keyring(previous)


def _store(**values: object) -> None:
    path = cfg.config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(values), encoding="utf-8")


def test_defaults_without_anything() -> None:
    config = cfg.load_config()
    assert (config.endpoint, config.platform, config.profile) == ("https://task.renderbus.com", 2, "v1")
    assert not config.has_credentials
    with pytest.raises(CredentialsMissing, match="renderbus config"):
        RenderbusClient.from_config()


def test_arguments_beat_environment_beat_file(monkeypatch: pytest.MonkeyPatch) -> None:
    _store(access_id="file-id", access_key="file-key", endpoint="http://file:1", platform=5, profile="v1")
    config = cfg.load_config()
    assert (config.access_id, config.access_key, config.endpoint, config.platform) == ("file-id", "file-key", "http://file:1", 5)
    assert config.sources["access_id"] == "config file"
    monkeypatch.setenv("RENDERBUS_ACCESS_ID", "env-id")
    monkeypatch.setenv("RENDERBUS_ENDPOINT", "http://env:2/")
    monkeypatch.setenv("RENDERBUS_PLATFORM", "9")
    monkeypatch.setenv("RENDERBUS_API_PROFILE", "v2")
    config = cfg.load_config()
    assert (config.access_id, config.access_key, config.endpoint, config.platform, config.profile) == (
        "env-id", "file-key", "http://env:2", 9, "v2")
    config = cfg.load_config(access_id="arg-id", endpoint="http://arg:3", platform=None, profile="v1")
    assert (config.access_id, config.endpoint, config.platform, config.profile) == ("arg-id", "http://arg:3", 9, "v1")
    assert config.sources["access_id"] == "argument" and "RENDERBUS_PLATFORM" in config.sources["platform"]
    client = RenderbusClient.from_config(access_key="arg-key", retries=0)
    assert (client.access_id, client.profile, client.platform, client.transport.retries) == ("env-id", "v2", 9, 0)


def test_bad_values_are_clear_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RENDERBUS_PLATFORM", "two")
    with pytest.raises(ConfigError, match="platform 'two'.*RENDERBUS_PLATFORM"):
        cfg.load_config()
    monkeypatch.delenv("RENDERBUS_PLATFORM")
    with pytest.raises(ConfigError, match="use one of v1, v2"):
        cfg.load_config(profile="v9")
    with pytest.raises(ConfigError, match="not an http"):
        cfg.load_config(endpoint="task.renderbus.com")
    cfg.config_path().parent.mkdir(parents=True)
    cfg.config_path().write_text("{oops", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid JSON"):
        cfg.load_config()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_config_file_is_owner_only() -> None:
    path = cfg.save_config(cfg.Config("my-id", "my-secret-key", "http://127.0.0.1:8765", 3, "v2"))
    assert path == cfg.config_path()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["access_key"] == "my-secret-key"  # no keyring: the file is the credential store
    assert cfg.load_config().access_key == "my-secret-key"
    assert [p.name for p in path.parent.iterdir()] == ["config.json"]  # no temporary file left


def test_keyring_holds_the_key_not_the_file(memory_keyring: MemoryKeyring) -> None:
    path = cfg.save_config(cfg.Config("my-id", "my-secret-key", "https://task.renderbus.com", 2, "v1"))
    assert "my-secret-key" not in path.read_text(encoding="utf-8")
    assert memory_keyring.store == {("renderbus_dcc", "my-id"): "my-secret-key"}
    config = cfg.load_config()
    assert config.access_key == "my-secret-key" and config.sources["access_key"] == "OS keyring"


def test_keyring_disabled_by_environment(memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RENDERBUS_KEYRING", "0")
    path = cfg.save_config(cfg.Config("my-id", "my-secret-key"))
    assert memory_keyring.store == {}
    assert json.loads(path.read_text(encoding="utf-8"))["access_key"] == "my-secret-key"


def test_broken_keyring_falls_back_to_the_file(memory_keyring: MemoryKeyring) -> None:
    def broken(*args: object) -> None:
        raise keyring.errors.KeyringLocked("locked")

    memory_keyring.set_password = broken  # type: ignore[assignment]
    path = cfg.save_config(cfg.Config("my-id", "my-secret-key"))
    assert json.loads(path.read_text(encoding="utf-8"))["access_key"] == "my-secret-key"


def test_repr_hides_the_key() -> None:
    config = cfg.Config("my-id", "my-secret-key")
    assert "my-secret-key" not in repr(config) and "my-secret-key" not in str(config)
    assert "my-secret-key" not in json.dumps(config.public_dict())
    client = RenderbusClient("my-id", "my-secret-key", "http://127.0.0.1:1")
    assert "my-secret-key" not in repr(client) and "my-secret-key" not in repr(vars(client))


def test_folders_follow_environment_then_os(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert cfg.config_dir() == Path(os.environ["RENDERBUS_CONFIG_DIR"])
    assert cfg.data_dir() == Path(os.environ["RENDERBUS_DATA_DIR"])
    monkeypatch.delenv("RENDERBUS_CONFIG_DIR")
    monkeypatch.delenv("RENDERBUS_DATA_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert cfg.config_dir() == tmp_path / "xdg-config" / "renderbus_dcc"
    assert cfg.data_dir() == tmp_path / ".local" / "share" / "renderbus_dcc"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert cfg.config_dir() == tmp_path / "Library" / "Application Support" / "renderbus_dcc"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert cfg.config_dir() == tmp_path / "Roaming" / "renderbus_dcc"
    assert cfg.data_dir() == tmp_path / "Local" / "renderbus_dcc"
