"""Submitting a production-size scene, then submitting it again with nothing changed.

    python benchmarks/bench_resubmit.py [--files 20000] [--mb 2048] [--udims 500] [--sequences 200] [--again 3]

Builds a Maya scene description naming ``--files`` real files (``--mb`` in all, textures over
40 folders, UDIM sets of 10 tiles, frame sequences of 20 frames), runs the local farm in its
own process (as the service is elsewhere), then times ``submit()`` (prepare, checks, task files,
upload, submitTask) twice: the first submission (everything uploaded) and the second with
nothing changed and the md5 cache warm (only what changed would be sent: nothing), ``--again``
times (each a new task; their median is printed too). Prints the wall time from ``submit()`` to
submitted, the HTTP requests each made, and the CPU time the client process and the farm's
process spent on it (what the machine's other load does not change much).
"""

import argparse
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any, List

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from farm_process import cpu_seconds, farm_process, isolated_home  # noqa: E402


def build(root: Path, files: int, total_mb: int, udims: int, sequences: int) -> Any:
    """A scene naming ``files`` files on disk; returns the SceneDescription."""
    from renderbus_dcc.examples import example_scene
    from renderbus_dcc.scene import Asset

    size = max(1, (total_mb << 20) // files)
    block = os.urandom(size)
    assets: List[Any] = []
    (root / "scenes").mkdir(parents=True)
    scene_file = root / "scenes" / "shot010_lighting.ma"
    scene_file.write_bytes(b"//Maya ASCII 2024 scene\n" * 40000)
    made = 0

    def write(path: Path, n: int) -> None:
        path.write_bytes(n.to_bytes(8, "little") + block[8:])  # every file different

    for s in range(udims):
        folder = root / "sourceimages" / ("udim%02d" % (s % 20))
        folder.mkdir(parents=True, exist_ok=True)
        for tile in range(10):
            write(folder / ("asset%03d_diffuse.%d.exr" % (s, 1001 + tile)), made)
            made += 1
        assets.append(Asset("sourceimages/udim%02d/asset%03d_diffuse.<UDIM>.exr" % (s % 20, s), "udim%d.fileTextureName" % s))
    for q in range(sequences):
        folder = root / "cache" / ("seq%03d" % q)
        folder.mkdir(parents=True)
        for frame in range(1, 21):
            write(folder / ("fx.%04d.exr" % frame), made)
            made += 1
        assets.append(Asset("cache/seq%03d/fx.####.exr" % q, "seq%d.file" % q, "cache"))
    i = 0
    while made < files:
        folder = root / "sourceimages" / ("set%02d" % (i % 40))
        folder.mkdir(parents=True, exist_ok=True)
        name = "tex_%05d.png" % i
        write(folder / name, made)
        assets.append(Asset("sourceimages/set%02d/%s" % (i % 40, name), "file%d.fileTextureName" % i))
        made += 1
        i += 1
    scene = example_scene()  # its layers, cameras, renderer and plugins; this scene's file and assets
    scene.scene_file, scene.project_dir, scene.assets = str(scene_file), str(root), assets
    return scene


def counted(client: Any) -> List[int]:
    """Count the client's HTTP requests (every API call and transfer goes through ``request``)."""
    count = [0]
    original = client.request

    def request(*args: Any, **kw: Any) -> Any:
        count[0] += 1
        return original(*args, **kw)

    client.request = request
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20000)
    parser.add_argument("--mb", type=int, default=2048)
    parser.add_argument("--udims", type=int, default=500)
    parser.add_argument("--sequences", type=int, default=200)
    parser.add_argument("--again", type=int, default=3, help="unchanged submissions after the first (median printed)")
    args = parser.parse_args()

    home = isolated_home("rb_bench_resubmit_")
    print("load average at start: %s" % " ".join("%.2f" % x for x in os.getloadavg()))
    started = time.perf_counter()
    scene = build(home / "project", args.files, args.mb, args.udims, args.sequences)
    print("scene: %d assets naming %d files, %d MB, made in %.1f s"
          % (len(scene.assets), args.files, args.mb, time.perf_counter() - started))

    try:
        with farm_process(str(home / "farm"), 1.0) as (url, access_id, access_key, pid):
            run(scene, url, access_id, access_key, args.again, pid)
    finally:
        shutil.rmtree(str(home), ignore_errors=True)
    print("load average at end: %s" % " ".join("%.2f" % x for x in os.getloadavg()))
    return 0


def run(scene: Any, url: str, access_id: str, access_key: str, times: int, farm_pid: int) -> None:
    """The first submission, then ``times`` unchanged ones, each printed; their median last."""
    from renderbus_dcc.client import RenderbusClient
    from renderbus_dcc.submission import SubmitOptions, submit

    again: List[float] = []
    for label in ["first submission (everything uploaded)"] + ["again, nothing changed (md5 cache warm)"] * times:
        client = RenderbusClient(access_id, access_key, endpoint=url, platform=2, timeout=300.0)
        count = counted(client)
        start, cpu, farm_cpu = time.perf_counter(), time.process_time(), cpu_seconds(farm_pid)
        result = submit(scene, client, SubmitOptions(), confirm=lambda report: True)
        elapsed = time.perf_counter() - start
        print("%-42s %7.2f s  %5d requests  task %s, %d files, %.0f MB; CPU: client %.2f s, farm %.2f s"
              % (label, elapsed, count[0], result.task_id, result.files, result.bytes / 1048576.0,
                 time.process_time() - cpu, cpu_seconds(farm_pid) - farm_cpu))
        client.close()
        if label.startswith("again"):
            again.append(elapsed)
    if again:
        print("again, nothing changed: median %.2f s of %d" % (sorted(again)[len(again) // 2], len(again)))


if __name__ == "__main__":
    sys.exit(main())
