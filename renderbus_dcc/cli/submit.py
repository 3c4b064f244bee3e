"""`renderbus submit`, `renderbus watch` and `renderbus demo`.

- ``renderbus submit SCENE.json [--frames ...] [--layers ...] [--label ...] [--env NAME]
  [--dry-run DIR] [--watch] [--yes] [--resume | --discard | --new] [--json]``;
  ``renderbus submit --resume [JOURNAL_ID]``
- ``renderbus watch TASK_ID... [--json]``: one progress bar (or JSON line) per task until they end
- ``renderbus demo``: a local farm in this process, the example scene submitted to it, its
  progress followed to the end

``submit`` and ``watch`` take the connection options of every command (``--endpoint``,
``--profile``, ``--platform``) and ``--json``: one JSON object per line on stdout, the submitted
task first (``{"event": "submitted", "task_id", "alias", ...}``), then one per progress update
(``{"event": "progress", "task_id", "status", "percent", ...}``); errors stay one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import IO, Any, Dict, List, Optional

from renderbus_dcc.i18n import _, ngettext
from renderbus_dcc.labels import stage_label

__all__ = ["register", "format_snapshot", "ProgressPrinter", "SnapshotPrinter", "JsonLines", "snapshot_dict"]


def register(subparsers: "argparse._SubParsersAction") -> None:
    """Add this group's subcommands."""
    from renderbus_dcc.cli.api import add_common_arguments

    p = subparsers.add_parser("submit", help=_("submit a scene description (JSON) to the farm"),
                              description=_("Submit a scene described in a JSON file (its fields: docs/scene-description.md "
                                            "in the source), or resume an interrupted submission."))
    p.add_argument("scene", nargs="?", metavar="SCENE.json", help=_("the scene description"))
    p.add_argument("--frames", help=_("frames to render, e.g. 1-100, 1-100x2, 1,5,10-20 (default: the scene's)"))
    p.add_argument("--layers", help=_("render layers to render, comma separated (default: the renderable ones)"))
    p.add_argument("--cameras", help=_("cameras to render, comma separated (default: the scene's)"))
    p.add_argument("--label", default="", help=_("project label shown on the farm"))
    p.add_argument("--env", dest="env_name", help=_("name of the render environment to use or create"))
    p.add_argument("--make-default-env", action="store_true", help=_("make that environment the account's default"))
    p.add_argument("--frames-per-task", type=int, default=1, help=_("frames rendered by one machine (default 1)"))
    p.add_argument("--test-frames", metavar="first,middle,last|SPEC", default="",
                   help=_("frames the farm renders first, of every layer: any of first, middle, last and frame "
                          "numbers, e.g. first,middle,last or 1,50-52"))
    p.add_argument("--stop-after-test", action="store_true",
                   help=_("pause the task once the test frames are done (see the forecast, then start or abort it)"))
    p.add_argument("--dry-run", metavar="DIR", help=_("write the task files and an asset manifest to DIR; send nothing"))
    p.add_argument("--watch", action="store_true", help=_("follow the task's progress until it ends"))
    p.add_argument("--yes", "-y", action="store_true",
                   help=_("accept validation warnings and the confirmation of a large or costly submission "
                          "without asking (for scripts)"))
    choice = p.add_mutually_exclusive_group()
    choice.add_argument("--resume", nargs="?", const="", metavar="JOURNAL_ID",
                        help=_("resume an interrupted submission: the scene's, or JOURNAL_ID, or the latest"))
    choice.add_argument("--discard", action="store_true",
                        help=_("discard the scene's interrupted submission (its unsubmitted task is deleted), "
                               "then submit it again"))
    choice.add_argument("--new", action="store_true",
                        help=_("submit the scene anew, keeping its interrupted submission as it is"))
    p.add_argument("--interval", type=float, default=5.0, help=_("seconds between progress queries (with --watch)"))
    add_common_arguments(p)
    p.set_defaults(func=cmd_submit)

    w = subparsers.add_parser("watch", help=_("follow tasks' progress until they end"))
    w.add_argument("task_ids", nargs="+", type=int, metavar="TASK_ID")
    w.add_argument("--interval", type=float, default=5.0, help=_("seconds between progress queries (default 5)"))
    add_common_arguments(w)
    w.set_defaults(func=cmd_watch)

    d = subparsers.add_parser("demo", help=_("run a local farm, submit the example scene to it, watch it render"))
    d.add_argument("--speed", type=float, default=20.0, help=_("how much faster than real time the farm renders"))
    d.add_argument("--frames", help=_("frames to render (default: the example's 1-24)"))
    d.add_argument("--interval", type=float, default=0.5, help=_("seconds between progress queries"))
    d.set_defaults(func=cmd_demo)


