"""Caches a render reads from disk, found where Blender itself looks for them.

- **Point caches** (cloth, soft body, particles and hair dynamics, dynamic paint surfaces, the
  rigid body world) on disk: ``//blendcache_<file>/<name>_<frame>_<index>.bphys``, where
  ``<name>`` is the cache's name or, unnamed, the owner's name in hexadecimal (UTF-8 bytes),
  ``<file>`` the .blend's name without ``.blend`` (the library's for linked data); or, external,
  ``<name>_<frame>[_<index>].bphys`` in the cache's own folder. Only the files of each cache,
  not the whole folder (it holds every object's caches).
- **Geometry-nodes bakes** (Bake nodes and simulation zones) baked to disk:
  ``<bake folder>/meta/*`` and ``<bake folder>/blobs/*``, the folder being the bake's own path
  or ``<modifier's bake directory>/<bake id>``; bakes packed into the .blend are not files.
- **Fluid** domain caches: every file in the cache directory.
- **Ocean** bakes (``disp_####.exr``, with ``normal_``/``foam_``/``spray_``/``spray_inverse_``
  where they were baked): every one on disk in the modifier's cache folder. A bake the
  modifier no longer uses (deleted in Blender, files left behind) is uploaded too: an unused
  file costs upload time, a missing one a wrong render.
- **Alembic/USD cache files** (sequences frame by frame) and the Alembic override **layers**
  stacked on them (hidden layers are not read, so not sent).

Each with its owner, e.g. ``bpy.data.objects['Flag'].modifiers['Cloth']``. Main thread only.
"""

import os
import re
from typing import TYPE_CHECKING, Iterator, List, Tuple

import bpy

from .collector import blend_dir_of, owner_of, quote

if TYPE_CHECKING:  # pragma: no cover
    from .collector import Collector

__all__ = ["add_caches", "point_cache_files", "point_caches"]

#: Blender's point cache folder prefix and file extension (PTCACHE_PATH, PTCACHE_EXT).
_PTCACHE_PATH = "blendcache_"
_PTCACHE_EXT = ".bphys"
#: The files an ocean bake writes (BKE_ocean: cache_filepath prefixes), any frame.
_OCEAN_FILE = re.compile(r"^(disp|normal|foam|spray|spray_inverse)_\d+\.exr$")


def add_caches(collector: "Collector") -> None:
    """Add every cache file the render reads: point caches, bakes, fluid, ocean, cache files."""
    for cache in bpy.data.cache_files:
        _add_cache_file(collector, cache)
    for obj in bpy.data.objects:
        for modifier in obj.modifiers:
            if modifier.type not in ("FLUID", "OCEAN", "NODES"):
                continue
            owner = "%s.modifiers[%s]" % (owner_of("objects", obj), quote(modifier.name))
            if modifier.type == "FLUID" and modifier.fluid_type == "DOMAIN":
                collector.add_tree(collector.resolve(modifier.domain_settings.cache_directory, obj), "cache", owner)
            elif modifier.type == "OCEAN":
                _add_ocean(collector, modifier, obj, owner)
            elif modifier.type == "NODES":
                _add_node_bakes(collector, modifier, obj, owner)
    for cache, owner_id, owner in point_caches():
        for frame, path in point_cache_files(cache, owner_id):
            collector.add(path, None, "cache", owner, [frame])


# --------------------------------------------------------------------------------------------
# Point caches


def point_caches() -> Iterator[Tuple["bpy.types.PointCache", "bpy.types.ID", str]]:
    """(point cache, the data-block that owns it, owner string) of every point cache."""
    for obj in bpy.data.objects:
        if not (len(obj.modifiers) or len(obj.particle_systems)):
            continue
        base = owner_of("objects", obj)
        for modifier in obj.modifiers:
            owner = "%s.modifiers[%s]" % (base, quote(modifier.name))
            if modifier.type in ("CLOTH", "SOFT_BODY"):
                yield modifier.point_cache, obj, owner
            elif modifier.type == "DYNAMIC_PAINT" and modifier.canvas_settings is not None:
                for surface in modifier.canvas_settings.canvas_surfaces:
                    yield surface.point_cache, obj, "%s.canvas_settings.canvas_surfaces[%s]" % (owner, quote(surface.name))
        for system in obj.particle_systems:
            owner = "%s.particle_systems[%s]" % (base, quote(system.name))
            yield system.point_cache, obj, owner
            if system.use_hair_dynamics and system.cloth is not None:  # hair dynamics: a cloth cache of its own
                yield system.cloth.point_cache, obj, owner + ".cloth"
    for scene in bpy.data.scenes:
        world = scene.rigidbody_world
        if world is not None and world.point_cache is not None:
            yield world.point_cache, scene, "%s.rigidbody_world" % owner_of("scenes", scene)


