"""What the Maya and 3ds Max replays share (standard library only; Python 3.7 syntax).

The artist's part (submit from the submitter, then find the task in the monitor) and the report
of what the process ended up with (binding, where Qt.py and requests came from, versions).
"""

import json
import os
import sys
import time


class Timeout(Exception):
    pass


def wait(app, condition, seconds=180.0, say=lambda: ""):
    """Run the event loop until ``condition()`` (the windows work in threads and signals)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise Timeout("waited %.0f s: %s" % (seconds, say()))
        app.processEvents()
        time.sleep(0.02)


def report(data):
    """Print the report and leave as the application quits: no Python-side teardown of Qt objects."""
    print("REPORT " + json.dumps(data))
    sys.stdout.flush()
    os._exit(0)


def submit(app, window):
    """Wait for the submitter to be ready, submit, wait for the answer: (task id, errors, layers)."""
    wait(app, lambda: window.preparation is not None and not window.runner.busy)
    layers = [window.layers_list.item(i).text() for i in range(window.layers_list.count())]
    errors = [(i.code, i.message) for i in window.preparation.report.errors]
    if errors or not window.submit_button.isEnabled():  # nothing to click: say why
        report({"errors": errors, "task_id": None, "last_error": "submit disabled"})
    window.label_combo.setEditText("hosts")
    window.confirm_warnings = lambda found: True
    window.submit()
    wait(app, lambda: window.result is not None or window.last_error is not None,
         say=lambda: window.result_label.text())
    return (window.result.task_id if window.result is not None else None), errors, layers


def monitor_rows(app, monitor, task_id):
    """The monitor's task rows once ``task_id`` is among them."""
    def shown():
        return [monitor.tasks.item(r, 0).text() for r in range(monitor.tasks.rowCount())]

    wait(app, lambda: any(text.split()[0] == str(task_id) for text in shown()))
    return shown()


def common(spec, app, widgets, shiboken, main_window, windows, layer_package):
    """What both reports say about the process: Python, binding, origins and versions."""
    import Qt
    import requests
    import urllib3

    main = shiboken.getCppPointer(main_window)[0]
    return {
        "python": "%d.%d" % sys.version_info[:2],
        "qt_binding": Qt.__binding__,
        "bindings_loaded": sorted({m.split(".")[0] for m in sys.modules if m.split(".")[0] in
                                   ("PySide2", "PySide6", "shiboken2", "shiboken6")}),
        "other_binding_tried": os.path.exists(os.path.join(spec["other_binding_dir"], "tried")),
        "one_qapplication": widgets.QApplication.instance() is app,
        "parents": [shiboken.getCppPointer(w.parentWidget())[0] == main for w in windows],
        "files": {name: getattr(sys.modules[name], "__file__", "") for name in ("Qt", "requests", "urllib3",
                                                                                   "renderbus_dcc", layer_package)},
        "versions": {"requests": requests.__version__, "urllib3": urllib3.__version__, "Qt.py": Qt.__version__},
    }
