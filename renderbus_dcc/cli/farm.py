"""`renderbus farm serve`: run the local farm until Ctrl-C (or SIGTERM, at any moment).

The account's access key is never printed and never needs to be on the command line: it comes
from ``RENDERBUS_FARM_ACCESS_KEY`` or ``--access-key-file``; otherwise the farm keeps the key it
made in an owner-only file of its data folder, and the banner says where. ``--access-key``
still works, with a warning (every user of the machine can read a process's arguments).
"""

import argparse
import os
import sys
import threading
from pathlib import Path
from typing import Any, Optional

from renderbus_dcc.i18n import _

__all__ = ["register", "serve"]

#: Environment variables the farm takes its account from.
ENV_ACCESS_ID = "RENDERBUS_FARM_ACCESS_ID"
ENV_ACCESS_KEY = "RENDERBUS_FARM_ACCESS_KEY"
_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def _default_data_dir() -> Path:
    from renderbus_dcc.config import data_dir

    return data_dir() / "farm"


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(_("must be from 0 to 1"))
    return value


def _speed(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(_("must be more than 0"))
    return value


def _stop_on_sigterm(stop: threading.Event) -> None:
    """Let a service manager's SIGTERM stop the farm as cleanly as Ctrl-C does (kept until the process ends:
    a SIGTERM while the farm stops changes nothing)."""
    import signal

    if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())


def _access_key(args: argparse.Namespace) -> Optional[str]:
    """The key to use: --access-key-file, then the environment, then --access-key (warned about)."""
    from renderbus_dcc.errors import ConfigError

    if args.access_key_file:
        try:
            key = Path(args.access_key_file).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(_("cannot read the access key file %(path)s: %(error)s")
                              % {"path": args.access_key_file, "error": getattr(exc, "strerror", None) or exc},
                              hint=_("give a file that holds the key on its first line"))
        if not key:
            raise ConfigError(_("the access key file %s is empty") % args.access_key_file,
                              hint=_("give a file that holds the key on its first line"))
        return key
    if os.environ.get(ENV_ACCESS_KEY):
        return os.environ[ENV_ACCESS_KEY].strip()
    if args.access_key:
        print(_("warning: --access-key puts the key where every user of this machine can read it (the process "
                "list); use %(env)s or --access-key-file instead") % {"env": ENV_ACCESS_KEY}, file=sys.stderr)
        return str(args.access_key)
    return None


def _key_file(farm: Any, given_key: bool) -> Optional[Path]:
    """The owner-only file with the key the farm made (written now if it made one; removed if a key was given)."""
    from renderbus_dcc.farm.datadir import KEY_FILE, DataFolder

    path = Path(farm.data_dir) / KEY_FILE
    if farm.made_key:
        return DataFolder(farm.data_dir).write_key(farm.made_key)
    if given_key and path.is_file():
        path.unlink()  # the key made before is no longer the account's
    return path if path.is_file() else None


def _banner(farm: Any, args: argparse.Namespace, given_key: bool) -> None:
    host = args.host or "127.0.0.1"
    if host in ("0.0.0.0", "::", ""):
        print(_("Renderbus local farm listening on every network interface, port %(port)d (this machine: "
                "%(url)s; data in %(data)s, speed x%(speed)g)")
              % {"port": farm.port, "url": farm.url, "data": farm.data_dir, "speed": farm.speed})
    else:
        print(_("Renderbus local farm listening on http://%(host)s:%(port)d (data in %(data)s, speed x%(speed)g)")
              % {"host": "[%s]" % host if ":" in host else host, "port": farm.port, "data": farm.data_dir,
                 "speed": farm.speed})
    print(_("Account: access id %(id)s, platform %(platform)d") % {"id": farm.access_id, "platform": farm.platform})
    key_file = _key_file(farm, given_key)
    if given_key:
        print(_("Access key: the one you gave"))
        key_text = "..."
    elif key_file is not None:
        print(_("Access key: in %s (readable by you only)") % key_file)
        key_text = '"$(cat %s)"' % key_file
    else:
        print(_("Access key: kept in the farm's database from an earlier start; give it again with %s, or use "
                "a new data folder") % ENV_ACCESS_KEY)
        key_text = "..."
    print(_("Use it: export RENDERBUS_ENDPOINT=%(url)s RENDERBUS_ACCESS_ID=%(id)s RENDERBUS_ACCESS_KEY=%(key)s "
            "RENDERBUS_PLATFORM=%(platform)d")
          % {"url": farm.url, "id": farm.access_id, "key": key_text, "platform": farm.platform})
    # the key through the environment, never on a command line (where `ps` shows it)
    print(_("or: %s") % "RENDERBUS_ACCESS_KEY=%s renderbus config --from-env --endpoint %s --access-id %s --platform %d"
          % (key_text, farm.url, farm.access_id, farm.platform))


