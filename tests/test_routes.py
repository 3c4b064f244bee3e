"""The route tables: 29 operations, two profiles, one client method each."""

import pytest

from renderbus_dcc.client import RenderbusClient
from renderbus_dcc.routes import OPERATIONS, PROFILES, find_operation, get_profile, method_name, versions_for


def test_twenty_nine_operations_in_both_profiles() -> None:
    assert len(OPERATIONS) == 29
    for profile in PROFILES.values():
        assert set(profile.paths) == set(OPERATIONS)
        assert all(path.startswith("/api/") for path in profile.paths.values())
    assert get_profile("v1").version == "1.0.0" and get_profile("v2").version == "2.0.0"


def test_every_operation_has_a_client_method() -> None:
    for name in OPERATIONS:
        assert callable(getattr(RenderbusClient, method_name(name), None)), name


def test_method_name_and_find_operation() -> None:
    assert method_name("queryTaskFrames") == "query_task_frames"
    assert method_name("loadTaskProcessImg") == "load_task_process_img"
    assert find_operation("/api/render/handle/getTaskList/v2")[1].name == "getTaskList"
    assert find_operation("/api/render/nope") is None


def test_state_changing_operations_are_marked() -> None:
    mutating = {name for name, op in OPERATIONS.items() if op.mutates}
    assert {"createTask", "submitTask", "stopTask", "restartFrame", "addLabel", "addRenderEnv", "updateUserSetting"} <= mutating
    assert not mutating & {"queryPlatforms", "getTaskList", "queryTaskFrames", "getTransferBid", "loadTaskProcessImg"}


def test_unknown_profile_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="v1, v2"):
        get_profile("v3")


def test_shared_path_is_told_apart_by_version() -> None:
    path = "/api/render/common/queryPlatforms"
    assert versions_for(path) == ["1.0.0", "2.0.0"]
    assert find_operation(path, "1.0.0")[0] == "v1"
    assert find_operation(path, "2.0.0")[0] == "v2"
    assert find_operation("/api/render/task/createTask", "2.0.0") is None
    assert versions_for("/api/render/nope") == []
