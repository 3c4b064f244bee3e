"""Read the open Maya scene into a :class:`~renderbus_dcc.scene.SceneDescription`.

Everything here calls ``maya.cmds`` and so runs on Maya's main thread only. It reads, and leaves
the scene as it was. Render layers and what each renders (renderer, frames, cameras, output)
come from :mod:`renderbus_maya.layers` (Render Setup layers are made visible one by one, then
the artist's visible layer again; legacy layers are read from their adjustments).

Files the render needs come from one table, :data:`FILE_ATTRIBUTES` (node type, attribute,
kind): add a row to support another node type.
"""

from __future__ import annotations

import logging
import os
import re
from typing import Iterable, List, NamedTuple, Optional, Set, Tuple

from maya import cmds

from renderbus_dcc.constants import CgId
from renderbus_dcc.scene import Asset, PluginUse, SceneDescription

from renderbus_maya import layers as _layers
from renderbus_maya.layers import MASTER_LAYER, reading_layers
from renderbus_maya.plugs import GLOBALS, RENDERERS, get as _get, number as _number, strings as _strings, text as _text

__all__ = ["FileAttribute", "FILE_ATTRIBUTES", "RENDERERS", "describe_scene", "MASTER_LAYER", "reading_layers"]

log = logging.getLogger(__name__)

class FileAttribute(NamedTuple):
    """A node attribute that names a file the render reads."""

    node_type: str
    attribute: str
    kind: str  #: one of renderbus_dcc.scene.ASSET_KINDS
    #: For files named by a folder plus a name (cacheFile): the attribute holding the name,
    #: and the suffix Maya appends to it.
    name_attribute: str = ""
    name_suffix: str = ""


#: Every file-bearing attribute the analysis reads. File textures (``file``) get UDIM and
#: sequence handling on top (see :func:`_file_texture`); references are read separately.
FILE_ATTRIBUTES: Tuple[FileAttribute, ...] = (
    FileAttribute("file", "fileTextureName", "texture"),
    FileAttribute("imagePlane", "imageName", "texture"),
    FileAttribute("audio", "filename", "sound"),
    FileAttribute("AlembicNode", "abc_File", "cache"),
    FileAttribute("gpuCache", "cacheFileName", "cache"),
    FileAttribute("cacheFile", "cachePath", "cache", "cacheName", ".xml"),
    FileAttribute("pgYetiMaya", "cacheFileName", "cache"),
    # Arnold
    FileAttribute("aiStandIn", "dso", "proxy"),
    FileAttribute("aiImage", "filename", "texture"),
    FileAttribute("aiVolume", "filename", "volume"),
    FileAttribute("aiPhotometricLight", "aiFilename", "ies"),
    # V-Ray
    FileAttribute("VRayMesh", "fileName", "proxy"),
    FileAttribute("VRayVolumeGrid", "inPath", "volume"),
    FileAttribute("VRayLightIESShape", "iesFile", "ies"),
    FileAttribute("VRayScene", "FilePath", "proxy"),
    # Redshift
    FileAttribute("RedshiftProxyMesh", "fileName", "proxy"),
    FileAttribute("RedshiftVolumeShape", "fileName", "volume"),
    FileAttribute("RedshiftDomeLight", "tex0", "texture"),
    FileAttribute("RedshiftIESLight", "profile", "ies"),
    FileAttribute("RedshiftNormalMap", "tex0", "texture"),
    FileAttribute("RedshiftSprite", "tex0", "texture"),
    # RenderMan
    FileAttribute("PxrTexture", "filename", "texture"),
    FileAttribute("PxrNormalMap", "filename", "texture"),
    FileAttribute("PxrDomeLight", "lightColorMap", "texture"),
)

#: file.uvTilingMode values: 0 off, 1 ZBrush (_u0_v0), 2 Mudbox (_u1_v1), 3 Mari (1001), 4 explicit
_UV_TILING_OFF = 0

# Plug-ins, renderer, output ---------------------------------------------------------------
def _plugins() -> Tuple[List[PluginUse], List[PluginUse]]:
    """Loaded plug-ins: (those the farm must provide, those that ship inside Maya).

    A plug-in whose file lies in Maya's install folder (AbcImport, fbxmaya, MASH, ...) comes
    with every Maya; the farm's environment only has to provide the others (renderers, Yeti, ...).
    """
    install_dir = _text(cmds.internalVar(mayaInstallDir=True)).replace("\\", "/").rstrip("/").lower()
    own: List[PluginUse] = []
    maya: List[PluginUse] = []
    for name in sorted(_strings(cmds.pluginInfo(query=True, listPlugins=True))):
        use = PluginUse(name, str(cmds.pluginInfo(name, query=True, version=True) or ""))
        path = _text(cmds.pluginInfo(name, query=True, path=True)).replace("\\", "/").lower()
        (maya if install_dir and path.startswith(install_dir + "/") else own).append(use)
    return own, maya


def _workspace() -> Tuple[str, str]:
    """(project folder, image folder), both absolute, with forward slashes."""
    root = _text(cmds.workspace(query=True, rootDirectory=True)).rstrip("/\\")
    images = _text(cmds.workspace(fileRuleEntry="images")) or "images"
    if not os.path.isabs(images) and root:
        images = root + "/" + images
    return root, images.replace("\\", "/")


# Files ------------------------------------------------------------------------------------
def _render_frames(spec: str) -> List[int]:
    from renderbus_dcc.frames import parse_frames

    return parse_frames(spec)


