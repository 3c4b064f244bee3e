"""The benchmarks' own task maker follows the farm's task file format (a drift would make them measure refusals)."""

import sys
import time
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def test_the_benchmarks_tasks_are_accepted_and_render(farm, farm_client, monkeypatch):
    from renderbus_dcc.transfer.localfarm import LocalFarmTransfer

    monkeypatch.syspath_prepend(str(BENCHMARKS))
    sys.modules.pop("farm_tasks", None)
    from farm_tasks import submit_maya

    task_id = submit_maya(farm_client, LocalFarmTransfer(farm_client), "1-20")
    deadline = time.monotonic() + 60
    while True:  # the farm's analysis ends, then its frames are made
        info = farm_client.query_task_info([task_id]).items[0]
        frames = sum(child.total_frames for child in info.children)
        if frames or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert frames == 20
