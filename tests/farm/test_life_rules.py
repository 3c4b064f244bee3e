"""The life's pure functions: task.json to a plan, frame fates, playing frames forward."""

import pytest

from renderbus_dcc.farm.life import FrameState, frame_fate, queue_key, run_frames, task_plan

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


def _play(frames, sim, now, fate, nodes):
    """What the farm does around run_frames: waiting frames in queue order, the photon gate, release."""
    while True:
        gated = sum(1 for f in frames if f.status == 7)
        photon_left = sum(1 for f in frames if f.frame_type == 2 and f.status in (1, 2, 7))
        if gated and not photon_left:
            for f in frames:
                f.status = 1 if f.status == 7 else f.status
            gated = 0
        running = [f for f in frames if f.status == 2]
        waiting = iter(sorted((f for f in frames if f.status == 1), key=queue_key))
        played = run_frames(running, waiting, sim, now, fate, lambda t: int(t * 1000), nodes, photon_left, gated)
        if played.release_at is None:
            return played
        for f in frames:
            f.status = 1 if f.status == 7 else f.status
        sim = played.release_at


def test_nodes_take_frames_in_order_and_the_photon_pass_goes_first():
    frames = [FrameState(1, 0, 0, 1, 2)] + [FrameState(i, 1, i, 7, 5) for i in range(2, 8)]
    fate = lambda f: (10.0, False)  # noqa: E731
    played = _play(frames, 0.0, 5.0, fate, nodes=2)
    assert [f.status for f in frames] == [2, 7, 7, 7, 7, 7, 7] and played.over is None and played.next_event == 10.0
    played = _play(frames, 5.0, 20.0, fate, nodes=2)
    assert [f.status for f in frames] == [4, 4, 4, 2, 2, 1, 1]
    assert frames[1].start_ms == 10_000 and frames[1].end_ms == 20_000 and frames[1].execute_time == 10
    played = _play(frames, 20.0, 100.0, fate, nodes=2)
    assert {f.status for f in frames} == {4} and played.over == 40.0 and played.next_event is None


def test_playing_reads_only_the_waiting_frames_the_nodes_take():
    """A 100,000-frame task: a play of a short span pulls a few waiting frames, not all of them."""
    pulled = []

    def waiting():
        for i in range(100000):
            f = FrameState(i + 1, 0, i, 1, 5)
            pulled.append(f)
            yield f

    fate = lambda f: (10.0, False)  # noqa: E731
    played = run_frames([], waiting(), 0.0, 25.0, fate, lambda t: int(t * 1000), nodes=4)
    # 4 nodes: frames end at 10 and 20, so 4 + 4 + 4 frames were started; none is over yet
    assert len(pulled) == 12 and played.over is None and played.next_event == 30.0
    assert sum(1 for f in played.changed.values() if f.status == 4) == 8
