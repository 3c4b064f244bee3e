"""`renderbus farm serve`: run the local farm until Ctrl-C (or SIGTERM)."""

import argparse
import os
import threading
from pathlib import Path
from typing import Optional

__all__ = ["register"]


def _default_data_dir() -> Path:
    from renderbus_dcc.config import data_dir

    return data_dir() / "farm"


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be from 0 to 1")
    return value


def _speed(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def _stop_on_sigterm(stop: threading.Event) -> None:
    """Let a service manager's SIGTERM stop the farm as cleanly as Ctrl-C does."""
    import signal

    if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())


def serve(args: argparse.Namespace, stop: Optional[threading.Event] = None) -> int:
    """Start the farm, print where it listens and the account to use, wait for Ctrl-C (or ``stop``)."""
    from renderbus_dcc.errors import ConfigError
    from renderbus_dcc.farm import LocalFarm
    from renderbus_dcc.farm.chaos import parse_chaos

    try:
        parse_chaos(args.chaos)
    except ValueError as exc:
        raise ConfigError("--chaos: %s" % exc, hint='write it like "drop=0.1,error500=0.1,slow=0.1,garble=0.05"')
    data = Path(args.data) if args.data else _default_data_dir()
    farm = LocalFarm(data_dir=data, host=args.host, port=args.port, speed=args.speed, seed=args.seed,
                     fail_rate=args.fail_rate, chaos=args.chaos, access_id=args.access_id, access_key=args.access_key)
    try:
        farm.start()
    except OSError as exc:
        raise ConfigError("cannot listen on %s:%s: %s" % (args.host, args.port, exc.strerror or exc),
                          hint="choose another --port (0 picks a free one)")
    try:
        print("Renderbus local farm listening on %s (data in %s, speed x%g)" % (farm.url, farm.data_dir, farm.speed))
        print("Account: access id %s  access key %s  platform %d" % (farm.access_id, farm.access_key, farm.platform))
        print("Use it: export RENDERBUS_ENDPOINT=%s RENDERBUS_ACCESS_ID=%s RENDERBUS_ACCESS_KEY=%s RENDERBUS_PLATFORM=%d"
              % (farm.url, farm.access_id, farm.access_key, farm.platform))
        print("Press Ctrl-C to stop.", flush=True)
        stop = stop or threading.Event()
        _stop_on_sigterm(stop)
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        print("stopping the farm", flush=True)
        farm.stop()
    return 0


def register(subparsers: "argparse._SubParsersAction") -> None:
    """Add `renderbus farm serve`."""
    farm = subparsers.add_parser("farm", help="run the local farm (a Renderbus-compatible server on this machine)")
    sub = farm.add_subparsers(dest="farm_command", metavar="ACTION")
    serve_p = sub.add_parser("serve", help="serve the local farm until Ctrl-C")
    serve_p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    serve_p.add_argument("--port", type=int, default=int(os.environ.get("RENDERBUS_FARM_PORT", "8765")),
                         help="port (default 8765; 0 picks a free one)")
    serve_p.add_argument("--data", default=None, help="folder of the farm's state (default: the user data folder/farm)")
    serve_p.add_argument("--speed", type=_speed, default=1.0, help="farm time per wall second (200: 100 frames in seconds)")
    serve_p.add_argument("--seed", type=int, default=None, help="makes failures and chaos repeatable")
    serve_p.add_argument("--fail-rate", type=_rate, default=0.0, help="share of frames that fail (0..1)")
    serve_p.add_argument("--chaos", default=None, help='faults: "drop=0.1,error500=0.1,slow=0.1,garble=0.05,delay=0.5"')
    serve_p.add_argument("--access-id", default=None, help="the account's access id (made on first start otherwise)")
    serve_p.add_argument("--access-key", default=None, help="the account's access key")
    serve_p.set_defaults(func=serve)
    farm.set_defaults(func=lambda args: (farm.print_help(), 2)[1])
