"""The farm's gate: who is calling, is the request fresh, is the signature right, is it new.

The checks run in two steps, so that nothing costly is done for a caller who cannot be right:

:meth:`Gate.precheck` (headers only, before the body is read or parsed)

- a signed header missing: 601 (``signature`` missing: 611);
- ``accessId`` unknown: 602 NEED_USER_LOGIN ("unknown accessId");
- ``UTCTimestamp`` not a number: 600; more than 300 s from the farm's clock: 610;
- this very request (its signature) was already received: 603 ILLEGAL_PROTOCOL.

:meth:`Gate.verify` (with the parsed body)

- the signature does not match for the Host the client named, with or without its port: 611;
- then the request is recorded as received, in the database: a replay is refused for the
  whole window, also after the farm restarted (or was killed).

A replay is the same signed request again: the same signature, which covers the path, the
body, the timestamp and the nonce. Two different requests that happen to share a nonce (the
official SDK draws 6 random digits per request) are not replays and both pass.

Progress pictures are fetched with a plain GET; their URLs carry an expiry and an HMAC made
with the owner's access key (:func:`grab_token`), so only whoever got the URL from a signed
``loadTaskProcessImg`` can fetch them, and only for a while.
"""

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional

from renderbus_dcc import signing
from renderbus_dcc.constants import ErrorCode
from renderbus_dcc.farm.db import FarmDB
from renderbus_dcc.farm.envelope import FarmError

__all__ = ["Gate", "Pending", "WINDOW_SECONDS", "hosts_for", "grab_token"]

#: Largest accepted distance between a request's UTCTimestamp and the farm's clock.
WINDOW_SECONDS = 300
#: How long a received request is remembered (a replay is refused): the whole window both ways.
REMEMBER_SECONDS = 2 * WINDOW_SECONDS
_MAX_HEADER = 256  # longest signed header value taken (a signature is 44 characters)


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


def grab_token(access_key: str, frame_id: int, percent: int, expires: int) -> str:
    """The proof of account in a progress picture's URL (URL-safe, 22 characters)."""
    text = "grab:%d:%d:%d" % (frame_id, percent, expires)
    digest = hmac.new(access_key.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode("ascii").rstrip("=")


def _as_sdk_signs(value: Any) -> Any:
    """The body as the official SDK signs it: None as "None", booleans as "True"/"False"."""
    if isinstance(value, dict):
        return {k: _as_sdk_signs(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_sdk_signs(v) for v in value]
    if value is None or isinstance(value, bool):
        return str(value)
    return value


def _has_none_or_bool(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_none_or_bool(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_none_or_bool(v) for v in value)
    return value is None or isinstance(value, bool)


@dataclass
class Pending:
    """A request that passed the header checks: its account, signed headers and signature."""

    account: Dict[str, Any]
    signed: Dict[str, str]
    signature: str
    now: float


class Gate:
    """Checks a request's signed headers and signature; remembers what it let through."""

    def __init__(self, db: FarmDB, clock: Callable[[], float]) -> None:
        self.db = db
        self.clock = clock
        self._next_prune = 0.0

    def _account(self, access_id: str) -> Optional[Dict[str, Any]]:
        with self.db.lock:
            return self.db.one("SELECT * FROM accounts WHERE access_id = ?", access_id)

    def precheck(self, headers: Mapping[str, Any]) -> Pending:
        """The header checks (no body needed); FarmError if one fails."""
        signed: Dict[str, str] = {}
        for name in signing.SIGNED_HEADERS:
            value = headers.get(name)
            if value is None or value == "":
                raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "header %s is missing" % name)
            if len(str(value)) > _MAX_HEADER:
                raise FarmError(ErrorCode.PARAMETER_INVALID, "header %s is too long" % name)
            signed[name] = str(value)
        signature = str(headers.get("signature") or "")
        if not signature:
            raise FarmError(ErrorCode.SIGNATURE_INVALID, "header signature is missing")
        if len(signature) > _MAX_HEADER:
            raise FarmError(ErrorCode.SIGNATURE_INVALID, "header signature is not a signature")
        account = self._account(signed["accessId"])
        if account is None:
            raise FarmError(ErrorCode.NEED_USER_LOGIN, "unknown accessId %s" % signed["accessId"])
        stamp_text = signed["UTCTimestamp"].strip()
        if not stamp_text.isdigit() or len(stamp_text) > 12:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "UTCTimestamp must be whole seconds since 1970")
        stamp = int(stamp_text)
        now = self.clock()
        if abs(stamp - now) > WINDOW_SECONDS:
            raise FarmError(ErrorCode.SIGNATURE_EXPIRED,
                            "UTCTimestamp %d is %d s away from the farm's clock (at most %d s)"
                            % (stamp, int(abs(stamp - now)), WINDOW_SECONDS), {"serverTime": int(now * 1000)})
        with self.db.lock:
            seen = self.db.value("SELECT expires FROM received WHERE access_id = ? AND signature = ?",
                                 signed["accessId"], signature)
        if seen is not None and seen >= now:
            raise self._replay(signed)
        return Pending(account, signed, signature, now)

    @staticmethod
    def _replay(signed: Mapping[str, str]) -> FarmError:
        return FarmError(ErrorCode.ILLEGAL_PROTOCOL,
                         "this request (nonce %s) was already received: a replay is refused; every request needs a new "
                         "nonce and timestamp" % signed["nonce"])

    def verify(self, pending: Pending, path: str, fields: Mapping[str, Any], host_header: str) -> Dict[str, Any]:
        """The signature check, then the request is remembered; returns the account row."""
        hosts = hosts_for(host_header)
        key = pending.account["access_key"]
        try:
            ok = signing.verify(key, hosts, path, pending.signed, fields, pending.signature)
        except TypeError:
            ok = False
        if not ok and _has_none_or_bool(fields):
            ok = signing.verify(key, hosts, path, pending.signed, _as_sdk_signs(fields), pending.signature)
        if not ok:
            raise FarmError(ErrorCode.SIGNATURE_INVALID,
                            "signature does not match (signed text: [POST]{host}:%s&... with the fields sent)" % path)
        self._remember(pending)
        return pending.account

    def _remember(self, pending: Pending) -> None:
        access_id, now = pending.signed["accessId"], pending.now
        with self.db.transaction():
            if now >= self._next_prune:
                self.db.run("DELETE FROM received WHERE expires < ?", now)
                self._next_prune = now + 60
            row = self.db.value("SELECT expires FROM received WHERE access_id = ? AND signature = ?",
                                access_id, pending.signature)
            if row is not None and row >= now:
                raise self._replay(pending.signed)  # the same request, twice at once
            self.db.run("INSERT OR REPLACE INTO received (access_id, signature, expires) VALUES (?, ?, ?)",
                        access_id, pending.signature, now + REMEMBER_SECONDS)

    def check(self, path: str, headers: Mapping[str, Any], fields: Mapping[str, Any], host_header: str) -> Dict[str, Any]:
        """Both steps at once: the account calling, or FarmError."""
        return self.verify(self.precheck(headers), path, fields, host_header)
