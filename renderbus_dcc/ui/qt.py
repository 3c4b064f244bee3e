"""The one module that knows which Qt binding runs (PySide6 or PySide2, through Qt.py).

Everything binding-specific lives here: the imports, the Signal/Slot names, ``exec`` versus
``exec_``, and enum members that PySide6 scopes (``Qt.AlignmentFlag.AlignLeft``) where PySide2
does not (``Qt.AlignLeft``). The windows import their Qt names from this module only.
"""

from typing import Any

from Qt import QtCompat, QtCore, QtGui, QtWidgets  # noqa: F401  (re-exported)
import Qt as _qt_module

__all__ = [
    "QtCore", "QtGui", "QtWidgets", "Signal", "Slot", "BINDING", "exec_dialog", "enum",
    "standard_icon", "wrap_instance", "QUEUED", "is_valid",
]

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
