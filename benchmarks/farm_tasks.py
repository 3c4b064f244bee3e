"""Tasks for the benchmarks, straight through the API: task files uploaded, submitted (no scene analysis)."""

import json
from typing import Any

SCENE = "/D/show/big.ma"


def submit_maya(client: Any, transfer: Any, frames: str) -> int:
    """A one-layer Maya task of ``frames`` (e.g. "1-100000[1]"); the scene file is uploaded once."""
    task_id = client.create_task(count=1).task_ids[0]
    task = {"task_info": {"task_id": str(task_id), "cg_id": "2000", "input_cg_file": "D:/show/big.ma", "tiles": "1"},
            "software_config": {"cg_name": "Maya", "cg_version": "2024", "plugins": {}},
            "scene_info_render": {"masterLayer": {"renderable": "1", "common": {"frames": frames}}}}
    bid = client.get_transfer_bid()
    if not transfer.status([SCENE], bid.input_bid).get(SCENE, {}).get("complete"):
        transfer.upload_bytes({SCENE: b"//Maya ASCII 2024 scene\n"}, bid.input_bid)
    transfer.upload_bytes({"/%d/cfg/task.json" % task_id: json.dumps(task).encode(),
                           "/%d/cfg/upload.json" % task_id: json.dumps({"scene": [{"server": SCENE}], "asset": []}).encode()},
                          bid.config_bid)
    client.submit_task(task_id)
    return task_id
