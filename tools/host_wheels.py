"""Refresh the dependency wheels shipped for the hosts' Pythons (renderbus_dcc/install/wheels/).

Maya and 3ds Max run their own Python (3.7 in 2022, 3.9 in 2023, 3.10 in 2024, 3.11 from
2025), without pip and often without internet. ``renderbus install maya|max`` gives each host
version what the integration needs, at versions that support that Python: requests and its
dependencies (urllib3, idna, charset_normalizer, certifi) and Qt.py. They are pure-Python
wheels, shipped inside the package so that installing needs no network; this script fetches
the newest that support each Python (``pip download --python-version X``, from pip's cache or
the registry) and writes ``lock.json``: for each Python, its wheels; for each wheel, its sha256
(checked when installing).

Usage (from the checkout's root)::

    python tools/host_wheels.py          # download and write the lock (then commit the folder)
    python tools/host_wheels.py --check  # the lock matches the files (exit 1 if not)
"""

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parents[1]
WHEELS = ROOT / "renderbus_dcc" / "install" / "wheels"
#: Every Python a supported Maya or 3ds Max runs, and the next ones (a host may move to them).
PYTHONS = ("3.7", "3.9", "3.10", "3.11", "3.12", "3.13")
#: What the integration imports inside a host; Qt.py >= 2 knows PySide6 (Maya/3ds Max 2025+).
REQUIREMENTS = ("requests", "urllib3", "idna", "charset_normalizer", "certifi", "Qt.py>=2")
#: Narrower choices for a Python: urllib3 2.x needs OpenSSL 1.1.1+, which not every build of the
#: 3.7 of Maya/3ds Max 2022 has; the 1.26 line (security fixes, any OpenSSL) is what requests
#: used there.
CONSTRAINTS = {"3.7": ("urllib3<2",)}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def download(python: str, into: Path) -> List[str]:
    """The newest pure-Python wheels of REQUIREMENTS that support ``python``."""
    folder = into / python
    folder.mkdir(parents=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                    "--python-version", python, "--implementation", "py", "--abi", "none", "--platform", "any",
                    "-d", str(folder)] + list(REQUIREMENTS) + list(CONSTRAINTS.get(python, ())), check=True)
    return sorted(p.name for p in folder.glob("*.whl"))


def refresh() -> Dict[str, object]:
    with tempfile.TemporaryDirectory() as scratch:
        by_python = {python: download(python, Path(scratch)) for python in PYTHONS}
        WHEELS.mkdir(parents=True, exist_ok=True)
        wanted = {name for names in by_python.values() for name in names}
        for old in WHEELS.glob("*.whl"):
            if old.name not in wanted:
                old.unlink()
        for python, names in by_python.items():
            for name in names:
                target = WHEELS / name
                if not target.exists():
                    target.write_bytes((Path(scratch) / python / name).read_bytes())
    lock = {"python": by_python, "sha256": {name: sha256(WHEELS / name) for name in sorted(wanted)}}
    (WHEELS / "lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return lock


def check() -> List[str]:
    lock = json.loads((WHEELS / "lock.json").read_text(encoding="utf-8"))
    problems = []
    for name, digest in lock["sha256"].items():
        path = WHEELS / name
        if not path.is_file() or sha256(path) != digest:
            problems.append("%s: missing or changed" % name)
    extra = {p.name for p in WHEELS.glob("*.whl")} - set(lock["sha256"])
    problems += ["%s: not in the lock" % name for name in sorted(extra)]
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check the files against the lock")
    args = parser.parse_args()
    if args.check:
        problems = check()
        print("\n".join(problems) or "ok")
        return 1 if problems else 0
    lock = refresh()
    for python, names in lock["python"].items():  # type: ignore[union-attr]
        print("%s: %s" % (python, ", ".join(names)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
