"""The host harness: each supported Maya and 3ds Max version stood up as closely as this machine allows.

For one host version (:data:`renderbus_dcc.install.support.SUPPORTED`) it takes

- that version's Python: a bare interpreter of that minor version (pyenv's), started with
  ``-I -S`` so that nothing of any venv, user site or ``PYTHONPATH`` is on its path;
- that version's Qt binding (PySide2 5.15 for 2022-2024, PySide6 6.5 for 2025+) in a folder
  that plays the host's own site-packages (:func:`binding_site`, made once with that Python's
  pip and kept under ``.venvs/hosts``);
- the host's own modules, played by the fakes (``maya`` from tests/maya/fake_maya, ``pymxs`` and
  ``qtmax`` from tests/max/fake_pymxs), which run on Python 3.7;
- the integration installed as a user installs it: the package built into a wheel
  (:func:`built_wheel`), the wheel unpacked as pip would into a folder of its own, and
  ``python -m renderbus_dcc install maya|max --version V`` run from there into a scratch user
  folder (:func:`install`);

then replays the host's start-up in that interpreter (replay_maya.py / replay_max.py): the
module files read (Maya) or the startup scripts run (3ds Max), the shelf and menu built, the
submitter opened (offscreen) from the shelf or menu, a submission to the local farm the test
runs, and the monitor showing it. The replay prints one JSON report, which the test checks.

Two test jobs may run at once: the shared things (the wheel, the binding folders) are made under
a file lock.
"""

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".venvs" / "hosts"
HERE = Path(__file__).resolve().parent
FAKE_MAYA = ROOT / "tests" / "maya" / "fake_maya"
FAKE_MAX = ROOT / "tests" / "max" / "fake_pymxs"

#: What each binding's folder holds (the version Maya / 3ds Max ship, near enough).
BINDING_PACKAGES = {
    "PySide2": ["PySide2==5.15.2.1", "shiboken2==5.15.2.1"],
    "PySide6": ["PySide6-Essentials==6.5.3", "shiboken6==6.5.3"],
}
#: The files a wheel of the package is made from (its hash names the cached wheel).
_SOURCES = ("setup.py", "README.md", "renderbus_dcc", "maya", "max", "blender")


@contextlib.contextmanager
def locked(name: str) -> Iterator[None]:
    """An exclusive lock shared by the test jobs running at once (POSIX; elsewhere none)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(str(CACHE / (name + ".lock")), "w") as handle:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def find_python(version: str) -> Optional[str]:
    """A bare interpreter of ``version`` ("3.7"): pyenv's, else ``pythonX.Y`` on PATH."""
    root = Path(os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")) / "versions"
    candidates = [str(p) for p in sorted(root.glob(version + ".*/bin/python" + version), reverse=True)]
    candidates += [p for p in [shutil.which("python" + version)] if p]
    for candidate in candidates:
        try:
            out = subprocess.run([candidate, "-I", "-S", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                 capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out.returncode == 0 and out.stdout.strip() == version:
            return candidate
    return None


def _sources_hash() -> str:
    digest = hashlib.sha256()
    for name in _SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()
                                                       and "__pycache__" not in p.parts and p.suffix != ".pyc")
        for file in files:
            digest.update(str(file.relative_to(ROOT)).encode("utf-8"))
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def built_wheel() -> Path:
    """The package as a wheel, built once per state of the sources (pip wheel, as a release is)."""
    folder = CACHE / "wheel" / _sources_hash()
    with locked("wheel"):
        found = sorted(folder.glob("renderbus_dcc-*.whl"))
        if found:
            return found[0]
        scratch = CACHE / "wheel" / "building"
        shutil.rmtree(str(scratch), ignore_errors=True)
        done = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--disable-pip-version-check",
                               "-w", str(scratch), str(ROOT)], capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError("building the wheel failed:\n" + done.stdout[-3000:] + done.stderr[-3000:])
        for old in folder.parent.iterdir():  # wheels of older states of the sources
            if old != scratch:
                shutil.rmtree(str(old), ignore_errors=True)
        scratch.rename(folder)
        return sorted(folder.glob("renderbus_dcc-*.whl"))[0]


def unpack(wheel: Path, site: Path) -> Path:
    """What ``pip install`` of a pure wheel puts into site-packages: its files, as they are."""
    with zipfile.ZipFile(str(wheel)) as archive:
        archive.extractall(str(site))
    return site


def binding_site(binding: str, python: str) -> Path:
    """The folder playing the host's site-packages: its Qt binding, installed by that Python's pip.

    PySide2 5.15.2.1 is one abi3 build for Python 3.5-3.10, so Maya/3ds Max 2022-2024 share it."""
    folder = CACHE / ("site-" + "-".join(p.replace("==", "-") for p in BINDING_PACKAGES[binding]))
    with locked("site-" + binding):
        if (folder / ".complete").exists():
            return folder
        interpreter = find_python(python)
        if interpreter is None:
            raise RuntimeError("no Python %s here to install %s with (pyenv install %s)" % (python, binding, python))
        scratch = folder.with_name(folder.name + ".new")
        shutil.rmtree(str(scratch), ignore_errors=True)
        done = subprocess.run([interpreter, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-deps",
                               "--only-binary=:all:", "--target", str(scratch)] + BINDING_PACKAGES[binding],
                              capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            raise RuntimeError("installing %s failed:\n%s" % (binding, done.stderr[-3000:]))
        (scratch / ".complete").write_text(" ".join(BINDING_PACKAGES[binding]))
        shutil.rmtree(str(folder), ignore_errors=True)
        scratch.rename(folder)
        return folder


def maya_flags(path: Path) -> Path:
    """The fake maya's commands and flags as JSON (read from the types-maya stubs here, where
    they are installed; the host's bare Python has no stubs)."""
    sys.path.insert(0, str(FAKE_MAYA))
    try:
        from maya import _stubs  # noqa: the fake's, in this (dev) interpreter

        _stubs.dump(str(path))
    finally:
        sys.path.remove(str(FAKE_MAYA))
        for name in [n for n in sys.modules if n == "maya" or n.startswith("maya.")]:
            del sys.modules[name]
    return path


def install(site: Path, host: str, year: int, user_dir: Path) -> Dict[str, Any]:
    """``renderbus install <host> --version <year>`` from the unpacked wheel, into ``user_dir``.

    Maya: ``user_dir`` is MAYA_APP_DIR. 3ds Max: ``user_dir`` is LOCALAPPDATA, with the user
    folder 3ds Max makes at its first start. Returns the output and the seconds it took."""
    env = dict(os.environ, PYTHONPATH=str(site))
    if host == "maya":
        env["MAYA_APP_DIR"] = str(user_dir)
    else:
        (user_dir / "Autodesk" / "3dsMax" / ("%d - 64bit" % year) / "ENU" / "scripts").mkdir(parents=True)
        env["LOCALAPPDATA"] = str(user_dir)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "renderbus_dcc", "install", host, "--version", str(year)],
                          capture_output=True, text=True, env=env, timeout=300, cwd=str(site))
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise RuntimeError("renderbus install %s --version %d failed:\n%s%s" % (host, year, done.stdout, done.stderr))
    return {"output": done.stdout, "seconds": seconds}


