"""Fixtures of the client tests: a checking HTTP server with the document's payloads."""

from typing import Iterator

import pytest

from renderbus_dcc.client import RenderbusClient

from .payload_server import PayloadServer


@pytest.fixture
def server() -> Iterator[PayloadServer]:
    """A running PayloadServer on a free loopback port."""
    with PayloadServer() as running:
        yield running


@pytest.fixture(params=["v1", "v2"])
def profile(request: pytest.FixtureRequest) -> str:
    return request.param


def make_client(server: PayloadServer, profile: str = "v1", **kw: object) -> RenderbusClient:
    options = dict(timeout=2.0, retries=3, backoff=0.001)
    options.update(kw)
    return RenderbusClient(server.access_id, server.access_key, server.url, platform=2, profile=profile, **options)


@pytest.fixture
def client(server: PayloadServer) -> Iterator[RenderbusClient]:
    """A v1 client of ``server``, with fast retries."""
    with make_client(server) as c:
        yield c
