"""The message catalog's tooling (Babel, a dev dependency only; the package reads the compiled
``.mo`` with the standard library).

Usage, from the checkout's root with the dev venv's Python::

    python tools/i18n.py update     # extract every _()/N_()/ngettext() message from the code and
                                    # merge it into each language's .po (new ones untranslated)
    python tools/i18n.py compile    # .po -> .mo (shipped in the package)
    python tools/i18n.py check      # what the completeness test checks: every message translated,
                                    # placeholders alike, .mo up to date; exit 1 with a list if not
    python tools/i18n.py todo       # the messages still to translate, as a JSON object to fill in
    python tools/i18n.py fill F.json   # put translations ({msgid: msgstr}) into the .po; a message
                                    # not in the code yet waits as an obsolete entry until it is

After adding strings: ``update``, translate the new entries in
``renderbus_dcc/locale/zh_CN/LC_MESSAGES/renderbus.po`` (``todo`` lists them), then ``compile``.
"""

import argparse
import io
import json
import re
import sys
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "renderbus_dcc"
LOCALE = PACKAGE / "locale"
DOMAIN = "renderbus"
LANGUAGES = ("zh_CN",)
#: Where the messages are: the core, the Qt windows, the host layers (maya/, max/, blender/).
SOURCES = ("renderbus_dcc", "maya", "max", "blender")
#: What is not the product's words: the local farm answers as the live service does (its
#: messages are protocol values, as the live service's are).
SKIP = ("renderbus_dcc/farm/",)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
#: The Blender add-on's static words, which Blender itself translates when it draws them (through
#: the table the add-on registers with ``bpy.app.translations``): they stay plain strings in the
#: code and are found here by where they stand.
BLENDER = "blender/"


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / (DOMAIN + ".po")


def mo_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / (DOMAIN + ".mo")


def source_files() -> Iterator[Path]:
    for top in SOURCES:
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if not rel.startswith(SKIP) and "/tests/" not in rel:
                yield path


