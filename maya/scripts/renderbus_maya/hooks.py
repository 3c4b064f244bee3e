"""What the Renderbus windows ask of Maya: :class:`MayaHost`.

The windows (renderbus_dcc.ui) call these on Maya's main thread.

- Scene settings (frames, layers, cameras, label, environment of the last submission) are
  stored in the scene itself with ``fileInfo`` under :data:`SETTINGS_KEY`, as JSON, so they are
  saved with the scene and the next submission starts from them. They are written only when
  they changed, and writing them leaves the scene's modified flag as it was: they travel with
  the artist's next save, and opening the submitter never makes Maya ask to save.
- Scene changes: a ``scriptJob`` per event in :data:`SCENE_EVENTS`, parented to the window that
  asked (``parent=``, its Maya UI name), so Maya kills the jobs with the window even if it never
  says goodbye. Layer events while the analysis switches Render Setup layers, or that leave the
  layers as they were, are not passed on (else reading the layers would start a new reading).
"""

import codecs
import importlib
import json
import logging
from typing import Any, Callable, Dict, List, Optional, Tuple

from maya import cmds, mel

from renderbus_dcc.errors import HostError
from renderbus_dcc.i18n import N_, _
from renderbus_dcc.scene import SceneDescription
from renderbus_dcc.ui.host import HostHooks

from renderbus_maya import analysis

__all__ = ["MayaHost", "SETTINGS_KEY", "SCENE_EVENTS"]

log = logging.getLogger(__name__)

SETTINGS_KEY = "renderbus_settings"
#: scriptJob events after which the windows re-read the scene
SCENE_EVENTS = ("SceneOpened", "NewSceneOpened", "SceneSaved", "renderLayerManagerChange")


class MayaHost(HostHooks):
    """Maya as the windows' host."""

    name = "Maya"
    viewer_name = N_("Render View")
    standalone = False

    def ui_language(self) -> Any:
        """Maya's interface language (the windows speak it unless the user chose another)."""
        from renderbus_maya.startup import ui_language

        return ui_language()

    def qt_binding(self) -> Optional[str]:
        """PySide6 where Maya runs Qt 6 (2025+), else PySide2 (``about -qtVersion``)."""
        return "PySide6" if str(cmds.about(qtVersion=True)).startswith("6") else "PySide2"

    def main_window(self) -> Any:
        """Maya's main window as a QWidget (None when Maya has no UI)."""
        # maya.OpenMayaUI (API 1.0) is not described by the type stubs: reach it by name.
        pointer = importlib.import_module("maya.OpenMayaUI").MQtUtil.mainWindow()
        if pointer is None:
            return None
        from renderbus_dcc.ui.qt import wrap_instance

        return wrap_instance(int(pointer))

    def describe_scene(self) -> SceneDescription:
        return analysis.describe_scene()

    def load_scene_settings(self) -> Dict[str, Any]:
        # `fileInfo -query keyword` is documented; the types-maya stub lacks that overload.
        values = cmds.fileInfo(SETTINGS_KEY, query=True)  # type: ignore[call-overload]
        if not isinstance(values, list) or not values:
            return {}
        text = str(values[0])
        for candidate in (text, codecs.decode(text, "unicode_escape")):  # fileInfo -q escapes quotes
            try:
                data = json.loads(candidate)
            except ValueError:
                continue
            return data if isinstance(data, dict) else {}
        log.warning("ignoring unreadable %s in the scene: %r", SETTINGS_KEY, text[:80])
        return {}

    def save_scene_settings(self, settings: Dict[str, Any]) -> None:
        if settings == self.load_scene_settings():
            return
        modified = bool(cmds.file(query=True, modified=True))
        # ASCII only (non-ASCII as \\uXXXX), so Maya's escaping can be undone safely on load.
        cmds.fileInfo(SETTINGS_KEY, json.dumps(settings, ensure_ascii=True, sort_keys=True))
        if not modified:
            cmds.file(modified=False)

    def add_scene_change_callback(self, callback: Callable[[], None], owner: Any = None) -> Callable[[], None]:
        """``callback`` after each of :data:`SCENE_EVENTS`; the jobs live as long as ``owner``
        (a QWidget; by default the widget whose method ``callback`` is)."""
        parent = _ui_name(owner if owner is not None else getattr(callback, "__self__", None))
        layers = [_layer_state()]

        def on_layers_changed() -> None:
            if analysis.reading_layers():
                return
            now = _layer_state()
            if now != layers[0]:
                layers[0] = now
                callback()

        jobs: List[int] = []
        for event in SCENE_EVENTS:
            handler = on_layers_changed if event == "renderLayerManagerChange" else callback
            if parent:
                job = cmds.scriptJob(event=(event, handler), parent=parent)
            else:
                job = cmds.scriptJob(event=(event, handler))
            if isinstance(job, int):
                jobs.append(job)

        def remove() -> None:
            for job in jobs:
                if cmds.scriptJob(exists=job):
                    cmds.scriptJob(kill=job, force=True)
            del jobs[:]

        return remove

    def open_image(self, path: str) -> None:
        """Show a downloaded frame in Maya's Render View (opened if it is not)."""
        import os

        if not os.path.isfile(path):
            raise HostError(_("%s is not there any more") % path, _("download the task's frames again"))
        mel.eval("RenderViewWindow")  # the runtime command opens (or raises) the Render View
        cmds.renderWindowEditor("renderView", edit=True, loadImage=path.replace("\\", "/"))


def _layer_state() -> Tuple[Tuple[str, bool], ...]:
    """The scene's render layers and whether each renders: what a layer event may change."""
    nodes = cmds.ls(type="renderLayer") or []
    return tuple((str(node), bool(cmds.getAttr(str(node) + ".renderable"))) for node in nodes)


def _ui_name(widget: Any) -> Optional[str]:
    """The Maya UI name of a QWidget's window (``MayaWindow|renderbusSubmitter``), or None."""
    if widget is None or not hasattr(widget, "window"):
        return None
    try:
        from renderbus_dcc.ui.qt import cpp_pointer

        name = importlib.import_module("maya.OpenMayaUI").MQtUtil.fullName(cpp_pointer(widget.window()))
    except Exception:  # no name to give: the jobs then go when the window removes them
        log.debug("no Maya UI name for %r", widget, exc_info=True)
        return None
    return str(name) if name else None
