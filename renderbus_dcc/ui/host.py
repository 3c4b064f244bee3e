"""What a host application (Maya, 3ds Max, or none) lends the windows: :class:`HostHooks`.

Maya and 3ds Max subclass :class:`HostHooks`; the base class is the standalone host (no
application around the windows), useful for tests, the preview and scripts: it holds a
:class:`~renderbus_dcc.scene.SceneDescription` and the scene settings in memory.
"""

import logging
from typing import Any, Callable, Dict, List, Optional

from renderbus_dcc.errors import HostError
from renderbus_dcc.i18n import N_, _
from renderbus_dcc.scene import SceneDescription

__all__ = ["HostHooks"]

log = logging.getLogger(__name__)


class HostHooks:
    """The few things the windows ask of the application they run in. Safe defaults."""

    name = "Standalone"

    def __init__(self, scene: Optional[SceneDescription] = None, settings: Optional[Dict[str, Any]] = None) -> None:
        self.scene = scene
        self.settings: Dict[str, Any] = dict(settings or {})
        self._callbacks: List[Callable[[], None]] = []

    def main_window(self) -> Any:
        """The host's main window (a QWidget) the windows are parented to; None standalone."""
        return None

    def ui_language(self) -> Optional[str]:
        """The application's interface language in any spelling ``i18n.normalize_language`` reads
        (Maya's ``zh_CN``, 3ds Max's ``CHS``), or None: the windows speak the user's language
        setting, else this, else the system's."""
        return None

    def describe_scene(self) -> SceneDescription:
        """The open scene, described. Called on the main thread only."""
        scene = getattr(self, "scene", None)
        if scene is None:
            raise HostError(_("There is no scene to submit."), _("open or save a scene first"))
        return scene

    def load_scene_settings(self) -> Dict[str, Any]:
        """The submitter settings stored with the scene (SubmitOptions.to_settings())."""
        return dict(getattr(self, "settings", None) or {})

    def save_scene_settings(self, settings: Dict[str, Any]) -> None:
        """Store the submitter settings with the scene."""
        self.settings = dict(settings)

    def add_scene_change_callback(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call ``callback`` (on the main thread) when the scene changes; returns a remover."""
        if not hasattr(self, "_callbacks"):
            self._callbacks = []
        self._callbacks.append(callback)

        def remove() -> None:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

        return remove

    #: The host's image viewer, as the artist knows it ("Render View", "Frame Buffer", ...).
    viewer_name = N_("the image viewer")

    def open_image(self, path: str) -> None:
        """Show a downloaded frame in the host's own viewer (main thread). Standalone: the
        system's image viewer."""
        from renderbus_dcc.ui.qt import QtCore, QtGui

        if not QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(path)):
            raise HostError(_("no program opens %s") % path, _("open it from its folder"))

    # Standalone helpers --------------------------------------------------------------------
    def set_scene(self, scene: SceneDescription) -> None:
        """Replace the standalone scene and tell the windows (as a host's callback would)."""
        self.scene = scene
        self.notify_scene_changed()

    def notify_scene_changed(self) -> None:
        """Run the scene-change callbacks (hosts wire this to their own scene events)."""
        for callback in list(getattr(self, "_callbacks", [])):
            try:
                callback()
            except Exception:  # a window's callback must not break the host
                log.exception("scene change callback failed")
