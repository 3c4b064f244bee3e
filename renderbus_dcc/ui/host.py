"""What a host application (Maya, 3ds Max, or none) lends the windows: :class:`HostHooks`.

Maya and 3ds Max subclass :class:`HostHooks`; the base class is the standalone host (no
application around the windows), useful for tests, the preview and scripts: it holds a
:class:`~renderbus_dcc.scene.SceneDescription` and the scene settings in memory.

A host also says which Qt binding it runs (:meth:`HostHooks.qt_binding`: PySide2 in Maya and
3ds Max 2022-2024, PySide6 from 2025); :func:`use_binding` records it before the windows import
Qt, and :mod:`renderbus_dcc.ui.qt` loads that one and no other. This module imports no Qt.
"""

import logging
import sys
from typing import Any, Callable, Dict, List, Optional

from renderbus_dcc.errors import HostError
from renderbus_dcc.i18n import N_, _
from renderbus_dcc.scene import SceneDescription

__all__ = ["HostHooks", "BINDINGS", "use_binding", "wanted_binding"]

log = logging.getLogger(__name__)

#: The Qt bindings the windows run on.
BINDINGS = ("PySide6", "PySide2")
_wanted: List[str] = []


def use_binding(name: Optional[str]) -> None:
    """Have the windows use the Qt binding ``name`` (the host's); None: no preference.

    Raises HostError if the windows were already loaded with another binding.
    """
    if not name:
        return
    if name not in BINDINGS:
        raise HostError(_("Unknown Qt binding %r.") % name, _("use one of %s") % ", ".join(BINDINGS))
    loaded = sys.modules.get("renderbus_dcc.ui.qt")
    if loaded is not None and getattr(loaded, "BINDING", name) != name:
        raise HostError(_("The Renderbus windows were loaded with %(loaded)s, but this application runs %(host)s.")
                        % {"loaded": getattr(loaded, "BINDING", "?"), "host": name}, _("restart the application"))
    _wanted[:] = [name]


def wanted_binding() -> Optional[str]:
    """The binding :func:`use_binding` asked for, if any."""
    return _wanted[0] if _wanted else None


class HostHooks:
    """The few things the windows ask of the application they run in. Safe defaults."""

    name = "Standalone"
    #: False in an application: the windows never make a QApplication there (it has its own).
    standalone = True

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

    def qt_binding(self) -> Optional[str]:
        """The Qt binding the application runs ("PySide2"/"PySide6"); None standalone (any)."""
        return None

    def adopt_window(self, window: Any) -> None:
        """Called once for each new window, before it shows (3ds Max turns its shortcuts off for it)."""

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

    def add_scene_change_callback(self, callback: Callable[[], None], owner: Any = None) -> Callable[[], None]:
        """Call ``callback`` (on the main thread) when the scene changes; returns a remover.

        ``owner``: the window the callback belongs to (by default the object whose method it is);
        a host may tie the registration's life to it."""
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
