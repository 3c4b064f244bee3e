"""Typed results of the API: one dataclass per object of the protocol document.

Every model has ``from_wire(data)``, which is tolerant of what the live server really sends:
both spellings of its variant keys map to one attribute (``munuTaskId``/``menuTaskId``, ...),
keys the model does not know are kept in ``extra``, nulls for counts and costs become 0,
status codes become enums (an unknown code stays a plain int), and ``grabInfo``'s string values
become numbers. Attribute names are the snake_case of the document's keys unless noted.

Every field has a default, so tests and other modules can build models directly.
"""

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Generic, List, Mapping, Optional, Tuple, Type, TypeVar, Union

from renderbus_dcc.constants import FrameStatus, FrameType, TaskStatus
from renderbus_dcc.errors import BadResponseError

__all__ = [
    "Model",
    "Software",
    "SoftVersion",
    "PluginVersion",
    "Plugin",
    "RenderEnv",
    "TaskInfo",
    "FrameInfo",
    "Page",
    "ProgressImage",
    "GrabBlock",
    "UserProfile",
    "UserSetting",
    "Platform",
    "TransferBid",
    "CreatedTasks",
    "ErrorDetail",
    "FrameStats",
    "Label",
    "SupportedSoftware",
    "PluginCatalogue",
    "OutputFile",
]

T = TypeVar("T")
M = TypeVar("M", bound="Model")

# --- converters: wire value -> attribute value (never raise on odd input) -------------------


def _num_text(value: str) -> str:
    return value.strip().replace(",", "")


def to_int(value: Any) -> int:
    """``None``/``""``/garbage -> 0, ``"12"`` -> 12, ``12.0`` -> 12, ``True`` -> 1."""
    if type(value) is int:
        return value
    if value is None:
        return 0
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        text = _num_text(value)
        try:
            return int(text)
        except ValueError:
            try:
                return int(float(text))
            except ValueError:
                return 0
    return 0


def to_opt_int(value: Any) -> Optional[int]:
    """Like :func:`to_int`, but ``None`` (and ``""``) stay ``None`` (timestamps, limits)."""
    if value is None or value == "":
        return None
    return to_int(value)


def to_float(value: Any) -> float:
    """``None``/garbage -> 0.0, ``"0.20"`` -> 0.2."""
    if type(value) is float:
        return value
    if value is None:
        return 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(_num_text(value))
        except ValueError:
            return 0.0
    return 0.0


def to_str(value: Any) -> str:
    """``None`` -> ``""``; numbers become their decimal text."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def to_bool(value: Any) -> bool:
    """``1``/``"1"``/``"true"``/``True`` -> True; ``None``, 0, ``"false"`` -> False."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "y")
    return bool(value)


def _enum(enum_cls: Type[Any], optional: bool = False) -> Callable[[Any], Any]:
    members = enum_cls._value2member_map_

    def convert(value: Any) -> Any:
        if value is None and optional:
            return None
        number = to_int(value)
        return members.get(number, number)

    return convert


def _os_name(value: Any) -> int:
    """``osName``: 0 linux, 1 windows; also accepts the names."""
    if isinstance(value, str) and value.strip().lower() in ("windows", "linux"):
        return 1 if value.strip().lower() == "windows" else 0
    return to_int(value)


def _list_of(item: Callable[[Any], Any]) -> Callable[[Any], List[Any]]:
    def convert(value: Any) -> List[Any]:
        if value is None:
            return []
        if not isinstance(value, (list, tuple)):
            value = [value]
        return [item(v) for v in value]

    return convert


def _models(model: "Callable[[], Type[Model]]") -> Callable[[Any], List[Any]]:
    """A list of nested models; ``model`` is called lazily (self-references)."""

    def convert(value: Any) -> List[Any]:
        if value is None:
            return []
        if isinstance(value, Mapping):
            value = [value]
        cls = model()
        return [cls.from_wire(v) if isinstance(v, Mapping) else v for v in value]

    return convert


