"""Fake ``qtmax``: 3ds Max's main window, and its shortcuts turned off for a widget.

- ``GetQMaxMainWindow()``: 3ds Max's main window as a QWidget ("What's New in the 3ds Max
  Python API", 2018: GetQMaxWindow() replaced by GetQMaxMainWindow());
- ``DisableMaxAcceleratorsOnFocus(widget, disable)``: while ``widget`` has the focus, keys go
  to it rather than to 3ds Max's shortcuts ("qtmax Module", 3ds Max Python API help). The fake
  records the widgets (``FakeMax.accelerators_off``) and refuses what is not a QWidget.
Reference: https://help.autodesk.com/cloudhelp/2025/ENU/MAXDEV-Python/files/MAXDEV_Python_qtmax_module_html.html
"""

import fakemax


def GetQMaxMainWindow():
    return fakemax.current().main_window()


def DisableMaxAcceleratorsOnFocus(widget, disable):
    if not hasattr(widget, "focusPolicy") or not isinstance(disable, bool):
        raise TypeError("DisableMaxAcceleratorsOnFocus(QWidget, bool)")
    fake = fakemax.current()
    if disable:
        fake.accelerators_off.append(widget)
    else:
        fake.accelerators_off = [w for w in fake.accelerators_off if w is not widget]


__all__ = ["GetQMaxMainWindow", "DisableMaxAcceleratorsOnFocus"]
