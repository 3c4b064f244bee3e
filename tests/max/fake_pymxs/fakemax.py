"""A small 3ds Max for tests: the part of pymxs.runtime the Renderbus layer uses, and no more.

Every name it answers follows Autodesk's MAXScript / pymxs reference; the page is cited next
to each. It answers from a scene described as data (:func:`FakeMax.__init__`'s ``scene``)
and refuses what the reference does not have:

- a MAXScript global the reference (or a loaded plugin) does not define reads as
  ``undefined``, which pymxs gives as None ("MAXScript Values in pymxs"; an undeclared global
  in MAXScript evaluates to undefined); every such read is recorded in
  :attr:`FakeMax.undefined_reads` so tests can require that only deliberate probes happen;
- a method or property an interface does not list raises AttributeError; a call MAXScript
  would refuse (unknown callback type, a menu id used twice, an action that does not exist)
  raises :class:`MAXScriptException`;
- ``execute`` evaluates only the two MAXScript forms the layer sends (``macroScript``
  definitions and ``python.Execute "..."``), anything else raises.

The menu managers of both systems are recorded: :attr:`FakeMax.menu_man` (2024 and earlier)
and :meth:`FakeMax.build_menus` (2025+, runs the ``#cuiRegisterMenus`` callbacks on a fresh
menu structure, as 3ds Max does at each start).

Reference pages (help.autodesk.com):
- PYMXS: https://help.autodesk.com/cloudhelp/2024/ENU/MAXDEV-Python/files/using_pymxs/MAXDEV_Python_using_pymxs_pymxs_module_html.html
- VALUES: https://help.autodesk.com/cloudhelp/2024/ENU/MAXDEV-Python/files/using_pymxs/MAXDEV_Python_using_pymxs_pymxs_values_html.html
- BYREF: https://help.autodesk.com/cloudhelp/2021/ENU/Max-Python-API/using_pymxs/pymxs_differences/pymxs_by_ref_parameters.html
- MENUMAN: https://help.autodesk.com/cloudhelp/2017/ENU/MAXScript-Help/files/GUID-258F6015-6B45-4A87-A7F5-BB091A2AE065.htm ("Menu Manager")
- CUIMENU: https://help.autodesk.com/cloudhelp/2025/ENU/MAXScript-Help/files/MAXScript-Tools-and-Interaction/Interacting-with-the-3ds-Max/GUID-FF48D0EC-6669-4EC7-AB43-E9998A14A198.html ("The Menu System")
- CUINOTIFY: https://help.autodesk.com/cloudhelp/2025/ENU/MAXScript-Help/files/MAXScript-Tools-and-Interaction/Change-Handlers-and-Callbacks/General-Event-Callback-Mechanism/GUID-41DFAF71-EFAB-4A15-A04C-05437726E3C5.html ("Menu Notifications")
- CALLBACKS: https://help.autodesk.com/cloudhelp/2024/ENU/MAXScript-Help/files/MAXScript-Tools-and-Interaction/Change-Handlers-and-Callbacks/GUID-C1F6495F-5831-4FC8-A00C-667C5F2EAE36.html ("General Event Callback Mechanism")
- RENDSETUP: https://help.autodesk.com/cloudhelp/2024/ENU/MAXScript-Help/files/MAXScript-Tools-and-Interaction/Interacting-with-the-3ds-Max/Render-Scene-Dialog/GUID-30AF1E53-5A69-402D-84D6-4D6ECCDD6D20.html ("Render Setup Dialog")
- ELEMENTS: https://help.autodesk.com/cloudhelp/2016/ENU/MAXScript-Help/files/GUID-E8F75D47-B998-4800-A3A5-610E22913CFC.htm ("Interface: RenderElementMgr")
- ATSOPS: https://help.autodesk.com/cloudhelp/2016/ENU/MAXScript-Help/files/GUID-F203ABBC-C3DF-4406-A449-CE6EDC011F55.htm ("Interface: ATSOps")
- OBJXREFMGR: https://help.autodesk.com/cloudhelp/2017/ENU/MAXScript-Help/files/GUID-4822E768-D5EF-44EF-89E7-5BF5404861A2.htm ("Interface: objXRefMgr")
- BAKE: https://help.autodesk.com/cloudhelp/2017/ENU/MAXScript-Help/files/GUID-454AF9C4-F272-4FD2-A8F4-0BC6BD1FB600.htm
  ("Interface: INodeBakeProperties": numBakeElements(), getBakeElement <index> 1-based, bakeEnabled) and
  "CompleteMap : BakeElement" (.fileName, .fileType: the element's output file, .enabled)
- FILEPROPS: https://help.autodesk.com/cloudhelp/2018/ENU/MAXScript-Help/files/GUID-A8663B8E-7E30-474E-B3DB-E21585F125B1.htm ("MAX Scene File Properties")
- PYTHONIF: https://help.autodesk.com/cloudhelp/2021/ENU/3DSMax-MAXScript/files/GUID-860B6BEB-AE3E-4F99-96E9-CCD70DF4B772.htm ("Interface: python")
- CUIMGR: https://help.autodesk.com/cloudhelp/2026/ENU/MAXDEV-CPP-API-REF/_i_cui_menu_manager_8h.html (ICuiMenuManager;
  MAXScript maxOps.GetICuiMenuMgr(), LoadConfiguration/GetCurrentConfiguration as used by
  github.com/shotgunsoftware/tk-3dsmax python/tk_3dsmax/menu_generation_callbacks.py)
- MAXVERSION: maxVersion() returns #(release, API, SDK, ...); release/1000 + 1998 is the year
  (MAXScript help "3ds Max Version"; example https://cnblogs.com/humd/p/12110091.html)
"""

