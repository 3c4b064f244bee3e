"""The farm's gate: who is calling, is the signature right, is the request fresh and new.

Order of checks and the codes they give:

- a signed header missing: 601 (``signature`` missing: 611);
- ``accessId`` unknown: 602 NEED_USER_LOGIN ("unknown accessId");
- the signature does not match for the Host the client named, with or without its port: 611;
- ``UTCTimestamp`` not a number: 600; more than 300 s from the farm's clock: 610;
- the ``nonce`` was already used by this account within the window: 603 ILLEGAL_PROTOCOL
  (a replay; a client must make a new nonce for every attempt, retries included).
"""

import threading
from collections import deque
from typing import Any, Callable, Deque, Dict, List, Mapping, Optional, Set, Tuple

from renderbus_dcc import signing
from renderbus_dcc.constants import ErrorCode
from renderbus_dcc.farm.db import FarmDB
from renderbus_dcc.farm.envelope import FarmError

__all__ = ["Gate", "WINDOW_SECONDS", "hosts_for"]

#: Largest accepted distance between a request's UTCTimestamp and the farm's clock.
WINDOW_SECONDS = 300


def hosts_for(host_header: str) -> List[str]:
    """The host texts a client may have signed: as sent, and without its port."""
    host = (host_header or "").strip()
    out = [host]
    if host.startswith("["):  # [::1]:8080
        bare = host.split("]")[0] + "]"
    else:
        bare = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    if bare not in out:
        out.append(bare)
    return out


class Gate:
    """Checks a request's signed headers; returns the account row."""

    def __init__(self, db: FarmDB, clock: Callable[[], float]) -> None:
        self.db = db
        self.clock = clock
        self._lock = threading.Lock()
        self._seen: Set[Tuple[str, str]] = set()
        self._expiry: Deque[Tuple[float, Tuple[str, str]]] = deque()

    def _account(self, access_id: str) -> Optional[Dict[str, Any]]:
        with self.db.lock:
            return self.db.one("SELECT * FROM accounts WHERE access_id = ?", access_id)

    def check(self, path: str, headers: Mapping[str, Any], fields: Mapping[str, Any], host_header: str) -> Dict[str, Any]:
        """The account calling, or FarmError."""
        signed: Dict[str, str] = {}
        for name in signing.SIGNED_HEADERS:
            value = headers.get(name)
            if value is None or value == "":
                raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "header %s is missing" % name)
            signed[name] = str(value)
        signature = headers.get("signature")
        if not signature:
            raise FarmError(ErrorCode.SIGNATURE_INVALID, "header signature is missing")
        account = self._account(signed["accessId"])
        if account is None:
            raise FarmError(ErrorCode.NEED_USER_LOGIN, "unknown accessId %s" % signed["accessId"])
        try:
            ok = signing.verify(account["access_key"], hosts_for(host_header), path, signed, fields, signature)
        except TypeError:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "the body holds a value that cannot be signed (null or boolean?)")
        if not ok:
            raise FarmError(ErrorCode.SIGNATURE_INVALID,
                            "signature does not match (signed text: [POST]{host}:%s&... with the fields sent)" % path)
        try:
            stamp = int(signed["UTCTimestamp"])
        except ValueError:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "UTCTimestamp must be whole seconds since 1970")
        now = self.clock()
        if abs(stamp - now) > WINDOW_SECONDS:
            raise FarmError(ErrorCode.SIGNATURE_EXPIRED,
                            "UTCTimestamp %d is %d s away from the farm's clock (at most %d s)"
                            % (stamp, int(abs(stamp - now)), WINDOW_SECONDS), {"serverTime": int(now * 1000)})
        key = (signed["accessId"], signed["nonce"])
        with self._lock:
            while self._expiry and self._expiry[0][0] < now:
                self._seen.discard(self._expiry.popleft()[1])
            if key in self._seen:
                raise FarmError(ErrorCode.ILLEGAL_PROTOCOL, "nonce %s was already used: every request needs a new nonce"
                                % signed["nonce"])
            self._seen.add(key)
            self._expiry.append((now + 2 * WINDOW_SECONDS, key))
        return account
