"""Per Maya / 3ds Max version: how long installing takes, and what Renderbus adds to its start-up.

Uses the host harness (tests/hosts/harness.py): the package built into a wheel and unpacked as pip
installs it, ``renderbus install maya|max --version V`` into a scratch user folder, then that
version's start-up replayed in its own Python (pyenv's 3.7 / 3.9 / 3.10 / 3.11, started bare)
with its Qt binding (PySide2 5.15 / PySide6 6.5) and the fakes standing in for Maya's and 3ds
Max's own modules:

- install: ``renderbus install`` from start to end (a process start, copying the core and the
  layer, unpacking the dependency wheels for that Python), median of RUNS;
- start-up added: Maya's ``userSetup.py`` files and idle queue (which build the shelf and the
  menu), or 3ds Max's user startup scripts (which define the macroScripts and add the menu; 2025+
  rebuild the menus once), with the host's own modules loaded beforehand. "first" is the first
  start after installing (Python compiles the modules it imports), "later" the median of the
  next RUNS starts.

Run: ``.venv/bin/python benchmarks/bench_hosts.py [maya-2022 max-2025 ...]``. Report the load
(``uptime``) with the figures: the machine is shared.
"""

import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hosts"))

import harness  # noqa: E402
from renderbus_dcc.install.support import SUPPORTED  # noqa: E402

RUNS = 3


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("versions", nargs="*", help="e.g. maya-2024 max-2025 (default: every supported version)")
    wanted = parser.parse_args().versions
    versions = [v for v in SUPPORTED if not wanted or v.key in wanted]
    print("load: %s" % os.getloadavg()[0])
    scratch = Path(tempfile.mkdtemp(prefix="bench_hosts_"))
    try:
        site = harness.unpack(harness.built_wheel(), scratch / "site-packages")
        flags = harness.maya_flags(scratch / "maya_flags.json")
        print("%-10s %-7s %-8s %12s %18s %18s" % ("host", "python", "binding", "install (s)", "start-up first (ms)",
                                                  "start-up later (ms)"))
        for version in versions:
            installs = []
            for run in range(RUNS):
                work = scratch / ("%s-%d" % (version.key, run))
                work.mkdir()
                made = harness.set_up(version, work, site, flags)
                installs.append(made["installed"]["seconds"])
            spec = dict(made["spec"], startup_only=True)
            first = harness.replay(version.python, version.host, spec, work)["startup_ms"]
            later = [harness.replay(version.python, version.host, spec, work)["startup_ms"] for _ in range(RUNS)]
            print("%-10s %-7s %-8s %12.2f %18.0f %18.0f" % (version.key, version.python, version.binding,
                                                            statistics.median(installs), first,
                                                            statistics.median(later)))
    finally:
        shutil.rmtree(str(scratch), ignore_errors=True)
    print("load: %s" % os.getloadavg()[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
