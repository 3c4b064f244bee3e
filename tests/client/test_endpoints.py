"""Every endpoint, both route profiles, against the checking server: what is sent, what comes back."""

import json
from typing import Any, Callable, Dict, List, Tuple

import pytest

from renderbus_dcc.client import RenderbusClient, signed_host
from renderbus_dcc.constants import FrameStatus, FrameType, TaskStatus
from renderbus_dcc.models import (
    CreatedTasks, ErrorDetail, FrameInfo, FrameStats, Label, Page, Platform, PluginCatalogue, ProgressImage,
    RenderEnv, SupportedSoftware, TaskInfo, TransferBid, UserProfile, UserSetting,
)
from renderbus_dcc.routes import OPERATIONS, PROFILES, method_name

from .conftest import make_client
from .payload_server import PayloadServer

# operation -> (kwargs, body sent under v1, check of the result)
CASES: Dict[str, Tuple[Dict[str, Any], Dict[str, Any], Callable[[Any], bool]]] = {
    "queryPlatforms": ({"zone": 2}, {"zone": 2}, lambda r: r == [Platform(2, "query_platform_w2")]),
    "queryUserProfile": ({}, {}, lambda r: isinstance(r, UserProfile) and r.user_id == 10001136 and r.coupon == 49.93),
    "queryUserSetting": ({}, {}, lambda r: isinstance(r, UserSetting) and r.task_over_time == 12),
    "updateUserSetting": ({"task_over_time": 13}, {"taskOverTime": 13}, lambda r: r is None),
    "getTransferBid": ({}, {}, lambda r: r == TransferBid("30201", "20201", "10201", "")),
    "createTask": ({"count": 1, "out_user_id": 100001}, {"count": 1, "outUserId": 100001},
                   lambda r: isinstance(r, CreatedTasks) and r.task_ids == [19097] and r.aliases == ["2W19097"]),
    "submitTask": ({"task_id": 19111}, {"taskId": 19111}, lambda r: r is None),
    "queryErrorDetail": ({"code": 15000}, {"code": "15000"},
                         lambda r: isinstance(r[0], ErrorDetail) and r[0].code == "15000" and r[0].is_blocking),
    "getTaskList": ({"page_num": 1, "page_size": 1}, {"pageNum": 1, "pageSize": 1},
                    lambda r: isinstance(r, Page) and r.total == 32 and r.items[0].scene_name == "衣帽间.max"),
    "stopTask": ({"task_ids": [1111307, 1111309]}, {"taskIds": [1111307, 1111309]}, lambda r: r is None),
    "startTask": ({"task_ids": [1111307, 1111309]}, {"taskIds": [1111307, 1111309]}, lambda r: r is None),
    "abortTask": ({"task_ids": 1111307}, {"taskIds": [1111307]}, lambda r: r is None),
    "deleteTask": ({"task_ids": (1111307,)}, {"taskIds": [1111307]}, lambda r: r is None),
    "queryTaskFrames": ({"task_id": 19088, "page_num": 1, "page_size": 2}, {"taskId": 19088, "pageNum": 1, "pageSize": 2},
                        lambda r: isinstance(r.items[0], FrameInfo) and r.total == 17),
    "queryAllFrameStats": ({}, {}, lambda r: r == FrameStats(1, 308, 2, 153, 577)),
    "restartFailedFrames": ({"task_ids": [1111307]}, {"taskIds": [1111307]}, lambda r: r is None),
    "restartFrame": ({"task_id": 10001, "ids": [0, 1, 2, 3]}, {"taskId": 10001, "selectAll": 0, "ids": [0, 1, 2, 3]},
                     lambda r: r is None),
    "queryTaskInfo": ({"task_ids": [19084]}, {"taskIds": [19084]},
                      lambda r: isinstance(r.items[0], TaskInfo) and len(r.items[0].children) == 2),
    "addLabel": ({"new_name": "myLabel"}, {"newName": "myLabel", "status": 0}, lambda r: r is None),
    "deleteLabel": ({"del_name": "myLabel"}, {"delName": "myLabel"}, lambda r: r is None),
    "getLabelList": ({}, {}, lambda r: r[0] == Label(1, "森林场景")),
    "querySupportedSoftware": ({}, {}, lambda r: isinstance(r, SupportedSoftware) and r.software[0].cg_name == "Maya"
                               and r.default_cg_id == 2001 and r.find(2000).extensions == ["ma", "mb"]),
    "querySupportedPlugin": ({"cg_id": 2005}, {"cgId": 2005},
                             lambda r: isinstance(r, PluginCatalogue) and r.plugins[0].versions[0].plugin_id == 1652
                             and r.versions[0].cg_version == "R19" and r.plugins_for(19)),
    "addRenderEnv": ({"cg_id": 2000, "cg_name": "Maya", "cg_version": "2020", "edit_name": "testRenderEnv",
                      "render_system": 0, "plugin_ids": [1166]},
                     {"cgId": 2000, "cgName": "Maya", "cgVersion": "2020", "renderLayerType": 0,
                      "editName": "testRenderEnv", "renderSystem": 0, "pluginIds": [1166]},
                     lambda r: r == "testRenderEnv"),
    "updateRenderEnv": ({"cg_id": 2000, "cg_name": "Maya", "cg_version": "2020", "edit_name": "testRenderEnv",
                         "render_system": 0},
                        {"cgId": 2000, "cgName": "Maya", "cgVersion": "2020", "renderLayerType": 0,
                         "editName": "testRenderEnv", "renderSystem": 0, "pluginIds": []},
                        lambda r: r is None),
    "deleteRenderEnv": ({"edit_name": "testRenderEnv"}, {"editName": "testRenderEnv"}, lambda r: r is None),
    "setDefaultRenderEnv": ({"edit_name": "testRenderEnv"}, {"editName": "testRenderEnv"}, lambda r: r is None),
    "getRenderEnv": ({"cg_id": 2000}, {"cgId": 2000},
                     lambda r: isinstance(r[0], RenderEnv) and r[0].plugins[0].plugin_name == "wobble" and not r[0].is_default),
    "loadTaskProcessImg": ({"task_id": 389406}, {"taskId": 389406},
                           lambda r: isinstance(r, ProgressImage) and r.blocks[0][0].frame_percent == 100.0),
}


