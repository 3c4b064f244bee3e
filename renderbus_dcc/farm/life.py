"""A task's life on the farm, as pure functions of data (no database, no clock, no network).

- :func:`task_plan` reads task.json into the child tasks and frames the farm will render.
- :func:`frame_fate` says, deterministically under a seed, how long a frame block renders
  and whether it fails.
- :func:`run_frames` plays a task's frames forward from one farm time to another: a fixed
  number of render nodes take waiting blocks in order; a photon pass holds back the main
  pass until it is over. It reads the waiting frames lazily, so playing a 100,000-frame
  task costs what happens in the span played, not the size of the task.

Farm time is in seconds and runs ``speed`` times faster than the wall clock.
"""

import heapq
import json
import random
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from renderbus_dcc.constants import FrameStatus, FrameType

__all__ = [
    "ANALYSE_SECONDS", "WAIT_SECONDS", "NODES", "PRICE_PER_SECOND",
    "ChildPlan", "TaskPlan", "task_plan", "FrameState", "frame_fate", "Played", "run_frames", "queue_key", "QUEUE_ORDER",
    "ACTIVE_FRAME_STATUSES",
]

#: Farm seconds a task spends in ANALYSE, then in WAITING, before its frames start.
ANALYSE_SECONDS = 20.0
WAIT_SECONDS = 10.0
#: Render nodes a task gets.
NODES = 20
#: What a second of rendering costs (RMB).
PRICE_PER_SECOND = 0.0015
#: Most frames one task may hold.
MAX_FRAMES = 100000
#: Largest frame number (either sign) a task may render: frames are stored as SQLite integers.
MAX_FRAME_NUMBER = 10 ** 9

#: Frame statuses still to be played (waiting, running, waiting for the photon pass).
ACTIVE_FRAME_STATUSES = (int(FrameStatus.WAITING), int(FrameStatus.RUNNING), int(FrameStatus.WAIT_PHOTON_FRAME))


@dataclass
class ChildPlan:
    """A child task: ``RenderPhoton`` or ``Render``, one per Maya layer."""

    task_type: str
    frames: List[int]
    frames_range: str
    layer_name: Optional[str] = None
    camera: str = ""


@dataclass
class TaskPlan:
    """What task.json asks the farm to render."""

    scene_name: str
    cg_id: int
    project_name: str
    renderer: str
    tiles: int
    width: int
    height: int
    key_value: str
    children: List[ChildPlan] = field(default_factory=list)
    pre_frames: str = "000"  #: frames rendered first ("FML:custom", see renderbus_dcc.testframes)
    stop_after_test: str = "2"  #: "1": the task stops once they are done
    image_format: str = "png"  #: the outputs' format: "png" or "exr"

    def to_dict(self) -> Dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "TaskPlan":
        children = [ChildPlan(**c) for c in data.get("children", [])]
        return cls(**{**data, "children": children})

    def to_json(self) -> str:
        """The plan as the farm stores it: child frames left to their ``frames_range`` (a 100,000-frame
        list would make every read of the task row read 600 KB)."""
        data = self.to_dict()
        for child in data["children"]:
            del child["frames"]
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> "TaskPlan":
        data = json.loads(text)
        for child in data.get("children", []):
            if "frames" not in child:
                child["frames"] = _parse_frames(child["frames_range"])
        return cls.from_dict(data)


def _parse_frames(spec: Any) -> List[int]:
    from renderbus_dcc.frames import parse_frames

    return parse_frames(str(spec))


def _int(value: Any, default: int) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _obj(value: Any) -> Dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _bounded(info: Dict[str, Any], key: str, default: int, lo: int, hi: int, where: str = "task_info") -> int:
    value = _int(info.get(key), default)
    if not lo <= value <= hi:
        raise ValueError("task.json %s.%s %r is not a number from %d to %d" % (where, key, str(info.get(key))[:40], lo, hi))
    return value


def name_list(value: Any) -> List[str]:
    """Camera names as a list: a list's items, or one name (Blender's ``camera_name``).

    (The task-file schema has refused anything else before a plan is made.)
    """
    if isinstance(value, list):
        return [str(v) for v in value]
    text = str(value or "").strip()
    return [text] if text else []


def _cameras(common: Dict[str, Any]) -> str:
    # Maya: render_camera; 3ds Max: renderable_camera; Blender: camera_name (one)
    return ",".join(name_list(common.get("render_camera") or common.get("renderable_camera") or common.get("camera_name")))


