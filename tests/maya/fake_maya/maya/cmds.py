"""A fake ``maya.cmds`` answering from ``maya._scene.STATE``.

Only commands real Maya has exist here, and each refuses a flag real Maya does not have
(``TypeError: Invalid flag 'x'``), both checked against the types-maya stubs. A real command
the fake does not implement raises NotImplementedError naming it; a name that is no Maya
command raises AttributeError, as ``maya.cmds`` would.
"""

import functools
import os
import re
import sys
from typing import Any, Callable, Dict, List, Optional

from maya import _scene
from maya._stubs import ALIASES, FLAGS

_UI_COMMANDS = {"shelfLayout", "shelfTabLayout", "shelfButton", "menu", "menuItem", "confirmDialog", "deleteUI",
                "renderWindowEditor"}


def _state() -> "_scene.FakeMaya":
    return _scene.STATE


def _command(fn: Callable[..., Any]) -> Callable[..., Any]:
    name = fn.__name__.rstrip("_")
    if name not in FLAGS:
        raise AssertionError("the fake implements %r, which Maya does not have" % name)
    allowed, aliases = FLAGS[name], ALIASES[name]

    @functools.wraps(fn)
    def command(*args: Any, **kwargs: Any) -> Any:
        for flag in kwargs:
            if flag not in allowed:
                raise TypeError("Invalid flag '%s'" % flag)
        state = _state()
        state.calls[name] += 1
        if name in _UI_COMMANDS and state.batch:
            raise RuntimeError("%s: this command is not available in batch mode" % name)
        return fn(*args, **{aliases.get(flag, flag): value for flag, value in kwargs.items()})

    return command


def __getattr__(name: str) -> Any:
    if name in FLAGS:
        def not_faked(*args: Any, **kwargs: Any) -> Any:
            raise NotImplementedError("maya.cmds.%s exists in Maya but not in the fake; add it" % name)
        return not_faked
    raise AttributeError("module 'maya.cmds' has no attribute %r" % name)


# Scene queries ----------------------------------------------------------------------------
@_command
def about(*args: Any, batch: bool = False, version: bool = False, majorVersion: bool = False,
          uiLanguage: bool = False, qtVersion: bool = False, **flags: Any) -> Any:
    state = _state()
    if batch:
        return state.batch
    if uiLanguage:  # Maya's interface language, as `about -uiLanguage` answers: "en_US", "zh_CN", "ja_JP"
        return getattr(state, "ui_language", "en_US")
    if qtVersion:  # Maya 2022-2024 run Qt 5.15 (PySide2), 2025+ Qt 6.5 (PySide6)
        return state.qt_version or ("5.15.2" if int(state.version) < 2025 else "6.5.3")
    if version or majorVersion:
        return state.version
    raise NotImplementedError("about: flags %s" % sorted(flags))


def _node(name: str) -> "_scene.Node":
    return _state().nodes[_state().find(name)]


@_command
def objExists(name: str) -> bool:
    try:
        _state().find(name)
    except ValueError:
        return False
    return True


@_command
def attributeQuery(attr: str, node: str = "", exists: bool = False, **flags: Any) -> Any:
    if not exists or flags:
        raise NotImplementedError("attributeQuery: only -node -exists are faked")
    return attr in _node(node).attrs


_ADJUSTMENT = re.compile(r"^adjustments\[(\d+)\]\.(plug|value)$")


@_command
def getAttr(plug: str, multiIndices: bool = False, **flags: Any) -> Any:
    if flags:
        raise NotImplementedError("getAttr: flags %s" % sorted(flags))
    name, _, attr = plug.partition(".")
    node = _node(name)
    if node.type == "renderLayer" and attr.startswith("adjustments"):
        if multiIndices and attr == "adjustments":
            return sorted(node.adjustments) or None
        match = _ADJUSTMENT.match(attr)
        if match and int(match.group(1)) in node.adjustments and match.group(2) == "value":
            return node.adjustments[int(match.group(1))][1]
    if attr not in node.attrs:
        raise ValueError("No object matches name: %s" % plug)
    if multiIndices:
        raise RuntimeError("getAttr: %s is not a multi attribute" % plug)
    return node.attrs[attr]


