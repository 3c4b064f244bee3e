"""Workers run off the main thread; their results come back on it; cancel reaches them."""

import threading
import time


from renderbus_dcc.ui.workers import TaskRunner

WAIT = 10000


def test_job_runs_on_a_pool_thread_and_reports_on_the_main_thread(qtbot) -> None:
    runner = TaskRunner()
    seen = {}

    def work(job, x):
        seen["worker"] = threading.current_thread()
        job.report("half")
        return x * 2

    def done(result):
        seen["result"] = result
        seen["done_thread"] = threading.current_thread()

    def progress(value):
        seen["progress"] = (value, threading.current_thread())

    job = runner.run(work, 21, on_done=done, on_progress=progress)
    qtbot.waitUntil(lambda: "result" in seen, timeout=WAIT)
    assert seen["result"] == 42
    assert seen["worker"] is not threading.main_thread()
    assert seen["done_thread"] is threading.main_thread()
    assert seen["progress"] == ("half", threading.main_thread())
    assert job.thread_name and job.finished


def test_errors_come_back_as_values(qtbot) -> None:
    runner = TaskRunner()
    errors = []
    runner.run(lambda job: 1 / 0, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT)
    assert isinstance(errors[0], ZeroDivisionError)


def test_cancel_is_seen_by_the_job(qtbot) -> None:
    runner = TaskRunner()
    out = []
    started = threading.Event()

    def work(job):
        started.set()
        while job.report(None):
            time.sleep(0.01)
        return "stopped"

    job = runner.run(work, on_done=out.append)
    assert started.wait(5)
    job.cancel()
    qtbot.waitUntil(lambda: out == ["stopped"], timeout=WAIT)


def test_discarded_jobs_report_nothing(qtbot) -> None:
    runner = TaskRunner()
    out = []
    gate = threading.Event()
    job = runner.run(lambda job: gate.wait(5), on_done=out.append)
    runner.discard_all()
    gate.set()
    qtbot.waitUntil(lambda: job.finished, timeout=WAIT)
    assert out == [] and job.cancelled
