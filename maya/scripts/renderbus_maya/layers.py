"""The scene's render layers and what each renders: renderer, frames, cameras, output.

Main thread only. Two layer systems, as Maya has them:

- **Render Setup** (Maya's default since 2017): a layer's overrides come from its collections
  (selectors, absolute and relative overrides), which only Maya resolves. So each layer is made
  visible in turn through Maya's Render Setup API (``maya.app.renderSetup.model.renderSetup``:
  ``instance()``, ``getDefaultRenderLayer()``, ``getRenderLayers()``,
  ``getVisibleRenderLayer()``, ``switchToLayer(layer)``; Autodesk's "Render Setup Python API
  and commands") and read as Maya then holds it. The visible layer is read first, without a
  switch; at the end it is made visible again, and the scene's modified flag is put back.
  Meanwhile the viewport does not redraw (``refresh -suspend``) and undo records nothing
  (``undoInfo -stateWithoutFlush``: the artist's undo queue is kept, and gets no switches).
  :func:`reading_layers` is true meanwhile, so scene-change callbacks can ignore the layer
  events the switches fire.
- **Legacy render layers**: read without switching, from their adjustments: an override on
  layer L is held in ``L.adjustments[i]`` (``.plug`` connected from the overridden attribute,
  ``.value`` the layer's value). While a layer other than the master layer is current, the
  attributes hold that layer's values and the master values sit in ``defaultRenderLayer``'s
  adjustments, so a value is looked up in this order: the layer is current -> the attribute;
  the layer adjusts it -> its value; otherwise the master value.

Cameras are named as Maya names them, by their shortest unique path (``shotCam``;
``grpA|camera1`` beside ``grpB|camera1``), so two cameras of the same name stay apart.
"""

import importlib
from contextlib import contextmanager
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Optional, Tuple

from maya import cmds

from renderbus_dcc.scene import RenderLayer

from renderbus_maya.plugs import GLOBALS, RENDERERS, get, number, short

__all__ = ["MASTER_LAYER", "DEFAULT_LAYER", "LayerValues", "Layers", "read_layers", "reading_layers",
           "cameras", "image_format", "output_prefix"]

#: What Render Setup (and the farm) call ``defaultRenderLayer``.
MASTER_LAYER = "masterLayer"
DEFAULT_LAYER = "defaultRenderLayer"

#: Per-renderer node and attribute holding the output image format, when not defaultRenderGlobals'.
_IMAGE_FORMAT_PLUGS: Dict[str, str] = {
    "arnold": "defaultArnoldDriver.aiTranslator",
    "vray": "vraySettings.imageFormatStr",
}
#: redshiftOptions.imageFormat enum
_REDSHIFT_FORMATS = ("iff", "exr", "png", "tga", "jpg", "tif")
_PREFIX_PLUGS: Dict[str, str] = {"vray": "vraySettings.fileNamePrefix"}

Reader = Callable[..., Any]  # (plug, default) -> value, as some layer renders it
_reading: List[int] = [0]


class LayerValues(NamedTuple):
    """What one layer renders."""

    renderer_key: str  #: defaultRenderGlobals.currentRenderer ("arnold", "renderManRIS", ...)
    frames: str  #: a frame spec: "1-24", "101-148x2"
    cameras: List[str]  #: its renderable cameras
    output_prefix: str
    image_format: str
    animation: bool = True  #: defaultRenderGlobals.animation: a frame range (else the current frame)

    @property
    def renderer(self) -> str:
        """The renderer as the farm names it."""
        return RENDERERS.get(self.renderer_key, (self.renderer_key, ""))[0]


class Layers(NamedTuple):
    """Every layer, with the master layer's values (the scene's)."""

    master: LayerValues
    layers: List[RenderLayer]
    current: str  #: the layer the artist has current / visible
    render_setup: bool
    nodes: Dict[str, str]  #: layer name -> its renderLayer node (Render Setup's: rs_<name>)


def reading_layers() -> bool:
    """True while :func:`read_layers` switches Render Setup layers."""
    return _reading[0] > 0


# Values of one layer ----------------------------------------------------------------------
def cameras() -> List[Tuple[str, str]]:
    """(camera shape, transform) of every camera, each by its shortest unique path."""
    found = []
    for shape in cmds.ls(type="camera") or []:
        parents = cmds.listRelatives(shape, parent=True, fullPath=True) or [shape]
        unique = cmds.ls(parents[0]) or [short(parents[0])]
        found.append((shape, str(unique[0])))
    return found


def _frame_spec(start: float, end: float, step: float) -> str:
    first, last, by = int(round(start)), int(round(end)), max(1, int(round(step)))
    if first == last:
        return str(first)
    return "%d-%d" % (first, last) if by == 1 else "%d-%dx%d" % (first, last, by)


def image_format(renderer: str, read: Reader = get) -> str:
    """The output image format of ``renderer`` (farm name)."""
    plug = _IMAGE_FORMAT_PLUGS.get(renderer)
    if plug:
        value = read(plug)
        if value:
            return str(value)
    if renderer == "redshift":
        index = read("redshiftOptions.imageFormat")
        if isinstance(index, int) and 0 <= index < len(_REDSHIFT_FORMATS):
            return _REDSHIFT_FORMATS[index]
    return str(read(GLOBALS + ".imfPluginKey", "") or "")


def output_prefix(renderer: str, read: Reader = get) -> str:
    """The output file name prefix of ``renderer`` (farm name)."""
    plug = _PREFIX_PLUGS.get(renderer)
    value = read(plug) if plug else None
    return str(value or read(GLOBALS + ".imageFilePrefix", "") or "")


