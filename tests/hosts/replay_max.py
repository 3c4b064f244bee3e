"""3ds Max's start-up and an artist's clicks, replayed in one 3ds Max version's own Python (see harness.py).

Run as ``python3.X -I -S replay_max.py spec.json``: the path holds the standard library only.
Then, as 3ds Max does: its own modules (``pymxs``, ``qtmax``: the fake) and its site-packages
(its Qt binding) go on the path, its UI is made (one QApplication, the main window; 2025+ builds
its menus), and the user startup scripts run (``scripts/startup/*.ms``). Then the artist picks
Renderbus > Submit..., submits, and picks Renderbus > Monitor... One line ``REPORT {json}``
says what happened. Python 3.7 syntax: it runs in 3ds Max 2022's Python.
"""

import importlib
import json
import os
import sys
import time

del sys.path[0]  # this script's folder is no part of 3ds Max's path


class Timeout(Exception):
    pass


def wait(app, condition, seconds=180.0, say=lambda: ""):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise Timeout("waited %.0f s: %s" % (seconds, say()))
        app.processEvents()
        time.sleep(0.02)


def find(parent, class_name, widgets):
    for widget in parent.findChildren(widgets.QWidget):
        if type(widget).__name__ == class_name:
            return widget
    return None


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        spec = json.load(handle)
    year = spec["year"]
    sys.path.append(spec["host_site"])  # 3ds Max's own site-packages: its Qt binding
    sys.path.append(spec["other_binding_dir"])  # another tool's folder, holding the binding 3ds Max does not run
    sys.path.insert(0, spec["fake_dir"])  # 3ds Max's own Python modules: pymxs, qtmax

    widgets = importlib.import_module(spec["binding"] + ".QtWidgets")
    shiboken = importlib.import_module(spec["binding"].replace("PySide", "shiboken"))
    app = widgets.QApplication(["3dsmax"])
    main_window = widgets.QMainWindow()
    sys.path.insert(0, spec["scenes_dir"])
    import max_scenes  # the artist's scene (data only)

    sys.path.remove(spec["scenes_dir"])
    import fakemax

    root = spec["scene_root"]
    shot = os.path.join(root, "shot 010")
    for name, data in (("灯光 v002.max", b"3ds max scene" * 100), ("tex/木纹 wood.jpg", b"jpg" * 1000)):
        path = os.path.join(shot, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as out:
            out.write(data)
    renderer = max_scenes.vray_scene()["renderer"]
    if year >= 2026:  # the V-Ray of that 3ds Max's time
        renderer = dict(renderer, version="7.10.00", **{"class": "V_Ray_7__Update_1"})
    scene = max_scenes.vray_scene(
        renderer=renderer, file=os.path.join(shot, "灯光 v002.max"), project=root, plugins=["vray"],
        time={"type": 3, "start": 1, "end": 4, "nth": 1},
        output={"save": True, "file": os.path.join(root, "renders", "beauty.exr")}, elements=[],
        objects=[{"class": "BitmapTexture", "name": "wood", "props": {"filename": os.path.join(shot, "tex", "木纹 wood.jpg")}}],
        xrefs=[], object_xrefs=[], ats_files=[])
    fake = fakemax.use(fakemax.FakeMax(year, scene))
    fake._window = main_window  # qtmax.GetQMaxMainWindow()

    # 3ds Max runs the user startup scripts: what Renderbus adds to start-up
    import pymxs, qtmax  # noqa: E401,F401 - 3ds Max's own, loaded before
    before = set(sys.modules)
    started = time.perf_counter()
    scripts = sorted(os.path.join(spec["startup_dir"], n) for n in os.listdir(spec["startup_dir"]) if n.endswith(".ms"))
    for path in scripts:
        with open(path, encoding="utf-8-sig") as handle:
            fake.run_script_file(handle.read())
    startup_ms = (time.perf_counter() - started) * 1000
    loaded_at_startup = sorted(set(sys.modules) - before)

    if spec.get("startup_only"):
        print("REPORT " + json.dumps({"startup_ms": startup_ms, "loaded_at_startup": loaded_at_startup}))
        sys.stdout.flush()
        os._exit(0)
    if year >= 2025:
        entry = [e for e in fake.build_menus().mainMenuBar.items if e["title"] == "Renderbus"]
        menu = [i["title"] for i in entry[0]["menu"].items] if entry else []
        actions = [tuple(reversed(i["action"].split("`"))) for i in entry[0]["menu"].items] if entry else []
    else:
        registered = [m for m in fake.menu_man.registered if m.getTitle() == "Renderbus"]
        items = [registered[0].getItem(i) for i in range(1, registered[0].numItems() + 1)] if registered else []
        menu = [i.getTitle() for i in items]
        actions = [(i.macro[1], i.macro[0]) for i in items if i.macro]  # (category, macroScript)
    menu_bar = fake.build_menus().main_titles() if year >= 2025 else fake.menu_man.main_titles()

    # Renderbus > Submit...
    fake.run_macro(*actions[0])
    window = find(main_window, "SubmitterWindow", widgets)
    wait(app, lambda: window.preparation is not None and not window.runner.busy)
    errors = [(i.code, i.message) for i in window.preparation.report.errors]
    if errors or not window.submit_button.isEnabled():  # nothing to click: say why
        print("REPORT " + json.dumps({"errors": errors, "task_id": None, "last_error": "submit disabled"}))
        sys.stdout.flush()
        os._exit(0)
    window.label_combo.setEditText("hosts")
    window.confirm_warnings = lambda report: True
    window.submit()
    wait(app, lambda: window.result is not None or window.last_error is not None,
         say=lambda: "%s / %s" % (window.result_label.text(), window.status_label.text() if hasattr(window, "status_label") else ""))
    task_id = window.result.task_id if window.result is not None else None

    # Renderbus > Monitor...
    fake.run_macro(*actions[1])
    monitor = find(main_window, "MonitorWindow", widgets)

    def shown():
        return [monitor.tasks.item(r, 0).text() for r in range(monitor.tasks.rowCount())]

    wait(app, lambda: any(text.split()[0] == str(task_id) for text in shown()))

    import Qt
    import requests
    import urllib3

    report = {
        "python": "%d.%d" % sys.version_info[:2],
        "startup_ms": startup_ms,
        "startup_scripts": scripts,
        "loaded_at_startup": loaded_at_startup,
        "menu": menu,
        "menu_bar": menu_bar,
        "errors": errors,
        "last_error": str(window.last_error) if window.last_error else None,
        "task_id": task_id,
        "monitor_rows": shown(),
        "accelerators_off": [type(w).__name__ for w in fake.accelerators_off],
        "qt_binding": Qt.__binding__,
        "bindings_loaded": sorted({m.split(".")[0] for m in sys.modules if m.split(".")[0] in
                                   ("PySide2", "PySide6", "shiboken2", "shiboken6")}),
        "other_binding_tried": os.path.exists(os.path.join(spec["other_binding_dir"], "tried")),
        "one_qapplication": widgets.QApplication.instance() is app,
        "parents": [shiboken.getCppPointer(w.parentWidget())[0] == shiboken.getCppPointer(main_window)[0]
                    for w in (window, monitor)],
        "files": {name: getattr(sys.modules[name], "__file__", "") for name in ("Qt", "requests", "urllib3",
                                                                                   "renderbus_dcc", "renderbus_max")},
        "versions": {"requests": requests.__version__, "urllib3": urllib3.__version__, "Qt.py": Qt.__version__},
    }
    print("REPORT " + json.dumps(report))
    sys.stdout.flush()
    os._exit(0)  # as 3ds Max quits: no Python-side teardown of Qt objects


if __name__ == "__main__":
    main()
