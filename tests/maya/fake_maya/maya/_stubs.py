"""The commands and flags real Maya has, read from the ``types-maya`` stubs (maya-stubs/cmds.pyi).

:data:`FLAGS` maps each command to every keyword flag any of its stub signatures accepts (long
and short names); :data:`ALIASES` maps a command's short flag names to their long names, paired
from the stubs' query overloads (which list ``long`` then ``short`` for every queryable flag),
plus the few common flags that are not queryable.

A process without the stubs (the host harness runs the fake in each host version's bare Python)
reads them from the JSON file named by ``RENDERBUS_FAKE_MAYA_FLAGS``, which :func:`dump` writes.
"""

import ast
import json
import os
import sys
from pathlib import Path
from typing import Dict, List, Set, Tuple

__all__ = ["FLAGS", "ALIASES", "stubs_dir", "dump"]

_COMMON_ALIASES = {"q": "query", "e": "edit", "ex": "exists", "p": "parent", "l": "label", "c": "command"}


def stubs_dir() -> Path:
    """The installed maya-stubs folder."""
    for entry in sys.path:
        candidate = Path(entry or ".") / "maya-stubs"
        if (candidate / "cmds.pyi").is_file():
            return candidate
    raise RuntimeError("types-maya is not installed (no maya-stubs/cmds.pyi on sys.path)")


def _read(path: Path):
    flags: Dict[str, Set[str]] = {}
    queried: Dict[str, List[Tuple[str, str]]] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        names = [arg.arg for arg in node.args.kwonlyargs]
        flags.setdefault(node.name, set()).update(names)
        if len(names) == 2 and names[0] in ("query", "edit"):
            order = queried.setdefault(node.name, [])
            entry = (names[1], ast.dump(node.returns) if node.returns else "")
            if entry not in order:
                order.append(entry)
    aliases: Dict[str, Dict[str, str]] = {}
    for command, names in flags.items():
        table = {short: long for short, long in _COMMON_ALIASES.items() if short in names and long in names}
        # (long, type), (short, same type) follow each other; a flag without a short name stands alone
        order = queried.get(command, [])
        index = 0
        while index < len(order):
            (long, kind), following = order[index], order[index + 1] if index + 1 < len(order) else None
            if following and following[1] == kind and len(following[0]) < len(long) \
                    and following[0][0].lower() == long[0].lower():
                table[following[0]] = long
                index += 2
            else:
                index += 1
        aliases[command] = table
    return flags, aliases


def dump(path: str) -> None:
    """Write FLAGS and ALIASES as JSON (for RENDERBUS_FAKE_MAYA_FLAGS)."""
    with open(path, "w", encoding="utf-8") as out:
        json.dump({"flags": {k: sorted(v) for k, v in FLAGS.items()}, "aliases": ALIASES}, out)


def _load():  # type: () -> Tuple[Dict[str, Set[str]], Dict[str, Dict[str, str]]]
    cached = os.environ.get("RENDERBUS_FAKE_MAYA_FLAGS")
    if cached:
        with open(cached, encoding="utf-8") as source:
            data = json.load(source)
        return {k: set(v) for k, v in data["flags"].items()}, data["aliases"]
    return _read(stubs_dir() / "cmds.pyi")


FLAGS, ALIASES = _load()
