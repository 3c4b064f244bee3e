"""Read the open Maya scene into a :class:`~renderbus_dcc.scene.SceneDescription`.

Everything here calls ``maya.cmds`` and so runs on Maya's main thread only. It reads; it never
changes the scene, never switches render layers and never loads a plug-in.

Per-layer overrides (renderer, frame range and step, renderable cameras) are read from the
legacy render layers' adjustments, without switching layers: an override on layer L is held in
``L.adjustments[i]`` (``.plug`` is connected from the overridden attribute, ``.value`` holds
the layer's value). While a layer other than the master layer is active, the attributes hold
that layer's values and the master values sit in ``defaultRenderLayer``'s adjustments, so each
value is looked up in this order: the layer is active -> the attribute; the layer has an
adjustment -> its value; otherwise the master value (the attribute, or the adjustment held by
``defaultRenderLayer`` while another layer is active). Render Setup layers are listed through the
legacy ``renderLayer`` node each of them owns (``rs_<name>``); their overrides live in Render
Setup's own override nodes and are not read here: those layers get the scene's values, and
``extra["maya"]["render_setup"]`` says so, so a user can check the frames in the submitter.

Files the render needs come from one table, :data:`FILE_ATTRIBUTES` (node type, attribute,
kind): add a row to support another node type.
"""

from __future__ import annotations

import logging
import os
import re
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Set, Tuple

from maya import cmds

from renderbus_dcc.constants import CgId
from renderbus_dcc.scene import Asset, PluginUse, RenderLayer, SceneDescription

__all__ = ["FileAttribute", "FILE_ATTRIBUTES", "RENDERERS", "describe_scene", "MASTER_LAYER"]

log = logging.getLogger(__name__)

#: What Render Setup (and the farm) call ``defaultRenderLayer``.
MASTER_LAYER = "masterLayer"
DEFAULT_LAYER = "defaultRenderLayer"
GLOBALS = "defaultRenderGlobals"

#: defaultRenderGlobals.currentRenderer -> (the name the farm uses, the plug-in that provides it)
RENDERERS: Dict[str, Tuple[str, str]] = {
    "arnold": ("arnold", "mtoa"),
    "vray": ("vray", "vrayformaya"),
    "redshift": ("redshift", "redshift4maya"),
    "renderManRIS": ("renderman", "RenderMan_for_Maya"),
    "renderman": ("renderman", "RenderMan_for_Maya"),
    "mayaSoftware": ("mayaSoftware", ""),
    "mayaHardware2": ("mayaHardware2", ""),
    "mayaVector": ("mayaVector", ""),
}


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

#: Per-renderer node and attribute holding the output image format, when not defaultRenderGlobals'.
_IMAGE_FORMAT_PLUGS: Dict[str, str] = {
    "arnold": "defaultArnoldDriver.aiTranslator",
    "vray": "vraySettings.imageFormatStr",
}
#: redshiftOptions.imageFormat enum
_REDSHIFT_FORMATS = ("iff", "exr", "png", "tga", "jpg", "tif")
_PREFIX_PLUGS: Dict[str, str] = {"vray": "vraySettings.fileNamePrefix"}


# Small helpers over cmds ------------------------------------------------------------------
def _get(plug: str, default: Any = None) -> Any:
    """``getAttr`` that answers ``default`` for a plug that does not exist."""
    node, _dot, attr = plug.partition(".")
    if not cmds.objExists(node) or not cmds.attributeQuery(attr.split("[")[0].split(".")[0], node=node, exists=True):
        return default
    value = cmds.getAttr(plug)
    return default if value is None else value


def _strings(value: Any) -> List[str]:
    """A command's list answer as a list of str (commands answer None for "nothing")."""
    return [str(item) for item in value] if isinstance(value, (list, tuple)) else []


def _text(value: Any) -> str:
    """A command's string answer ("" for None / anything that is not a string)."""
    return value if isinstance(value, str) else ""


def _number(value: Any) -> float:
    return float(value[0] if isinstance(value, (list, tuple)) else value)


def _short(name: str) -> str:
    return name.rsplit("|", 1)[-1]


# Layers and their overrides ---------------------------------------------------------------
class _Adjustments:
    """Overrides held by legacy render layers, read without switching layers."""

    def __init__(self, current: str) -> None:
        self.current = current
        self._by_layer: Dict[str, Dict[str, Any]] = {}

    def of(self, layer: str) -> Dict[str, Any]:
        """{"node.attr": value} adjusted on ``layer``."""
        if layer not in self._by_layer:
            found: Dict[str, Any] = {}
            indices = cmds.getAttr(layer + ".adjustments", multiIndices=True) or []
            for index in indices:
                item = "%s.adjustments[%d]" % (layer, index)
                sources = cmds.listConnections(item + ".plug", source=True, destination=False, plugs=True) or []
                if sources:
                    found[sources[0]] = cmds.getAttr(item + ".value")
            self._by_layer[layer] = found
        return self._by_layer[layer]

    def master(self, plug: str, default: Any = None) -> Any:
        """The master layer's value of ``plug``."""
        if self.current != DEFAULT_LAYER:
            held = self.of(DEFAULT_LAYER)
            if plug in held:
                return held[plug]
        return _get(plug, default)

    def value(self, layer: str, plug: str, default: Any = None) -> Any:
        """``plug`` as ``layer`` renders it."""
        if layer == self.current:
            return _get(plug, default)
        held = self.of(layer) if layer != DEFAULT_LAYER else {}
        if plug in held:
            return held[plug]
        return self.master(plug, default)


