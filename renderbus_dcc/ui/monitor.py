"""The Monitor window: the user's tasks, a task's child tasks and frames, the progress image.

A QTimer schedules rounds; each round runs in a worker (task list page, the selected and
followed tasks' info, the pages of the selected task's frames on screen, its progress image)
and the result is shown on the main thread. The frame list is a model/view
(:mod:`renderbus_dcc.ui.frames`): a 10,000-frame task costs the rows on screen. The wait between rounds grows while nothing changes (like
:class:`renderbus_dcc.monitor.TaskMonitor`) and drops back as soon as something moves or the
user acts.
"""

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

from renderbus_dcc.constants import FrameStatus, TaskStatus
from renderbus_dcc.i18n import N_, _, ngettext
from renderbus_dcc.labels import status_label
from renderbus_dcc.monitor import TaskSnapshot, next_interval, snapshot
from renderbus_dcc.ui import qt
from renderbus_dcc.ui.frames import PAGE as FRAME_PAGE_SIZE
from renderbus_dcc.ui.frames import FrameModel, page_keys, segments
from renderbus_dcc.ui.qt import QtCore, QtGui, QtWidgets, Signal
from renderbus_dcc.ui.widgets import AccountLine, BaseWindow, format_duration, format_money, message_line

__all__ = ["MonitorWindow", "STATUS_FILTERS", "RoundResult"]

log = logging.getLogger(__name__)

#: The status filter: label -> status list sent to getTaskList (None = all).
STATUS_FILTERS: List[Tuple[str, Optional[List[int]]]] = [
    (N_("All tasks"), None),
    (N_("Active"), [int(TaskStatus.WAITING), int(TaskStatus.RENDERING), int(TaskStatus.PRE_RENDERING), int(TaskStatus.ANALYSE)]),
    (N_("Rendering"), [int(TaskStatus.RENDERING), int(TaskStatus.PRE_RENDERING)]),
    (N_("Waiting"), [int(TaskStatus.WAITING)]),
    (N_("Stopped"), [int(TaskStatus.STOP), int(TaskStatus.ARREARAGE_STOP), int(TaskStatus.TIME_OUT_STOP)]),
    (N_("Finished"), [int(TaskStatus.FINISHED), int(TaskStatus.FINISHED_HAS_FAILED), int(TaskStatus.FINISHED_TEST)]),
    (N_("Failed"), [int(TaskStatus.FAILED), int(TaskStatus.FINISHED_HAS_FAILED)]),
    (N_("Abandoned"), [int(TaskStatus.ABANDON)]),
]

PAGE_SIZE = 20
#: Most pages of frames one round fetches (the rows on screen need one or two).
FRAME_PAGES_A_ROUND = 4
#: The selected task's detail is shown this long after a round's task list (one frame: the list is
#: painted in between).
REST_AFTER_MS = 16

TASK_COLUMNS = [N_("ID"), N_("Scene"), N_("Status"), N_("Progress"), N_("Frames"), N_("Cost"), N_("Submitted")]
CHILD_COLUMNS = [N_("ID"), N_("Type"), N_("Layer / camera"), N_("Status"), N_("Progress"), N_("Frames"), N_("Cost")]
FRAME_COLUMNS = [N_("Frame"), N_("Task"), N_("Status"), N_("Started"), N_("Ended"), N_("Time"), N_("Cost")]


CHILD_TYPES = {"Render": N_("Render"), "RenderPhoton": N_("Photon"), "PreRender": N_("Pre-render")}


def status_text(status: Any, text: str = "") -> str:
    """'Rendering', 'Finished with failures'... (the server's status text is a translation key)."""
    return status_label(status, text)


def clock(ms: Any, with_date: bool = False) -> str:
    """A server time (ms since the epoch) as local time; '' when absent."""
    try:
        value = float(ms or 0)
    except (TypeError, ValueError):
        return str(ms or "")
    if value <= 0:
        return ""
    if value > 1e11:
        value /= 1000.0
    moment = datetime.datetime.fromtimestamp(value)
    return moment.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M:%S")


