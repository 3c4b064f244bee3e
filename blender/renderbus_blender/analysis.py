"""Read the open Blender scene into a :class:`renderbus_dcc.scene.SceneDescription`.

Main thread only (it reads bpy). Everything the render needs is listed as an
:class:`~renderbus_dcc.scene.Asset` whose ``owner`` names the data-block that points at it
(``bpy.data.images['wood']``), so a missing file can be found again in the scene:
images (UDIM tiles one by one, image sequences frame by frame, movies; packed and generated
images skipped), linked libraries (not those packed into the .blend), OpenVDB volumes (and their
sequences), fonts (not the built-in one), sounds, movie clips, IES files, external OSL scripts,
sequencer strips, and every cache (:mod:`.caches`: point caches, geometry-nodes bakes, fluid,
ocean, Alembic/USD and their layers); then whatever ``bpy.utils.blend_paths`` knows that the walk
did not find. Files of Blender's own installation (bundled brush assets) are not assets: the
farm's Blender has them.

Plugins: the render engine's add-on when the engine is not one of Blender's own, and every
add-on whose node types the scene's node trees use.
"""

import logging
import os
import re
import sys
from typing import Dict, Iterable, Iterator, List, Optional, Tuple

import bpy

from renderbus_dcc.constants import CgId
from renderbus_dcc.scene import Asset, PluginUse, RenderLayer, SceneDescription

from . import changes
from .caches import add_caches
from .collector import Collector, owner_of, quote

__all__ = ["describe_scene", "collect_scene_assets", "render_cameras", "ENGINE_RENDERERS", "frame_spec",
           "strips_attribute"]

log = logging.getLogger(__name__)

#: Blender's render engines -> the renderer names the farm knows. Others go as their lowercase id.
ENGINE_RENDERERS: Dict[str, str] = {
    "CYCLES": "cycles",
    "BLENDER_EEVEE_NEXT": "eevee",
    "BLENDER_EEVEE": "eevee",
    "BLENDER_WORKBENCH": "workbench",
}

#: image_settings.file_format -> file extension the farm shows.
IMAGE_FORMATS: Dict[str, str] = {
    "OPEN_EXR": "exr", "OPEN_EXR_MULTILAYER": "exr", "PNG": "png", "JPEG": "jpg", "JPEG2000": "jp2",
    "TIFF": "tif", "TARGA": "tga", "TARGA_RAW": "tga", "BMP": "bmp", "IRIS": "rgb", "CINEON": "cin",
    "DPX": "dpx", "HDR": "hdr", "WEBP": "webp", "FFMPEG": "ffmpeg", "AVI_JPEG": "avi", "AVI_RAW": "avi",
}

_UDIM_TOKENS = ("<UDIM>", "<UVTILE>")


# --------------------------------------------------------------------------------------------
# The scene


def describe_scene(scene: Optional["bpy.types.Scene"] = None) -> SceneDescription:
    """Describe ``scene`` (default: the context's) for the farm. Main thread only."""
    scene = scene or bpy.context.scene
    render = scene.render
    engine = render.engine
    major, minor = bpy.app.version[:2]
    cameras = sorted(obj.name for obj in scene.objects if obj.type == "CAMERA")
    render_cams = render_cameras(scene)
    markers = [
        {"frame": m.frame, "name": m.name, "camera": m.camera.name}
        for m in sorted(scene.timeline_markers, key=lambda m: m.frame)
        if m.camera is not None
    ]
    layers = [RenderLayer(name=vl.name, renderable=bool(vl.use), cameras=list(render_cams)) for vl in scene.view_layers]
    percentage = render.resolution_percentage
    output = bpy.path.abspath(render.filepath) if render.filepath else ""
    output_dir, output_prefix = _split_output(render.filepath, output)
    blend = bpy.data.filepath
    renderer_version, plugins = _engine_and_plugins(engine)
    return SceneDescription(
        cg_id=int(CgId.BLENDER),
        cg_name="Blender",
        cg_version="%d.%d" % (major, minor),
        scene_file=blend,
        modified=changes.scene_modified(scene),
        project_dir=os.path.dirname(blend) if blend else "",
        renderer=ENGINE_RENDERERS.get(engine, engine.lower()),
        renderer_version=renderer_version,
        plugins=plugins,
        frames=frame_spec(scene.frame_start, scene.frame_end, scene.frame_step),
        layers=layers,
        cameras=cameras,
        width=int(render.resolution_x * percentage / 100),
        height=int(render.resolution_y * percentage / 100),
        output_dir=output_dir,
        output_prefix=output_prefix,
        image_format=IMAGE_FORMATS.get(render.image_settings.file_format, render.image_settings.file_format.lower()),
        assets=collect_scene_assets(scene),
        extra={
            "renderer": _renderer_block(scene),
            "blender": {
                "version": bpy.app.version_string,
                "scene": scene.name,
                "engine": engine,
                "camera": scene.camera.name if scene.camera else "",
                "markers": markers,
                "resolution_x": render.resolution_x,
                "resolution_y": render.resolution_y,
                "resolution_percentage": percentage,
                "fps": render.fps / (render.fps_base or 1.0),
                "output_path": output,
                "file_format": render.image_settings.file_format,
                "use_compositing": bool(render.use_compositing),
                "use_sequencer": bool(render.use_sequencer),
            },
        },
    )


