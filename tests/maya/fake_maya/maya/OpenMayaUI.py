"""A fake ``maya.OpenMayaUI`` (API 1.0): MQtUtil.mainWindow() gives the pointer tests set."""

from typing import Optional

from maya import _scene


class MQtUtil:
    @staticmethod
    def mainWindow() -> Optional[int]:
        return _scene.STATE.main_window_ptr
