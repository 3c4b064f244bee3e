"""The client the windows share, made lazily from the saved configuration, and its changes.

Windows ask :func:`account()` for the one :class:`Account`; ``client()`` is called inside
workers (reading the credential store can be slow), and ``changed`` tells every open window
when Settings saved new credentials.
"""

import threading
from typing import Any, Callable, Optional

from renderbus_dcc.ui.qt import QtCore, Signal

__all__ = ["Account", "account"]


class Account(QtCore.QObject):
    """Holds the shared RenderbusClient; ``changed`` fires when the settings change."""

    changed = Signal()

    def __init__(self, factory: Optional[Callable[[], Any]] = None) -> None:
        super().__init__()
        self._factory = factory
        self._client: Any = None
        self._lock = threading.Lock()

    def client(self) -> Any:
        """The client from the configuration (raises CredentialsMissing). Call it in a worker."""
        with self._lock:
            if self._client is None:
                if self._factory is not None:
                    self._client = self._factory()
                else:
                    from renderbus_dcc.client import RenderbusClient

                    self._client = RenderbusClient.from_config()
            return self._client

    def set_factory(self, factory: Optional[Callable[[], Any]]) -> None:
        """Use ``factory()`` to make the client (tests, embedding); None = the saved config."""
        self._factory = factory
        self.reset()

    def reset(self) -> None:
        """Forget the client (new settings) and tell the windows."""
        with self._lock:
            self._client = None
        self.changed.emit()


_ACCOUNT: Optional[Account] = None


def account() -> Account:
    """The one Account of this session (made on first use, on the main thread)."""
    global _ACCOUNT
    if _ACCOUNT is None:
        _ACCOUNT = Account()
    return _ACCOUNT
