"""Fixtures of the 3ds Max layer's tests: the fake pymxs (fake_pymxs/) on sys.path, a fresh fake
3ds Max per test, and a check that the layer only read the MAXScript globals it meant to."""

import os
import sys
from pathlib import Path
from typing import Any, Callable, Iterator, List

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
FAKE_DIR = Path(__file__).resolve().parent / "fake_pymxs"
if str(FAKE_DIR) not in sys.path:
    sys.path.insert(0, str(FAKE_DIR))

import pytest  # noqa: E402

import fakemax  # noqa: E402

#: Globals the layer reads knowing they may be undefined: plugin classes and functions.
def _deliberate_probes() -> set:
    from renderbus_max.analysis import FILE_CLASSES, PLUGIN_CLASSES

    names = {c for c, _, _ in FILE_CLASSES} | {c for _, classes in PLUGIN_CLASSES for c in classes}
    return {n.lower() for n in names | {"vrayVersion"}}


@pytest.fixture
def make_max() -> Iterator[Callable[..., Any]]:
    """make_max(year, scene): a fake 3ds Max with ``scene`` open, the one pymxs talks to."""
    made: List[Any] = []

    def make(year: int = 2024, scene: Any = None) -> Any:
        fake = fakemax.use(fakemax.FakeMax(year, scene))
        made.append(fake)
        return fake

    yield make
    fakemax.use(None)
    from renderbus_max import commands, hooks

    commands._host = None
    hooks._listeners.clear()
    probes = _deliberate_probes()
    for fake in made:
        stray = [n for n in fake.undefined_reads if n.lower() not in probes]
        assert not stray, "the layer read MAXScript globals that do not exist: %s" % stray
