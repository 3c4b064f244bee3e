"""The client's session reads the environment once per origin and does with it what requests does."""

import base64

import pytest
import requests

from renderbus_dcc import http_session
from renderbus_dcc.http_session import Session, origin
from renderbus_dcc.transport import Transport

API = "http://farm.studio.lan:8080/api/render/user/queryUserSetting"

ENVIRONMENTS = [
    {},
    {"HTTP_PROXY": "http://proxy.studio.lan:3128"},
    {"http_proxy": "http://proxy.studio.lan:3128", "HTTPS_PROXY": "http://secure.studio.lan:3129"},
    {"HTTP_PROXY": "http://proxy.studio.lan:3128", "NO_PROXY": "studio.lan"},
    {"HTTP_PROXY": "http://proxy.studio.lan:3128", "no_proxy": "other.lan,.farm.studio.lan"},
    {"ALL_PROXY": "socks5://proxy.studio.lan:1080", "REQUESTS_CA_BUNDLE": "/etc/studio/ca.pem"},
    {"CURL_CA_BUNDLE": "/etc/studio/curl-ca.pem"},
]


@pytest.fixture
def clean_environment(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


@pytest.mark.parametrize("environment", ENVIRONMENTS)
@pytest.mark.parametrize("url", [API, "https://downloads.studio.lan/out/a.exr?sig=1", "http://127.0.0.1:5000/x"])
def test_the_settings_are_those_requests_makes(clean_environment, environment, url):
    for name, value in environment.items():
        clean_environment.setenv(name, value)
    for own_proxies, verify in (({}, None), ({"no_proxy": "studio.lan"}, None), ({"http": "http://mine:1"}, False)):
        ours, stock = Session(), requests.Session()
        for session in (ours, stock):
            session.proxies = {"https": "http://session-proxy:8"}
        for _ in range(2):  # the second from what the first looked up
            assert (ours.merge_environment_settings(url, dict(own_proxies), None, verify, None)
                    == stock.merge_environment_settings(url, dict(own_proxies), None, verify, None))


def test_a_session_that_does_not_trust_the_environment_reads_none_of_it(clean_environment):
    clean_environment.setenv("HTTP_PROXY", "http://proxy.studio.lan:3128")
    ours = Session()
    ours.trust_env = False
    assert ours.merge_environment_settings(API, {}, None, None, None)["proxies"] == {}


def test_the_environment_is_read_once_per_origin(clean_environment):
    clean_environment.setenv("HTTP_PROXY", "http://proxy.studio.lan:3128")
    looked_up = []
    real = http_session.get_environ_proxies

    def counted(url, no_proxy=None):
        looked_up.append(origin(url))
        return real(url, no_proxy=no_proxy)

    clean_environment.setattr(http_session, "get_environ_proxies", counted)
    session = Session()
    for i in range(50):
        settings = session.merge_environment_settings(API + "?n=%d" % i, {}, None, None, None)
        assert settings["proxies"] == {"http": "http://proxy.studio.lan:3128"}
    session.merge_environment_settings("http://other.studio.lan/x", {}, None, None, None)
    assert looked_up == ["http://farm.studio.lan:8080", "http://other.studio.lan"]


def _authorization(session, url):
    return session.prepare_request(requests.Request("POST", url, data=b"{}")).headers.get("Authorization")


def test_netrc_credentials_are_read_once_per_origin_and_used_as_requests_uses_them(clean_environment, tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine farm.studio.lan login artist password s3cret\n")
    netrc.chmod(0o600)
    clean_environment.setenv("NETRC", str(netrc))
    read = []
    real = http_session.get_netrc_auth
    clean_environment.setattr(http_session, "get_netrc_auth", lambda url: read.append(url) or real(url))
    ours = Session()
    expected = "Basic " + base64.b64encode(b"artist:s3cret").decode()
    for _ in range(20):
        assert _authorization(ours, API) == expected == _authorization(requests.Session(), API)
        assert _authorization(ours, "http://other.studio.lan/x") is None  # no entry: none sent
    assert len(read) == 2
    own = ours.prepare_request(requests.Request("POST", API, auth=("me", "pw")))
    assert own.headers["Authorization"] == "Basic " + base64.b64encode(b"me:pw").decode()  # a request's own wins


def test_the_transport_uses_it():
    assert isinstance(Transport("http://127.0.0.1:1").session, Session)