def extract() -> "babel.messages.catalog.Catalog":  # noqa: F821
    """Every message the code marks, with where it is."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_python

    catalog = Catalog(project="renderbus_dcc", domain=DOMAIN, charset="utf-8")
    for path in source_files():
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(BLENDER):
            for lineno, message in blender_words(path.read_text(encoding="utf-8")):
                catalog.add(message, locations=[(rel, lineno)], flags=_flags(message))
        with path.open("rb") as handle:
            for lineno, func, message, comments in extract_python(handle, KEYWORDS.keys(), [], {}):
                if isinstance(message, tuple):
                    if func != "ngettext" or len(message) < 2 or not all(message[:2]):
                        continue
                    msgid = tuple(message[:2])
                else:
                    if not message:
                        continue
                    msgid = message
                catalog.add(msgid, locations=[(rel, lineno)], flags=_flags(msgid))
    return catalog


def blender_words(source: str) -> List[Tuple[int, str]]:
    """``(line, text)`` of the words Blender translates by itself in an add-on module: operators',
    panels' and menus' ``bl_label``/``bl_description`` and docstrings (Blender shows an operator's
    docstring as its tooltip), properties' ``name``/``description``, enum items' names and
    descriptions, and constant ``text=`` of layout calls."""
    import ast

    found: List[Tuple[int, str]] = []

    def add(node: "ast.AST") -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip():
            found.append((node.lineno, node.value))

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef) and any(ast.unparse(base).startswith("bpy.types.") for base in node.bases):
            doc = ast.get_docstring(node, clean=False)
            if doc and doc.strip() and ast.unparse(node.bases[-1]) in ("bpy.types.Operator", "bpy.types.Panel",
                                                                         "bpy.types.Menu"):
                found.append((node.lineno, doc))
            for item in node.body:
                if isinstance(item, ast.Assign) and any(isinstance(t, ast.Name) and t.id in ("bl_label", "bl_description")
                                                        for t in item.targets):
                    add(item.value)
        elif isinstance(node, ast.Call):
            func = ast.unparse(node.func)
            for keyword in node.keywords:
                if keyword.arg == "text" or (keyword.arg in ("name", "description") and func.endswith("Property")):
                    add(keyword.value)
        elif isinstance(node, (ast.List, ast.Tuple)) and node.elts and all(
                isinstance(item, ast.Tuple) and 3 <= len(item.elts) <= 5
                and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in item.elts[:3])
                for item in node.elts):  # an enum's items: (identifier, name, description[, icon, number])
            for item in node.elts:
                add(item.elts[1])
                add(item.elts[2])
    return found


def _flags(msgid: object) -> Tuple[str, ...]:
    text = "".join(msgid) if isinstance(msgid, tuple) else str(msgid)
    return ("python-format",) if placeholders(text) else ()


_PLACEHOLDER = re.compile(r"%(?:\(([^)]+)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])")


def placeholders(text: str) -> List[str]:
    """The %-placeholders of a message: ``%(name)s`` ones sorted and once each (a translation
    may reorder them), plain ``%s`` ones in their order (it may not)."""
    found = ["%%(%s)%s" % (name, conv) if name else "%" + conv
             for name, conv in _PLACEHOLDER.findall(text) if conv != "%"]
    if any(f.startswith("%(") for f in found):
        return sorted(set(found))
    return found


def load(lang: str) -> "babel.messages.catalog.Catalog":  # noqa: F821
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


HEADER = """\
# Simplified Chinese words of renderbus_dcc (Maya, 3ds Max and Blender to the Renderbus farm).
# Kept with tools/i18n.py: `update` after changing strings, translate, `compile`.
# Words as Renderbus's own Chinese client and documents use them: 任务 task, 渲染 render,
# 帧 frame, 图层 render layer, 相机 camera, 上传/下载 upload/download, 渲染环境 render
# environment, 插件 plugin, 账号 account, 余额 balance, 平台 platform, 分析 analysis.
"""
#: Header fields that change on every run (and would make every branch's catalog conflict).
_VOLATILE = ("POT-Creation-Date", "PO-Revision-Date", "Report-Msgid-Bugs-To", "Last-Translator", "Language-Team",
             "Generated-By")


def save(catalog: "babel.messages.catalog.Catalog", lang: str) -> None:  # noqa: F821
    """Write a .po that merges well: sorted by message, files without line numbers, no dates."""
    from babel.messages.pofile import write_po

    catalog.fuzzy = False  # a fuzzy header would leave the charset out of the .mo
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, omit_header=False, include_previous=False,
             include_lineno=False)
    lines = out.getvalue().decode("utf-8").split("\n")
    body = lines[lines.index('msgid ""'):]
    body = [line for line in body if not line.startswith(tuple('"%s:' % v for v in _VOLATILE))]
    po_path(lang).parent.mkdir(parents=True, exist_ok=True)
    po_path(lang).write_bytes((HEADER + "\n".join(body)).encode("utf-8"))


def update(prune: bool = False) -> None:
    """Merge the code's messages into each .po: new ones empty; gone ones kept as obsolete
    ``#~`` entries (a reworded string's old translation stays at hand), dropped with ``prune``.

    An obsolete entry whose message appears in the code (again, or for the first time: ``fill``
    keeps translations made ahead for messages of work not merged yet) comes back translated.
    """
    from babel.messages.catalog import Catalog

    template = extract()
    for lang in LANGUAGES:
        if po_path(lang).exists():
            catalog = load(lang)
        else:
            catalog = Catalog(locale=lang, domain=DOMAIN, project="renderbus_dcc", charset="utf-8")
        waiting = dict(catalog.obsolete)
        for message in template:
            key = _key(message.id)
            ahead = waiting.get(key)
            if message.id and key not in catalog and ahead is not None and ahead.id == message.id:
                ahead.flags.discard("fuzzy")
                catalog[message.id] = ahead
                del waiting[key]
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        if prune:
            catalog.obsolete.clear()
        else:
            for key, message in waiting.items():
                catalog.obsolete.setdefault(key, message)
        save(catalog, lang)
        print("%s: %d messages, %d to translate" % (po_path(lang).relative_to(ROOT), len(catalog), len(todo(catalog))))


def compiled(lang: str) -> bytes:
    """The .mo bytes of a language's .po (fuzzy and untranslated entries left out)."""
    from babel.messages.mofile import write_mo

    out = io.BytesIO()
    write_mo(out, load(lang), use_fuzzy=False)
    return out.getvalue()


def _messages(mo: bytes) -> Dict[object, str]:
    """A .mo's translations as the standard library reads them (the header left out: its dates)."""
    import gettext

    found = dict(gettext.GNUTranslations(io.BytesIO(mo))._catalog)  # type: ignore[attr-defined]
    found.pop("", None)
    return found


