"""Transfer backends: the local farm's resumable upload, rayvision_sync missing, the choice."""

import hashlib
import os

import pytest

from renderbus_dcc.errors import Cancelled, TransferError
from renderbus_dcc.transfer import default_backend
from renderbus_dcc.transfer.localfarm import LocalFarmTransfer
from renderbus_dcc.transfer.rayvision import RayvisionTransfer, rayvision_available


def test_files_with_any_name_arrive_byte_identical(farm, farm_client, tmp_path):
    bid = farm_client.get_transfer_bid().input_bid
    files = {"木纹 地板.jpg": bytes(range(256)) * 40, "empty.txt": b"", "a b/c.abc": b"x" * 5}
    items = []
    for name, data in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        items.append((str(path), "/proj/" + name, len(data)))
    transfer = LocalFarmTransfer(farm_client, chunk_size=1000)
    reports = []
    transfer.upload(items, bid, reports.append)
    for local, server, _ in items:
        assert farm.uploaded_path(bid, server).read_bytes() == open(local, "rb").read()
        assert transfer.download(server, bid) == open(local, "rb").read()
    assert [s for r in reports for s in r.finished()] == [s for _, s, _ in items]
    assert reports[-1].bytes_done == reports[-1].bytes_total == sum(len(d) for d in files.values())
    # Everything held: a second upload only asks the status.
    again = LocalFarmTransfer(farm_client)
    again.upload(items, bid)
    assert again.requests == 1


def test_an_interrupted_file_resumes_from_the_bytes_the_farm_holds(farm, farm_client, tmp_path):
    bid = farm_client.get_transfer_bid().input_bid
    path = tmp_path / "big.bin"
    path.write_bytes(bytes(range(100)) * 10)  # 1000 bytes, 10 chunks of 100
    item = (str(path), "/proj/big.bin", 1000)
    first = LocalFarmTransfer(farm_client, chunk_size=100)
    with pytest.raises(Cancelled):
        first.upload([item], bid, lambda p: p.bytes_done < 300)
    held = first.status(["/proj/big.bin"], bid)["/proj/big.bin"]
    assert held["size"] == held["partial"] == 300 and held["complete"] == 0
    second = LocalFarmTransfer(farm_client, chunk_size=100)
    second.upload([item], bid)
    assert second.requests == 1 + 7  # the status, then only the 7 chunks left
    assert farm.uploaded_path(bid, "/proj/big.bin").read_bytes() == path.read_bytes()


def test_a_file_changed_since_the_partial_upload_is_sent_again_whole(farm, farm_client, tmp_path):
    bid = farm_client.get_transfer_bid().input_bid
    path = tmp_path / "tex.png"
    path.write_bytes(b"A" * 500)
    item = (str(path), "/proj/tex.png", 500)
    with pytest.raises(Cancelled):
        LocalFarmTransfer(farm_client, chunk_size=100).upload([item], bid, lambda p: p.bytes_done < 200)
    path.write_bytes(b"B" * 500)  # same size, new content: the held bytes' md5 says they are A's
    again = LocalFarmTransfer(farm_client, chunk_size=100)
    again.upload([item], bid)
    assert again.requests == 1 + 5  # not built upon: sent whole, once
    assert farm.uploaded_path(bid, "/proj/tex.png").read_bytes() == b"B" * 500


def test_a_changed_file_resumes_from_where_its_upload_stopped(farm, farm_client, tmp_path):
    """The farm holds an old complete version; the new one's upload stopped midway: a resume
    sends only the rest of the new one (the farm reports the partial beside the complete)."""
    bid = farm_client.get_transfer_bid().input_bid
    path = tmp_path / "texture.exr"
    path.write_bytes(b"old!" * 250)
    item = (str(path), "/proj/texture.exr", 1000)
    LocalFarmTransfer(farm_client, chunk_size=100).upload([item], bid)
    path.write_bytes(bytes(range(100)) * 10)  # the artist repaints it; same size
    with pytest.raises(Cancelled):
        LocalFarmTransfer(farm_client, chunk_size=100).upload([item], bid, lambda p: p.bytes_done < 400)
    held = LocalFarmTransfer(farm_client).status(["/proj/texture.exr"], bid)["/proj/texture.exr"]
    assert held["complete"] == 1 and held["partial"] == 400  # both the old file and the new upload
    resumed = LocalFarmTransfer(farm_client, chunk_size=100)
    reports = []
    resumed.upload([item], bid, reports.append)
    assert resumed.requests == 1 + 6  # the status, then the 6 chunks left: not from byte 0
    assert farm.uploaded_path(bid, "/proj/texture.exr").read_bytes() == path.read_bytes()
    assert reports[-1].bytes_done == 1000