import re
from typing import Any, Callable, Dict, List, Optional, Tuple

__all__ = ["FakeMax", "MAXScriptException", "Name", "Time", "ByRef", "byref", "current", "use", "MACRO_TABLE"]

#: The action table that holds every macroScript (new menu system: CreateAction ... 647394 "name`category").
MACRO_TABLE = 647394


class MAXScriptException(RuntimeError):
    """What pymxs raises when MAXScript throws (pymxs.MAXScriptException)."""


class Name(str):
    """A MAXScript name literal (#foo); MAXScript names compare case-insensitively. [VALUES]"""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and self.lower() == other.lower()

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self.lower())

    def __repr__(self) -> str:
        return "#" + str(self)


class Time:
    """A MAXScript Time value; ``.frame`` is its frame number (a float). 160 ticks a frame."""

    def __init__(self, frame: float) -> None:
        self.frame = float(frame)
        self.ticks = int(round(frame * 160))

    def __repr__(self) -> str:
        return "%gf" % self.frame


class ByRef:
    """pymxs.byref(value): marks a by-reference argument; the call returns (result, new value). [BYREF]"""

    def __init__(self, value: Any) -> None:
        self.value = value


def byref(value: Any) -> ByRef:
    return ByRef(value)


def _ci(owner: Any, name: str) -> Any:
    """MAXScript (and so pymxs) member names are case-insensitive. [PYMXS "Case Sensitivity"]"""
    for attr in dir(type(owner)):
        if not attr.startswith("_") and attr.lower() == name.lower():
            return getattr(owner, attr)
    raise AttributeError("%s has no member %r (not in the reference; the fake refuses)" % (type(owner).__name__, name))


class Interface:
    """A MAXScript core interface: only its documented members exist, in any letter case."""

    def __getattr__(self, name: str) -> Any:
        return _ci(self, name)


class SysInfo(Interface):
    """``sysInfo``: only what the integration reads. ``getMaxLanguage()`` answers
    ``#(<language id>, <3-letter code>, <name>)`` as MAXScript documents it (1033 "ENU", 2052 "CHS")."""

    _LANGUAGES = {"ENU": (1033, "English"), "CHS": (2052, "Chinese"), "JPN": (1041, "Japanese"),
                  "DEU": (1031, "German"), "FRA": (1036, "French"), "KOR": (1042, "Korean")}

    def __init__(self, code: str) -> None:
        self._code = code

    def getMaxLanguage(self) -> List[Any]:  # noqa: N802 (MAXScript name)
        lcid, name = self._LANGUAGES[self._code]
        return [lcid, self._code, name]


class MaxClass:
    """A MAXScript class value (what classOf returns); str() is its name."""

    def __init__(self, name: str, superclass: Optional["MaxClass"] = None) -> None:
        self.name = name
        self.superclass = superclass

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return "<%s>" % self.name


class MaxObject:
    """A scene object, material, map or render element: a class and its properties."""

    def __init__(self, cls: MaxClass, **props: Any) -> None:
        object.__setattr__(self, "_cls", cls)
        object.__setattr__(self, "_props", {k.lower(): (k, v) for k, v in props.items()})

    def has(self, name: str) -> bool:
        return name.lower() in self._props

    def __getattr__(self, name: str) -> Any:
        try:
            return self._props[name.lower()][1]
        except KeyError:
            raise AttributeError("Unknown property: %r in %s" % (name, self._cls)) from None

    def __setattr__(self, name: str, value: Any) -> None:
        if name.lower() not in self._props:
            raise AttributeError("Unknown property: %r in %s" % (name, self._cls))
        key = self._props[name.lower()][0]
        self._props[name.lower()] = (key, value)

    def __repr__(self) -> str:
        return "<%s %s>" % (self._cls, self._props.get("name", ("", ""))[1])


# Core classes -------------------------------------------------------------------------------
CAMERA = MaxClass("camera")  # the superclass of cameras (MAXScript global `camera`)
HELPER = MaxClass("helper")
TEXTUREMAP = MaxClass("textureMap")
GEOMETRY = MaxClass("GeometryClass")
RENDERER = MaxClass("RendererClass")
RENDER_ELEMENT = MaxClass("RenderElement")
MODIFIER = MaxClass("modifier")

#: Scene object classes a plugin defines: plugin -> {class name: superclass}. Unloaded plugin = undefined.
PLUGIN_CLASSES: Dict[str, Dict[str, MaxClass]] = {
    "core": {"BitmapTexture": TEXTUREMAP, "Point_Cache": MODIFIER, "PointCacheWSM": MODIFIER, "Box": GEOMETRY,
             "AlembicContainer": HELPER, "Targetcamera": CAMERA, "Freecamera": CAMERA, "Physical": CAMERA,
             "Targetobject": HELPER},
    "vray": {"VRayBitmap": TEXTUREMAP, "VRayHDRI": TEXTUREMAP, "VRayProxy": GEOMETRY, "VRayIES": HELPER,
             "VRayVolumeGrid": GEOMETRY, "VRayPhysicalCamera": CAMERA},
    "corona": {"CoronaBitmap": TEXTUREMAP, "CProxy": GEOMETRY},
    "forestpack": {"Forest_Pro": GEOMETRY},
    "railclone": {"RailClone_Pro": GEOMETRY},
    "tyflow": {"tyFlow": GEOMETRY},
}

