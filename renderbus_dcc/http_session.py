"""The client's ``requests.Session``: the environment's settings read once per origin.

requests reads the environment again on every request: the proxy variables and ``no_proxy``
(``merge_environment_settings`` walks ``os.environ`` four times: ~0.25 ms a request here with 35
variables, more in a DCC's environment of hundreds) and, for a request without credentials,
the ``.netrc`` file (a few stats on disk, on a studio's network home folder a round trip each).
The client sends many small signed requests to one endpoint, so this session reads them once per
``scheme://host:port`` and keeps them for its life; what requests does with them is unchanged
(environment proxies before the session's own, ``no_proxy`` honoured, the CA bundle variables,
``.netrc`` credentials only for a request that has none, a redirect's new host read afresh).

A change to the environment or ``.netrc`` is seen by the next client (each has its own session).
Importing this module imports requests: the transport imports it on its first request.
"""

import os
from typing import Any, Dict, Optional, Tuple

import requests
from requests.auth import AuthBase
from requests.sessions import merge_setting
from requests.utils import get_environ_proxies, get_netrc_auth

__all__ = ["Session", "origin"]

#: Origins remembered per session at most (a client talks to its endpoint and a few hosts).
_ORIGINS = 64


def origin(url: str) -> str:
    """``scheme://host:port`` of ``url`` (all a proxy or a .netrc entry depends on)."""
    scheme, _, rest = url.partition("://")
    return scheme.lower() + "://" + rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].lower()


class _NoCredentials(AuthBase):
    """Stands for "the .netrc has nothing for this host", so requests does not read it again."""

    def __call__(self, request: Any) -> Any:
        return request


_NO_CREDENTIALS = _NoCredentials()


class Session(requests.Session):
    """A ``requests.Session`` that reads the environment's proxies and ``.netrc`` once per origin."""

    def __init__(self) -> None:
        super().__init__()
        self._proxies: Dict[Tuple[str, Optional[str]], Dict[str, str]] = {}
        self._netrc: Dict[str, Any] = {}

    def prepare_request(self, request: Any) -> Any:
        if self.trust_env and not request.auth and not self.auth:
            key = origin(request.url)
            if key not in self._netrc:
                _bounded(self._netrc)[key] = get_netrc_auth(request.url) or _NO_CREDENTIALS
            request.auth = self._netrc[key]
        return super().prepare_request(request)

    def merge_environment_settings(self, url: Any, proxies: Any, stream: Any, verify: Any, cert: Any) -> Any:
        """requests' own, with the environment's proxies for ``url`` looked up once per origin."""
        if self.trust_env:
            no_proxy = proxies.get("no_proxy") if proxies is not None else None
            key = (origin(url), no_proxy)
            if key not in self._proxies:
                _bounded(self._proxies)[key] = get_environ_proxies(url, no_proxy=no_proxy)
            if proxies is not None:
                for name, value in self._proxies[key].items():
                    proxies.setdefault(name, value)
            if verify is True or verify is None:
                verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or verify
        return {"proxies": merge_setting(proxies, self.proxies), "stream": merge_setting(stream, self.stream),
                "verify": merge_setting(verify, self.verify), "cert": merge_setting(cert, self.cert)}


def _bounded(cache: Dict[Any, Any]) -> Dict[Any, Any]:
    if len(cache) >= _ORIGINS:
        cache.clear()
    return cache
