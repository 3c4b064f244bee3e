"""The Qt windows in Chinese: opened through ``renderbus_dcc.ui`` as Maya and 3ds Max open
them, the language comes from the Renderbus setting, else the host's interface language, else
the system's; labels, a validation message and the Settings window's language choice."""

from typing import Any

import pytest

from renderbus_dcc import i18n
from renderbus_dcc.ui.host import HostHooks
from renderbus_dcc.ui.preview import broken_scene

WAIT = 30000


class ChineseHost(HostHooks):
    """A host whose interface is Chinese, as Maya's `about -uiLanguage` says zh_CN."""

    def ui_language(self) -> Any:
        return "zh_CN"


def _settled(window: Any) -> bool:
    return window.preparation is not None and not window.runner.busy and not window._options_timer.isActive()


def test_a_chinese_host_opens_the_submitter_in_chinese(qtbot, scene, farm, login) -> None:
    from renderbus_dcc.ui import open_submitter

    login(farm)
    window = open_submitter(ChineseHost(broken_scene(scene)))
    qtbot.waitUntil(lambda: window.account_line.state == "ok" and _settled(window), timeout=WAIT)
    assert window.windowTitle() == "提交到 Renderbus"
    assert window.submit_button.text() == "提交" and window.export_button.text() == "导出…"
    assert window.frames_edit.placeholderText() == "例如 1-100、1-100x2、1,5,10-20"
    assert window.account_line.label.text().startswith("已登录 <b>")
    messages = [window.validation.list.item(i).text() for i in range(window.validation.list.count())]
    assert any(m.startswith("磁盘上不存在场景文件") and "→ 请重新保存场景（它可能已被移动或删除）" in m
               for m in messages), messages
    assert window.validation.summary.text().endswith(" —— 修复错误后才能提交。")
    assert window.submit_button.toolTip().startswith("无法提交：")


def test_the_setting_wins_over_the_host_and_english_stays_english(qtbot, scene, monkeypatch) -> None:
    from renderbus_dcc.ui import open_monitor

    monkeypatch.setenv("RENDERBUS_LANGUAGE", "en")
    window = open_monitor(ChineseHost(scene))
    assert window.windowTitle() == "Renderbus Monitor" and window.refresh_button.text() == "Refresh"
    window.close()
    monkeypatch.setenv("RENDERBUS_LANGUAGE", "zh_CN")
    window = open_monitor(HostHooks(scene))  # an English (or unknown) host, the user chose Chinese
    assert window.windowTitle() == "Renderbus 监控"
    assert [window.tasks.horizontalHeaderItem(i).text() for i in range(3)] == ["ID", "场景", "状态"]
    assert window.filter.itemText(0) == "全部任务" and window.stop_button.text() == "暂停"


def test_the_settings_window_chooses_the_language(qtbot, scene, farm, login) -> None:
    from renderbus_dcc.config import load_config
    from renderbus_dcc.ui import open_settings

    login(farm)
    window = open_settings(HostHooks(scene))
    qtbot.waitUntil(lambda: window.access_id.text() != "", timeout=WAIT)
    assert [window.language.itemText(i) for i in range(window.language.count())] == [
        "Automatic (the application's language)", "English", "简体中文"]
    window.language.setCurrentIndex(window.language.findData("zh_CN"))
    with qtbot.waitSignal(window.saved, timeout=WAIT):
        window.save()
    assert load_config().language == "zh_CN"
    assert i18n.language() == "zh_CN"  # the windows opened from now on speak it
    again = open_settings(HostHooks(scene))
    assert again.windowTitle() == "Renderbus 设置" and again.test_button.text() == "测试连接"
    assert again.save_button.text() == "保存"


def test_a_cjk_font_is_there_for_the_offscreen_windows(qapp) -> None:
    """Without one, Chinese labels draw as empty boxes (`./dev test` installs fonts-wqy-microhei)."""
    from renderbus_dcc.ui.qt import QtGui, enum

    chinese = enum(QtGui.QFontDatabase, "WritingSystem", "SimplifiedChinese")
    try:
        families = QtGui.QFontDatabase.families(chinese)  # Qt 6: static
    except TypeError:
        families = QtGui.QFontDatabase().families(chinese)  # Qt 5
    if not families:
        pytest.fail("no font for Simplified Chinese is installed: install fonts-wqy-microhei (./dev test does)")
    assert families