#: Callback types by the first release that has them [CALLBACKS]; cuiRegisterMenus is 2025+ [CUINOTIFY].
CALLBACK_TYPES = {"filePostOpen": 0, "filePostSave": 0, "systemPostNew": 0, "systemPostReset": 0,
                  "postSystemStartup": 0, "postLoadingMenus": 0, "cuiRegisterMenus": 2025,
                  "cuiRegisterQuadMenus": 2025}


# The menu manager of 3ds Max 2024 and earlier [MENUMAN] ----------------------------------------
class LegacyMenuItem(Interface):
    """A menu item: "getTitle", "setTitle", "getSubMenu", "getIsSeparator" [MENUMAN "Menu Items"]."""

    def __init__(self, title: str, submenu: Optional["LegacyMenu"] = None, macro: Optional[Tuple[str, str]] = None,
                 separator: bool = False) -> None:
        self._title, self._submenu, self.macro, self._separator = title, submenu, macro, separator

    def getTitle(self) -> str:
        return self._title

    def setTitle(self, title: str) -> None:
        self._title = title

    def getSubMenu(self) -> Optional["LegacyMenu"]:
        return self._submenu  # undefined (None) when the item is not a submenu

    def getIsSeparator(self) -> bool:
        return self._separator


class LegacyMenu(Interface):
    """A menu: numItems, getItem (1-based), addItem <item> <position> (-1 appends), removeItem,
    removeItemByPosition, getTitle, setTitle [MENUMAN "Menus"].

    addItem's position is where the item lands counting from 0 (unlike getItem): the reference's
    own example adds a menu "just at the second to last slot" (before Help) with
    ``mainMenuBar.addItem subMenuItem (mainMenuBar.numItems() - 1)``, as do
    github.com/shotgunsoftware/tk-3dsmax python/tk_3dsmax/maxscript.py (add_to_main_menu_bar),
    ftrack's and Quixel Bridge's 3ds Max menus. Passing numItems() appends after Help."""

    def __init__(self, title: str) -> None:
        self._title = title
        self.items: List[LegacyMenuItem] = []

    def getTitle(self) -> str:
        return self._title

    def setTitle(self, title: str) -> None:
        self._title = title

    def numItems(self) -> int:
        return len(self.items)

    def getItem(self, position: int) -> LegacyMenuItem:
        if not 1 <= position <= len(self.items):
            raise MAXScriptException("-- Runtime error: menu item index out of range: %d" % position)
        return self.items[position - 1]

    def addItem(self, item: LegacyMenuItem, position: int) -> None:
        if not isinstance(item, LegacyMenuItem):
            raise MAXScriptException("-- Unable to convert: %r to type: MenuItem" % (item,))
        if position == -1 or position >= len(self.items):
            self.items.append(item)
        elif position < 0:
            raise MAXScriptException("-- Runtime error: menu item position out of range: %d" % position)
        else:
            self.items.insert(position, item)

    def removeItem(self, item: LegacyMenuItem) -> None:
        self.items.remove(item)

    def removeItemByPosition(self, position: int) -> None:
        self.getItem(position)
        del self.items[position - 1]


class MenuMan(Interface):
    """``menuMan`` [MENUMAN "Menu Manager"]: the calls the reference lists; records every change."""

    STANDARD = ("&File", "&Edit", "&Tools", "&Group", "&Views", "&Create", "&Modifiers", "&Animation",
                "Graph &Editors", "&Rendering", "&Customize", "&Scripting", "&Help")

    def __init__(self, fake: "FakeMax") -> None:
        self._fake = fake
        self.calls: List[str] = []
        self.updates = 0
        self._standard_menus()

    def _standard_menus(self) -> None:
        self.registered: List[LegacyMenu] = []
        self._main = LegacyMenu("Main Menu Bar")
        for title in self.STANDARD:
            menu = LegacyMenu(title)
            self.registered.append(menu)
            self._main.items.append(LegacyMenuItem(title, submenu=menu))

    def loadMenuFile(self, path: str) -> bool:
        """"Loads the specified menu file": every menu is replaced by the file's (here: 3ds Max's
        own, as saved before Renderbus was installed, or a workspace's), then 3ds Max sends
        #postLoadingMenus [CALLBACKS]."""
        self._call("loadMenuFile")
        self._standard_menus()
        self._fake.callbacks.fire("postLoadingMenus")
        return True

    def _call(self, what: str) -> None:
        if self._fake.year >= 2025:  # [CUIMENU] the old menu system was replaced in 2025
            raise MAXScriptException("menuMan.%s: the 3ds Max 2025 menu system replaced menuMan (fake refuses)" % what)
        self.calls.append(what)

    def findMenu(self, title: str) -> Optional[LegacyMenu]:
        """"Returns the menu with the given name, undefined if there is none." """
        self._call("findMenu")
        return next((m for m in self.registered if m.getTitle() == title), None)

    def createMenu(self, title: str) -> LegacyMenu:
        self._call("createMenu")
        menu = LegacyMenu(title)
        self.registered.append(menu)
        return menu

    def createSubMenuItem(self, title: str, menu: LegacyMenu) -> LegacyMenuItem:
        self._call("createSubMenuItem")
        return LegacyMenuItem(title, submenu=menu)

    def createActionItem(self, macro_name: str, category: str) -> Optional[LegacyMenuItem]:
        """An item running macroScript <macro_name> of <category>; undefined if no such macroScript."""
        self._call("createActionItem")
        macro = self._fake.macros.get((category.lower(), macro_name.lower()))
        if macro is None:
            return None
        return LegacyMenuItem(macro["buttonText"], macro=(macro_name, category))

    def createSeparatorItem(self) -> LegacyMenuItem:
        self._call("createSeparatorItem")
        return LegacyMenuItem("", separator=True)

    def getMainMenuBar(self) -> LegacyMenu:
        self._call("getMainMenuBar")
        return self._main

    def unRegisterMenu(self, menu: LegacyMenu) -> None:
        self._call("unRegisterMenu")
        if menu in self.registered:
            self.registered.remove(menu)

    def registerMenuContext(self, context_id: int) -> bool:
        self._call("registerMenuContext")
        return True

    def updateMenuBar(self) -> None:
        self._call("updateMenuBar")
        self.updates += 1

    # test helpers (not MAXScript) ------------------------------------------------------------
    def main_titles(self) -> List[str]:
        return [item.getTitle() for item in self._main.items]


