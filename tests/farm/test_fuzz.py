"""Fuzzing the farm: every route, both profiles, signed bodies of any shape (hypothesis, seeded, bounded).

Whatever arrives, the farm answers: HTTP 200 with a protocol code (or 404 for an unknown path,
413 for a body over the route's limit), never a 500 or a dropped connection, and its memory
stays bounded.
"""

import json
import resource
import time

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renderbus_dcc import routes, signing
from renderbus_dcc.farm import LocalFarm
from renderbus_dcc.farm.wsgi import TRANSFER_ROUTES

from .helpers import Raw, maya_task

FIELDS = (
    "taskId", "taskIds", "count", "outUserId", "taskUserLevel", "labels", "artist", "cloneOriginalId", "pageNum",
    "pageSize", "statusList", "searchKeyword", "startTime", "endTime", "recycleFlag", "zone", "code", "codes",
    "language", "newName", "delName", "status", "cgId", "cgIds", "osName", "cgName", "cgVersion", "editName",
    "renderLayerType", "renderSystem", "pluginIds", "projectPath", "ids", "selectAll", "frameType", "id",
    "frameStatus", "renderingType", "label", "labelNames", "labelIds", "overTime", "taskLimit", "hardwareConfigIds",
    "model", "gpuNum", "ram", "fileName", "content", "flag", "platform", "startDate", "endDate", "taskOverTime",
    "taskOverTimeSec", "producer", "bid", "path", "paths", "treePath",
)
PATHS = sorted({op.v1 for op in routes.OPERATIONS.values()} | {op.v2 for op in routes.OPERATIONS.values()}
               | {op.v2 for op in routes.LIVE_OPERATIONS.values()} | set(TRANSFER_ROUTES.values())
               | {"/api/render/nope", "/farm/grab/1/1.png"})

ints = st.one_of(st.integers(-3, 3), st.integers(19000, 19006), st.sampled_from([2 ** 31, 2 ** 63 - 1, 2 ** 63, -2 ** 63 - 1,
                                                                                10 ** 30]), st.integers())
texts = st.one_of(st.text(max_size=30), st.sampled_from(["", "1-5[1]", "99999999999999999999", "task.json", "/D/a.txt",
                                                         "2024-05-01 08:00:00", "../..", "x" * 300, "30201", "10201"]),
                  st.from_regex(r"-?[0-9]{1,25}", fullmatch=True))
scalars = st.one_of(ints, texts, st.booleans(), st.none(), st.floats(allow_nan=False, allow_infinity=False))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.sampled_from(FIELDS), inner, max_size=3)),
                      max_leaves=12)
bodies = st.dictionaries(st.sampled_from(FIELDS), values, max_size=6)


@pytest.fixture(scope="module")
def fuzz_farm(tmp_path_factory):
    with LocalFarm(data_dir=tmp_path_factory.mktemp("fuzz") / "farm", speed=500.0, seed=5) as farm:
        raw = Raw(farm)
        raw.submit(maya_task("1-4[1]"))
        raw.submit(maya_task("1-2[1]", layers=("a", "b")))
        farm.rss_before_fuzz = _rss_mb()
        yield farm


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # pragma: no cover


@settings(max_examples=250, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), profile=st.sampled_from(["1.0.0", "2.0.0"]), body=bodies,
       raw_body=st.one_of(st.none(), st.binary(max_size=64), st.sampled_from([b"[", b"{\"a\":" * 50, b"\xff\xfe", b"null"])),
       signed=st.booleans())
def test_no_input_gives_a_500_or_a_dropped_connection(fuzz_farm, path, profile, body, raw_body, signed):
    farm = fuzz_farm
    session = _session(farm)
    headers = {"accessId": farm.access_id, "channel": "4", "platform": "2", "UTCTimestamp": str(int(time.time())),
               "nonce": str(time.monotonic_ns()), "version": profile}
    if signed or raw_body is None:
        try:
            headers["signature"] = signing.sign(farm.access_key, "127.0.0.1:%d" % farm.port, path, headers, body)
        except TypeError:
            headers["signature"] = "unsignable"
    data = json.dumps(body).encode() if raw_body is None else raw_body
    params = {k: str(v) for k, v in body.items() if not isinstance(v, (list, dict))} if "upload" in path else None
    try:
        response = session.post(farm.url + path, data=data, headers=headers, params=params, timeout=30)
    except requests.ConnectionError as exc:  # pragma: no cover - what this test is for
        pytest.fail("the farm dropped the connection on %s %r: %s" % (path, body, exc))
    assert response.status_code in (200, 404, 405, 413), (path, body, response.status_code, response.text[:300])
    if response.headers.get("Content-Type", "").startswith("application/json"):
        envelope = response.json()
        assert envelope["code"] != 500, (path, body, envelope)
        assert str(farm.data_dir) not in envelope["message"], envelope


_SESSIONS = {}


def _session(farm):
    return _SESSIONS.setdefault(farm.port, requests.Session())


def test_memory_stays_bounded_after_the_fuzzing(fuzz_farm):
    """Runs after the fuzz test (same module): the farm is still answering, and this process did not grow much."""
    assert Raw(fuzz_farm).code("queryUserProfile") == 200
    assert _rss_mb() - fuzz_farm.rss_before_fuzz < 150