def _values(read: Reader, scene_cameras: List[Tuple[str, str]]) -> LayerValues:
    """A layer's values, each plug read through ``read``."""
    renderer_key = str(read(GLOBALS + ".currentRenderer", "mayaSoftware") or "mayaSoftware")
    renderer = RENDERERS.get(renderer_key, (renderer_key, ""))[0]
    animation = bool(read(GLOBALS + ".animation", 0))
    if animation:
        frames = _frame_spec(number(read(GLOBALS + ".startFrame", 1.0)), number(read(GLOBALS + ".endFrame", 1.0)),
                             number(read(GLOBALS + ".byFrameStep", 1.0)))
    else:
        frames = str(int(round(number(get("time1.outTime", 1.0)))))
    return LayerValues(
        renderer_key=renderer_key,
        frames=frames,
        cameras=[name for shape, name in scene_cameras if read(shape + ".renderable", False)],
        output_prefix=output_prefix(renderer, read),
        image_format=image_format(renderer, read),
        animation=animation,
    )


def _layer(name: str, renderable: bool, values: LayerValues, master: LayerValues) -> RenderLayer:
    """A RenderLayer holding what differs from the master layer (None: the scene's value)."""
    return RenderLayer(
        name=name,
        renderable=renderable,
        cameras=list(values.cameras),
        renderer=values.renderer if values.renderer_key != master.renderer_key else None,
        frames=values.frames if values.frames != master.frames else None,
        output_prefix=values.output_prefix if values.output_prefix != master.output_prefix else None,
        image_format=values.image_format if values.image_format != master.image_format else None,
    )


# Render Setup -----------------------------------------------------------------------------
def _render_setup() -> Any:
    """Maya's Render Setup model when the scene has Render Setup layers, else None."""
    if "renderSetupLayer" not in (cmds.allNodeTypes() or []) or not cmds.ls(type="renderSetupLayer"):
        return None
    try:
        module = importlib.import_module("maya.app.renderSetup.model.renderSetup")
    except ImportError:  # Render Setup disabled (MAYA_ENABLE_LEGACY_RENDER_LAYERS)
        return None
    return module.instance()


@contextmanager
def _switching(rs: Any) -> Iterator[str]:
    """Switch layers inside; afterwards the visible layer, the modified flag, undo and the
    viewport are as they were. Yields the visible layer's name."""
    visible = rs.getVisibleRenderLayer()
    modified = bool(cmds.file(query=True, modified=True))
    undo = bool(cmds.undoInfo(query=True, state=True))
    _reading[0] += 1
    cmds.refresh(suspend=True)
    if undo:
        cmds.undoInfo(stateWithoutFlush=False)
    try:
        yield str(visible.name())
    finally:
        try:
            if rs.getVisibleRenderLayer().name() != visible.name():
                rs.switchToLayer(visible)
        finally:
            if undo:
                cmds.undoInfo(stateWithoutFlush=True)
            cmds.refresh(suspend=False)
            if not modified:
                cmds.file(modified=False)
            _reading[0] -= 1


def _read_render_setup(rs: Any, scene_cameras: List[Tuple[str, str]]) -> Layers:
    master_layer = rs.getDefaultRenderLayer()
    all_layers = [master_layer] + list(rs.getRenderLayers())
    values: Dict[str, LayerValues] = {}
    with _switching(rs) as visible:
        values[visible] = _values(get, scene_cameras)
        for layer in all_layers:
            if layer.name() not in values:
                rs.switchToLayer(layer)
                values[layer.name()] = _values(get, scene_cameras)
    master = values[master_layer.name()]
    layers = [_layer(MASTER_LAYER if layer is master_layer else str(layer.name()), bool(layer.isRenderable()),
                     values[layer.name()], master) for layer in all_layers]
    nodes = {layer.name: DEFAULT_LAYER if layer.name == MASTER_LAYER else "rs_" + layer.name for layer in layers}
    return Layers(master, layers, MASTER_LAYER if visible == DEFAULT_LAYER else visible, True, nodes)


# Legacy render layers -------------------------------------------------------------------
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
        return get(plug, default)

    def reader(self, layer: str) -> Reader:
        """Reads plugs as ``layer`` renders them."""
        def read(plug: str, default: Any = None) -> Any:
            if layer == self.current:
                return get(plug, default)
            held = self.of(layer) if layer != DEFAULT_LAYER else {}
            if plug in held:
                return held[plug]
            return self.master(plug, default)

        return read


def _legacy_name(node: str) -> str:
    if node == DEFAULT_LAYER:
        return MASTER_LAYER
    return node[3:] if node.startswith("rs_") else node


def _read_legacy(scene_cameras: List[Tuple[str, str]]) -> Layers:
    current = str(cmds.editRenderLayerGlobals(query=True, currentRenderLayer=True) or DEFAULT_LAYER)
    adjust = _Adjustments(current)
    master = _values(adjust.master, scene_cameras)
    nodes = [name for name in cmds.ls(type="renderLayer") or [] if ":" not in name]  # not referenced files'
    layers = [_layer(_legacy_name(node), bool(get(node + ".renderable", True)),
                     _values(adjust.reader(node), scene_cameras), master) for node in nodes]
    return Layers(master, layers, _legacy_name(current), False, {_legacy_name(node): node for node in nodes})


def read_layers(scene_cameras: Optional[List[Tuple[str, str]]] = None) -> Layers:
    """Every render layer of the scene and what it renders (see the module's docstring)."""
    scene_cameras = cameras() if scene_cameras is None else scene_cameras
    rs = _render_setup()
    return _read_render_setup(rs, scene_cameras) if rs is not None else _read_legacy(scene_cameras)
