"""Request signing, exactly as the protocol document describes it.

The signed text is ``[POST]{host}:{path}&{k=v&...}`` where the pairs are every custom
header (all but ``signature`` and ``Content-Type``) merged with the request body, nested
values flattened (``a.b``, ``list0``, ``renderEnvs1.pluginIds0``), sorted by code point.
The signature is ``base64(HMAC-SHA256(access_key, text))``, both UTF-8.
"""

import base64
import hashlib
import hmac
import math
from typing import Any, Dict, Iterable, Mapping, Tuple

__all__ = ["SIGNED_HEADERS", "flatten", "canonical_query", "string_to_sign", "sign", "verify"]

#: The custom headers a request carries and signs, in the document's spelling.
SIGNED_HEADERS: Tuple[str, ...] = ("accessId", "channel", "platform", "UTCTimestamp", "nonce", "version")

_EXCLUDED = frozenset({"signature", "content-type"})


def _scalar_text(value: Any) -> str:
    """A value as the JSON body carries it, so that what is signed is what is sent.

    ``str()`` is not that: an IntEnum is ``Cls.NAME`` before Python 3.11 and a str-based Enum is
    ``Cls.NAME`` on every Python, while ``json.dumps`` writes the number and the text. So the
    base types' own renderings are used: ``int.__repr__`` (the digits), ``float.__repr__``
    (what ``json.dumps`` writes: ``0.1``, ``1e+16``) and the plain text of a ``str``.
    """
    if isinstance(value, bool):  # the protocol sends 0/1, never booleans
        return "1" if value else "0"
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):  # json.dumps would write NaN/Infinity: not JSON
            raise ValueError("cannot sign %r: JSON has no such number" % value)
        return float.__repr__(value)
    raise TypeError("cannot sign a value of type %s" % type(value).__name__)


def _walk(prefix: str, value: Any, out: Dict[str, str]) -> None:
    if value is None:  # absent: left out, as the client leaves it out of the body
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            _walk("%s.%s" % (prefix, key) if prefix else str(key), item, out)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _walk("%s%d" % (prefix, index), item, out)
    else:
        out[prefix] = _scalar_text(value)


def flatten(body: Mapping[str, Any]) -> Dict[str, str]:
    """Flatten a request body: ``{"a": {"b": 1}, "l": [2]}`` -> ``{"a.b": "1", "l0": "2"}``.

    Empty lists and objects, and None values, add no key.
    """
    out: Dict[str, str] = {}
    _walk("", body, out)
    return out


def canonical_query(headers: Mapping[str, Any], body: Mapping[str, Any]) -> str:
    """The ``k=v&...`` part: signed headers and flattened body, sorted by code point."""
    pairs: Dict[str, str] = {}
    for name, value in headers.items():
        if name.lower() not in _EXCLUDED and value is not None:
            pairs[name] = _scalar_text(value)
    pairs.update(flatten(body or {}))
    return "&".join("%s=%s" % (key, pairs[key]) for key in sorted(pairs))


def string_to_sign(host: str, path: str, headers: Mapping[str, Any], body: Mapping[str, Any]) -> str:
    """The text that is signed: ``[POST]host:path&query``; ``host`` has no scheme."""
    return "[POST]%s:%s&%s" % (host, path, canonical_query(headers, body))


def sign(access_key: str, host: str, path: str, headers: Mapping[str, Any], body: Mapping[str, Any]) -> str:
    """The base64 HMAC-SHA256 signature of a request."""
    text = string_to_sign(host, path, headers, body)
    digest = hmac.new(access_key.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify(
    access_key: str,
    hosts: Iterable[str],
    path: str,
    headers: Mapping[str, Any],
    body: Mapping[str, Any],
    signature: str,
) -> bool:
    """True if ``signature`` matches for any of ``hosts`` (a server accepts host with or without port)."""
    for host in hosts:
        if hmac.compare_digest(sign(access_key, host, path, headers, body), signature or ""):
            return True
    return False
