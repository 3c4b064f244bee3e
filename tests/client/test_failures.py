"""Failures a user meets: protocol error codes, a wrong clock, broken networks, proxy pages,
and the promise that state-changing calls are never sent twice and the key never leaks."""

import logging
import pickle
import socket
import traceback

import pytest

from renderbus_dcc import errors
from renderbus_dcc.client import RenderbusClient
from renderbus_dcc.constants import ErrorCode
from renderbus_dcc.routes import OPERATIONS

from .conftest import make_client
from .payload_server import Plan, PayloadServer

CLASSES = {
    100: errors.FailError,
    301: errors.NeedRedirectError,
    403: errors.ForbiddenError,
    404: errors.NotFoundError,
    700: errors.NoMoreRecordError,
    500: errors.InternalServerError,
    600: errors.ParameterInvalidError,
    601: errors.ParameterMissingError,
    602: errors.NeedUserLoginError,
    603: errors.IllegalProtocolError,
    604: errors.ValidateCodeError,
    605: errors.InsufficientPermissionsError,
    606: errors.ValidateCommonCodeError,
    607: errors.ValidateSendCodeError,
    608: errors.UserAreaError,
    610: errors.SignatureExpiredError,
    611: errors.SignatureInvalidError,
}


def test_every_error_code_of_the_document_has_its_class() -> None:
    assert set(CLASSES) == {int(c) for c in ErrorCode} - {200}


@pytest.mark.parametrize("code", sorted(CLASSES))
def test_error_code_becomes_its_class(server: PayloadServer, client: RenderbusClient, code: int) -> None:
    server.plan("getTaskList", Plan(code=code, message="server says %d" % code, data={"detail": 1}, server_time=0))
    with pytest.raises(CLASSES[code]) as caught:
        client.get_task_list()
    error = caught.value
    assert error.code == code and error.name == ErrorCode(code).name
    assert error.server_message == "server says %d" % code
    assert error.path == "/api/render/task/getTaskList"
    assert error.nonce == server.last()["headers"]["nonce"]
    assert error.data == {"detail": 1}
    line = str(error)
    assert str(code) in line and ErrorCode(code).name in line and error.hint in line
    assert server.count("getTaskList") == 1  # protocol errors are answers, not retried


def test_unknown_error_code_is_an_api_error(server: PayloadServer, client: RenderbusClient) -> None:
    server.plan("queryPlatforms", Plan(code=999, message="new"))
    with pytest.raises(errors.APIError) as caught:
        client.query_platforms()
    assert caught.value.code == 999 and "UNKNOWN_999" in str(caught.value)


def test_wrong_key_is_signature_invalid(server: PayloadServer) -> None:
    with RenderbusClient(server.access_id, "wrong-key", server.url, backoff=0.001) as client:
        with pytest.raises(errors.SignatureInvalidError) as caught:
            client.query_user_profile()
    assert "611 SIGNATURE_INVALID" in str(caught.value) and "renderbus config" in str(caught.value)


@pytest.mark.parametrize("skew", [3600.0, -7200.0])
def test_clock_offset_is_learned_and_the_call_resigned(server: PayloadServer, skew: float) -> None:
    server.skew = skew
    with make_client(server) as client:
        task = client.create_task()  # a state-changing call: the 610 answer means it was refused
        assert task.task_ids == [19097]
        assert abs(client.clock_offset - skew) < 5
        first, second = server.requests
        assert first["code"] == 610 and second["code"] == 200
        assert first["headers"]["nonce"] != second["headers"]["nonce"]
        assert abs(int(second["headers"]["UTCTimestamp"]) - int(first["headers"]["UTCTimestamp"]) - skew) < 5
        client.query_platforms()  # later calls use the learned offset straight away
        assert server.requests[-1]["code"] == 200 and len(server.requests) == 3


def test_second_610_is_raised(server: PayloadServer, client: RenderbusClient) -> None:
    server.plan("queryPlatforms", Plan(code=610), Plan(code=610))
    with pytest.raises(errors.SignatureExpiredError):
        client.query_platforms()
    assert server.count("queryPlatforms") == 2


@pytest.mark.parametrize("operation", sorted(n for n, op in OPERATIONS.items() if op.mutates))
def test_state_changing_calls_are_never_retried(server: PayloadServer, client: RenderbusClient, operation: str) -> None:
    server.plan(operation, Plan(http=503, body=b"<html><title>503 Service Unavailable</title></html>", content_type="text/html"))
    fields = {
        "updateUserSetting": {"taskOverTime": 1}, "createTask": {"count": 1}, "submitTask": {"taskId": 1},
        "addLabel": {"newName": "a"}, "deleteLabel": {"delName": "a"}, "restartFrame": {"taskId": 1},
        "addRenderEnv": {"cgId": 1, "cgName": "M", "cgVersion": "1", "editName": "e"},
        "updateRenderEnv": {"cgId": 1, "cgName": "M", "cgVersion": "1", "editName": "e"},
        "deleteRenderEnv": {"editName": "e"}, "setDefaultRenderEnv": {"editName": "e"},
    }.get(operation, {"taskIds": [1]})
    with pytest.raises(errors.HTTPStatusError) as caught:
        client.call(operation, fields)
    assert caught.value.status == 503 and "503 Service Unavailable" in str(caught.value)
    assert server.count(operation) == 1


