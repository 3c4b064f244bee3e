"""The route tables: one per API profile, and nowhere else a path string.

Profile "v1" is the protocol document (header ``version: 1.0.0``); profile "v2" is the live
service's current paths (header ``version: 2.0.0``). Operations are named by the document's
path's last segment (``queryPlatforms``); the client method is its snake_case.

:data:`OPERATIONS` are the document's operations, in both profiles. :data:`LIVE_OPERATIONS` are
the live service's operations beyond the document (the official SDK calls them), in profile
"v2" only.
"""

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple
from renderbus_dcc.i18n import _

__all__ = ["Operation", "OPERATIONS", "LIVE_OPERATIONS", "PROFILES", "Profile", "get_profile", "method_name",
           "find_operation", "versions_for", "operation"]

_PREFIX = "/api/render/"


@dataclass(frozen=True)
class Operation:
    """One endpoint of the protocol."""

    name: str  #: the document's last path segment, e.g. ``createTask``
    v1: str  #: path in the document
    v2: str  #: path on the live service today
    mutates: bool  #: changes state on the server: never retried blindly


def _full(path: str) -> str:
    return path if path.startswith("/") else _PREFIX + path


_TABLE = (
    # name, v1 path, v2 path, mutates
    ("queryPlatforms", "common/queryPlatforms", "common/queryPlatforms", False),
    ("queryUserProfile", "user/queryUserProfile", "setUp/queryUserProfile", False),
    ("queryUserSetting", "user/queryUserSetting", "setUp/queryUserSetting", False),
    ("updateUserSetting", "user/updateUserSetting", "setUp/updateUserSetting", True),
    ("getTransferBid", "task/getTransferBid", "transfer/getBid", False),
    ("createTask", "task/createTask", "submit/createTask", True),
    ("submitTask", "task/submitTask", "submit/task", True),
    ("queryErrorDetail", "common/queryErrorDetail", "submit/queryAnalyseErrorDetail", False),
    ("getTaskList", "task/getTaskList", "handle/getTaskList/v2", False),
    ("stopTask", "task/stopTask", "/api/rendering/task/renderingTask/stopTask", True),
    ("startTask", "task/startTask", "/api/rendering/task/renderingTask/startTask", True),
    ("abortTask", "task/abortTask", "handle/abandonTask", True),
    ("deleteTask", "task/deleteTask", "handle/deleteTask", True),
    ("queryTaskFrames", "task/queryTaskFrames", "handle/queryTaskFrames", False),
    ("queryAllFrameStats", "task/queryAllFrameStats", "handle/queryAllFrameStats", False),
    ("restartFailedFrames", "task/restartFailedFrames", "handle/recommitTasks", True),
    ("restartFrame", "task/restartFrame", "handle/recommitTaskFrames", True),
    ("queryTaskInfo", "task/queryTaskInfo", "handle/queryTaskInfo/v2", False),
    ("addLabel", "common/addLabel", "project/add", True),
    ("deleteLabel", "common/deleteLabel", "project/delete", True),
    ("getLabelList", "common/getLabelList", "project/getList", False),
    ("querySupportedSoftware", "common/querySupportedSoftware", "plugin/querySoftwareList", False),
    ("querySupportedPlugin", "common/querySupportedPlugin", "plugin/querySoftwareDetail", False),
    ("addRenderEnv", "common/addRenderEnv", "plugin/addUserPluginConfig", True),
    ("updateRenderEnv", "common/updateRenderEnv", "plugin/editUserPluginConfig", True),
    ("deleteRenderEnv", "common/deleteRenderEnv", "plugin/deleteUserPluginConfig", True),
    ("setDefaultRenderEnv", "common/setDefaultRenderEnv", "plugin/setDefaultUserPluginConfig", True),
    ("getRenderEnv", "common/getRenderEnv", "plugin/getUserPluginConfig", False),
    ("loadTaskProcessImg", "task/loadTaskProcessImg", "handle/loadTaskProcessImg", False),
)

#: Every operation of the document, by name, in the document's order.
OPERATIONS: Dict[str, Operation] = {
    name: Operation(name, _full(v1), _full(v2), mutates) for name, v1, v2, mutates in _TABLE
}