@_command
def ls(*args: Any, type: Any = None, long: bool = False, **flags: Any) -> List[str]:
    if flags:
        raise NotImplementedError("ls: only names and -type / -long are faked")
    state = _state()
    if args:  # names: each as Maya resolves it (no wildcards in the fake)
        keys = []
        for name in args:
            try:
                keys.append(state.find(name))
            except ValueError:
                continue
    else:
        keys = list(state.nodes)
    types = {type} if isinstance(type, str) else set(type or [])
    keys = [key for key in keys if not types or state.nodes[key].type in types]
    return [state.long_name(key) if long else state.partial_name(key) for key in keys]


@_command
def listRelatives(name: str, parent: bool = False, fullPath: bool = False, **flags: Any) -> Optional[List[str]]:
    if not parent or flags:
        raise NotImplementedError("listRelatives: only -parent [-fullPath] is faked")
    state = _state()
    owner = _node(name).parent
    if not owner:
        return None
    return [state.long_name(owner) if fullPath else state.partial_name(owner)]


@_command
def listConnections(plug: str, source: bool = True, destination: bool = True, plugs: bool = False,
                    **flags: Any) -> Optional[List[str]]:
    if flags or not plugs:
        raise NotImplementedError("listConnections: only -source -destination -plugs are faked")
    name, _, attr = plug.partition(".")
    node = _node(name)
    match = _ADJUSTMENT.match(attr)
    if node.type == "renderLayer" and match and match.group(2) == "plug" and source:
        held = node.adjustments.get(int(match.group(1)))
        return [held[0]] if held else None
    return None


@_command
def allNodeTypes(**flags: Any) -> List[str]:
    return sorted(_state().node_types())


@_command
def pluginInfo(*args: Any, query: bool = False, listPlugins: bool = False, version: bool = False, path: bool = False,
               **flags: Any) -> Any:
    state = _state()
    if not query:
        raise NotImplementedError("pluginInfo: only queries are faked")
    if listPlugins:
        return sorted(state.plugins) or None
    if (version or path) and args:
        if args[0] not in state.plugins:
            raise RuntimeError("Plug-in, \"%s\", was not found on MAYA_PLUG_IN_PATH." % args[0])
        return state.plugins[args[0]] if version else state.plugin_paths[args[0]]
    raise NotImplementedError("pluginInfo: flags %s" % sorted(flags))


@_command
def file(*args: Any, query: bool = False, sceneName: bool = False, modified: Any = None, reference: bool = False,
         **flags: Any) -> Any:
    state = _state()
    if not query and modified is not None and not (flags or args or sceneName or reference):
        state.modified = bool(modified)  # file -modified 0: the scene counts as saved
        return None
    if not query or flags or args:
        raise NotImplementedError("file: only -q -sceneName/-modified/-reference and -modified are faked")
    if sceneName:
        return state.scene_name
    if modified:
        return state.modified
    if reference:
        return [ref.path for ref in state.references.values()]
    raise NotImplementedError("file: which query?")


@_command
def workspace(*args: Any, query: bool = False, rootDirectory: bool = False, fileRuleEntry: str = "",
              **flags: Any) -> Any:
    state = _state()
    if query and rootDirectory:
        return state.workspace_root + "/"
    if fileRuleEntry:
        return state.file_rules.get(fileRuleEntry, "")
    raise NotImplementedError("workspace: flags %s" % sorted(flags))


@_command
def referenceQuery(name: str, filename: bool = False, withoutCopyNumber: bool = False, isLoaded: bool = False,
                   **flags: Any) -> Any:
    if flags:
        raise NotImplementedError("referenceQuery: flags %s" % sorted(flags))
    ref = _state().references.get(name)
    if ref is None:
        raise RuntimeError("referenceQuery: %s is not a reference node with a file" % name)
    if filename:
        return ref.path if withoutCopyNumber or not ref.copy_number else "%s{%d}" % (ref.path, ref.copy_number)
    if isLoaded:
        return ref.loaded
    raise NotImplementedError("referenceQuery: which query?")


@_command
def editRenderLayerGlobals(query: bool = False, currentRenderLayer: bool = False, **flags: Any) -> Any:
    if not (query and currentRenderLayer) or flags:
        raise NotImplementedError("editRenderLayerGlobals: only -q -currentRenderLayer is faked")
    return _state().current_layer


@_command
def fileInfo(*args: Any, query: bool = False, remove: str = "", **flags: Any) -> Any:
    state = _state()
    if remove:
        state.file_info.pop(remove, None)
        state.modified = True
        return None
    if query:
        def escaped(value: str) -> str:  # what Maya hands back: quotes and backslashes escaped
            return value.replace("\\", "\\\\").replace('"', '\\"')
        if args:
            return [escaped(state.file_info[args[0]])] if args[0] in state.file_info else []
        return [item for key, value in state.file_info.items() for item in (key, escaped(value))]
    if len(args) != 2 or not all(isinstance(a, str) for a in args):
        raise RuntimeError("fileInfo: give a keyword and a value")
    state.file_info[args[0]] = args[1]
    state.modified = True
    return None