def test_the_table_covers_every_operation() -> None:
    assert set(CASES) == set(OPERATIONS)


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_every_endpoint_both_profiles(server: PayloadServer, profile: str, operation: str) -> None:
    kwargs, sent, check = CASES[operation]
    with make_client(server, profile) as client:
        result = getattr(client, method_name(operation))(**kwargs)
    assert check(result), result
    request = server.last(operation)
    assert request["code"] == 200
    assert request["profile"] == profile
    assert request["path"] == PROFILES[profile].paths[operation]
    assert request["headers"]["version"] == PROFILES[profile].version
    if profile == "v1":
        assert request["body"] == sent


def test_headers_are_the_documented_ones(server: PayloadServer, client: RenderbusClient) -> None:
    client.query_platforms()
    headers = server.last()["headers"]
    assert headers["accessId"] == server.access_id
    assert headers["channel"] == "4" and headers["platform"] == "2" and headers["version"] == "1.0.0"
    assert headers["nonce"].isdigit() and headers["UTCTimestamp"].isdigit() and headers["signature"]
    assert headers["Content-Type"].startswith("application/json")


def test_nonce_is_fresh_for_every_request(server: PayloadServer, client: RenderbusClient) -> None:
    for _ in range(5):
        client.query_all_frame_stats()
    assert len({r["headers"]["nonce"] for r in server.requests}) == 5


def test_none_arguments_are_not_sent(server: PayloadServer, client: RenderbusClient) -> None:
    client.get_task_list(status_list=None, search_keyword=None)
    assert server.last()["body"] == {"pageNum": 1, "pageSize": 20}
    client.create_task()
    assert server.last()["body"] == {"count": 1}


