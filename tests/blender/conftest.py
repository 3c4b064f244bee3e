"""Blender tests: the add-on runs inside real Blender (the ``bpy`` module of each supported
version: tools/testmatrix.py runs this folder once per version, each in its own venv).

The add-on is enabled the way Blender enables a legacy add-on found on a scripts path
(``addon_utils.enable``). Every test starts from an empty home file with online access on
and a clean UI state; timers do not fire in module mode, so tests drive ``jobs.drain``.
No Qt in this folder.
"""

import json
import os
import sys
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

bpy = pytest.importorskip("bpy")

BLENDER_DIR = Path(__file__).resolve().parents[2] / "blender"
ADDON = "renderbus_blender"


def _raise(exc: BaseException) -> None:
    raise exc


def enable_addon() -> Any:
    """Enable the add-on as Blender does for one found on a scripts path (before the test
    modules import it, so they share the one Blender registered)."""
    import addon_utils

    if str(BLENDER_DIR) not in sys.path:
        sys.path.insert(0, str(BLENDER_DIR))
    module = addon_utils.enable(ADDON, default_set=True, handle_error=_raise)
    assert module is not None and module.__file__.startswith(str(BLENDER_DIR))
    return module


_ADDON = enable_addon()
_EXIT_STATUS = [0]


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    _EXIT_STATUS[0] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: Any) -> None:
    """Leave as soon as pytest is done, with its exit status: the bpy module can hang in its
    own exit (bpy 4.5.15 does, every time, after these tests)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_EXIT_STATUS[0])


@pytest.fixture(scope="session")
def addon() -> Iterator[Any]:
    """The add-on, enabled once for the session."""
    yield _ADDON
    _ADDON.jobs.shutdown()


@pytest.fixture(autouse=True)
def blank(addon: Any) -> Iterator[Any]:
    """An empty scene, online access on, settings read from this test's config folder."""
    bpy.ops.wm.read_homefile(use_empty=True)
    bpy.context.preferences.system.use_online_access = True
    addon.preferences.reload_settings()
    state = bpy.context.window_manager.renderbus
    for name in ("issues", "tasks"):
        getattr(state, name).clear()
    for name in ("job_kind", "job_message", "job_error", "interrupted_id", "account", "env_summary", "env_reason",
                 "tasks_message", "progress_image"):
        setattr(state, name, "")
    state.job_running = state.validated = False
    state.last_task_id = state.progress_icon = 0
    yield addon
    addon.jobs.shutdown()
    addon.preferences.reload_settings()


@pytest.fixture
def account(farm: Any, addon: Any) -> Any:
    """The add-on's preferences pointed at the local farm's account."""
    prefs = bpy.context.preferences.addons[ADDON].preferences
    prefs.endpoint = farm.url
    prefs.access_id = farm.access_id
    prefs.access_key = farm.access_key
    prefs.platform = farm.platform
    return prefs


