"""Faults on demand: the same faults for the same requests under the same seed."""

import pytest
import requests

from renderbus_dcc.farm import LocalFarm
from renderbus_dcc.farm.chaos import parse_chaos

from .helpers import Raw


def _outcomes(raw, count):
    seen = []
    for _ in range(count):
        try:
            response = raw.post(raw.profile.path("queryUserProfile"), {})
        except requests.ConnectionError:
            seen.append("drop")
            raw.session = requests.Session()
            continue
        if response.status_code == 500:
            seen.append("error500")
            continue
        try:
            code = response.json()["code"]
        except ValueError:
            seen.append("garble")
            continue
        seen.append("ok" if code == 200 else str(code))
    return seen


def test_chaos_is_deterministic_under_the_seed(tmp_path):
    runs = []
    for run in range(2):
        spec = "drop=0.15,error500=0.15,slow=0.1,garble=0.15,delay=0.01"
        with LocalFarm(data_dir=tmp_path / str(run), seed=11, chaos=spec) as farm:
            runs.append(_outcomes(Raw(farm), 40))
            log = [fault for _, _, fault in farm.chaos.log]
            assert [o for o in runs[-1] if o != "ok"] == [f for f in log if f != "slow"]
    assert runs[0] == runs[1]
    assert {"drop", "error500", "garble", "ok"} <= set(runs[0])


def test_chaos_can_be_turned_on_and_off_and_spares_images(tmp_path):
    with LocalFarm(data_dir=tmp_path / "c", seed=1) as farm:
        raw = Raw(farm)
        assert _outcomes(raw, 5) == ["ok"] * 5
        farm.set_chaos({"error500": 1.0})
        assert _outcomes(raw, 3) == ["error500"] * 3
        assert requests.get(farm.url + "/", timeout=5).status_code == 200  # GETs are never faulted
        farm.set_chaos(None)
        assert _outcomes(raw, 2) == ["ok"] * 2


def test_a_500_or_a_drop_changes_nothing(tmp_path):
    with LocalFarm(data_dir=tmp_path / "c", seed=1, chaos="error500=1") as farm:
        raw = Raw(farm)
        path = raw.profile.path("createTask")
        headers = raw.headers(path, {"count": 1})
        assert raw.post(path, {"count": 1}, headers=headers).status_code == 500
        farm.set_chaos(None)
        env = raw.post(path, {"count": 1}, headers=headers).json()  # the same request again: its nonce is unused
        assert env["code"] == 200 and env["data"]["taskIdList"] == [19000]


def test_a_lost_answer_was_handled(tmp_path):
    """The farm acted, then hung up: the client sees a drop, the farm holds the task."""
    with LocalFarm(data_dir=tmp_path / "c", seed=1, chaos="lost=1") as farm:
        raw = Raw(farm)
        with pytest.raises(requests.ConnectionError):
            raw.post(raw.profile.path("createTask"), {"count": 1})
        farm.set_chaos(None)
        raw.session = requests.Session()
        env = raw.post(raw.profile.path("createTask"), {"count": 1}).json()
        assert env["data"]["taskIdList"] == [19001]  # 19000 was made by the lost one
        assert [fault for _, _, fault in farm.chaos.log] == []


def test_chaos_specs_are_checked():
    assert parse_chaos("drop=0.1, 500=0.2,slow=0.1,garble=0.05")["error500"] == 0.2
    assert parse_chaos({"garble": 0.5})["garble"] == 0.5
    assert parse_chaos("lost=0.05")["lost"] == 0.05
    for bad in ("drop", "drop=x", "fire=0.1", "drop=2", "drop=0.6,garble=0.6"):
        with pytest.raises(ValueError):
            parse_chaos(bad)
