"""The one module that knows which Qt binding runs (PySide6 or PySide2, through Qt.py).

Everything binding-specific lives here: the imports, the Signal/Slot names, ``exec`` versus
``exec_``, and enum members that PySide6 scopes (``Qt.AlignmentFlag.AlignLeft``) where PySide2
does not (``Qt.AlignLeft``). The windows import their Qt names from this module only.

Which binding: the host's, never a second one. Qt.py 2 prefers PySide6 whenever one can be
imported, so in a PySide2 host (Maya and 3ds Max 2022-2024) with a PySide6 reachable it would
load Qt 6 into a Qt 5 process. So the binding is chosen here, before Qt.py is imported: the one
the host asked for (:func:`renderbus_dcc.ui.host.use_binding`), else the one the process has
loaded already, else Qt.py's own order (standalone). Qt.py is then told to load that one only,
and a mismatch is an error that says so rather than a crash.
"""

import json
import os
import sys
from typing import Any, List, Optional

from renderbus_dcc.errors import HostError
from renderbus_dcc.i18n import _
from renderbus_dcc.ui.host import BINDINGS, wanted_binding

__all__ = [
    "QtCore", "QtGui", "QtWidgets", "Signal", "Slot", "BINDING", "exec_dialog", "enum",
    "standard_icon", "wrap_instance", "cpp_pointer", "QUEUED", "is_valid", "choose_binding",
]


def choose_binding(wanted: Optional[str], loaded: List[str]) -> Optional[str]:
    """The binding to load: ``wanted`` (the host's), else the one ``loaded`` already; None = any."""
    if wanted:
        others = [name for name in loaded if name != wanted]
        if others:
            raise HostError(_("%(other)s is loaded in this application, which runs %(host)s: the Renderbus windows "
                              "cannot open.") % {"other": others[0], "host": wanted},
                            _("remove the tool that loads %s from this application's start-up") % others[0])
        return wanted
    return loaded[0] if len(loaded) == 1 else None


def _import_qt(binding: Optional[str]) -> Any:
    """Import Qt.py with ``binding`` as its only choice (the environment restored afterwards)."""
    if binding is None or "Qt" in sys.modules:
        import Qt

        return Qt
    saved = {name: os.environ.get(name) for name in ("QT_PREFERRED_BINDING", "QT_PREFERRED_BINDING_JSON")}
    os.environ["QT_PREFERRED_BINDING"] = binding
    os.environ["QT_PREFERRED_BINDING_JSON"] = json.dumps({"Qt": [binding], "default": [binding]})
    try:
        import Qt
    except ImportError as error:
        raise HostError(_("The Qt binding %(binding)s could not be loaded: %(error)s")
                        % {"binding": binding, "error": error}, _("reinstall Renderbus for this application")) from error
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return Qt


_binding = choose_binding(wanted_binding(), [name for name in BINDINGS if name in sys.modules])
_qt_module = _import_qt(_binding)
if _binding is not None and _qt_module.__binding__ != _binding:
    raise HostError(_("Qt.py runs %(loaded)s here, but this application runs %(host)s.")
                    % {"loaded": _qt_module.__binding__, "host": _binding},
                    _("remove the tool that loads Qt.py with %s from this application's start-up") % _qt_module.__binding__)

from Qt import QtCompat, QtCore, QtGui, QtWidgets  # noqa: E402,F401  (re-exported)

#: "PySide6" or "PySide2" (or PyQt*, which Qt.py also supports).
BINDING: str = _qt_module.__binding__

Signal = QtCore.Signal
Slot = QtCore.Slot


def enum(owner: Any, scope: str, member: str) -> Any:
    """An enum member, whether the binding scopes it (``owner.scope.member``) or not (``owner.member``)."""
    scoped = getattr(owner, scope, None)
    if scoped is not None and hasattr(scoped, member):
        return getattr(scoped, member)
    return getattr(owner, member)


def exec_dialog(obj: Any) -> Any:
    """Run a modal dialog / message box / menu (``exec`` in PySide6, ``exec_`` in PySide2)."""
    run = getattr(obj, "exec", None) or getattr(obj, "exec_")
    return run()