def test_v2_fields(server: PayloadServer) -> None:
    with make_client(server, "v2") as client:
        client.update_user_setting(task_over_time=2)
        assert server.last()["body"] == {"taskOverTimeSec": 7200}
        client.create_task(count=1, task_user_level=50, labels=["森林"], artist="小明")
        assert server.last()["body"] == {"count": 1, "taskUserLevel": 50, "labels": ["森林"], "artist": "小明"}
        client.submit_task(19097, producer="小明")
        assert server.last()["body"] == {"taskId": 19097, "producer": "小明"}
        client.get_task_list(search_keyword="森林", start_time="2024-01-01 00:00:00", end_time="2024-02-01 00:00:00")
        assert server.last()["body"]["searchKeyword"] == "森林"
        client.restart_failed_frames([1], status=[5])
        assert server.last()["body"] == {"taskIds": [1], "status": [5]}
        client.restart_frame(1, select_all=1, status=[4, 5])
        assert server.last()["body"] == {"taskId": 1, "selectAll": 1, "status": [4, 5]}
        client.add_render_env(2000, "Maya", "2020", "env", project_path="/D/proj")
        assert server.last()["body"]["projectPath"] == "/D/proj"
    with make_client(server, "v1") as client:
        client.update_user_setting(task_over_time_sec=5400)
        assert server.last()["body"] == {"taskOverTime": 2}


def test_body_is_utf8_json_in_one_piece(server: PayloadServer, client: RenderbusClient) -> None:
    client.add_label("森林场景")
    raw = server.last()["raw"]
    assert "森林场景".encode("utf-8") in raw
    assert json.loads(raw.decode("utf-8")) == {"newName": "森林场景", "status": 0}


def test_signed_host_includes_the_port_when_the_url_has_one() -> None:
    assert signed_host("https://task.renderbus.com") == "task.renderbus.com"
    assert signed_host("http://127.0.0.1:8765") == "127.0.0.1:8765"
    assert signed_host("http://[::1]:8765/x") == "[::1]:8765"


def test_call_and_signed_headers_for_custom_routes(server: PayloadServer, client: RenderbusClient) -> None:
    assert client.call("createTask", {"count": 2})["taskIdList"] == [19097]
    headers = client.signed_headers("/api/render/common/queryPlatforms", {"zone": 1})
    import requests

    answer = requests.post(server.url + "/api/render/common/queryPlatforms", json={"zone": 1}, headers=headers).json()
    assert answer["code"] == 200
    with pytest.raises(ValueError, match="unknown operation"):
        client.call("noSuchThing")


def test_fetch_progress_image(server: PayloadServer, client: RenderbusClient) -> None:
    assert client.fetch("/grab/block_0.jpg").startswith(b"\xff\xd8")
    assert client.fetch(server.url + "/grab/block_0.jpg").startswith(b"\xff\xd8")


def test_typed_results_keep_variant_keys_and_nulls(server: PayloadServer, client: RenderbusClient) -> None:
    shell = client.query_task_info([19084]).items[0]
    assert shell.status is TaskStatus.WAITING and shell.pre_task_status is TaskStatus.FINISHED
    assert shell.abort_frames == 0 and shell.render_consume == 0.0 and shell.start_time is None
    photon, render = shell.children
    assert photon.task_type == "RenderPhoton" and photon.menu_task_id == "2018090300037"  # from munuTaskId
    assert render.status is TaskStatus.STOP and render.done_frames == 11
    frames: List[FrameInfo] = client.query_task_frames(19088, page_size=2).items
    assert [f.menu_job_id for f in frames] == ["0", "1"]  # menuJobId, munuJobId
    assert [f.menu_task_id for f in frames] == ["2018090300040"] * 2
    assert frames[0].status is FrameStatus.DONE and frames[0].frame_type is FrameType.MAIN
    assert frames[0].arrears_fee == 0.0 and frames[0].extra == {"isCopy": None}
    setting = client.query_user_setting()
    assert setting.mi_file_switch_flag == 0 and setting.info_status == 0 and "mifileSwitchFlag" not in setting.extra
    profile = client.query_user_profile()
    assert profile.extra["subaccountLimits"] == 5 and profile.city == "广东 中山"
