"""The Renderbus menu in both menu systems: there once, however often start-up runs."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import fakemax
from renderbus_max import startup
from renderbus_max.macros import MACROS

HELP = "&Help"
ITEMS = ["Submit...", "Monitor...", "Settings..."]


def _legacy_menus(fake):
    return [m for m in fake.menu_man.registered if m.getTitle() == "Renderbus"]


def _legacy_items(fake):
    (menu,) = _legacy_menus(fake)
    return [menu.getItem(i).getTitle() for i in range(1, menu.numItems() + 1)]


def _cui_menu(manager):
    (entry,) = [e for e in manager.mainMenuBar.items if e["title"] == "Renderbus"]
    return entry


# 3ds Max 2024 and earlier: menuMan ------------------------------------------------------------
def test_legacy_menu_is_added_before_help(make_max):
    fake = make_max(2024)
    assert startup.install() == "menuMan"

    titles = fake.menu_man.main_titles()
    assert titles.count("Renderbus") == 1 and titles.index("Renderbus") == titles.index(HELP) - 1
    assert _legacy_items(fake) == ITEMS
    assert fake.menu_man.updates >= 1
    assert [(m["category"], m["name"]) for m in fake.macros.values()] == [("Renderbus", m.name) for m in MACROS]
    # one callback: the menu comes back when 3ds Max loads a menu file
    assert [(str(e), str(i)) for e, _, i in fake.callbacks.scripts] == [("postLoadingMenus", "renderbus")]


@pytest.mark.parametrize("year", [2022, 2024])
def test_legacy_menu_survives_loading_a_menu_file(make_max, year):
    """A workspace switch or Customize > Load Custom UI Scheme replaces every menu."""
    fake = make_max(year)
    for _ in range(2):
        startup.install()
    for _ in range(2):
        fake.menu_man.loadMenuFile("C:\\Users\\artist\\workspace.mnux")
        titles = fake.menu_man.main_titles()
        assert titles.count("Renderbus") == 1 and titles.index("Renderbus") == titles.index(HELP) - 1
        assert _legacy_items(fake) == ITEMS
    assert len(fake.callbacks.scripts) == 1


def test_legacy_menu_never_duplicates(make_max):
    fake = make_max(2021)
    for _ in range(3):
        startup.install()
    assert fake.menu_man.main_titles().count("Renderbus") == 1
    assert len(_legacy_menus(fake)) == 1 and _legacy_items(fake) == ITEMS


def test_legacy_leftovers_from_older_installs_are_replaced(make_max):
    fake = make_max(2024)
    bar = fake.menu_man.getMainMenuBar()
    for _ in range(2):  # two stale copies saved in the user's menu file, with an old item
        old = fake.menu_man.createMenu("Renderbus")
        old.addItem(fakemax.LegacyMenuItem("Old thing"), -1)
        bar.addItem(fake.menu_man.createSubMenuItem("Renderbus", old), -1)

    startup.install()

    assert fake.menu_man.main_titles().count("Renderbus") == 1
    assert _legacy_items(fake) == ITEMS


def test_legacy_items_run_the_commands(make_max, monkeypatch):
    import renderbus_max.commands as commands

    ran = []
    for name in ("submit", "monitor", "settings"):
        monkeypatch.setattr(commands, name, lambda name=name: ran.append(name))
    fake = make_max(2024)
    startup.install()
    for item_position in (1, 2, 3):
        (menu,) = _legacy_menus(fake)
        name, category = menu.getItem(item_position).macro
        fake.run_macro(category, name)
    assert ran == ["submit", "monitor", "settings"]


def test_legacy_uninstall_in_session(make_max):
    fake = make_max(2024)
    startup.install()
    startup.uninstall()
    assert "Renderbus" not in fake.menu_man.main_titles() and not _legacy_menus(fake)
    assert not fake.callbacks.scripts
    fake.menu_man.loadMenuFile("C:\\menus.mnux")
    assert "Renderbus" not in fake.menu_man.main_titles()


# 3ds Max 2025 and later: #cuiRegisterMenus ---------------------------------------------------
def test_new_menu_system_registers_one_callback(make_max):
    fake = make_max(2025)
    assert startup.install() == "cui"

    assert [(str(e), str(i)) for e, _, i in fake.callbacks.scripts] == [("cuiRegisterMenus", "renderbus")]
    assert fake.menu_man.calls == []  # the deprecated menuMan is not touched (the fake would refuse)
    assert fake.cui.main_titles().count("Renderbus") == 1  # menus rebuilt at once: there in this session
    manager = fake.build_menus()  # and at every later build
    titles = manager.main_titles()
    assert titles.count("Renderbus") == 1 and titles.index("Renderbus") == titles.index(HELP) - 1
    entry = _cui_menu(manager)
    assert entry["id"] == startup.MENU_ID
    assert [(i["title"], i["table"], i["action"]) for i in entry["menu"].items] == [
        (m.text, 647394, "%s`Renderbus" % m.name) for m in MACROS]
    assert [i["id"] for i in entry["menu"].items] == [m.item_id for m in MACROS]  # stable GUIDs


def test_new_menu_never_duplicates(make_max):
    fake = make_max(2026)
    for _ in range(3):
        startup.install()
    assert len(fake.callbacks.scripts) == 1
    for _ in range(2):  # 3ds Max rebuilds its menus (e.g. a .mnx loaded): still one
        assert fake.build_menus().main_titles().count("Renderbus") == 1


def test_new_menu_items_run_the_commands(make_max, monkeypatch):
    import renderbus_max.commands as commands

    ran = []
    monkeypatch.setattr(commands, "submit", lambda: ran.append("submit"))
    fake = make_max(2025)
    startup.install()
    first = _cui_menu(fake.build_menus())["menu"].items[0]
    name, _, category = first["action"].partition("`")
    fake.run_macro(category, name)
    assert ran == ["submit"]


def test_new_menu_uninstall_in_session(make_max):
    fake = make_max(2025)
    startup.install()
    startup.uninstall()
    assert not fake.callbacks.scripts
    assert "Renderbus" not in fake.cui.main_titles()  # gone at once
    assert "Renderbus" not in fake.build_menus().main_titles()


# The startup script itself --------------------------------------------------------------------
@pytest.mark.parametrize("year", [2024, 2025])
def test_the_installed_startup_script_adds_the_menu(make_max, year, tmp_path, monkeypatch):
    from renderbus_dcc.install import max as max_install

    monkeypatch.setattr(sys, "path", list(sys.path))
    extra = str(tmp_path / "第三方 libs")
    lib = max_install.make_lib(tmp_path / "scripts" / "startup", "3.11")
    text = max_install.startup_script([str(lib), extra])
    fake = make_max(year)
    for _ in range(2):  # 3ds Max started twice in one session's worth of scripts: still one menu
        fake.run_script_file(text)

    assert sys.path[-1] == extra and sys.path.count(extra) == 1  # appended: 3ds Max's own Qt keeps precedence
    titles = fake.build_menus().main_titles() if year >= 2025 else fake.menu_man.main_titles()
    assert titles.count("Renderbus") == 1


def test_startup_imports_no_network_or_qt(tmp_path):
    """What start-up loads into 3ds Max: the menu code only, not requests, Qt or renderbus_dcc's windows."""
    from renderbus_dcc.install import max as max_install

    script = tmp_path / "startup.ms"
    lib = max_install.make_lib(tmp_path / "scripts" / "startup", "3.11")
    script.write_text(max_install.startup_script([str(lib)]), encoding="utf-8-sig")
    code = textwrap.dedent("""
        import sys
        sys.path.insert(0, %r)
        import fakemax
        fake = fakemax.use(fakemax.FakeMax(2025))
        fake.run_script_file(open(%r, encoding="utf-8-sig").read())
        fake.build_menus()
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("requests", "urllib3", "Qt", "PySide6", "PySide2")
                       or m.startswith(("renderbus_dcc.ui", "renderbus_dcc.client", "renderbus_max.analysis",
                                        "renderbus_max.hooks")))
        print("HEAVY", heavy)
    """ % (str(Path(fakemax.__file__).parent), str(script)))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "HEAVY []" in out.stdout, out.stdout


