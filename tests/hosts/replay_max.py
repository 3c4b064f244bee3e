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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # (-I leaves this script's folder out)
from replay_common import common, monitor_rows, report, submit  # noqa: E402

del sys.path[0]  # this script's folder is no part of 3ds Max's path


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
        renderer = dict(renderer, version="7.20.00", **{"class": "V_Ray_7__Update_2"})
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
        report({"startup_ms": startup_ms, "loaded_at_startup": loaded_at_startup})
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
    task_id, errors, _ = submit(app, window)

    # Renderbus > Monitor...
    fake.run_macro(*actions[1])
    monitor = find(main_window, "MonitorWindow", widgets)
    rows = monitor_rows(app, monitor, task_id)

    data = common(spec, app, widgets, shiboken, main_window, (window, monitor), "renderbus_max")
    data.update({
        "startup_ms": startup_ms,
        "startup_scripts": scripts,
        "loaded_at_startup": loaded_at_startup,
        "menu": menu,
        "menu_bar": menu_bar,
        "errors": errors,
        "last_error": str(window.last_error) if window.last_error else None,
        "task_id": task_id,
        "monitor_rows": rows,
        "accelerators_off": [type(w).__name__ for w in fake.accelerators_off],
    })
    report(data)


if __name__ == "__main__":
    main()
