"""Fixtures of the Qt windows' tests: offscreen Qt, a saved account on the local farm, a
standalone host with the example scene, and a record of which threads used the network."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading  # noqa: E402
from typing import Any, Iterator, List  # noqa: E402

import pytest  # noqa: E402

WAIT = 30000  # ms: generous, the machine is shared


@pytest.fixture(autouse=True)
def _fresh_ui(qapp: Any) -> Iterator[None]:
    """Every test starts with no window open and no cached client."""
    from renderbus_dcc.ui import close_all
    from renderbus_dcc.ui.account import account

    account().set_factory(None)
    yield
    close_all()
    account().set_factory(None)
    qapp.processEvents()


def log_in(farm: Any, endpoint: str = "") -> Any:
    """Save ``farm``'s account as the user's settings and tell the windows (what Settings > Save does)."""
    from renderbus_dcc.config import Config, save_config
    from renderbus_dcc.ui.account import account

    save_config(Config(access_id=farm.access_id, access_key=farm.access_key, endpoint=endpoint or farm.url,
                       platform=farm.platform, profile="v1"))
    account().reset()
    return farm


@pytest.fixture
def login() -> Any:
    """log_in(farm, endpoint=""), as a fixture."""
    return log_in


@pytest.fixture
def logged_in(farm: Any) -> Any:
    """The farm's account saved as the user's settings."""
    return log_in(farm)


@pytest.fixture
def scene() -> Any:
    from renderbus_dcc.ui.preview import example_scene_or_fallback

    return example_scene_or_fallback()


@pytest.fixture
def host(scene: Any) -> Any:
    from renderbus_dcc.ui.host import HostHooks

    return HostHooks(scene)


class NetworkThreads:
    """The names of the threads that sent HTTP requests, and whether the main thread did."""

    def __init__(self) -> None:
        self.threads: List[str] = []
        self.main_thread_calls: List[str] = []

    def record(self, url: str) -> None:
        thread = threading.current_thread()
        self.threads.append(thread.name)
        if thread is threading.main_thread():
            self.main_thread_calls.append(url)


@pytest.fixture
def network_threads(monkeypatch: pytest.MonkeyPatch) -> NetworkThreads:
    """Record the thread of every HTTP request the client sends (the requests still go out)."""
    import requests

    record = NetworkThreads()
    send = requests.Session.send

    def recording_send(self: Any, request: Any, **kwargs: Any) -> Any:
        record.record(request.url)
        return send(self, request, **kwargs)

    monkeypatch.setattr(requests.Session, "send", recording_send)
    return record


@pytest.fixture
def show(qapp: Any) -> Iterator[Any]:
    """show(window): show a window and close it after the test (if it is still alive)."""
    from renderbus_dcc.ui.qt import is_valid

    shown: List[Any] = []

    def _show(window: Any) -> Any:
        shown.append(window)
        window.show()
        return window

    yield _show
    for window in shown:
        if is_valid(window):
            window.close()
    qapp.processEvents()