def _w(conv: Callable[[Any], Any], *keys: str, default: Any = None, factory: Optional[Callable[[], Any]] = None) -> Any:
    """A model field: converter, wire key(s) (default: camelCase of the name), default."""
    meta = {"conv": conv, "keys": keys}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


_TABLES: Dict[type, Dict[str, Tuple[str, Callable[[Any], Any]]]] = {}


def _table(cls: type) -> Dict[str, Tuple[str, Callable[[Any], Any]]]:
    table = _TABLES.get(cls)
    if table is None:
        table = {}
        for f in dataclasses.fields(cls):
            if f.name == "extra":
                continue
            conv = f.metadata.get("conv", lambda v: v)
            for key in f.metadata.get("keys") or (_camel(f.name),):
                table[key] = (f.name, conv)
        _TABLES[cls] = table
    return table


class Model:
    """Base of the models: ``from_wire`` and ``to_dict``."""

    extra: Dict[str, Any]

    @classmethod
    def from_wire(cls: Type[M], data: Optional[Mapping[str, Any]]) -> M:
        """Build from the server's JSON object; unknown keys go to ``extra``.

        BadResponseError when ``data`` is not an object (the answer has another shape).
        """
        if data is not None and not isinstance(data, Mapping):
            raise BadResponseError("expected a JSON object for %s, got %s" % (cls.__name__, type(data).__name__))
        table = _table(cls)
        kwargs: Dict[str, Any] = {}
        extra: Dict[str, Any] = {}
        for key, value in (data or {}).items():
            entry = table.get(key)
            if entry is None:
                extra[key] = value
            else:
                name, conv = entry
                if name not in kwargs or value is not None:  # first non-null spelling wins
                    kwargs[name] = conv(value)
        return cls(extra=extra, **kwargs)  # type: ignore[call-arg]

    def to_dict(self) -> Dict[str, Any]:
        """Plain JSON-able dict of the attributes (enums as ints), ``extra`` included."""
        return dataclasses.asdict(self)  # type: ignore[call-overload]


# --- the models -------------------------------------------------------------------------


@dataclass
class Platform(Model):
    """A platform (render cluster) of queryPlatforms."""

    platform: int = _w(to_int, default=0)
    name: str = _w(to_str, default="")
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class Software(Model):
    """A render software of querySupportedSoftware (``renderInfoList``)."""

    cg_id: int = _w(to_int, default=0)
    cg_name: str = _w(to_str, default="")
    cg_type: str = _w(to_str, default="")  #: file extensions, ``"ma;mb"``
    icon_path: str = _w(to_str, default="")
    is_need_project_path: int = _w(to_int, default=0)
    is_need_analyse: int = _w(to_int, default=0)
    is_support_linux: int = _w(to_int, default=0)
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def extensions(self) -> List[str]:
        """``["ma", "mb"]`` from ``cg_type``."""
        return [e.strip().lstrip(".").lower() for e in re.split(r"[;,\s]+", self.cg_type) if e.strip()]


