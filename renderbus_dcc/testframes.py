"""Test frames: the frames the farm renders first, written as the official SDK documents them.

``task_info.pre_frames`` is ``"FML:custom"``: three flags (first, middle, last frame of the
range), then an optional frame spec of other frames: ``"000"`` none, ``"101"`` the first and the
last, ``"101:5-7[1]"`` the first, the last and 5 to 7, ``"000:1,3-4[1]"`` frames 1, 3 and 4 only.
``task_info.stop_after_test`` is ``"1"`` to pause the task once those frames are done (the user
starts it again after a look at them), ``"2"`` to carry on with the rest.

What artists type (the submitters, ``renderbus submit --test-frames``) is a comma list of the
words ``first``, ``middle``, ``last`` and frame specs: ``first,middle,last``, ``first,last,50``,
``1,10-12``. Pure functions, no I/O.
"""

import re
from typing import List, Sequence, Tuple

from renderbus_dcc.errors import FrameSpecError
from renderbus_dcc.i18n import _

__all__ = ["NONE", "STOP_AFTER_TEST", "CARRY_ON", "WORDS", "pre_frames_value", "parse_pre_frames",
           "frames_first", "describe_pre_frames", "stop_after_test_value"]

#: ``pre_frames`` when no frame is rendered first.
NONE = "000"
#: ``stop_after_test`` values.
STOP_AFTER_TEST = "1"
CARRY_ON = "2"
#: The words of the three flags, in flag order.
WORDS = ("first", "middle", "last")

_FLAGS = re.compile(r"^[01]{3}$")


def pre_frames_value(text: str) -> str:
    """``pre_frames`` for what an artist typed (``""`` -> ``"000"``); FrameSpecError names the bad part."""
    from renderbus_dcc.frames import parse_frames, to_farm_frames

    text = (text or "").strip()
    if not text:
        return NONE
    if _FLAGS.match(text.split(":", 1)[0]):  # already the farm's form
        parse_pre_frames(text)
        return text
    flags = [0, 0, 0]
    custom: List[str] = []
    for part in text.split(","):
        word = part.strip().lower()
        if word in WORDS:
            flags[WORDS.index(word)] = 1
        elif word:
            custom.append(part.strip())
        else:
            raise FrameSpecError(_('test frames "%s": an empty part (two commas, or a comma at an end?)') % text,
                                 hint=_("write first, middle, last or frame numbers, separated by commas"))
    out = "".join(str(f) for f in flags)
    if custom:
        try:
            out += ":" + to_farm_frames(",".join(custom))
        except FrameSpecError as exc:
            raise FrameSpecError(_('test frames "%(text)s": %(why)s') % {"text": text, "why": exc},
                                 hint=_("write first, middle, last or frame numbers, separated by commas")) from None
        parse_frames(out.split(":", 1)[1])
    return out


def parse_pre_frames(value: str) -> Tuple[Tuple[bool, bool, bool], List[int]]:
    """``"101:5-7[1]"`` -> ((True, False, True), [5, 6, 7]); FrameSpecError when it is not that form."""
    from renderbus_dcc.frames import parse_frames

    text = str(value or "").strip() or NONE
    head, _sep, tail = text.partition(":")
    if not _FLAGS.match(head):
        raise FrameSpecError(_('pre_frames "%s" does not start with three 0/1 flags (first, middle, last)') % text)
    custom = parse_frames(tail) if tail.strip() else []
    return (head[0] == "1", head[1] == "1", head[2] == "1"), custom


def frames_first(pre_frames: str, frames: Sequence[int]) -> List[int]:
    """The frames of ``frames`` (one layer's, in order) that ``pre_frames`` asks for first.

    A custom frame outside ``frames`` is left out; the middle frame of an even count is the
    one before the middle.
    """
    ordered = sorted(set(int(f) for f in frames))
    if not ordered:
        return []
    (first, middle, last), custom = parse_pre_frames(pre_frames)
    chosen = set(f for f in custom if f in set(ordered))
    if first:
        chosen.add(ordered[0])
    if middle:
        chosen.add(ordered[(len(ordered) - 1) // 2])
    if last:
        chosen.add(ordered[-1])
    return sorted(chosen)


def describe_pre_frames(pre_frames: str) -> str:
    """What the artist typed, back from ``pre_frames``: ``first, last, 5-7`` ("" for none)."""
    from renderbus_dcc.frames import format_frames

    try:
        flags, custom = parse_pre_frames(pre_frames)
    except FrameSpecError:
        return ""
    parts = [word for word, on in zip(WORDS, flags) if on]
    if custom:
        parts.append(format_frames(custom))
    return ",".join(parts)


def stop_after_test_value(stop: bool) -> str:
    """``stop_after_test``: "1" pause after the test frames, "2" carry on."""
    return STOP_AFTER_TEST if stop else CARRY_ON
