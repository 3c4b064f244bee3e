"""The signing rules, checked against the protocol document's own examples."""

from renderbus_dcc import signing

DOC_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"
DOC_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
DOC_HEADERS = {
    "accessId": DOC_ID,
    "channel": 7,
    "platform": 1,
    "UTCTimestamp": 1535957371,
    "nonce": 11886,
    "version": "1.0.0",
}
DOC_TEXT = (
    "[POST]task.renderbus.com:/api/render/common/queryPlatforms&UTCTimestamp=1535957371"
    "&accessId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&channel=7&nonce=11886&platform=1&version=1.0.0&zone=2"
)
DOC_SIGNATURE = "6tvuz8bgDCz5vtS3amuMWVbOqzhaeWaOhNcWMqx9zcg="


def test_document_signing_example_reproduces() -> None:
    path = "/api/render/common/queryPlatforms"
    assert signing.string_to_sign("task.renderbus.com", path, DOC_HEADERS, {"zone": 2}) == DOC_TEXT
    assert signing.sign(DOC_KEY, "task.renderbus.com", path, DOC_HEADERS, {"zone": 2}) == DOC_SIGNATURE


def test_header_values_as_strings_sign_the_same() -> None:
    as_text = {k: str(v) for k, v in DOC_HEADERS.items()}
    path = "/api/render/common/queryPlatforms"
    assert signing.sign(DOC_KEY, "task.renderbus.com", path, as_text, {"zone": 2}) == DOC_SIGNATURE


def test_signature_and_content_type_are_not_signed() -> None:
    extra = dict(DOC_HEADERS, signature="x", **{"Content-Type": "application/json"})
    assert signing.canonical_query(extra, {"zone": 2}) == signing.canonical_query(DOC_HEADERS, {"zone": 2})


def test_document_flattening_example() -> None:
    body = {
        "taksId": 2,
        "renderEnvs": [{"envId": 1, "pluginIds": [2, 3, 4]}, {"envId": 3, "pluginIds": [7, 8, 10]}],
    }
    assert signing.flatten(body) == {
        "taksId": "2",
        "renderEnvs0.envId": "1",
        "renderEnvs0.pluginIds0": "2",
        "renderEnvs0.pluginIds1": "3",
        "renderEnvs0.pluginIds2": "4",
        "renderEnvs1.envId": "3",
        "renderEnvs1.pluginIds0": "7",
        "renderEnvs1.pluginIds1": "8",
        "renderEnvs1.pluginIds2": "10",
    }


def test_empty_lists_objects_and_nulls_add_no_key() -> None:
    assert signing.flatten({"pluginIds": [], "a": {}, "b": None, "c": 0}) == {"c": "0"}


def test_code_point_order_and_utf8() -> None:
    query = signing.canonical_query({"accessId": "a", "UTCTimestamp": 1}, {"sceneName": "衣帽间.max", "Zed": 1})
    assert query == "UTCTimestamp=1&Zed=1&accessId=a&sceneName=衣帽间.max"
    sig = signing.sign("k", "h", "/p", {}, {"name": "森林"})
    assert signing.verify("k", ["h:80", "h"], "/p", {}, {"name": "森林"}, sig)
    assert not signing.verify("k", ["h:80"], "/p", {}, {"name": "森林"}, sig)


def test_what_is_signed_is_what_the_json_body_carries() -> None:
    """IntEnum, str-based Enum and float values sign as the JSON body writes them, on every Python.

    (``str()`` of an IntEnum is ``FrameStatus.DONE`` before Python 3.11: a request carrying one
    was signed with the name while its body said ``4``, and the farm answered 611.)
    """
    import json

    from renderbus_dcc.constants import CgId, FrameStatus
    from renderbus_dcc.validation import Severity

    body = {"cgId": CgId.MAYA, "status": [FrameStatus.DONE, FrameStatus.FAILED], "level": Severity.ERROR,
            "ratio": 0.1, "big": 1e16, "small": 2.5e-07, "whole": 3.0, "nested": {"type": FrameStatus.DONE}}
    sent = json.loads(json.dumps(body, ensure_ascii=False, separators=(",", ":")))  # what the server reads
    assert signing.flatten(body) == signing.flatten(sent)
    assert signing.flatten(body)["status0"] == "4" and signing.flatten(body)["level"] == "error"
    assert signing.flatten({"ratio": 0.1, "big": 1e16})["big"] == json.dumps(1e16) == "1e+16"
    path = "/api/render/handle/recommitTaskFrames"
    assert signing.sign(DOC_KEY, "task.renderbus.com", path, DOC_HEADERS, body) == \
        signing.sign(DOC_KEY, "task.renderbus.com", path, DOC_HEADERS, sent)


def test_numbers_json_cannot_carry_are_refused() -> None:
    import pytest

    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValueError):
            signing.flatten({"x": bad})
