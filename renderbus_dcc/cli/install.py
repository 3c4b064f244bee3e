"""`renderbus install maya|max|blender`: put the integration into the applications found."""

import argparse
import importlib

from renderbus_dcc.install import HOSTS


def register(subparsers: "argparse._SubParsersAction") -> None:
    """Add ``install`` with one subcommand per application."""
    parser = subparsers.add_parser("install", help="install the integration into Maya, 3ds Max or Blender")
    hosts = parser.add_subparsers(dest="host", metavar="APP")
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])
    for name, module_name in HOSTS.items():
        try:
            module = importlib.import_module("renderbus_dcc.install.%s" % module_name)
        except ImportError:  # not written yet
            continue
        sub = hosts.add_parser(name, help=(module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else None)
        module.add_arguments(sub)
        sub.set_defaults(func=module.run)