# output -------------------------------------------------------------------------------------
def _is_tty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return ("%d %s" if unit == "B" else "%.1f %s") % (n, unit)
        n /= 1024.0
    return "%d B" % n


def _duration(seconds: Optional[float]) -> str:
    if seconds is None:
        return "?"
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return "%d:%02d:%02d" % (h, m, s) if h else "%d:%02d" % (m, s)


def _clip(text: str, stream: IO[str]) -> str:
    """``text`` cut to the width of the terminal ``stream`` shows on, so that a line redrawn in
    place never wraps (a wrapped line breaks the redraw)."""
    import shutil

    from renderbus_dcc.cli.api import display_width

    try:
        width = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        width = shutil.get_terminal_size().columns
    if width < 20:  # a size some terminals report when they do not know it
        return text
    if display_width(text) < width:
        return text
    while display_width(text) > width - 1:
        text = text[:-1]
    return text.rsplit("  ", 1)[0] if "  " in text.strip() else text  # no half a figure


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (CJK characters take two)."""
    from renderbus_dcc.cli.api import display_width

    return text + " " * max(1, width - display_width(text))


def _bar(percent: float, width: int = 20) -> str:
    filled = int(round(width * max(0.0, min(100.0, percent)) / 100.0))
    return "[" + "#" * filled + "-" * (width - filled) + "]"


def format_snapshot(snap: Any) -> str:
    """One line for a task: bar, percent, status, frames done, time left, other counts, cost, time used."""
    name = snap.alias or str(snap.task_id)
    left = "-" if snap.finished and snap.percent < 100 else _duration(snap.eta)  # stopped: nothing moves
    # The most wanted first: a terminal narrower than the line cuts its end off.
    line = "%s %s %5.1f%%  " % (_pad(name, 10), _bar(snap.percent), snap.percent) + _(
        "%(status)s  %(done)d/%(total)d done  left %(left)s  %(running)d running, %(failed)d failed, "
        "%(waiting)d waiting  cost %(cost).2f  used %(used)s") % {
        "status": snap.status_name, "done": snap.frames_done, "total": snap.frames_total, "left": left,
        "running": snap.frames_running, "failed": snap.frames_failed, "waiting": snap.frames_waiting,
        "cost": snap.cost, "used": _duration(snap.time_used)}
    if snap.error:
        line += "  (%s)" % snap.error
    return line


class ProgressPrinter:
    """Prints SubmitProgress: one line per stage; the upload redrawn in place on a terminal."""

    def __init__(self, stream: Optional[IO[str]] = None, verb: str = "upload") -> None:
        self.stream = stream or sys.stdout
        self.tty = _is_tty(self.stream)
        #: what the bar says it does: "export" for a dry run, which sends nothing
        self.verb = stage_label(verb)
        self._last = ""
        self._open = False
        self._tenth = -1

    def __call__(self, p: Any) -> bool:
        if p.stage == "upload" and p.bytes_total:
            text = "%s%s " % (_pad(self.verb, 8), _bar(100.0 * p.bytes_done / p.bytes_total)) + _(
                "%(done)d/%(total)d files  %(sent)s / %(size)s") % {
                "done": p.files_done, "total": p.files_total, "sent": _size(p.bytes_done), "size": _size(p.bytes_total)}
            if self.tty:
                self.stream.write("\r" + _clip(text, self.stream) + "\x1b[K")
                self._open = True
            else:  # a log: a line per tenth of the bytes
                tenth = int(10 * p.bytes_done / p.bytes_total)
                if tenth != self._tenth:
                    self.stream.write(text + "\n")
                    self._tenth = tenth
            self._last = text
        else:
            text = "%s%s" % (_pad(stage_label(p.stage), 10), p.message)
            if text != self._last:
                if self._open:
                    self.stream.write("\n")
                    self._open = False
                self.stream.write(text + "\n")
                self._last = text
        self.stream.flush()
        return True

    def end_line(self) -> None:
        """End a progress bar left open, so that what is printed next starts on its own line."""
        if self._open:
            self.stream.write("\n")
            self.stream.flush()
            self._open = False


class SnapshotPrinter:
    """Prints monitor snapshots: one line per task, redrawn in place on a terminal, and a new
    line per change otherwise."""

    def __init__(self, stream: Optional[IO[str]] = None) -> None:
        self.stream = stream or sys.stdout
        self.tty = _is_tty(self.stream)
        self._drawn = 0
        self._last: Dict[int, str] = {}

    def __call__(self, snaps: List[Any]) -> bool:
        lines = [format_snapshot(s) for s in snaps]
        for snap in snaps:
            lines += ["  " + format_snapshot(child) for child in snap.children]
        if self.tty:
            if self._drawn:
                self.stream.write("\x1b[%dA" % self._drawn)
            lines += [""] * (self._drawn - len(lines))  # blank what the last round drew below
            for line in lines:
                self.stream.write("\r" + _clip(line, self.stream) + "\x1b[K\n")
            self._drawn = len(lines)
        else:
            for snap in snaps:
                key_line = format_snapshot(snap)
                changed = snap.key() if hasattr(snap, "key") else key_line
                if self._last.get(snap.task_id) != changed:
                    self.stream.write(key_line + "\n")
                    self._last[snap.task_id] = changed
        self.stream.flush()
        return True


def snapshot_dict(snap: Any) -> Dict[str, Any]:
    """A task's progress as plain JSON values (``--json``)."""
    out = {
        "task_id": snap.task_id, "alias": snap.alias, "scene": snap.scene_name, "status": int(snap.status),
        "status_name": snap.status_name, "percent": round(snap.percent, 2), "frames_total": snap.frames_total,
        "frames_done": snap.frames_done, "frames_running": snap.frames_running, "frames_failed": snap.frames_failed,
        "frames_waiting": snap.frames_waiting, "cost": round(snap.cost, 4), "time_used": round(snap.time_used, 1),
        "eta": None if snap.eta is None else round(snap.eta, 1), "finished": bool(snap.finished),
        "error": snap.error,
    }
    if snap.children:
        out["children"] = [snapshot_dict(c) for c in snap.children]
    return out


