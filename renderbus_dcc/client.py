"""RenderbusClient: one method per endpoint of the protocol, signed, typed, safely retried.

>>> c = RenderbusClient.from_config()            # doctest: +SKIP
>>> c.query_task_info([19084]).items[0].status   # doctest: +SKIP
<TaskStatus.WAITING: 0>

Method names are the snake_case of the document's operation names (``routes.method_name``);
keyword arguments are the snake_case of the request fields; arguments left as None are not
sent. ``call(operation, fields)`` is the low-level form and returns the raw ``data``.
"""

import json
import logging
import math
import secrets
import time
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union
from urllib.parse import urlsplit

from renderbus_dcc import routes, signing
from renderbus_dcc.config import DEFAULT_ENDPOINT, DEFAULT_PLATFORM, DEFAULT_PROFILE, normalize_endpoint
from renderbus_dcc.constants import CHANNEL, ErrorCode
from renderbus_dcc.errors import APIError, ConfigError, HTTPStatusError, api_error_for
from renderbus_dcc.i18n import _
from renderbus_dcc.models import (
    CreatedTasks,
    ErrorDetail,
    FrameInfo,
    FrameStats,
    Label,
    OutputFile,
    Page,
    Platform,
    PluginCatalogue,
    ProgressImage,
    RenderEnv,
    SupportedSoftware,
    TaskInfo,
    TransferBid,
    UserProfile,
    UserSetting,
)
from renderbus_dcc.routes import OPERATIONS, Profile, get_profile
from renderbus_dcc.transport import Envelope, Transport
from renderbus_dcc.i18n import _

__all__ = ["RenderbusClient", "signed_host"]

log = logging.getLogger(__name__)

IdList = Union[int, Iterable[int]]


class _Secret:
    """Holds the access key so that no repr, traceback or debugger shows it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "'***'"

    __str__ = __repr__

    def __copy__(self) -> "_Secret":
        return self

    def __deepcopy__(self, memo: Any) -> "_Secret":
        return self

    def __reduce__(self) -> Any:  # never pickled into a file by accident
        raise TypeError("the access key cannot be pickled")


def signed_host(endpoint: str) -> str:
    """The host part that is signed: the endpoint's netloc, with the port when it has one."""
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    if ":" in host:  # IPv6
        host = "[%s]" % host
    return "%s:%d" % (host, parts.port) if parts.port else host


def _ids(value: IdList) -> List[int]:
    if isinstance(value, (int, str)):
        return [int(value)]
    return [int(v) for v in value]


def _opt_ids(value: Optional[IdList]) -> Optional[List[int]]:
    return None if value is None else _ids(value)


def _frame_choice(task_id: int, ids: Optional[Iterable[int]], select_all: int,
                  status: Optional[Iterable[int]]) -> Dict[str, Any]:
    """The fields that choose a task's frames (restartFrame, stopTaskFrames)."""
    return {"taskId": int(task_id), "ids": _opt_ids(ids), "selectAll": int(select_all), "status": _opt_ids(status)}


