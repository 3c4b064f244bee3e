"""The state the fake ``maya`` answers from: a scene described as data, and Maya's UI.

Tests build a :class:`FakeMaya` (``maya._scene.STATE``) with nodes (type, attributes), render
layers with adjustments, cameras, plug-ins, references, fileInfo, the workspace and the UI
controls that exist (the shelf tab layout, the main window), then run the real renderbus_maya
code against ``maya.cmds``.
"""

import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

#: node types Maya knows without any plug-in
BASE_TYPES = {
    "transform", "mesh", "camera", "file", "place2dTexture", "renderLayer", "reference", "renderGlobals",
    "resolution", "time", "audio", "imagePlane", "cacheFile", "lambert", "blinn", "shadingEngine",
}
#: node types the common plug-ins add
PLUGIN_TYPES = {
    "mtoa": {"aiStandIn", "aiImage", "aiVolume", "aiPhotometricLight", "aiAOVDriver", "aiOptions", "aiStandardSurface"},
    "vrayformaya": {"VRayMesh", "VRayVolumeGrid", "VRayLightIESShape", "VRayScene", "VRaySettingsNode", "VRayMtl"},
    "redshift4maya": {"RedshiftProxyMesh", "RedshiftVolumeShape", "RedshiftDomeLight", "RedshiftIESLight",
                      "RedshiftNormalMap", "RedshiftSprite", "RedshiftOptions"},
    "RenderMan_for_Maya": {"PxrTexture", "PxrNormalMap", "PxrDomeLight", "PxrSurface"},
    "AbcImport": {"AlembicNode"},
    "gpuCache": {"gpuCache"},
    "pgYetiMaya": {"pgYetiMaya"},
}
#: plug-ins that ship inside Maya's install folder
MAYA_OWN_PLUGINS = {"AbcImport", "AbcExport", "gpuCache", "fbxmaya", "renderSetup", "MASH", "xgenToolkit", "Type",
                    "mayaUsdPlugin", "lookdevKit", "matrixNodes", "OpenEXRLoader"}


@dataclass
class Node:
    type: str
    attrs: Dict[str, Any] = field(default_factory=dict)
    parent: Optional[str] = None
    #: legacy render layers only: index -> (adjusted plug, this layer's value)
    adjustments: Dict[int, Tuple[str, Any]] = field(default_factory=dict)


@dataclass
class Control:
    kind: str  # "window", "shelfTabLayout", "shelfLayout", "shelfButton", "menu", "menuItem"
    parent: Optional[str]
    flags: Dict[str, Any] = field(default_factory=dict)


@dataclass
class Reference:
    path: str
    loaded: bool = True
    copy_number: int = 0


