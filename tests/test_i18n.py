"""The message catalog: complete (every message of the code translated into zh_CN, its
placeholders alike, the shipped .mo compiled from the .po), and the language chosen as the
user expects (setting > application > system > English)."""

import gettext
import importlib.util
import sys
from pathlib import Path

import pytest

from renderbus_dcc import i18n

ROOT = Path(__file__).resolve().parents[1]


def _tool():
    spec = importlib.util.spec_from_file_location("i18n_tool", str(ROOT / "tools" / "i18n.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def _english_after():
    yield
    i18n.set_language("en")


def test_every_message_has_a_chinese_translation_with_the_same_placeholders():
    pytest.importorskip("babel")
    problems = _tool().problems("zh_CN")
    assert not problems, "\n".join(["the zh_CN catalog is not complete (see docs/development.md):"] + problems[:60])


def test_the_completeness_check_fails_on_a_new_untranslated_string(tmp_path, monkeypatch):
    pytest.importorskip("babel")
    tool = _tool()
    (tmp_path / "renderbus_dcc").mkdir()
    (tmp_path / "renderbus_dcc" / "new.py").write_text(
        "from renderbus_dcc.i18n import _\nprint(_('A brand new message %(n)d') % {'n': 1})\n", encoding="utf-8")
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    assert [m.id for m in tool.extract() if m.id] == ["A brand new message %(n)d"]
    monkeypatch.setattr(tool, "po_path", lambda lang: ROOT / "renderbus_dcc/locale/zh_CN/LC_MESSAGES/renderbus.po")
    monkeypatch.setattr(tool, "mo_path", lambda lang: ROOT / "renderbus_dcc/locale/zh_CN/LC_MESSAGES/renderbus.mo")
    problems = tool.problems("zh_CN")
    assert any("not in the catalog" in p and "A brand new message" in p and "new.py" in p for p in problems), problems


def test_placeholders_are_compared_by_name_and_by_position():
    tool = _tool()
    assert tool.placeholders("%(done)d of %(total)d") == tool.placeholders("共 %(total)d 个，已完成 %(done)d 个")
    assert tool.placeholders("task %s of %d") == ["%s", "%d"]
    assert tool.placeholders("100%% done") == []


def test_the_shipped_catalog_is_read_with_the_standard_library():
    mo = ROOT / "renderbus_dcc" / "locale" / "zh_CN" / "LC_MESSAGES" / "renderbus.mo"
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    assert catalog.info().get("content-type", "").lower().endswith("charset=utf-8")
    assert len(catalog._catalog) > 1


@pytest.mark.parametrize("tag, expected", [
    ("zh_CN.UTF-8", "zh_CN"), ("zh-Hans-CN", "zh_CN"), ("zh_HANS", "zh_CN"), ("CHS", "zh_CN"),
    ("Chinese (Simplified)_China.936", "zh_CN"), ("zh_CN@pinyin", "zh_CN"), ("en_US.UTF-8", "en"), ("ENU", "en"),
    ("English_United States.1252", "en"), ("C.UTF-8", None), ("POSIX", None), ("de_DE", None), ("", None), (None, None),
])
def test_language_tags_of_every_host_and_os_are_read(tag, expected):
    assert i18n.normalize_language(tag) == expected


def test_the_setting_beats_the_application_which_beats_the_system():
    env = {"LANG": "zh_CN.UTF-8"}
    assert i18n.resolve_language("en", "zh_CN", env) == "en"
    assert i18n.resolve_language("auto", "en_US", env) == "en"
    assert i18n.resolve_language("", None, env) == "zh_CN"
    assert i18n.resolve_language(None, None, {"LANG": "C.UTF-8"}) == "en"
    assert i18n.resolve_language(None, "fr_FR", {"LANGUAGE": "fr:zh_CN", "LANG": "en_US.UTF-8"}) == "zh_CN"
    assert i18n.resolve_language(None, None, {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}) == "en"


def test_the_language_setting_is_stored_and_wins(tmp_path, monkeypatch):
    from renderbus_dcc.config import Config, load_config, save_config

    monkeypatch.setenv("RENDERBUS_CONFIG_DIR", str(tmp_path))
    monkeypatch.setenv("RENDERBUS_KEYRING", "0")
    monkeypatch.delenv("RENDERBUS_LANGUAGE", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    save_config(Config(access_id="a", access_key="k", language="zh-Hans"))
    assert load_config().language == "zh_CN"
    assert i18n.use_language_setting(host="en_US") == "zh_CN"
    monkeypatch.setenv("RENDERBUS_LANGUAGE", "auto")
    assert i18n.use_language_setting(host="en_US") == "en"
    assert i18n.use_language_setting() == "en"


def test_switching_the_language_switches_the_words():
    pytest.importorskip("babel")
    items = dict(i18n.catalog_items("zh_CN"))
    msgid, msgstr = next(iter(items.items()))
    i18n.set_language("zh_CN")
    assert i18n._(msgid) == msgstr
    i18n.set_language("en")
    assert i18n._(msgid) == msgid
    assert i18n.N_(msgid) == msgid


def test_importing_the_package_reads_no_catalog():
    import subprocess

    code = "import renderbus_dcc.i18n as i, sys; print(len(i._cache))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


def test_translations_made_ahead_wait_for_their_message_and_come_back(tmp_path, monkeypatch):
    """`fill` keeps a translation of a message the code does not have yet (another branch's);
    `update` brings it back, translated, once the message is in the code."""
    pytest.importorskip("babel")
    import shutil

    tool = _tool()
    po = tmp_path / "renderbus.po"
    shutil.copy(str(tool.po_path("zh_CN")), str(po))
    monkeypatch.setattr(tool, "po_path", lambda lang: po)
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    (tmp_path / "renderbus_dcc").mkdir()
    code = tmp_path / "renderbus_dcc" / "later.py"
    code.write_text("from renderbus_dcc.i18n import _\n", encoding="utf-8")
    monkeypatch.setattr(tool, "LANGUAGES", ("zh_CN",))
    assert tool.fill("zh_CN", {"A word of a later branch": "后来分支的一句话",
                               "from %d later frame\0from %d later frames": "根据 %d 个后来的帧"}) == 2
    assert tool.load("zh_CN").get("A word of a later branch") is None  # waiting, not active
    code.write_text("from renderbus_dcc.i18n import _, ngettext\n_('A word of a later branch')\n"
                    "ngettext('from %d later frame', 'from %d later frames', 2)\n", encoding="utf-8")
    tool.update()
    catalog = tool.load("zh_CN")
    assert catalog.get("A word of a later branch").string == "后来分支的一句话"
    assert catalog.get(("from %d later frame", "from %d later frames")).string == ("根据 %d 个后来的帧",)
    assert tool.todo(catalog) == []
