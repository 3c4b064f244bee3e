"""Every operation of the protocol, in both route profiles, and its error codes."""

import pytest

from renderbus_dcc.routes import OPERATIONS, PROFILES

from .helpers import Raw, maya_task


def test_every_operation_of_both_profiles_is_answered(farm, make_raw):
    for profile in ("v1", "v2"):
        raw = make_raw(profile=profile)
        task_id = raw.data("createTask", {"count": 1})["taskIdList"][0]
        args = {
            "queryPlatforms": {"zone": 1}, "updateUserSetting": {"taskOverTime": 12} if profile == "v1" else {"taskOverTimeSec": 3600},
            "submitTask": {"taskId": task_id}, "queryErrorDetail": {"code": "15000"},
            "getTaskList": {"pageNum": 1, "pageSize": 5}, "stopTask": {"taskIds": [task_id]},
            "startTask": {"taskIds": [task_id]}, "abortTask": {"taskIds": [task_id]}, "deleteTask": {"taskIds": [task_id]},
            "queryTaskFrames": {"taskId": task_id}, "restartFailedFrames": {"taskIds": [task_id]},
            "restartFrame": {"taskId": task_id, "selectAll": 1}, "queryTaskInfo": {"taskIds": [task_id]},
            "addLabel": {"newName": "lbl-" + profile}, "deleteLabel": {"delName": "lbl-" + profile},
            "querySupportedPlugin": {"cgId": 2000},
            "addRenderEnv": {"cgId": 2000, "cgName": "Maya", "cgVersion": "2024", "editName": "env-" + profile,
                             "renderSystem": 1, "pluginIds": [2103]},
            "updateRenderEnv": {"cgId": 2000, "cgName": "Maya", "cgVersion": "2024", "editName": "env-" + profile,
                                "renderSystem": 1, "pluginIds": []},
            "setDefaultRenderEnv": {"editName": "env-" + profile}, "deleteRenderEnv": {"editName": "env-" + profile},
            "getRenderEnv": {"cgId": 2000}, "loadTaskProcessImg": {"taskId": task_id},
        }
        args["createTask"] = {"count": 1}
        order = [n for n in OPERATIONS if n not in ("deleteRenderEnv", "deleteTask")] + ["deleteRenderEnv", "deleteTask"]
        answered = {}
        for name in order:
            env = raw.op(name, args.get(name, {}))
            assert env["version"] == PROFILES[profile].version
            answered[name] = env["code"]
        assert set(answered) == set(OPERATIONS)
        answered["submitTask"] = 200 if answered["submitTask"] == 600 else answered["submitTask"]  # no task files yet
        assert set(answered.values()) == {200}, answered


@pytest.mark.parametrize("profile", ["v1", "v2"])
def test_user_settings_are_consistent_across_profiles(make_raw, profile):
    raw = make_raw(profile=profile)
    v1, v2 = make_raw(profile="v1"), make_raw(profile="v2")
    if profile == "v1":
        raw.data("updateUserSetting", {"taskOverTime": 13})
    else:
        raw.data("updateUserSetting", {"taskOverTimeSec": 13 * 3600})
    assert v1.data("queryUserSetting")["taskOverTime"] == 13
    assert v2.data("queryUserSetting")["taskOverTimeSec"] == 13 * 3600
    assert raw.code("updateUserSetting", {}) == 601
    field = "taskOverTime" if profile == "v1" else "taskOverTimeSec"
    assert raw.code("updateUserSetting", {field: "soon"}) == 600
    assert raw.code("updateUserSetting", {field: -5}) == 600


def test_profile_platforms_bids_and_error_details(raw, raw2):
    profile = raw.data("queryUserProfile")
    assert profile["userId"] == raw.farm.user_id and profile["platform"] == 2 and profile["cpuPrice"] == 0.675
    assert raw.code("queryPlatforms", {}) == 601
    assert raw.code("queryPlatforms", {"zone": 3}) == 600
    assert raw.code("queryPlatforms", {"zone": True}) == 600
    assert raw.data("getTransferBid") == {"config_bid": "30201", "output_bid": "20201", "input_bid": "10201"}
    assert raw2.data("getTransferBid")["parent_input_bid"] == "10201"
    detail = raw.data("queryErrorDetail", {"code": 15000})
    assert detail[0]["code"] == "15000" and detail[0]["type"] == 1 and "3ds max" in detail[0]["desDescriptionCn"]
    english = raw2.data("queryErrorDetail", {"code": "15000", "language": "1"})
    assert english[0]["languageFlag"] == 1 and "3ds Max" in english[0]["desDescriptionCn"]
    assert raw.data("queryErrorDetail", {"code": "1"}) == []
    assert raw.code("queryErrorDetail", {}) == 601


