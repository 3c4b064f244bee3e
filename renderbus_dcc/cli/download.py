"""`renderbus download TASK_ID [--to DIR] [--watch] [--json]`: a task's frames brought home.

Every finished frame (all layers, cameras, AOVs) goes to ``--to``, else to the folder the scene
writes its images to (recorded when it was submitted), else to ``<Downloads>/Renderbus/<task>``,
the farm's layer/camera folders kept. A second run moves nothing; after Ctrl-C a rerun carries on
where it stopped. ``--watch`` keeps fetching frames as they finish until the task ends.
"""

from __future__ import annotations

import argparse
import sys
from typing import IO, Any, Optional

from renderbus_dcc.cli.submit import ProgressPrinter
from renderbus_dcc.i18n import _

__all__ = ["register", "DownloadPrinter", "cmd_download"]


def register(subparsers: "argparse._SubParsersAction") -> None:
    """Add ``renderbus download``."""
    from renderbus_dcc.cli.api import add_common_arguments

    p = subparsers.add_parser(
        "download", help=_("bring a task's rendered frames home"),
        description=_("Download every finished frame of a task (all layers, cameras and AOVs). A second run "
                      "transfers nothing; an interrupted one carries on where it stopped."))
    p.add_argument("task_id", type=int, metavar="TASK_ID")
    p.add_argument("--to", dest="to", metavar="DIR",
                   help=_("where to put the frames (default: the scene's image folder recorded at submission, "
                          "else a folder of the task under your downloads folder)"))
    p.add_argument("--watch", action="store_true", help=_("keep fetching frames as they finish, until the task ends"))
    p.add_argument("--interval", type=float, default=5.0, help=_("seconds between checks with --watch (default 5)"))
    add_common_arguments(p)
    p.set_defaults(func=cmd_download)


class DownloadPrinter(ProgressPrinter):
    """Download progress: a line redrawn in place on a terminal, a line per finished file otherwise."""

    def __init__(self, stream: Optional[IO[str]] = None, quiet: bool = False) -> None:
        super().__init__(stream, verb="download")
        self.quiet = quiet

    def __call__(self, p: Any) -> bool:
        from renderbus_dcc.cli.submit import _bar, _clip, _size

        if self.quiet:
            return True
        if self.tty:
            percent = 100.0 * p.bytes_done / p.bytes_total if p.bytes_total else 0.0
            text = _("download %(bar)s %(done)d/%(total)d files  %(bytes)s / %(all)s") % {
                "bar": _bar(percent), "done": p.files_done, "total": p.files_total, "bytes": _size(p.bytes_done),
                "all": _size(p.bytes_total)}
            self.stream.write("\r" + _clip(text, self.stream) + "\x1b[K")
            self._open = True
        elif p.completed and not p.skipped:
            self.stream.write(_("got %s") % p.completed + "\n")
        self.stream.flush()
        return True


def cmd_download(args: argparse.Namespace) -> int:
    from renderbus_dcc.cli.api import client_from_args, to_json
    from renderbus_dcc.downloads import download_task

    client = client_from_args(args)
    printer = DownloadPrinter(quiet=bool(args.json))
    try:
        try:
            summary = download_task(client, args.task_id, args.to, watch=args.watch, interval=args.interval,
                                    on_progress=printer)
        finally:
            printer.end_line()
    except KeyboardInterrupt:
        print(_("renderbus: interrupted; nothing is lost: `renderbus download %d` carries on where it stopped")
              % args.task_id, file=sys.stderr)
        return 130
    if args.json:
        print(to_json({"task_id": summary.task_id, "destination": summary.destination, "files": summary.files,
                       "downloaded": len(summary.downloaded), "skipped": summary.skipped, "bytes": summary.bytes,
                       "requests": summary.requests,
                       "status": int(summary.status) if summary.status is not None else None}))
        return 0
    if not summary.files:
        print(_("task %d has no rendered frames yet") % args.task_id)
        return 0
    print(_("%(new)d of %(files)d files downloaded (%(size)s), %(had)d already there, in %(dest)s") % {
        "new": len(summary.downloaded), "files": summary.files, "size": _size_text(summary.bytes),
        "had": summary.skipped, "dest": summary.destination})
    if summary.why:
        print("  (%s)" % summary.why)
    return 0


def _size_text(n: int) -> str:
    from renderbus_dcc.cli.submit import _size

    return _size(n)