def test_chunks_are_retried_on_500s_drops_and_garbled_answers(farm, tmp_path):
    """Every chunk is safe to repeat: the farm's chaos never costs the upload."""
    client = farm.client(backoff=0.001)
    bid = client.get_transfer_bid().input_bid
    items = []
    for n in range(6):
        path = tmp_path / ("f%d.bin" % n)
        path.write_bytes(bytes([n]) * (250 + n))
        items.append((str(path), "/proj/f%d.bin" % n, 250 + n))
    farm.set_chaos("drop=0.15,error500=0.15,garble=0.15")
    transfer = LocalFarmTransfer(client, chunk_size=100)
    transfer.upload(items, bid)
    faults = {fault for _, _, fault in farm.chaos.log}
    farm.set_chaos(None)
    assert {"drop", "error500", "garble"} <= faults
    for local, server, _ in items:
        assert farm.uploaded_path(bid, server).read_bytes() == open(local, "rb").read()


def test_a_texture_edited_to_the_same_size_is_sent_again(farm, farm_client, tmp_path):
    """The farm keeps one copy per path for all of an account's tasks: an edit must replace it."""
    from renderbus_dcc.hashing import HashCache

    bid = farm_client.get_transfer_bid().input_bid
    path = tmp_path / "木纹 地板.jpg"
    path.write_bytes(b"A" * 500)
    item = (str(path), "/proj/wood.jpg", 500)
    hashes = HashCache(tmp_path / "md5-cache.json")
    LocalFarmTransfer(farm_client, hashes=hashes).upload([item], bid)
    unchanged = LocalFarmTransfer(farm_client, hashes=hashes)
    unchanged.upload([item], bid)
    assert unchanged.requests == 1  # the same file: only the status is asked
    path.write_bytes(b"B" * 500)  # the artist paints over it; the size stays
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))  # a later save, whatever the clock
    edited = LocalFarmTransfer(farm_client, hashes=hashes)
    edited.upload([item], bid)
    assert edited.requests == 2  # the status, then the whole file
    assert farm.uploaded_path(bid, "/proj/wood.jpg").read_bytes() == b"B" * 500


def test_unchanged_files_are_hashed_once_across_submissions(tmp_path, monkeypatch):
    from renderbus_dcc import assets
    from renderbus_dcc.hashing import HashCache

    path = tmp_path / "tex.exr"
    path.write_bytes(b"pixels" * 1000)
    reads = []
    real = assets.md5_file
    monkeypatch.setattr(assets, "md5_file", lambda p, *a: reads.append(p) or real(p, *a))
    first = HashCache(tmp_path / "cache.json")
    digest = first.md5(str(path))
    first.save()
    assert HashCache(tmp_path / "cache.json").md5(str(path)) == digest  # a later session: read from the cache
    assert len(reads) == 1


def test_the_collections_stat_stands_for_the_md5_caches(tmp_path, monkeypatch):
    """md5(path, seen): the (size, mtime_ns) the asset collection found stand for a stat (the md5
    is of the file as it was then); without them, or when the cache has nothing under them,
    the file is stat-ed now (and read if it changed)."""
    from renderbus_dcc import hashing

    path = tmp_path / "tex.exr"
    path.write_bytes(b"old" * 100)
    cache = hashing.HashCache()
    old = cache.md5(str(path))
    seen = (path.stat().st_size, path.stat().st_mtime_ns)
    path.write_bytes(b"new" * 100)  # saved again after the collection
    os.utime(path, ns=(seen[1], seen[1] + 10**9))
    stats = []
    real = os.stat
    monkeypatch.setattr(hashing.os, "stat", lambda p, *a, **kw: stats.append(p) or real(p, *a, **kw))
    assert cache.md5(str(path), seen) == old and stats == []  # as collected: not stat-ed
    new = hashlib.md5(b"new" * 100).hexdigest()
    assert cache.md5(str(path)) == new and stats == [str(path)]  # as it is now
    assert cache.md5(str(path), (300, 1)) == new and len(stats) == 2  # nothing noted under those