def frame_spec(start: int, end: int, step: int = 1) -> str:
    """Blender's frame range as a spec: ``1-250``, ``1-250x2``, ``7``."""
    if end <= start:
        return str(start)
    return "%d-%d" % (start, end) + ("x%d" % step if step > 1 else "")


def render_cameras(scene: "bpy.types.Scene") -> List[str]:
    """The cameras a render of ``scene`` uses. Markers bound to cameras switch the camera
    during the render (before the first marker its camera is used), so where there are such
    markers they name the cameras; otherwise the scene camera does."""
    names: List[str] = []
    for marker in sorted(scene.timeline_markers, key=lambda m: m.frame):
        if marker.camera is not None and not marker.camera.hide_render and marker.camera.name not in names:
            names.append(marker.camera.name)
    if not names and scene.camera is not None:
        names.append(scene.camera.name)
    return names


def _split_output(raw: str, absolute: str) -> Tuple[str, str]:
    """(directory, file prefix) of the render output path."""
    if not raw:
        return "", ""
    if raw.endswith(("/", "\\")):
        return absolute.rstrip("/\\"), ""
    return os.path.dirname(absolute), os.path.basename(absolute)


def _renderer_block(scene: "bpy.types.Scene") -> Dict[str, object]:
    """Settings of the render engine the task files carry through (``renderer`` block)."""
    render = scene.render
    block: Dict[str, object] = {"name": render.engine, "film_transparent": bool(render.film_transparent)}
    if render.engine == "CYCLES" and hasattr(scene, "cycles"):
        cycles = scene.cycles
        block.update(samples=int(cycles.samples), device=str(cycles.device), use_denoising=bool(cycles.use_denoising))
    elif render.engine.startswith("BLENDER_EEVEE") and hasattr(scene, "eevee"):
        block.update(samples=int(scene.eevee.taa_render_samples))
    return block


def _engine_and_plugins(engine: str) -> Tuple[str, List[PluginUse]]:
    """(renderer version, plugins): the engine's add-on and the add-ons whose nodes are used."""
    builtin = engine in ENGINE_RENDERERS
    plugins: Dict[str, PluginUse] = {}
    renderer_version = bpy.app.version_string.split()[0] if builtin else ""
    if not builtin:
        for cls in _subclasses(bpy.types.RenderEngine):
            if getattr(cls, "bl_idname", None) == engine:
                use = _addon_of(cls)
                if use is not None:
                    plugins[use.name] = use
                    renderer_version = use.version
                break
    for _owner_name, tree in _node_trees():
        for node in tree.nodes:
            module = type(node).__module__
            if module.startswith("bpy.types") or module == "bpy_types":
                continue
            use = _addon_of(type(node))
            if use is not None:
                plugins.setdefault(use.name, use)
    return renderer_version, sorted(plugins.values(), key=lambda p: p.name)


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _addon_of(cls: type) -> Optional[PluginUse]:
    """The enabled add-on (name, version) a Python class comes from; None for Blender's own."""
    import addon_utils

    module_name = cls.__module__
    for addon in bpy.context.preferences.addons:
        key = addon.module
        if module_name == key or module_name.startswith(key + "."):
            if key in ("cycles", "renderbus_blender") or key.endswith(".renderbus"):
                return None
            module = sys.modules.get(key) or addon_utils.addons_fake_modules.get(key)
            info = addon_utils.module_bl_info(module) if module is not None else {}
            version = ".".join(str(v) for v in info.get("version", ()) or ())
            # the farm's catalogue names plugins by module ("flip_fluids", "octane")
            return PluginUse(name=key.rsplit(".", 1)[-1], version=version)
    return None


# --------------------------------------------------------------------------------------------
# Files the render needs


def collect_scene_assets(scene: Optional["bpy.types.Scene"] = None) -> List[Asset]:
    """Every external file the render of ``scene`` reads, once each, in a stable order."""
    scene = scene or bpy.context.scene
    collector = Collector()
    for library in bpy.data.libraries:
        if library.packed_file is None and not getattr(library, "is_archive", False):  # packed: inside the .blend
            collector.add(library.filepath, library, "library", "bpy.data.libraries[%s]" % quote(library.name))
    for image in bpy.data.images:
        _add_image(collector, image)
    for volume in bpy.data.volumes:
        if volume.packed_file is None:
            collector.add_maybe_sequence(volume.filepath, volume, "volume", owner_of("volumes", volume),
                                         volume.is_sequence)
    for font in bpy.data.fonts:
        if font.filepath and font.filepath != "<builtin>" and font.packed_file is None:
            collector.add(font.filepath, font, "font", owner_of("fonts", font))
    for sound in bpy.data.sounds:
        if sound.packed_file is None:
            collector.add(sound.filepath, sound, "sound", owner_of("sounds", sound))
    for clip in bpy.data.movieclips:
        collector.add_maybe_sequence(clip.filepath, clip, "movie", owner_of("movieclips", clip),
                                     clip.source == "SEQUENCE")
    _add_nodes(collector)
    add_caches(collector)
    _add_strips(collector, scene)
    _add_blend_paths(collector)
    return collector.assets


