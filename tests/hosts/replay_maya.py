"""Maya's start-up and an artist's clicks, replayed in one Maya version's own Python (see harness.py).

Run as ``python3.X -I -S replay_maya.py spec.json``: the path holds the standard library only.
Then, as Maya does: its own modules (``maya``, the fake) and its site-packages (its Qt binding)
go on the path, the module files of the user's modules folder are read (``MAYAVERSION:``
blocks, ``PYTHONPATH+:=``, each module's ``scripts/`` and ``icons/``), the UI is made (one
QApplication, the main window), every ``userSetup.py`` on the path runs and the idle queue is
processed. Then the artist clicks Submit on the shelf, submits, and clicks Monitor. One line
``REPORT {json}`` says what happened. Python 3.7 syntax: it runs in Maya 2022's Python.
"""

import importlib
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # (-I leaves this script's folder out)
from replay_common import common, monitor_rows, report, submit  # noqa: E402

del sys.path[0]  # this script's folder is no part of Maya's path


def read_modules(folder, year, platform="linux"):
    """The module files of ``folder`` as Maya reads them: [(module root, {VAR: [paths]})] for the
    blocks whose conditions hold in Maya ``year``."""
    found = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".mod"):
            continue
        current = None
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            for raw in handle:
                line = raw.strip()
                if not line or line.startswith("#"):
                    continue
                if line.startswith(("+", "-")):
                    fields = line[1:].split()
                    conditions = [f for f in fields if ":" in f and not os.path.isabs(f)]
                    rest = [f for f in fields if f not in conditions]
                    ok = line.startswith("+") and all(
                        (key == "MAYAVERSION" and value == str(year)) or (key == "PLATFORM" and value == platform)
                        or key == "LOCALE" for key, value in (c.split(":", 1) for c in conditions))
                    root = os.path.normpath(os.path.join(folder, " ".join(rest[2:])))
                    current = (root, {}) if ok else None
                    if current:
                        found.append(current)
                    continue
                if current is None:
                    continue
                for operator in ("+:=", ":=", "+=", "="):
                    if operator in line:
                        key, value = (part.strip() for part in line.split(operator, 1))
                        if ":" in operator:  # relative to the module's folder
                            value = os.path.normpath(os.path.join(current[0], value))
                        current[1].setdefault(key, []).append(value)
                        break
    return found


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        spec = json.load(handle)
    year = spec["year"]
    sys.path.append(spec["host_site"])  # Maya's own site-packages: its Qt binding
    sys.path.append(spec["other_binding_dir"])  # another tool's folder, holding the binding Maya does not run
    sys.path.insert(0, spec["fake_dir"])  # Maya's own Python modules: maya.cmds & co.
    os.environ["RENDERBUS_FAKE_MAYA_FLAGS"] = spec["flags"]

    # Maya reads the module files: PYTHONPATH (before site-packages), scripts/, icons/ (XBMLANGPATH)
    icons = []
    for root, variables in read_modules(spec["modules_dir"], year):
        for entry in variables.get("PYTHONPATH", []) + [os.path.join(root, "scripts")]:
            if os.path.isdir(entry):
                sys.path.insert(len(sys.path) - 2, entry)
        if os.path.isdir(os.path.join(root, "icons")):
            icons.append(os.path.join(root, "icons") + "/%B")
    os.environ["XBMLANGPATH"] = os.pathsep.join(icons)

    # Maya's UI: one QApplication, its main window
    widgets = importlib.import_module(spec["binding"] + ".QtWidgets")
    shiboken = importlib.import_module(spec["binding"].replace("PySide", "shiboken"))
    app = widgets.QApplication(["maya"])
    main_window = widgets.QMainWindow()
    main_window.setObjectName("MayaWindow")
    import maya._scene as scene  # the fake's state: the scene Maya has open

    scene.STATE = scene.FakeMaya(version=str(year))
    scene.STATE.main_window_ptr = shiboken.getCppPointer(main_window)[0]
    scene.STATE.user_app_dir = spec["maya_app_dir"]
    sys.path.insert(0, spec["scenes_dir"])
    import maya_scenes  # the artist's scene (data only)

    sys.path.remove(spec["scenes_dir"])
    from pathlib import Path

    maya_scenes.make_files(Path(spec["scene_root"]), "scenes/shot020.ma")
    maya_scenes.render_setup_layers(scene.STATE, Path(spec["scene_root"]))
    if year >= 2026:  # the renderers of that Maya's time
        scene.STATE.plugins.update(mtoa="5.6.0", vrayformaya="7.20.00")
    scene.STATE.modified = False

    # Maya runs the userSetup.py files on its path, then its idle queue: what Renderbus adds to start-up
    import maya.cmds, maya.mel, maya.utils, maya.OpenMayaUI  # noqa: E401 - Maya's own, loaded before
    before = set(sys.modules)
    started = time.perf_counter()
    user_setups = [os.path.join(p, "userSetup.py") for p in sys.path if os.path.isfile(os.path.join(p, "userSetup.py"))]
    for path in user_setups:
        with open(path, encoding="utf-8") as handle:
            exec(compile(handle.read(), path, "exec"), {"__name__": "__main__", "__file__": path})
    maya.utils.processIdleEvents()
    startup_ms = (time.perf_counter() - started) * 1000
    loaded_at_startup = sorted(set(sys.modules) - before)

    if spec.get("startup_only"):
        report({"startup_ms": startup_ms, "loaded_at_startup": loaded_at_startup})
    state = scene.STATE
    shelf = [(state.controls[b].flags["label"], state.controls[b].flags["command"], state.controls[b].flags["image"])
             for b in state.children("Renderbus")]
    menu = [state.controls[i].flags.get("label", "---") for i in state.children("RenderbusMenu")]

    # the artist clicks Submit on the shelf
    exec(dict((label, command) for label, command, _ in shelf)["Submit"], {})
    import renderbus_dcc.ui as ui

    window = ui._WINDOWS["submitter"]
    task_id, errors, layers = submit(app, window)

    # and Monitor
    exec(dict((label, command) for label, command, _ in shelf)["Monitor"], {})
    monitor = ui._WINDOWS["monitor"]
    rows = monitor_rows(app, monitor, task_id)

    data = common(spec, app, widgets, shiboken, main_window, (window, monitor), "renderbus_maya")
    data.update({
        "startup_ms": startup_ms,
        "user_setups": user_setups,
        "loaded_at_startup": loaded_at_startup,
        "shelf": [(label, image) for label, _, image in shelf],
        "menu": menu,
        "missing_icons": state.missing_icons,
        "option_vars": {k: v for k, v in state.option_vars.items() if "Renderbus" in str(v)},
        "layers": layers,
        "errors": errors,
        "last_error": str(window.last_error) if window.last_error else None,
        "task_id": task_id,
        "monitor_rows": rows,
        "visible_layer": state.visible_layer,
        "modified": state.modified,
    })
    report(data)


if __name__ == "__main__":
    main()