def standard_icon(widget: "QtWidgets.QWidget", name: str) -> "QtGui.QIcon":
    """A style's standard icon by name, e.g. ``"SP_MessageBoxWarning"``."""
    return widget.style().standardIcon(enum(QtWidgets.QStyle, "StandardPixmap", name))


def wrap_instance(pointer: int, base: Any = None) -> Any:
    """Wrap a host's native widget pointer (Maya's ``MQtUtil.mainWindow()``) as a Python widget."""
    return QtCompat.wrapInstance(int(pointer), base or QtWidgets.QWidget)


def cpp_pointer(obj: Any) -> int:
    """The address of a Qt object's C++ side (what a host's API takes for a widget)."""
    pointer: Any = QtCompat.getCppPointer(obj)  # Qt.py answers the address; shiboken itself a tuple
    return int(pointer[0] if isinstance(pointer, (tuple, list)) else pointer)


def is_valid(obj: Any) -> bool:
    """False once the C++ side of a Qt object was deleted."""
    try:
        return bool(QtCompat.isValid(obj))
    except Exception:  # pragma: no cover - binding without isValid
        return obj is not None


# Enum members the windows use (resolved once, binding-independent names).
QUEUED = enum(QtCore.Qt, "ConnectionType", "QueuedConnection")
ALIGN_LEFT = enum(QtCore.Qt, "AlignmentFlag", "AlignLeft")
ALIGN_CENTER = enum(QtCore.Qt, "AlignmentFlag", "AlignCenter")
USER_ROLE = enum(QtCore.Qt, "ItemDataRole", "UserRole")
CHECKED = enum(QtCore.Qt, "CheckState", "Checked")
UNCHECKED = enum(QtCore.Qt, "CheckState", "Unchecked")
ITEM_IS_ENABLED = enum(QtCore.Qt, "ItemFlag", "ItemIsEnabled")
ITEM_IS_SELECTABLE = enum(QtCore.Qt, "ItemFlag", "ItemIsSelectable")
ITEM_IS_USER_CHECKABLE = enum(QtCore.Qt, "ItemFlag", "ItemIsUserCheckable")
WINDOW = enum(QtCore.Qt, "WindowType", "Window")
WA_DELETE_ON_CLOSE = enum(QtCore.Qt, "WidgetAttribute", "WA_DeleteOnClose")
KEEP_ASPECT = enum(QtCore.Qt, "AspectRatioMode", "KeepAspectRatio")
SMOOTH = enum(QtCore.Qt, "TransformationMode", "SmoothTransformation")
HORIZONTAL = enum(QtCore.Qt, "Orientation", "Horizontal")
VERTICAL = enum(QtCore.Qt, "Orientation", "Vertical")
TEXT_SELECTABLE = enum(QtCore.Qt, "TextInteractionFlag", "TextSelectableByMouse")
PASSWORD = enum(QtWidgets.QLineEdit, "EchoMode", "Password")
SELECT_ROWS = enum(QtWidgets.QAbstractItemView, "SelectionBehavior", "SelectRows")
SINGLE_SELECTION = enum(QtWidgets.QAbstractItemView, "SelectionMode", "SingleSelection")
EXTENDED_SELECTION = enum(QtWidgets.QAbstractItemView, "SelectionMode", "ExtendedSelection")
NO_EDIT = enum(QtWidgets.QAbstractItemView, "EditTrigger", "NoEditTriggers")
STRETCH = enum(QtWidgets.QHeaderView, "ResizeMode", "Stretch")
MSG_YES = enum(QtWidgets.QMessageBox, "StandardButton", "Yes")
MSG_NO = enum(QtWidgets.QMessageBox, "StandardButton", "No")
DIALOG_SAVE = enum(QtWidgets.QDialogButtonBox, "StandardButton", "Save")
DIALOG_CLOSE = enum(QtWidgets.QDialogButtonBox, "StandardButton", "Close")