def task_plan(task: Dict[str, Any]) -> TaskPlan:
    """The plan of a task.json; ValueError says what in the file is wrong."""
    if not isinstance(task, dict):
        raise ValueError("task.json is not a JSON object")
    info = task.get("task_info")
    render = task.get("scene_info_render") or task.get("scene_info")  # Blender's SDK: scene_info
    if not isinstance(info, dict):
        raise ValueError("task.json has no task_info object")
    if not isinstance(render, dict) or not render:
        raise ValueError("task.json has no scene_info_render")
    cg_id = _bounded(info, "cg_id", 0, 0, 99999)
    tiles = _bounded(info, "tiles", 1, 1, 256)
    plugins = _obj(_obj(task.get("software_config")).get("plugins"))
    scene_file = str(info.get("input_cg_file") or "")
    scene_name = scene_file.replace("\\", "/").rsplit("/", 1)[-1] or "scene"

    def frames_of(where: str, common: Any) -> Tuple[List[int], str]:
        if not isinstance(common, dict) or "frames" not in common:
            raise ValueError("task.json %s has no common.frames" % where)
        spec = str(common["frames"])
        try:
            frames = _parse_frames(spec)
        except ValueError as exc:
            raise ValueError("task.json %s: %s" % (where, exc)) from None
        if not frames:
            raise ValueError("task.json %s has no frames" % where)
        if frames[0] < -MAX_FRAME_NUMBER or frames[-1] > MAX_FRAME_NUMBER:
            raise ValueError("task.json %s: frame numbers must be within -%d..%d" % (where, MAX_FRAME_NUMBER,
                                                                                 MAX_FRAME_NUMBER))
        return frames, spec

    children: List[ChildPlan] = []
    first: Dict[str, Any] = {}
    if isinstance(render.get("common"), dict):
        common = render["common"]
        first = common
        renderer_block = _obj(render.get("renderer"))
        renderer = str(renderer_block.get("name") or common.get("renderer") or "")
        frames, spec = frames_of("scene_info_render", common)
        is_vray = "vray" in (renderer + " " + " ".join(plugins)).lower().replace("-", "").replace(" ", "")
        if cg_id == 2001 and is_vray:
            children.append(ChildPlan("RenderPhoton", frames[:1], str(frames[0]), None, _cameras(common)))
        children.append(ChildPlan("Render", frames, spec, None, _cameras(common)))
    else:
        renderer = ""
        for layer, entry in render.items():
            if not isinstance(entry, dict):
                raise ValueError("task.json scene_info_render[%r] is not an object" % layer)
            if str(entry.get("renderable", "1")) != "1":
                continue
            frames, spec = frames_of("layer %r" % layer, entry.get("common"))
            first = first or entry["common"]
            renderer = renderer or str(entry["common"].get("renderer") or "")
            children.append(ChildPlan("Render", frames, spec, str(layer), _cameras(entry["common"])))
        if not children:
            raise ValueError("task.json has no renderable layer in scene_info_render")
    total = sum(len(c.frames) for c in children) * tiles
    if total > MAX_FRAMES:
        raise ValueError("task.json asks for %d frame blocks; the farm takes at most %d" % (total, MAX_FRAMES))
    width = _bounded(first, "width", 1920, 1, 100000, "common")
    height = _bounded(first, "height", 1080, 1, 100000, "common")
    key_value = "".join("%s:%s::" % (k, v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)) for k, v in (
        ("name", renderer), ("frames", children[-1].frames_range), ("width", width), ("height", height),
        ("tiles", tiles), ("tiles_type", info.get("tiles_type", "block")),
        ("renderable_camera", [c for c in _cameras(first).split(",") if c]),
        ("all_camera", name_list(first.get("all_camera"))),
    ))
    from renderbus_dcc.testframes import NONE, parse_pre_frames

    pre_frames = str(info.get("pre_frames") or NONE).strip()
    try:
        parse_pre_frames(pre_frames)
    except ValueError as exc:
        raise ValueError("task.json task_info: %s" % exc) from None
    stop = str(info.get("stop_after_test") or "2").strip()
    if stop not in ("1", "2"):
        raise ValueError("task.json task_info.stop_after_test %r is not \"1\" (stop) or \"2\" (carry on)" % stop)
    # Maya: image_format; 3ds Max: output_file_type (".exr"); Blender: Render_Format ("OPEN_EXR")
    asked = first.get("image_format") or first.get("output_file_type") or first.get("Render_Format") or ""
    image_format = "exr" if "exr" in str(asked).lower() else "png"
    return TaskPlan(scene_name, cg_id, str(info.get("project_name") or ""), renderer, tiles, max(1, width),
                    max(1, height), key_value, children, pre_frames, stop, image_format)