_LIVE_TABLE = (
    # name, v2 path, mutates (the official SDK's operations that the document does not have)
    ("updateTaskUserLevel", "/api/rendering/task/renderingTask/updateTaskUserLevel", True),
    ("stopTaskFrames", "handle/stopTaskFrames", True),
    ("showLog", "handle/showLog", False),
    ("addTaskLabel", "handle/addTaskLabel", True),
    ("deleteTaskLabel", "handle/deleteTaskLabel", True),
    ("setTaskOverTimeStop", "handle/setTaskOverTimeStop", True),
    ("fullSpeedRendering", "handle/fullSpeedRendering", True),
    ("updateTaskLimit", "handle/updateTaskLimit", True),
    ("editTaskHardwareConfig", "handle/editTaskHardwareConfig", True),
    ("loadingFrameThumbnail", "handle/loadingFrameThumbnail", False),
    ("taskRecord", "handle/operate/sdk/taskRecord", False),
    ("loginRecord", "handle/operate/sdk/loginRecord", False),
    ("taskJsonFile", "submit/taskJsonFile", True),
    ("getUserPackNodeInfo", "submit/getUserPackNodeInfo", False),
    ("getRaySyncUserKey", "transfer/getRaySyncUserKey", False),
    ("getServerInfo", "transfer/getServerInfo", False),
    ("getTransferConfig", "transfer/getConfig", False),
    ("projectList", "project/list", False),
    ("hardwareConfigList", "hardwareConfig/list", False),
    ("getOutputUserDirFile", "file/operate/getOutputUserDirFile", False),  # get_output_files: the rendered files
)

#: The live service's operations beyond the document, by name (profile "v2" only; ``v1`` is "").
LIVE_OPERATIONS: Dict[str, Operation] = {
    name: Operation(name, "", _full(v2), mutates) for name, v2, mutates in _LIVE_TABLE
}


def operation(name: str) -> Operation:
    """The operation called ``name`` (the document's or the live service's); KeyError if none."""
    return OPERATIONS[name] if name in OPERATIONS else LIVE_OPERATIONS[name]


@dataclass(frozen=True)
class Profile:
    """A route profile: the header ``version`` and a path per operation."""

    name: str
    version: str
    paths: Dict[str, str]  #: operation name -> path, for the document's operations
    live: Dict[str, str] = field(default_factory=dict)  #: the live service's further operations -> path

    def path(self, operation: str) -> str:
        """The path of ``operation`` in this profile; KeyError if the profile has none."""
        return self.paths[operation] if operation in self.paths else self.live[operation]


PROFILES: Dict[str, Profile] = {
    "v1": Profile("v1", "1.0.0", {op.name: op.v1 for op in OPERATIONS.values()}),
    "v2": Profile("v2", "2.0.0", {op.name: op.v2 for op in OPERATIONS.values()},
                  {op.name: op.v2 for op in LIVE_OPERATIONS.values()}),
}

_BY_PATH: Dict[str, List[Tuple[Profile, Operation]]] = {}
for _profile in PROFILES.values():
    for _name, _path in _profile.paths.items():
        _BY_PATH.setdefault(_path, []).append((_profile, OPERATIONS[_name]))
    for _name, _path in _profile.live.items():
        _BY_PATH.setdefault(_path, []).append((_profile, LIVE_OPERATIONS[_name]))


def get_profile(name: str) -> Profile:
    """The profile called ``name`` ("v1" or "v2"); ValueError names the choices otherwise."""
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(_("unknown API profile %(name)r: use one of %(profiles)s") % {"name": name, "profiles": ", ".join(sorted(PROFILES))}) from None


def versions_for(path: str) -> List[str]:
    """The header ``version`` values a path answers to ([] if no operation has that path).

    Most paths belong to one profile; ``common/queryPlatforms`` is the same in both.
    """
    return [profile.version for profile, _op in _BY_PATH.get(path, ())]


def find_operation(path: str, version: Optional[str] = None) -> Optional[Tuple[str, Operation]]:
    """``(profile name, operation)`` for a request path, or None (used by servers).

    ``version`` (the request's header) picks the profile where a path belongs to both;
    a version that does not fit the path gives None.
    """
    for profile, op in _BY_PATH.get(path, ()):
        if version is None or profile.version == version:
            return profile.name, op
    return None


def method_name(operation: str) -> str:
    """``queryTaskFrames`` -> ``query_task_frames``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()