def _padded_frames(pattern: str, example: str) -> str:
    """``<f>`` in Maya's pattern matches any padding; write the padding the files use (``<f4>``)."""
    if "<f>" not in pattern:
        return pattern
    regex = "^" + "(\\d+)".join(re.escape(part) for part in pattern.split("<f>", 1)) + "$"
    match = re.match(regex, example)
    if match and len(match.group(1)) > 1 and match.group(1).startswith("0"):
        return pattern.replace("<f>", "<f%d>" % len(match.group(1)), 1)
    return pattern


def _file_texture(node: str, frames: List[int]) -> Optional[Asset]:
    """A file node's texture: UDIM tiles and frame sequences as tokenised patterns."""
    path = cmds.getAttr(node + ".fileTextureName") or ""
    if not path:
        return None
    tiled = (cmds.getAttr(node + ".uvTilingMode") or _UV_TILING_OFF) != _UV_TILING_OFF
    sequence = bool(cmds.getAttr(node + ".useFrameExtension"))
    asset_frames = None
    if tiled or sequence:
        # Maya computes the pattern itself: "<UDIM>" / "<f>" tokens in place of the numbers.
        pattern = cmds.getAttr(node + ".computedFileTextureNamePattern") or ""
        if pattern:
            path = pattern
        elif tiled:
            from renderbus_dcc.assets import mark_udim

            path = mark_udim(path)
        if sequence:
            path = _padded_frames(path, cmds.getAttr(node + ".fileTextureName") or "")
            offset = int(_number(cmds.getAttr(node + ".frameOffset") or 0))
            asset_frames = [frame + offset for frame in frames]
    return Asset(path=path, owner=node + ".fileTextureName", kind="texture", frames=asset_frames)


def _node_types() -> Set[str]:
    return set(cmds.allNodeTypes() or [])


def _table_assets(types: Set[str], frames: List[int]) -> Iterable[Asset]:
    for row in FILE_ATTRIBUTES:
        if row.node_type not in types:  # the plug-in that defines it is not loaded
            continue
        for node in cmds.ls(type=row.node_type) or []:
            if row.node_type == "file":
                asset = _file_texture(node, frames)
                if asset is not None:
                    yield asset
                continue
            path = _get(node + "." + row.attribute)
            if not path or not isinstance(path, str):
                continue
            if row.name_attribute:
                name = _get(node + "." + row.name_attribute) or ""
                if not name:
                    continue
                path = path.rstrip("/\\") + "/" + name + row.name_suffix
            yield Asset(path=path, owner="%s.%s" % (node, row.attribute), kind=row.kind)


def _reference_assets() -> Iterable[Asset]:
    """Loaded references (nested ones too), by their reference node."""
    for ref_node in cmds.ls(type="reference") or []:
        if ref_node == "sharedReferenceNode" or ref_node.endswith("_UNKNOWN_REF_NODE_"):
            continue
        try:
            path = _text(cmds.referenceQuery(ref_node, filename=True, withoutCopyNumber=True))
            loaded = cmds.referenceQuery(ref_node, isLoaded=True)
        except RuntimeError:  # a reference node without a file
            continue
        if path and loaded:
            yield Asset(path=path, owner=ref_node, kind="reference")


def _assets(frames: List[int]) -> List[Asset]:
    seen: Set[Tuple[str, str]] = set()
    found = []
    for asset in list(_reference_assets()) + list(_table_assets(_node_types(), frames)):
        key = (asset.path, asset.owner)
        if key not in seen:
            seen.add(key)
            found.append(asset)
    return found


# The scene --------------------------------------------------------------------------------
def maya_version() -> str:
    """Maya's version as the farm spells it: "2024"."""
    return str(cmds.about(version=True)).split()[0]


def describe_scene() -> SceneDescription:
    """Describe the open scene. Main thread only; the scene is left as it was."""
    plugins, maya_plugins = _plugins()
    versions = {use.name: use.version for use in plugins + maya_plugins}
    cameras = _layers.cameras()
    layers = _layers.read_layers(cameras)
    master = layers.master
    renderer, plugin = RENDERERS.get(master.renderer_key, (master.renderer_key, ""))
    project_dir, images_dir = _workspace()
    scene = SceneDescription(
        cg_id=int(CgId.MAYA),
        cg_name="Maya",
        cg_version=maya_version(),
        scene_file=_text(cmds.file(query=True, sceneName=True)),
        modified=bool(cmds.file(query=True, modified=True)),
        project_dir=project_dir,
        renderer=renderer,
        renderer_version=versions.get(plugin, "") if plugin else "",
        plugins=plugins,
        frames=master.frames,
        layers=layers.layers,
        cameras=[name for _, name in cameras],
        width=int(_number(_get("defaultResolution.width", 1920))),
        height=int(_number(_get("defaultResolution.height", 1080))),
        output_dir=images_dir,
        output_prefix=master.output_prefix,
        image_format=master.image_format,
        assets=_assets(_render_frames(master.frames)),
        extra={"maya": {
            "current_layer": layers.current,
            "render_setup": layers.render_setup,
            "layer_overrides": "render setup layers, each read visible" if layers.render_setup else "legacy adjustments",
            "renderer_key": master.renderer_key,
            "maya_plugins": [{"name": use.name, "version": use.version} for use in maya_plugins],
            # what the task files name as Maya's own analyser does: camera shapes (each by its
            # shortest unique path, as `ls` names it), layer nodes
            "camera_shapes": {name: shape for shape, name in cameras},
            "layer_nodes": dict(layers.nodes),
            "animation": master.animation,
            "renumber_frames": bool(_get(GLOBALS + ".modifyExtension", False)),
        }},
    )
    log.debug("described %s: %d layers, %d assets", scene.scene_name, len(scene.layers), len(scene.assets))
    return scene