@dataclass
class SoftVersion(Model):
    """A version of a software the farm offers (``cgVersion`` of querySupportedPlugin)."""

    id: int = _w(to_int, default=0)
    cg_id: int = _w(to_int, default=0)
    cg_name: str = _w(to_str, default="")
    cg_version: str = _w(to_str, default="")
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class PluginVersion(Model):
    """A plugin version (``pluginId`` is what environments list)."""

    plugin_id: int = _w(to_int, default=0)
    plugin_name: str = _w(to_str, default="")
    plugin_version: str = _w(to_str, default="")
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class Plugin(Model):
    """A plugin offered for one software version (``cv_id`` = ``SoftVersion.id``)."""

    cv_id: int = _w(to_int, default=0)
    plugin_name: str = _w(to_str, default="")
    versions: List[PluginVersion] = _w(_models(lambda: PluginVersion), "pluginVersions", factory=list)
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class RenderEnv(Model):
    """A user's render environment (getRenderEnv)."""

    cg_id: int = _w(to_int, default=0)
    edit_name: str = _w(to_str, default="")
    cg_name: str = _w(to_str, default="")
    cg_version: str = _w(to_str, default="")
    os_name: int = _w(_os_name, default=0)  #: 0 linux, 1 windows
    render_layer_type: int = _w(to_int, default=0)
    is_default: bool = _w(to_bool, default=False)
    plugins: List[PluginVersion] = _w(_models(lambda: PluginVersion), "respUserPluginInfoVos", "plugins", factory=list)
    project_path: str = _w(to_str, default="")
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class TaskInfo(Model):
    """A task of getTaskList / queryTaskInfo; ``children`` are its rendering tasks."""

    id: int = _w(to_int, default=0)
    alias: str = _w(to_str, "taskAlias", default="")
    scene_name: str = _w(to_str, default="")
    status: Union[TaskStatus, int] = _w(_enum(TaskStatus), "taskStatus", default=TaskStatus.WAITING)
    status_text: str = _w(to_str, default="")
    pre_task_status: Optional[Union[TaskStatus, int]] = _w(_enum(TaskStatus, optional=True), default=None)
    pre_status_text: str = _w(to_str, default="")
    total_frames: int = _w(to_int, default=0)
    abort_frames: int = _w(to_int, default=0)
    executing_frames: int = _w(to_int, default=0)
    done_frames: int = _w(to_int, default=0)
    failed_frames: int = _w(to_int, default=0)
    frames_range: str = _w(to_str, default="")
    project_name: str = _w(to_str, default="")
    render_consume: float = _w(to_float, default=0.0)
    task_arrears: float = _w(to_float, default=0.0)
    submit_date: Optional[int] = _w(to_opt_int, default=None)  #: ms since the epoch
    start_time: Optional[int] = _w(to_opt_int, default=None)  #: ms
    completed_date: Optional[int] = _w(to_opt_int, default=None)  #: ms
    render_duration: int = _w(to_int, default=0)  #: seconds
    user_name: str = _w(to_str, default="")
    producer: str = _w(to_str, default="")
    task_level: int = _w(to_int, default=0)
    task_user_level: int = _w(to_int, default=0)
    task_limit: Optional[int] = _w(to_opt_int, default=None)
    task_over_time: Optional[int] = _w(to_opt_int, default=None)
    user_id: int = _w(to_int, default=0)
    output_file_name: str = _w(to_str, default="")
    cg_id: int = _w(to_int, default=0)
    menu_task_id: str = _w(to_str, "menuTaskId", "munuTaskId", default="")
    layer_parent_id: int = _w(to_int, default=0)
    key_value: str = _w(to_str, default="")
    user_account_consume: float = _w(to_float, default=0.0)
    coupon_consume: float = _w(to_float, default=0.0)
    is_open: int = _w(to_int, default=0)
    task_type: str = _w(to_str, default="")
    render_camera: str = _w(to_str, default="")
    clone_parent_id: int = _w(to_int, default=0)
    clone_original_id: int = _w(to_int, default=0)
    share_main_capital: int = _w(to_int, default=0)
    task_ram: Optional[int] = _w(to_opt_int, default=None)
    layer_name: str = _w(to_str, default="")
    task_type_text: str = _w(to_str, default="")
    is_delete: int = _w(to_int, default=0)
    bid: str = _w(to_str, default="")  #: v2 queryTaskInfo
    #: v2 createTask's ``artist``, where the service tells it (None: not told)
    artist: Optional[str] = _w(lambda v: None if v is None else to_str(v), default=None)
    children: List["TaskInfo"] = _w(_models(lambda: TaskInfo), "respRenderingTaskList", factory=list)
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def is_terminal(self) -> bool:
        """The task will not change any more (finished, stopped, failed, abandoned...)."""
        return isinstance(self.status, TaskStatus) and self.status.is_terminal