def test_a_missing_local_file_is_a_clear_error(farm, farm_client, tmp_path):
    bid = farm_client.get_transfer_bid().input_bid
    with pytest.raises(TransferError) as info:
        LocalFarmTransfer(farm_client).upload([(str(tmp_path / "gone.png"), "/proj/gone.png", 3)], bid)
    assert "gone.png" in str(info.value) and info.value.hint


def test_a_farm_that_went_away_is_a_transfer_error(farm, tmp_path):
    farm_client = farm.client(retries=0)
    bid = farm_client.get_transfer_bid().input_bid
    path = tmp_path / "a.bin"
    path.write_bytes(b"abc")
    farm.stop()
    with pytest.raises(TransferError) as info:
        LocalFarmTransfer(farm_client).upload([(str(path), "/proj/a.bin", 3)], bid)
    assert str(info.value) == ("lost the connection to the farm: cannot reach %s/api/farm/transfer/status: connection "
                               "refused; check the network and that the farm is running, then resume the submission"
                               % farm_client.endpoint)  # one hint, not the transport's too


def test_rayvision_not_installed_says_what_to_do():
    from renderbus_dcc.client import RenderbusClient

    client = RenderbusClient("AKIDexample", "secret-key", endpoint="https://task.renderbus.com")
    backend = default_backend(client)
    assert isinstance(backend, RayvisionTransfer)
    if rayvision_available():
        pytest.skip("rayvision_sync is installed here")
    with pytest.raises(TransferError) as info:
        backend.upload([("/tmp/x", "/tmp/x", 1)], "10201")
    assert "pip install rayvision_sync" in str(info.value) and "secret-key" not in str(info.value)


def test_other_endpoints_use_the_local_farm_upload():
    from renderbus_dcc.client import RenderbusClient

    client = RenderbusClient("AKIDexample", "k", endpoint="http://127.0.0.1:8765")
    assert isinstance(default_backend(client), LocalFarmTransfer)


def test_rayvision_gets_the_clients_access_key(monkeypatch):
    """The SDK signs its own requests: it must be given the real key (the client hides it)."""
    import sys
    import types

    from renderbus_dcc.client import RenderbusClient

    given = {}

    class RayvisionAPI:  # rayvision_api.RayvisionAPI(access_id, access_key, domain, platform)
        def __init__(self, access_id, access_key, domain, platform):
            given.update(access_id=access_id, access_key=access_key, domain=domain, platform=platform)

    class RayvisionUpload:  # rayvision_sync.upload.RayvisionUpload(api)
        def __init__(self, api):
            self.api = api

        def upload_asset(self, upload_json):
            given["upload_json"] = upload_json

    api_mod = types.ModuleType("rayvision_api")
    api_mod.RayvisionAPI = RayvisionAPI
    sync_mod = types.ModuleType("rayvision_sync")
    upload_mod = types.ModuleType("rayvision_sync.upload")
    upload_mod.RayvisionUpload = RayvisionUpload
    sync_mod.upload = upload_mod
    for name, mod in (("rayvision_api", api_mod), ("rayvision_sync", sync_mod), ("rayvision_sync.upload", upload_mod)):
        monkeypatch.setitem(sys.modules, name, mod)

    client = RenderbusClient("AKIDexample", "secret-key", endpoint="https://task.renderbus.com", platform=6)
    RayvisionTransfer(client).upload([], "10201")
    assert given["access_key"] == "secret-key" and given["access_id"] == "AKIDexample"
    assert given["domain"] == "task.renderbus.com" and given["platform"] == "6"


def _small_files(tmp_path, count, repeat):
    """``count`` small files under tmp_path/tex, as transfer items (each different)."""
    items = []
    for i in range(count):
        path = tmp_path / "tex" / ("t%04d.png" % i)
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"%d" % i * repeat)
        items.append((str(path), "/proj/tex/t%04d.png" % i, path.stat().st_size))
    return items


