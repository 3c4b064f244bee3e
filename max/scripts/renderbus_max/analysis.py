"""Read the open 3ds Max scene through pymxs into a :class:`~renderbus_dcc.scene.SceneDescription`.

Main thread only (pymxs is not thread-safe). Everything is read, nothing is changed. The
MAXScript names used, with the pages of the MAXScript help that document them:

- ``maxVersion()``: release number, e.g. 26000 = 3ds Max 2024 (year = 1998 + release / 1000).
- ``renderers.current``, ``classOf``: the production renderer; its class name says which
  (``V_Ray_6__Update_2``, ``V_Ray_GPU_6``, ``CoronaRenderer``, ``Arnold``,
  ``Default_Scanline_Renderer``, ``ART_Renderer``). Version: V-Ray's ``vrayVersion()``
  (first element, "6.20.03"); other renderers expose no documented version function, so
  the digits of the class name are used where it has some ("Corona_10" -> "10"), else "".
- Render Setup globals ("Render Setup Dialog"): ``rendTimeType`` (1 single frame = the
  current ``sliderTime``, 2 active segment = ``animationRange``, 3 range ``rendStart``..``rendEnd``,
  4 picked frames ``rendPickupFrames``), ``rendNThFrame`` (ranges only), ``renderWidth``,
  ``renderHeight``, ``rendSaveFile``, ``rendOutputFilename``.
- ``getActiveCamera()`` (the camera of the view that renders) and ``cameras``.
- ``maxOps.GetCurRenderElementMgr()`` ("Interface: RenderElementMgr"): ``NumRenderElements``,
  ``GetRenderElement`` (0-based), ``GetRenderElementFilename``.
- Files: the asset tracking system ("Interface: ATSOps": ``Refresh``, ``GetFiles`` with a
  by-reference list, see "pymxs.byref"), plus each file-holding object class for its owner
  (``getClassInstances``: Bitmaps, V-Ray/Corona bitmaps and proxies, IES, point caches),
  scene xrefs (``xrefs.getXRefFileCount``/``getXRefFile``) and object xrefs
  (``objXRefMgr.recordCount``/``GetRecord``/``srcFileName``).
- ``pathConfig.getCurrentProjectFolder()``, ``maxFilePath`` + ``maxFileName``, ``getSaveRequired()``.
- What the render writes is not sent, though the asset tracking system lists it too: the
  output and render element files, V-Ray's raw/split frame buffer files, V-Ray's irradiance map
  and light cache autosave files (unless the same file is read "From file"), and Render To
  Texture's outputs (``<node>.INodeBakeProperties``: ``numBakeElements()``, ``getBakeElement``,
  each element's ``fileType``; "Interface: INodeBakeProperties").

3ds Max-specific renderer settings go to ``extra["renderer"]`` (a dict of strings,
keys documented in :func:`renderer_settings`); render elements to ``extra["render_elements"]``.
"""

import logging
import re
from typing import Any, Dict, List, Optional, Tuple

from renderbus_dcc.constants import CgId
from renderbus_dcc.errors import FrameSpecError, SceneError
from renderbus_dcc.frames import format_frames, parse_frames
from renderbus_dcc.paths import path_key
from renderbus_dcc.scene import Asset, PluginUse, RenderLayer, SceneDescription
from renderbus_max import mxs

__all__ = [
    "describe_scene", "renderer_of", "renderer_settings", "frames_of", "render_elements",
    "scene_assets", "kind_of", "bake_outputs", "FILE_CLASSES", "PLUGIN_CLASSES",
]

log = logging.getLogger(__name__)

#: The owner of a file only the asset tracking system knows of.
_ATS_OWNER = "Asset Tracking"
#: One render layer for the whole scene (3ds Max has no render layers).
LAYER_NAME = "Scene"