@dataclass
class FrameInfo(Model):
    """A frame (or block) of a task, from queryTaskFrames."""

    id: int = _w(to_int, default=0)
    task_id: int = _w(to_int, default=0)
    frame_index: str = _w(to_str, default="")  #: "0-1" (frame, or frame-block)
    frame_block: str = _w(to_str, default="")
    status: Union[FrameStatus, int] = _w(_enum(FrameStatus), "frameStatus", default=FrameStatus.WAITING)
    status_text: str = _w(to_str, "frameStatusText", default="")
    frame_type: Union[FrameType, int] = _w(_enum(FrameType), default=FrameType.MAIN)
    fee_amount: float = _w(to_float, default=0.0)
    coupon_fee: float = _w(to_float, default=0.0)
    arrears_fee: float = _w(to_float, "arrearsFee", "arrearFee", default=0.0)
    start_time: Optional[int] = _w(to_opt_int, default=None)  #: ms
    end_time: Optional[int] = _w(to_opt_int, default=None)  #: ms
    execute_time: int = _w(to_int, "frameExecuteTime", default=0)  #: seconds
    recommit_flag: int = _w(to_int, default=0)
    menu_job_id: str = _w(to_str, "menuJobId", "munuJobId", default="")
    menu_task_id: str = _w(to_str, "menuTaskId", "munuTaskId", default="")
    frame_ram: Optional[int] = _w(to_opt_int, default=None)
    gop_name: str = _w(to_str, default="")
    user_id: int = _w(to_int, default=0)
    frame_price: float = _w(to_float, default=0.0)
    fee_type: int = _w(to_int, default=0)
    platform: int = _w(to_int, default=0)
    task_over_time: Optional[int] = _w(to_opt_int, default=None)
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class Page(Generic[T]):
    """One page of a paged answer (getTaskList, queryTaskInfo, queryTaskFrames)."""

    page_count: int = 0
    page_num: int = 1
    total: int = 0
    size: int = 0
    items: List[T] = field(default_factory=list)
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_wire(cls, data: Any, item: Any = None) -> "Page[Any]":
        """Build from ``{"pageCount", "pageNum", "total", "size", "items"}``; items through
        ``item.from_wire`` when given. A bare list is taken as a single page."""
        if isinstance(data, (list, tuple)):
            data = {"items": list(data), "total": len(data), "size": len(data), "pageCount": 1}
        data = dict(data or {})
        raw_items = data.pop("items", None) or []
        items = [item.from_wire(v) if item is not None and isinstance(v, Mapping) else v for v in raw_items]
        return cls(
            page_count=to_int(data.pop("pageCount", 0)),
            page_num=to_int(data.pop("pageNum", 1)) or 1,
            total=to_int(data.pop("total", len(items))),
            size=to_int(data.pop("size", len(items))),
            items=items,
            extra=data,
        )

    def to_dict(self) -> Dict[str, Any]:
        """Plain JSON-able dict."""
        return dataclasses.asdict(self)

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass
class GrabBlock(Model):
    """One block of a frame in a progress image (``grabInfo``; strings on the wire)."""

    frame_index: str = _w(to_str, default="")
    frame_block: str = _w(to_str, default="")
    frame_status: int = _w(to_int, default=0)  #: a FrameStatus value
    frame_percent: float = _w(to_float, default=0.0)
    frame_used: int = _w(to_int, default=0)  #: seconds
    frame_est: int = _w(to_int, default=0)  #: seconds left (estimate)
    render_info: str = _w(to_str, default="")
    grab_url: str = _w(to_str, default="")
    start_time: str = _w(to_str, default="")
    end_time: str = _w(to_str, default="")
    fee_amount: float = _w(to_float, default=0.0)
    coupon_fee: float = _w(to_float, default=0.0)
    is_max_price: int = _w(to_int, default=0)
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


