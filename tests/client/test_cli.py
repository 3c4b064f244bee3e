"""The `renderbus` command against the checking server: tables, --json, exit status, config."""

import json
import logging
from typing import List, Tuple

import pytest

from renderbus_dcc import config as cfg
from renderbus_dcc.cli import main
from renderbus_dcc.cli.api import display_width, format_table

from .payload_server import Plan, PayloadServer


@pytest.fixture
def env(server: PayloadServer, monkeypatch: pytest.MonkeyPatch) -> PayloadServer:
    monkeypatch.setenv("RENDERBUS_ACCESS_ID", server.access_id)
    monkeypatch.setenv("RENDERBUS_ACCESS_KEY", server.access_key)
    monkeypatch.setenv("RENDERBUS_ENDPOINT", server.url)
    return server


def run(capsys: pytest.CaptureFixture, *argv: str) -> Tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_table_pads_by_display_width() -> None:
    assert display_width("衣帽间.max") == 10
    text = format_table(("SCENE", "N"), [("衣帽间.max", 1), ("a.ma", 22)], numeric=(1,))
    lines = text.splitlines()
    assert [display_width(line) for line in lines] == [14, 14, 14, 14]
    assert lines[2].endswith(" 1") and lines[3].startswith("a.ma      ")


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["platforms"], ["query_platform_w2"]),
        (["whoami"], ["rayvision (10001136)", "49.93"]),
        (["settings"], ["12 h"]),
        (["software"], ["Maya", "ma;mb"]),
        (["plugins", "2005"], ["CINEMA 4D", "zblur 2.02.019"]),
        (["env", "list", "maya"], ["testRenderEnv332", "wobble 0.9.5"]),
        (["tasks", "list"], ["P18278", "衣帽间.max", "page 1 of 32"]),
        (["tasks", "info", "19084"], ["RenderPhoton", "11/17", "stop"]),
        (["tasks", "frames", "19088"], ["1546598", "done", "main"]),
        (["tasks", "stats"], ["308", "577"]),
        (["labels", "list"], ["森林场景"]),
        (["error-detail", "15000"], ["error (blocks submission)", "3ds max"]),
        (["progress", "389406"], ["2000x1500", "100%"]),
        (["bid"], ["30201", "10201", "20201"]),
    ],
)
def test_query_commands_print_tables(env: PayloadServer, capsys: pytest.CaptureFixture, argv: List[str], expected: List[str]) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 0, err
    for text in expected:
        assert text in out


@pytest.mark.parametrize(
    "argv, operation, body",
    [
        (["settings", "--task-over-time", "13"], "updateUserSetting", {"taskOverTime": 13}),
        (["tasks", "stop", "1", "2"], "stopTask", {"taskIds": [1, 2]}),
        (["tasks", "start", "1"], "startTask", {"taskIds": [1]}),
        (["tasks", "abort", "1"], "abortTask", {"taskIds": [1]}),
        (["tasks", "delete", "1"], "deleteTask", {"taskIds": [1]}),
        (["tasks", "retry-failed", "1"], "restartFailedFrames", {"taskIds": [1]}),
        (["tasks", "retry-frames", "10001", "5", "6"], "restartFrame", {"taskId": 10001, "ids": [5, 6], "selectAll": 0}),
        (["tasks", "retry-frames", "10001", "--all"], "restartFrame", {"taskId": 10001, "selectAll": 1}),
        (["labels", "add", "森林"], "addLabel", {"newName": "森林", "status": 0}),
        (["labels", "delete", "森林"], "deleteLabel", {"delName": "森林"}),
        (["env", "add", "e1", "--cg", "maya", "--version", "2024", "--plugin-id", "1166", "--linux"], "addRenderEnv",
         {"cgId": 2000, "cgName": "Maya", "cgVersion": "2024", "editName": "e1", "renderSystem": 0, "pluginIds": [1166],
          "renderLayerType": 0}),
        (["env", "update", "e1", "--cg", "2001", "--cg-name", "3ds Max", "--version", "2023"], "updateRenderEnv",
         {"cgId": 2001, "cgName": "3ds Max", "cgVersion": "2023", "editName": "e1", "renderSystem": 1, "pluginIds": [],
          "renderLayerType": 0}),
        (["env", "delete", "e1"], "deleteRenderEnv", {"editName": "e1"}),
        (["env", "default", "e1"], "setDefaultRenderEnv", {"editName": "e1"}),
    ],
)
def test_action_commands_send_the_right_request(
    env: PayloadServer, capsys: pytest.CaptureFixture, argv: List[str], operation: str, body: dict
) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 0, err
    assert env.last(operation)["body"] == body
    assert out.strip()


def test_json_output_for_scripts(env: PayloadServer, capsys: pytest.CaptureFixture) -> None:
    status, out, _ = run(capsys, "tasks", "info", "19084", "--json")
    assert status == 0
    tasks = json.loads(out)
    assert tasks[0]["id"] == 19084 and tasks[0]["children"][1]["status"] == 10
    status, out, _ = run(capsys, "tasks", "stop", "7", "--json")
    assert json.loads(out) == {"ok": True, "task_ids": [7]}