def _frame_spec(start: float, end: float, step: float) -> str:
    first, last, by = int(round(start)), int(round(end)), max(1, int(round(step)))
    if first == last:
        return str(first)
    return "%d-%d" % (first, last) if by == 1 else "%d-%dx%d" % (first, last, by)


def _frames(adjust: _Adjustments, layer: Optional[str]) -> str:
    """The frame spec ``layer`` renders (None = the master layer)."""
    read = adjust.master if layer is None else (lambda plug, default=None: adjust.value(layer, plug, default))
    if not read(GLOBALS + ".animation", 0):
        return str(int(round(_number(_get("time1.outTime", 1.0)))))
    return _frame_spec(
        _number(read(GLOBALS + ".startFrame", 1.0)),
        _number(read(GLOBALS + ".endFrame", 1.0)),
        _number(read(GLOBALS + ".byFrameStep", 1.0)),
    )


def _cameras() -> List[Tuple[str, str]]:
    """(camera shape, transform name) of every camera, as short unique names."""
    found = []
    for shape in cmds.ls(type="camera") or []:
        parents = cmds.listRelatives(shape, parent=True) or [shape]
        found.append((shape, _short(parents[0])))
    return found


def _layer_nodes() -> List[str]:
    """The scene's own legacy render layer nodes (not those of referenced files)."""
    return [name for name in cmds.ls(type="renderLayer") or [] if ":" not in name]


def _layer_name(node: str) -> str:
    if node == DEFAULT_LAYER:
        return MASTER_LAYER
    return node[3:] if node.startswith("rs_") else node


def _layers(adjust: _Adjustments, renderer: str, base_frames: str, cameras: List[Tuple[str, str]]) -> List[RenderLayer]:
    layers = []
    for node in _layer_nodes():
        layer_renderer = str(adjust.value(node, GLOBALS + ".currentRenderer", renderer) or renderer)
        frames = _frames(adjust, node)
        layer_cameras = [name for shape, name in cameras if adjust.value(node, shape + ".renderable", False)]
        layers.append(RenderLayer(
            name=_layer_name(node),
            renderable=bool(_get(node + ".renderable", True)),
            cameras=layer_cameras,
            renderer=RENDERERS.get(layer_renderer, (layer_renderer, ""))[0] if layer_renderer != renderer else None,
            frames=frames if frames != base_frames else None,
        ))
    return layers


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


def _image_format(renderer: str) -> str:
    plug = _IMAGE_FORMAT_PLUGS.get(renderer)
    if plug:
        value = _get(plug)
        if value:
            return str(value)
    if renderer == "redshift":
        index = _get("redshiftOptions.imageFormat")
        if isinstance(index, int) and 0 <= index < len(_REDSHIFT_FORMATS):
            return _REDSHIFT_FORMATS[index]
    return str(_get(GLOBALS + ".imfPluginKey", "") or "")


def _output_prefix(renderer: str) -> str:
    plug = _PREFIX_PLUGS.get(renderer)
    value = _get(plug) if plug else None
    return str(value or _get(GLOBALS + ".imageFilePrefix", "") or "")


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
    """Describe the open scene. Main thread only; reads, never changes the scene."""
    current_layer = cmds.editRenderLayerGlobals(query=True, currentRenderLayer=True) or DEFAULT_LAYER
    adjust = _Adjustments(current_layer)
    renderer_key = str(adjust.master(GLOBALS + ".currentRenderer", "mayaSoftware") or "mayaSoftware")
    renderer, plugin = RENDERERS.get(renderer_key, (renderer_key, ""))
    plugins, maya_plugins = _plugins()
    versions = {use.name: use.version for use in plugins + maya_plugins}
    cameras = _cameras()
    frames = _frames(adjust, None)
    project_dir, images_dir = _workspace()
    render_setup = any(node.startswith("rs_") for node in _layer_nodes())
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
        frames=frames,
        layers=_layers(adjust, renderer_key, frames, cameras),
        cameras=[name for _, name in cameras],
        width=int(_number(_get("defaultResolution.width", 1920))),
        height=int(_number(_get("defaultResolution.height", 1080))),
        output_dir=images_dir,
        output_prefix=_output_prefix(renderer),
        image_format=_image_format(renderer),
        assets=_assets(_render_frames(frames)),
        extra={"maya": {
            "current_layer": _layer_name(current_layer),
            "render_setup": render_setup,
            "layer_overrides": "render setup overrides not read" if render_setup else "legacy adjustments",
            "renderer_key": renderer_key,
            "maya_plugins": [{"name": use.name, "version": use.version} for use in maya_plugins],
            # what the task files name as Maya's own analyser does: camera shapes, layer nodes
            "camera_shapes": {name: _short(shape) for shape, name in cameras},
            "layer_nodes": {_layer_name(node): node for node in _layer_nodes()},
            "animation": bool(adjust.master(GLOBALS + ".animation", 0)),
            "renumber_frames": bool(_get(GLOBALS + ".modifyExtension", False)),
        }},
    )
    log.debug("described %s: %d layers, %d assets", scene.scene_name, len(scene.layers), len(scene.assets))
    return scene
