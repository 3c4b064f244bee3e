""":class:`MaxHost`: what the Renderbus windows ask of 3ds Max (CONTRACTS §5, ``HostHooks``).

- Main window: ``qtmax.GetQMaxMainWindow()`` (3ds Max 2018+ / pymxs era), else
  ``MaxPlus.GetQMaxMainWindow()`` (older releases), else None.
- Keyboard: while a Renderbus window has the focus, 3ds Max's shortcuts are off
  (``qtmax.DisableMaxAcceleratorsOnFocus(window, True)``, "qtmax Module" of the 3ds Max Python
  help): typing "w" in a field types a "w" instead of switching to the Move tool.
- Qt binding: PySide2 for 3ds Max 2022-2024, PySide6 from 2025 (or the one 3ds Max has loaded).
- Scene settings live in the scene file's custom File Properties under
  ``renderbus_settings`` (JSON text), written with ``fileProperties.addProperty #custom``
  ("MAX Scene File Properties"); they are saved with the scene, so setting them marks the scene
  as needing a save (``setSaveRequired true``).
- Scene changes: ``callbacks.addScript`` for ``#filePostOpen``, ``#filePostSave``,
  ``#systemPostNew`` and ``#systemPostReset`` under the id ``#renderbus_scene``
  ("General Event Callback Mechanism"); removed again when the last listener goes.
"""

import json
import logging
from typing import Any, Callable, Dict, List, Optional

from renderbus_dcc.errors import HostError
from renderbus_dcc.i18n import N_, _
from renderbus_dcc.ui.host import HostHooks
from renderbus_max import mxs

__all__ = ["MaxHost", "SETTINGS_PROPERTY", "SCENE_EVENTS", "SCENE_CALLBACK_ID", "scene_changed"]

log = logging.getLogger(__name__)

SETTINGS_PROPERTY = "renderbus_settings"
SCENE_EVENTS = ("filePostOpen", "filePostSave", "systemPostNew", "systemPostReset")
SCENE_CALLBACK_ID = "renderbus_scene"
_SCENE_SCRIPT = 'python.Execute "import renderbus_max.hooks; renderbus_max.hooks.scene_changed()"'

#: Listeners of scene changes, in the order added (shared by every MaxHost: one 3ds Max).
_listeners: List[Callable[[], None]] = []


def scene_changed() -> None:
    """Run by 3ds Max's callbacks: tell every listener (a window's callback never breaks 3ds Max)."""
    for listener in list(_listeners):
        try:
            listener()
        except Exception:
            log.exception("Renderbus scene change listener failed")


class MaxHost(HostHooks):
    """3ds Max for the Renderbus windows. ``rt`` is ``pymxs.runtime`` (given in tests)."""

    name = "3ds Max"
    viewer_name = N_("the Frame Buffer")
    standalone = False

    def ui_language(self) -> Any:
        """3ds Max's interface language (the windows speak it unless the user chose another)."""
        from renderbus_max.startup import ui_language

        return ui_language(self.rt)

    def __init__(self, rt: Optional[Any] = None) -> None:
        super().__init__()
        self._rt = rt

    @property
    def rt(self) -> Any:
        if self._rt is None:
            self._rt = mxs.runtime()
        return self._rt

    def main_window(self) -> Any:
        try:
            import qtmax

            return qtmax.GetQMaxMainWindow()
        except ImportError:
            pass
        try:
            import MaxPlus  # 3ds Max 2017-2020

            return MaxPlus.GetQMaxMainWindow()
        except (ImportError, AttributeError):
            return None

    def qt_binding(self) -> Optional[str]:
        """The binding 3ds Max has loaded, else the one its version ships."""
        import sys

        from renderbus_dcc.install.support import host_version

        loaded = [name for name in ("PySide6", "PySide2") if name in sys.modules]
        if len(loaded) == 1:
            return loaded[0]
        return host_version("max", mxs.max_year(self.rt)).binding

    def adopt_window(self, window: Any) -> None:
        """3ds Max's shortcuts stay off while ``window`` has the focus."""
        try:
            import qtmax
        except ImportError:
            return
        disable = getattr(qtmax, "DisableMaxAcceleratorsOnFocus", None)
        if disable is not None:
            disable(window, True)

    def describe_scene(self) -> Any:
        from renderbus_max.analysis import describe_scene

        return describe_scene(self.rt)

    def open_image(self, path: str) -> None:
        """Show a downloaded frame in a frame buffer window: ``display (openBitMap <file>)``
        (MAXScript "BitMap Values": openBitMap answers undefined for a file it cannot read)."""
        bitmap = self.rt.openBitMap(path)
        if bitmap is None:
            raise HostError(_("3ds Max cannot open %s") % path, _("download the task's frames again"))
        self.rt.display(bitmap)

    # Settings stored in the scene -----------------------------------------------------------
    def load_scene_settings(self) -> Dict[str, Any]:
        props = self.rt.fileProperties
        custom = mxs.name(self.rt, "custom")
        index = int(props.findProperty(custom, SETTINGS_PROPERTY))
        if index <= 0:
            return {}
        raw = mxs.text(props.getPropertyValue(custom, index))
        try:
            value = json.loads(raw)
        except ValueError:
            log.warning("the scene's %s property is not JSON; ignored", SETTINGS_PROPERTY)
            return {}
        return value if isinstance(value, dict) else {}

    def save_scene_settings(self, settings: Dict[str, Any]) -> None:
        text = json.dumps(settings, ensure_ascii=False, sort_keys=True)
        if text == json.dumps(self.load_scene_settings(), ensure_ascii=False, sort_keys=True):
            return  # unchanged: do not mark the scene as modified
        props = self.rt.fileProperties
        custom = mxs.name(self.rt, "custom")
        if int(props.findProperty(custom, SETTINGS_PROPERTY)) > 0:
            props.deleteProperty(custom, SETTINGS_PROPERTY)
        props.addProperty(custom, SETTINGS_PROPERTY, text)
        self.rt.setSaveRequired(True)

    # Scene changes ----------------------------------------------------------------------------
    def add_scene_change_callback(self, callback: Callable[[], None]) -> Callable[[], None]:
        rt = self.rt
        if not _listeners:
            for event in SCENE_EVENTS:
                rt.callbacks.addScript(mxs.name(rt, event), _SCENE_SCRIPT, id=mxs.name(rt, SCENE_CALLBACK_ID))
        _listeners.append(callback)

        def remove() -> None:
            if callback in _listeners:
                _listeners.remove(callback)
                if not _listeners:
                    rt.callbacks.removeScripts(id=mxs.name(rt, SCENE_CALLBACK_ID))

        return remove
