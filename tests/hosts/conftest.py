"""Fixtures of the host harness (see harness.py): the built wheel unpacked as pip installs it, once."""

from pathlib import Path

import pytest

import harness


@pytest.fixture(scope="session")
def wheel_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package from its wheel, unpacked into a folder of its own (a user's site-packages)."""
    return harness.unpack(harness.built_wheel(), tmp_path_factory.mktemp("installed") / "site-packages")


@pytest.fixture(scope="session")
def maya_flags(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return harness.maya_flags(tmp_path_factory.mktemp("stubs") / "maya_flags.json")