def write_png(path: Path, color=(1.0, 0.5, 0.2, 1.0), size: int = 4) -> Path:
    """Write a real small PNG with Blender (non-ASCII paths included)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = bpy.data.images.new("tmp_write", size, size)
    image.pixels[:] = list(color) * (size * size)
    image.filepath_raw = str(path)
    image.file_format = "PNG"
    image.save()
    bpy.data.images.remove(image)
    return path


def material_with_image(name: str, image: Any) -> Any:
    material = bpy.data.materials.new(name)
    if material.node_tree is None:  # 5.0: materials always have nodes (use_nodes is deprecated)
        material.use_nodes = True
    node = material.node_tree.nodes.new("ShaderNodeTexImage")
    node.image = image
    return material


def add_object(name: str, material: Any = None) -> Any:
    mesh = bpy.data.meshes.new(name)
    mesh.from_pydata([(0, 0, 0), (1, 0, 0), (0, 1, 0)], [], [(0, 1, 2)])
    obj = bpy.data.objects.new(name, mesh)
    bpy.context.scene.collection.objects.link(obj)
    if material is not None:
        mesh.materials.append(material)
    return obj


def add_camera(name: str) -> Any:
    cam = bpy.data.objects.new(name, bpy.data.cameras.new(name))
    bpy.context.scene.collection.objects.link(cam)
    return cam


def make_library(path: Path, texture: Path) -> Path:
    """Save a .blend holding collection "Props" with a textured object, for linking."""
    bpy.ops.wm.read_homefile(use_empty=True)
    coll = bpy.data.collections.new("Props")
    bpy.context.scene.collection.children.link(coll)
    image = bpy.data.images.load(str(texture))
    obj = add_object("prop", material_with_image("prop_mat", image))
    bpy.context.scene.collection.objects.unlink(obj)
    coll.objects.link(obj)
    path.parent.mkdir(parents=True, exist_ok=True)
    bpy.ops.wm.save_as_mainfile(filepath=str(path), relative_remap=True)
    bpy.ops.wm.read_homefile(use_empty=True)
    return path


@pytest.fixture
def project(tmp_path: Path) -> Dict[str, Any]:
    """A saved scene with real files: UDIM tiles, a linked library, an image sequence, a
    missing texture, a non-ASCII texture, a packed and a generated image, two cameras (one on
    a marker), two view layers (one not rendered), 50% of 640x360, EXR output."""
    root = tmp_path / "project"
    files: Dict[str, Any] = {}
    files["lib_tex"] = write_png(root / "lib" / "textures" / "brick.png")
    files["library"] = make_library(root / "lib" / "props.blend", files["lib_tex"])
    files["udim"] = [write_png(root / "tex" / ("skin.%d.png" % n)) for n in (1001, 1002)]
    files["sequence"] = [write_png(root / "seq" / ("frame_%04d.png" % n)) for n in (1, 2, 3)]
    files["unicode"] = write_png(root / "贴图" / "木纹 01.png")

    bpy.ops.wm.read_homefile(use_empty=True)
    scene = bpy.context.scene
    scene.render.engine = "CYCLES"
    scene.frame_start, scene.frame_end, scene.frame_step = 1, 3, 1
    scene.render.resolution_x, scene.render.resolution_y, scene.render.resolution_percentage = 640, 360, 50
    scene.render.filepath = "//render/shot_"
    scene.render.image_settings.file_format = "OPEN_EXR"

    udim = bpy.data.images.load(str(files["udim"][0]))
    udim.source = "TILED"
    seq = bpy.data.images.load(str(files["sequence"][0]))
    seq.source = "SEQUENCE"
    wood = bpy.data.images.load(str(files["unicode"]))
    wood.name = "木纹"
    missing = bpy.data.images.new("missing", 4, 4)
    missing.source, missing.filepath = "FILE", str(root / "tex" / "missing.png")
    packed = bpy.data.images.load(str(files["lib_tex"]), check_existing=False)
    packed.name = "packed"
    packed.pack()
    bpy.data.images.new("generated", 8, 8)
    for image in (udim, seq, wood, missing):
        add_object("obj_" + image.name, material_with_image("mat_" + image.name, image))

    with bpy.data.libraries.load(str(files["library"]), link=True) as (data_from, data_to):
        data_to.collections = ["Props"]
    instance = bpy.data.objects.new("Props_instance", None)
    instance.instance_type = "COLLECTION"
    instance.instance_collection = data_to.collections[0]
    scene.collection.objects.link(instance)

    cam_a, cam_b = add_camera("CamA"), add_camera("CamB")
    scene.camera = cam_a
    scene.timeline_markers.new("open", frame=1).camera = cam_a
    scene.timeline_markers.new("cut", frame=2).camera = cam_b
    add_camera("CamUnused")
    scene.view_layers[0].name = "beauty"
    extra = scene.view_layers.new("mask")
    extra.use = False

    files["blend"] = root / "shot.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(files["blend"]), relative_remap=True)
    files["root"] = root
    return files


def drain_until(predicate, timeout: float = 60.0) -> None:
    """Call the timer callback (as Blender's timer would) until ``predicate()`` holds."""
    import time

    from renderbus_blender import jobs

    deadline = time.monotonic() + timeout
    while not predicate():
        jobs.drain()
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting (state: %s)" % bpy.context.window_manager.renderbus.job_message)
        time.sleep(0.05)


def received(farm, task_id: int):
    """The task files the farm holds for ``task_id``, and the local path -> bytes it got."""
    client = farm.client()
    bid = client.get_transfer_bid()
    cfg = {name: json.loads(farm.uploaded_path(bid.config_bid, "/%d/cfg/%s" % (task_id, name)).read_text("utf-8"))
           for name in ("task.json", "upload.json", "asset.json", "tips.json")}
    files = {}
    for entry in cfg["upload.json"]["asset"] + cfg["upload.json"]["scene"]:
        files[entry["local"]] = farm.uploaded_path(bid.input_bid, entry["server"]).read_bytes()
    return cfg, files
