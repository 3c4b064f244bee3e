"""Fake ``qtmax``: GetQMaxMainWindow() returns 3ds Max's main window as a QWidget.

Reference: "What's New in the 3ds Max Python API" (2018: GetQMaxWindow() replaced by
GetQMaxMainWindow()), https://help.autodesk.com/cloudhelp/2020/ENU/Max-Python-API/files/developer/what_s_new_in_3ds_max_python_api.html
"""

import fakemax


def GetQMaxMainWindow():
    return fakemax.current().main_window()


__all__ = ["GetQMaxMainWindow"]
