"""Renderbus for Blender: send the open scene to the Renderbus render farm and follow its tasks.

Installs as a Blender 4.2+ extension (``blender_manifest.toml``) or as a legacy add-on
(``bl_info``, Blender 3.6+). The panel lives in Properties > Output. The farm-independent work
(asset collection, environment choice, validation, upload, submission, monitoring) is the
``renderbus_dcc`` core's; this package only reads the scene with bpy and draws Blender's UI.

Where the core is not installed in Blender's Python, the copy shipped with the add-on is used:
``wheels/renderbus_dcc-*.whl`` (a pure-Python wheel; Blender 4.2+ installs it from the manifest,
older Blender and copied installs import it straight from the wheel file).
"""

bl_info = {
    "name": "Renderbus",
    "author": "renderbus_dcc contributors",
    "version": (0, 1, 0),
    "blender": (3, 6, 0),
    "location": "Properties > Output > Renderbus",
    "description": "Submit scenes to and follow tasks on the Renderbus render farm",
    "doc_url": "https://www.renderbus.com",
    "category": "Render",
}

import glob
import os
import sys

import bpy


def _ensure_core() -> None:
    """Make ``renderbus_dcc`` importable: Blender's Python first, else the bundled wheel."""
    try:
        import renderbus_dcc  # noqa: F401
        return
    except ImportError:
        pass
    here = os.path.dirname(os.path.abspath(__file__))
    for wheel in sorted(glob.glob(os.path.join(here, "wheels", "renderbus_dcc-*.whl")), reverse=True):
        if wheel not in sys.path:
            sys.path.append(wheel)  # a pure-Python wheel is importable as a zip
        return


_ensure_core()

from . import analysis, changes, downloads, jobs, operators, panels, preferences, properties, translations  # noqa: E402

_modules = (properties, preferences, operators, downloads, panels)
_register_classes, _unregister_classes = bpy.utils.register_classes_factory(
    [cls for module in _modules for cls in module.classes]
)


def register() -> None:
    """Register every class, the scene settings and the UI state; Blender calls this."""
    translations.register(__name__)  # before the classes: their labels are looked up in it
    _register_classes()
    properties.register()
    changes.register()
    downloads.register()


def unregister() -> None:
    """Undo :func:`register`: stop background work, drop timers, previews and properties."""
    jobs.shutdown()
    changes.unregister()
    downloads.unregister()
    properties.unregister()
    _unregister_classes()
    translations.unregister(__name__)


__all__ = ["bl_info", "register", "unregister", "analysis"]
