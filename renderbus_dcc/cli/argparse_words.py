"""argparse's own words (usage, section titles, its errors) in the language in use.

argparse translates them with the module-level ``gettext``; :func:`speaking` points those at our
catalog while the command line runs, and puts them back after. The messages are listed here so
that they are extracted into the catalog and translated with ours (Python 3.7 to 3.13 spell them
so).
"""

import argparse
import contextlib
from typing import Iterator

from renderbus_dcc.i18n import N_, translations

__all__ = ["MESSAGES", "speaking"]

MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("optional arguments"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("expected at most one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ignored explicit argument %r"),
)


@contextlib.contextmanager
def speaking() -> Iterator[None]:
    """argparse speaks the language in use inside the block."""
    before = (getattr(argparse, "_", None), getattr(argparse, "ngettext", None))
    catalog = translations()
    argparse._ = catalog.gettext  # type: ignore[attr-defined]
    argparse.ngettext = catalog.ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        if before[0] is not None:
            argparse._ = before[0]  # type: ignore[attr-defined]
        if before[1] is not None:
            argparse.ngettext = before[1]  # type: ignore[attr-defined]
