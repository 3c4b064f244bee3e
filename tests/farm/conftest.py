"""Fixtures of the local farm's tests (helpers in helpers.py)."""

from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from .helpers import FakeClock, Raw


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def clocked_farm(tmp_path: Path, clock: FakeClock) -> Iterator[Any]:
    """A farm whose time moves only with ``clock.advance`` (speed 10: 1 s of clock = 10 farm s)."""
    from renderbus_dcc.farm import LocalFarm

    with LocalFarm(data_dir=tmp_path / "clocked", speed=10.0, seed=7, clock=clock) as running:
        yield running


@pytest.fixture
def raw(farm: Any) -> Raw:
    return Raw(farm)


@pytest.fixture
def raw2(farm: Any) -> Raw:
    return Raw(farm, profile="v2")


@pytest.fixture
def make_raw(farm: Any) -> Callable[..., Raw]:
    """Raw(farm, ...) for another account or profile."""
    return lambda **kw: Raw(farm, **kw)


@pytest.fixture
def craw(clocked_farm: Any) -> Raw:
    return Raw(clocked_farm)