#: (MAXScript class, property holding the path, asset kind). Plugin classes are undefined
#: (None) when their plugin is not loaded, and are then skipped.
FILE_CLASSES: Tuple[Tuple[str, str, str], ...] = (
    ("BitmapTexture", "filename", "texture"),
    ("VRayBitmap", "HDRIMapName", "texture"),  # V-Ray 5+ name of VRayHDRI
    ("VRayHDRI", "HDRIMapName", "texture"),
    ("CoronaBitmap", "filename", "texture"),
    ("VRayProxy", "fileName", "proxy"),
    ("CProxy", "filename", "proxy"),
    ("VRayIES", "ies_file", "ies"),
    ("Point_Cache", "filename", "cache"),
    ("PointCacheWSM", "filename", "cache"),
    ("AlembicContainer", "source", "cache"),
    ("VRayVolumeGrid", "inPath", "volume"),
)

#: Scene plugins found by the presence of their objects: farm plugin name -> MAXScript classes.
PLUGIN_CLASSES: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    ("forestpack", ("Forest_Pro", "Forest_Lite")),
    ("railclone", ("RailClone_Pro", "RailClone_Lite")),
    ("tyflow", ("tyFlow",)),
    ("phoenixfd", ("PhoenixFDGrid", "FireSmokeSim", "LiquidSim")),
    ("multiscatter", ("MultiScatter",)),
    ("ornatrix", ("Ox_Hair_from_Guides",)),
)

_KIND_BY_EXT = {
    "max": "reference", "vrmesh": "proxy", "cgeo": "proxy", "ass": "proxy", "rs": "proxy",
    "abc": "cache", "pc2": "cache", "mdd": "cache", "tyc": "cache", "prt": "cache",
    "vrscene": "reference", "vdb": "volume", "aur": "volume", "f3d": "volume", "ies": "ies",
    "ttf": "font", "otf": "font", "wav": "sound", "mp3": "sound", "avi": "movie", "mov": "movie", "mp4": "movie",
}
_IMAGE_EXTS = frozenset(
    "bmp dds exr gif hdr hdri jpeg jpg png psd rgb rla rpf sgi tga tif tiff tx vrimg vrmap vrlmap ifl".split())


def describe_scene(rt: Optional[Any] = None) -> SceneDescription:
    """The open scene as a SceneDescription (call on 3ds Max's main thread)."""

    rt = rt if rt is not None else mxs.runtime()
    renderer, renderer_version, renderer_class = renderer_of(rt)
    camera = _render_camera(rt)
    output = mxs.text(rt.rendOutputFilename) if bool(rt.rendSaveFile) else ""
    scene_file = _scene_file(rt)
    plugins = ([PluginUse(renderer, renderer_version)] if renderer in _PLUGIN_RENDERERS else [])
    plugins += [PluginUse(name, "") for name in _scene_plugins(rt)]
    elements = render_elements(rt)
    frames, time_type = frames_of(rt)
    settings = renderer_settings(rt, renderer, renderer_version, renderer_class)
    outputs = [output, settings.get("vfb_raw_file", ""), settings.get("vfb_split_file", "")]
    outputs += _prepass_outputs(settings) + bake_outputs(rt)
    assets = scene_assets(rt, exclude=[scene_file] + outputs + [e["file"] for e in elements])
    assets += _prepass_inputs(settings, assets)
    scene = SceneDescription(
        cg_id=int(CgId.MAX),
        cg_name="3ds Max",
        cg_version=str(mxs.max_year(rt)),
        scene_file=scene_file,
        modified=bool(rt.getSaveRequired()),
        project_dir=mxs.text(rt.pathConfig.getCurrentProjectFolder()),
        renderer=renderer,
        renderer_version=renderer_version,
        plugins=plugins,
        frames=frames,
        layers=[RenderLayer(LAYER_NAME, True, [camera] if camera else [])],
        cameras=_cameras(rt),
        width=int(rt.renderWidth),
        height=int(rt.renderHeight),
        output_dir=_dirname(output),
        output_prefix=_stem(output),
        image_format=_extension(output),
        assets=assets,
        extra={
            "renderer": settings,
            "render_elements": elements,
            "time_type": time_type,
            "output_file": output,
            "animation_range": "%d-%d" % (mxs.frame(rt.animationRange.start), mxs.frame(rt.animationRange.end)),
        },
    )
    log.info("analysed %s: %s %s, frames %s, %d files", scene.scene_name, renderer, renderer_version,
             frames, len(scene.assets))
    return scene