class JsonLines:
    """``--json`` output: one JSON object per line on stdout; a progress line per task only
    when its progress changed."""

    def __init__(self, stream: Optional[IO[str]] = None) -> None:
        self.stream = stream or sys.stdout
        self._last: Dict[int, Any] = {}

    def emit(self, event: str, **values: Any) -> None:
        self.stream.write(json.dumps(dict(event=event, **values), ensure_ascii=False, sort_keys=False) + "\n")
        self.stream.flush()

    def submitted(self, result: Any) -> None:
        self.emit("submitted", task_id=result.task_id, alias=result.alias, env_name=result.env_name,
                  files=result.files, bytes=result.bytes, journal=Path(result.journal_path).stem,
                  dry_run_dir=result.dry_run_dir)

    def submit_progress(self, p: Any) -> bool:
        """SubmitProgress is for people: nothing on stdout (stages go to the log)."""
        return True

    def __call__(self, snaps: List[Any]) -> bool:
        for snap in snaps:
            key = snap.key() if hasattr(snap, "key") else None
            if key is None or self._last.get(snap.task_id) != key:
                self.emit("progress", **snapshot_dict(snap))
                self._last[snap.task_id] = key
        return True


# handlers -----------------------------------------------------------------------------------
def _split(text: Optional[str]) -> Optional[List[str]]:
    if not text:
        return None
    return [p.strip() for p in text.split(",") if p.strip()]


def load_scene(path: str) -> Any:
    """A SceneDescription from a JSON file; relative paths are taken against the file's folder."""
    from renderbus_dcc.errors import SceneError
    from renderbus_dcc.examples import absolutise
    from renderbus_dcc.scene import SceneDescription

    file = Path(path)
    if not file.is_file():
        raise SceneError(_("no scene description at %s") % path, hint=_("give the path of a scene description JSON file"))
    try:
        scene = SceneDescription.from_json(file)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        why = _("it must hold one JSON object of the scene's fields") if isinstance(exc, AttributeError) else exc
        raise SceneError(_("%(file)s is not a scene description: %(why)s") % {"file": path, "why": why},
                         hint=_("its fields, and an example, are in docs/scene-description.md of renderbus_dcc's source"))\
            from None
    return absolutise(scene, file.parent)


def _print_report(report: Any, stream: IO[str]) -> None:
    for issue in list(report.errors) + list(report.warnings) + list(report.notices):
        severity = issue.severity.label if hasattr(issue.severity, "label") else str(issue.severity)
        line = "%s%s" % (_pad(severity, 8), issue.message)
        if issue.hint:
            line += _(" (%s)") % issue.hint
        stream.write(line + "\n")