def test_common_flags_override_the_configuration(env: PayloadServer, capsys: pytest.CaptureFixture) -> None:
    status, _, _ = run(capsys, "tasks", "list", "--profile", "v2", "--platform", "7")
    assert status == 0
    request = env.last("getTaskList")
    assert request["path"] == "/api/render/handle/getTaskList/v2" and request["headers"]["platform"] == "7"


def test_failure_is_one_line_with_code_name_and_hint(env: PayloadServer, capsys: pytest.CaptureFixture) -> None:
    env.plan("stopTask", Plan(code=403, message="not your task"))
    status, out, err = run(capsys, "tasks", "stop", "1")
    assert status == 1 and out == ""
    assert err.count("\n") == 1
    assert "403 FORBIDDEN: not your task" in err and "another account" in err


def test_missing_credentials_say_what_to_do(capsys: pytest.CaptureFixture) -> None:
    status, _, err = run(capsys, "whoami")
    assert status == 1 and "renderbus config" in err and err.count("\n") == 1


def test_config_stores_credentials_and_show_hides_the_key(env: PayloadServer, capsys: pytest.CaptureFixture,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("RENDERBUS_ACCESS_ID", "RENDERBUS_ACCESS_KEY", "RENDERBUS_ENDPOINT"):
        monkeypatch.delenv(name)
    status, out, err = run(capsys, "config", "--access-id", env.access_id, "--access-key", env.access_key,
                           "--endpoint", env.url, "--profile", "v2")
    assert status == 0, err
    assert "saved to" in out
    status, out, _ = run(capsys, "config", "show")
    assert status == 0 and env.access_id in out and env.access_key not in out and "(set, from config file)" in out
    status, out, _ = run(capsys, "whoami")  # uses what was stored
    assert status == 0 and "profile v2" in out
    status, out, _ = run(capsys, "config", "--platform", "5")  # keeps the stored key
    assert status == 0 and cfg.load_config().access_key == env.access_key and cfg.load_config().platform == 5


def test_config_without_a_key_says_what_to_do(capsys: pytest.CaptureFixture) -> None:
    status, _, err = run(capsys, "config", "--access-id", "someone")
    assert status == 1 and "no access key given" in err and "--access-key" in err


def test_config_without_a_terminal_stores_no_key_from_the_environment(capsys: pytest.CaptureFixture,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RENDERBUS_ACCESS_ID", "env-id")
    monkeypatch.setenv("RENDERBUS_ACCESS_KEY", "env-secret-key")
    monkeypatch.setattr("sys.stdin", open("/dev/null"))
    status, out, err = run(capsys, "config", "--platform", "5")
    assert status == 1 and not cfg.config_path().exists()  # nothing silently copied
    assert "RENDERBUS_ACCESS_KEY" in err and "--from-env" in err and "env-secret-key" not in out + err
    status, out, err = run(capsys, "config", "--platform", "5", "--from-env")
    assert status == 0, err
    assert "access key:" in out and "(set, not shown; in the file) [environment (RENDERBUS_ACCESS_KEY)]" in out
    assert "env-id [environment (RENDERBUS_ACCESS_ID)]" in out and "5 [argument]" in out
    assert "env-secret-key" not in out + err
    stored = cfg.load_config(environment=False)
    assert (stored.access_id, stored.access_key, stored.platform) == ("env-id", "env-secret-key", 5)
    status, out, err = run(capsys, "config", "--confirm-frames", "200")  # the key stays as stored
    assert status == 0 and "not stored, from the environment" in err and "confirm above (frames):" in out
    assert cfg.load_config(environment=False).confirm_frames == 200


def test_config_prompts_for_the_key(capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    asked = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "typed-id")
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or "typed-key")
    status, out, err = run(capsys, "config")
    assert status == 0, err
    assert cfg.load_config().access_id == "typed-id" and cfg.load_config().access_key == "typed-key"
    assert "typed-key" not in out and any("Access key" in p for p in asked)


def test_debug_logging_of_the_cli_never_shows_the_key(env: PayloadServer, capsys: pytest.CaptureFixture,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    env.plan("createTask", Plan(code=611))
    assert run(capsys, "-vv", "tasks", "list")[0] == 0
    _, out, err = run(capsys, "-vv", "config", "show")
    assert "signature" in caplog.text
    assert env.access_key not in caplog.text + out + err


def test_install_without_an_application_shows_its_own_help(capsys: pytest.CaptureFixture) -> None:
    status, out, _ = run(capsys, "install")
    assert status == 2 and out.startswith("usage: renderbus install")


def test_a_plain_web_server_as_endpoint_is_named_as_the_problem(tmp_path, env: PayloadServer,
                                                                capsys: pytest.CaptureFixture) -> None:
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(tmp_path))
    web = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # `python -m http.server`: no POST (501)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    try:
        status, _, err = run(capsys, "tasks", "stop", "1", "--endpoint", "http://127.0.0.1:%d" % web.server_address[1])
    finally:
        web.shutdown()
        web.server_close()
    assert status == 1 and err.count("\n") == 1
    assert "HTTP 501" in err and "not a Renderbus API address: check the endpoint" in err and "try again later" not in err


def test_the_status_filter_says_which_codes_there_are(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit):
        main(["tasks", "list", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "0 waiting, 5 rendering, 10 stopped, 25 finished" in out