def point_cache_files(cache: "bpy.types.PointCache", owner_id: "bpy.types.ID") -> List[Tuple[int, str]]:
    """(frame, file) of every file on disk of ``cache`` and the caches stacked with it.
    Memory caches (saved in the .blend) have none."""
    found: List[Tuple[int, str]] = []
    for item in cache.point_caches:  # the stack of caches (the one shown is one of them)
        if not (item.use_disk_cache or item.use_external):
            continue
        folder = _point_cache_folder(item, owner_id)
        if not folder or not os.path.isdir(folder):
            continue
        if item.use_external:
            name = item.name
            index = "_%02d" % item.index if item.index >= 0 else ""
        else:
            if item.index < 0:  # never written: Blender gives a cache its index when it writes the first frame
                continue
            name = item.name or "".join("%02X" % byte for byte in owner_id.name.encode("utf-8"))
            index = "_%02d" % item.index
        pattern = re.compile(re.escape(name) + r"_(\d{6})" + index + re.escape(_PTCACHE_EXT) + "$")
        for entry in sorted(os.listdir(folder)):
            match = pattern.match(entry)
            if match:
                found.append((int(match.group(1)), os.path.join(folder, entry)))
    return found


def _point_cache_folder(item: "bpy.types.PointCacheItem", owner_id: "bpy.types.ID") -> str:
    """The folder Blender reads a point cache from (ptcache_path)."""
    library = getattr(owner_id, "library", None)
    from_library = library is not None and item.use_library_path
    if item.use_external:
        if not item.filepath:
            return ""
        path = bpy.path.abspath(item.filepath, library=library) if from_library else bpy.path.abspath(item.filepath)
        return os.path.normpath(path)
    folder, stem = blend_dir_of(owner_id if from_library else None)
    return os.path.join(folder, _PTCACHE_PATH + stem) if folder else ""


# --------------------------------------------------------------------------------------------
# Modifier bakes


def _add_node_bakes(collector: "Collector", modifier: "bpy.types.NodesModifier", obj: "bpy.types.Object",
                    owner: str) -> None:
    """The bakes of a geometry-nodes modifier that are on disk (meta and blobs of each)."""
    for number, bake in enumerate(modifier.bakes):
        if _bake_target(modifier, bake) != "DISK":
            continue
        if bake.use_custom_path:
            root = bake.directory
        elif modifier.bake_directory:
            root = os.path.join(modifier.bake_directory, str(bake.bake_id))
        else:
            continue  # never baked
        folder = collector.resolve(root, obj)
        for part in ("meta", "blobs"):
            collector.add_tree(os.path.join(folder, part), "cache", "%s.bakes[%d]" % (owner, number))


def _bake_target(modifier: "bpy.types.NodesModifier", bake: "bpy.types.NodesModifierBake") -> str:
    """Where a bake's data lives: "DISK" or "PACKED" (into the .blend; Blender 4.3+). Before
    packed bakes existed (4.2) every bake is on disk."""
    if "bake_target" not in bake.bl_rna.properties:
        return "DISK"
    target = bake.bake_target
    return modifier.bake_target if target == "INHERIT" else target


def _add_ocean(collector: "Collector", modifier: "bpy.types.OceanModifier", obj: "bpy.types.Object",
               owner: str) -> None:
    folder = collector.resolve(modifier.filepath, obj) if modifier.filepath else ""
    if not folder or not os.path.isdir(folder):
        return
    for name in sorted(os.listdir(folder)):
        if _OCEAN_FILE.match(name):
            collector.add(os.path.join(folder, name), None, "cache", owner)


# --------------------------------------------------------------------------------------------
# Cache files


def _add_cache_file(collector: "Collector", cache: "bpy.types.CacheFile") -> None:
    owner = owner_of("cache_files", cache)
    collector.add_maybe_sequence(cache.filepath, cache, "cache", owner, cache.is_sequence)
    for number, layer in enumerate(cache.layers):
        if layer.filepath and not layer.hide_layer:
            collector.add(layer.filepath, cache, "cache", "%s.layers[%d]" % (owner, number))
