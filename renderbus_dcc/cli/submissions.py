"""`renderbus submissions list|discard`: the interrupted submissions on this computer.

- ``renderbus submissions list [--all] [--json]``: the submissions that can be resumed (with
  ``--all``, the finished and discarded ones too), each with what it left on the farm; a
  journal that cannot be read is listed with what is wrong with it.
- ``renderbus submissions discard ID... | --all``: give them up; the never-submitted task of
  each is deleted on the farm. A damaged journal's file is removed.
"""

import argparse
import sys
import time
from typing import Any, Dict, List

from renderbus_dcc.i18n import _

__all__ = ["register", "cmd_list", "cmd_discard"]


def register(subparsers: "argparse._SubParsersAction") -> None:
    """Add this group's subcommands."""
    from renderbus_dcc.cli.api import add_common_arguments

    group = subparsers.add_parser("submissions", help=_("interrupted submissions on this computer: list, discard"))
    sub = group.add_subparsers(dest="submissions_command", metavar="ACTION", required=True)
    p = sub.add_parser("list", help=_("list the interrupted submissions (resume one with `renderbus submit "
                                      "--resume ID`)"))
    p.add_argument("--all", action="store_true", help=_("the finished and discarded ones too"))
    add_common_arguments(p)
    p.set_defaults(func=cmd_list)
    d = sub.add_parser("discard", help=_("give up interrupted submissions; their unsubmitted tasks are deleted"))
    d.add_argument("ids", nargs="*", metavar="ID", help=_("submission ids from `renderbus submissions list`"))
    d.add_argument("--all", action="store_true", help=_("every interrupted submission of this account"))
    add_common_arguments(d)
    d.set_defaults(func=cmd_discard)


def _state(journal: Any) -> str:
    if journal.discarded:
        return _("discarded")
    if journal.finished:
        return _("exported") if journal.data.get("dry_run_dir") else _("submitted")
    return _("interrupted")


def _row(journal: Any) -> Dict[str, Any]:
    from renderbus_dcc.pending import left_behind

    return {
        "id": journal.id, "scene": journal.data.get("scene_name") or "", "task_id": journal.task_id,
        "alias": journal.data.get("alias") or "", "state": _state(journal), "step": journal.step,
        "updated": time.strftime("%Y-%m-%d %H:%M", time.localtime(float(journal.data.get("updated") or 0))),
        "left_behind": left_behind(journal) if journal.pending else "", "error": journal.data.get("error") or "",
        "endpoint": journal.data.get("endpoint") or "",
    }


def cmd_list(args: argparse.Namespace) -> int:
    from renderbus_dcc.cli.api import format_table, to_json
    from renderbus_dcc.journal import list_journals

    problems: List[Any] = []
    journals = [j for j in list_journals(None, problems) if args.all or j.pending]
    rows = [_row(j) for j in reversed(journals)]
    if args.json:
        damaged = [{"error": str(p)} for p in problems]
        sys.stdout.write(to_json({"submissions": rows, "unreadable": damaged}) + "\n")
        return 0
    table = format_table((_("ID"), _("SCENE"), _("TASK"), _("STATE"), _("UPDATED"), _("LEFT ON THE FARM")),
                         [(r["id"], r["scene"], r["alias"] or r["task_id"] or "", r["state"], r["updated"],
                           r["left_behind"]) for r in rows])
    sys.stdout.write(table + "\n")
    for problem in problems:
        sys.stdout.write(_("unreadable: %s") % problem + "\n")
    if rows and any(r["state"] == _("interrupted") for r in rows):
        sys.stdout.write(_("resume one with `renderbus submit --resume ID`; give one up with "
                           "`renderbus submissions discard ID`") + "\n")
    return 0


def cmd_discard(args: argparse.Namespace) -> int:
    from renderbus_dcc.cli.api import client_from_args, to_json
    from renderbus_dcc.errors import RenderbusError, SubmissionError
    from renderbus_dcc.journal import Journal, journal_dir, list_journals
    from renderbus_dcc.pending import discard

    if not args.ids and not args.all:
        raise SubmissionError(_("no submission given"),
                              hint=_("give ids from `renderbus submissions list`, or --all"))
    client = None
    done: List[Dict[str, Any]] = []
    failed = 0
    targets: List[Any] = list(args.ids)
    if args.all:
        client = client_from_args(args)
        targets += [j.id for j in list_journals() if j.pending and j.data.get("access_id") == client.access_id
                    and j.data.get("endpoint") == client.endpoint]
    for jid in dict.fromkeys(targets):
        try:
            try:
                journal = Journal.find(jid)
            except SubmissionError:
                path = journal_dir() / (str(jid) + ".json")
                if not path.is_file():
                    raise
                path.unlink()  # unreadable: nothing in it can be carried on
                for extra in (path.with_suffix(".uploaded"),):
                    if extra.exists():
                        extra.unlink()
                message = _("removed the unreadable journal %s (a task it made, if any, stays on the farm: "
                            "see `renderbus tasks list`)") % path
            else:
                if client is None and journal.reached("creating") and journal.pending:
                    client = client_from_args(args)
                message = discard(journal, client)
            done.append({"id": jid, "ok": True, "message": message})
            if not args.json:
                print(message)
        except RenderbusError as exc:
            failed += 1
            done.append({"id": jid, "ok": False, "message": str(exc)})
            if not args.json:
                print("renderbus: error: %s" % exc, file=sys.stderr)
    if args.json:
        sys.stdout.write(to_json(done) + "\n")
    elif not targets:
        print(_("no interrupted submission to discard"))
    return 1 if failed else 0
