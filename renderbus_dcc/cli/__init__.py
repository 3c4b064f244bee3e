"""The ``renderbus`` command.

Each group of subcommands lives in its own module of this package and exposes
``register(subparsers)``, which adds its subcommands; a subcommand's handler is set with
``parser.set_defaults(func=handler)`` and returns the exit status. Errors of the package
(:class:`~renderbus_dcc.errors.RenderbusError`) end the command with one line on stderr:
code, name and what to do.

It speaks the user's language (``renderbus config --language``, else the system's: ``LANG`` and
the like), argparse's own words included, chosen before the parser is built.
"""

import argparse
import importlib
import logging
import sys
from typing import List, Optional

from renderbus_dcc import __version__
from renderbus_dcc.i18n import _, use_language_setting

__all__ = ["main", "build_parser"]

#: The modules that add subcommands, in the order `renderbus --help` lists them.
_GROUPS = ("api", "submit", "submissions", "download", "monitor", "farm", "install")


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, every group registered."""
    parser = argparse.ArgumentParser(
        prog="renderbus",
        description=_("Send Maya, 3ds Max and Blender scenes to the Renderbus render farm, and follow them."),
    )
    parser.add_argument("--version", action="version", version="renderbus_dcc %s" % __version__,
                        help=_("show program's version number and exit"))
    parser.add_argument("-v", "--verbose", action="count", default=0, help=_("log more (-vv for debug)"))
    subparsers = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    for group in _GROUPS:
        module = importlib.import_module("%s.%s" % (__name__, group))
        module.register(subparsers)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Run the command line; returns the exit status."""
    from renderbus_dcc.cli.argparse_words import speaking

    use_language_setting()
    with speaking():
        return _main(argv)


def _main(argv: Optional[List[str]]) -> int:
    from renderbus_dcc.errors import RenderbusError

    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level={0: logging.WARNING, 1: logging.INFO}.get(args.verbose, logging.DEBUG),
        format="%(levelname)s %(name)s: %(message)s",
    )
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        return int(func(args) or 0)
    except RenderbusError as exc:
        print(_("renderbus: error: %s") % exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_("renderbus: interrupted"), file=sys.stderr)
        return 130
