"""The whole test suite as a set of jobs, run a few at a time: ``./dev test`` calls this.

Each :class:`Job` runs pytest in a virtual environment of its own Python (a host's Python:
3.7 for Maya/3ds Max 2022, 3.11 for Blender's ``bpy``, ...), made and filled here the first
time (and again when its requirements change), under a time limit, with its output in
``.test-logs/<job>.log``. The jobs are data (:data:`JOBS`): a new host version or Python is a
new entry, not new code.

Usage (from the checkout's root, with the dev venv's Python)::

    python tools/testmatrix.py                 # every job, two at a time
    python tools/testmatrix.py --job main -- -x tests/farm   # one job, with pytest arguments
    python tools/testmatrix.py --list          # the jobs

At the end it prints each job's result and one line ``total: N passed, N failed, N skipped``.
The exit code is 0 only if every job passed.
"""

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parents[1]
VENVS = ROOT / ".venvs"
LOGS = ROOT / ".test-logs"


@dataclass
class Job:
    """One pytest run: where (Python, venv, requirements), what (pytest arguments), how long."""

    name: str
    python: str  # "3.11", or "dev" for the dev venv (.venv) that ./dev made
    pytest_args: List[str]
    requirements: List[str] = field(default_factory=list)  # pip arguments, e.g. ["-e", ".", "pytest==7.4.4"]
    env: Dict[str, str] = field(default_factory=dict)
    timeout: int = 900  # seconds, for the whole job, the venv's set-up included
    weight: int = 1  # how many of the parallel slots it takes (a job that starts its own processes: 2)


#: What a Blender job installs besides bpy: the package with the local farm's server (and so
#: requests, waitress) and pytest; no Qt.
BLENDER_REQUIREMENTS = ["-e", ".[farm]", "waitress==3.0.2", "pytest==9.0.3", "pytest-timeout==2.4.0"]
#: The bpy releases the Blender suite runs in: each supported Blender line's newest on the
#: registry (`pip index versions bpy`, for Python 3.11 and for 3.13), pinned. A new Blender is
#: a new line here.
BLENDER_VERSIONS = ["4.2.23", "4.5.15", "5.0.1", "5.1.2", "5.2.3", "5.3.0"]


def blender_python(bpy_version: str) -> str:
    """The Python a Blender version's bpy module is built for: 3.11 up to 5.0, 3.13 from 5.1."""
    major, minor = (int(n) for n in bpy_version.split(".")[:2])
    return "3.13" if (major, minor) >= (5, 1) else "3.11"


def blender_job(bpy_version: str, timeout: int = 600) -> Job:
    """The Blender suite in real Blender (the bpy module): a venv of its own with
    ``bpy==bpy_version``, one process (bpy can hang on exit: the time limit ends it)."""
    line = ".".join(bpy_version.split(".")[:2])
    return Job("blender-" + line, blender_python(bpy_version), ["tests/blender"],
               BLENDER_REQUIREMENTS + ["bpy==" + bpy_version], timeout=timeout)


# The jobs. The dev venv ("main") holds the core, the local farm, the Qt windows (PySide6), Maya
# and 3ds Max against their fakes, and the packaging tests; Blender runs in processes of its own,
# one per supported version.
JOBS: List[Job] = [
    Job("main", "dev", ["tests", "--ignore=tests/blender", "--ignore=tests/sdk", "--ignore=tests/hosts"],
        timeout=1500),
    # The official SDK, unchanged, in a venv of its own (its pins, requests 2.23 among them, clash
    # with ours): its public methods against `renderbus farm serve` run by the dev venv, and its
    # RayvisionCheck on our task files (the package comes from the checkout).
    Job("sdk", "3.9", ["tests/sdk"], requirements=["rayvision_api==3.0.4.3", "waitress==3.0.2", "pytest==7.4.4",
                                                   "pytest-timeout==2.3.1"],
        env={"PYTHONPATH": str(ROOT), "RENDERBUS_FARM_PYTHON": str(ROOT / ".venv" / "bin" / "python")}, timeout=600),
] + [blender_job(version) for version in BLENDER_VERSIONS]