def _confirm(args: argparse.Namespace) -> Any:
    def confirm(report: Any) -> bool:
        as_json = bool(getattr(args, "json", False))
        _print_report(report, sys.stderr if as_json else sys.stdout)  # --json: stdout is the scripts'
        if args.yes:
            return True
        if not _is_tty(sys.stdin) or as_json:
            print(_("renderbus: the scene has warnings; run with --yes to submit anyway"), file=sys.stderr)
            return False
        answer = input(_("Submit anyway? [y/N] ")).strip().lower()
        return answer in ("y", "yes", _("y"))

    return confirm


def _print_result(result: Any) -> None:
    if result.dry_run_dir:
        print(_("exported %(files)d files (%(size)s) to %(folder)s") % {
            "files": result.files, "size": _size(result.bytes), "folder": result.dry_run_dir})
    else:
        print(_("submitted task %(task)s (id %(id)d), environment %(env)r, %(files)d files (%(size)s)") % {
            "task": result.alias or result.task_id, "id": result.task_id, "env": result.env_name,
            "files": result.files, "size": _size(result.bytes)})


def watch(client: Any, task_ids: List[int], interval: float = 5.0, max_interval: float = 60.0,
          stream: Optional[IO[str]] = None, printer: Any = None) -> List[Any]:
    """Follow tasks until they end, printing their progress (``printer``: a SnapshotPrinter on
    ``stream`` by default); returns the last snapshots.

    A first question that fails for any reason but an unknown task (wrong key or endpoint,
    farm not running) ends the watch with that error, instead of retrying for ever."""
    from renderbus_dcc.errors import ForbiddenError, NotFoundError
    from renderbus_dcc.monitor import TaskMonitor

    try:
        client.query_task_info(task_ids)
    except (NotFoundError, ForbiddenError):
        pass  # the monitor asks about each task alone and says which one
    monitor = TaskMonitor(client, task_ids, interval=interval, max_interval=max(interval, max_interval),
                          on_snapshot=printer or SnapshotPrinter(stream))
    return monitor.run()


def after_test_frames(client: Any, snaps: List[Any], stream: Optional[IO[str]] = None,
                      ask: Optional[Any] = None) -> List[int]:
    """For each task waiting after its test frames: print the forecast, then (on a terminal) ask
    whether to start the rest or abort it. Returns the ids of the tasks started again."""
    from renderbus_dcc.constants import TaskStatus
    from renderbus_dcc.forecast import describe, fetch_forecast

    stream = stream or sys.stdout
    started: List[int] = []
    for snap in snaps:
        if snap.status != TaskStatus.STOP or snap.error:
            continue
        fc = fetch_forecast(client, snap.task_id)
        if fc is None or not fc.waiting:
            continue
        stream.write(_("task %s: its test frames are done.") % (snap.alias or snap.task_id) + "\n")
        for line in describe(fc):
            stream.write("  " + line + "\n")
        answer = ask(snap, fc) if ask is not None else ""
        if answer == "start":
            client.start_task([snap.task_id])
            started.append(snap.task_id)
            stream.write(_("started task %s: the rest renders now") % snap.task_id + "\n")
        elif answer == "abort":
            client.abort_task([snap.task_id])
            stream.write(_("aborted task %s") % snap.task_id + "\n")
        else:
            stream.write(_("  Start the rest: `renderbus tasks start %(id)s`; abort: `renderbus tasks abort %(id)s`")
                         % {"id": snap.task_id} + "\n")
    stream.flush()
    return started


def _ask_start(snap: Any, fc: Any) -> str:
    """On a terminal: start the rest [s], abort [a], or leave it stopped."""
    if not _is_tty(sys.stdin) or not _is_tty(sys.stdout):
        return ""
    answer = input(_("Start the rest [s], abort [a], or leave it stopped [Enter]? ")).strip().lower()
    return {"s": "start", "start": "start", "a": "abort", "abort": "abort"}.get(answer, "")


