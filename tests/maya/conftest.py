"""Fixtures of the Maya layer's tests: a fake ``maya`` package first on sys.path.

The fake (tests/maya/fake_maya/maya) answers from a scene described as data and refuses every
command and flag real Maya does not have (read from the types-maya stubs). Each test gets a
fresh :class:`maya._scene.FakeMaya`; the fake and renderbus_maya are unloaded afterwards so no
other test sees a ``maya`` module.
"""

import sys
from typing import Iterator

import pytest

from maya_scenes import FAKE_DIR


#: kept loaded between tests: reading the flags from the stubs' 93,000 lines takes seconds
KEEP = "maya._stubs"


def purge_maya_modules() -> None:
    """Forget every imported maya / renderbus_maya module (but the parsed stubs)."""
    for name in list(sys.modules):
        if (name == "maya" or name.startswith(("maya.", "renderbus_maya"))) and name != KEEP:
            del sys.modules[name]


@pytest.fixture
def fake_maya() -> Iterator["object"]:
    """A fresh fake Maya session (``maya._scene.FakeMaya``) importable as ``maya``."""
    purge_maya_modules()
    sys.path.insert(0, FAKE_DIR)
    try:
        import maya._scene as scene

        scene.STATE = scene.FakeMaya()
        # This process has PySide6 only: a Maya whose Qt is 6 (each version's real Qt and binding
        # are the host harness's, tests/hosts).
        scene.STATE.qt_version = "6.5.3"
        yield scene.STATE
    finally:
        while FAKE_DIR in sys.path:
            sys.path.remove(FAKE_DIR)
        purge_maya_modules()
