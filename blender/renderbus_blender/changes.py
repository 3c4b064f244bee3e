"""Unsaved changes, also where Blender cannot tell them.

The farm renders the saved .blend, so a submission with unsaved changes gets a warning. With
a window Blender knows (``bpy.data.is_dirty``). Without one (``blender --background``, the bpy
module: scripts and pipelines) it does not: up to 5.0 it reports every file as changed, even one
just opened or saved, and from 5.1 none, even after changes. There the add-on keeps count
itself, from the time it is enabled:

- a file opened, reverted or saved (not saved as a copy) has no unsaved changes;
- a change Blender's dependency graph evaluates since then is one: objects, meshes, materials
  and the images they use, modifiers, render settings, the world, ... (pending changes are
  evaluated before asking: :func:`unsaved`);
- so is a change of the scene's add-on settings (``scene.cycles.samples``), which the
  dependency graph does not see: they are compared with what they were at the last open/save.

Not counted: data the render does not use (an image no material uses, a text block), and the
add-on's own submission settings (``scene.renderbus``: they go with the submission, not the file).
"""

import logging
import os
from typing import Any, Dict, List, Optional

import bpy
from bpy.app.handlers import persistent

__all__ = ["register", "unregister", "unsaved", "scene_modified"]

log = logging.getLogger(__name__)

_changed = False
#: scene name -> its add-on settings at the last open/save; None: not taken yet
_baseline: Optional[Dict[str, str]] = None
#: Settings groups on the scene that are not the file's render settings.
_IGNORED = ("renderbus", "rna_type")


def scene_modified(scene: "bpy.types.Scene") -> bool:
    """Unsaved changes in the open file: Blender's own flag with a window, else :func:`unsaved`."""
    if not bpy.app.background:
        return bool(bpy.data.is_dirty)
    return unsaved(scene)


def unsaved(scene: "bpy.types.Scene") -> bool:
    """True if anything the render of ``scene`` uses changed since the file was opened or saved
    (or since the add-on was enabled). Evaluates pending changes first (main thread)."""
    global _baseline
    if _baseline is None:  # enabled where bpy.data could not be read: from now on
        _reset()
        return False
    bpy.context.evaluated_depsgraph_get()  # pending changes reach _on_depsgraph_update now
    return _changed or _baseline.get(scene.name) != addon_settings(scene)


def addon_settings(scene: "bpy.types.Scene") -> str:
    """The scene's add-on defined settings groups (Cycles', ...) as text, to compare."""
    parts: List[str] = []
    for prop in scene.bl_rna.properties:
        if prop.type == "POINTER" and prop.is_runtime and prop.identifier not in _IGNORED:
            _values(getattr(scene, prop.identifier, None), prop.identifier, parts, depth=0)
    return "\n".join(parts)


def _values(group: Any, prefix: str, parts: List[str], depth: int) -> None:
    if group is None:
        return
    for prop in group.bl_rna.properties:
        name = prop.identifier
        if name in _IGNORED:
            continue
        value = getattr(group, name, None)
        if prop.type == "POINTER":
            if isinstance(value, bpy.types.ID) or value is None:
                parts.append("%s.%s=%r" % (prefix, name, getattr(value, "name_full", None)))
            elif depth < 3:
                _values(value, prefix + "." + name, parts, depth + 1)
        elif prop.type == "COLLECTION":
            if depth < 3:
                for index, item in enumerate(value):
                    _values(item, "%s.%s[%d]" % (prefix, name, index), parts, depth + 1)
        else:
            try:
                value = tuple(value) if getattr(prop, "is_array", False) else value
            except TypeError:
                pass
            parts.append("%s.%s=%r" % (prefix, name, value))


def _reset() -> None:
    """Nothing unsaved: a file was opened or saved (or the add-on enabled)."""
    global _changed, _baseline
    _changed = False
    try:
        _baseline = {scene.name: addon_settings(scene) for scene in bpy.data.scenes}
    except AttributeError:  # bpy.data is restricted while Blender registers add-ons at start
        _baseline = None


@persistent
def _on_load(*_args: Any) -> None:
    _reset()


@persistent
def _on_save(filepath: Any = None, *_args: Any) -> None:
    # Saving a copy elsewhere leaves the open file's changes unsaved.
    if not isinstance(filepath, str) or not filepath or _same_file(filepath, bpy.data.filepath):
        # Saving with "remap relative" rewrites paths in memory (the same files) and tags them:
        # evaluate that now, so it is not taken for a change.
        bpy.context.evaluated_depsgraph_get()
        _reset()


def _same_file(a: str, b: str) -> bool:
    return os.path.normcase(os.path.normpath(bpy.path.abspath(a))) == os.path.normcase(os.path.normpath(b))


@persistent
def _on_depsgraph_update(scene: Any, depsgraph: Any = None) -> None:
    global _changed
    if not _changed and depsgraph is not None and len(depsgraph.updates):
        _changed = True


_HANDLERS = (("load_post", _on_load), ("save_post", _on_save), ("depsgraph_update_post", _on_depsgraph_update))


def register() -> None:
    """Keep count where Blender cannot: without a window (with one, Blender's flag is right and
    a handler on every dependency graph update would only cost time)."""
    if not bpy.app.background:
        return
    for name, handler in _HANDLERS:
        handlers = getattr(bpy.app.handlers, name)
        if handler not in handlers:
            handlers.append(handler)
    _reset()


def unregister() -> None:
    for name, handler in _HANDLERS:
        handlers = getattr(bpy.app.handlers, name)
        if handler in handlers:
            handlers.remove(handler)