# The core's suite (client, local farm, pipeline, scene) on the other Pythons the hosts run: 3.7
# (Maya/3ds Max 2022), 3.9 (2023), 3.10 (2024), 3.13 (a host that moves to it); 3.11 is "main".
# The package is used from the checkout (PYTHONPATH): only its test tools are installed.
CORE_TESTS = ["tests/client", "tests/farm", "tests/pipeline", "tests/scene", "tests/test_signing.py",
              "tests/test_routes.py"]
CORE_PINS = {  # the newest of each that still supports that Python
    "3.7": ["requests==2.31.0", "waitress==2.1.2", "pytest==7.4.4", "pytest-timeout==2.4.0", "hypothesis==6.79.4", "keyring==24.1.1"],
    "3.9": ["waitress==3.0.2", "requests==2.32.5", "pytest==8.4.2", "pytest-timeout==2.4.0", "hypothesis==6.141.1", "keyring==25.7.0"],
    "3.10": ["waitress==3.0.2", "requests==2.34.2", "pytest==9.2.0", "pytest-timeout==2.4.0", "hypothesis==6.168.5", "keyring==25.7.0"],
    "3.13": ["waitress==3.0.2", "requests==2.34.2", "pytest==9.2.0", "pytest-timeout==2.4.0", "hypothesis==6.170.17", "keyring==25.7.0"],
}
JOBS += [Job("core-" + python, python, CORE_TESTS, requirements=pins, env={"PYTHONPATH": str(ROOT)}, timeout=1500)
         for python, pins in CORE_PINS.items()]


def _host_jobs() -> List[Job]:
    """One job per supported Maya / 3ds Max version (renderbus_dcc.install.support.SUPPORTED):
    the host harness (tests/hosts) installs from the built wheel and replays that version's
    start-up in its own Python with its own Qt binding. The dev venv runs pytest (and the local
    farm); the host's Python runs only the replay, so no venv is made per version."""
    sys.path.insert(0, str(ROOT))
    from renderbus_dcc.install.support import SUPPORTED

    return [Job(v.key, "dev", ["tests/hosts"], env={"RENDERBUS_HOSTS": v.key}, timeout=600) for v in SUPPORTED]


JOBS += _host_jobs()


# --- running ------------------------------------------------------------------------------


def find_python(version: str) -> Optional[str]:
    """An interpreter of ``version`` ("3.7"): ``python3.7`` on PATH, else pyenv's."""
    candidates = [shutil.which("python" + version)]
    pyenv_root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    candidates += sorted((Path(pyenv_root) / "versions").glob(version + ".*/bin/python" + version), reverse=True)
    for candidate in candidates:
        if not candidate:
            continue
        try:
            out = subprocess.run([str(candidate), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                 capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out.returncode == 0 and out.stdout.strip() == version:
            return str(candidate)
    return None


def venv_python(job: Job, log) -> str:
    """The Python of the job's venv, made and filled if its requirements changed."""
    if job.python == "dev":
        return str(ROOT / ".venv" / "bin" / "python")
    folder = VENVS / job.name
    python = folder / "bin" / "python"
    stamp = folder / ".requirements.sha"
    want = hashlib.sha256(("\n".join(job.requirements) + (ROOT / "setup.py").read_text()).encode()).hexdigest()
    if python.exists() and stamp.exists() and stamp.read_text() == want:
        return str(python)
    base = find_python(job.python)
    if base is None:
        raise RuntimeError("no Python %s here (pyenv install %s)" % (job.python, job.python))
    if folder.exists():
        shutil.rmtree(str(folder))
    _run([base, "-m", "venv", str(folder)], log, timeout=300)
    if job.requirements:
        _run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"] + job.requirements,
             log, timeout=900, cwd=ROOT)
    stamp.write_text(want)
    return str(python)


def _run(cmd: Sequence[str], log, timeout: int, cwd: Path = ROOT, env: Optional[Dict[str, str]] = None) -> int:
    log.write("$ %s\n" % " ".join(cmd))
    log.flush()
    proc = subprocess.run(list(cmd), cwd=str(cwd), stdout=log, stderr=subprocess.STDOUT, timeout=timeout,
                          env=env)
    if proc.returncode != 0 and cmd[1:3] != ["-m", "pytest"]:
        raise RuntimeError("%s exited %d" % (" ".join(cmd[:4]), proc.returncode))
    return proc.returncode


_SUMMARY = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)")