def _add_image(collector: Collector, image: "bpy.types.Image") -> None:
    if image.source in ("GENERATED", "VIEWER") or image.packed_file is not None or len(image.packed_files):
        return
    owner = owner_of("images", image)
    if image.source == "TILED":
        for number, path in _udim_tiles(image.filepath, [tile.number for tile in image.tiles]):
            collector.add(path, image, "texture", "%s.tiles[%d]" % (owner, number))
    elif image.source == "SEQUENCE":
        collector.add_maybe_sequence(image.filepath, image, "texture", owner, True)
    elif image.source == "MOVIE":
        collector.add(image.filepath, image, "movie", owner)
    else:
        collector.add(image.filepath, image, "texture", owner)


def _udim_tiles(path: str, numbers: Iterable[int]) -> List[Tuple[int, str]]:
    """One path per UDIM tile of a tiled image's ``path`` (``<UDIM>``/``<UVTILE>`` or a 1001 name)."""
    head, name = os.path.split(path)
    if not any(token in name for token in _UDIM_TOKENS):
        name = re.sub(r"(?<!\d)1\d{3}(?!\d)", "<UDIM>", name, count=1)
    tiles = []
    for number in numbers:
        u, v = (number - 1001) % 10 + 1, (number - 1001) // 10 + 1
        tile_name = name.replace("<UDIM>", str(number)).replace("<UVTILE>", "u%d_v%d" % (u, v))
        tiles.append((number, os.path.join(head, tile_name) if head else tile_name))
    return tiles


_TREE_OWNERS = (("materials", "materials"), ("worlds", "worlds"), ("lights", "lights"),
                ("textures", "textures"), ("scenes", "scenes"))


def _node_trees() -> Iterator[Tuple[str, "bpy.types.NodeTree"]]:
    """(owner, tree) of every node tree: materials, worlds, lights, textures, compositors, groups."""
    for attr, name in _TREE_OWNERS:
        for idblock in getattr(bpy.data, attr):
            tree = getattr(idblock, "node_tree", None)
            if tree is not None:
                yield "%s.node_tree" % owner_of(name, idblock), tree
    for group in bpy.data.node_groups:
        yield owner_of("node_groups", group), group


def _add_nodes(collector: Collector) -> None:
    """IES lights and OSL scripts read from files by shader nodes."""
    for owner, tree in _node_trees():
        for node in tree.nodes:
            kind = {"ShaderNodeTexIES": "ies", "ShaderNodeScript": "other"}.get(node.bl_idname)
            if kind is None or getattr(node, "mode", "") != "EXTERNAL" or not node.filepath:
                continue
            collector.add(node.filepath, tree, kind, "%s.nodes[%s]" % (owner, quote(node.name)))


def strips_attribute(editor: "bpy.types.SequenceEditor") -> str:
    """The name of a sequence editor's every-strip collection in this Blender: ``strips_all``
    (4.4+; the only one from 5.0) or ``sequences_all`` (4.2, 4.3)."""
    return "strips_all" if "strips_all" in editor.bl_rna.properties else "sequences_all"


def _add_strips(collector: Collector, scene: "bpy.types.Scene") -> None:
    """Image and movie strips of the scene's sequencer (sound strips use bpy.data.sounds)."""
    editor = scene.sequence_editor
    if editor is None or not scene.render.use_sequencer:
        return
    attribute = strips_attribute(editor)
    for strip in getattr(editor, attribute):
        owner = "%s.sequence_editor.%s[%s]" % (owner_of("scenes", scene), attribute, quote(strip.name))
        if strip.type == "IMAGE":
            for element in strip.elements:
                collector.add(os.path.join(strip.directory, element.filename), scene, "texture", owner)
        elif strip.type == "MOVIE":
            collector.add(strip.filepath, scene, "movie", owner)


def _add_blend_paths(collector: Collector) -> None:
    """Whatever ``bpy.utils.blend_paths`` knows that the walk above did not find."""
    for path in bpy.utils.blend_paths(absolute=True, packed=False, local=False):
        if any(token in path for token in _UDIM_TOKENS) or "#" in os.path.basename(path):
            continue
        if not collector.seen(path) and os.path.isfile(path):
            collector.add(path, None, "other", "bpy.utils.blend_paths")
