"""A fake ``maya.OpenMayaUI`` (API 1.0): ``MQtUtil``.

- ``mainWindow()``: the pointer of Maya's main window (the tests set it; None without UI);
- ``fullName(ptr)``: the Maya UI path of a Qt object, its objectName under its parents'
  (``MayaWindow|renderbusSubmitter``), as Maya names widgets parented to its windows. The fake
  also makes it a UI element ``scriptJob -parent`` accepts, and lets it go (killing the jobs
  parented to it) when the Qt object is destroyed, as Maya does.
"""

import sys
from typing import Any, Optional

from maya import _scene


def _binding() -> Any:
    for shiboken, core in (("shiboken6", "PySide6.QtCore"), ("shiboken2", "PySide2.QtCore")):
        if shiboken in sys.modules and core in sys.modules:
            return sys.modules[shiboken], sys.modules[core]
    raise RuntimeError("MQtUtil.fullName: no Qt binding loaded")


class MQtUtil(object):
    @staticmethod
    def mainWindow():  # type: () -> Optional[int]
        return _scene.STATE.main_window_ptr

    @staticmethod
    def fullName(pointer):  # type: (int) -> str
        state = _scene.STATE
        shiboken, QtCore = _binding()
        obj = shiboken.wrapInstance(int(pointer), QtCore.QObject)
        parts = []
        current = obj
        while current is not None:
            if state.main_window_ptr is not None and shiboken.getCppPointer(current)[0] == state.main_window_ptr:
                parts.insert(0, "MayaWindow")
                break
            if not current.objectName():
                return ""  # Maya cannot name an object without an objectName
            parts.insert(0, current.objectName())
            current = current.parent()
        name = "|".join(parts)
        short = parts[-1]
        if short not in state.controls:
            state.controls[short] = _scene.Control("qtWindow", parts[-2] if len(parts) > 1 else None)
            obj.destroyed.connect(lambda *_: state.delete_control(short))
        return name
