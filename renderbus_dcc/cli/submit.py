"""`renderbus submit`, `renderbus watch` and `renderbus demo`.

- ``renderbus submit SCENE.json [--frames ...] [--layers ...] [--label ...] [--env NAME]
  [--dry-run DIR] [--watch] [--yes]``; ``renderbus submit --resume [JOURNAL_ID]``
- ``renderbus watch TASK_ID...``: one progress bar per task until they end
- ``renderbus demo``: a local farm in this process, the example scene submitted to it, its
  progress followed to the end
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import IO, Any, Dict, List, Optional

__all__ = ["register", "format_snapshot", "ProgressPrinter", "SnapshotPrinter"]


def register(subparsers: "argparse._SubParsersAction") -> None:
    """Add this group's subcommands."""
    p = subparsers.add_parser("submit", help="submit a scene description (JSON) to the farm",
                              description="Submit a scene described in a JSON file (see SceneDescription), "
                                          "or resume an interrupted submission.")
    p.add_argument("scene", nargs="?", metavar="SCENE.json", help="the scene description")
    p.add_argument("--frames", help="frames to render, e.g. 1-100, 1-100x2, 1,5,10-20 (default: the scene's)")
    p.add_argument("--layers", help="render layers to render, comma separated (default: the renderable ones)")
    p.add_argument("--cameras", help="cameras to render, comma separated (default: the scene's)")
    p.add_argument("--label", default="", help="project label shown on the farm")
    p.add_argument("--env", dest="env_name", help="name of the render environment to use or create")
    p.add_argument("--make-default-env", action="store_true", help="make that environment the account's default")
    p.add_argument("--frames-per-task", type=int, default=1, help="frames rendered by one machine (default 1)")
    p.add_argument("--dry-run", metavar="DIR", help="write the task files and an asset manifest to DIR; send nothing")
    p.add_argument("--watch", action="store_true", help="follow the task's progress until it ends")
    p.add_argument("--yes", "-y", action="store_true", help="accept validation warnings without asking")
    p.add_argument("--resume", nargs="?", const="", metavar="JOURNAL_ID",
                   help="resume an interrupted submission (default: the latest)")
    p.add_argument("--interval", type=float, default=5.0, help="seconds between progress queries (with --watch)")
    p.set_defaults(func=cmd_submit)

    w = subparsers.add_parser("watch", help="follow tasks' progress until they end")
    w.add_argument("task_ids", nargs="+", type=int, metavar="TASK_ID")
    w.add_argument("--interval", type=float, default=5.0, help="seconds between progress queries (default 5)")
    w.set_defaults(func=cmd_watch)

    d = subparsers.add_parser("demo", help="run a local farm, submit the example scene to it, watch it render")
    d.add_argument("--speed", type=float, default=20.0, help="how much faster than real time the farm renders")
    d.add_argument("--frames", help="frames to render (default: the example's 1-24)")
    d.add_argument("--interval", type=float, default=0.5, help="seconds between progress queries")
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


def _bar(percent: float, width: int = 20) -> str:
    filled = int(round(width * max(0.0, min(100.0, percent)) / 100.0))
    return "[" + "#" * filled + "-" * (width - filled) + "]"


def format_snapshot(snap: Any) -> str:
    """One line for a task: bar, percent, status, frames done, time left, other counts, cost, time used."""
    name = snap.alias or str(snap.task_id)
    left = "-" if snap.finished and snap.percent < 100 else _duration(snap.eta)  # stopped: nothing moves
    # The most wanted first: a terminal narrower than the line cuts its end off.
    line = "%-10s %s %5.1f%%  %s  %d/%d done  left %s  %d running, %d failed, %d waiting  cost %.2f  used %s" % (
        name, _bar(snap.percent), snap.percent, snap.status_name, snap.frames_done, snap.frames_total, left,
        snap.frames_running, snap.frames_failed, snap.frames_waiting, snap.cost, _duration(snap.time_used),
    )
    if snap.error:
        line += "  (%s)" % snap.error
    return line