def serve(args: argparse.Namespace, stop: Optional[threading.Event] = None) -> int:
    """Start the farm, print where it listens and the account to use, wait for Ctrl-C (or ``stop``)."""
    stop = stop or threading.Event()
    _stop_on_sigterm(stop)  # first of all: a SIGTERM from now on ends the farm cleanly
    from renderbus_dcc.errors import ConfigError
    from renderbus_dcc.farm import LocalFarm
    from renderbus_dcc.farm.chaos import parse_chaos
    from renderbus_dcc.farm.listener import MissingServer

    try:
        parse_chaos(args.chaos)
    except ValueError as exc:
        raise ConfigError(_("--chaos: %s") % exc, hint=_('write it like "drop=0.1,error500=0.1,slow=0.1,garble=0.05"'))
    access_key = _access_key(args)
    access_id = args.access_id or os.environ.get(ENV_ACCESS_ID) or None
    if args.host not in _LOCAL_HOSTS:
        print(_("warning: --host %s lets other machines reach the farm: it speaks plain HTTP, and anyone who learns "
                "the access key can use it") % args.host, file=sys.stderr)
    data = Path(args.data) if args.data else _default_data_dir()
    farm = LocalFarm(data_dir=data, host=args.host, port=args.port, speed=args.speed, seed=args.seed,
                     fail_rate=args.fail_rate, chaos=args.chaos, access_id=access_id, access_key=access_key)
    try:
        farm.start()
    except OSError as exc:
        raise ConfigError(_("cannot listen on %(host)s:%(port)s: %(error)s")
                          % {"host": args.host, "port": args.port, "error": exc.strerror or exc},
                          hint=_("choose another --port (0 picks a free one)"))
    except MissingServer:
        raise ConfigError(_("the local farm needs the waitress package"),
                          hint=_('install it: pip install "renderbus_dcc[farm]"'))
    try:
        _banner(farm, args, bool(access_key))
        print(_("Press Ctrl-C to stop."), flush=True)
        while not stop.wait(0.5):  # wakes for signals on every platform
            pass
    except KeyboardInterrupt:
        pass
    finally:
        print(_("stopping the farm"), flush=True)
        farm.stop()
    return 0


def register(subparsers: "argparse._SubParsersAction") -> None:
    """Add `renderbus farm serve`."""
    farm = subparsers.add_parser("farm", help=_("run the local farm (a Renderbus-compatible server on this machine)"))
    sub = farm.add_subparsers(dest="farm_command", metavar=_("ACTION"))
    serve_p = sub.add_parser("serve", help=_("serve the local farm until Ctrl-C"))
    serve_p.add_argument("--host", default="127.0.0.1",
                         help=_("address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: every network)"))
    serve_p.add_argument("--port", type=int, default=int(os.environ.get("RENDERBUS_FARM_PORT", "8765")),
                         help=_("port (default 8765; 0 picks a free one)"))
    serve_p.add_argument("--data", default=None, help=_("folder of the farm's state (default: the user data folder/farm)"))
    serve_p.add_argument("--speed", type=_speed, default=1.0,
                         help=_("farm time per wall second (200: 100 frames in seconds)"))
    serve_p.add_argument("--seed", type=int, default=None, help=_("makes failures and chaos repeatable"))
    serve_p.add_argument("--fail-rate", type=_rate, default=0.0, help=_("share of frames that fail (0..1)"))
    serve_p.add_argument("--chaos", default=None, help=_('faults: "drop=0.1,error500=0.1,slow=0.1,garble=0.05,lost=0.05,delay=0.5"'))
    serve_p.add_argument("--access-id", default=None,
                         help=_("the account's access id (also %s; made on the first start otherwise)") % ENV_ACCESS_ID)
    serve_p.add_argument("--access-key-file", default=None,
                         help=_("a file holding the account's access key (or set %s)") % ENV_ACCESS_KEY)
    serve_p.add_argument("--access-key", default=None,
                         help=_("the account's access key (visible to every user in the process list: prefer %s or "
                                "--access-key-file)") % ENV_ACCESS_KEY)
    serve_p.set_defaults(func=serve)
    farm.set_defaults(func=lambda args: (farm.print_help(), 2)[1])