def _grab_rows(value: Any) -> List[List[GrabBlock]]:
    rows: List[List[GrabBlock]] = []
    for row in value or []:
        if isinstance(row, Mapping):
            row = [row]
        rows.append([GrabBlock.from_wire(b) for b in row or [] if isinstance(b, Mapping)])
    return rows


@dataclass
class ProgressImage(Model):
    """loadTaskProcessImg: the frame's size, its blocks and each block's progress."""

    width: int = _w(to_int, default=0)
    height: int = _w(to_int, default=0)
    block: int = _w(to_int, default=0)
    is_render_photon: bool = _w(to_bool, default=False)
    current_task_type: str = _w(to_str, default="")  #: "Render" or "RenderPhoton"
    scene_name: str = _w(to_str, default="")
    start_time: str = _w(to_str, default="")
    end_time: str = _w(to_str, default="")
    blocks: List[List[GrabBlock]] = _w(_grab_rows, "grabInfo", factory=list)
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class UserProfile(Model):
    """queryUserProfile: the account, its balance and prices."""

    user_id: int = _w(to_int, default=0)
    user_name: str = _w(to_str, default="")
    platform: int = _w(to_int, default=0)
    email: str = _w(to_str, default="")
    zone: int = _w(to_int, default=0)
    rmb_balance: float = _w(to_float, "rmbbalance", "rmbBalance", default=0.0)
    usd_balance: float = _w(to_float, "usdbalance", "usdBalance", default=0.0)
    coupon: float = _w(to_float, default=0.0)
    credit: float = _w(to_float, default=0.0)
    cpu_price: float = _w(to_float, default=0.0)
    gpu_price: float = _w(to_float, default=0.0)
    phone: str = _w(to_str, default="")
    company: str = _w(to_str, default="")
    name: str = _w(to_str, default="")
    level: int = _w(to_int, default=0)
    account_type: int = _w(to_int, default=0)
    user_type: int = _w(to_int, default=0)
    main_user_id: int = _w(to_int, default=0)
    status: int = _w(to_int, default=0)
    info_status: int = _w(to_int, default=0)
    rmb_cumulative: float = _w(to_float, default=0.0)
    usd_cumulative: float = _w(to_float, default=0.0)
    country: str = _w(to_str, default="")
    city: str = _w(to_str, default="")
    soft_type: int = _w(to_int, default=0)
    share_main_capital: int = _w(to_int, default=0)
    sub_delete_task: int = _w(to_int, default=0)
    use_main_balance: int = _w(to_int, default=0)
    hide_balance: int = _w(to_int, default=0)
    hide_job_charge: int = _w(to_int, default=0)
    download_disable: int = _w(to_int, default=0)
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def is_sub_account(self) -> bool:
        return bool(self.main_user_id)


