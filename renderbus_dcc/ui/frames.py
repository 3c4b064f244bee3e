"""The Monitor's frame list as a model/view: 10,000 frames cost the rows on screen, not 10,000 rows.

A task's frames belong to its rendering (child) tasks; :class:`FrameModel` lays the children's
frames one after the other (:func:`segments`) and holds only the pages of them fetched so far
(``queryTaskFrames``, :data:`PAGE` frames a page). The view asks for rows on screen; a row
not fetched yet shows "…" and asks for its page (:attr:`FrameModel.pages_wanted`), which the
window fetches in a worker with its next round (:func:`page_keys`). Pure helpers (segments,
page keys) are tested without Qt.
"""

from typing import Any, Dict, List, Optional, Sequence, Tuple

from renderbus_dcc.ui import qt
from renderbus_dcc.ui.qt import QtCore, Signal

__all__ = ["PAGE", "Segment", "segments", "page_keys", "FrameModel"]

#: Frames fetched per request.
PAGE = 100

#: One child task's frames in the list: (child task id, first row, how many frames).
Segment = Tuple[int, int, int]
#: A page of a child task's frames: (child task id, page number from 1).
PageKey = Tuple[int, int]

_DISPLAY = qt.enum(QtCore.Qt, "ItemDataRole", "DisplayRole")
_HORIZONTAL = qt.enum(QtCore.Qt, "Orientation", "Horizontal")


def segments(info: Any) -> List[Segment]:
    """The children's frames laid one after the other (a task without children: its own)."""
    children = list(getattr(info, "children", None) or []) or ([info] if info is not None else [])
    out: List[Segment] = []
    row = 0
    for child in children:
        count = int(getattr(child, "total_frames", 0) or 0)
        out.append((int(child.id), row, count))
        row += count
    return out


def page_keys(segs: Sequence[Segment], first_row: int, last_row: int, page: int = PAGE) -> List[PageKey]:
    """The pages that hold rows ``first_row``..``last_row`` (inclusive)."""
    keys: List[PageKey] = []
    for task_id, start, count in segs:
        lo, hi = max(first_row, start), min(last_row, start + count - 1)
        if lo > hi:
            continue
        for number in range((lo - start) // page + 1, (hi - start) // page + 2):
            keys.append((task_id, number))
    return keys


class FrameModel(QtCore.QAbstractTableModel):
    """The selected task's frames: rows for all of them, data for the pages fetched."""

    #: Pages the view showed without data (emitted once per event-loop turn).
    pages_wanted = Signal(object)

    def __init__(self, columns: Sequence[str], parent: Optional[QtCore.QObject] = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self.task_id: Optional[int] = None
        self._segments: List[Segment] = []
        self._total = 0
        self._pages: Dict[PageKey, List[Tuple[Tuple[int, int], List[str]]]] = {}
        self._wanted: Dict[PageKey, None] = {}

    # what the window tells it -------------------------------------------------------------
    def show_task(self, task_id: Optional[int]) -> None:
        """Another task: no rows until its first round."""
        if task_id == self.task_id:
            return
        self.beginResetModel()
        self.task_id, self._segments, self._total, self._pages = task_id, [], 0, {}
        self.endResetModel()

    def update(self, task_id: Optional[int], segs: List[Segment],
               pages: Dict[PageKey, List[Tuple[Tuple[int, int], List[str]]]]) -> None:
        """A round's news: the frames' layout and the pages fetched, each row as ((task id, frame id),
        cell texts) made on the worker (pages not fetched are kept until seen again)."""
        if task_id != self.task_id:
            self.show_task(task_id)
        if segs != self._segments:
            self.beginResetModel()
            self._segments, self._total = list(segs), sum(s[2] for s in segs)
            self._pages = {}
            self.endResetModel()
        starts = {s[0]: s[1] for s in segs}
        for key, rows in pages.items():
            if self._pages.get(key) == rows or key[0] not in starts:
                continue
            self._pages[key] = rows
            self._wanted.pop(key, None)
            first = starts[key[0]] + (key[1] - 1) * PAGE
            if rows:
                self.dataChanged.emit(self.index(first, 0), self.index(first + len(rows) - 1, len(self._columns) - 1), [])

    # what the view asks ---------------------------------------------------------------------
    @property
    def segments(self) -> List[Segment]:
        return list(self._segments)

    def rowCount(self, parent: Any = None) -> int:  # noqa: N802 - Qt's name
        return 0 if parent is not None and parent.isValid() else self._total

    def columnCount(self, parent: Any = None) -> int:  # noqa: N802 - Qt's name
        return 0 if parent is not None and parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Any, role: Any = _DISPLAY) -> Any:  # noqa: N802
        if role == _DISPLAY and orientation == _HORIZONTAL and 0 <= section < len(self._columns):
            return self._columns[section]
        return None

    def _locate(self, row: int) -> Optional[Tuple[PageKey, int]]:
        for task_id, start, count in self._segments:
            if start <= row < start + count:
                return (task_id, (row - start) // PAGE + 1), (row - start) % PAGE
        return None

    def _row(self, row: int, want: bool) -> Optional[Tuple[Tuple[int, int], List[str]]]:
        found = self._locate(row)
        if found is None:
            return None
        key, offset = found
        rows = self._pages.get(key)
        if rows is not None and offset < len(rows):
            return rows[offset]
        if want and key not in self._wanted:
            self._wanted[key] = None
            QtCore.QTimer.singleShot(0, self._emit_wanted)
        return None

    def _emit_wanted(self) -> None:
        if self._wanted:
            self.pages_wanted.emit(list(self._wanted))

    def data(self, index: Any, role: Any = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        if role == _DISPLAY:
            found = self._row(index.row(), want=True)
            if found is None:
                return "…" if index.column() == 0 else ""
            return found[1][index.column()]
        if role == qt.USER_ROLE:
            found = self._row(index.row(), want=False)
            return found[0] if found is not None else None
        return None

    def key(self, row: int) -> Optional[Tuple[int, int]]:
        """(child task id, frame id) of a row, None while its page is not fetched."""
        found = self._row(row, want=False)
        return found[0] if found is not None else None

    def row_of(self, key: Tuple[int, int]) -> Optional[int]:
        """The row of a frame (task id, frame id) among the pages fetched."""
        starts = {s[0]: s[1] for s in self._segments}
        for (task_id, number), rows in self._pages.items():
            for offset, (k, _) in enumerate(rows):
                if k == key:
                    return starts.get(task_id, 0) + (number - 1) * PAGE + offset
        return None
