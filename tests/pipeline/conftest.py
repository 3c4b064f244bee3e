"""Fixtures of the pipeline tests: a scene project on disk with real files."""

import shutil
from pathlib import Path

import pytest

from renderbus_dcc.examples import example_dir


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the example Maya project (UDIMs, a sequence, a Chinese name, an Alembic cache)."""
    target = tmp_path / "proj ect 项目"
    shutil.copytree(example_dir("maya_arnold"), target)
    return target


@pytest.fixture
def scene(project: Path):
    """The example scene, pointing at the copy in ``project``."""
    from renderbus_dcc.cli.submit import load_scene

    return load_scene(str(project / "scene.json"))


@pytest.fixture
def account(farm, monkeypatch):
    """The farm's account in the environment, where the `renderbus` commands read it."""
    monkeypatch.setenv("RENDERBUS_ACCESS_ID", farm.access_id)
    monkeypatch.setenv("RENDERBUS_ACCESS_KEY", farm.access_key)
    monkeypatch.setenv("RENDERBUS_ENDPOINT", farm.url)
    monkeypatch.setenv("RENDERBUS_PLATFORM", str(farm.platform))
    return farm