@dataclass
class RoundResult:
    """What one refresh round fetched (made on a worker thread, shown on the main thread)."""

    page: Any = None
    infos: Dict[int, Any] = field(default_factory=dict)  # task id -> TaskInfo (selected + followed)
    snapshots: Dict[int, TaskSnapshot] = field(default_factory=dict)  # of ``infos`` (made on the worker)
    frames: List[Any] = field(default_factory=list)  # the frames fetched (the pages on screen)
    frame_segments: List[Any] = field(default_factory=list)  # the selected task's children's frames laid out
    frame_pages: Dict[Any, Any] = field(default_factory=dict)  # (child id, page) -> ((key, row texts), ...)
    task_rows: List[Any] = field(default_factory=list)  # the list page's rows: (cell texts, task id)
    change_key: Any = None  # what counts as a change since the last round (made on the worker)
    finished: Dict[int, str] = field(default_factory=dict)  # followed tasks that ended -> their status
    progress_image: Any = None  # ProgressImage
    image_block: Any = None  # the GrabBlock shown
    image: Any = None  # QImage, decoded and scaled on the worker (QImage is not a widget)
    selected: Optional[int] = None
    error: Optional[BaseException] = None


def fetch_round(job: Any, client_of: Any, page_num: int, status_list: Optional[List[int]],
                keyword: str, selected: Optional[int], followed: Sequence[int],
                image_size: Tuple[int, int] = (480, 360), frame_rows: Tuple[int, int] = (0, 40),
                frame_pages: Sequence[Any] = ()) -> RoundResult:
    """One refresh round (worker thread): the list page, task infos (and their snapshots), the
    pages of frames holding ``frame_rows`` (first, last) and ``frame_pages``, the progress image
    (decoded and scaled to ``image_size`` here, so the UI thread only shows it)."""
    client = client_of()
    result = RoundResult(selected=selected)
    result.page = client.get_task_list(page_num=page_num, page_size=PAGE_SIZE, status_list=status_list,
                                       search_keyword=keyword or None)
    ids = [t for t in ([selected] if selected else []) + list(followed) if t]
    ids = list(dict.fromkeys(ids))
    if ids and not job.cancelled:
        for info in client.query_task_info(ids).items:
            result.infos[int(info.id)] = info
        result.snapshots = {tid: snapshot(info) for tid, info in result.infos.items()}
    if selected and not job.cancelled:
        info = result.infos.get(selected)
        result.frame_segments = segments(info)
        known = {s[0] for s in result.frame_segments}
        keys = page_keys(result.frame_segments, frame_rows[0], frame_rows[1])
        keys += [k for k in frame_pages if k[0] in known]
        for task_id, number in list(dict.fromkeys(keys))[:FRAME_PAGES_A_ROUND]:
            if job.cancelled:
                break
            page = client.query_task_frames(task_id, page_num=number, page_size=FRAME_PAGE_SIZE)
            result.frame_pages[(task_id, number)] = tuple(((int(f.task_id), int(f.id)), _frame_texts(f))
                                                          for f in page.items)
            result.frames.extend(page.items)
        running = info is not None and not info.is_terminal
        if running and not job.cancelled:
            try:
                result.progress_image = client.load_task_process_img(selected)
                block = pick_block(result.progress_image)
                if block is not None:
                    image = QtGui.QImage()
                    if image.loadFromData(client.fetch(block.grab_url)):
                        result.image_block = block
                        result.image = image.scaled(max(64, image_size[0]), max(64, image_size[1]),
                                                    qt.KEEP_ASPECT, qt.SMOOTH)
            except Exception as exc:  # the picture is a nicety: the figures still show
                log.info("progress image of %s failed: %s", selected, exc)
    result.task_rows = task_rows(result.page)
    result.change_key = (
        tuple((t.id, int(t.status), t.done_frames, t.failed_frames, t.executing_frames) for t in result.page.items),
        tuple(sorted((tid, snap.key()) for tid, snap in result.snapshots.items())),
        tuple((f.id, int(f.status)) for f in result.frames))
    result.finished = {t: status_text(result.infos[t].status, result.infos[t].status_text)
                       for t in followed if t in result.infos and result.infos[t].is_terminal}
    return result


def task_rows(page: Any) -> List[Tuple[List[str], int]]:
    """The task list's rows (cell texts, task id) of a getTaskList page."""
    rows = []
    for info in getattr(page, "items", None) or []:
        snap = snapshot(info)
        rows.append(([str(info.id) + (" (%s)" % info.alias if info.alias and info.alias != str(info.id) else ""),
                      info.scene_name, status_text(info.status, info.status_text), "%.0f%%" % snap.percent,
                      "%d/%d%s" % (snap.frames_done, snap.frames_total,
                                   (_(", %d failed") % snap.frames_failed) if snap.frames_failed else ""),
                      format_money(snap.cost), clock(info.submit_date, with_date=True)], int(info.id)))
    return rows


