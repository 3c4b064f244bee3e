"""The monitor's "Frames home" panel: the forecast after the test frames, with Start and Abort
right there, and the frames downloaded as they finish (on by default, a switch per task), where
they went, and a frame opened in the host's own viewer (``HostHooks.open_image``).

Every download and forecast runs in the window's worker pool; the panel only shows results.
The monitor hands it each refresh round (:meth:`FramesPanel.update_round`).
"""

import logging
import math
import os
import time
from typing import Any, Dict, List, Optional

from renderbus_dcc.constants import TaskStatus
from renderbus_dcc.i18n import _
from renderbus_dcc.ui import qt
from renderbus_dcc.ui.qt import QtWidgets, Signal
from renderbus_dcc.ui.widgets import format_bytes, message_line

__all__ = ["FramesPanel"]

log = logging.getLogger(__name__)

#: Frames listed in the panel (the newest).
SHOWN = 200
#: Seconds between forecasts of a task that renders (its frames are all fetched for one)...
FORECAST_EVERY = 30.0
#: ... fetched this many a request: an answer is decoded in one call that holds the interpreter
#: lock (1,000 frames: 474 KB, 8.5 ms here, the UI thread waiting meanwhile; 250: about 2 ms)...
FORECAST_PAGE = 250
#: ... and at most a request every this many seconds on average (a 10,000-frame task: a forecast
#: every 2 minutes, 40 requests).
SECONDS_A_PAGE = 3.0


def _download(job: Any, client_of: Any, task_id: int, automatic: bool = False) -> Any:
    """One round of a task's download (worker thread; progress goes to the panel): the summary and
    the latest frames in its folder. ``automatic``: only if the task downloads automatically (None
    if not: the records are a file, read here rather than on the UI thread)."""
    from renderbus_dcc.downloads import download_task, recent_files, records

    if automatic and not records().auto(task_id):
        return None
    summary = download_task(client_of(), task_id, on_progress=lambda p: job.report((task_id, p)))
    return summary, recent_files(summary.destination, SHOWN)


def _switch(job: Any, task_id: int) -> Any:
    """Whether a task downloads automatically (worker thread: the records are a file, and "submitted
    from this computer" reads the submission journals)."""
    from renderbus_dcc.downloads import records

    return task_id, records().auto(task_id)


def _forecast(job: Any, client_of: Any, task_id: int) -> Any:
    from renderbus_dcc.forecast import fetch_forecast

    return task_id, fetch_forecast(client_of(), task_id, page_size=FORECAST_PAGE)