# The menu system of 3ds Max 2025 and later [CUIMENU] -------------------------------------------
class CuiMenu(Interface):
    """A menu being built in a #cuiRegisterMenus callback: CreateSubMenu <id> <title> beforeId:,
    CreateAction <id> <actionTableId> <actionId> beforeId:, CreateSeparator <id> beforeId: [CUIMENU]."""

    def __init__(self, manager: "CuiMenuMgr", item_id: str, title: str) -> None:
        self._manager, self.id, self.title = manager, item_id, title
        self.items: List[Dict[str, Any]] = []

    def _insert(self, entry: Dict[str, Any], before_id: Optional[str]) -> None:
        self._manager.claim(entry["id"])
        position = next((i for i, e in enumerate(self.items) if before_id and e["id"].lower() == before_id.lower()),
                        len(self.items))
        self.items.insert(position, entry)

    def CreateSubMenu(self, item_id: str, title: str, beforeId: Optional[str] = None) -> "CuiMenu":
        menu = CuiMenu(self._manager, item_id, title)
        self._insert({"id": item_id, "kind": "submenu", "title": title, "menu": menu}, beforeId)
        return menu

    def CreateAction(self, item_id: str, action_table_id: int, action_id: str, beforeId: Optional[str] = None) -> None:
        title = self._manager.fake.action_title(int(action_table_id), action_id)
        self._insert({"id": item_id, "kind": "action", "title": title, "table": int(action_table_id),
                      "action": action_id}, beforeId)

    def CreateSeparator(self, item_id: str, beforeId: Optional[str] = None) -> None:
        self._insert({"id": item_id, "kind": "separator", "title": ""}, beforeId)


class CuiMenuMgr(Interface):
    """What callbacks.notificationParam() returns in a #cuiRegisterMenus callback [CUINOTIFY]."""

    STANDARD = (("&File", "e9c7e7ae-4e4b-4e59-8a4a-4e0e4b2c0a01"), ("&Edit", "e9c7e7ae-4e4b-4e59-8a4a-4e0e4b2c0a02"),
                ("&Rendering", "e9c7e7ae-4e4b-4e59-8a4a-4e0e4b2c0a03"), ("&Scripting", "e9c7e7ae-4e4b-4e59-8a4a-4e0e4b2c0a04"),
                ("&Help", "cee8f758-2199-411b-81e7-d3ff4a80d143"))  # Help's id as the reference's example gives it

    def __init__(self, fake: "FakeMax") -> None:
        self.fake = fake
        self._ids: set = set()
        self._bar = CuiMenu(self, "b4779ebb-a6f0-4815-9777-57c01c0b584c", "Main Menu Bar")  # kMainMenuId
        for title, item_id in self.STANDARD:
            self._bar.CreateSubMenu(item_id, title)

    @property
    def mainMenuBar(self) -> CuiMenu:
        return self._bar

    def claim(self, item_id: str) -> None:
        key = item_id.lower()
        if key in self._ids:
            raise MAXScriptException("-- Runtime error: a menu item with id %s already exists" % item_id)
        self._ids.add(key)

    # test helper ---------------------------------------------------------------------------
    def main_titles(self) -> List[str]:
        return [e["title"] for e in self._bar.items]


# Other core interfaces ---------------------------------------------------------------------
class Callbacks(Interface):
    """``callbacks`` [CALLBACKS]: addScript <type> (<string>|<function>) id: persistent:, removeScripts, notificationParam."""

    def __init__(self, fake: "FakeMax") -> None:
        self._fake = fake
        self.scripts: List[Tuple[Name, Any, Optional[Name]]] = []
        self._param: Any = None

    def addScript(self, event: str, script: Any, id: Optional[str] = None, persistent: bool = False) -> None:
        first = next((year for name, year in CALLBACK_TYPES.items() if name.lower() == str(event).lower()), None)
        if first is None or self._fake.year < first:
            raise MAXScriptException("-- Runtime error: Unknown callback type: #%s" % event)
        if not isinstance(script, str) and not (callable(script) and self._fake.year >= 2021):
            raise MAXScriptException("-- Unable to convert: %r to type: String" % (script,))
        self.scripts.append((Name(event), script, Name(id) if id is not None else None))

    def removeScripts(self, event: Optional[str] = None, id: Optional[str] = None) -> None:
        self.scripts = [s for s in self.scripts
                        if not ((event is None or s[0] == event) and (id is None or s[2] == id))]

    def notificationParam(self) -> Any:
        return self._param

    def fire(self, event: str, param: Any = None) -> None:
        """(fake only) 3ds Max sends ``event``: run its scripts with ``param`` as notificationParam."""
        self._param = param
        try:
            for name, script, _ in list(self.scripts):
                if name == event:
                    self._fake.execute(script) if isinstance(script, str) else script()
        finally:
            self._param = None