def _watch_farm(client: Any, task_ids: List[int], interval: float, as_json: bool = False) -> int:
    """Watch tasks on a farm that renders without us: the exit status; Ctrl-C stops watching only.
    A task that waits after its test frames gets its forecast, and (on a terminal) Start / Abort."""
    try:
        snaps = watch(client, task_ids, interval=interval, printer=JsonLines() if as_json else None)
        if not as_json:
            started = after_test_frames(client, snaps, ask=_ask_start)
            if started:
                snaps = [s for s in snaps if s.task_id not in started] + watch(client, started, interval=interval)
        return _watch_exit(snaps)
    except KeyboardInterrupt:
        ids = " ".join(str(t) for t in task_ids)
        print(_("renderbus: stopped watching; the farm carries on with %(tasks)s (`renderbus watch %(ids)s` to "
                "follow again)") % {"tasks": (_("tasks %s") if len(task_ids) > 1 else _("task %s")) % ids, "ids": ids},
              file=sys.stderr)
        return 130


def _why_not_finished(snap: Any) -> str:
    """One line: why a watched task did not end well, and what to do."""
    from renderbus_dcc.constants import TaskStatus

    status = snap.status
    values = {"name": snap.alias or str(snap.task_id), "id": snap.task_id, "error": snap.error,
              "failed": snap.frames_failed, "status": snap.status_name}
    if snap.error:
        return _("task %(name)s: %(error)s") % values
    if status == TaskStatus.FINISHED_HAS_FAILED:
        return _("task %(name)s finished with %(failed)d failed frames; render them again with "
                 "`renderbus tasks retry-failed %(id)s`") % values
    if status == TaskStatus.ARREARAGE_STOP:
        return _("task %(name)s stopped: the account is out of credit; top it up, then `renderbus tasks start %(id)s`") % values
    if status == TaskStatus.TIME_OUT_STOP:
        return _("task %(name)s stopped: it ran past the task timeout; raise it (`renderbus settings --task-over-time "
                 "HOURS`), then `renderbus tasks start %(id)s`") % values
    if status == TaskStatus.STOP:
        return _("task %(name)s was stopped; carry on with `renderbus tasks start %(id)s`") % values
    if status == TaskStatus.ABANDON:
        return _("task %(name)s was abandoned") % values
    return _("task %(name)s ended %(status)s; see `renderbus tasks info %(id)s`") % values


def _watch_exit(snaps: List[Any]) -> int:
    """0 when every task finished well; else 1, with a line on stderr per task that did not."""
    from renderbus_dcc.constants import TaskStatus

    bad = [s for s in snaps if s.error or s.status not in (TaskStatus.FINISHED, TaskStatus.FINISHED_TEST)]
    for snap in bad:
        print("renderbus: %s" % _why_not_finished(snap), file=sys.stderr)  # noqa: the program's name
    return 1 if bad else 0


def cmd_submit(args: argparse.Namespace) -> int:
    from renderbus_dcc.cli.api import client_from_args

    client = client_from_args(args)
    as_json = bool(getattr(args, "json", False))
    printer = ProgressPrinter(verb="export" if args.dry_run else "upload")
    output = JsonLines() if as_json else None
    try:
        try:
            result = _submit_or_resume(args, client, output.submit_progress if output else printer)
        finally:
            printer.end_line()  # an error or Ctrl-C in the upload: not printed after its bar
    except KeyboardInterrupt:
        print("renderbus: %s" % _interrupted_text(args, client), file=sys.stderr)
        return 130
    if output is not None:
        output.submitted(result)
    else:
        _print_result(result)
    if args.watch and not result.dry_run_dir:
        return _watch_farm(client, [result.task_id], args.interval, as_json)
    return 0


def _interrupted_text(args: argparse.Namespace, client: Any) -> str:
    """What a Ctrl-C left behind, and what to do."""
    from renderbus_dcc import pending
    from renderbus_dcc.errors import RenderbusError
    from renderbus_dcc.journal import latest_unfinished

    if args.scene and args.resume is None:
        try:
            journal = pending.interrupted_for(load_scene(args.scene), client)
        except RenderbusError:
            journal = None
    else:
        journal = latest_unfinished(None, str(client.endpoint), str(client.access_id))
    if journal is None or not journal.reached("creating"):
        return _("interrupted before anything reached the farm; submit again when ready")
    return _("interrupted: %(left)s; nothing is lost: resume with `renderbus submit --resume` (or discard it: "
             "`renderbus submissions discard %(id)s`)") % {"left": pending.left_behind(journal), "id": journal.id}