class FakeMaya:
    """One fake Maya session: a scene plus UI state. See the module docstring."""

    def __init__(self, version: str = "2024", batch: bool = False) -> None:
        self.version = version
        self.batch = batch
        self.nodes: Dict[str, Node] = {}
        self.plugins: Dict[str, str] = {}
        self.plugin_paths: Dict[str, str] = {}
        self.install_dir = "/usr/autodesk/maya%s" % version
        self.references: Dict[str, Reference] = {}
        self.file_info: Dict[str, str] = {}
        self.workspace_root = "/projects/demo"
        self.file_rules: Dict[str, str] = {"images": "images", "scene": "scenes"}
        self.scene_name = ""
        self.modified = False
        self.current_layer = "defaultRenderLayer"
        self.user_app_dir = "/home/artist/maya"
        self.main_window_ptr: Optional[int] = None
        self.controls: Dict[str, Control] = {}
        self.script_jobs: Dict[int, Tuple[str, Callable[[], Any]]] = {}
        self.dialogs: List[Dict[str, Any]] = []
        self.deferred: List[Tuple[Any, tuple, dict]] = []
        self.calls: Counter = Counter()
        self.render_view_open = False  # the RenderViewWindow runtime command ran
        self.render_view_images: List[str] = []  # images loaded into the Render View
        self._ids = itertools.count(1)
        self._defaults()

    # Building a scene ------------------------------------------------------------------
    def _defaults(self) -> None:
        self.add_node("defaultRenderGlobals", "renderGlobals", currentRenderer="mayaSoftware", startFrame=1.0,
                      endFrame=10.0, byFrameStep=1.0, animation=1, imageFilePrefix=None, imfPluginKey="iff")
        self.add_node("defaultResolution", "resolution", width=1920, height=1080)
        self.add_node("time1", "time", outTime=1.0)
        self.add_node("defaultRenderLayer", "renderLayer", renderable=1, adjustments=None)
        for name, renderable in (("persp", 1), ("top", 0), ("front", 0), ("side", 0)):
            self.add_camera(name, renderable)
        if not self.batch:
            self.controls["MayaWindow"] = Control("window", None)
            self.controls["ShelfLayout"] = Control("shelfTabLayout", "MayaWindow")

    def add_node(self, name: str, type: str, parent: Optional[str] = None, **attrs: Any) -> Node:
        node = Node(type, dict(attrs), parent)
        self.nodes[name] = node
        return node

    def set(self, plug: str, value: Any) -> None:
        node, _, attr = plug.partition(".")
        self.nodes[node].attrs[attr] = value

    def get(self, plug: str) -> Any:
        node, _, attr = plug.partition(".")
        return self.nodes[node].attrs[attr]

    def globals(self, **attrs: Any) -> None:
        self.nodes["defaultRenderGlobals"].attrs.update(attrs)

    def load_plugin(self, name: str, version: str, path: str = "") -> None:
        """Load a plug-in; those of MAYA_OWN_PLUGINS live in Maya's install folder."""
        self.plugins[name] = version
        if not path:
            folder = self.install_dir + "/bin/plug-ins" if name in MAYA_OWN_PLUGINS else "/opt/plugins/" + name
            path = "%s/%s.so" % (folder, name)
        self.plugin_paths[name] = path

    def add_camera(self, name: str, renderable: int = 1) -> str:
        self.add_node(name, "transform")
        self.add_node(name + "Shape", "camera", parent=name, renderable=renderable)
        return name + "Shape"

    def add_file(self, name: str, path: str, tiling: int = 0, sequence: bool = False, offset: int = 0,
                 pattern: str = "") -> Node:
        """A file texture node; ``pattern`` is what Maya computes for UDIMs / sequences."""
        if not pattern:
            pattern = path
        return self.add_node(name, "file", fileTextureName=path, uvTilingMode=tiling, useFrameExtension=int(sequence),
                             frameOffset=offset, computedFileTextureNamePattern=pattern)

    def add_layer(self, name: str, renderable: int = 1, overrides: Optional[Dict[str, Any]] = None) -> Node:
        """A legacy render layer with adjustments {plug: value}."""
        node = self.add_node(name, "renderLayer", renderable=renderable, adjustments=None)
        for index, (plug, value) in enumerate((overrides or {}).items()):
            node.adjustments[index] = (plug, value)
        return node

    def add_reference(self, ref_node: str, path: str, loaded: bool = True, copy_number: int = 0) -> None:
        self.add_node(ref_node, "reference")
        self.references[ref_node] = Reference(path, loaded, copy_number)

    def switch_layer(self, layer: str) -> None:
        """Make ``layer`` current the way legacy layers do: swap adjusted values in and out."""
        master = self.nodes["defaultRenderLayer"]
        if self.current_layer != "defaultRenderLayer":  # back to master first
            for plug, value in list(master.adjustments.values()):
                self.set(plug, value)
            master.adjustments.clear()
        if layer != "defaultRenderLayer":
            for index, (plug, value) in enumerate(list(self.nodes[layer].adjustments.values())):
                master.adjustments[index] = (plug, self.get(plug))
                self.set(plug, value)
        self.current_layer = layer

    def node_types(self) -> Set[str]:
        types = set(BASE_TYPES)
        for plugin in self.plugins:
            types |= PLUGIN_TYPES.get(plugin, set())
        return types

    # UI --------------------------------------------------------------------------------
    def new_name(self, kind: str) -> str:
        return "%s%d" % (kind, next(self._ids))

    def children(self, parent: str) -> List[str]:
        return [name for name, control in self.controls.items() if control.parent == parent]

    def of_kind(self, kind: str) -> List[str]:
        return [name for name, control in self.controls.items() if control.kind == kind]

    def fire(self, event: str) -> int:
        """Run the scriptJobs registered for ``event``; returns how many ran."""
        jobs = [fn for name, fn in list(self.script_jobs.values()) if name == event]
        for fn in jobs:
            fn()
        return len(jobs)

    def run_deferred(self) -> None:
        """What maya.utils.processIdleEvents does: run what executeDeferred queued."""
        queued, self.deferred = self.deferred, []
        for fn, args, kwargs in queued:
            if isinstance(fn, str):
                exec(fn, {"__name__": "__main__"})
            else:
                fn(*args, **kwargs)


#: The session the fake ``maya`` modules answer from; tests replace it.
STATE = FakeMaya()
