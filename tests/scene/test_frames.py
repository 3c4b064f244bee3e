"""Frame specs: what artists type, what the farm reads, and the messages for bad specs."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renderbus_dcc.errors import FrameSpecError, RenderbusError
from renderbus_dcc.frames import MAX_FRAMES, format_frames, frame_runs, parse_frames, to_farm_frames


@pytest.mark.parametrize(
    "spec, frames",
    [
        ("1-5", [1, 2, 3, 4, 5]),
        ("7", [7]),
        ("1-10x2", [1, 3, 5, 7, 9]),
        ("1-10X3", [1, 4, 7, 10]),
        ("1-10:2", [1, 3, 5, 7, 9]),
        ("1-10[3]", [1, 4, 7, 10]),
        ("1,5,10-12", [1, 5, 10, 11, 12]),
        ("-5--1", [-5, -4, -3, -2, -1]),
        ("-2-2", [-2, -1, 0, 1, 2]),
        ("-3", [-3]),
        (" 1 - 3 ", [1, 2, 3]),
        (" 1 ,  5 ,10 - 11 x 1", [1, 5, 10, 11]),
        ("\t1-3 [ 1 ]", [1, 2, 3]),
        ("1-10[1],20-24[2]", list(range(1, 11)) + [20, 22, 24]),
        ("5,1,3,1,5", [1, 3, 5]),  # sorted, duplicates removed
        ("1-4,3-6", [1, 2, 3, 4, 5, 6]),
        ("0", [0]),
        ("0010-0012", [10, 11, 12]),
    ],
)
def test_parse(spec, frames):
    assert parse_frames(spec) == frames


def test_parse_accepts_frames_already_parsed():
    assert parse_frames([3, 1, 3]) == [1, 3]
    assert parse_frames(4) == [4]


@pytest.mark.parametrize(
    "spec, words",
    [
        ("1-10,abc", ['bad part "abc" at position 5', '"1-10,abc"']),
        ("10-1", ['reversed range "10-1" at position 0', "write 1-10"]),
        ("1-3, 9-4", ['reversed range "9-4" at position 5', "write 4-9"]),
        ("1-10x0", ['step 0 in "1-10x0"', "1 or more"]),
        ("1-10[0]", ['step 0 in "1-10[0]"', "1 or more"]),
        ("1-10x-2", ["step -2", "1 or more"]),
        ("", ["is empty"]),
        ("   ", ["is empty"]),
        ("1,,2", ["empty part at position 2"]),
        ("1,2,", ["empty part at position 4"]),
        ("1 5", ['bad part "1 5" at position 0']),
        ("1-2-3", ['bad part "1-2-3"']),
        ("1-10x", ['bad part "1-10x"']),
        ("1-", ['bad part "1-"']),
        ("1.5", ['bad part "1.5"']),
        ("1-100000000", ["more than %d frames" % MAX_FRAMES]),
    ],
)
def test_bad_specs_point_at_the_bad_part(spec, words):
    with pytest.raises(FrameSpecError) as info:
        parse_frames(spec)
    text = str(info.value)
    for word in words:
        assert word in text
    assert "write frames like" in text  # the hint says what to write
    assert isinstance(info.value, RenderbusError) and isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "frames, compact, farm",
    [
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "1-10", "1-10[1]"),
        ([1, 3, 5, 7, 9], "1-9x2", "1-9[2]"),
        ([1, 5, 10, 11, 12], "1,5,10-12", "1,5,10-12[1]"),
        ([7], "7", "7-7[1]"),
        ([1, 5], "1,5", "1-5[4]"),
        ([1, 2], "1-2", "1-2[1]"),
        ([-5, -4, -3], "-5--3", "-5--3[1]"),
        (list(range(1, 11)) + [12] + list(range(20, 31, 2)), "1-10,12,20-30x2", "1-10[1],12,20-30[2]"),
    ],
)
def test_format_and_farm_forms(frames, compact, farm):
    assert format_frames(frames) == compact
    assert to_farm_frames(frames) == farm
    assert to_farm_frames(compact) == farm  # a spec string is read first
    assert parse_frames(compact) == frames
    assert parse_frames(farm) == frames


def test_empty_frame_list_is_refused():
    with pytest.raises(FrameSpecError):
        to_farm_frames([])


def test_frame_runs():
    assert frame_runs([1, 2, 3, 7, 9, 11, 20]) == [(1, 3, 1), (7, 11, 2), (20, 20, 1)]


frame_sets = st.lists(st.integers(min_value=-2000, max_value=20000), min_size=1, max_size=60)


@settings(max_examples=300, deadline=None)
@given(frame_sets)
def test_round_trip_compact(frames):
    assert parse_frames(format_frames(frames)) == sorted(set(frames))


@settings(max_examples=300, deadline=None)
@given(frame_sets)
def test_round_trip_farm(frames):
    farm = to_farm_frames(frames)
    assert parse_frames(farm) == sorted(set(frames))
    assert " " not in farm


@settings(max_examples=200, deadline=None)
@given(
    st.integers(-500, 500),
    st.integers(0, 500),
    st.integers(1, 50),
    st.sampled_from(["%d-%dx%d", "%d-%d:%d", "%d-%d[%d]", " %d - %d x %d ", "%d -%d[ %d ]"]),
)
def test_stepped_range_forms_agree(start, length, step, form):
    spec = form % (start, start + length, step)
    assert parse_frames(spec) == list(range(start, start + length + 1, step))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789-,x:[] ab", max_size=20))
def test_any_text_either_parses_or_raises_frame_spec_error(text):
    try:
        frames = parse_frames(text)
    except FrameSpecError as error:
        assert text in str(error)
    else:
        assert frames == sorted(set(frames))