def compile_all() -> None:
    for lang in LANGUAGES:
        mo_path(lang).write_bytes(compiled(lang))
        print("%s written" % mo_path(lang).relative_to(ROOT))


def todo(catalog: "babel.messages.catalog.Catalog") -> List[object]:  # noqa: F821
    out = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            out.append(message.id)
    return out


def _key(msgid: object) -> str:
    """A message's key in a catalog: its msgid, or a plural's singular."""
    return msgid[0] if isinstance(msgid, tuple) else str(msgid)


def fill(lang: str, translations: Dict[str, str]) -> int:
    """Put ``{msgid: msgstr}`` into the .po of ``lang`` (clears fuzzy). A plural is keyed by its
    singular, or by ``"singular\\0plural"``. A message the code does not have yet is kept as an
    obsolete entry, which ``update`` brings back translated once the message is in the code (so
    translations can be made ahead for work not merged yet)."""
    from babel.messages.catalog import Message

    catalog = load(lang)
    count = 0
    wanted = {key.split("\0")[0]: text for key, text in translations.items() if text}
    for message in catalog:
        text = wanted.pop(_key(message.id), None) if message.id else None
        if not text:
            continue
        message.string = tuple(text for _ in message.string) if isinstance(message.id, tuple) else text
        message.flags.discard("fuzzy")
        count += 1
    for key, text in translations.items():
        singular = key.split("\0")[0]
        if not text or singular not in wanted:
            continue
        msgid = tuple(key.split("\0")[:2]) if "\0" in key else key
        string = tuple(text for _ in range(catalog.num_plurals)) if isinstance(msgid, tuple) else text
        flags = ("python-format",) if placeholders(singular) else ()
        catalog.obsolete[singular] = Message(msgid, string, flags=flags)
        count += 1
    save(catalog, lang)
    return count


def problems(lang: str) -> List[str]:
    """What keeps the catalog of ``lang`` from being complete; empty when it is."""
    out = []
    if not po_path(lang).exists():
        return ["%s is missing: run tools/i18n.py update" % po_path(lang).relative_to(ROOT)]
    catalog = load(lang)
    for message in extract():
        key = message.id
        if not key:
            continue
        found = catalog.get(key)
        where = ", ".join("%s:%s" % loc for loc in message.locations[:2])
        if found is None:
            out.append("not in the catalog (run tools/i18n.py update): %r  [%s]" % (key, where))
            continue
        strings = found.string if isinstance(found.string, tuple) else (found.string,)
        if found.fuzzy or not all(strings):
            out.append("not translated: %r  [%s]" % (key, where))
            continue
        want = placeholders(key[1] if isinstance(key, tuple) else key)  # plurals: as the plural
        for string in strings:
            if placeholders(string) != want:
                out.append("placeholders differ: %r %s -> %r %s  [%s]" % (key, want, string, placeholders(string), where))
    if mo_path(lang).exists():
        if _messages(mo_path(lang).read_bytes()) != _messages(compiled(lang)):
            out.append("%s is older than the .po: run tools/i18n.py compile" % mo_path(lang).relative_to(ROOT))
    else:
        out.append("%s is missing: run tools/i18n.py compile" % mo_path(lang).relative_to(ROOT))
    return out


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("update", "compile", "check", "todo", "fill", "extract"))
    parser.add_argument("file", nargs="?", help="fill: a JSON object {msgid: msgstr} (a plural's msgid: its singular)")
    parser.add_argument("--lang", default=LANGUAGES[0], help="the language of todo and fill (default %(default)s)")
    parser.add_argument("--prune", action="store_true", help="update: drop the obsolete entries")
    args = parser.parse_args(argv)
    if args.action == "update":
        update(prune=args.prune)
    elif args.action == "compile":
        compile_all()
    elif args.action == "extract":
        for message in extract():
            if message.id:
                print(json.dumps(message.id, ensure_ascii=False))
    elif args.action == "todo":
        left = {(m[0] if isinstance(m, tuple) else m): "" for m in todo(load(args.lang))}
        print(json.dumps(left, ensure_ascii=False, indent=1))
    elif args.action == "fill":
        if not args.file:
            parser.error("fill needs a JSON file")
        print("%d translations put in" % fill(args.lang, json.loads(Path(args.file).read_text(encoding="utf-8"))))
    else:
        bad = [p for lang in LANGUAGES for p in problems(lang)]
        for line in bad:
            print(line)
        print("catalog: %s" % ("%d problem(s)" % len(bad) if bad else "complete"))
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
