"""Fixtures shared by the whole suite.

Every test runs with its own empty user folders (config, credentials, journal) and with no
RENDERBUS_* variables from the machine, so nothing a developer has set leaks into a test and no
test writes into the developer's home. It speaks English (LANG=C.UTF-8, no language setting)
unless it says otherwise: a developer's Chinese locale changes no assertion.
"""

import os
from pathlib import Path
from typing import Iterator

import pytest


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the package's config and data folders at a fresh temporary folder."""
    home = tmp_path_factory.mktemp("home")
    for name in list(os.environ):
        if name.startswith("RENDERBUS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("RENDERBUS_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("RENDERBUS_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("RENDERBUS_KEYRING", "0")  # never touch the machine's keyring
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    from renderbus_dcc import i18n

    i18n.set_language(None)
    return home


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    """A test that switched the language does not leave it switched."""
    yield
    from renderbus_dcc import i18n

    i18n.set_language(None)


@pytest.fixture
def farm(tmp_path: Path) -> Iterator["object"]:
    """A local farm on a free loopback port, fast enough for tests, deterministic."""
    from renderbus_dcc.farm import LocalFarm

    with LocalFarm(data_dir=tmp_path / "farm", speed=200.0, seed=1) as running:
        yield running


@pytest.fixture
def farm_client(farm: "object") -> "object":
    """A RenderbusClient logged in to ``farm``."""
    return farm.client()