# Renderer -------------------------------------------------------------------------------------
_PLUGIN_RENDERERS = ("vray", "corona", "arnold", "redshift", "octane")
_RENDERER_BY_CLASS = (
    ("v_ray", "vray"), ("corona", "corona"), ("arnold", "arnold"), ("redshift", "redshift"),
    ("octane", "octane"), ("default_scanline", "scanline"), ("art_renderer", "art"),
    ("quicksilver", "quicksilver"),
)


def renderer_of(rt: Any) -> Tuple[str, str, str]:
    """(farm renderer name, version, MAXScript class name) of the production renderer."""
    class_name = mxs.text(rt.classOf(rt.renderers.current))
    lowered = class_name.lower()
    renderer = next((name for prefix, name in _RENDERER_BY_CLASS if lowered.startswith(prefix)), lowered)
    version = ""
    if renderer == "vray":
        vray_version = mxs.optional(rt, "vrayVersion")
        if vray_version is not None:
            version = mxs.text(mxs.items(vray_version())[0])
    if not version and renderer in _PLUGIN_RENDERERS:
        version = ".".join(re.findall(r"\d+", class_name))
    return renderer, version, class_name


def renderer_settings(rt: Any, renderer: str, version: str, class_name: str) -> Dict[str, str]:
    """The renderer block of the task files (``extra["renderer"]``), values as strings.

    Always: ``name``, ``version``, ``class_name``. V-Ray adds ``engine`` ("cpu"/"gpu"), ``gi_on``,
    ``primary_gi_engine`` / ``secondary_gi_engine`` (0 irradiance map, 1 photon map,
    2 brute force, 3 light cache), ``irradiance_map_mode``, ``light_cache_mode``, their
    saved/loaded map files, ``image_sampler_type``, ``bucket_size`` and ``photon``: "1" when
    the GI is computed ahead for the whole sequence (irradiance map "multiframe incremental"
    or "animation prepass", light cache "fly-through"), which the farm renders as a
    RenderPhoton child task before Render; and the V-Ray frame buffer's separate outputs
    (``vfb_raw_file``, ``vfb_split_file``) when they are on.
    """
    settings = {"name": renderer, "version": version, "class_name": class_name}
    if renderer != "vray":
        return settings
    current = rt.renderers.current

    def get(name: str, default: Any = "") -> str:
        value = mxs.prop(rt, current, name, default)
        if isinstance(value, bool):
            return "1" if value else "0"
        return mxs.text(value)

    settings["engine"] = "gpu" if "gpu" in class_name.lower() or "_rt" in class_name.lower() else "cpu"
    for key, prop in (("gi_on", "gi_on"), ("primary_gi_engine", "gi_primary_type"),
                      ("secondary_gi_engine", "gi_secondary_type"), ("irradiance_map_mode", "adv_irradmap_mode"),
                      ("light_cache_mode", "lightcache_mode"), ("image_sampler_type", "imageSampler_type"),
                      ("bucket_size", "twoLevel_bucket_width")):
        settings[key] = get(prop)
    for key, prop in (("irradiance_map_file", "adv_irradmap_autoSaveFileName"),
                      ("irradiance_map_load_file", "adv_irradmap_loadFileName"),
                      ("light_cache_file", "lightcache_autoSaveFileName"),
                      ("light_cache_load_file", "lightcache_loadFileName")):
        settings[key] = get(prop)
    gi = settings["gi_on"] == "1"
    irradiance_prepass = settings["primary_gi_engine"] == "0" and settings["irradiance_map_mode"] in ("1", "6")
    light_cache_prepass = settings["light_cache_mode"] == "1" and "3" in (
        settings["primary_gi_engine"], settings["secondary_gi_engine"])
    settings["photon"] = "1" if gi and (irradiance_prepass or light_cache_prepass) else "0"
    if get("output_saveRawFile") == "1":
        settings["vfb_raw_file"] = get("output_rawFileName")
    if get("output_splitgbuffer") == "1":
        settings["vfb_split_file"] = get("output_splitfilename")
    return settings