class ProgressPrinter:
    """Prints SubmitProgress: one line per stage; the upload redrawn in place on a terminal."""

    def __init__(self, stream: Optional[IO[str]] = None, verb: str = "upload") -> None:
        self.stream = stream or sys.stdout
        self.tty = _is_tty(self.stream)
        self.verb = verb  #: what the bar says it does: "export" for a dry run, which sends nothing
        self._last = ""
        self._open = False
        self._tenth = -1

    def __call__(self, p: Any) -> bool:
        if p.stage == "upload" and p.bytes_total:
            text = "%-8s%s %d/%d files  %s / %s" % (self.verb, _bar(100.0 * p.bytes_done / p.bytes_total),
                                                    p.files_done, p.files_total, _size(p.bytes_done),
                                                    _size(p.bytes_total))
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
            text = "%-10s%s" % (p.stage, p.message)
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
        raise SceneError("no scene description at %s" % path, hint="give the path of a SceneDescription JSON file")
    try:
        scene = SceneDescription.from_json(file)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        why = "it must hold one JSON object of the scene's fields" if isinstance(exc, AttributeError) else exc
        raise SceneError("%s is not a scene description: %s" % (path, why),
                         hint="see renderbus_dcc/examples/maya_arnold/scene.json for the format") from None
    return absolutise(scene, file.parent)


def _print_report(report: Any, stream: IO[str]) -> None:
    for issue in list(report.errors) + list(report.warnings) + list(report.notices):
        line = "%-8s%s" % (issue.severity.value if hasattr(issue.severity, "value") else issue.severity, issue.message)
        if issue.hint:
            line += " (%s)" % issue.hint
        stream.write(line + "\n")


def _confirm(args: argparse.Namespace) -> Any:
    def confirm(report: Any) -> bool:
        _print_report(report, sys.stdout)
        if args.yes:
            return True
        if not _is_tty(sys.stdin):
            print("renderbus: the scene has warnings; run with --yes to submit anyway", file=sys.stderr)
            return False
        answer = input("Submit anyway? [y/N] ").strip().lower()
        return answer in ("y", "yes")

    return confirm


def _print_result(result: Any) -> None:
    if result.dry_run_dir:
        print("exported %d files (%s) to %s" % (result.files, _size(result.bytes), result.dry_run_dir))
    else:
        print("submitted task %s (id %d), environment %r, %d files (%s)" % (
            result.alias or result.task_id, result.task_id, result.env_name, result.files, _size(result.bytes)))


def watch(client: Any, task_ids: List[int], interval: float = 5.0, max_interval: float = 60.0,
          stream: Optional[IO[str]] = None) -> List[Any]:
    """Follow tasks until they end, printing their progress; returns the last snapshots.

    A first question that fails for any reason but an unknown task (wrong key or endpoint,
    farm not running) ends the watch with that error, instead of retrying for ever."""
    from renderbus_dcc.errors import ForbiddenError, NotFoundError
    from renderbus_dcc.monitor import TaskMonitor

    try:
        client.query_task_info(task_ids)
    except (NotFoundError, ForbiddenError):
        pass  # the monitor asks about each task alone and says which one
    monitor = TaskMonitor(client, task_ids, interval=interval, max_interval=max(interval, max_interval),
                          on_snapshot=SnapshotPrinter(stream))
    return monitor.run()


def _watch_farm(client: Any, task_ids: List[int], interval: float) -> int:
    """Watch tasks on a farm that renders without us: the exit status; Ctrl-C stops watching only."""
    try:
        return _watch_exit(watch(client, task_ids, interval=interval))
    except KeyboardInterrupt:
        ids = " ".join(str(t) for t in task_ids)
        print("renderbus: stopped watching; the farm carries on with task%s %s (`renderbus watch %s` to follow again)"
              % ("s" if len(task_ids) > 1 else "", ids, ids), file=sys.stderr)
        return 130


def _why_not_finished(snap: Any) -> str:
    """One line: why a watched task did not end well, and what to do."""
    from renderbus_dcc.constants import TaskStatus

    name, tid, status = snap.alias or str(snap.task_id), snap.task_id, snap.status
    if snap.error:
        return "task %s: %s" % (name, snap.error)
    if status == TaskStatus.FINISHED_HAS_FAILED:
        return "task %s finished with %d failed frames; render them again with `renderbus tasks retry-failed %s`" % (
            name, snap.frames_failed, tid)
    if status == TaskStatus.ARREARAGE_STOP:
        return "task %s stopped: the account is out of credit; top it up, then `renderbus tasks start %s`" % (name, tid)
    if status == TaskStatus.TIME_OUT_STOP:
        return ("task %s stopped: it ran past the task timeout; raise it (`renderbus settings --task-over-time HOURS`),"
                " then `renderbus tasks start %s`" % (name, tid))
    if status == TaskStatus.STOP:
        return "task %s was stopped; carry on with `renderbus tasks start %s`" % (name, tid)
    if status == TaskStatus.ABANDON:
        return "task %s was abandoned" % name
    return "task %s ended %s; see `renderbus tasks info %s`" % (name, snap.status_name, tid)


