"""Scenes for the fake 3ds Max, as data (the keys fakemax.FakeMax.load reads)."""

from typing import Any, Dict

SHOT = "D:\\项目 A\\shot 010"  # Chinese and spaced folder names on purpose


def vray_scene(**over: Any) -> Dict[str, Any]:
    """A V-Ray 6 scene: irradiance map (multiframe incremental) + light cache, bitmaps, a proxy,
    an IES light, render elements, xrefs, a missing texture, V-Ray's separate raw output."""
    scene = {
        "file": SHOT + "\\灯光 v002.max",
        "project": "D:\\项目 A",
        "plugins": ["vray", "forestpack"],
        "renderer": {"class": "V_Ray_6__Update_2", "version": "6.20.03", "props": {
            "gi_on": True, "gi_primary_type": 0, "gi_secondary_type": 3, "adv_irradmap_mode": 1,
            "lightcache_mode": 0, "imageSampler_type": 1, "twoLevel_bucket_width": 48,
            "adv_irradmap_autoSaveFileName": SHOT + "\\gi\\irr.vrmap", "adv_irradmap_loadFileName": "",
            "lightcache_autoSaveFileName": "", "lightcache_loadFileName": "",
            "output_saveRawFile": True, "output_rawFileName": "D:\\renders\\shot 010\\raw.exr",
            "output_splitgbuffer": False, "output_splitfilename": ""}},
        "time": {"type": 3, "start": 1, "end": 100, "nth": 2},
        "width": 2048, "height": 858,
        "output": {"save": True, "file": "D:\\renders\\shot 010\\beauty.exr"},
        "cameras": ["CAM_main", "CAM_wide"], "active_camera": "CAM_main",
        "elements": [
            {"class": "VRayAlpha", "name": "Alpha", "file": "D:\\renders\\shot 010\\beauty.VRayAlpha.exr"},
            {"class": "VRayZDepth", "name": "Z 深度", "enabled": False, "file": "D:\\renders\\shot 010\\beauty.Z.exr"},
        ],
        "objects": [
            {"class": "BitmapTexture", "name": "木纹 wood", "props": {"filename": SHOT + "\\tex\\木纹 wood.jpg"}},
            {"class": "BitmapTexture", "name": "wood again", "props": {"filename": "d:/项目 A/shot 010/TEX/木纹 wood.jpg"}},
            {"class": "BitmapTexture", "name": "missing", "props": {"filename": "D:\\lost\\gone.png"}},
            {"class": "VRayBitmap", "name": "sky", "props": {"HDRIMapName": "\\\\nas\\hdri\\sky 4k.exr"}},
            {"class": "VRayProxy", "name": "tree proxy", "props": {"fileName": SHOT + "\\proxy\\tree.vrmesh"}},
            {"class": "VRayIES", "name": "spot", "props": {"ies_file": "D:\\ies\\spot.ies"}},
            {"class": "Forest_Pro", "name": "forest", "props": {}},
        ],
        "xrefs": [SHOT + "\\set\\街道 street.max"],
        "object_xrefs": ["D:\\assets\\car.max"],
        "ats_files": ["D:\\cache\\cloth.abc"],
        "modified": False,
    }
    scene.update(over)
    return scene


def corona_scene(**over: Any) -> Dict[str, Any]:
    scene = {
        "file": "C:\\work\\interior.max", "project": "C:\\work", "plugins": ["corona"],
        "renderer": {"class": "CoronaRenderer", "props": {}},
        "time": {"type": 1, "slider": 42}, "width": 1600, "height": 1200,
        "output": {"save": True, "file": "C:\\out\\interior.png"},
        "cameras": ["Camera001"], "active_camera": "Camera001",
        "objects": [
            {"class": "CoronaBitmap", "name": "floor", "props": {"filename": "C:\\tex\\floor.png"}},
            {"class": "CProxy", "name": "plant", "props": {"filename": "C:\\proxy\\plant.cgeo"}},
        ],
    }
    scene.update(over)
    return scene


def arnold_scene(**over: Any) -> Dict[str, Any]:
    scene = {
        "file": "E:\\anim\\run.max", "project": "E:\\anim", "plugins": [],
        "renderer": {"class": "Arnold", "props": {}},
        "time": {"type": 2, "active": (10, 50), "nth": 1}, "width": 1920, "height": 1080,
        "output": {"save": True, "file": "E:\\out\\run_.tif"},
        "cameras": ["shotCam"], "active_camera": "shotCam",
        "objects": [{"class": "Point_Cache", "name": "cloth cache", "props": {"filename": "E:\\cache\\cloth.pc2"}}],
    }
    scene.update(over)
    return scene


def scanline_scene(**over: Any) -> Dict[str, Any]:
    scene = {
        "file": "", "plugins": [], "renderer": {"class": "Default_Scanline_Renderer", "props": {}},
        "time": {"type": 4, "pickup": "1, 3, 5-12"}, "width": 640, "height": 480,
        "output": {"save": False, "file": "C:\\out\\ignored.png"},
        "cameras": [], "active_camera": None, "modified": True,
    }
    scene.update(over)
    return scene