@dataclass
class UserSetting(Model):
    """queryUserSetting."""

    info_status: int = _w(to_int, default=0)
    account_type: int = _w(to_int, default=0)
    share_main_capital: int = _w(to_int, default=0)
    sub_delete_task: int = _w(to_int, default=0)
    use_main_balance: int = _w(to_int, default=0)
    single_node_render_frames: str = _w(to_str, default="")
    max_ignore_map_flag: str = _w(to_str, default="")
    auto_commit: str = _w(to_str, default="")
    separate_account_flag: int = _w(to_int, default=0)
    mi_file_switch_flag: int = _w(to_int, "miFileSwitchFlag", "mifileSwitchFlag", default=0)
    ass_file_switch_flag: int = _w(to_int, "assFileSwitchFlag", "assfileSwitchFlag", default=0)
    manually_start_analysis_flag: int = _w(to_int, default=0)
    download_disable: int = _w(to_int, default=0)
    task_over_time: int = _w(to_int, default=0)  #: hours
    task_over_time_sec: Optional[int] = _w(to_opt_int, default=None)  #: v2: seconds
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class TransferBid(Model):
    """getTransferBid: the transfer ids for task files, assets and results."""

    config_bid: str = _w(to_str, "config_bid", "configBid", default="")
    output_bid: str = _w(to_str, "output_bid", "outputBid", default="")
    input_bid: str = _w(to_str, "input_bid", "inputBid", default="")
    parent_input_bid: str = _w(to_str, "parent_input_bid", "parentInputBid", default="")
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class CreatedTasks(Model):
    """createTask: the new task ids and their aliases."""

    task_ids: List[int] = _w(_list_of(to_int), "taskIdList", factory=list)
    aliases: List[str] = _w(_list_of(to_str), "aliasTaskIdList", factory=list)
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class ErrorDetail(Model):
    """queryErrorDetail: what an analysis code means and how to solve it."""

    id: int = _w(to_int, default=0)
    code: str = _w(to_str, default="")
    type: int = _w(to_int, default=0)  #: 0 warning (may be ignored), 1 error (blocks)
    language_flag: int = _w(to_int, default=0)
    des_description_cn: str = _w(to_str, default="")
    des_solution_cn: str = _w(to_str, default="")
    solution_path: str = _w(to_str, default="")
    is_repair: int = _w(to_int, default=0)
    is_delete: int = _w(to_int, default=0)
    is_open: int = _w(to_int, default=0)
    update_time: Optional[int] = _w(to_opt_int, default=None)
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def is_blocking(self) -> bool:
        """Type 1: an error that blocks the submission."""
        return self.type == 1


@dataclass
class FrameStats(Model):
    """queryAllFrameStats: frame counts over all the account's tasks."""

    executing: int = _w(to_int, "executingFramesTotal", default=0)
    done: int = _w(to_int, "doneFramesTotal", default=0)
    failed: int = _w(to_int, "failedFramesTotal", default=0)
    waiting: int = _w(to_int, "waitingFramesTotal", default=0)
    total: int = _w(to_int, "totalFrames", default=0)
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class Label(Model):
    """A label (project name) of getLabelList."""

    project_id: int = _w(to_int, default=0)
    project_name: str = _w(to_str, default="")
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class SupportedSoftware(Model):
    """querySupportedSoftware."""

    is_auto_commit: int = _w(to_int, default=0)
    software: List[Software] = _w(_models(lambda: Software), "renderInfoList", factory=list)
    default_cg_id: int = _w(to_int, default=0)
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)

    def find(self, cg_id: int) -> Optional[Software]:
        """The software with ``cg_id``, or None."""
        for item in self.software:
            if item.cg_id == int(cg_id):
                return item
        return None


@dataclass
class PluginCatalogue(Model):
    """querySupportedPlugin: the software versions and plugins the farm offers for one cg_id."""

    plugins: List[Plugin] = _w(_models(lambda: Plugin), "cgPlugin", factory=list)
    versions: List[SoftVersion] = _w(_models(lambda: SoftVersion), "cgVersion", factory=list)
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)

    def plugins_for(self, cv_id: int) -> List[Plugin]:
        """The plugins offered for the software version ``cv_id`` (``SoftVersion.id``)."""
        return [p for p in self.plugins if p.cv_id == int(cv_id)]


@dataclass
class OutputFile(Model):
    """An entry of the output storage (getOutputUserDirFile): a rendered file, or a folder."""

    file_name: str = _w(to_str, default="")
    file_size: Optional[int] = _w(to_opt_int, default=None)  #: bytes; None for a folder
    file_path: str = _w(to_str, default="")  #: from the output root: ``/19001_shot/beauty/shot.0001.exr``
    file_type: str = _w(to_str, default="")  #: the extension, "" for a folder
    last_modify: str = _w(to_str, default="")  #: "YYYY-MM-DD HH:MM:SS"
    directory: bool = _w(to_bool, default=False)
    is_arrears: int = _w(to_int, default=0)
    icon_path: str = _w(to_str, default="")
    md5: str = _w(to_str, default="")  #: where the service reports it
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)
