"""The task files' declared formats, one per host, as the official SDK's analysers write them.

The formats are data: ``common.json`` (what every host shares: ``task_info``,
``software_config``, ``upload.json``'s entries, ``asset.json``, ``tips.json``) and
``maya.json``, ``max.json``, ``blender.json`` (each host's four files), beside this module,
written from the SDK's analysers and documentation (the releases in ``common.json``'s
``"sdk"``). ``tipcodes.json`` maps our validation codes to the live service's numeric tip codes.

They are read by both sides:

- :mod:`renderbus_dcc.taskfiles` takes the keys the SDK always writes, and their values, from
  :func:`defaults`, and checks what it wrote with :func:`check_files` in ``strict`` mode;
- the local farm checks what a client uploaded with :func:`check_files` at submitTask and
  refuses a file that does not conform, naming the field.

The schema language is a small subset of JSON Schema: ``type`` (one or a list), ``properties``,
``required``, ``additionalProperties`` (true, false or a schema), ``propertyNames``, ``items``,
``enum``, ``pattern``, ``minLength``, ``default``, ``description`` and ``$ref``
(``#/definitions/x`` or ``common.json#/definitions/x``). Two rules of our own:

- a list ``type`` names the type we write first; the others are what the live service also
  reads (the SDK's 3ds Max example has a number as ``task_id``). ``strict`` checks accept
  the first type only;
- an object that does not say ``additionalProperties`` tolerates keys it does not declare
  (the SDK's analysers write more than they document) except in ``strict`` checks, which
  refuse them: what we write is exactly what the SDK documents. ``"additionalProperties":
  true`` says any key is fine by design (``additional_info``, a client's own).

Pure standard library: this runs in every host and in the farm.
"""

import json
import re
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

__all__ = [
    "HOSTS", "TASK_FILES", "Problem", "load", "host_of", "check", "check_files", "defaults",
    "declared_keys", "tip_code", "sdk_releases",
]

_HERE = Path(__file__).resolve().parent
#: cg_id -> the data file of that host's formats.
HOSTS: Dict[str, str] = {"2000": "maya.json", "2001": "max.json", "2007": "blender.json"}
#: The four files, in the order they are uploaded.
TASK_FILES = ("task.json", "upload.json", "asset.json", "tips.json")
_CACHE: Dict[str, Dict[str, Any]] = {}
_TYPES = {
    "object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
}


class Problem(object):
    """One thing in a task file that does not conform: ``where`` is ``file field.path``."""

    __slots__ = ("file", "field", "message")

    def __init__(self, file: str, field: str, message: str) -> None:
        self.file = file
        self.field = field
        self.message = message

    @property
    def where(self) -> str:
        return "%s %s" % (self.file, self.field) if self.field else self.file

    def __str__(self) -> str:
        return "%s: %s" % (self.where, self.message)

    def __repr__(self) -> str:
        return "Problem(%r, %r, %r)" % (self.file, self.field, self.message)


def load(name: str) -> Dict[str, Any]:
    """A data file of this package, parsed once (``"maya.json"``, ``"common.json"``, ...)."""
    if name not in _CACHE:
        _CACHE[name] = json.loads((_HERE / name).read_text(encoding="utf-8"))
    return _CACHE[name]


def sdk_releases() -> Dict[str, str]:
    """The SDK releases the formats follow: package name -> version."""
    return dict(load("common.json")["sdk"])


def host_of(task: Any) -> str:
    """The host data file for a task.json (by ``task_info.cg_id``), or ``"common.json"``."""
    info = task.get("task_info") if isinstance(task, dict) else None
    cg_id = info.get("cg_id") if isinstance(info, dict) else None
    return HOSTS.get(str(cg_id), "common.json")


def _resolve(ref: str, doc: str) -> Tuple[Dict[str, Any], str]:
    target, _, pointer = ref.partition("#")
    doc = target or doc
    node: Any = load(doc)
    for part in [p for p in pointer.split("/") if p]:
        node = node[part]
    return node, doc


_TYPE_NAMES = {str: "string", dict: "object", list: "array", bool: "boolean", int: "integer", float: "number",
               type(None): "null"}


def _type_name(value: Any) -> str:
    name = _TYPE_NAMES.get(type(value))
    if name is not None:
        return name
    for cls, name in _TYPE_NAMES.items():  # subclasses
        if isinstance(value, cls):
            return name
    return type(value).__name__


_RESOLVED: Dict[Tuple[int, str], Tuple[Dict[str, Any], str]] = {}


def _expand(schema: Dict[str, Any], doc: str) -> Tuple[Dict[str, Any], str]:
    """``schema`` with its ``$ref`` followed (and its own keys laid over the target), once."""
    key = (id(schema), doc)
    found = _RESOLVED.get(key)
    if found is None:
        node, where = schema, doc
        while "$ref" in node:
            extra = {k: v for k, v in node.items() if k != "$ref"}
            node, where = _resolve(node["$ref"], where)
            if extra:
                node = dict(node, **extra)
        found = _RESOLVED[key] = (node, where)
    return found


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _path_text(path: Tuple[Any, ...]) -> str:
    text = ""
    for key in path:
        if isinstance(key, int):
            text += "[%d]" % key
        else:
            text += "." + str(key) if text else str(key)
    return text