def test_labels(raw2):
    raw2.data("addLabel", {"newName": "shots", "status": 0})
    raw2.data("addLabel", {"newName": "assets"})
    assert raw2.code("addLabel", {"newName": "shots"}) == 600
    labels = raw2.data("getLabelList")["projectNameList"]
    assert [l["projectName"] for l in labels] == ["shots", "assets"] and all(isinstance(l["projectId"], int) for l in labels)
    raw2.data("deleteLabel", {"delName": "shots"})
    assert raw2.code("deleteLabel", {"delName": "shots"}) == 404
    assert raw2.code("addLabel", {}) == 601


def test_the_catalogue_offers_realistic_software_and_plugins(raw, raw2):
    software = raw.data("querySupportedSoftware")
    assert {s["cgId"]: s["cgName"] for s in software["renderInfoList"]} == {2000: "Maya", 2001: "3ds Max", 2007: "Blender"}
    maya = raw.data("querySupportedPlugin", {"cgId": 2000})
    assert [v["cgVersion"] for v in maya["cgVersion"]] == ["2022", "2023", "2024", "2025", "2026", "2027"]
    versions = {pv["pluginVersion"] for p in maya["cgPlugin"] for pv in p["pluginVersions"]}
    assert {"mtoa 5.3.1.1", "vray 6.20.02", "redshift 3.5.24", "yeti 4.2.14"} <= versions
    cv = {v["id"]: v["cgVersion"] for v in maya["cgVersion"]}
    assert all(p["cvId"] in cv for p in maya["cgPlugin"])
    max_ = raw.data("querySupportedPlugin", {"cgId": "2001"})  # a number as a string, as the document sends it
    assert [v["cgVersion"] for v in max_["cgVersion"]] == ["2022", "2023", "2024", "2025", "2026", "2027"]
    assert {"vray", "corona", "forestpack", "railclone", "phoenixfd"} <= {p["pluginName"] for p in max_["cgPlugin"]}
    blender = raw.data("querySupportedPlugin", {"cgId": 2007})
    assert [v["cgVersion"] for v in blender["cgVersion"]] == [
        "3.6", "4.0", "4.1", "4.2", "4.3", "4.4", "4.5", "5.0", "5.1", "5.2", "5.3"]
    for catalogue in (maya, max_, blender):  # the newest version of each has plugins to render with
        newest = catalogue["cgVersion"][-1]["id"]
        assert any(p["cvId"] == newest for p in catalogue["cgPlugin"])
    assert raw2.data("querySupportedPlugin", {"cgId": 2001, "osName": "linux"}) == {"cgPlugin": [], "cgVersion": []}
    assert len(raw2.data("querySupportedPlugin", {"cgId": 2000, "osName": "linux"})["cgVersion"]) == 6
    assert raw.code("querySupportedPlugin", {"cgId": 1234}) == 600
    assert raw.code("querySupportedPlugin", {}) == 601


def test_render_environments_are_checked_against_the_catalogue(raw, raw2):
    env = {"cgId": 2000, "cgName": "Maya", "cgVersion": "2024", "renderLayerType": 0, "editName": "arnold24",
           "renderSystem": "1", "pluginIds": [2103, 2132]}
    assert raw.data("addRenderEnv", env) == {"editName": "arnold24"}
    assert raw.code("addRenderEnv", env) == 600  # the name is taken
    assert raw.code("addRenderEnv", {**env, "editName": "x", "pluginIds": [99999]}) == 600
    assert raw.code("addRenderEnv", {**env, "editName": "x", "pluginIds": [2101]}) == 600  # mtoa 5.1 is not for 2024
    assert raw.code("addRenderEnv", {**env, "editName": "x", "pluginIds": [3101]}) == 600  # a 3ds Max plugin
    assert raw.code("addRenderEnv", {**env, "editName": "x", "cgVersion": "2019"}) == 600
    assert raw.code("addRenderEnv", {**env, "editName": "x", "renderSystem": 5}) == 600
    assert raw.code("addRenderEnv", {**env, "editName": "x", "pluginIds": "2103"}) == 600
    assert raw.code("addRenderEnv", {k: v for k, v in env.items() if k != "editName"}) == 601
    assert raw.code("addRenderEnv", {"cgId": 2001, "cgName": "3ds Max", "cgVersion": "2024", "editName": "lin",
                                     "renderSystem": 0}) == 600  # 3ds Max renders on Windows only
    raw.data("addRenderEnv", {**env, "editName": "second", "pluginIds": [2105]})
    raw.data("setDefaultRenderEnv", {"editName": "second"})
    envs = raw.data("getRenderEnv", {"cgId": "2000"})
    assert [(e["editName"], e["isDefault"]) for e in envs] == [("arnold24", 0), ("second", 1)]
    assert envs[0]["respUserPluginInfoVos"] == [
        {"pluginId": 2103, "pluginName": "mtoa", "pluginVersion": "mtoa 5.3.1.1"},
        {"pluginId": 2132, "pluginName": "yeti", "pluginVersion": "yeti 4.2.14"}]
    assert envs[0]["osName"] == 1 and envs[0]["cgVersion"] == "2024"
    raw.data("updateRenderEnv", {**env, "cgVersion": "2025", "pluginIds": [2105]})
    assert raw.data("getRenderEnv", {"cgId": 2000})[0]["respUserPluginInfoVos"][0]["pluginVersion"] == "mtoa 5.4.5"
    for name in ("updateRenderEnv", "deleteRenderEnv", "setDefaultRenderEnv"):
        assert raw.code(name, {**env, "editName": "nope"}) == 404, name
    raw2.data("addRenderEnv", {"cgId": 2007, "cgName": "Blender", "cgVersion": "4.2", "editName": "b42",
                               "renderSystem": 0, "pluginIds": [7102], "projectPath": "/mnt/proj"})
    assert [e["editName"] for e in raw2.data("getRenderEnv", {"cgIds": [2007], "osName": 0})] == ["b42"]
    assert raw2.data("getRenderEnv", {"cgIds": [2007], "osName": 1}) == []
    raw.data("deleteRenderEnv", {"editName": "arnold24"})
    assert [e["editName"] for e in raw.data("getRenderEnv", {"cgId": 2000})] == ["second"]


