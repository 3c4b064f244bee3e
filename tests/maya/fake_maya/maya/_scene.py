"""The state the fake ``maya`` answers from: a scene described as data, and Maya's UI.

Tests build a :class:`FakeMaya` (``maya._scene.STATE``) with nodes (type, attributes), legacy
render layers with adjustments, Render Setup layers with overrides, cameras (in groups too: DAG
names are unique paths, ``grpA|camera1``), plug-ins, references, fileInfo, the workspace, the
optionVars and the UI controls that exist (the shelf tab layout with Maya's shelves, the main
window), then run the real renderbus_maya code against ``maya.cmds``.

Kept to Python 3.7 (Maya 2022's): the host harness (tests/hosts) runs it there.
"""

import itertools
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

#: node types Maya knows without any plug-in
BASE_TYPES = {
    "transform", "mesh", "camera", "file", "place2dTexture", "renderLayer", "reference", "renderGlobals",
    "resolution", "time", "audio", "imagePlane", "cacheFile", "lambert", "blinn", "shadingEngine",
    "renderSetup", "renderSetupLayer", "collection", "absOverride",
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
class RenderSetupLayer:
    """A Render Setup layer: its overrides as {plug: the layer's value} (what its collections'
    absolute overrides set), applied while it is the visible layer."""

    name: str
    renderable: bool = True
    overrides: Dict[str, Any] = field(default_factory=dict)


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
        #: what ``about -qtVersion`` answers; None: the Qt of that Maya (5.15 to 2024, 6.5 from 2025)
        self.qt_version: Optional[str] = None
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
        #: widget pointer -> its Maya UI name (what MQtUtil.fullName answers for Qt windows)
        self.qt_names: Dict[int, str] = {}
        self.option_vars: Dict[str, Any] = {}
        self.render_setup: List[RenderSetupLayer] = []
        self.visible_layer = "defaultRenderLayer"  #: Render Setup's visible layer
        self._rs_saved: Dict[str, Any] = {}  #: master values of the plugs the visible layer overrides
        self.layer_switches = 0
        self.undo_enabled = True
        self.undo_queue: List[str] = []
        self.refresh_suspended = False
        #: XBMLANGPATH as Maya read it at start-up (set it later and Maya does not see it)
        self.icon_path = os.environ.get("XBMLANGPATH", "")
        self.missing_icons: List[str] = []
        self.controls: Dict[str, Control] = {}
        self.script_jobs: Dict[int, Tuple[Any, ...]] = {}  # id -> (event, script, parent UI or None)
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
            self.controls["ShelfLayout"] = Control("shelfTabLayout", "MayaWindow", {"selectTab": "Rendering"})
            # Maya's own shelves, with the optionVars shelf.mel keeps for each (loadNewShelf / addNewShelfTab)
            for index, shelf in enumerate(("General", "Rendering"), 1):
                self.controls[shelf] = Control("shelfLayout", "ShelfLayout")
                self.option_vars.update({"shelfName%d" % index: shelf, "shelfLoad%d" % index: 1,
                                         "shelfFile%d" % index: "shelf_" + shelf, "shelfAlign%d" % index: "left"})
            self.option_vars.update(numShelves=2, selectedShelf="Rendering")

    def add_node(self, name: str, type: str, parent: Optional[str] = None, **attrs: Any) -> Node:
        node = Node(type, dict(attrs), parent)
        self.nodes[name] = node
        return node

    def set(self, plug: str, value: Any) -> None:
        node, _, attr = plug.partition(".")
        self.nodes[self.find(node)].attrs[attr] = value

    def get(self, plug: str) -> Any:
        node, _, attr = plug.partition(".")
        return self.nodes[self.find(node)].attrs[attr]

    def globals(self, **attrs: Any) -> None:
        self.nodes["defaultRenderGlobals"].attrs.update(attrs)

    def load_plugin(self, name: str, version: str, path: str = "") -> None:
        """Load a plug-in; those of MAYA_OWN_PLUGINS live in Maya's install folder."""
        self.plugins[name] = version
        if not path:
            folder = self.install_dir + "/bin/plug-ins" if name in MAYA_OWN_PLUGINS else "/opt/plugins/" + name
            path = "%s/%s.so" % (folder, name)
        self.plugin_paths[name] = path

    def add_camera(self, name: str, renderable: int = 1, group: str = "") -> str:
        """A camera (transform ``name``, shape ``nameShape``), under the transform ``group`` if given;
        returns the shape's node key (``group|name|nameShape`` under a group)."""
        transform = name
        if group:
            if group not in self.nodes:
                self.add_node(group, "transform")
            transform = group + "|" + name
        shape = (transform + "|" + name + "Shape") if group else name + "Shape"
        self.add_node(transform, "transform", parent=group or None)
        self.add_node(shape, "camera", parent=transform, renderable=renderable)
        return shape

    # DAG names: a node key is its shortest unique path when it is not unique by itself ------
    def long_name(self, key: str) -> str:
        """``|grpA|camera1`` for a DAG node; the name itself for a dependency node."""
        node = self.nodes[key]
        if node.parent is None and node.type != "transform" and node.type not in ("camera", "mesh"):
            return key
        parts = [key.rsplit("|", 1)[-1]]
        while node.parent:
            parts.insert(0, node.parent.rsplit("|", 1)[-1])
            node = self.nodes[node.parent]
        return "|" + "|".join(parts)

    def find(self, name: str) -> str:
        """The key of the node ``name`` names (a key, a short name, a partial or full path), as Maya
        resolves it; ValueError if none or several match."""
        if name in self.nodes:
            return name
        wanted = name.lstrip("|")
        matches = [key for key in self.nodes
                   if self.long_name(key) == "|" + wanted or self.long_name(key).endswith("|" + wanted)]
        if name.startswith("|"):
            matches = [key for key in matches if self.long_name(key) == name]
        if len(matches) > 1:
            raise ValueError("More than one object matches name: %s" % name)
        if not matches:
            raise ValueError("No object matches name: %s" % name)
        return matches[0]

    def partial_name(self, key: str) -> str:
        """The shortest unique path of a node, as ``ls`` answers without ``-long``."""
        parts = self.long_name(key).lstrip("|").split("|")
        for count in range(1, len(parts) + 1):
            candidate = "|".join(parts[-count:])
            try:
                if self.find(candidate) == key:
                    return candidate
            except ValueError:
                continue
        return self.long_name(key)

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

    # Render Setup -----------------------------------------------------------------------
    def add_rs_layer(self, name: str, renderable: bool = True, overrides: Optional[Dict[str, Any]] = None) -> None:
        """A Render Setup layer: its ``renderSetupLayer`` node, the legacy ``rs_<name>`` layer it owns,
        and its overrides {plug: value}."""
        self.add_node(name, "renderSetupLayer")
        self.add_node("rs_" + name, "renderLayer", renderable=int(renderable), adjustments=None)
        self.render_setup.append(RenderSetupLayer(name, renderable, dict(overrides or {})))

    def rs_layer(self, name: str) -> RenderSetupLayer:
        for layer in self.render_setup:
            if layer.name == name:
                return layer
        raise KeyError(name)

    def switch_visible(self, name: str) -> None:
        """What Render Setup does to make ``name`` visible: the previous layer's overrides are
        taken back, the new one's applied, the scene is marked modified, and Maya's layer
        events fire (scriptJob ``renderLayerChange`` / ``renderLayerManagerChange``)."""
        for plug, value in self._rs_saved.items():
            self.set(plug, value)
        self._rs_saved = {}
        if name != "defaultRenderLayer":
            for plug, value in self.rs_layer(name).overrides.items():
                self._rs_saved[plug] = self.get(plug)
                self.set(plug, value)
        self.visible_layer = name
        self.current_layer = "defaultRenderLayer" if name == "defaultRenderLayer" else "rs_" + name
        self.modified = True
        self.layer_switches += 1
        if self.undo_enabled:
            self.undo_queue.append("switchToLayer %s" % name)
        self.fire("renderLayerChange")
        self.fire("renderLayerManagerChange")

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
        jobs = [job[1] for job in list(self.script_jobs.values()) if job[0] == event]
        for fn in jobs:
            fn()
        return len(jobs)

    def delete_control(self, name: str) -> None:
        """A UI element goes (a window closed): its children go, and the scriptJobs parented to it die."""
        doomed = [name]
        while doomed:
            current = doomed.pop()
            doomed.extend(self.children(current))
            self.controls.pop(current, None)
            for job, entry in list(self.script_jobs.items()):
                if len(entry) > 2 and entry[2] and entry[2].rsplit("|", 1)[-1] == current:
                    del self.script_jobs[job]

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
