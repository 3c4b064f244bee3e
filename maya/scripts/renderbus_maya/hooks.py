"""What the Renderbus windows ask of Maya: :class:`MayaHost`.

The windows (renderbus_dcc.ui) call these on Maya's main thread. Scene settings (frames,
layers, cameras, label, environment of the last submission) are stored in the scene itself
with ``fileInfo`` under :data:`SETTINGS_KEY`, as JSON, so they are saved with the scene and the
next submission starts from them.
"""

from __future__ import annotations

import codecs
import importlib
import json
import logging
from typing import Any, Callable, Dict, List

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

    def ui_language(self) -> Any:
        """Maya's interface language (the windows speak it unless the user chose another)."""
        from renderbus_maya.startup import ui_language

        return ui_language()

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
        # ASCII only (non-ASCII as \\uXXXX), so Maya's escaping can be undone safely on load.
        cmds.fileInfo(SETTINGS_KEY, json.dumps(settings, ensure_ascii=True, sort_keys=True))

    def add_scene_change_callback(self, callback: Callable[[], None]) -> Callable[[], None]:
        jobs: List[int] = []
        for event in SCENE_EVENTS:
            job = cmds.scriptJob(event=(event, callback))
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
