"""open_* shows one window of each kind, parented to the host's main window."""

from renderbus_dcc.ui import HostHooks, open_monitor, open_settings, open_submitter
from renderbus_dcc.ui.qt import QtWidgets


class ParentedHost(HostHooks):
    def __init__(self, scene, main):
        super().__init__(scene)
        self.main = main

    def main_window(self):
        return self.main


def test_opening_again_raises_the_same_window(qtbot, scene) -> None:
    main = QtWidgets.QMainWindow()
    qtbot.addWidget(main)
    host = ParentedHost(scene, main)
    for opener in (open_submitter, open_settings, lambda h: open_monitor(h)):
        first = opener(host)
        second = opener(host)
        assert first is second
        assert first.parentWidget() is main
        assert first.isVisible()


def test_a_closed_window_opens_anew(qtbot, scene) -> None:
    host = HostHooks(scene)
    first = open_settings(host)
    first.close()
    qtbot.waitUntil(lambda: True)
    second = open_settings(host)
    assert second is not first and second.isVisible()


def test_open_monitor_again_follows_the_new_tasks(qtbot, scene) -> None:
    host = HostHooks(scene)
    window = open_monitor(host, [11])
    again = open_monitor(host, [12])
    assert again is window
    assert window.followed == [11, 12] and window.selected == 12