def _prepass_outputs(settings: Dict[str, str]) -> List[str]:
    """V-Ray's irradiance map / light cache autosave files: written by the render, not read
    (unless the same file is the one read "From file", mode 2)."""
    out = []
    for mode, saved, loaded in (("irradiance_map_mode", "irradiance_map_file", "irradiance_map_load_file"),
                                ("light_cache_mode", "light_cache_file", "light_cache_load_file")):
        path = settings.get(saved, "")
        read = settings.get(mode) == "2" and path_key(settings.get(loaded, "") or "-") == path_key(path or "-")
        if path and not read:
            out.append(path)
    return out


def bake_outputs(rt: Any) -> List[str]:
    """The files Render To Texture writes: every bake element's output of every geometry node."""
    out = []
    for node in mxs.items(rt.geometry):
        try:
            bake = node.INodeBakeProperties
        except AttributeError:
            continue
        for index in range(1, int(bake.numBakeElements()) + 1):  # 1-based
            element = bake.getBakeElement(index)
            path = mxs.text(mxs.prop(rt, element, "fileType", ""))
            if path:
                out.append(path)
    return out


def _prepass_inputs(settings: Dict[str, str], assets: List[Asset]) -> List[Asset]:
    """The irradiance map / light cache files V-Ray reads when set to "From file" (mode 2); one
    the asset tracking system listed already gets V-Ray's name as its owner."""
    known = {path_key(a.path): a for a in assets}
    out = []
    for mode, path, owner in (("irradiance_map_mode", "irradiance_map_load_file", "V-Ray irradiance map"),
                              ("light_cache_mode", "light_cache_load_file", "V-Ray light cache")):
        file_path = settings.get(path, "")
        if settings.get(mode) != "2" or not file_path:
            continue
        listed = known.get(path_key(file_path))
        if listed is None:
            out.append(Asset(path=file_path, owner=owner, kind="cache"))
        elif listed.owner == _ATS_OWNER:
            listed.owner, listed.kind = owner, "cache"
    return out


# Time output ----------------------------------------------------------------------------------
_TIME_TYPES = {1: "single", 2: "active_segment", 3: "range", 4: "pickup"}


def frames_of(rt: Any) -> Tuple[str, str]:
    """(frame spec, time output type name) from the Render Setup's Time Output group."""
    time_type = int(rt.rendTimeType)
    step = max(1, int(rt.rendNThFrame))
    if time_type == 1:
        return str(mxs.frame(rt.sliderTime)), _TIME_TYPES[1]
    if time_type == 4:
        picked = mxs.text(rt.rendPickupFrames)
        try:
            parse_frames(picked)  # checked; kept as the artist wrote it (without spaces)
        except FrameSpecError as exc:
            raise SceneError("The Render Setup's frames %r cannot be read: %s" % (picked, exc),
                             "fix Render Setup > Common > Time Output > Frames (e.g. 1,3,5-12)") from exc
        return re.sub(r"\s+", "", picked), _TIME_TYPES[4]
    if time_type == 2:
        start, end = mxs.frame(rt.animationRange.start), mxs.frame(rt.animationRange.end)
    else:
        start, end = mxs.frame(rt.rendStart), mxs.frame(rt.rendEnd)
        if end < start:
            raise SceneError("The Render Setup's range ends at frame %d, before it starts (%d)." % (end, start),
                             "fix Render Setup > Common > Time Output > Range")
    spec = "%d-%d" % (start, end) if end != start else str(start)
    if step > 1 and end != start:
        spec += "x%d" % step
    return format_frames(parse_frames(spec)), _TIME_TYPES.get(time_type, "range")


# Cameras, output, elements ------------------------------------------------------------------
def _render_camera(rt: Any) -> str:
    camera = rt.getActiveCamera()
    return mxs.text(camera.name) if camera is not None else ""


def _cameras(rt: Any) -> List[str]:
    camera_class = rt.camera  # the superclass of every camera object (targets are not cameras)
    return [mxs.text(c.name) for c in mxs.items(rt.cameras) if rt.superClassOf(c) == camera_class]