def _ask_pending(error: Any, args: argparse.Namespace) -> Optional[str]:
    """The artist's choice about the scene's interrupted submission: resume, discard, new, or
    None (stop). Asked on a terminal; a script must have said it (--resume/--discard/--new)."""
    from renderbus_dcc.pending import describe

    if not _is_tty(sys.stdin) or getattr(args, "json", False):
        return None
    print(_("This scene has an interrupted submission: %s") % describe(error.journal))
    print(_("  [r] resume it (same task, only what is missing is uploaded)"))
    print(_("  [d] discard it (its unsubmitted task is deleted) and submit again"))
    print(_("  [n] submit anew, keeping it as it is (the scene may then render twice)"))
    print(_("  [c] cancel"))
    answer = input(_("Your choice [r/d/n/C]: ")).strip().lower()[:1]
    return {"r": "resume", "d": "discard", "n": "new"}.get(answer)


def _submit_or_resume(args: argparse.Namespace, client: Any, progress: Any) -> Any:
    from renderbus_dcc.errors import SceneError, ValidationFailed
    from renderbus_dcc.pending import PendingSubmission
    from renderbus_dcc.submission import SubmitOptions, resume, submit

    if args.resume and args.scene:
        raise SceneError(_("--resume %(id)s carries on a submission already made, not %(scene)s")
                         % {"id": args.resume, "scene": args.scene},
                         hint=_("give either SCENE.json --resume (that scene's), or --resume JOURNAL_ID"))
    if args.resume is not None and not args.scene:
        return resume(client, args.resume or None, on_progress=progress)
    if not args.scene:
        raise SceneError(_("no scene given"), hint=_("renderbus submit SCENE.json, or --resume"))
    from renderbus_dcc.testframes import pre_frames_value

    if args.stop_after_test and not args.test_frames:
        from renderbus_dcc.errors import FrameSpecError

        raise FrameSpecError(_("--stop-after-test needs test frames"),
                             hint=_("add --test-frames first,middle,last (or frame numbers)"))
    pre_frames_value(args.test_frames)  # a bad spec fails here, before anything is sent
    scene = load_scene(args.scene)
    options = SubmitOptions(frames=args.frames, layers=_split(args.layers), cameras=_split(args.cameras),
                            label=args.label, env_name=args.env_name, make_default_env=args.make_default_env,
                            frames_per_task=args.frames_per_task, dry_run_dir=args.dry_run,
                            test_frames=args.test_frames, stop_after_test=args.stop_after_test)
    choice = "resume" if args.resume is not None else "discard" if args.discard else "new" if args.new else None
    try:
        try:
            return submit(scene, client, options, on_progress=progress, confirm=_confirm(args), interrupted=choice)
        except PendingSubmission as exc:
            choice = _ask_pending(exc, args)
            if choice is None:
                raise
            return submit(scene, client, options, on_progress=progress, confirm=_confirm(args), interrupted=choice)
    except ValidationFailed as exc:
        if exc.report is None:
            raise
        _print_report(exc.report, sys.stderr)  # each error with what to do; then one line, not a repeat
        count = len(exc.report.errors)
        raise ValidationFailed(ngettext("the scene cannot be submitted: %d error above",
                                        "the scene cannot be submitted: %d errors above", count) % count,
                               hint=ngettext("fix it, then submit again", "fix them, then submit again", count),
                               report=exc.report) from None


def cmd_watch(args: argparse.Namespace) -> int:
    from renderbus_dcc.cli.api import client_from_args

    return _watch_farm(client_from_args(args), args.task_ids, args.interval, bool(getattr(args, "json", False)))


def cmd_demo(args: argparse.Namespace) -> int:
    import tempfile

    from renderbus_dcc.examples import example_scene
    from renderbus_dcc.farm import LocalFarm
    from renderbus_dcc.submission import SubmitOptions, submit

    scene = example_scene()
    with tempfile.TemporaryDirectory(prefix="renderbus-demo-") as tmp:
        with LocalFarm(data_dir=os.path.join(tmp, "farm"), speed=args.speed, seed=1) as farm:
            print(_("local farm running at %s") % farm.url)
            print(_("submitting the example scene %(scene)s (%(app)s %(version)s, %(renderer)s)") % {
                "scene": scene.scene_name, "app": scene.cg_name, "version": scene.cg_version, "renderer": scene.renderer})
            client = farm.client()
            started = time.time()
            result = submit(scene, client, SubmitOptions(frames=args.frames, label="demo"),
                            on_progress=ProgressPrinter(), confirm=lambda report: True,
                            journal_dir=os.path.join(tmp, "journal"))
            _print_result(result)
            snaps = watch(client, [result.task_id], interval=args.interval, max_interval=max(2.0, args.interval))
            print(_("done in %.1f s") % (time.time() - started))
            client.close()
    return _watch_exit(snaps)
