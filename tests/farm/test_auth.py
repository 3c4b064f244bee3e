"""Signature checks and the protocol's error codes at the farm's gate."""

import json
import time

import requests

from renderbus_dcc import signing


def test_a_signed_call_is_answered_with_the_envelope(raw):
    env = raw.op("queryPlatforms", {"zone": 1})
    assert env["code"] == 200 and env["result"] is True and env["message"] == "success"
    assert env["version"] == "1.0.0"
    assert abs(env["serverTime"] - time.time() * 1000) < 60_000
    assert {"platform": 2, "name": "query_platform_w2"} in env["data"]


def test_the_host_is_accepted_with_or_without_its_port(raw):
    raw.sign_host = "127.0.0.1"
    assert raw.code("queryUserProfile") == 200
    raw.sign_host = "127.0.0.1:%d" % raw.farm.port
    assert raw.code("queryUserProfile") == 200
    raw.sign_host = "task.renderbus.com"
    assert raw.code("queryUserProfile") == 611


def test_any_changed_header_or_body_field_is_611(raw):
    path = raw.profile.path("createTask")
    fields = {"count": 1}
    for name, value in (("channel", "7"), ("platform", "9"), ("nonce", "1"), ("UTCTimestamp", str(int(time.time()) - 1))):
        headers = raw.headers(path, fields)
        headers[name] = value
        env = raw.post(path, fields, headers=headers).json()
        assert env["code"] == 611, (name, env)
    headers = raw.headers(path, fields)
    env = raw.post(path, {"count": 2}, headers=headers).json()  # body changed after signing
    assert env["code"] == 611
    headers = raw.headers(path, fields)
    headers["signature"] = signing.sign("not the key", raw.sign_host, path, headers, fields)
    assert raw.post(path, fields, headers=headers).json()["code"] == 611
    headers = raw.headers(path, fields)
    del headers["signature"]
    assert raw.post(path, fields, headers=headers).json()["code"] == 611
    # nothing was created by the refused calls
    assert raw.data("createTask", {"count": 1})["taskIdList"] == [19000]


def test_a_stale_timestamp_is_610_and_says_the_server_time(raw):
    path = raw.profile.path("queryUserProfile")
    for offset in (-301 - 5, 400):
        headers = raw.headers(path, {}, UTCTimestamp=str(int(time.time()) + offset))
        env = raw.post(path, {}, headers=headers).json()
        assert env["code"] == 610, env
        assert abs(env["serverTime"] - time.time() * 1000) < 60_000
    headers = raw.headers(path, {}, UTCTimestamp=str(int(time.time()) - 200))
    assert raw.post(path, {}, headers=headers).json()["code"] == 200


def test_a_reused_nonce_is_refused_with_603(raw):
    path = raw.profile.path("createTask")
    headers = raw.headers(path, {"count": 1})
    assert raw.post(path, {"count": 1}, headers=headers).json()["code"] == 200
    env = raw.post(path, {"count": 1}, headers=headers).json()
    assert env["code"] == 603 and "nonce" in env["message"]
    assert raw.data("getTaskList", {"pageNum": 1, "pageSize": 10})["total"] == 0
    assert raw.data("createTask", {"count": 1})["taskIdList"] == [19001]  # the replay made nothing


def test_unknown_access_id_is_602(make_raw):
    stranger = make_raw(access_id="AKIDnobody", access_key="whatever")
    env = stranger.op("queryUserProfile")
    assert env["code"] == 602 and "accessId" in env["message"]


def test_missing_header_is_601_and_wrong_version_603(raw, raw2):
    path = raw.profile.path("queryUserProfile")
    headers = raw.headers(path, {})
    del headers["nonce"]
    assert raw.post(path, {}, headers=headers).json()["code"] == 601
    v2path = raw2.profile.path("queryUserProfile")
    headers = raw.headers(v2path, {})  # signs version 1.0.0 for a v2 path
    env = raw.post(v2path, {}, headers=headers).json()
    assert env["code"] == 603 and env["version"] == "2.0.0"


def test_unknown_path_is_http_404_with_the_envelope(raw):
    response = raw.post("/api/render/task/noSuchThing", {})
    assert response.status_code == 404
    env = response.json()
    assert env["code"] == 404 and env["result"] is False
    assert requests.get(raw.farm.url + "/farm/grab/999999/50.png", timeout=5).status_code == 404


def test_a_body_that_is_not_a_json_object_is_600(raw):
    path = raw.profile.path("queryPlatforms")
    headers = raw.headers(path, {})
    headers["Content-Type"] = "application/json"
    env = raw.session.post(raw.farm.url + path, data=b"[1, 2", headers=headers, timeout=5).json()
    assert env["code"] == 600


def test_keep_alive_serves_many_calls_on_one_connection(raw):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", raw.farm.port, timeout=5)
    path = raw.profile.path("queryUserSetting")
    sockets = set()
    for _ in range(20):
        headers = raw.headers(path, {})
        headers["Content-Type"] = "application/json"
        conn.request("POST", path, body=b"{}", headers=headers)
        response = conn.getresponse()
        assert json.loads(response.read())["code"] == 200
        assert response.getheader("Connection") != "close"
        sockets.add(id(conn.sock))
    conn.close()
    assert len(sockets) == 1


def test_booleans_and_nulls_are_not_signable(raw):
    path = raw.profile.path("createTask")
    fields = {"count": 1}
    headers = raw.headers(path, fields)
    headers["Content-Type"] = "application/json"
    body = json.dumps({"count": 1, "outUserId": None}).encode()
    env = raw.session.post(raw.farm.url + path, data=body, headers=headers, timeout=5).json()
    assert env["code"] == 200  # null adds no key, as the signing rules say
