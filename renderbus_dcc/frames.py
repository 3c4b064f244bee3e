"""Frame specs: read what artists type, write the compact and the farm's forms.

Read (``parse_frames``), every part separated by commas, spaces allowed anywhere between
numbers and signs:

- ``7``: one frame; ``-5``: a negative frame
- ``1-100``: a range, both ends included; ``-5--1`` and ``-10-10`` for negative ends
- ``1-100x2``, ``1-100:2``, ``1-100[2]``: a range with a step (the last is the farm's own form)

Written:

- ``format_frames``: the compact human form, ``1-10,12,20-30x2``.
- ``to_farm_frames``: the farm's form. A set that is one arithmetic run becomes
  ``start-end[step]`` (one frame ``5`` is ``5-5[1]``), which the farm also splits into the
  ``start``/``end``/``by_frame`` of task.json. Any other set is a comma list whose runs are
  ``start-end[step]`` and whose lone frames are plain numbers: ``1,5,10-20[1]``.
  ``parse_frames`` reads back everything both writers produce.

A bad spec raises :class:`~renderbus_dcc.errors.FrameSpecError` quoting the spec and
pointing at the bad part and its position (0-based character offset).
"""

import re
from typing import Iterable, List, Sequence, Set, Tuple, Union

from renderbus_dcc.errors import FrameSpecError
from renderbus_dcc.i18n import _

__all__ = ["MAX_FRAMES", "parse_frames", "format_frames", "to_farm_frames", "frame_runs"]

#: More frames than this in one spec is certainly a typo (``1-1000000000``): refused.
MAX_FRAMES = 1_000_000

_PART = re.compile(
    r"""^\s*(?P<start>-?\s*\d+)\s*
    (?:-\s*(?P<end>-?\s*\d+)\s*
       (?:(?:[xX:]\s*(?P<step>-?\s*\d+)|\[\s*(?P<bstep>-?\s*\d+)\s*\])\s*)?
    )?$""",
    re.VERBOSE,
)


def _int(text: str) -> int:
    return int(text.replace(" ", "").replace("\t", ""))


def _bad(spec: str, message: str) -> FrameSpecError:
    return FrameSpecError(_('frame spec "%(spec)s": %(problem)s') % {"spec": spec, "problem": message})


def parse_frames(spec: Union[str, int, Iterable[int]]) -> List[int]:
    """The frames of ``spec`` as a sorted list without duplicates.

    ``spec`` is a frame spec string (see the module doc); an int or a list of ints is
    accepted too, for callers that already hold frames. Raises FrameSpecError.
    """
    if isinstance(spec, bool):
        raise _bad(str(spec), _("not a frame spec"))
    if isinstance(spec, int):
        return [spec]
    if not isinstance(spec, str):
        frames = sorted(set(int(f) for f in spec))
        if not frames:
            raise _bad("", _("no frames given"))
        return frames
    if not spec.strip():
        raise FrameSpecError(_('frame spec "%s" is empty') % spec)
    found: Set[int] = set()
    offset = 0
    for part in spec.split(","):
        position = offset + (len(part) - len(part.lstrip()))
        offset += len(part) + 1
        text = part.strip()
        if not text:
            raise _bad(spec, _("empty part at position %d (two commas, or a comma at an end?)") % position)
        match = _PART.match(part)
        if match is None:
            raise _bad(spec, _('bad part "%(part)s" at position %(position)d') % {"part": text, "position": position})
        start = _int(match.group("start"))
        end_text = match.group("end")
        end = _int(end_text) if end_text is not None else start
        step_text = match.group("step") or match.group("bstep")
        step = _int(step_text) if step_text is not None else 1
        if step <= 0:
            raise _bad(spec, _('step %(step)d in "%(part)s" at position %(position)d must be 1 or more') % {"step": step, "part": text, "position": position})
        if end < start:
            raise _bad(
                spec,
                _('reversed range "%(part)s" at position %(position)d: %(start)d comes after %(end)d (write %(end)d-%(start)d)')
                % {"part": text, "position": position, "start": start, "end": end},
            )
        if (end - start) // step + 1 + len(found) > MAX_FRAMES:
            raise _bad(spec, _('more than %(max)d frames (part "%(part)s" at position %(position)d)') % {"max": MAX_FRAMES, "part": text, "position": position})
        found.update(range(start, end + 1, step))
    return sorted(found)


def frame_runs(frames: Iterable[int]) -> List[Tuple[int, int, int]]:
    """Split frames into arithmetic runs ``(start, end, step)``, greedily from the first.

    A run of two frames is kept only when they are consecutive (step 1); otherwise lone
    frames come out as ``(f, f, 1)``.
    """
    values: Sequence[int] = sorted(set(int(f) for f in frames))
    runs: List[Tuple[int, int, int]] = []
    i, n = 0, len(values)
    while i < n:
        if i + 1 < n:
            step = values[i + 1] - values[i]
            j = i + 1
            while j + 1 < n and values[j + 1] - values[j] == step:
                j += 1
            if j - i >= 2 or step == 1:
                runs.append((values[i], values[j], step))
                i = j + 1
                continue
        runs.append((values[i], values[i], 1))
        i += 1
    return runs


def format_frames(frames: Union[str, int, Iterable[int]]) -> str:
    """The compact human form: ``1-10,12,20-30x2`` (a spec string is parsed first)."""
    parts = []
    for start, end, step in frame_runs(parse_frames(frames)):
        if start == end:
            parts.append(str(start))
        elif step == 1:
            parts.append("%d-%d" % (start, end))
        else:
            parts.append("%d-%dx%d" % (start, end, step))
    return ",".join(parts)


def to_farm_frames(spec_or_frames: Union[str, int, Iterable[int]]) -> str:
    """The farm's form: ``1-10[1]``, ``1-9[2]``, or a list like ``1,5,10-20[1]``."""
    frames = parse_frames(spec_or_frames)
    steps = {b - a for a, b in zip(frames, frames[1:])}
    if len(steps) <= 1:  # one arithmetic run (or one frame)
        return "%d-%d[%d]" % (frames[0], frames[-1], steps.pop() if steps else 1)
    runs = frame_runs(frames)
    return ",".join(str(s) if s == e else "%d-%d[%d]" % (s, e, st) for s, e, st in runs)