def pick_block(image: Any) -> Any:
    """The block to show: a running one first, else the latest one with a picture."""
    blocks = [b for row in (getattr(image, "blocks", None) or []) for b in row if getattr(b, "grab_url", "")]
    running = [b for b in blocks if b.frame_status == int(FrameStatus.RUNNING)]
    if running:
        return running[0]
    return blocks[-1] if blocks else None


def _action(job: Any, client_of: Any, name: str, args: tuple, kwargs: dict) -> str:
    getattr(client_of(), name)(*args, **kwargs)
    return name


class MonitorWindow(BaseWindow):
    """Follows the user's tasks; never blocks (every call runs in a worker)."""

    title = N_("Renderbus Monitor")
    refreshed = Signal()  #: a round was shown (tests wait on it)
    action_done = Signal(str)

    def __init__(self, host: Any, task_ids: Optional[Sequence[int]] = None, interval: float = 5.0,
                 max_interval: float = 60.0, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(host, parent)
        self.setObjectName("renderbusMonitor")
        self.interval = float(interval)
        self.max_interval = max(float(max_interval), self.interval)
        self._delay = self.interval
        self.followed: List[int] = []
        self._ended: Dict[int, str] = {}  # followed tasks that ended -> their status (not asked about again)
        self.selected: Optional[int] = None
        self.page_num = 1
        self.page_count = 1
        self._round_job: Any = None
        self._again = False
        self._last_key: Any = None
        self.last_result: Optional[RoundResult] = None
        self._rows: List[int] = []
        self._build()
        self._rest: Optional[RoundResult] = None  # the round whose detail is shown next (_rest_timer)
        self._rest_timer = QtCore.QTimer(self)
        self._rest_timer.setSingleShot(True)
        # A frame later, not at once: Qt paints a changed window on its next update (5 ms later on
        # Windows and Linux, at the display's refresh on macOS), so with no wait the detail's work
        # ran before the task list's paint and the two paints came as one long stall.
        self._rest_timer.setInterval(REST_AFTER_MS)
        self._rest_timer.timeout.connect(self._show_rest)
        self.timer = QtCore.QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.refresh)
        self.account.changed.connect(self.refresh_now)
        self.resize(1100, 760)
        self.followed = list(dict.fromkeys(int(t) for t in (task_ids or [])))
        self.selected = self.followed[0] if self.followed else None
        self.refresh_now()

    # layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.account_line = AccountLine()
        self.account_line.settings_requested.connect(self._open_settings)
        self.account_line.retry_requested.connect(self.refresh_now)

        self.filter = QtWidgets.QComboBox()
        for label, statuses in STATUS_FILTERS:
            self.filter.addItem(_(label), statuses)
        self.search = QtWidgets.QLineEdit()
        self.search.setPlaceholderText(_("Search scene or task id"))
        self.search.setClearButtonEnabled(True)
        self.prev_button = QtWidgets.QToolButton()
        self.prev_button.setText("◀")
        self.next_button = QtWidgets.QToolButton()
        self.next_button.setText("▶")
        self.page_label = QtWidgets.QLabel(_("Page %(page)d of %(pages)d") % {"page": 1, "pages": 1})
        self.refresh_button = QtWidgets.QPushButton(_("Refresh"))
        top = QtWidgets.QHBoxLayout()
        top.addWidget(QtWidgets.QLabel(_("Show:")))
        top.addWidget(self.filter)
        top.addWidget(self.search, 1)
        top.addWidget(self.prev_button)
        top.addWidget(self.page_label)
        top.addWidget(self.next_button)
        top.addWidget(self.refresh_button)

        self.tasks = self._table(TASK_COLUMNS, qt.EXTENDED_SELECTION, stretch=1)

        self.stop_button = QtWidgets.QPushButton(_("Stop"))
        self.start_button = QtWidgets.QPushButton(_("Start"))
        self.abort_button = QtWidgets.QPushButton(_("Abort…"))
        self.delete_button = QtWidgets.QPushButton(_("Delete…"))
        self.retry_failed_button = QtWidgets.QPushButton(_("Retry failed frames"))
        self.retry_frames_button = QtWidgets.QPushButton(_("Retry selected frames"))
        actions = QtWidgets.QHBoxLayout()
        for b in (self.stop_button, self.start_button, self.abort_button, self.delete_button,
                  self.retry_failed_button, self.retry_frames_button):
            actions.addWidget(b)
        actions.addStretch(1)

        self.detail_title = QtWidgets.QLabel(_("Select a task to see its frames."))
        self.detail_title.setWordWrap(True)
        self.overall = QtWidgets.QProgressBar()
        self.overall.setRange(0, 1000)
        self.overall.setFormat("%p%")
        self.children_table = self._table(CHILD_COLUMNS, qt.SINGLE_SELECTION, stretch=2)
        self.children_table.setMaximumHeight(110)
        self.frames_model = FrameModel([_(c) for c in FRAME_COLUMNS], self)
        self._wanted_pages: List[Any] = []
        self.frames_table = self._view(self.frames_model, qt.EXTENDED_SELECTION, stretch=2)
        self._scrolled = QtCore.QTimer(self)  # the rows on screen are looked at once per scrolling burst
        self._scrolled.setSingleShot(True)
        self._scrolled.timeout.connect(self._frames_scrolled)
        self.frames_table.verticalScrollBar().valueChanged.connect(lambda _value: self._scrolled.start(0))
        self.image_label = QtWidgets.QLabel(_("No frame is rendering."))
        self.image_label.setAlignment(qt.ALIGN_CENTER)
        self.image_label.setMinimumSize(300, 200)
        self.image_label.setFrameShape(qt.enum(QtWidgets.QFrame, "Shape", "StyledPanel"))
        self.image_caption = QtWidgets.QLabel("")
        self.image_caption.setWordWrap(True)
        self.image_caption.setAlignment(qt.ALIGN_CENTER)

        detail_left = QtWidgets.QWidget()
        dl = QtWidgets.QVBoxLayout(detail_left)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(self.detail_title)
        dl.addWidget(self.overall)
        dl.addWidget(QtWidgets.QLabel(_("Rendering tasks:")))
        dl.addWidget(self.children_table)
        dl.addWidget(QtWidgets.QLabel(_("Frames:")))
        dl.addWidget(self.frames_table, 1)
        detail_right = QtWidgets.QWidget()
        dr = QtWidgets.QVBoxLayout(detail_right)
        dr.setContentsMargins(0, 0, 0, 0)
        dr.addWidget(QtWidgets.QLabel(_("Progress image:")))
        dr.addWidget(self.image_label, 1)
        dr.addWidget(self.image_caption)
        from renderbus_dcc.ui.frames_panel import FramesPanel

        self.frames_panel = FramesPanel(self.host, self.runner, self.account.client)  # forecast, downloads
        self.frames_panel.acted.connect(lambda _what: self.refresh_now())
        dr.addWidget(self.frames_panel)
        detail = QtWidgets.QSplitter(qt.HORIZONTAL)
        detail.addWidget(detail_left)
        detail.addWidget(detail_right)
        detail.setStretchFactor(0, 3)
        detail.setStretchFactor(1, 2)

        upper = QtWidgets.QWidget()
        ul = QtWidgets.QVBoxLayout(upper)
        ul.setContentsMargins(0, 0, 0, 0)
        ul.addLayout(top)
        ul.addWidget(self.tasks, 1)
        ul.addLayout(actions)
        split = QtWidgets.QSplitter(qt.VERTICAL)
        split.addWidget(upper)
        split.addWidget(detail)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)

        self.status_line = QtWidgets.QLabel("")
        self.status_line.setWordWrap(True)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.account_line)
        layout.addWidget(split, 1)
        layout.addWidget(self.status_line)

        self.filter.currentIndexChanged.connect(self._filter_changed)
        self.search.returnPressed.connect(self._filter_changed)
        self.prev_button.clicked.connect(lambda: self._go_page(self.page_num - 1))
        self.next_button.clicked.connect(lambda: self._go_page(self.page_num + 1))
        self.refresh_button.clicked.connect(self.refresh_now)
        self.tasks.itemSelectionChanged.connect(self._selection_changed)
        self.stop_button.clicked.connect(self.stop_selected)
        self.start_button.clicked.connect(self.start_selected)
        self.abort_button.clicked.connect(self.abort_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.retry_failed_button.clicked.connect(self.retry_failed)
        self.retry_frames_button.clicked.connect(self.retry_selected_frames)
        self._update_actions()

    @staticmethod
    def _table(columns: List[str], selection: Any, stretch: int) -> "QtWidgets.QTableWidget":
        table = QtWidgets.QTableWidget(0, len(columns))
        table.setHorizontalHeaderLabels([_(c) for c in columns])
        table.setSelectionBehavior(qt.SELECT_ROWS)
        table.setSelectionMode(selection)
        table.setEditTriggers(qt.NO_EDIT)
        table.verticalHeader().setVisible(False)
        table.setAlternatingRowColors(True)
        # Sized once per refresh (_fill), not per cell: ResizeToContents re-measures the whole
        # column on every change, which stalls the UI for hundreds of ms on a frame list.
        table.horizontalHeader().setSectionResizeMode(stretch, qt.STRETCH)  # takes the room left
        table.setProperty("stretch", stretch)
        table.setWordWrap(False)
        return table

    @staticmethod
    def _view(model: Any, selection: Any, stretch: int) -> "QtWidgets.QTableView":
        """A table over ``model`` (rows drawn as they scroll into view; fixed-height rows)."""
        view = QtWidgets.QTableView()
        view.setModel(model)
        view.setSelectionBehavior(qt.SELECT_ROWS)
        view.setSelectionMode(selection)
        view.setEditTriggers(qt.NO_EDIT)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setSectionResizeMode(qt.enum(QtWidgets.QHeaderView, "ResizeMode", "Fixed"))
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 6)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.horizontalHeader().setSectionResizeMode(stretch, qt.STRETCH)
        for col, width in enumerate((90, 70, 110, 80, 80, 70)):
            if col != stretch:
                view.setColumnWidth(col, width)
        return view

    def _frame_rows(self) -> Tuple[int, int]:
        """The frame rows on screen (first, last), a few more below."""
        view = self.frames_table
        first = max(0, view.rowAt(0))
        last = view.rowAt(max(0, view.viewport().height() - 1))
        if last < 0:
            last = first + max(20, view.viewport().height() // max(1, view.verticalHeader().defaultSectionSize()))
        return first, last + 5

    def _frames_scrolled(self) -> None:
        """Rows scrolled into view whose frames were not fetched: fetch them with a round now."""
        keys = self.frames_model.missing(*self._frame_rows())
        if keys:
            self._wanted_pages = keys
            self.refresh()

    # following and refreshing ----------------------------------------------------------------
    def follow(self, task_ids: Sequence[int]) -> None:
        """Follow these tasks (the first one is selected)."""
        for t in task_ids:
            if int(t) not in self.followed:
                self.followed.append(int(t))
        if task_ids:
            self.selected = int(task_ids[0])
        self.refresh_now()

    def refresh_now(self) -> None:
        """Refresh at once and go back to the short interval."""
        self._delay = self.interval
        self.refresh()

    def refresh(self) -> None:
        """Start a round in a worker (or remember to start one when the running one ends)."""
        self.timer.stop()
        if self._round_job is not None and not self._round_job.finished:
            self._again = True
            return
        self._again = False
        statuses = self.filter.currentData()
        wanted, self._wanted_pages = self._wanted_pages, []
        self._round_job = self.runner.run(
            fetch_round, self.account.client, self.page_num, statuses, self.search.text().strip(),
            self.selected, [t for t in self.followed if t not in self._ended],
            (self.image_label.width() - 4, self.image_label.height() - 4), self._frame_rows(), wanted,
            name="monitor_round", on_done=self._show_round, on_error=self._round_failed)

    def _schedule(self, changed: bool, error: bool = False) -> None:
        self._delay = next_interval(self._delay, self.interval, self.max_interval, changed, error)
        if self._again:
            self.refresh()
        else:
            self.timer.start(int(self._delay * 1000))

    def _round_failed(self, error: BaseException) -> None:
        self.account_line.show_error(error)
        _set_text(self.status_line, _("Could not refresh: %s") % message_line(error))
        self._schedule(changed=False, error=True)
        self.refreshed.emit()

    def _show_round(self, result: RoundResult) -> None:
        """Show a round: the task list and status now, the selected task's detail REST_AFTER_MS
        later (two shorter pieces of UI-thread work, the list painted and the UI answering in between)."""
        self.last_result = result
        if self.account_line.state != "ok":
            self.runner.run(lambda job: self.account.client().query_user_profile(), name="profile",
                            on_done=self.account_line.set_profile, on_error=self.account_line.show_error)
        self._show_tasks(result.page, result.task_rows)
        changed = result.change_key != self._last_key
        self._last_key = result.change_key
        self._ended.update(result.finished)
        finished = [t for t in self.followed if t in self._ended]
        if len(finished) > 3:
            _set_text(self.status_line, _("%(ended)d of the %(followed)d tasks followed have ended")
                                     % {"ended": len(finished), "followed": len(self.followed)})
        elif finished:
            _set_text(self.status_line, _("; ").join(_("Task %(task)d: %(status)s") % {"task": t, "status": self._ended[t]}
                                                  for t in finished))
        else:
            _set_text(self.status_line, _("Updated %s") % datetime.datetime.now().strftime("%H:%M:%S"))
        self._rest = result
        self._rest_timer.start()
        self._schedule(changed)

    def _show_rest(self) -> None:
        """The rest of the last round: the selected task's detail and frames, the frames panel."""
        result, self._rest = self._rest, None
        if result is None:
            return
        if result.selected == self.selected:
            self._show_detail(result)
        self.frames_panel.update_round(result, self.selected)
        self.refreshed.emit()

    # tables ---------------------------------------------------------------------------------
    def _show_tasks(self, page: Any, rows: Optional[List[Tuple[List[str], int]]] = None) -> None:
        self.page_count = max(1, int(getattr(page, "page_count", 1) or 1))
        _set_text(self.page_label, _("Page %(page)d of %(pages)d (%(total)d tasks)") % {
            "page": self.page_num, "pages": self.page_count, "total": getattr(page, "total", 0)})
        self.prev_button.setEnabled(self.page_num > 1)
        self.next_button.setEnabled(self.page_num < self.page_count)
        selected_ids = set(self.selected_task_ids())
        self.tasks.blockSignals(True)
        rows = task_rows(page) if rows is None else rows
        self._rows = [key for _cells, key in rows]
        self._fill(self.tasks, rows)
        wanted = [row for row, task_id in enumerate(self._rows) if task_id in selected_ids or task_id == self.selected]
        if set(wanted) != {index.row() for index in self.tasks.selectionModel().selectedRows()}:
            self.tasks.clearSelection()  # (only when it differs: a selection made again repaints its rows)
            mode = qt.enum(QtCore.QItemSelectionModel, "SelectionFlag", "Select")
            rows_flag = qt.enum(QtCore.QItemSelectionModel, "SelectionFlag", "Rows")
            for row in wanted:
                self.tasks.selectionModel().select(self.tasks.model().index(row, 0), mode | rows_flag)
        self.tasks.blockSignals(False)
        self._update_actions()

    @staticmethod
    def _fill(table: "QtWidgets.QTableWidget", rows: List[Tuple[List[str], Any]]) -> None:
        """Put ``rows`` (cell texts, key) into ``table``, reusing its items: only the cells whose text
        changed are repainted, and only the columns they are in are sized to their contents
        (disabling updates around this would repaint the whole table when they come back on)."""
        table.setRowCount(len(rows))
        changed = set()
        model = table.model()
        for row, (values, key) in enumerate(rows):
            for col, value in enumerate(values):
                item = table.item(row, col)
                if item is None:  # made by the table's model: Qt's own item, painted without calling Python
                    index = model.index(row, col)
                    model.setData(index, value)
                    model.setData(index, key, qt.USER_ROLE)
                    changed.add(col)
                elif item.text() != value or item.data(qt.USER_ROLE) != key:
                    item.setText(value)
                    item.setData(qt.USER_ROLE, key)
                    changed.add(col)
        stretch = table.property("stretch")  # (resizeColumnsToContents would undo the stretching column)
        for col in sorted(changed - {stretch}):
            table.resizeColumnToContents(col)

    def _show_detail(self, result: RoundResult) -> None:
        info = result.infos.get(self.selected) if self.selected else None
        if info is None:
            _set_text(self.detail_title, _("Select a task to see its frames.") if not self.selected
                                      else _("Task %s was not found.") % self.selected)
            _set_value(self.overall, 0)
            self.children_table.setRowCount(0)
            self.frames_model.show_task(None)
            self._show_image(None, None)
            return
        snap = result.snapshots.get(int(info.id)) or snapshot(info)
        parts = [_("<b>Task %d</b>") % info.id]
        if info.scene_name:
            parts.append(info.scene_name)
        parts.append(status_text(info.status, info.status_text))
        parts.append(_("%(done)d of %(total)d frames done") % {"done": snap.frames_done, "total": snap.frames_total})
        if snap.frames_running:
            parts.append(_("%d rendering") % snap.frames_running)
        if snap.frames_failed:
            parts.append("<span style='color:#c62828'>%s</span>" % (_("%d failed") % snap.frames_failed))
        parts.append(_("cost %s") % format_money(snap.cost))
        if format_duration(snap.time_used):
            parts.append(_("time %s") % format_duration(snap.time_used))
        if snap.eta:
            parts.append(_("about %s left") % format_duration(snap.eta))
        _set_text(self.detail_title, " · ".join(parts))
        _set_value(self.overall, int(snap.percent * 10))
        self._show_children(info, snap)
        self.frames_model.update(self.selected, result.frame_segments, result.frame_pages)
        self._show_image(result.image_block, result.image)

    def _show_children(self, info: Any, snap: TaskSnapshot) -> None:
        children = list(getattr(info, "children", None) or [])
        rows = []
        for child, csnap in zip(children, snap.children):
            where = " / ".join(x for x in (child.layer_name, child.render_camera) if x)
            values = [str(child.id), _(CHILD_TYPES.get(child.task_type, child.task_type or N_("Render"))), where,
                      status_text(child.status, child.status_text), "%.0f%%" % csnap.percent,
                      "%d/%d" % (csnap.frames_done, csnap.frames_total), format_money(csnap.cost)]
            rows.append((values, int(child.id)))
        self._fill(self.children_table, rows)

    def _show_image(self, block: Any, image: Any) -> None:
        if block is not None and image is not None and not image.isNull():
            self.image_label.setPixmap(QtGui.QPixmap.fromImage(image))
            text = _("Frame %s") % block.frame_index
            if block.frame_block and block.frame_block not in ("0", "1"):
                text += _(", block %s") % block.frame_block
            text += " · %.0f%%" % block.frame_percent
            if block.frame_used:
                text += " · " + _("%s used") % format_duration(block.frame_used)
            if block.frame_est:
                text += " · " + _("about %s left") % format_duration(block.frame_est)
            _set_text(self.image_caption, text)
        else:
            self.image_label.setPixmap(QtGui.QPixmap())
            self.image_label.setText(_("No frame is rendering."))
            _set_text(self.image_caption, "")

    @property
    def image_shown(self) -> bool:
        pixmap = self.image_label.pixmap()
        return pixmap is not None and not pixmap.isNull()

    # selection --------------------------------------------------------------------------------
    def selected_task_ids(self) -> List[int]:
        rows = sorted({index.row() for index in self.tasks.selectionModel().selectedRows()})
        return [self._rows[r] for r in rows if r < len(self._rows)]

    def selected_frame_ids(self) -> List[Tuple[int, int]]:
        """(task id, frame id) of the frames selected (rows whose page was fetched)."""
        rows = sorted({index.row() for index in self.frames_table.selectionModel().selectedRows()})
        return [k for k in (self.frames_model.key(r) for r in rows) if k is not None]

    def select_task(self, task_id: int) -> None:
        """Show this task's details (and select its row when it is on the page)."""
        self.selected = int(task_id)
        if int(task_id) in self._rows:
            self.tasks.blockSignals(True)
            self.tasks.selectRow(self._rows.index(int(task_id)))
            self.tasks.blockSignals(False)
        self._update_actions()
        self.frames_model.show_task(self.selected)
        self.refresh_now()

    def _selection_changed(self) -> None:
        ids = self.selected_task_ids()
        if ids and ids[0] != self.selected:
            self.selected = ids[0]
            self.frames_model.show_task(self.selected)
            self.refresh_now()
        self._update_actions()

    def _update_actions(self) -> None:
        any_task = bool(self.selected_task_ids() or self.selected)
        for b in (self.stop_button, self.start_button, self.abort_button, self.delete_button,
                  self.retry_failed_button, self.retry_frames_button):
            b.setEnabled(any_task)

    def _filter_changed(self, *_: Any) -> None:
        self.page_num = 1
        self.refresh_now()

    def _go_page(self, page: int) -> None:
        self.page_num = max(1, min(self.page_count, page))
        self.refresh_now()

    def _open_settings(self) -> None:
        from renderbus_dcc.ui import open_settings

        open_settings(self.host)

    # actions --------------------------------------------------------------------------------
    def _targets(self) -> List[int]:
        return self.selected_task_ids() or ([self.selected] if self.selected else [])

    def confirm(self, title: str, text: str) -> bool:
        """Ask before destroying work (a modal question on the main thread)."""
        answer = QtWidgets.QMessageBox.question(self, title, text, qt.MSG_YES | qt.MSG_NO, qt.MSG_NO)
        return answer == qt.MSG_YES

    def _run_action(self, label: str, name: str, *args: Any, **kwargs: Any) -> None:
        _set_text(self.status_line, "%s…" % label)
        self.runner.run(_action, self.account.client, name, args, kwargs, name=name,
                        on_done=lambda _: self._action_finished(label, name),
                        on_error=lambda e: self._action_failed(label, e))

    def _action_finished(self, label: str, name: str) -> None:
        _set_text(self.status_line, _("%s: done.") % label)
        self._ended.clear()  # a task started again is followed again
        self.action_done.emit(name)
        self.refresh_now()

    def _action_failed(self, label: str, error: BaseException) -> None:
        _set_text(self.status_line, _("%(action)s failed: %(error)s") % {"action": label, "error": message_line(error)})
        self.action_done.emit("")
        self.refresh_now()

    def stop_selected(self) -> None:
        ids = self._targets()
        if ids:
            self._run_action(_("Stopping %s") % _ids(ids), "stop_task", ids)

    def start_selected(self) -> None:
        ids = self._targets()
        if ids:
            self._run_action(_("Starting %s") % _ids(ids), "start_task", ids)

    def abort_selected(self) -> None:
        ids = self._targets()
        if ids and self.confirm(_("Abort tasks"), _("Abort %s? Frames not rendered yet will not be rendered, "
                                                    "and the task cannot be started again.") % _ids(ids)):
            self._run_action(_("Aborting %s") % _ids(ids), "abort_task", ids)

    def delete_selected(self) -> None:
        ids = self._targets()
        if ids and self.confirm(_("Delete tasks"), _("Delete %s? The task and its rendered frames are removed "
                                                     "from the farm; this cannot be undone.") % _ids(ids)):
            if self.selected in ids:
                self.selected = None
            self.followed = [t for t in self.followed if t not in ids]
            self._run_action(_("Deleting %s") % _ids(ids), "delete_task", ids)

    def retry_failed(self) -> None:
        ids = self._targets()
        if ids:
            self._run_action(_("Retrying the failed frames of %s") % _ids(ids), "restart_failed_frames", ids)

    def retry_selected_frames(self) -> None:
        frames = self.selected_frame_ids()
        if not frames:
            _set_text(self.status_line, _("Select the frames to render again in the frame list."))
            return
        by_task: Dict[int, List[int]] = {}
        for task_id, frame_id in frames:
            by_task.setdefault(task_id, []).append(frame_id)
        for task_id, ids in by_task.items():
            self._run_action(ngettext("Retrying %(count)d frame of task %(task)d", "Retrying %(count)d frames of task %(task)d",
                                      len(ids)) % {"count": len(ids), "task": task_id}, "restart_frame", task_id, ids=ids)


def _set_text(label: "QtWidgets.QLabel", text: str) -> None:
    """Change a label only when its text changes (a word-wrapped label re-lays the window out)."""
    if label.text() != text:
        label.setText(text)


def _set_value(bar: "QtWidgets.QProgressBar", value: int) -> None:
    """Move a progress bar, painted with the rest of the window (its own setValue repaints it, and
    whatever else is waiting to be painted, at once: in the middle of showing a round)."""
    if bar.value() != value:
        bar.setUpdatesEnabled(False)
        bar.setValue(value)
        bar.setUpdatesEnabled(True)  # (an update() for the next paint)


def _frame_texts(f: Any) -> Tuple[str, ...]:
    """A frame's row in the frame list."""
    return (f.frame_index or str(f.id), str(f.task_id), status_text(f.status, f.status_text),
            clock(f.start_time), clock(f.end_time), format_duration(f.execute_time), format_money(f.fee_amount))


def _ids(ids: Sequence[int]) -> str:
    return (_("task %d") % ids[0]) if len(ids) == 1 else (ngettext("%d task", "%d tasks", len(ids)) % len(ids))