_EVENTS = {"SceneOpened", "NewSceneOpened", "SceneSaved", "renderLayerManagerChange", "renderLayerChange",
           "PostSceneRead", "SelectionChanged", "quitApplication", "workspaceChanged"}


@_command
def scriptJob(event: Any = None, exists: int = 0, kill: int = 0, force: bool = False, parent: Any = None,
              **flags: Any) -> Any:
    state = _state()
    if event is not None:
        name, fn = event
        if name not in _EVENTS:
            raise RuntimeError("scriptJob: unknown event %r" % name)
        if not callable(fn) and not isinstance(fn, str):
            raise TypeError("scriptJob: the script must be a string or a callable")
        if parent is not None and parent.rsplit("|", 1)[-1] not in state.controls:
            raise RuntimeError("scriptJob: Could not find UI object %s" % parent)
        job = len(state.script_jobs) + 1000 + state.calls["scriptJob"]
        state.script_jobs[job] = (name, fn, parent)
        return job
    if exists:
        return exists in state.script_jobs
    if kill:
        if kill not in state.script_jobs:
            raise RuntimeError("scriptJob: job %d does not exist" % kill)
        del state.script_jobs[kill]
        return None
    raise NotImplementedError("scriptJob: flags %s" % sorted(flags))


@_command
def optionVar(*args: Any, query: Any = None, exists: str = "", stringValue: Any = None, intValue: Any = None,
              remove: str = "", **flags: Any) -> Any:
    state = _state()
    if flags or args:
        raise NotImplementedError("optionVar: flags %s" % sorted(flags))
    if exists:
        return exists in state.option_vars
    if query is not None:
        return state.option_vars.get(query, 0)  # Maya answers 0 for a variable that does not exist
    if remove:
        state.option_vars.pop(remove, None)
        return None
    for pair in (stringValue, intValue):
        if pair is not None:
            name, value = pair
            state.option_vars[name] = value
    return None


@_command
def refresh(suspend: Any = None, **flags: Any) -> None:
    if flags or suspend is None:
        raise NotImplementedError("refresh: only -suspend is faked")
    _state().refresh_suspended = bool(suspend)


@_command
def undoInfo(query: bool = False, state: bool = False, stateWithoutFlush: Any = None, **flags: Any) -> Any:
    fake = _state()
    if flags:
        raise NotImplementedError("undoInfo: flags %s" % sorted(flags))
    if query and state:
        return fake.undo_enabled
    if stateWithoutFlush is not None:
        fake.undo_enabled = bool(stateWithoutFlush)
        return None
    if not query:  # undoInfo -state: turning it off flushes the queue
        fake.undo_enabled = bool(state)
        if not state:
            fake.undo_queue = []
        return None
    raise NotImplementedError("undoInfo: which query?")


@_command
def internalVar(userAppDir: bool = False, mayaInstallDir: bool = False, **flags: Any) -> str:
    if flags or not (userAppDir or mayaInstallDir):
        raise NotImplementedError("internalVar: only -userAppDir and -mayaInstallDir are faked")
    return (_state().user_app_dir if userAppDir else _state().install_dir).rstrip("/") + "/"


@_command
def warning(*args: Any, **flags: Any) -> None:
    _state().dialogs.append({"warning": " ".join(str(a) for a in args)})


# UI -----------------------------------------------------------------------------------------
def _create(kind: str, name: Optional[str], parent: Optional[str], flags: Dict[str, Any]) -> str:
    state = _state()
    if parent is None or parent not in state.controls:
        raise RuntimeError("%s: parent %r does not exist" % (kind, parent))
    name = name or state.new_name(kind)
    if name in state.controls:
        raise RuntimeError("Object's name '%s' is not unique." % name)
    state.controls[name] = _scene.Control(kind, parent, flags)
    return name


def _layout_like(kind: str, args: Any, query: bool, exists: bool, edit: bool, flags: Dict[str, Any]) -> Any:
    state = _state()
    name = args[0] if args else None
    if exists:
        return name in state.controls and state.controls[name].kind == kind
    if query:
        if name not in state.controls:
            raise RuntimeError("%s: object not found: %s" % (kind, name))
        if flags.get("childArray") or flags.get("itemArray"):
            return state.children(name) or None
        raise NotImplementedError("%s: query flags %s" % (kind, sorted(flags)))
    if edit:
        state.controls[name].flags.update(flags)
        return name
    return _create(kind, name, flags.pop("parent", None), flags)


