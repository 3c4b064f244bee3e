"""`renderbus install maya|max|blender`: put the integration into the applications found."""

import argparse
import importlib

from renderbus_dcc.i18n import N_, _
from renderbus_dcc.install import HOSTS

#: What each application's subcommand does.
_HELP = {
    "maya": N_("install into Maya: a module with the Renderbus shelf and menu"),
    "max": N_("install into 3ds Max: the Renderbus menu, from a startup script"),
    "blender": N_("install into Blender: the Renderbus add-on (an extension on 4.2 and later)"),
}


def register(subparsers: "argparse._SubParsersAction") -> None:
    """Add ``install`` with one subcommand per application."""
    parser = subparsers.add_parser("install", help=_("install the integration into Maya, 3ds Max or Blender"))
    hosts = parser.add_subparsers(dest="host", metavar=_("APP"))
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])
    for name, module_name in HOSTS.items():
        try:
            module = importlib.import_module("renderbus_dcc.install.%s" % module_name)
        except ImportError:  # not written yet
            continue
        sub = hosts.add_parser(name, help=_(_HELP[name]) if name in _HELP else None)
        module.add_arguments(sub)
        sub.set_defaults(func=module.run)
