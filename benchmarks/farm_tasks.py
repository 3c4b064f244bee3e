"""Tasks for the benchmarks, straight through the API: task files uploaded, submitted (no scene analysis).

The task files are written by the package's own writer (``taskfiles.build_task_files``), so they
follow the format the farm checks at submitTask; ``tests/test_benchmarks.py`` keeps that true.
"""

import hashlib
from typing import Any, Dict

SCENE = "/D/show/big.ma"
SCENE_BYTES = b"//Maya ASCII 2024 scene\n"


def task_files(task_id: int, frames: str) -> Dict[str, bytes]:
    """The four task files of a one-layer Maya 2024 / Arnold task of ``frames``, by their path under the config bid."""
    from renderbus_dcc import taskfiles
    from renderbus_dcc.assets import AssetCollection, ResolvedFile
    from renderbus_dcc.scene import PluginUse, RenderLayer, SceneDescription

    scene = SceneDescription(2000, "Maya", "2024", scene_file="D:/show/big.ma", project_dir="D:/show",
                             renderer="arnold", plugins=[PluginUse("mtoa", "5.3.5.2")], frames=frames,
                             cameras=["persp"], layers=[RenderLayer("masterLayer", True, ["persp"])],
                             output_dir="D:/show/images", image_format="exr")
    scene_file = ResolvedFile("D:/show/big.ma", SCENE, len(SCENE_BYTES), "scene", "scene",
                              hashlib.md5(SCENE_BYTES).hexdigest())
    assets = AssetCollection(files=[scene_file], scene_file=scene_file, total_bytes=len(SCENE_BYTES))
    files = taskfiles.build_task_files(scene, assets, task_id=task_id)
    return {taskfiles.cfg_path(task_id, name): taskfiles.encode(data) for name, data in files.items()}


def submit_maya(client: Any, transfer: Any, frames: str) -> int:
    """A one-layer Maya task of ``frames`` (e.g. "1-100000[1]"); the scene file is uploaded once."""
    task_id = client.create_task(count=1).task_ids[0]
    bid = client.get_transfer_bid()
    if not transfer.status([SCENE], bid.input_bid).get(SCENE, {}).get("complete"):
        transfer.upload_bytes({SCENE: SCENE_BYTES}, bid.input_bid)
    transfer.upload_bytes(task_files(task_id, frames), bid.config_bid)
    client.submit_task(task_id)
    return task_id