class RenderElementMgr(Interface):
    """maxOps.GetCurRenderElementMgr() [ELEMENTS]: NumRenderElements, GetRenderElement (0-based),
    GetRenderElementFilename (0-based)."""

    def __init__(self, elements: List[Tuple[MaxObject, str]]) -> None:
        self._elements = elements

    def NumRenderElements(self) -> int:
        return len(self._elements)

    def GetRenderElement(self, index: int) -> MaxObject:
        return self._elements[index][0]

    def GetRenderElementFilename(self, index: int) -> str:
        return self._elements[index][1]


class CuiMenuManagerInterface(Interface):
    """maxOps.GetICuiMenuMgr() (2025+): GetCurrentConfiguration() -> the .mnx in use;
    LoadConfiguration <file> rebuilds the menus, running the #cuiRegisterMenus callbacks.
    [CUIMGR] ICuiMenuManager; used so by Autodesk's tk-3dsmax (menu_generation_callbacks.py)."""

    def __init__(self, fake: "FakeMax") -> None:
        self._fake = fake

    def GetCurrentConfiguration(self) -> str:
        return "C:\\Users\\artist\\AppData\\Local\\Autodesk\\3dsMax\\%d - 64bit\\ENU\\en-US\\UI\\MaxMenu.mnx" % self._fake.year

    def LoadConfiguration(self, path: str) -> bool:
        self._fake.build_menus()
        return True


class MaxOps(Interface):
    def __init__(self, fake: "FakeMax", elements: RenderElementMgr) -> None:
        self._fake, self._elements = fake, elements

    def GetCurRenderElementMgr(self) -> RenderElementMgr:  # [ELEMENTS]
        return self._elements

    def GetICuiMenuMgr(self) -> CuiMenuManagerInterface:  # [CUIMGR], 3ds Max 2025+
        if self._fake.year < 2025:
            raise AttributeError("maxOps has no GetICuiMenuMgr before 3ds Max 2025")
        return CuiMenuManagerInterface(self._fake)


class ATSOps(Interface):
    """``ATSOps`` [ATSOPS]: Refresh(), GetFiles <&fileList> (by reference: pymxs returns (count, list) [BYREF])."""

    def __init__(self, fake: "FakeMax") -> None:
        self._fake = fake
        self.refreshed = 0

    def Refresh(self) -> None:
        self.refreshed += 1

    def GetFiles(self, file_list: Any) -> Any:
        files = self._fake.tracked_files()
        if isinstance(file_list, ByRef):
            return len(files), list(files)
        return len(files)  # without byref the caller's list is not updated [BYREF]


class BakeElement(MaxObject):
    """A bake element of Render To Texture [BAKE]: .elementName, .fileName, .fileType (the output file), .enabled."""


class BakeProperties(Interface):
    """<node>.INodeBakeProperties [BAKE]: bakeEnabled, numBakeElements(), getBakeElement <index> (1-based)."""

    def __init__(self, enabled: bool, elements: List[Dict[str, Any]]) -> None:
        self.bakeEnabled = enabled
        self._elements = [BakeElement(MaxClass(e.get("class", "CompleteMap")), elementName=e.get("name", "CompleteMap"),
                                      fileName=e.get("fileName", ""), fileType=e.get("fileType", ""),
                                      enabled=e.get("enabled", True)) for e in elements]

    def numBakeElements(self) -> int:
        return len(self._elements)

    def getBakeElement(self, index: int) -> BakeElement:
        if not 1 <= index <= len(self._elements):
            raise MAXScriptException("-- Runtime error: bake element index out of range: %d" % index)
        return self._elements[index - 1]


class XRefs(Interface):
    """Scene xrefs: xrefs.getXRefFileCount(), xrefs.getXRefFile <index> (1-based) -> XRefScene (.filename)."""

    def __init__(self, files: List[str]) -> None:
        self._nodes = [MaxObject(MaxClass("XRefScene"), filename=f) for f in files]

    def getXRefFileCount(self) -> int:
        return len(self._nodes)

    def getXRefFile(self, index: int) -> MaxObject:
        if not 1 <= index <= len(self._nodes):
            raise MAXScriptException("-- Runtime error: xref index out of range: %d" % index)
        return self._nodes[index - 1]


class ObjXRefMgr(Interface):
    """``objXRefMgr`` [OBJXREFMGR]: recordCount (read), GetRecord <index> (1-based) -> record (.srcFileName)."""

    def __init__(self, files: List[str]) -> None:
        self._records = [MaxObject(MaxClass("ObjXRefRecord"), srcFileName=f) for f in files]

    @property
    def recordCount(self) -> int:
        return len(self._records)

    def GetRecord(self, index: int) -> MaxObject:
        if not 1 <= index <= len(self._records):
            raise MAXScriptException("-- Runtime error: record index out of range: %d" % index)
        return self._records[index - 1]


class PathConfig(Interface):
    def __init__(self, project: str) -> None:
        self._project = project

    def getCurrentProjectFolder(self) -> str:  # pathConfig.getCurrentProjectFolder() (MAXScript "pathConfig")
        return self._project