@dataclass
class FrameState:
    """One frame block, as the life plays it."""

    id: int
    ord: int
    seq: int
    status: int
    frame_type: int
    recommit: int = 0
    start_ft: Optional[float] = None
    end_ft: Optional[float] = None
    start_ms: Optional[int] = None
    end_ms: Optional[int] = None
    execute_time: int = 0
    fee: float = 0.0


def frame_fate(seed: Any, frame_id: int, recommit: int, frame_type: int, tiles: int, fail_rate: float) -> Tuple[float, bool]:
    """(farm seconds it renders, whether it fails): the same for the same seed, frame and retry."""
    rnd = random.Random("frame:%s:%d:%d" % (seed, frame_id, recommit))
    if frame_type == int(FrameType.PHOTON):
        seconds = rnd.uniform(30.0, 60.0)
    else:
        seconds = rnd.uniform(20.0, 60.0) / (tiles ** 0.5)
    fails = rnd.random() < fail_rate
    if fails:
        seconds *= rnd.uniform(0.2, 0.8)
    return max(1.0, seconds), fails


@dataclass
class Played:
    """What :func:`run_frames` did: the frames it changed, and where the task stands.

    ``over``: the farm time the last frame ended, when none is left to play (the task is
    over). ``next_event``: the farm time the next running frame ends. ``release_at``: the
    photon pass ended at this farm time while frames wait for it: release them (waiting),
    then play on from there.
    """

    changed: Dict[int, FrameState] = field(default_factory=dict)
    over: Optional[float] = None
    next_event: Optional[float] = None
    release_at: Optional[float] = None


def queue_key(f: FrameState) -> Tuple[int, int]:
    """The order in which render nodes take waiting frames (:data:`QUEUE_ORDER` in SQL)."""
    return (f.ord, f.seq)


#: :func:`queue_key` as an SQL ``ORDER BY`` over the frames table.
QUEUE_ORDER = "ord, seq"


def run_frames(
    running: Iterable[FrameState],
    waiting: Iterable[FrameState],
    sim_ft: float,
    now_ft: float,
    fate: Callable[[FrameState], Tuple[float, bool]],
    wall_ms: Callable[[float], int],
    nodes: int = NODES,
    photon_left: int = 0,
    gated: int = 0,
) -> Played:
    """Play a task's frames from farm time ``sim_ft`` to ``now_ft``; changes them in place.

    ``running``: its running frames. ``waiting``: its waiting frames in queue order
    (:func:`queue_key`), read lazily, only as far as nodes free up before ``now_ft``, so the
    work is bounded by what happens in that span, not by the size of the task.
    ``photon_left``: photon frames not over yet (waiting or running); ``gated``: how many
    frames wait for the photon pass (not in ``waiting``).
    """
    played = Played()
    queue = iter(waiting)
    heap: List[Tuple[float, int, int, FrameState]] = []
    failing: Dict[int, bool] = {}
    for f in running:
        heapq.heappush(heap, (f.end_ft or sim_ft, f.ord, f.seq, f))
    more = True

    def fill(t: float) -> None:
        nonlocal more
        while more and len(heap) < nodes:
            f = next(queue, None)
            if f is None:
                more = False
                return
            seconds, fails = fate(f)
            f.status = int(FrameStatus.RUNNING)
            f.start_ft, f.end_ft = t, t + seconds
            f.start_ms, f.end_ms = wall_ms(t), None
            f.execute_time, f.fee = 0, 0.0
            failing[f.id] = fails
            played.changed[f.id] = f
            heapq.heappush(heap, (f.end_ft, f.ord, f.seq, f))

    last = sim_ft
    fill(sim_ft)
    while heap and heap[0][0] <= now_ft:
        end, _, _, f = heapq.heappop(heap)
        fails = failing[f.id] if f.id in failing else fate(f)[1]
        f.status = int(FrameStatus.FAILED if fails else FrameStatus.DONE)
        f.end_ms = wall_ms(end)
        f.execute_time = int(round(end - (f.start_ft or end)))
        f.fee = round(f.execute_time * PRICE_PER_SECOND, 2)
        played.changed[f.id] = f
        last = end
        if f.frame_type == FrameType.PHOTON:
            photon_left -= 1
            if photon_left <= 0 and gated:
                played.release_at = end
                break
        fill(end)
    if played.release_at is None and not heap and not gated:  # (an empty heap: the queue ran out)
        played.over = last
    played.next_event = heap[0][0] if heap else None
    return played
