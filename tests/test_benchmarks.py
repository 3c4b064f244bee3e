"""The benchmarks keep running: each starts (`--help`), the upload and resubmission ones run small, and
their task maker follows the farm's task file format (a drift would make them measure refusals)."""

import sys
import time
from pathlib import Path

import pytest

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


BENCHES = sorted(p.name for p in BENCHMARKS.glob("bench_*.py"))


def _run(name, *args, timeout=120):
    import subprocess

    return subprocess.run([sys.executable, str(BENCHMARKS / name)] + list(args), capture_output=True, text=True,
                          timeout=timeout, cwd=str(BENCHMARKS.parent))


@pytest.mark.parametrize("name", BENCHES)
def test_every_benchmark_starts_and_says_how_to_run_it(name):
    """Rot in a benchmark's imports or arguments shows here (``--help`` runs nothing long)."""
    done = _run(name, "--help", timeout=60)
    assert done.returncode == 0 and "usage:" in done.stdout, done.stderr[-2000:]


def test_the_upload_and_resubmission_benchmarks_run_small(tmp_path):
    """Their whole path (farm, transfers, submission) at a tiny size; figures printed, not judged,
    except the requests of an unchanged resubmission (issue 17: at most 50)."""
    import re

    upload = _run("bench_upload.py", "--files", "20", "--size-kb", "4", "--big-mb", "1")
    assert upload.returncode == 0, upload.stderr[-2000:]
    assert "20 files of 4 KB, first upload" in upload.stdout and "upload / bare" in upload.stdout
    resubmit = _run("bench_resubmit.py", "--files", "60", "--mb", "2", "--udims", "2", "--sequences", "1",
                    "--again", "1", timeout=240)
    assert resubmit.returncode == 0, resubmit.stderr[-2000:]
    again = re.search(r"again, nothing changed \(md5 cache warm\)\s+\S+ s\s+(\d+) requests", resubmit.stdout)
    assert again and int(again.group(1)) <= 50, resubmit.stdout