def replay(python: str, host: str, spec: Dict[str, Any], work: Path, timeout: float = 300) -> Dict[str, Any]:
    """Run the host's start-up and the artist's clicks (replay_<host>.py) in the host's Python."""
    interpreter = find_python(python)
    if interpreter is None:
        raise RuntimeError("no Python %s here (pyenv install %s)" % (python, python))
    spec_file = work / "replay.json"
    spec_file.write_text(json.dumps(spec), encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.setdefault("XDG_RUNTIME_DIR", str(work))
    done = subprocess.run([interpreter, "-I", "-S", str(HERE / ("replay_%s.py" % host)), str(spec_file)],
                          capture_output=True, text=True, env=env, timeout=timeout, cwd=str(work))
    lines = [line for line in done.stdout.splitlines() if line.startswith("REPORT ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError("the %s replay failed (exit %d):\n%s\n%s" % (host, done.returncode, done.stdout[-4000:],
                                                                        done.stderr[-6000:]))
    return json.loads(lines[-1][len("REPORT "):])


def other_binding(folder: Path, binding: str) -> Path:
    """A folder (another tool's, on the host's path) holding the binding the host does not run;
    importing it records ``tried`` beside it and fails."""
    other = "PySide6" if binding == "PySide2" else "PySide2"
    (folder / other).mkdir(parents=True, exist_ok=True)
    (folder / other / "__init__.py").write_text(
        "import os\nopen(os.path.join(os.path.dirname(__file__), '..', 'tried'), 'w').close()\n"
        "raise ImportError('%s is not this application\\'s binding')\n" % other)
    return folder


def set_up(version: Any, work: Path, wheel_site: Path, flags: Optional[Path] = None) -> Dict[str, Any]:
    """Install into a scratch user folder under ``work`` and describe the replay of ``version``.

    Returns {"installed": install()'s result, "spec": the replay's spec, "site": the Python
    folder the installer made for that version}."""
    common = {"year": version.year, "binding": version.binding,
              "host_site": str(binding_site(version.binding, version.python)),
              "other_binding_dir": str(other_binding(work / "other tool", version.binding))}
    if version.host == "maya":
        installed = install(wheel_site, "maya", version.year, work / "maya")
        modules = work / "maya" / str(version.year) / "modules"
        spec = dict(common, fake_dir=str(FAKE_MAYA), flags=str(flags or maya_flags(work / "maya_flags.json")),
                    modules_dir=str(modules), maya_app_dir=str(work / "maya"),
                    scenes_dir=str(ROOT / "tests" / "maya"), scene_root=str(work / "项目 shot"))
        return {"installed": installed, "spec": spec, "site": modules / "renderbus" / "site-packages",
                "modules": modules}
    installed = install(wheel_site, "max", version.year, work / "Local")
    scripts = work / "Local" / "Autodesk" / "3dsMax" / ("%d - 64bit" % version.year) / "ENU" / "scripts"
    spec = dict(common, fake_dir=str(FAKE_MAX), startup_dir=str(scripts / "startup"),
                scenes_dir=str(ROOT / "tests" / "max"), scene_root=str(work / "项目 A"))
    return {"installed": installed, "spec": spec, "site": scripts / "renderbus", "scripts": scripts}
