"""The command line in the user's language, as a terminal runs it: a new process whose locale
is zh_CN.UTF-8 (Chinese) or C.UTF-8 (English), against the local farm.

Help, a table, progress-free answers and an error with its hint; the language setting
(`renderbus config --language`) winning over the locale; the farm's error details asked for in
the same language.
"""

import os
import subprocess
import sys
from typing import Dict

import pytest

LOCALE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "RENDERBUS_LANGUAGE")


def run(lang: str, *args: str, extra: Dict[str, str] = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARS}
    env.update(LANG=lang, **(extra or {}))
    return subprocess.run([sys.executable, "-m", "renderbus_dcc", *args], env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


@pytest.fixture
def farm_env(farm) -> Dict[str, str]:
    return {"RENDERBUS_ENDPOINT": farm.url, "RENDERBUS_ACCESS_ID": farm.access_id,
            "RENDERBUS_ACCESS_KEY": farm.access_key, "RENDERBUS_PLATFORM": str(farm.platform)}


def test_help_in_chinese_and_in_english():
    zh = run("zh_CN.UTF-8", "--help")
    assert zh.returncode == 0, zh.stderr
    assert zh.stdout.startswith("用法：renderbus")
    assert "将 Maya、3ds Max 和 Blender 场景提交到 Renderbus 云渲染农场" in zh.stdout
    assert "显示帮助信息并退出" in zh.stdout and "打开监控窗口" in zh.stdout
    en = run("C.UTF-8", "--help")
    assert en.stdout.startswith("usage: renderbus")
    assert "Send Maya, 3ds Max and Blender scenes to the Renderbus render farm" in en.stdout
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in en.stdout.replace("简体中文", ""))


def test_a_table_in_chinese_and_in_english(farm_env):
    zh = run("zh_CN.UTF-8", "software", extra=farm_env)
    assert zh.returncode == 0, zh.stderr
    header = zh.stdout.splitlines()[0].split()
    assert header == ["软件ID", "软件", "文件格式", "LINUX"]
    assert "Maya" in zh.stdout and ("是" in zh.stdout or "否" in zh.stdout)
    en = run("C.UTF-8", "software", extra=farm_env)
    assert en.stdout.splitlines()[0].split() == ["CG_ID", "SOFTWARE", "FILES", "LINUX"]


def test_an_error_and_its_hint_in_chinese_and_in_english(farm_env):
    wrong = dict(farm_env, RENDERBUS_ACCESS_KEY="not-the-key")
    zh = run("zh_CN.UTF-8", "whoami", extra=wrong)
    assert zh.returncode == 1
    assert zh.stderr.startswith("renderbus：错误：611 SIGNATURE_INVALID")
    assert "；请检查 AccessID 和 AccessKey（`renderbus config`）" in zh.stderr
    en = run("C.UTF-8", "whoami", extra=wrong)
    assert en.stderr.startswith("renderbus: error: 611 SIGNATURE_INVALID")
    assert "; check the access id and key (`renderbus config`)" in en.stderr
    assert "not-the-key" not in zh.stderr + en.stderr
    missing = run("zh_CN.UTF-8", "whoami")
    assert missing.stderr.strip() == ("renderbus：错误：没有设置 AccessID 和 AccessKey；请运行 `renderbus config`，"
                                      "或设置 RENDERBUS_ACCESS_ID 和 RENDERBUS_ACCESS_KEY")
    usage = run("zh_CN.UTF-8", "tasks", "lst")
    assert usage.returncode == 2 and "无效的选项：'lst'" in usage.stderr


def test_the_language_setting_wins_over_the_locale(tmp_path):
    saved = run("C.UTF-8", "config", "--language", "zh_CN")
    assert saved.returncode == 0, saved.stderr
    assert saved.stdout.startswith("已保存到 ")  # spoken in the language just chosen
    assert run("C.UTF-8", "--help").stdout.startswith("用法：")
    assert run("zh_CN.UTF-8", "--help", extra={"RENDERBUS_LANGUAGE": "en"}).stdout.startswith("usage: ")
    back = run("C.UTF-8", "config", "--language", "auto")
    assert back.stdout.startswith("saved to ")
    shown = run("C.UTF-8", "config", "show")
    assert "language:" in shown.stdout and "auto" in shown.stdout
    bad = run("C.UTF-8", "config", "--language", "klingon")
    assert bad.returncode == 1 and "is not one we speak" in bad.stderr and "zh_CN" in bad.stderr


def test_the_farms_error_details_come_in_the_same_language(farm_env):
    zh = run("zh_CN.UTF-8", "error-detail", "15000", extra=farm_env)
    assert zh.returncode == 0, zh.stderr
    assert "启动 3ds max 卡住或者失败" in zh.stdout and "错误（阻止提交）" in zh.stdout
    en = run("C.UTF-8", "error-detail", "15000", extra=farm_env)
    assert "3ds Max hangs or fails at start" in en.stdout and "error (blocks submission)" in en.stdout
    english_asked = run("zh_CN.UTF-8", "error-detail", "15000", "--english", extra=farm_env)
    assert "3ds Max hangs or fails at start" in english_asked.stdout
