"""The Monitor's frame list: 10,000 frames cost the pages fetched, not 10,000 rows of data.

A task's frames belong to its rendering (child) tasks; :class:`FrameModel` lays the children's
frames one after the other (:func:`segments`) and fills only the pages of them fetched so far
(``queryTaskFrames``, :data:`PAGE` frames a page). The model is Qt's own item model: the view
paints without calling into Python (a Python ``data()`` is called a dozen times a cell per
paint, each taking the interpreter lock, which a busy worker thread holds for up to the switch
interval). The window asks :meth:`FrameModel.missing` which pages the rows on screen still lack
and fetches them with its next round (:func:`page_keys`). Pure helpers (segments, page keys) are
tested without Qt.
"""

from typing import Any, Dict, List, Optional, Sequence, Tuple

from renderbus_dcc.ui.qt import QtCore, QtGui

__all__ = ["PAGE", "Segment", "FrameRow", "segments", "page_keys", "FrameModel"]

#: Frames fetched per request.
PAGE = 100

#: One child task's frames in the list: (child task id, first row, how many frames).
Segment = Tuple[int, int, int]
#: A page of a child task's frames: (child task id, page number from 1).
PageKey = Tuple[int, int]
#: A frame's row: ((child task id, frame id), cell texts).
FrameRow = Tuple[Tuple[int, int], Tuple[str, ...]]

#: Shown in the first cell of a row on screen whose page is on its way.
PENDING = "…"
#: Rows written per event-loop turn: a new page of 100 rows is written over a few turns, the UI
#: answering in between.
ROWS_A_TURN = 25


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


class FrameModel(QtGui.QStandardItemModel):
    """The selected task's frames: a row for each, cells only for the pages fetched."""

    def __init__(self, columns: Sequence[str], parent: Optional[QtCore.QObject] = None) -> None:
        super().__init__(0, len(columns), parent)
        self.setHorizontalHeaderLabels(list(columns))
        self.task_id: Optional[int] = None
        self._segments: List[Segment] = []
        self._pages: Dict[PageKey, Sequence[FrameRow]] = {}
        self._queue: Dict[int, Tuple[Optional[Tuple[str, ...]], Tuple[str, ...]]] = {}  # row -> (shown, to show)
        self._writer = QtCore.QTimer(self)
        self._writer.setSingleShot(True)
        self._writer.setInterval(0)
        self._writer.timeout.connect(self._write_some)
        self.cells_set = 0  #: cells written so far (tests bound the work a round costs)

    # what the window tells it -------------------------------------------------------------
    def show_task(self, task_id: Optional[int]) -> None:
        """Another task: no rows until its first round."""
        if task_id == self.task_id:
            return
        self.task_id = task_id
        self._lay_out([])

    def update(self, task_id: Optional[int], segs: List[Segment], pages: Dict[PageKey, Sequence[FrameRow]]) -> None:
        """A round's news: the frames' layout and the pages fetched (rows made on the worker; pages
        not fetched this round are kept). Only the cells whose text changed are written."""
        if task_id != self.task_id:
            self.show_task(task_id)
        if segs != self._segments:
            self._lay_out(segs)
        starts = {s[0]: s[1] for s in segs}
        for key, rows in pages.items():
            old = self._pages.get(key)
            if key[0] not in starts or old == rows:
                continue
            self._pages[key] = rows
            self._fill(starts[key[0]] + (key[1] - 1) * PAGE, old, rows)

    def missing(self, first_row: int, last_row: int) -> List[PageKey]:
        """The pages of rows ``first_row``..``last_row`` not fetched yet; their rows show "…" meanwhile."""
        wanted = [k for k in page_keys(self._segments, first_row, last_row) if k not in self._pages]
        if wanted:
            last_row = min(last_row, self.rowCount() - 1)
            for row in range(max(0, first_row), last_row + 1):
                found = self._locate(row)
                if found is not None and found[0] in wanted:
                    self._write(row, 0, PENDING)
        return wanted

    def _lay_out(self, segs: List[Segment]) -> None:
        self._segments, self._pages, self._queue = list(segs), {}, {}
        self.setRowCount(0)  # (empty slots for the rows: no item is made until a page fills it)
        self.setRowCount(sum(s[2] for s in segs))

    def _fill(self, first: int, old: Optional[Sequence[FrameRow]], rows: Sequence[FrameRow]) -> None:
        """Queue the rows of a page that differ from what is shown (written a few rows a turn)."""
        for offset, (_key, texts) in enumerate(rows):
            before = old[offset][1] if old is not None and offset < len(old) else None
            if before != texts:
                queued = self._queue.get(first + offset)
                self._queue[first + offset] = (queued[0] if queued is not None else before, texts)
        if self._queue:
            self._writer.start()

    @property
    def writing(self) -> bool:
        """True while rows wait to be written."""
        return bool(self._queue)

    def _write_some(self) -> None:
        """Write up to ROWS_A_TURN queued rows: a new row whole, a known one the cells that changed;
        then tell the view which cells to repaint (one dataChanged a run of new rows, one a cell)."""
        runs: List[List[int]] = []
        cells: List[Tuple[int, int]] = []
        self.blockSignals(True)
        try:
            for row in sorted(self._queue)[:ROWS_A_TURN]:
                before, after = self._queue.pop(row)
                for col, text in enumerate(after):
                    if before is None or col >= len(before) or before[col] != text:
                        self._write(row, col, text)
                        if before is not None:
                            cells.append((row, col))
                if before is None:
                    if runs and runs[-1][1] == row - 1:
                        runs[-1][1] = row
                    else:
                        runs.append([row, row])
        finally:
            self.blockSignals(False)
        last = self.columnCount() - 1
        for top, bottom in runs:
            self.dataChanged.emit(self.index(top, 0), self.index(bottom, last), [])
        for row, col in cells:
            self.dataChanged.emit(self.index(row, col), self.index(row, col), [])
        if self._queue:
            self._writer.start()

    def _write(self, row: int, col: int, text: str) -> None:
        self.setData(self.index(row, col), text)
        self.cells_set += 1

    # what the window asks ---------------------------------------------------------------------
    @property
    def segments(self) -> List[Segment]:
        return list(self._segments)

    def _locate(self, row: int) -> Optional[Tuple[PageKey, int]]:
        for task_id, start, count in self._segments:
            if start <= row < start + count:
                return (task_id, (row - start) // PAGE + 1), (row - start) % PAGE
        return None

    def key(self, row: int) -> Optional[Tuple[int, int]]:
        """(child task id, frame id) of a row, None while its page is not fetched."""
        found = self._locate(row)
        if found is None:
            return None
        rows = self._pages.get(found[0])
        return rows[found[1]][0] if rows is not None and found[1] < len(rows) else None

    def row_of(self, key: Tuple[int, int]) -> Optional[int]:
        """The row of a frame (task id, frame id) among the pages fetched."""
        starts = {s[0]: s[1] for s in self._segments}
        for (task_id, number), rows in self._pages.items():
            for offset, (k, _) in enumerate(rows):
                if k == key:
                    return starts.get(task_id, 0) + (number - 1) * PAGE + offset
        return None
