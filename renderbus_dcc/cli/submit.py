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


def _bar(percent: float, width: int = 20) -> str:
    filled = int(round(width * max(0.0, min(100.0, percent)) / 100.0))
    return "[" + "#" * filled + "-" * (width - filled) + "]"


def format_snapshot(snap: Any) -> str:
    """One line for a task: bar, percent, frames, cost, time used and left, status."""
    name = snap.alias or str(snap.task_id)
    line = "%-10s %s %5.1f%%  %d/%d done, %d running, %d failed, %d waiting  cost %.2f  used %s  left %s  %s" % (
        name, _bar(snap.percent), snap.percent, snap.frames_done, snap.frames_total, snap.frames_running,
        snap.frames_failed, snap.frames_waiting, snap.cost, _duration(snap.time_used),
        _duration(snap.eta), snap.status_name,
    )
    if snap.error:
        line += "  (%s)" % snap.error
    return line


class ProgressPrinter:
    """Prints SubmitProgress: one line per stage; the upload redrawn in place on a terminal."""

    def __init__(self, stream: Optional[IO[str]] = None) -> None:
        self.stream = stream or sys.stdout
        self.tty = _is_tty(self.stream)
        self._last = ""
        self._open = False
        self._tenth = -1

    def __call__(self, p: Any) -> bool:
        if p.stage == "upload" and p.bytes_total:
            text = "upload  %s %d/%d files  %s / %s" % (_bar(100.0 * p.bytes_done / p.bytes_total), p.files_done,
                                                        p.files_total, _size(p.bytes_done), _size(p.bytes_total))
            if self.tty:
                self.stream.write("\r" + text + "\x1b[K")
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
                self.stream.write("\r" + line + "\x1b[K\n")
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
    except (ValueError, TypeError, KeyError) as exc:
        raise SceneError("%s is not a scene description: %s" % (path, exc),
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
    """Follow tasks until they end, printing their progress; returns the last snapshots."""
    from renderbus_dcc.monitor import TaskMonitor

    monitor = TaskMonitor(client, task_ids, interval=interval, max_interval=max(interval, max_interval),
                          on_snapshot=SnapshotPrinter(stream))
    return monitor.run()


def _watch_exit(snaps: List[Any]) -> int:
    from renderbus_dcc.constants import TaskStatus

    bad = [s for s in snaps if s.error or s.status not in (TaskStatus.FINISHED, TaskStatus.FINISHED_TEST)]
    return 1 if bad else 0


def cmd_submit(args: argparse.Namespace) -> int:
    from renderbus_dcc.client import RenderbusClient

    client = RenderbusClient.from_config()
    try:
        result = _submit_or_resume(args, client)
    except KeyboardInterrupt:
        from renderbus_dcc.errors import Cancelled

        raise Cancelled("interrupted", hint="resume with `renderbus submit --resume`") from None
    _print_result(result)
    if args.watch and not result.dry_run_dir:
        return _watch_exit(watch(client, [result.task_id], interval=args.interval))
    return 0


def _submit_or_resume(args: argparse.Namespace, client: Any) -> Any:
    from renderbus_dcc.errors import ValidationFailed
    from renderbus_dcc.submission import SubmitOptions, resume, submit

    printer = ProgressPrinter()
    if args.resume is not None:
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
            if exc.report is not None:
                _print_report(exc.report, sys.stderr)
            raise
    return result


def cmd_watch(args: argparse.Namespace) -> int:
    from renderbus_dcc.client import RenderbusClient

    client = RenderbusClient.from_config()
    return _watch_exit(watch(client, args.task_ids, interval=args.interval))


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
