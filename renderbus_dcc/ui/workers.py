"""Running work off the UI thread: a :class:`TaskRunner` of cancellable jobs on a thread pool.

A job's function runs on a pool thread and gets its :class:`Job` as first argument (to report
progress and to see whether it was cancelled). Everything it reports (progress, the result, an
error) reaches the owner's callbacks on the main thread through queued signals, so callbacks may
touch widgets and workers never do.
"""

import logging
import threading
from typing import Any, Callable, Optional, Set

from renderbus_dcc.ui.qt import QUEUED, QtCore, Signal, Slot

__all__ = ["Job", "TaskRunner", "thread_pool"]

log = logging.getLogger(__name__)

_POOL: Optional["QtCore.QThreadPool"] = None


def thread_pool() -> "QtCore.QThreadPool":
    """The windows' own pool (not the host's global one), alive for the whole session.

    A pool owned by a window would make closing that window wait for running uploads.
    """
    global _POOL
    if _POOL is None:
        _POOL = QtCore.QThreadPool()
        _POOL.setMaxThreadCount(6)
        _POOL.setExpiryTimeout(30000)
    return _POOL


class _Signals(QtCore.QObject):
    """Lives on the main thread; emitted from the pool thread, delivered queued."""

    progress = Signal(object, object)
    done = Signal(object, object, object)  # job, result, error


class Job:
    """One piece of work: cancel it, or report progress from inside it."""

    def __init__(self, name: str, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
        self.name = name
        self._fn = fn
        self._args = args
        self._kwargs = kwargs
        self._cancel = threading.Event()
        self.discarded = False
        self.finished = False
        self.thread_name = ""  #: the thread the job ran on (tests check it is not the main thread)
        self.on_progress: Optional[Callable[[Any], None]] = None
        self.on_done: Optional[Callable[[Any], None]] = None
        self.on_error: Optional[Callable[[BaseException], None]] = None
        self._signals: Optional[_Signals] = None

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the job to stop; a function sees it through :attr:`cancelled` or :meth:`report`."""
        self._cancel.set()

    def report(self, value: Any) -> bool:
        """Send ``value`` to the owner's ``on_progress`` (main thread). False once cancelled."""
        if self._signals is not None and not self.discarded:
            try:
                self._signals.progress.emit(self, value)
            except RuntimeError:  # the application is shutting down
                self._cancel.set()
        return not self.cancelled

    def _run(self) -> None:
        self.thread_name = threading.current_thread().name
        result: Any = None
        error: Optional[BaseException] = None
        try:
            result = self._fn(self, *self._args, **self._kwargs)
        except BaseException as exc:  # reported to the owner, never lost on a pool thread
            error = exc
            if not isinstance(exc, Exception):
                log.exception("job %s died", self.name)
        if self._signals is not None:
            try:
                self._signals.done.emit(self, result, error)
            except RuntimeError:  # the application is shutting down: nobody is left to tell
                log.debug("job %s finished after its owner was deleted", self.name)


class _Runnable(QtCore.QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job
        self.setAutoDelete(False)  # kept by the runner until its result is delivered

    def run(self) -> None:  # pool thread
        self.job._run()


class TaskRunner(QtCore.QObject):
    """Starts jobs for one window and brings their results back to the main thread."""

    def __init__(self, parent: Optional[QtCore.QObject] = None) -> None:
        super().__init__(parent)
        self._signals = _Signals()
        self._signals.progress.connect(self._deliver_progress, QUEUED)  # type: ignore[call-overload]
        self._signals.done.connect(self._deliver_done, QUEUED)  # type: ignore[call-overload]
        self._jobs: Set[Job] = set()
        self._runnables: Set[_Runnable] = set()

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        name: str = "",
        on_done: Optional[Callable[[Any], None]] = None,
        on_error: Optional[Callable[[BaseException], None]] = None,
        on_progress: Optional[Callable[[Any], None]] = None,
        **kwargs: Any,
    ) -> Job:
        """Run ``fn(job, *args, **kwargs)`` on the pool; callbacks run on the main thread."""
        job = Job(name or getattr(fn, "__name__", "job"), fn, args, kwargs)
        job.on_done, job.on_error, job.on_progress = on_done, on_error, on_progress
        job._signals = self._signals
        runnable = _Runnable(job)
        self._jobs.add(job)
        self._runnables.add(runnable)
        thread_pool().start(runnable)
        return job

    @property
    def busy(self) -> bool:
        return any(not job.finished for job in self._jobs)

    def discard_all(self) -> None:
        """Cancel every job and drop whatever they still report (the window is closing)."""
        for job in list(self._jobs):
            job.discarded = True
            job.cancel()

    @Slot(object, object)
    def _deliver_progress(self, job: Job, value: Any) -> None:
        if not job.discarded and job.on_progress is not None:
            job.on_progress(value)

    @Slot(object, object, object)
    def _deliver_done(self, job: Job, result: Any, error: Any) -> None:
        job.finished = True
        self._jobs.discard(job)
        self._runnables = {r for r in self._runnables if r.job is not job}
        if job.discarded:
            return
        try:
            if error is None:
                if job.on_done is not None:
                    job.on_done(result)
            elif job.on_error is not None:
                job.on_error(error)
            else:
                log.error("job %s failed: %s", job.name, error)
        except Exception:
            log.exception("callback of job %s failed", job.name)