def _watch_exit(snaps: List[Any]) -> int:
    """0 when every task finished well; else 1, with a line on stderr per task that did not."""
    from renderbus_dcc.constants import TaskStatus

    bad = [s for s in snaps if s.error or s.status not in (TaskStatus.FINISHED, TaskStatus.FINISHED_TEST)]
    for snap in bad:
        print("renderbus: %s" % _why_not_finished(snap), file=sys.stderr)
    return 1 if bad else 0


def cmd_submit(args: argparse.Namespace) -> int:
    from renderbus_dcc.client import RenderbusClient

    client = RenderbusClient.from_config()
    printer = ProgressPrinter(verb="export" if args.dry_run else "upload")
    try:
        try:
            result = _submit_or_resume(args, client, printer)
        finally:
            printer.end_line()  # an error or Ctrl-C in the upload: not printed after its bar
    except KeyboardInterrupt:
        print("renderbus: interrupted; nothing is lost: resume with `renderbus submit --resume`", file=sys.stderr)
        return 130
    _print_result(result)
    if args.watch and not result.dry_run_dir:
        return _watch_farm(client, [result.task_id], args.interval)
    return 0


def _submit_or_resume(args: argparse.Namespace, client: Any, printer: ProgressPrinter) -> Any:
    from renderbus_dcc.errors import ValidationFailed
    from renderbus_dcc.submission import SubmitOptions, resume, submit

    if args.resume is not None:
        if args.scene:
            from renderbus_dcc.errors import SceneError

            raise SceneError("--resume carries on a submission already made, not %s" % args.scene,
                             hint="give either SCENE.json (a new submission) or --resume")
        result = resume(client, args.resume or None, on_progress=printer)
    else:
        if not args.scene:
            from renderbus_dcc.errors import SceneError

            raise SceneError("no scene given", hint="renderbus submit SCENE.json, or --resume")
        scene = load_scene(args.scene)
        options = SubmitOptions(frames=args.frames, layers=_split(args.layers), cameras=_split(args.cameras),
                                label=args.label, env_name=args.env_name, make_default_env=args.make_default_env,
                                frames_per_task=args.frames_per_task, dry_run_dir=args.dry_run)
        try:
            result = submit(scene, client, options, on_progress=printer, confirm=_confirm(args))
        except ValidationFailed as exc:
            if exc.report is None:
                raise
            _print_report(exc.report, sys.stderr)  # each error with what to do; then one line, not a repeat
            count = len(exc.report.errors)
            raise ValidationFailed("the scene cannot be submitted: %d error%s above" % (count, "s" if count > 1 else ""),
                                   hint="fix %s, then submit again" % ("them" if count > 1 else "it"),
                                   report=exc.report) from None
    return result


def cmd_watch(args: argparse.Namespace) -> int:
    from renderbus_dcc.client import RenderbusClient

    client = RenderbusClient.from_config()
    return _watch_farm(client, args.task_ids, args.interval)


def cmd_demo(args: argparse.Namespace) -> int:
    import tempfile

    from renderbus_dcc.examples import example_scene
    from renderbus_dcc.farm import LocalFarm
    from renderbus_dcc.submission import SubmitOptions, submit

    scene = example_scene()
    with tempfile.TemporaryDirectory(prefix="renderbus-demo-") as tmp:
        with LocalFarm(data_dir=os.path.join(tmp, "farm"), speed=args.speed, seed=1) as farm:
            print("local farm running at %s" % farm.url)
            print("submitting the example scene %s (%s %s, %s)" % (scene.scene_name, scene.cg_name,
                                                                   scene.cg_version, scene.renderer))
            client = farm.client()
            started = time.time()
            result = submit(scene, client, SubmitOptions(frames=args.frames, label="demo"),
                            on_progress=ProgressPrinter(), confirm=lambda report: True,
                            journal_dir=os.path.join(tmp, "journal"))
            _print_result(result)
            snaps = watch(client, [result.task_id], interval=args.interval, max_interval=max(2.0, args.interval))
            print("done in %.1f s" % (time.time() - started))
            client.close()
    return _watch_exit(snaps)