class FramesPanel(QtWidgets.QGroupBox):
    """Forecast, Start / Abort, automatic download and the frames brought home, for the selected task."""

    downloaded = Signal(int)  #: a download round of a task ended (tests wait on it)
    forecast_shown = Signal(int)
    acted = Signal(str)  #: "start" / "abort" done: the monitor refreshes

    def __init__(self, host: Any, runner: Any, client_of: Any, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(_("Frames home"), parent)
        self.host, self.runner, self.client_of = host, runner, client_of
        self.task_id: Optional[int] = None
        self._done_seen: Dict[int, int] = {}
        self._jobs: Dict[int, Any] = {}
        self._again: Dict[int, bool] = {}
        self._forecast_key: Dict[int, Any] = {}
        self._forecast_job: Any = None
        self.files: Dict[int, List[str]] = {}
        self.destinations: Dict[int, str] = {}
        self.counts: Dict[int, int] = {}  #: the task's output files, by the last listing
        self.forecasts: Dict[int, Any] = {}
        self._build()

    def _build(self) -> None:
        self.forecast_label = QtWidgets.QLabel("")
        self.forecast_label.setWordWrap(True)
        self.forecast_label.setTextInteractionFlags(qt.TEXT_SELECTABLE)
        self.start_button = QtWidgets.QPushButton(_("Start the rest"))
        self.abort_button = QtWidgets.QPushButton(_("Abort…"))
        forecast_row = QtWidgets.QHBoxLayout()
        forecast_row.addWidget(self.start_button)
        forecast_row.addWidget(self.abort_button)
        forecast_row.addStretch(1)
        self.auto_check = QtWidgets.QCheckBox(_("Download frames automatically"))
        self.where_label = QtWidgets.QLabel("")
        self.where_label.setWordWrap(True)
        self.where_label.setTextInteractionFlags(qt.TEXT_SELECTABLE)
        self.download_button = QtWidgets.QPushButton(_("Download now"))
        self.folder_button = QtWidgets.QPushButton(_("Open folder"))
        self.frame_list = QtWidgets.QListWidget()
        self.frame_list.setMaximumHeight(120)
        self.open_button = QtWidgets.QPushButton(_("Open in %s") % _(getattr(self.host, "viewer_name", "") or "the image viewer"))
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.auto_check, 1)
        row.addWidget(self.download_button)
        row.addWidget(self.folder_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.forecast_label)
        layout.addLayout(forecast_row)
        layout.addLayout(row)
        layout.addWidget(self.where_label)
        layout.addWidget(self.frame_list)
        layout.addWidget(self.open_button)
        self.start_button.clicked.connect(self.start_task)
        self.abort_button.clicked.connect(self.abort_task)
        self.auto_check.toggled.connect(self._auto_toggled)
        self.download_button.clicked.connect(lambda: self.download(self.task_id) if self.task_id else None)
        self.folder_button.clicked.connect(self.open_folder)
        self.open_button.clicked.connect(self.open_selected)
        self.frame_list.itemDoubleClicked.connect(lambda item: self.open_frame(item.data(qt.USER_ROLE)))
        self.show_task(None)

    # the selected task ------------------------------------------------------------------------
    def show_task(self, task_id: Optional[int]) -> None:
        """Show this task's forecast, switch and frames (None: nothing selected). The switch is read
        in a worker; it can be used once it shows the task's setting."""
        self.task_id = task_id
        enabled = task_id is not None
        for w in (self.download_button, self.frame_list, self.open_button):
            w.setEnabled(enabled)
        self._show_switch((task_id, False))
        self.auto_check.setEnabled(False)
        if task_id is not None:
            self.runner.run(_switch, task_id, name="download_switch", on_done=self._show_switch)
        self._show_files()
        self._show_forecast()

    def _show_switch(self, value: Any) -> None:
        task_id, on = value
        if task_id == self.task_id:
            self.auto_check.blockSignals(True)
            self.auto_check.setChecked(on)
            self.auto_check.blockSignals(False)
            self.auto_check.setEnabled(task_id is not None)

    def _auto_toggled(self, on: bool) -> None:
        from renderbus_dcc.downloads import records

        if self.task_id is not None:
            records().update(self.task_id, auto=bool(on))
            if on:
                self.download(self.task_id)

    def update_round(self, result: Any, selected: Optional[int]) -> None:
        """A monitor round was shown: download what finished (if the task downloads automatically,
        which the worker reads), refresh the forecast (in workers)."""
        if selected != self.task_id:
            self.show_task(selected)
        for task_id, info in (getattr(result, "infos", None) or {}).items():
            done = int(getattr(info, "done_frames", 0) or 0)
            if done > self._done_seen.get(task_id, 0):
                self._done_seen[task_id] = done
                self.download(task_id, automatic=True)
            if task_id == selected:
                self._maybe_forecast(info)

    # downloads --------------------------------------------------------------------------------
    def download(self, task_id: int, automatic: bool = False) -> None:
        """Bring the task's finished frames home now (``automatic``: if it downloads automatically);
        one worker per task, asked again while it runs, it runs again."""
        job = self._jobs.get(task_id)
        if job is not None and not job.finished:
            self._again[task_id] = self._again.get(task_id, True) and automatic  # (asked by hand once: by hand)
            return
        if task_id == self.task_id and not automatic:
            self.where_label.setText(_("Downloading the finished frames…"))
        self._jobs[task_id] = self.runner.run(
            _download, self.client_of, task_id, automatic, name="download_%d" % task_id,
            on_progress=self._progress, on_done=lambda result, t=task_id: self._downloaded(t, result),
            on_error=lambda error, t=task_id: self._download_failed(t, error))

    def _progress(self, value: Any) -> None:
        task_id, p = value
        if task_id == self.task_id and p.files_total:
            self.where_label.setText(_("Downloading %(done)d of %(total)d files…") % {
                "done": p.files_done, "total": p.files_total})

    def _downloaded(self, task_id: int, result: Any) -> None:
        self._jobs.pop(task_id, None)
        if result is None:  # the task does not download automatically
            self._download_again(task_id)
            return
        summary, files = result
        if summary.destination:
            self.destinations[task_id] = summary.destination
        self.files[task_id] = list(files)
        self.counts[task_id] = summary.files
        if task_id == self.task_id:
            self._show_files(summary)
        self.downloaded.emit(task_id)
        self._download_again(task_id)

    def _download_again(self, task_id: int) -> None:
        if task_id in self._again:
            self.download(task_id, self._again.pop(task_id))

    def _download_failed(self, task_id: int, error: BaseException) -> None:
        self._jobs.pop(task_id, None)
        if task_id == self.task_id:
            self.where_label.setText(_("Download failed: %s") % message_line(error))
        self.downloaded.emit(task_id)

    def _show_files(self, summary: Any = None) -> None:
        task_id = self.task_id
        files = self.files.get(task_id, []) if task_id is not None else []
        self.frame_list.clear()
        for path in files[-SHOWN:]:
            item = QtWidgets.QListWidgetItem(os.path.basename(os.path.dirname(path)) + "/" + os.path.basename(path))
            item.setData(qt.USER_ROLE, path)
            item.setToolTip(path)
            self.frame_list.addItem(item)
        if self.frame_list.count():
            self.frame_list.setCurrentRow(self.frame_list.count() - 1)
        where = self.destinations.get(task_id, "") if task_id is not None else ""
        self.folder_button.setEnabled(bool(where))
        self.open_button.setEnabled(bool(files))
        if task_id is None:
            self.where_label.setText(_("Select a task to bring its frames home."))
        elif where:
            text = _("%(count)d frames in %(folder)s") % {"count": self.counts.get(task_id, len(files)),
                                                          "folder": where}
            if summary is not None and summary.downloaded:
                text += " " + _("(%(new)d new, %(size)s)") % {"new": len(summary.downloaded),
                                                             "size": format_bytes(summary.bytes)}
            self.where_label.setText(text)
        else:
            self.where_label.setText(_("No frame of this task is downloaded yet."))

    def open_frame(self, path: Optional[str]) -> None:
        """Show a downloaded frame in the host's viewer (main thread: hosts' viewers are UI)."""
        if not path:
            return
        try:
            self.host.open_image(path)
        except Exception as exc:
            self.where_label.setText(_("Could not open %(file)s: %(why)s") % {"file": path, "why": message_line(exc)})

    def open_selected(self) -> None:
        item = self.frame_list.currentItem()
        self.open_frame(item.data(qt.USER_ROLE) if item is not None else None)

    def open_folder(self) -> None:
        where = self.destinations.get(self.task_id or 0)
        if where:
            from renderbus_dcc.ui.qt import QtCore, QtGui

            QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(where))

    # the forecast ----------------------------------------------------------------------------
    def _maybe_forecast(self, info: Any) -> None:
        """Ask for a forecast when the selected task is not over and has new finished frames (while
        it renders, at most every FORECAST_EVERY seconds, or SECONDS_A_PAGE a page of its frames;
        at once when its status changes)."""
        status = getattr(info, "status", None)
        done = int(getattr(info, "done_frames", 0) or 0)
        live = status in (TaskStatus.RENDERING, TaskStatus.STOP, TaskStatus.PRE_RENDERING)
        last = self._forecast_key.get(int(info.id))
        if not done or not live or last is not None and last[:2] == (status, done):
            if not live:
                self.forecasts.pop(int(info.id), None)
                self._show_forecast()
            return
        pages = math.ceil(int(getattr(info, "total_frames", 0) or 0) / float(FORECAST_PAGE))
        if last is not None and last[0] == status and time.monotonic() - last[2] < max(FORECAST_EVERY,
                                                                                        pages * SECONDS_A_PAGE):
            return
        if self._forecast_job is not None and not self._forecast_job.finished:
            return
        self._forecast_key[int(info.id)] = (status, done, time.monotonic())
        self._forecast_job = self.runner.run(_forecast, self.client_of, int(info.id), name="forecast",
                                             on_done=self._forecast_done,
                                             on_error=lambda e: log.info("forecast failed: %s", e))

    def _forecast_done(self, result: Any) -> None:
        task_id, fc = result
        self.forecasts[task_id] = fc
        self._show_forecast()
        self.forecast_shown.emit(task_id)

    def _show_forecast(self) -> None:
        from renderbus_dcc.forecast import describe

        fc = self.forecasts.get(self.task_id) if self.task_id is not None else None
        self.forecast_label.setText("<br>".join(describe(fc)) if fc is not None else "")
        self.forecast_label.setVisible(fc is not None)
        waiting = bool(fc is not None and fc.waiting)
        self.start_button.setVisible(waiting)
        self.abort_button.setVisible(waiting)

    def start_task(self) -> None:
        """Start the rest of a task that waits after its test frames."""
        if self.task_id is not None:
            self._act("start", "start_task")

    def abort_task(self) -> None:
        if self.task_id is None:
            return
        answer = QtWidgets.QMessageBox.question(
            self, _("Abort task"), _("Abort task %d? The frames not rendered yet will not be rendered.") % self.task_id,
            qt.MSG_YES | qt.MSG_NO, qt.MSG_NO)
        if answer == qt.MSG_YES:
            self._act("abort", "abort_task")

    def _act(self, what: str, method: str) -> None:
        task_id = self.task_id
        if task_id is None:
            return
        self.start_button.setEnabled(False)
        self.abort_button.setEnabled(False)

        def done(_result: Any) -> None:
            self.start_button.setEnabled(True)
            self.abort_button.setEnabled(True)
            fc = self.forecasts.get(task_id)
            if fc is not None:
                fc.waiting = False
            self._show_forecast()
            self.acted.emit(what)

        def failed(error: BaseException) -> None:
            self.start_button.setEnabled(True)
            self.abort_button.setEnabled(True)
            text = _("Could not start task %(id)s: %(why)s") if what == "start" else _(
                "Could not abort task %(id)s: %(why)s")
            self.where_label.setText(text % {"id": task_id, "why": message_line(error)})

        self.runner.run(lambda job: getattr(self.client_of(), method)([task_id]), name=method,
                        on_done=done, on_error=failed)
