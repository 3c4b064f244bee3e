"""`renderbus` subcommands: api (placeholder until its issue lands)."""

import argparse


def register(subparsers: "argparse._SubParsersAction") -> None:
    """Add this group's subcommands."""