class _Checker(object):
    def __init__(self, file: str, strict: bool) -> None:
        self.file = file
        self.strict = strict
        self.problems: List[Problem] = []

    def add(self, path: Tuple[Any, ...], message: str) -> None:
        self.problems.append(Problem(self.file, _path_text(path), message))

    def run(self, value: Any, schema: Dict[str, Any], doc: str, path: Tuple[Any, ...]) -> None:
        if "$ref" in schema:
            schema, doc = _expand(schema, doc)
        types = schema.get("type")
        if types is not None:
            allowed = types if isinstance(types, list) else [types]
            if self.strict:
                allowed = allowed[:1]
            got = _type_name(value)
            if got not in allowed and not (got == "integer" and "number" in allowed):
                self.add(path, "%s is %s %s; the farm reads %s" % (
                    _shown(value), "an" if got[0] in "aeiou" else "a", got, " or ".join(
                        ("a string" if t == "string" else "an " + t if t[0] in "aeiou" else "a " + t)
                        for t in allowed)))
                return
        if "enum" in schema and value not in schema["enum"]:
            self.add(path, "%s is not one of %s" % (_shown(value), ", ".join(_shown(v) for v in schema["enum"])))
            return
        if isinstance(value, str):
            if len(value) < schema.get("minLength", 0):
                self.add(path, "must not be empty")
            pattern = schema.get("pattern")
            if pattern and not re.search(pattern, value):
                self.add(path, "%s is not %s" % (_shown(value), schema.get("description") or "of the form " + pattern))
        elif isinstance(value, dict):
            self._object(value, schema, doc, path)
        elif isinstance(value, list) and "items" in schema:
            for index, item in enumerate(value):
                self.run(item, schema["items"], doc, path + (index,))

    def _object(self, value: Dict[str, Any], schema: Dict[str, Any], doc: str, path: Tuple[Any, ...]) -> None:
        properties = schema.get("properties", {})
        for key in schema.get("required", ()):
            if key not in value:
                self.add(path + (key,), "is missing")
        names = schema.get("propertyNames")
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if names is not None:
                self.run(key, names, doc, path + ("%s (the name)" % key,))
            if key in properties:
                self.run(item, properties[key], doc, path + (key,))
            elif extra is False or (self.strict and extra is None):
                self.add(path + (key,), "is not a key of this file's format")
            elif isinstance(extra, dict):
                self.run(item, extra, doc, path + (key,))


def check(name: str, data: Any, host: str, strict: bool = False) -> List[Problem]:
    """What in task file ``name`` (``"task.json"``, ...) does not conform to ``host``'s format."""
    checker = _Checker(name, strict)
    schema = load(host)["files"].get(name)
    if schema is None:
        schema = load("common.json")["files"][name]
        host = "common.json"
    checker.run(data, schema, host, ())
    return checker.problems


def check_files(files: Mapping[str, Any], strict: bool = False) -> List[Problem]:
    """Every problem of a set of task files (by name); the host comes from task.json's cg_id."""
    host = host_of(files.get("task.json"))
    problems: List[Problem] = []
    for name in TASK_FILES:
        if name in files:
            problems += check(name, files[name], host, strict)
    return problems


def _node(host: str, pointer: str) -> Tuple[Dict[str, Any], str]:
    node, doc = _resolve("#" + pointer, host)
    while "$ref" in node:
        node, doc = _resolve(node["$ref"], doc)
    return node, doc


def defaults(host: str, pointer: str) -> Dict[str, Any]:
    """The declared ``default`` of each key of the object at ``pointer``, in the declared order.

    ``defaults("max.json", "/files/task.json/properties/task_info")``: the task_info keys the
    SDK's 3ds Max analyser always writes, with the values it writes when nothing else is known.
    """
    raw, _doc = _resolve("#" + pointer, host)
    node, doc = _node(host, pointer)
    out: Dict[str, Any] = {}
    for key, prop in node.get("properties", {}).items():
        where = doc
        while "$ref" in prop and "default" not in prop:
            prop, where = _resolve(prop["$ref"], where)
        if "default" in prop:
            out[key] = prop["default"]
    out.update(raw.get("x-defaults", {}))  # a host's own additions ("version": "2" for 3ds Max)
    return json.loads(json.dumps(out))


def declared_keys(host: str, pointer: str) -> List[str]:
    """The keys declared for the object at ``pointer`` (in order)."""
    return list(_node(host, pointer)[0].get("properties", {}))


def tip_code(code: str, cg_id: Any) -> Optional[str]:
    """The live service's numeric tip code for one of our validation codes (None: it has none)."""
    data = load("tipcodes.json")
    by_host = data.get("hosts", {}).get(str(int(cg_id)) if str(cg_id).isdigit() else "", {})
    if code in by_host:
        return by_host[code]
    return data["codes"].get(code)