def test_the_fake_refuses_what_3ds_max_does_not_have(make_max):
    """The fake is only worth its tests if it says no where 3ds Max would."""
    from pymxs import runtime as rt

    fake = make_max(2024)
    with pytest.raises(AttributeError):
        rt.menuMan.addMenuToBar  # not a menuMan method
    with pytest.raises(fakemax.MAXScriptException):
        rt.callbacks.addScript(rt.Name("cuiRegisterMenus"), "print 1", id=rt.Name("x"))  # 2025+ only
    with pytest.raises(fakemax.MAXScriptException):
        rt.execute("menuMan.updateMenuBar()")  # the fake evaluates only the two forms the layer sends
    assert rt.menuMan.createActionItem("NoSuchMacro", "Renderbus") is None  # undefined, as documented
    assert rt.noSuchGlobal is None and fake.undefined_reads == ["noSuchGlobal"]
    fake.undefined_reads.clear()

    new = make_max(2025)
    with pytest.raises(fakemax.MAXScriptException):
        rt.menuMan.findMenu("Renderbus")  # replaced by the new menu system
    manager = fakemax.CuiMenuMgr(new)
    with pytest.raises(fakemax.MAXScriptException):
        manager.mainMenuBar.CreateAction("a-b", 647394, "RenderbusSubmit`Renderbus")  # no such macroScript yet
    manager.mainMenuBar.CreateSeparator("same-id")
    with pytest.raises(fakemax.MAXScriptException):
        manager.mainMenuBar.CreateSeparator("same-id")  # ids are unique