class FileProperties(Interface):
    """``fileProperties`` [FILEPROPS]: sets #summary #contents #custom; indexes 1-based; findProperty -> 0 if none."""

    SETS = ("summary", "contents", "custom")

    def __init__(self, custom: Dict[str, Any]) -> None:
        self._sets: Dict[str, List[List[Any]]] = {s: [] for s in self.SETS}
        self._sets["custom"] = [[k, v] for k, v in custom.items()]

    def _set(self, set_name: str) -> List[List[Any]]:
        if not isinstance(set_name, Name) or str(set_name).lower() not in self._sets:
            raise MAXScriptException("-- Runtime error: fileProperties set must be #summary, #contents or #custom")
        return self._sets[str(set_name).lower()]

    def getNumProperties(self, set_name: Name) -> int:
        return len(self._set(set_name))

    def getPropertyName(self, set_name: Name, index: int) -> str:
        return self._set(set_name)[index - 1][0]

    def getPropertyValue(self, set_name: Name, index: int) -> Any:
        return self._set(set_name)[index - 1][1]

    def findProperty(self, set_name: Name, prop_name: str) -> int:
        for i, (name, _) in enumerate(self._set(set_name), 1):
            if name.lower() == prop_name.lower():
                return i
        return 0

    def addProperty(self, set_name: Name, prop_name: str, value: Any) -> None:
        entries = self._set(set_name)
        for entry in entries:
            if entry[0].lower() == prop_name.lower():
                entry[1] = value
                return
        entries.append([prop_name, value])

    def deleteProperty(self, set_name: Name, prop_name: str) -> None:
        entries = self._set(set_name)
        entries[:] = [e for e in entries if e[0].lower() != prop_name.lower()]

    def custom(self) -> Dict[str, Any]:
        """(fake only) the custom set, as saved with the scene."""
        return {k: v for k, v in self._sets["custom"]}


class PythonInterface(Interface):
    """``python`` [PYTHONIF]: python.Execute <string> runs Python code, returns #success."""

    def Execute(self, code: str, fileName: Optional[str] = None, throwOnError: bool = True) -> Name:
        exec(compile(code, "<python.Execute>", "exec"), {"__name__": "__main__"})
        return Name("success")


class Renderers:
    def __init__(self, current: MaxObject) -> None:
        self.current = current  # renderers.current: the production renderer [RENDSETUP]


class Range:
    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = Time(start), Time(end)  # animationRange: an Interval (.start, .end)


# The fake 3ds Max ---------------------------------------------------------------------------
_MACRO = re.compile(
    r'^\s*macroScript\s+(?P<name>\w+)\s+category:"(?P<category>[^"]*)"\s+buttonText:"(?P<text>[^"]*)"'
    r'\s+tooltip:"(?P<tooltip>[^"]*)"\s*\(\s*(?P<body>.*?)\s*\)\s*$', re.DOTALL)
_PY_EXECUTE = re.compile(r'^\s*python\.Execute\s+"(?P<code>(?:[^"\\]|\\.)*)"\s*$', re.DOTALL | re.IGNORECASE)


def _unescape(text: str) -> str:
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), text)