def test_small_files_go_many_to_a_request_and_resume_by_file(farm, farm_client, tmp_path):
    from renderbus_dcc.errors import Cancelled
    from renderbus_dcc.hashing import HashCache

    bid = farm_client.get_transfer_bid().input_bid
    items = _small_files(tmp_path, 600, 100)
    hashes = HashCache(tmp_path / "md5.json")
    first = LocalFarmTransfer(farm_client, hashes=hashes)
    with pytest.raises(Cancelled):  # stopped while the second batch of 256 files was told
        first.upload(items, bid, lambda p: p.files_done < 300)
    assert first.requests == 1 + 2
    again = LocalFarmTransfer(farm_client, hashes=hashes)
    reports = []
    again.upload(items, bid, reports.append)
    assert again.requests == 1 + 1  # the status, then the 88 files not there yet
    assert [s for r in reports for s in r.finished()] == [s for _, s, _ in items]
    for local, server, _ in items[::50]:
        assert farm.uploaded_path(bid, server).read_bytes() == open(local, "rb").read()
    # the md5s were noted as the files were read: checking them all again reads none
    reread = []
    hashes2 = HashCache(tmp_path / "md5.json")
    import renderbus_dcc.assets as assets_mod
    real = assets_mod.md5_file
    assets_mod.md5_file = lambda *a, **k: reread.append(a) or real(*a, **k)
    try:
        third = LocalFarmTransfer(farm_client, hashes=hashes2)
        third.upload(items, bid)
    finally:
        assets_mod.md5_file = real
    assert third.requests == 1 and reread == []


def test_status_is_asked_by_batches_while_the_held_files_are_checked(farm, farm_client, tmp_path):
    """4,500 held files: three status requests (the next asked while this one is looked at), nothing sent."""
    from renderbus_dcc.hashing import HashCache

    bid = farm_client.get_transfer_bid().input_bid
    items = _small_files(tmp_path, 4500, 1)
    hashes = HashCache(tmp_path / "md5.json")
    LocalFarmTransfer(farm_client, hashes=hashes).upload(items, bid)
    again = LocalFarmTransfer(farm_client, hashes=hashes)
    reports = []
    again.upload(items, bid, reports.append)
    assert again.requests == 3
    assert [s for r in reports for s in r.finished()] == [s for _, s, _ in items]  # in order, each once
    # told once a status answer, not once a file: files and bytes add up at each report
    told = [r for r in reports if r.held]
    assert [len(r.held) for r in told] == [2000, 2000, 500]
    assert [r.files_done for r in told] == [2000, 4000, 4500]
    assert [r.bytes_done for r in told] == [sum(n for _, _, n in items[:k]) for k in (2000, 4000, 4500)]
    assert [r.current_file for r in told] == [items[k - 1][1] for k in (2000, 4000, 4500)]
    assert len(reports) == 4 and reports[-1].files_done == reports[-1].files_total == 4500


def test_task_files_are_not_noted_in_the_md5_cache(farm, farm_client, tmp_path):
    from renderbus_dcc.hashing import HashCache

    cache = tmp_path / "md5.json"
    transfer = LocalFarmTransfer(farm_client, hashes=HashCache(cache))
    transfer.upload_bytes({"/1/cfg/task.json": b"{}", "/1/cfg/upload.json": b"x" * (3 << 20)},
                          farm_client.get_transfer_bid().config_bid)
    assert not cache.exists()  # their temporary copies would never be asked about again


def test_a_large_file_goes_chunk_by_chunk_read_one_ahead(farm, farm_client, tmp_path):
    """The next chunk is read and hashed while one is sent: the same requests, the same bytes,
    the whole file's md5 with the last chunk (checked by the farm), noted in the md5 cache."""
    from renderbus_dcc.hashing import HashCache

    data = os.urandom(10500)
    path = tmp_path / "big.abc"
    path.write_bytes(data)
    bid = farm_client.get_transfer_bid().input_bid
    hashes = HashCache(tmp_path / "md5.json")
    transfer = LocalFarmTransfer(farm_client, chunk_size=1000, hashes=hashes, batch=False)
    reports = []
    transfer.upload([(str(path), "/D/cache/big.abc", len(data))], bid, reports.append)
    assert transfer.requests == 1 + 11  # the status, then 11 chunks
    assert farm.uploaded_path(bid, "/D/cache/big.abc").read_bytes() == data
    assert [r.bytes_done for r in reports if r.bytes_done][:3] == [1000, 2000, 3000]
    assert hashes.md5(str(path)) == hashlib.md5(data).hexdigest()