class RenderbusClient:
    """A client of the Renderbus API for one account and endpoint.

    ``profile`` "v1" (the document's routes) or "v2" (the live service's); ``retries`` extra
    attempts for queries; ``backoff`` first retry delay in seconds.
    """

    def __init__(
        self,
        access_id: str,
        access_key: str,
        endpoint: str = DEFAULT_ENDPOINT,
        platform: int = DEFAULT_PLATFORM,
        profile: str = DEFAULT_PROFILE,
        timeout: float = 30.0,
        retries: int = 6,
        backoff: float = 0.5,
        session: Any = None,
    ) -> None:
        self.access_id = str(access_id)
        self._key = _Secret(str(access_key))
        self.endpoint = normalize_endpoint(endpoint)
        self.platform = int(platform)
        self._profile: Profile = get_profile(profile)
        self.host = signed_host(self.endpoint)
        self._base_path = urlsplit(self.endpoint).path.rstrip("/")
        self.transport = Transport(self.endpoint, timeout=timeout, retries=retries, backoff=backoff, session=session)
        #: seconds to add to the local clock to get the server's (learned from 610 answers)
        self.clock_offset = 0.0

    def reveal_access_key(self) -> str:
        """The access key itself, for the official SDK, which signs its own requests. Never log it."""
        return self._key.reveal()

    @classmethod
    def from_config(cls, **overrides: Any) -> "RenderbusClient":
        """A client from ``load_config(**overrides)``; CredentialsMissing if there is no key.

        Keyword arguments that are not settings (``timeout``, ``retries``, ``backoff``,
        ``session``) go to the constructor.
        """
        from renderbus_dcc.config import ENV_VARS, load_config

        settings = {k: v for k, v in overrides.items() if k in ENV_VARS}
        options = {k: v for k, v in overrides.items() if k not in ENV_VARS}
        config = load_config(**settings).require_credentials()
        return cls(config.access_id, config.access_key, config.endpoint, config.platform, config.profile, **options)

    def __repr__(self) -> str:
        return "RenderbusClient(endpoint=%r, access_id=%r, platform=%r, profile=%r)" % (
            self.endpoint, self.access_id, self.platform, self.profile,
        )

    # --- plumbing -------------------------------------------------------------------------

    @property
    def profile(self) -> str:
        """The route profile's name, "v1" or "v2"."""
        return self._profile.name

    @property
    def version(self) -> str:
        """The ``version`` header of the profile."""
        return self._profile.version

    @property
    def session(self) -> Any:
        """The ``requests.Session`` used for every request (made on first use)."""
        return self.transport.session

    @property
    def timeout(self) -> float:
        return self.transport.timeout

    def close(self) -> None:
        """Close the HTTP connections."""
        self.transport.close()

    def __enter__(self) -> "RenderbusClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def path(self, operation: str) -> str:
        """The request path of ``operation`` under this client's profile."""
        return self._base_path + self._profile.path(operation)

    def signed_headers(self, path: str, fields: Optional[Mapping[str, Any]] = None) -> Dict[str, str]:
        """Headers for one request to ``path`` carrying ``fields``, signature included.

        A fresh nonce and timestamp each time: call it once per attempt.
        """
        headers = {
            "accessId": self.access_id,
            "channel": str(CHANNEL),
            "platform": str(self.platform),
            "UTCTimestamp": str(int(time.time() + self.clock_offset)),
            "nonce": str(secrets.randbelow(2_000_000_000) + 100_000_000),
            "version": self._profile.version,
        }
        headers["signature"] = signing.sign(self._key.reveal(), self.host, path, headers, fields or {})
        return headers

    def _learn_clock(self, server_time_ms: Optional[int]) -> bool:
        if not server_time_ms:
            return False
        self.clock_offset = server_time_ms / 1000.0 - time.time()
        log.info("the local clock is %.1f s off the server's; signing with the server's time", -self.clock_offset)
        return True

    def request(
        self,
        path: str,
        fields: Optional[Mapping[str, Any]] = None,
        *,
        mutates: bool = True,
        body: Optional[bytes] = None,
        params: Optional[Mapping[str, str]] = None,
        content_type: str = "application/json; charset=utf-8",
    ) -> Any:
        """Send a signed request to any ``path`` and return the envelope's ``data``.

        ``fields`` (None values dropped) are signed and, unless ``body`` is given, sent as the
        JSON body. With ``body`` (raw bytes, e.g. an upload chunk), ``params`` go in the query
        string. ``mutates=False`` (a query, or a call that is safe to repeat, like an upload
        chunk at an offset) allows retries on drops, timeouts, 5xx and garbled answers. Raises
        the APIError subclass of the answer's code; a call that changes state whose answer was
        lost raises :class:`~renderbus_dcc.errors.OutcomeUnknown` (or the 5xx / garbled answer's
        error: :func:`~renderbus_dcc.errors.outcome_unknown` tells them apart).
        """
        fields = {k: v for k, v in (fields or {}).items() if v is not None}
        if body is None:
            payload = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        else:
            payload = body
        holder: Dict[str, str] = {}

        def make() -> Any:
            headers = self.signed_headers(path, fields)
            headers["Content-Type"] = content_type
            holder["nonce"] = headers["nonce"]
            return headers, payload

        for attempt in (0, 1):
            envelope = self.transport.exchange(path, make, retry=not mutates, params=params)
            if envelope.code == ErrorCode.SIGNATURE_EXPIRED and attempt == 0 and self._learn_clock(envelope.server_time):
                continue  # refused, so not applied: re-sign with the server's time and a fresh nonce
            return self._data(envelope, path, holder.get("nonce", ""))
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _data(envelope: Envelope, path: str, nonce: str) -> Any:
        if envelope.code == ErrorCode.SUCCESS:
            return envelope.data
        error: APIError = api_error_for(
            envelope.code, envelope.message, path=path, nonce=nonce, server_time=envelope.server_time, data=envelope.data
        )
        log.debug("%s failed: %s (nonce %s)", path, error, nonce)
        raise error

    def call(self, operation: str, fields: Optional[Mapping[str, Any]] = None) -> Any:
        """Call ``operation`` (the document's name, e.g. "createTask", or one of the live service's,
        profile v2 only, e.g. "updateTaskUserLevel"); returns the raw ``data``."""
        try:
            op = routes.operation(operation)
        except KeyError:
            raise ValueError("unknown operation %r" % operation) from None
        if operation not in OPERATIONS and operation not in self._profile.live:
            raise ConfigError(_("%(operation)s is an operation of the live service's routes (profile v2), not of "
                                "profile %(profile)s") % {"operation": operation, "profile": self.profile},
                              hint=_("use the v2 profile: RENDERBUS_API_PROFILE=v2, or profile=\"v2\""))
        return self.request(self.path(operation), fields, mutates=op.mutates)

    def fetch(self, url_or_path: str) -> bytes:
        """GET a file (a progress image); a relative path is taken under the endpoint."""
        path = url_or_path if url_or_path.startswith(("http://", "https://")) else (
            self._base_path + ("" if url_or_path.startswith("/") else "/") + url_or_path
        )
        response = self.transport.send("GET", path, retry=True)
        if response.status_code >= 400:
            envelope = self.transport.decode(response, path)  # not JSON: HTTPStatusError
            self._data(envelope, path, "")  # an error code: its APIError
            raise HTTPStatusError(_("HTTP %(status)d for %(path)s") % {"status": response.status_code, "path": path}, status=response.status_code, path=path)
        return response.content

    # --- account --------------------------------------------------------------------------

    def query_platforms(self, zone: int = 1) -> List[Platform]:
        """The platforms (clusters) of a zone (1 China, 2 abroad)."""
        return [Platform.from_wire(p) for p in self.call("queryPlatforms", {"zone": zone}) or []]

    def query_user_profile(self) -> UserProfile:
        """The account: name, balance, prices."""
        return UserProfile.from_wire(self.call("queryUserProfile"))

    def query_user_setting(self) -> UserSetting:
        """The account's settings."""
        return UserSetting.from_wire(self.call("queryUserSetting"))

    def update_user_setting(self, task_over_time: Optional[int] = None, task_over_time_sec: Optional[int] = None) -> None:
        """Set the task timeout: ``task_over_time`` hours (v1) or ``task_over_time_sec`` (v2).

        Either is converted to the profile's field when only the other is given.
        """
        if self.profile == "v2":
            if task_over_time_sec is None and task_over_time is not None:
                task_over_time_sec, task_over_time = int(task_over_time) * 3600, None
            fields = {"taskOverTime": task_over_time, "taskOverTimeSec": task_over_time_sec}
        else:
            if task_over_time is None and task_over_time_sec is not None:
                task_over_time, task_over_time_sec = int(math.ceil(int(task_over_time_sec) / 3600.0)), None
            fields = {"taskOverTime": task_over_time, "taskOverTimeSec": task_over_time_sec}
        self.call("updateUserSetting", fields)

    def get_transfer_bid(self) -> TransferBid:
        """The transfer ids: config (task files), input (assets), output (results)."""
        return TransferBid.from_wire(self.call("getTransferBid"))

    # --- tasks ----------------------------------------------------------------------------

    def create_task(
        self,
        count: int = 1,
        out_user_id: Optional[int] = None,
        task_user_level: Optional[int] = None,
        labels: Optional[Sequence[str]] = None,
        artist: Optional[str] = None,
    ) -> CreatedTasks:
        """Reserve ``count`` task ids (never retried: a retry would make a second task)."""
        return CreatedTasks.from_wire(
            self.call(
                "createTask",
                {
                    "count": count,
                    "outUserId": out_user_id,
                    "taskUserLevel": task_user_level,
                    "labels": list(labels) if labels is not None else None,
                    "artist": artist,
                },
            )
        )

    def submit_task(self, task_id: int, producer: Optional[str] = None) -> None:
        """Submit a task whose files are uploaded."""
        self.call("submitTask", {"taskId": int(task_id), "producer": producer})

    def query_error_detail(self, code: Union[int, str], language: Optional[Union[int, str]] = None) -> List[ErrorDetail]:
        """What an analysis code means (language 0 Chinese, 1 English)."""
        data = self.call(
            "queryErrorDetail", {"code": str(code), "language": None if language is None else str(language)}
        )
        if isinstance(data, Mapping):
            data = [data]
        return [ErrorDetail.from_wire(d) for d in data or []]

    def get_task_list(
        self,
        page_num: int = 1,
        page_size: int = 20,
        status_list: Optional[Iterable[int]] = None,
        search_keyword: Optional[str] = None,
        start_time: Optional[str] = None,
        end_time: Optional[str] = None,
    ) -> "Page[TaskInfo]":
        """One page of the account's tasks (newest first), optionally by status."""
        data = self.call(
            "getTaskList",
            {
                "pageNum": page_num,
                "pageSize": page_size,
                "statusList": _opt_ids(status_list),
                "searchKeyword": search_keyword,
                "startTime": start_time,
                "endTime": end_time,
            },
        )
        return Page.from_wire(data, TaskInfo)

    def stop_task(self, task_ids: IdList) -> None:
        """Stop tasks (they can be started again)."""
        self.call("stopTask", {"taskIds": _ids(task_ids)})

    def start_task(self, task_ids: IdList) -> None:
        """Start stopped tasks again."""
        self.call("startTask", {"taskIds": _ids(task_ids)})

    def abort_task(self, task_ids: IdList) -> None:
        """Abandon tasks (final)."""
        self.call("abortTask", {"taskIds": _ids(task_ids)})

    def delete_task(self, task_ids: IdList) -> None:
        """Delete tasks."""
        self.call("deleteTask", {"taskIds": _ids(task_ids)})

    def query_task_frames(
        self, task_id: int, page_num: int = 1, page_size: int = 100, search_keyword: Optional[str] = None
    ) -> "Page[FrameInfo]":
        """One page of a (rendering) task's frames."""
        data = self.call(
            "queryTaskFrames",
            {"taskId": int(task_id), "pageNum": page_num, "pageSize": page_size, "searchKeyword": search_keyword},
        )
        return Page.from_wire(data, FrameInfo)

    def query_all_frame_stats(self) -> FrameStats:
        """Frame counts over all the account's tasks."""
        return FrameStats.from_wire(self.call("queryAllFrameStats"))

    def restart_failed_frames(self, task_ids: IdList, status: Optional[Iterable[int]] = None) -> None:
        """Render the failed frames of tasks again (v2: ``status``, the frame statuses to redo)."""
        self.call("restartFailedFrames", {"taskIds": _ids(task_ids), "status": _opt_ids(status)})

    def restart_frame(
        self,
        task_id: int,
        ids: Optional[Iterable[int]] = None,
        select_all: int = 0,
        status: Optional[Iterable[int]] = None,
    ) -> None:
        """Render frames again: ``ids`` (FrameInfo.id), or every frame with ``select_all=1``."""
        self.call("restartFrame", _frame_choice(task_id, ids, select_all, status))

    def query_task_info(self, task_ids: IdList) -> "Page[TaskInfo]":
        """Tasks (shell tasks, with their rendering tasks as ``children``) by id."""
        return Page.from_wire(self.call("queryTaskInfo", {"taskIds": _ids(task_ids)}), TaskInfo)

    def load_task_process_img(self, task_id: int, frame_type: Optional[int] = None) -> ProgressImage:
        """The progress image of a rendering task: its blocks and each block's progress."""
        data = self.call("loadTaskProcessImg", {"taskId": int(task_id), "frameType": frame_type})
        return ProgressImage.from_wire(data)

    # --- the live service's task operations (profile v2) ------------------------------------

    def update_task_user_level(self, task_id: int, level: int) -> None:
        """A task's priority among the account's tasks (``taskUserLevel``; the live service uses 50 and 60)."""
        self.call("updateTaskUserLevel", {"taskId": int(task_id), "taskUserLevel": int(level)})

    def stop_task_frames(
        self,
        task_id: int,
        ids: Optional[Iterable[int]] = None,
        select_all: int = 0,
        status: Optional[Iterable[int]] = None,
    ) -> None:
        """Stop frames that wait or render: ``ids`` (FrameInfo.id), or every frame with ``select_all=1``;
        ``restart_frame`` renders them again."""
        self.call("stopTaskFrames", _frame_choice(task_id, ids, select_all, status))

    def show_log(self, frame_id: int, page_num: int = 1, page_size: int = 1, rendering_type: str = "render") -> "Page[str]":
        """A frame's render log: ``items`` are its lines (pages of the log from ``page_num``)."""
        data = self.call("showLog", {"id": int(frame_id), "pageNum": int(page_num), "pageSize": int(page_size),
                                     "renderingType": rendering_type})
        return Page.from_wire(data)

    def add_task_label(self, label: str, task_ids: IdList) -> None:
        """Put a label on tasks (it joins the account's labels)."""
        self.call("addTaskLabel", {"label": label, "taskIds": _ids(task_ids)})

    def delete_task_label(self, task_ids: IdList, label_names: Iterable[str] = (),
                          label_ids: Optional[Iterable[int]] = None) -> None:
        """Take labels (by name, or by ``Label.project_id``) off tasks."""
        self.call("deleteTaskLabel", {"taskIds": _ids(task_ids), "labelNames": [str(n) for n in label_names],
                                      "labelIds": _opt_ids(label_ids)})

    def get_output_files(self, task_id: Optional[int] = None, tree_path: str = "/") -> List[OutputFile]:
        """One level of the output storage: with ``task_id`` the task's folder (a layered task's
        rendering task ids work too), else the entries under ``tree_path`` (as the official SDK)."""
        data = self.call("getOutputUserDirFile", {"taskId": int(task_id) if task_id else None,
                                                  "treePath": "/" if task_id else (tree_path or "/")})
        if isinstance(data, Mapping):
            data = data.get("items") or data.get("list") or [data]
        return [OutputFile.from_wire(d) for d in data or [] if isinstance(d, Mapping)]

    get_output_user_dir_file = get_output_files  #: the operation's own name

    # --- labels ---------------------------------------------------------------------------

    def add_label(self, new_name: str, status: int = 0) -> None:
        """Add a label (project name) tasks can carry."""
        self.call("addLabel", {"newName": new_name, "status": int(status)})

    def delete_label(self, del_name: str) -> None:
        """Delete a label."""
        self.call("deleteLabel", {"delName": del_name})

    def get_label_list(self) -> List[Label]:
        """The account's labels."""
        data = self.call("getLabelList")
        if isinstance(data, Mapping):
            data = data.get("projectNameList") or data.get("items") or []
        return [Label.from_wire(d) for d in data or []]

    # --- software and render environments -----------------------------------------------

    def query_supported_software(self) -> SupportedSoftware:
        """The applications the farm renders."""
        return SupportedSoftware.from_wire(self.call("querySupportedSoftware"))

    def query_supported_plugin(self, cg_id: int, os_name: Optional[str] = None) -> PluginCatalogue:
        """The versions and plugins the farm offers for one application (v2: ``os_name``)."""
        return PluginCatalogue.from_wire(self.call("querySupportedPlugin", {"cgId": int(cg_id), "osName": os_name}))

    def _env_fields(
        self,
        cg_id: int,
        cg_name: str,
        cg_version: str,
        edit_name: str,
        render_system: int,
        plugin_ids: Optional[Iterable[int]],
        render_layer_type: int,
        project_path: Optional[str],
    ) -> Dict[str, Any]:
        return {
            "cgId": int(cg_id),
            "cgName": cg_name,
            "cgVersion": cg_version,
            "renderLayerType": int(render_layer_type),
            "editName": edit_name,
            "renderSystem": int(render_system),
            "pluginIds": _ids(plugin_ids or []),
            "projectPath": project_path,
        }

    def add_render_env(
        self,
        cg_id: int,
        cg_name: str,
        cg_version: str,
        edit_name: str,
        render_system: int = 1,
        plugin_ids: Optional[Iterable[int]] = None,
        render_layer_type: int = 0,
        project_path: Optional[str] = None,
    ) -> str:
        """Add a render environment (render_system 0 linux, 1 windows); returns its name."""
        fields = self._env_fields(cg_id, cg_name, cg_version, edit_name, render_system, plugin_ids, render_layer_type, project_path)
        data = self.call("addRenderEnv", fields)
        if isinstance(data, Mapping) and data.get("editName"):
            return str(data["editName"])
        return edit_name

    def update_render_env(
        self,
        cg_id: int,
        cg_name: str,
        cg_version: str,
        edit_name: str,
        render_system: int = 1,
        plugin_ids: Optional[Iterable[int]] = None,
        render_layer_type: int = 0,
        project_path: Optional[str] = None,
    ) -> None:
        """Change an existing render environment (named ``edit_name``)."""
        fields = self._env_fields(cg_id, cg_name, cg_version, edit_name, render_system, plugin_ids, render_layer_type, project_path)
        self.call("updateRenderEnv", fields)

    def delete_render_env(self, edit_name: str) -> None:
        """Delete a render environment."""
        self.call("deleteRenderEnv", {"editName": edit_name})

    def set_default_render_env(self, edit_name: str) -> None:
        """Make a render environment the default for its application."""
        self.call("setDefaultRenderEnv", {"editName": edit_name})

    def get_render_env(
        self, cg_id: int, cg_ids: Optional[Iterable[int]] = None, os_name: Optional[int] = None
    ) -> List[RenderEnv]:
        """The account's render environments for one application (v2: ``cg_ids``, ``os_name``)."""
        data = self.call("getRenderEnv", {"cgId": int(cg_id), "cgIds": _opt_ids(cg_ids), "osName": os_name})
        return [RenderEnv.from_wire(d) for d in data or []]