def test_dropped_connection_on_create_task_is_not_retried(server: PayloadServer, client: RenderbusClient) -> None:
    server.plan("createTask", Plan(drop=True))
    with pytest.raises(errors.TransportError) as caught:
        client.create_task()
    assert "connection closed" in str(caught.value) or "cannot reach" in str(caught.value)
    assert server.count("createTask") == 1


def test_queries_are_retried_on_5xx_and_drops(server: PayloadServer, client: RenderbusClient) -> None:
    server.plan(
        "queryTaskInfo",
        Plan(http=502, body=b"<html><title>502 Bad Gateway</title></html>", content_type="text/html"),
        Plan(drop=True),
        Plan(code=500, http=500),
    )
    assert client.query_task_info(19084).items[0].id == 19084
    assert server.count("queryTaskInfo") == 4
    assert len({r["headers"]["nonce"] for r in server.requests}) == 4  # re-signed every attempt


def test_query_retries_are_bounded(server: PayloadServer) -> None:
    server.plan("queryPlatforms", *[Plan(http=503, body=b"busy", content_type="text/plain")] * 5)
    with make_client(server, retries=2) as client:
        with pytest.raises(errors.HTTPStatusError, match="HTTP 503"):
            client.query_platforms()
    assert server.count("queryPlatforms") == 3


def test_backoff_is_exponential_capped_and_jittered(client: RenderbusClient) -> None:
    transport = client.transport
    transport.backoff, transport.backoff_max = 0.5, 4.0
    delays = [transport.delay(n) for n in range(8)]
    assert 0.25 <= delays[0] <= 0.5 and 0.5 <= delays[1] <= 1.0
    assert all(d <= 4.0 for d in delays)


def test_timeouts_are_retried_for_queries(server: PayloadServer) -> None:
    server.plan("queryUserProfile", Plan(delay=0.6))
    with make_client(server, timeout=0.3) as client:
        assert client.query_user_profile().user_name == "rayvision"
    assert server.count("queryUserProfile") == 2