def render_elements(rt: Any) -> List[Dict[str, Any]]:
    """Every render element: name, MAXScript class, enabled, output file."""
    manager = rt.maxOps.GetCurRenderElementMgr()
    out = []
    for index in range(int(manager.NumRenderElements())):
        element = manager.GetRenderElement(index)
        out.append({
            "name": mxs.text(mxs.prop(rt, element, "elementName", "")),
            "class": mxs.text(rt.classOf(element)),
            "enabled": bool(mxs.prop(rt, element, "enabled", True)),
            "file": mxs.text(manager.GetRenderElementFilename(index)),
        })
    return out


def _scene_file(rt: Any) -> str:
    file_name = mxs.text(rt.maxFileName)
    if not file_name:
        return ""
    folder = mxs.text(rt.maxFilePath)
    if folder and not folder.endswith(("\\", "/")):
        folder += "\\"
    return folder + file_name


def _split(path: str) -> Tuple[str, str]:
    cut = max(path.rfind("\\"), path.rfind("/"))
    return (path[:cut], path[cut + 1:]) if cut >= 0 else ("", path)


def _dirname(path: str) -> str:
    return _split(path)[0]


def _stem(path: str) -> str:
    name = _split(path)[1]
    return name.rsplit(".", 1)[0] if "." in name else name


def _extension(path: str) -> str:
    name = _split(path)[1]
    return name.rsplit(".", 1)[1].lower() if "." in name else ""


# Files ----------------------------------------------------------------------------------------
def kind_of(path: str) -> str:
    """The asset kind of a file, by its extension."""
    ext = _extension(path)
    if ext in _IMAGE_EXTS:
        return "texture"
    return _KIND_BY_EXT.get(ext, "other")


def scene_assets(rt: Any, exclude: Optional[List[str]] = None) -> List[Asset]:
    """Every file the render reads, once each (owners kept), minus ``exclude`` (scene, outputs).

    Objects that hold files are read first (they say which object needs the file), then
    xrefs, then everything else the asset tracking system knows.
    """
    skip = {path_key(p) for p in (exclude or []) if p}
    found: Dict[str, Asset] = {}

    def add(path: str, owner: str, kind: str) -> None:
        path = path.strip()
        if not path:
            return
        key = path_key(path)
        if key in skip or key in found:
            return
        found[key] = Asset(path=path, owner=owner, kind=kind)

    for class_name, prop_name, kind in FILE_CLASSES:
        cls = mxs.optional(rt, class_name)
        if cls is None:
            continue
        for obj in mxs.items(rt.getClassInstances(cls)):
            owner = "%s '%s'" % (class_name, mxs.text(mxs.prop(rt, obj, "name", "")))
            add(mxs.text(mxs.prop(rt, obj, prop_name, "")), owner, kind)
    for index in range(1, int(rt.xrefs.getXRefFileCount()) + 1):  # 1-based
        add(mxs.text(rt.xrefs.getXRefFile(index).filename), "XRef Scene %d" % index, "reference")
    records = rt.objXRefMgr
    for index in range(1, int(records.recordCount) + 1):
        add(mxs.text(records.GetRecord(index).srcFileName), "XRef Objects record %d" % index, "reference")
    for path in _tracked_files(rt):
        add(path, _ATS_OWNER, kind_of(path))
    return list(found.values())


def _tracked_files(rt: Any) -> List[str]:
    """Every file the asset tracking system lists (``ATSOps.GetFiles <&array>``)."""
    from pymxs import byref

    ats = rt.ATSOps
    ats.Refresh()
    _count, files = ats.GetFiles(byref(None))
    return [mxs.text(f) for f in mxs.items(files)]


def _scene_plugins(rt: Any) -> List[str]:
    found = []
    for plugin, class_names in PLUGIN_CLASSES:
        for class_name in class_names:
            cls = mxs.optional(rt, class_name)
            if cls is not None and mxs.items(rt.getClassInstances(cls)):
                found.append(plugin)
                break
    return found