def counts_of(log_text: str) -> Dict[str, int]:
    """passed/failed/skipped/error counts from pytest's closing line(s) in a log."""
    counts = {"passed": 0, "failed": 0, "skipped": 0, "error": 0}
    for line in log_text.splitlines():
        if re.match(r"^=+ .*(passed|failed|error|skipped|no tests ran).* in [\d.]+s", line):
            for number, kind in _SUMMARY.findall(line):
                kind = "error" if kind.startswith("error") else kind
                if kind in counts:
                    counts[kind] += int(number)
    return counts


def run_job(job: Job, extra: Sequence[str]) -> Tuple[Job, int, Dict[str, int], float]:
    """Run one job; returns (job, exit code, counts, seconds)."""
    LOGS.mkdir(exist_ok=True)
    path = LOGS / ("%s.log" % job.name)
    started = time.monotonic()
    with path.open("w", encoding="utf-8") as log:
        try:
            python = venv_python(job, log)
            env = dict(os.environ, **job.env)
            env.setdefault("QT_QPA_PLATFORM", "offscreen")
            left = max(60, job.timeout - int(time.monotonic() - started))
            code = _run([python, "-m", "pytest", "-p", "no:cacheprovider"] + job.pytest_args + list(extra),
                        log, timeout=left, env=env)
        except subprocess.TimeoutExpired:
            log.write("\ntestmatrix: job %s ran out of its %d s\n" % (job.name, job.timeout))
            code = 124
        except (RuntimeError, OSError) as exc:
            log.write("\ntestmatrix: job %s could not run: %s\n" % (job.name, exc))
            code = 3
    text = path.read_text(encoding="utf-8", errors="replace")
    return job, code, counts_of(text), time.monotonic() - started


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Run the test suite's jobs.")
    parser.add_argument("--job", action="append", help="run only this job (repeatable; prefix match)")
    parser.add_argument("--list", action="store_true", help="list the jobs and exit")
    parser.add_argument("--parallel", type=int, default=int(os.environ.get("RENDERBUS_TEST_JOBS", "2")))
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (after --)")
    args = parser.parse_args(argv)
    if args.list:
        for job in JOBS:
            print("%-16s python %-5s pytest %s" % (job.name, job.python, " ".join(job.pytest_args)))
        return 0
    jobs = [j for j in JOBS if not args.job or any(j.name.startswith(p) for p in args.job)]
    if not jobs:
        print("testmatrix: no job matches %s (see --list)" % ", ".join(args.job), file=sys.stderr)
        return 2
    lock = threading.Lock()
    free = [max(1, args.parallel)]
    room = threading.Condition()
    results = []

    def one(job: Job) -> None:
        need = min(job.weight, max(1, args.parallel))
        with room:  # take all the job's slots at once, so that weights never deadlock
            room.wait_for(lambda: free[0] >= need)
            free[0] -= need
        try:
            outcome = run_job(job, args.pytest_args)
        finally:
            with room:
                free[0] += need
                room.notify_all()
        _job, code, counts, seconds = outcome
        with lock:
            results.append(outcome)
            print("%-16s %s  %d passed, %d failed, %d skipped, %d errors  (%.0f s)" % (
                job.name, "ok  " if code == 0 else "FAIL", counts["passed"], counts["failed"], counts["skipped"],
                counts["error"], seconds), flush=True)
            if code != 0:
                tail = (LOGS / ("%s.log" % job.name)).read_text(encoding="utf-8", errors="replace").splitlines()[-150:]
                print("\n".join("    | " + line for line in tail), flush=True)

    started = time.monotonic()
    # The longest jobs first.
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        list(pool.map(one, sorted(jobs, key=lambda j: -j.timeout)))
    total = {k: sum(r[2][k] for r in results) for k in ("passed", "failed", "skipped", "error")}
    failed_jobs = [r[0].name for r in results if r[1] != 0]
    print("jobs: %d run, %d failed%s; %.0f s in all" % (len(results), len(failed_jobs),
          (" (" + ", ".join(failed_jobs) + ")") if failed_jobs else "", time.monotonic() - started))
    print("total: %d passed, %d failed, %d skipped" % (total["passed"], total["failed"] + total["error"],
                                                       total["skipped"]))
    return 1 if failed_jobs else 0


if __name__ == "__main__":
    sys.exit(main())