def free_port() -> int:
    """A loopback port nobody listens on."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.mark.parametrize("method", ["query_platforms", "create_task"])
def test_unreachable_server_is_a_transport_error(method: str) -> None:
    port = free_port()
    with RenderbusClient("id", "key", "http://127.0.0.1:%d" % port, retries=1, backoff=0.001) as client:
        with pytest.raises(errors.TransportError) as caught:
            getattr(client, method)()
    text = str(caught.value)
    # a connection that could not be opened sent nothing: even createTask may try again
    assert "connection refused" in text and "127.0.0.1:%d" % port in text and "after 2 attempts" in text


def test_html_error_page_is_a_clear_http_error(server: PayloadServer, client: RenderbusClient) -> None:
    page = b"<html><head><title>403 Forbidden</title></head><body><h1>Access denied</h1> by proxy</body></html>"
    server.plan("getTransferBid", Plan(http=403, body=page, content_type="text/html"))
    with pytest.raises(errors.HTTPStatusError) as caught:
        client.get_transfer_bid()
    text = str(caught.value)
    assert "HTTP 403" in text and "/api/render/task/getTransferBid" in text and "403 Forbidden: Access denied by proxy" in text
    assert caught.value.status == 403 and "proxy" in caught.value.hint


def test_html_with_status_200_is_a_bad_response(server: PayloadServer, client: RenderbusClient) -> None:
    server.plan("queryPlatforms", Plan(http=200, body=b"<html><title>Portal login</title></html>", content_type="text/html"))
    with pytest.raises(errors.BadResponseError, match="not the API's JSON: Portal login"):
        client.query_platforms()


def test_json_without_envelope_is_a_bad_response(server: PayloadServer, client: RenderbusClient) -> None:
    server.plan("queryPlatforms", Plan(http=200, body=b'{"hello": 1}'))
    with pytest.raises(errors.BadResponseError):
        client.query_platforms()


def test_wrong_profile_gives_a_clear_404(server: PayloadServer) -> None:
    with RenderbusClient(server.access_id, server.access_key, server.url + "/elsewhere", backoff=0.001) as client:
        with pytest.raises(errors.NotFoundError, match="404 RESOURCE_NOT_FOUND"):
            client.query_platforms()


def test_fetch_missing_image_is_http_error(client: RenderbusClient) -> None:
    with pytest.raises(errors.HTTPStatusError, match="404 Not Found"):
        client.fetch("/grab/missing.jpg")


def test_the_access_key_never_leaks(server: PayloadServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    key = server.access_key
    texts = []
    with make_client(server) as client:
        texts += [repr(client), str(client), repr(vars(client)), repr(client.transport)]
        client.query_task_info([19084])
        server.plan("createTask", Plan(code=611, message="bad"))
        server.plan("queryPlatforms", Plan(http=502, body=b"<html>bad gateway</html>", content_type="text/html"))
        for call in (client.create_task, lambda: client.query_platforms()):
            try:
                call()
            except errors.RenderbusError as exc:
                texts += [str(exc), repr(exc), "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))]
        with pytest.raises(TypeError):
            pickle.dumps(client._key)
    texts.append(caplog.text)
    assert "***" in caplog.text  # the signature header was logged, redacted
    for text in texts:
        assert key not in text
    for request in server.requests:
        assert key not in repr(request)  # not sent on the wire either


GARBLED = b'{"version":"1.0.0","result":true,"message":"success","code":2\x12\x9c\x00<html>'


def test_a_garbled_answer_to_a_query_is_asked_again(server: PayloadServer, client: RenderbusClient) -> None:
    server.plan("queryTaskInfo", Plan(body=GARBLED), Plan(body=b""), Plan(body=b'{"code": 200, "da'))
    assert client.query_task_info(19084).items[0].id == 19084
    assert server.count("queryTaskInfo") == 4


def test_garbled_answers_that_persist_say_so_not_proxy(server: PayloadServer) -> None:
    server.plan("queryPlatforms", *[Plan(body=GARBLED)] * 4)
    with make_client(server, retries=2) as client:
        with pytest.raises(errors.BadResponseError) as caught:
            client.query_platforms()
    assert server.count("queryPlatforms") == 3
    text = str(caught.value)
    assert "cut short or garbled 3 times in a row" in text and "proxy is in the way" not in text
    assert "try again" in caught.value.hint


def test_a_garbled_answer_to_a_state_changing_call_is_an_unknown_outcome(server: PayloadServer,
                                                                       client: RenderbusClient) -> None:
    server.plan("createTask", Plan(body=GARBLED))
    with pytest.raises(errors.BadResponseError) as caught:
        client.create_task()
    assert server.count("createTask") == 1  # never sent twice blind
    assert errors.outcome_unknown(caught.value)


def test_which_failures_leave_the_outcome_unknown() -> None:
    unknown = [errors.OutcomeUnknown("lost"), errors.TransportError("timed out"), errors.BadResponseError("x"),
               errors.HTTPStatusError("bad gateway", status=502), errors.InternalServerError("boom")]
    known = [errors.TransportError("refused", sent=False), errors.HTTPStatusError("proxy says no", status=403),
             errors.ParameterInvalidError("already submitted"), errors.ForbiddenError("not yours")]
    assert all(errors.outcome_unknown(e) for e in unknown)
    assert not any(errors.outcome_unknown(e) for e in known)


def test_a_drop_after_a_state_changing_call_was_sent_is_an_unknown_outcome(server: PayloadServer,
                                                                         client: RenderbusClient) -> None:
    server.plan("submitTask", Plan(drop=True))
    with pytest.raises(errors.OutcomeUnknown) as caught:
        client.submit_task(19084)
    assert "may or may not have been carried out" in str(caught.value) and server.count("submitTask") == 1


def test_a_refused_connection_is_tried_only_twice_more() -> None:
    port = free_port()
    with RenderbusClient("id", "key", "http://127.0.0.1:%d" % port, retries=6, backoff=0.001) as client:
        with pytest.raises(errors.TransportError) as caught:
            client.query_platforms()
    assert "after 3 attempts" in str(caught.value) and client.transport.sent == 3
    assert not errors.outcome_unknown(caught.value)  # nothing was sent


def test_a_portal_page_is_not_asked_again(server: PayloadServer, client: RenderbusClient) -> None:
    server.plan("queryPlatforms", Plan(http=200, body=b"<html><title>Portal login</title></html>",
                                       content_type="text/html"))
    with pytest.raises(errors.BadResponseError, match="Portal login"):
        client.query_platforms()
    assert server.count("queryPlatforms") == 1  # the same page again would help nobody


def test_retries_stop_at_the_time_budget(server: PayloadServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that keeps timing out is not waited for seven times over."""
    from renderbus_dcc.transport import Transport

    monkeypatch.setattr(Transport, "budget", property(lambda self: 0.5))
    server.plan("queryUserProfile", *[Plan(delay=0.4)] * 7)
    with make_client(server, timeout=0.2, retries=6) as client:
        with pytest.raises(errors.TransportError, match="timed out"):
            client.query_user_profile()
    assert server.count("queryUserProfile") < 5
