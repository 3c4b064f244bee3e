"""The life's pure functions: task.json to a plan, frame fates, playing frames forward."""

import pytest

from renderbus_dcc.farm.life import FrameState, frame_fate, run_frames, task_plan

from .helpers import max_task, maya_task


def test_plans_from_task_json():
    plan = task_plan(max_task("1-5[1]", tiles=4))
    assert [(c.task_type, c.frames) for c in plan.children] == [("RenderPhoton", [1]), ("Render", [1, 2, 3, 4, 5])]
    assert plan.scene_name == "room.max" and plan.tiles == 4 and (plan.width, plan.height) == (2000, 1400)
    assert [c.task_type for c in task_plan(max_task(renderer="corona")).children] == ["Render"]
    maya = task_plan(maya_task("1-9[2]", layers=("a", "b")))
    assert [(c.layer_name, c.frames) for c in maya.children] == [("a", [1, 3, 5, 7, 9]), ("b", [1, 3, 5, 7, 9])]
    blender = max_task("1,5,10-12")
    blender["task_info"]["cg_id"] = "2007"
    blender["scene_info_render"]["renderer"] = {"name": "cycles"}
    assert task_plan(blender).children[0].frames == [1, 5, 10, 11, 12]
    for broken in ({}, {"task_info": {}}, {"task_info": {"tiles": "0"}, "scene_info_render": {"common": {"frames": "1"}}},
                   {"task_info": {}, "scene_info_render": {"common": {}}}):
        with pytest.raises(ValueError):
            task_plan(broken)


def test_frame_fates_are_repeatable():
    assert frame_fate(1, 10, 0, 5, 1, 0.5) == frame_fate(1, 10, 0, 5, 1, 0.5)
    assert frame_fate(1, 10, 0, 5, 1, 0.5) != frame_fate(1, 10, 1, 5, 1, 0.5)
    assert not frame_fate(1, 10, 0, 5, 1, 0.0)[1] and frame_fate(1, 10, 0, 5, 1, 1.0)[1]


def test_nodes_take_frames_in_order_and_the_photon_pass_goes_first():
    frames = [FrameState(1, 0, 0, 1, 2)] + [FrameState(i, 1, i, 7, 5) for i in range(2, 8)]
    fate = lambda f: (10.0, False)  # noqa: E731
    changed, over, nxt = run_frames(frames, 0.0, 5.0, fate, lambda t: int(t * 1000), nodes=2)
    assert [f.status for f in frames] == [2, 7, 7, 7, 7, 7, 7] and over is None and nxt == 10.0
    changed, over, nxt = run_frames(frames, 5.0, 20.0, fate, lambda t: int(t * 1000), nodes=2)
    assert [f.status for f in frames] == [4, 4, 4, 2, 2, 1, 1]
    assert frames[1].start_ms == 10_000 and frames[1].end_ms == 20_000 and frames[1].execute_time == 10
    changed, over, nxt = run_frames(frames, 20.0, 100.0, fate, lambda t: int(t * 1000), nodes=2)
    assert {f.status for f in frames} == {4} and over == 40.0 and nxt is None
