"""Scene descriptions of each host for the task file tests, as the host layers hand them over
(3ds Max: a V-Ray scene's renderer settings, elements and time output; Blender: Cycles)."""

from pathlib import Path

from renderbus_dcc.scene import RenderLayer, SceneDescription


def maya_scene(root: Path) -> SceneDescription:
    """The example Maya project, copied into ``root`` (UDIMs, a sequence, a Chinese name, an Alembic cache)."""
    import shutil

    from renderbus_dcc.cli.submit import load_scene
    from renderbus_dcc.examples import example_dir

    project = root / "proj ect 项目"
    shutil.copytree(str(example_dir("maya_arnold")), str(project))
    return load_scene(str(project / "scene.json"))


def max_scene(root):
    (root / "room.max").write_bytes(b"max scene")
    return SceneDescription(
        2001, "3ds Max", "2024", scene_file=str(root / "room.max"), project_dir=str(root), renderer="vray",
        renderer_version="6.20.03", frames="1-10", cameras=["Camera001", "Camera002"],
        layers=[RenderLayer("Scene", True, ["Camera001"])], output_dir="D:\\out", output_prefix="room",
        image_format="exr",
        extra={"renderer": {"name": "vray", "version": "6.20.03", "class_name": "V_Ray_6__Update_2", "engine": "cpu",
                            "gi_on": "1", "primary_gi_engine": "2", "secondary_gi_engine": "3",
                            "irradiance_map_mode": "0", "light_cache_mode": "0", "image_sampler_type": "3",
                            "bucket_size": "48", "irradiance_map_file": "", "irradiance_map_load_file": "",
                            "light_cache_file": "D:\\proj\\lc.vrlmap", "light_cache_load_file": "", "photon": "0",
                            "vfb_raw_file": "D:\\out\\raw.vrimg"},
               "render_elements": [{"name": "Z", "class": "VRayZDepth", "enabled": True, "file": "D:\\out\\room_Z.exr"}],
               "time_type": "range", "output_file": "D:\\out\\room.exr", "animation_range": "0-100"})


def blender_scene(root):
    (root / "shot.blend").write_bytes(b"BLENDER")
    return SceneDescription(
        2007, "Blender", "4.5", scene_file=str(root / "shot.blend"), project_dir=str(root), renderer="cycles",
        renderer_version="4.5.4", frames="1-24", cameras=["Camera", "Side"],
        layers=[RenderLayer("ViewLayer", True, ["Camera"])], output_dir="/proj/out", output_prefix="shot_",
        image_format="png",
        extra={"renderer": {"name": "CYCLES", "samples": 64, "device": "GPU", "film_transparent": False},
               "blender": {"scene": "Scene", "resolution_x": 3840, "resolution_y": 2160, "resolution_percentage": 50,
                           "output_path": "/proj/out/shot_", "file_format": "PNG", "camera": "Camera"}})