def test_create_task_list_paging_and_filters(clocked_farm):
    raw, raw2 = Raw(clocked_farm), Raw(clocked_farm, profile="v2")  # the farm's clock stands still
    created = raw.data("createTask", {"count": 3, "outUserId": 100001})
    assert created["taskIdList"] == [19000, 19001, 19002]
    assert created["aliasTaskIdList"] == ["2W19000", "2W19001", "2W19002"]
    assert raw.code("createTask", {}) == 601
    assert raw.code("createTask", {"count": 0}) == 600
    assert raw.code("createTask", {"count": "many"}) == 600
    v2 = raw2.data("createTask", {"count": 1, "taskUserLevel": 60, "labels": ["shots"], "artist": "ana"})
    assert v2["taskIdList"] == [19003]
    info = raw2.info(19003)
    assert info["taskUserLevel"] == 60 and info["bid"] == "10201" and info["userId"] == raw.farm.user_id
    assert raw.data("getTaskList", {"pageNum": 1, "pageSize": 10})["total"] == 0  # reserved, not submitted
    ids = [raw.submit(maya_task("1-2[1]")) for _ in range(5)]
    page1 = raw.data("getTaskList", {"pageNum": 1, "pageSize": 2})
    assert (page1["total"], page1["pageCount"], page1["pageNum"], page1["size"]) == (5, 3, 1, 2)
    assert [t["id"] for t in page1["items"]] == ids[::-1][:2]
    page3 = raw.data("getTaskList", {"pageNum": 3, "pageSize": 2})
    assert [t["id"] for t in page3["items"]] == [ids[0]]
    assert raw.data("getTaskList", {"pageNum": 1, "pageSize": 10, "statusList": [50]})["total"] == 5
    assert raw.data("getTaskList", {"pageNum": 1, "pageSize": 10, "statusList": [25]})["total"] == 0
    assert raw.code("getTaskList", {"pageNum": 1}) == 601
    assert raw.code("getTaskList", {"pageNum": 1, "pageSize": 10, "statusList": 5}) == 600
    found = raw2.data("getTaskList", {"pageNum": 1, "pageSize": 10, "searchKeyword": str(ids[2])})
    assert [t["id"] for t in found["items"]] == [ids[2]]
    none = raw2.data("getTaskList", {"pageNum": 1, "pageSize": 10, "endTime": 1000})
    assert none["total"] == 0


def test_unknown_tasks_are_404_and_other_accounts_tasks_403(farm, raw, make_raw):
    task_id = raw.data("createTask", {"count": 1})["taskIdList"][0]
    other_id, other_key = farm.add_account()
    other = make_raw(access_id=other_id, access_key=other_key)
    assert other.data("queryUserProfile")["userId"] != raw.farm.user_id
    for name, fields in (("queryTaskInfo", {"taskIds": [task_id]}), ("submitTask", {"taskId": task_id}),
                         ("stopTask", {"taskIds": [task_id]}), ("deleteTask", {"taskIds": [task_id]}),
                         ("queryTaskFrames", {"taskId": task_id}), ("loadTaskProcessImg", {"taskId": task_id}),
                         ("restartFrame", {"taskId": task_id, "selectAll": 1})):
        assert other.code(name, fields) == 403, name
        assert raw.code(name, {k: ([424242] if isinstance(v, list) else 424242) if k.startswith("task") else v
                               for k, v in fields.items()}) == 404, name
    assert other.data("getTaskList", {"pageNum": 1, "pageSize": 10})["total"] == 0
    assert raw.code("queryTaskInfo", {"taskIds": []}) == 601
    assert raw.code("queryTaskInfo", {"taskIds": ["x"]}) == 600


def test_an_open_ended_bound_reads_as_a_sentence(raw):
    answer = raw.op("getTaskList", {"pageNum": -1, "pageSize": 10})
    assert answer["code"] == 600 and answer["message"] == "pageNum must be at least 1, got -1"
    answer = raw.op("getTaskList", {"pageNum": 1, "pageSize": 0})
    assert answer["message"] == "pageSize must be from 1 to 1000, got 0"