@_command
def shelfLayout(*args: Any, query: bool = False, exists: bool = False, edit: bool = False, **flags: Any) -> Any:
    return _layout_like("shelfLayout", args, query, exists, edit, flags)


@_command
def shelfTabLayout(*args: Any, query: bool = False, exists: bool = False, edit: bool = False, **flags: Any) -> Any:
    state = _state()
    name = args[0] if args else None
    if exists:
        return name in state.controls and state.controls[name].kind == "shelfTabLayout"
    if name not in state.controls or state.controls[name].kind != "shelfTabLayout":
        raise RuntimeError("shelfTabLayout: object not found: %s" % name)
    if query and flags.get("selectTab"):
        return state.controls[name].flags.get("selectTab", "")
    if edit and "selectTab" in flags:
        if flags["selectTab"] not in state.children(name):
            raise RuntimeError("shelfTabLayout: %s is not a tab of %s" % (flags["selectTab"], name))
        state.controls[name].flags["selectTab"] = flags["selectTab"]
        return None
    return _layout_like("shelfTabLayout", args, query, exists, edit, flags)


def _find_icon(image: str) -> bool:
    """Whether Maya finds a shelf icon: a full path that exists, or a name in a folder of the
    XBMLANGPATH Maya read at start-up (on Linux each entry ends with /%B)."""
    state = _state()
    if os.path.isabs(image):
        return os.path.isfile(image)
    for entry in state.icon_path.split(os.pathsep):
        if sys.platform.startswith("linux"):
            if not entry.endswith("/%B"):
                continue
            entry = entry[:-3]
        if entry and os.path.isfile(os.path.join(entry, image)):
            return True
    return False


@_command
def menu(*args: Any, query: bool = False, exists: bool = False, edit: bool = False, **flags: Any) -> Any:
    return _layout_like("menu", args, query, exists, edit, flags)


@_command
def shelfButton(*args: Any, **flags: Any) -> str:
    if flags.get("image") and not _find_icon(flags["image"]):
        _state().missing_icons.append(flags["image"])  # Maya draws a blank button and warns
    if "command" in flags and flags.get("sourceType", "mel") == "python" and isinstance(flags["command"], str):
        compile(flags["command"], "<shelfButton>", "exec")  # a shelf's command must at least compile
    return _create("shelfButton", args[0] if args else None, flags.pop("parent", None), flags)


@_command
def menuItem(*args: Any, **flags: Any) -> str:
    if isinstance(flags.get("command"), str) and flags.get("sourceType") == "python":
        compile(flags["command"], "<menuItem>", "exec")
    return _create("menuItem", args[0] if args else None, flags.pop("parent", None), flags)


@_command
def deleteUI(*names: str, menu: bool = False, layout: bool = False, control: bool = False, **flags: Any) -> None:
    state = _state()
    for name in names:
        short = name.rsplit("|", 1)[-1]
        control_ = state.controls.get(short)
        if control_ is None:
            raise RuntimeError("Object '%s' not found." % name)
        if menu and control_.kind != "menu" or layout and "Layout" not in control_.kind:
            raise RuntimeError("Object '%s' is not a %s." % (name, "menu" if menu else "layout"))
        state.delete_control(short)


@_command
def confirmDialog(*args: Any, **flags: Any) -> str:
    state = _state()
    state.dialogs.append(flags)
    buttons = flags.get("button") or ["Confirm"]
    return buttons[0] if isinstance(buttons, list) else buttons


@_command
def renderWindowEditor(*args: Any, edit: bool = False, loadImage: str = "", exists: bool = False, **flags: Any) -> Any:
    """The Render View's editor ("renderView", made by the RenderViewWindow runtime command)."""
    import os

    state = _state()
    name = args[0] if args else ""
    made = getattr(state, "render_view_open", False) and name == "renderView"
    if exists:
        return made
    if not made:
        raise RuntimeError("renderWindowEditor: Object '%s' not found." % name)
    if edit and loadImage:
        if not os.path.isfile(loadImage):
            raise RuntimeError("renderWindowEditor: Unable to load image '%s'" % loadImage)
        state.render_view_images.append(loadImage)
        return name
    raise NotImplementedError("renderWindowEditor: flags %s" % sorted(flags))
