"""The host-independent description of a scene: what Maya, 3ds Max and Blender hand the core.

A host layer fills a :class:`SceneDescription` from the open scene (on the host's main
thread); everything after that (asset collection, environment choice, validation, task files,
upload, submission) is the core's. It reads from and writes to JSON, so a scene can be
submitted from the command line (``renderbus submit scene.json``) and hosts can be tested
without the host.
"""

import json
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Dict, List, Optional, Union

__all__ = ["Asset", "PluginUse", "RenderLayer", "SceneDescription", "ASSET_KINDS"]

#: What an asset is for; hosts use these words so the core can explain what is missing.
ASSET_KINDS = (
    "texture", "reference", "cache", "proxy", "volume", "library", "font", "sound", "movie", "ies", "other",
)


@dataclass
class Asset:
    """A file the render needs, as the scene names it.

    ``path`` is what the scene holds: possibly relative (to the project or scene folder), with
    UDIM tokens (``<UDIM>``, ``<udim>``, ``1001``) or frame tokens (``####``, ``%04d``, ``<f>``,
    ``$F4``); the core expands and resolves it. ``owner`` is the node and attribute that points
    at it (``file1.fileTextureName``, ``Bitmap 'wood'``, ``bpy.data.images['wood']``), so a
    missing file can be found again in the scene.
    """

    path: str
    owner: str = ""
    kind: str = "texture"
    #: Frames this asset is read at, where the host knows (sequences); None = all / not a sequence.
    frames: Optional[List[int]] = None


@dataclass
class PluginUse:
    """A plugin (renderer, add-on) the scene uses, with the version the host has loaded."""

    name: str
    version: str = ""


@dataclass
class RenderLayer:
    """A render layer (Maya), a view layer (Blender), or the one scene layer (3ds Max)."""

    name: str
    renderable: bool = True
    #: Renderable cameras of this layer (short names as the host shows them).
    cameras: List[str] = field(default_factory=list)
    #: Per-layer overrides; None = the scene's value.
    renderer: Optional[str] = None
    frames: Optional[str] = None
    output_prefix: Optional[str] = None
    image_format: Optional[str] = None


@dataclass
class SceneDescription:
    """What the farm needs to know about a scene. Hosts fill it; the core never imports a host."""

    cg_id: int  #: 2000 Maya, 2001 3ds Max, 2007 Blender (see constants.CgId)
    cg_name: str  #: "Maya", "3ds Max", "Blender"
    cg_version: str  #: the host's version as the farm spells it: "2024", "2025", "4.2"
    scene_file: str = ""  #: absolute path of the saved scene; "" = never saved
    modified: bool = False  #: unsaved changes since the last save
    project_dir: str = ""  #: Maya workspace / 3ds Max project folder / the .blend's folder
    renderer: str = ""  #: "arnold", "vray", "redshift", "corona", "cycles", "eevee", ...
    renderer_version: str = ""
    plugins: List[PluginUse] = field(default_factory=list)
    frames: str = "1"  #: frame spec: "1-100", "1-100x2", "1,5,10-20"
    layers: List[RenderLayer] = field(default_factory=list)
    cameras: List[str] = field(default_factory=list)  #: every camera in the scene
    width: int = 1920
    height: int = 1080
    output_dir: str = ""  #: where the host writes images
    output_prefix: str = ""  #: file name prefix / pattern as the host holds it
    image_format: str = ""  #: "exr", "png", "tga", ...
    assets: List[Asset] = field(default_factory=list)
    #: Host-specific settings that go through to the task files as they are
    #: (e.g. a renderer block for 3ds Max and Blender, per-layer extras for Maya).
    extra: Dict[str, Any] = field(default_factory=dict)

    @property
    def saved(self) -> bool:
        """True if the scene has a file and no unsaved changes."""
        return bool(self.scene_file) and not self.modified

    @property
    def scene_name(self) -> str:
        """The scene file's name ("untitled" if never saved)."""
        return Path(self.scene_file.replace("\\", "/")).name if self.scene_file else "untitled"

    def renderable_layers(self) -> List[RenderLayer]:
        return [layer for layer in self.layers if layer.renderable]

    # JSON --------------------------------------------------------------------------------
    def to_dict(self) -> Dict[str, Any]:
        # (assets by hand: ``asdict`` of 20,000 of them takes about a second)
        data = asdict(replace(self, assets=[]))
        names = [f.name for f in fields(Asset)]
        data["assets"] = [{n: list(v) if isinstance(v, list) else v for n, v in ((n, getattr(a, n)) for n in names)}
                          for a in self.assets]
        return data

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "SceneDescription":
        """Build from a dict (as written by :meth:`to_dict`); unknown keys go to ``extra``."""
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in known}
        unknown = {k: v for k, v in data.items() if k not in known}
        kwargs["plugins"] = [p if isinstance(p, PluginUse) else PluginUse(**p) for p in data.get("plugins", [])]
        kwargs["layers"] = [l if isinstance(l, RenderLayer) else RenderLayer(**l) for l in data.get("layers", [])]
        kwargs["assets"] = [a if isinstance(a, Asset) else Asset(**a) for a in data.get("assets", [])]
        if unknown:
            kwargs["extra"] = dict(kwargs.get("extra") or {}, **unknown)
        return cls(**kwargs)

    def to_json(self, path: Optional[Union[str, Path]] = None, indent: int = 2) -> str:
        """The JSON text (UTF-8, non-ASCII kept); written to ``path`` too when given."""
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    @classmethod
    def from_json(cls, text_or_path: Union[str, Path]) -> "SceneDescription":
        """Read from JSON text or from a ``.json`` file path."""
        if isinstance(text_or_path, Path) or not str(text_or_path).lstrip().startswith("{"):
            text = Path(text_or_path).read_text(encoding="utf-8")
        else:
            text = str(text_or_path)
        return cls.from_dict(json.loads(text))