class FakeMax:
    """One 3ds Max session with one open scene (a dict: see tests/max/scenes.py)."""

    def __init__(self, year: int = 2024, scene: Optional[Dict[str, Any]] = None) -> None:
        self.year = int(year)
        self.undefined_reads: List[str] = []
        self.macros: Dict[Tuple[str, str], Dict[str, str]] = {}
        self.message_boxes: List[Tuple[str, str]] = []
        self.displayed: List[str] = []  # bitmaps shown in a frame buffer window
        self.menu_man = MenuMan(self)
        self.callbacks = Callbacks(self)
        self.cui: Optional[CuiMenuMgr] = None
        self.python = PythonInterface()
        self.language = "ENU"  #: 3ds Max's interface language (its 3-letter code; started as `3dsmax.exe /Language=CHS`)
        self.accelerators_off: List[Any] = []  #: widgets qtmax.DisableMaxAcceleratorsOnFocus was given
        self._window: Any = None
        self.load(scene or {})
        if self.year >= 2025:  # 3ds Max built its menus before the user startup scripts run
            self.build_menus()

    # the scene ----------------------------------------------------------------------------
    def load(self, scene: Dict[str, Any]) -> None:
        """Open ``scene`` (as File > Open would): replaces everything scene-related."""
        self.scene = scene
        self.plugins = {"core"} | set(scene.get("plugins", []))
        self.classes: Dict[str, MaxClass] = {}
        for plugin in self.plugins:
            for name, superclass in PLUGIN_CLASSES.get(plugin, {}).items():
                self.classes[name.lower()] = MaxClass(name, superclass)
        renderer = scene.get("renderer", {"class": "Default_Scanline_Renderer"})
        self.renderer = MaxObject(MaxClass(renderer["class"], RENDERER), **renderer.get("props", {}))
        self.objects: List[MaxObject] = []
        for spec in scene.get("objects", []):
            cls = self.classes.get(spec["class"].lower())
            if cls is None:
                raise ValueError("scene uses %s, whose plugin is not loaded" % spec["class"])
            props = dict(spec.get("props", {}))
            if cls.superclass is GEOMETRY:  # every node has the texture baking interface [BAKE]
                bake = spec.get("bake", {})
                props["INodeBakeProperties"] = BakeProperties(bool(bake.get("enabled", False)), bake.get("elements", []))
            self.objects.append(MaxObject(cls, name=spec.get("name", spec["class"]), **props))
        self.camera_nodes = []
        for cam in scene.get("cameras", []):
            self.camera_nodes.append(MaxObject(self.classes["targetcamera"], name=cam))
            self.camera_nodes.append(MaxObject(self.classes["targetobject"], name=cam + ".Target"))
        elements = [(MaxObject(MaxClass(e["class"], RENDER_ELEMENT), elementName=e["name"],
                               enabled=e.get("enabled", True)), e.get("file", ""))
                    for e in scene.get("elements", [])]
        self.element_mgr = RenderElementMgr(elements)
        self.file_properties = FileProperties(dict(scene.get("file_properties", {})))
        self.save_required = bool(scene.get("modified", False))
        self.globals: Dict[str, Any] = {}

    def save(self) -> Dict[str, Any]:
        """(fake only) File > Save: the scene as it would be read back (custom file properties kept)."""
        saved = dict(self.scene)
        saved["file_properties"] = self.file_properties.custom()
        saved["modified"] = False
        self.save_required = False
        return saved

    def tracked_files(self) -> List[str]:
        """What the asset tracking system lists: the scene, every file an object holds, xrefs,
        the render outputs, and ``ats_files`` (files only ATS knows, e.g. a plugin's caches)."""
        files = [self._scene_path()] if self._scene_path() else []
        for obj in self.objects:
            for key, (_, value) in obj._props.items():
                if key != "name" and isinstance(value, str) and ("\\" in value or "/" in value):
                    files.append(value)
        files += self.scene.get("xrefs", []) + self.scene.get("object_xrefs", [])
        output = self.scene.get("output", {})
        if output.get("file"):
            files.append(output["file"])
        files += [e.get("file", "") for e in self.scene.get("elements", []) if e.get("file")]
        files += self.scene.get("ats_files", [])
        # V-Ray registers its prepass files with ATS, saved (autosave) as well as loaded
        for key, (_, value) in self.renderer._props.items():
            if key.endswith("filename") and isinstance(value, str) and value:
                files.append(value)
        for obj in self.objects:  # Render To Texture's outputs [BAKE]
            bake = obj._props.get("inodebakeproperties", (None, None))[1]
            if bake is not None:
                files += [bake.getBakeElement(i).fileType for i in range(1, bake.numBakeElements() + 1)]
        return files

    def _scene_path(self) -> str:
        path = self.scene.get("file", "")
        return path

    # pymxs.runtime ----------------------------------------------------------------------------
    def lookup(self, name: str) -> Any:
        key = name.lower()
        if key in self.globals:
            return self.globals[key]
        value = self._builtin(key)
        if value is _UNDEFINED:
            self.undefined_reads.append(name)
            return None
        return value

    def _builtin(self, key: str) -> Any:
        s = self.scene
        time = s.get("time", {})
        output = s.get("output", {})
        path = self._scene_path()
        cut = max(path.rfind("\\"), path.rfind("/"))
        table: Dict[str, Callable[[], Any]] = {
            # pymxs / MAXScript language [PYMXS] [VALUES]
            "name": lambda: Name,
            "execute": lambda: self.execute,
            "python": lambda: self.python,
            "isproperty": lambda: (lambda obj, prop: isinstance(obj, MaxObject) and obj.has(str(prop))),
            "getproperty": lambda: (lambda obj, prop: getattr(obj, str(prop))),
            "classof": lambda: (lambda obj: obj._cls if isinstance(obj, MaxObject) else MaxClass(type(obj).__name__)),
            "superclassof": lambda: (lambda obj: obj._cls.superclass),
            "getclassinstances": lambda: self._instances,
            "geometry": lambda: [o for o in self.objects if o._cls.superclass is GEOMETRY],
            "messagebox": lambda: self._message_box,
            # bitmaps (MAXScript "BitMap Values"): openBitMap <file> -> a Bitmap or undefined; display <bitmap>
            "openbitmap": lambda: self._open_bitmap,
            "display": lambda: self._display,
            "sysinfo": lambda: SysInfo(self.language),
            # 3ds Max [MAXVERSION]
            "maxversion": lambda: (lambda: [(self.year - 1998) * 1000, 58, 0, self.year - 1998, 0, 0, 0, self.year, ""]),
            # Render Setup globals [RENDSETUP]
            "renderers": lambda: Renderers(self.renderer),
            "rendtimetype": lambda: int(time.get("type", 1)),
            "rendnthframe": lambda: int(time.get("nth", 1)),
            "rendstart": lambda: Time(time.get("start", 0)),
            "rendend": lambda: Time(time.get("end", 100)),
            "rendpickupframes": lambda: time.get("pickup", ""),
            "slidertime": lambda: Time(time.get("slider", 0)),
            "animationrange": lambda: Range(*time.get("active", (0, 100))),
            "renderwidth": lambda: int(s.get("width", 640)),
            "renderheight": lambda: int(s.get("height", 480)),
            "rendsavefile": lambda: bool(output.get("save", False)),
            "rendoutputfilename": lambda: output.get("file", ""),
            # cameras (MAXScript "Camera Common Properties", getActiveCamera(), the `cameras` set)
            "camera": lambda: CAMERA,
            "cameras": lambda: list(self.camera_nodes),
            "getactivecamera": lambda: self._active_camera,
            # interfaces
            "maxops": lambda: MaxOps(self, self.element_mgr),
            "atsops": lambda: self._ats,
            "xrefs": lambda: XRefs(s.get("xrefs", [])),
            "objxrefmgr": lambda: ObjXRefMgr(s.get("object_xrefs", [])),
            "pathconfig": lambda: PathConfig(s.get("project", "")),
            "fileproperties": lambda: self.file_properties,
            "callbacks": lambda: self.callbacks,
            "menuman": lambda: self.menu_man,
            # the open file (MAXScript "3ds Max System Globals": maxFilePath, maxFileName; getSaveRequired)
            "maxfilepath": lambda: path[:cut + 1] if path else "",
            "maxfilename": lambda: path[cut + 1:] if path else "",
            "getsaverequired": lambda: (lambda: self.save_required),
            "setsaverequired": lambda: self._set_save_required,
        }
        if "vray" in self.plugins:
            # V-Ray for 3ds Max MAXScript: vrayVersion() -> #("6.20.03", ...) (Chaos docs, "MAXScript")
            table["vrayversion"] = lambda: (lambda: [s.get("renderer", {}).get("version", "6.20.03"), "00000", "0"])
        if key in table:
            return table[key]()
        if key in self.classes:
            return self.classes[key]
        return _UNDEFINED

    # functions the table hands out ------------------------------------------------------------
    @property
    def _ats(self) -> ATSOps:
        if not hasattr(self, "_ats_ops"):
            self._ats_ops = ATSOps(self)
        return self._ats_ops

    def _instances(self, cls: MaxClass) -> List[MaxObject]:
        if not isinstance(cls, MaxClass):
            raise MAXScriptException("-- getClassInstances requires a class, got %r" % (cls,))
        return [o for o in self.objects if o._cls is cls]

    def _active_camera(self) -> Optional[MaxObject]:
        wanted = self.scene.get("active_camera")
        return next((c for c in self.camera_nodes if c.name == wanted), None)

    def _message_box(self, text: str, title: str = "MAX") -> bool:
        self.message_boxes.append((title, text))
        return True

    def _open_bitmap(self, path: str) -> Optional[MaxObject]:
        import os

        if not isinstance(path, str):
            raise MAXScriptException("-- Unable to convert: %r to type: FileName" % (path,))
        if not os.path.isfile(path) or not path.lower().endswith((".exr", ".png", ".jpg", ".tga", ".tif", ".bmp")):
            return None  # undefined: 3ds Max could not open it
        return MaxObject(MaxClass("Bitmap"), filename=path)

    def _display(self, bitmap: Any) -> None:
        if not isinstance(bitmap, MaxObject) or str(bitmap._cls) != "Bitmap":
            raise MAXScriptException("-- No \"display\" function for %r" % (bitmap,))
        self.displayed.append(bitmap.filename)

    def _set_save_required(self, value: bool) -> None:
        self.save_required = bool(value)

    # MAXScript text ------------------------------------------------------------------------
    def execute(self, text: str) -> Any:
        """``execute <string>``: only macroScript definitions and python.Execute are understood."""
        match = _MACRO.match(text)
        if match:
            self.macros[(match.group("category").lower(), match.group("name").lower())] = {
                "name": match.group("name"), "category": match.group("category"),
                "buttonText": match.group("text"), "tooltip": match.group("tooltip"), "body": match.group("body")}
            return None
        match = _PY_EXECUTE.match(text)
        if match:
            return self.python.Execute(_unescape(match.group("code")))
        raise MAXScriptException("-- the fake evaluates macroScript definitions and python.Execute only: %r" % text[:80])

    def run_script_file(self, text: str) -> None:
        """(fake only) 3ds Max runs a startup .ms: statements are ``global x = #(@"...", ...)``
        and ``python.Execute "..."``, inside one ``( )`` block, with ``--`` comments; nothing else."""
        body = "\n".join(line.split("--", 1)[0] if not line.lstrip().startswith("python.") else line
                         for line in text.splitlines()).strip()
        if not (body.startswith("(") and body.endswith(")")):
            raise MAXScriptException("-- the fake runs one ( ) block per script file")
        body = body[1:-1]
        array = r'global\s+(\w+)\s*=\s*#\(\s*((?:@"[^"]*"\s*,?\s*)*)\)'
        for match in re.finditer(array, body):
            self.globals[match.group(1).lower()] = re.findall(r'@"([^"]*)"', match.group(2))
        body = re.sub(array, "", body)
        for statement in [b for b in body.splitlines() if b.strip()]:
            self.execute(statement)

    def action_title(self, table: int, action_id: str) -> str:
        if table != MACRO_TABLE:
            raise MAXScriptException("-- no action table %d (the fake knows the macroScript table only)" % table)
        name, _, category = action_id.partition("`")
        macro = self.macros.get((category.lower(), name.lower()))
        if macro is None:
            raise MAXScriptException("-- no action %r in the macroScript table" % action_id)
        return macro["buttonText"]

    def run_macro(self, category: str, name: str) -> Any:
        """(fake only) the artist picks a menu item bound to macroScript name`category."""
        return self.execute(self.macros[(category.lower(), name.lower())]["body"])

    # the menus of 2025+ ------------------------------------------------------------------------
    def build_menus(self) -> CuiMenuMgr:
        """(fake only) 3ds Max 2025+ builds its menus: a fresh structure, #cuiRegisterMenus callbacks run."""
        if self.year < 2025:
            raise RuntimeError("3ds Max %d has no #cuiRegisterMenus" % self.year)
        manager = CuiMenuMgr(self)
        self.callbacks.fire("cuiRegisterMenus", manager)
        self.cui = manager
        return manager

    def main_window(self) -> Any:
        """qtmax.GetQMaxMainWindow(): 3ds Max's main QWidget (made on first use)."""
        if self._window is None:
            from Qt import QtWidgets

            self._window = QtWidgets.QMainWindow()
            self._window.setWindowTitle("Autodesk 3ds Max %d (fake)" % self.year)
        return self._window


_UNDEFINED = object()


class Runtime:
    """``pymxs.runtime`` over the current FakeMax: MAXScript globals, case-insensitive. [PYMXS]"""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return current().lookup(name)

    def __setattr__(self, name: str, value: Any) -> None:
        current().globals[name.lower()] = value  # a MAXScript global set from Python


_current: Optional[FakeMax] = None


def current() -> FakeMax:
    if _current is None:
        raise RuntimeError("no fake 3ds Max is running (use fakemax.use(FakeMax(...)))")
    return _current


def use(fake: Optional[FakeMax]) -> Optional[FakeMax]:
    """Make ``fake`` the 3ds Max pymxs talks to (None: none)."""
    global _current
    _current = fake
    return fake
