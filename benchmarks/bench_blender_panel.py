"""How long Blender's Renderbus panels take to draw with 200 tasks in the Tasks list (real bpy, 4.5).

    python benchmarks/bench_blender_panel.py [--tasks 200] [--draws 200]

In the real ``bpy`` module, with the add-on enabled, the task list is filled the way a monitor
round fills it (``jobs._show_tasks`` from 200 snapshots, one task of 10,000 frames), then the
Tasks panel's ``draw`` and the main panel's ``draw`` run ``--draws`` times each, and so does
the list's ``draw_item`` for the rows a list of ``rows=4`` shows (Blender draws only those).
The bpy module has no window, so the layout is a stand-in that takes every call and does
nothing: the figures are the add-on's own Python (reading properties and settings, building
texts), not Blender's drawing of the widgets. Also timed: filling the list (the main-thread
work a monitor round costs).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, List

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


class Layout:
    """Takes any UILayout call and attribute; returns itself (or an operator's properties)."""

    def __getattr__(self, name: str) -> Any:
        return self

    def __setattr__(self, name: str, value: Any) -> None:
        pass

    def __call__(self, *args: Any, **kwargs: Any) -> "Layout":
        return self


def timed(fn: Any, count: int) -> List[float]:
    out = []
    for _ in range(count):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000.0)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--draws", type=int, default=200)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="rb_bench_panel_"))
    os.environ.update(RENDERBUS_CONFIG_DIR=str(home / "config"), RENDERBUS_DATA_DIR=str(home / "data"),
                      RENDERBUS_KEYRING="0")

    import bpy
    import addon_utils

    sys.path.insert(0, str(ROOT / "blender"))
    module = addon_utils.enable("renderbus_blender", default_set=True)
    from renderbus_dcc.constants import TaskStatus
    from renderbus_dcc.monitor import TaskSnapshot

    jobs, panels = module.jobs, module.panels
    state = bpy.context.window_manager.renderbus
    snaps = [TaskSnapshot(task_id=19000 + i, alias="2W%d" % (19000 + i), scene_name="shot%03d_lighting.blend" % i,
                          status=TaskStatus.RENDERING if i == 0 else TaskStatus.STOP,
                          percent=12.5 if i == 0 else 40.0, frames_total=10000 if i == 0 else 100,
                          frames_done=1250 if i == 0 else 40, frames_running=20 if i == 0 else 0)
             for i in range(args.tasks)]
    fill = timed(lambda: jobs._show_tasks(state, snaps, replace=True), 20)
    update = timed(lambda: jobs._show_tasks(state, snaps, replace=False), 20)
    state["task_index"] = 0

    def draw(panel: Any) -> None:
        members = {k: v for k, v in vars(panel).items() if isinstance(v, staticmethod)}
        fake = type("Drawing", (), dict(members, layout=Layout()))()
        panel.draw(fake, bpy.context)

    def draw_tasks() -> None:
        draw(panels.RENDER_PT_renderbus_tasks)
        for index in range(min(5, len(state.tasks))):  # the rows Blender draws (rows=4, and one more)
            panels.RENDERBUS_UL_tasks.draw_item(None, bpy.context, Layout(), state, state.tasks[index], 0, state,
                                                "task_index", index)

    tasks = timed(draw_tasks, args.draws)
    main_panel = timed(lambda: draw(panels.RENDER_PT_renderbus), args.draws)
    print("bpy %s; %d tasks in the list (one of 10,000 frames)" % (".".join(map(str, bpy.app.version)), len(state.tasks)))
    for name, values in (("Tasks panel draw (+5 list rows)", tasks), ("main panel draw", main_panel),
                         ("fill the list (200 snapshots)", fill), ("update the list (a round)", update)):
        ordered = sorted(values)
        print("%-34s median %6.2f ms   p95 %6.2f ms   max %6.2f ms"
              % (name, statistics.median(values), ordered[int(0.95 * (len(ordered) - 1))], ordered[-1]))
    jobs.shutdown()
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # (bpy can hang on exit)
