"""Faults on demand: dropped connections, 500s, slow answers, garbled bodies, lost answers.

A spec is a dict or a string ``"drop=0.1,error500=0.1,slow=0.1,garble=0.05,lost=0.05,delay=0.5"``
(rates between 0 and 1; ``delay`` is the seconds a slow answer waits, 0.5 by default).
Each signed request (API operations and the transfer routes) draws one number from a
generator seeded with the farm's seed, so the n-th request meets the same fault on every run.
Progress images (``/farm/grab/...``) and unknown paths are never faulted. A dropped request
and a 500 are decided before the request is handled (nothing changes on the farm, the nonce
is not used up); a slow or garbled answer is given after it was handled; a lost answer is
never given: the request was handled, then the connection closes (the client cannot tell it
from a drop, and must find out by a query whether a state-changing call took).
"""

import random
import threading
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

__all__ = ["Chaos", "parse_chaos", "FAULTS"]

#: The faults, in the order a draw is compared with their rates.
FAULTS = ("drop", "error500", "slow", "garble", "lost")

#: Faults decided before the request is handled (the farm does nothing) and after it.
BEFORE = ("drop", "error500")
AFTER = ("slow", "garble", "lost")

_ALIASES = {"drop": "drop", "error500": "error500", "500": "error500", "error": "error500", "slow": "slow",
            "garble": "garble", "lost": "lost", "delay": "delay"}


def parse_chaos(spec: Union[None, str, Mapping[str, Any]]) -> Dict[str, float]:
    """``{"drop": r, "error500": r, "slow": r, "garble": r, "lost": r, "delay": s}``; ValueError names a bad part."""
    out = {name: 0.0 for name in FAULTS}
    out["delay"] = 0.5
    if not spec:
        return out
    items: List[Tuple[str, Any]]
    if isinstance(spec, str):
        items = []
        for part in spec.replace(";", ",").split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise ValueError("chaos spec part %r: write name=rate, e.g. drop=0.1" % part.strip())
            key, value = part.split("=", 1)
            items.append((key.strip(), value.strip()))
    else:
        items = list(spec.items())
    for key, value in items:
        name = _ALIASES.get(str(key).lower())
        if name is None:
            raise ValueError("unknown chaos fault %r: use %s or delay" % (key, ", ".join(FAULTS)))
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError("chaos %s=%r is not a number" % (key, value)) from None
        if number < 0 or (name != "delay" and number > 1):
            raise ValueError("chaos %s=%s is out of range (rates 0..1)" % (key, value))
        out[name] = number
    if sum(out[name] for name in FAULTS) > 1.0 + 1e-9:
        raise ValueError("chaos rates add up to more than 1")
    return out


@dataclass
class Chaos:
    """Draws a fault (or None) per request, deterministically under ``seed``."""

    rates: Dict[str, float]
    seed: Optional[int] = None

    def __post_init__(self) -> None:
        self._random = random.Random("chaos:%s" % self.seed)
        self._lock = threading.Lock()
        self.count = 0
        #: (request number, path, fault) for every faulted request.
        self.log: List[Tuple[int, str, str]] = []

    @property
    def active(self) -> bool:
        return any(self.rates.get(name, 0) > 0 for name in FAULTS)

    def draw(self, path: str) -> Optional[str]:
        """The fault for this request, or None."""
        if not self.active:
            return None
        with self._lock:
            self.count += 1
            number = self._random.random()
            edge = 0.0
            for name in FAULTS:
                edge += self.rates.get(name, 0.0)
                if number < edge:
                    self.log.append((self.count, path, name))
                    return name
            return None

    @property
    def delay(self) -> float:
        return float(self.rates.get("delay", 0.5))


def garble(body: bytes, seed: int) -> bytes:
    """A body cut short and spoiled, as a broken proxy would give it."""
    cut = max(1, len(body) // 2)
    return body[:cut] + bytes(((seed * 37 + i) % 256 for i in range(7))) + b"\x00<html>"
