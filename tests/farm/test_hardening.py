"""The farm under hostile input: one test per finding of the security review (issue 14).

Each asserts what a caller sees: a protocol code naming the field (never a 500, a dropped
connection or a server path), a refused replay, bounded memory and threads.
"""

import collections
import json
import os
import socket
import stat
import threading
import time

import pytest

from renderbus_dcc.constants import TaskStatus

from renderbus_dcc.farm import LocalFarm
from renderbus_dcc.farm.listener import send_now

from .helpers import Raw, maya_task, wait_for

BIG = 2 ** 63


def _http(port, request: bytes, read_timeout: float = 5.0) -> bytes:
    """Send raw bytes; everything the farm answers until it closes or goes quiet."""
    with socket.create_connection(("127.0.0.1", port), timeout=read_timeout) as sock:
        sock.sendall(request)
        out = b""
        try:
            while True:
                data = sock.recv(65536)
                if not data:
                    break
                out += data
        except socket.timeout:
            pass
        return out


def _signed_request(raw: Raw, path: str, fields: dict, extra_headers: str = "", body: bytes = None) -> bytes:
    headers = raw.headers(path, fields)
    data = json.dumps(fields).encode() if body is None else body
    head = "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n" % (path, raw.sign_host)
    head += "".join("%s: %s\r\n" % kv for kv in headers.items()) + extra_headers
    return head.encode("latin-1"), data


# --- one account cannot break the farm ------------------------------------------------------

def test_a_huge_frame_number_is_refused_at_submit_and_harms_nobody(farm, raw, make_raw):
    task_id = raw.prepare(maya_task("99999999999999999999"))
    env = raw.op("submitTask", {"taskId": task_id})
    assert env["code"] == 600 and "frame" in env["message"]
    other = make_raw(**dict(zip(("access_id", "access_key"), farm.add_account())))
    assert other.code("getTaskList", {"pageNum": 1, "pageSize": 10}) == 200
    assert raw.code("deleteTask", {"taskIds": [task_id]}) == 200


def test_a_task_that_cannot_advance_fails_alone(farm, raw, make_raw, tmp_path):
    other = make_raw(**dict(zip(("access_id", "access_key"), farm.add_account())))
    good = other.submit(maya_task("1-3[1]"))
    bad = raw.submit(maya_task("1-3[1]"))
    with farm._db.transaction():  # a task whose plan the farm cannot read (a bug, a damaged row), due to be
        # read at the next call however far the farm has played it (the end of its analysis)
        farm._db.run("UPDATE tasks SET plan = '{not json', status = ?, phase_until = 0, next_event = 0 WHERE id = ?",
                     int(TaskStatus.ANALYSE), bad)
    assert other.code("getTaskList", {"pageNum": 1, "pageSize": 10}) == 200
    wait_for(lambda: other.info(good)["taskStatus"] == 25, what="the other account's task to finish")
    assert raw.info(bad)["taskStatus"] == 45  # FAILED, and only it
    assert raw.code("deleteTask", {"taskIds": [bad]}) == 200


@pytest.mark.parametrize("name, fields, field", [
    ("queryTaskInfo", {"taskIds": [BIG]}, "taskIds"),
    ("submitTask", {"taskId": BIG}, "taskId"),
    ("createTask", {"count": 1, "outUserId": BIG}, "outUserId"),
    ("getTaskList", {"pageNum": BIG, "pageSize": 10}, "pageNum"),
    ("queryTaskFrames", {"taskId": 19000, "pageNum": 2 ** 62, "pageSize": 1000}, "pageNum"),
    ("queryTaskFrames", {"taskId": 19000, "pageNum": str(BIG)}, "pageNum"),
    ("queryTaskInfo", {"taskIds": ["9" * 5000]}, "taskIds"),
])
def test_integers_past_sqlite_are_600_naming_the_field(raw, name, fields, field):
    env = raw.op(name, fields)
    assert env["code"] == 600 and field in env["message"], env


def test_a_huge_start_time_is_600_in_v2(raw2):
    env = raw2.op("getTaskList", {"pageNum": 1, "pageSize": 10, "startTime": BIG})
    assert env["code"] == 600 and "startTime" in env["message"]


# --- replays and nonces ------------------------------------------------------------------------

def test_a_replay_is_refused_after_a_restart(tmp_path):
    farm = LocalFarm(data_dir=tmp_path / "f", seed=1).start()
    try:
        raw = Raw(farm)
        path = raw.profile.path("createTask")
        headers = raw.headers(path, {"count": 1})
        assert raw.post(path, {"count": 1}, headers=headers).json()["code"] == 200
    finally:
        farm.stop()
    farm = LocalFarm(data_dir=tmp_path / "f", seed=1, port=farm.port).start()
    try:
        raw = Raw(farm)
        env = raw.post(path, {"count": 1}, headers=headers).json()
        assert env["code"] == 603 and "replay" in env["message"]
        assert raw.data("createTask", {"count": 1})["taskIdList"] == [19001]  # the replay made no task
    finally:
        farm.stop()


def test_a_refused_operation_is_remembered_and_its_replay_refused_after_a_restart(tmp_path):
    """The request is remembered in the same commit as its operation; an operation that fails rolls
    back alone: its request stays remembered."""
    farm = LocalFarm(data_dir=tmp_path / "f", seed=1).start()
    try:
        raw = Raw(farm)
        raw.data("addLabel", {"newName": "a"})
        path = raw.profile.path("addLabel")
        headers = raw.headers(path, {"newName": "a"})
        first = raw.post(path, {"newName": "a"}, headers=headers).json()
        assert first["code"] == 600 and "already exists" in first["message"]
        assert raw.post(path, {"newName": "a"}, headers=headers).json()["code"] == 603
    finally:
        farm.stop()
    farm = LocalFarm(data_dir=tmp_path / "f", seed=1, port=farm.port).start()
    try:
        raw = Raw(farm)
        env = raw.post(path, {"newName": "a"}, headers=headers).json()
        assert env["code"] == 603 and "replay" in env["message"]
        assert [p["projectName"] for p in raw.data("getLabelList")["projectNameList"]] == ["a"]
    finally:
        farm.stop()


def test_clients_sharing_a_nonce_are_not_refused(raw, make_raw, farm):
    other = make_raw(**dict(zip(("access_id", "access_key"), farm.add_account())))
    path = raw.profile.path("queryUserSetting")
    for number, client in enumerate((raw, other, raw)):  # the same 6-digit nonce, different requests
        fields = {"x": number}
        headers = client.headers(path, fields, nonce="123456")
        assert client.post(path, fields, headers=headers).json()["code"] == 200
    headers = raw.headers(path, {}, nonce="123456")
    assert raw.post(path, {}, headers=headers).json()["code"] == 200
    assert raw.post(path, {}, headers=headers).json()["code"] == 603  # but the same request twice is a replay


# --- memory, threads, framing -----------------------------------------------------------------

def test_a_body_over_the_routes_limit_is_refused_unread(farm, raw):
    head = ("POST /api/render/task/createTask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: %d\r\n\r\n" % (200 * 1024 * 1024)).encode()
    answer = _http(farm.port, head + b"{" * 1000)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    # a valid access id and a wrong key, 2 MB: refused at the headers too
    path = raw.profile.path("createTask")
    head, _ = _signed_request(raw, path, {"count": 1})
    answer = _http(farm.port, head + b"Content-Length: %d\r\n\r\n" % (2 * 1024 * 1024) + b" " * 1000)
    assert answer.startswith(b"HTTP/1.1 413")
    assert raw.code("queryUserProfile") == 200


def test_a_deeply_nested_body_is_600(raw):
    path = raw.profile.path("createTask")
    body = b'{"count": 1, "x": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    headers = raw.headers(path, {"count": 1})
    env = raw.post(path, headers=headers, body=body).json()
    assert env["code"] == 600 and "deep" in env["message"]


@pytest.mark.parametrize("framing", [
    b"Content-Length: abc\r\n",
    b"Content-Length: -5\r\n",
    b"Content-Length: 2\r\nContent-Length: 40\r\n",
    b"Transfer-Encoding: chunked\r\n\r\nzz\r\n",
])
def test_bad_framing_is_400_and_nothing_is_read_as_a_next_request(farm, framing):
    smuggled = b"POST /api/render/task/createTask HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
    request = b"POST /api/render/user/queryUserProfile HTTP/1.1\r\nHost: x\r\n" + framing + b"\r\n" + b"{}" + smuggled
    answer = _http(farm.port, request)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert answer.count(b"HTTP/1.1") == 1  # the rest was not taken for a request


def test_a_chunked_signed_request_works(farm, raw):
    path = raw.profile.path("queryPlatforms")
    head, body = _signed_request(raw, path, {"zone": 1}, "Transfer-Encoding: chunked\r\n")
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    answer = _http(farm.port, head + b"Connection: close\r\n\r\n" + chunked)
    assert answer.startswith(b"HTTP/1.1 200") and b'"code":200' in answer


def test_upload_bodies_held_in_memory_stay_within_the_budget(farm, raw):
    """Upload bodies are held in memory (not copied to a temporary file) only within the farm's
    budget over all connections, signed or not; a body cut short gives its share back."""
    from renderbus_dcc.farm.wsgi import UPLOAD_MEMORY

    budget = farm._listener.budget
    size = 16 * 1024 * 1024
    head = ("POST /api/farm/transfer/upload?bid=10201&path=/a.bin&offset=0&total=%d HTTP/1.1\r\nHost: x\r\n"
            "Content-Length: %d\r\n\r\n" % (size, size)).encode()
    socks = []
    for _ in range(UPLOAD_MEMORY // size + 3):  # three more than the budget holds
        sock = socket.create_connection(("127.0.0.1", farm.port), timeout=10)
        sock.sendall(head + b"x" * 1000)
        socks.append(sock)
    wait_for(lambda: budget.held == UPLOAD_MEMORY, timeout=10)
    assert raw.code("queryUserProfile") == 200  # others are served meanwhile
    for sock in socks:
        sock.close()
    wait_for(lambda: budget.held == 0, timeout=10)
    assert raw.upload("10201", "/b.bin", b"y" * 3000000)["code"] == 200  # held in memory, then given back
    assert farm.uploaded_path("10201", "/b.bin").read_bytes() == b"y" * 3000000
    wait_for(lambda: budget.held == 0, timeout=10)


def test_answers_leave_from_their_worker_in_one_write_without_waking_the_io_thread(farm, monkeypatch):
    """Each answer (header and body) is sent whole, in one write, by the worker that made it; the
    I/O thread never has an answer to write. (Stock waitress buffered it first: with 4 clients its
    I/O thread saw connections writable and turned ~24 times a request, sending nothing.)"""
    channel = farm._listener._server.channel_class
    calls = collections.Counter()
    sent = []
    real_send, real_soon, real_write = channel.send, channel.write_soon, channel.handle_write

    def send(self, data, do_close=True):
        sent.append(bytes(data[:12]))
        return real_send(self, data, do_close)

    def write_soon(self, data):
        calls["write_soon"] += 1
        return real_soon(self, data)

    def handle_write(self):
        calls["handle_write"] += 1
        return real_write(self)

    monkeypatch.setattr(channel, "send", send)
    monkeypatch.setattr(channel, "write_soon", write_soon)
    monkeypatch.setattr(channel, "handle_write", handle_write)
    clients = [Raw(farm) for _ in range(4)]

    def calls_of(client):
        for _ in range(25):
            assert client.code("queryUserSetting") == 200

    pool = [threading.Thread(target=calls_of, args=(c,)) for c in clients]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert len(sent) == 100 and all(s.startswith(b"HTTP/1.1 200") for s in sent)  # one write an answer
    assert calls == {}  # nothing buffered, the I/O thread never asked to write


def test_what_the_socket_does_not_take_now_is_left_to_waitress():
    class Channel:
        connected, total_outbufs_len, last_activity = True, 0, 0.0
        outbuf_lock = threading.Condition()

        def __init__(self, room):
            self.room, self.got = room, b""

        def send(self, data, do_close=True):
            taken = bytes(data[:self.room])
            self.got += taken
            return len(taken)

    whole = Channel(room=1000)
    assert send_now(whole, b"x" * 100) == b"" and whole.got == b"x" * 100 and whole.last_activity > 0
    full = Channel(room=30)
    assert send_now(full, b"h" * 10 + b"b" * 90) == b"b" * 70 and full.got == b"h" * 10 + b"b" * 20
    waiting = Channel(room=1000)
    waiting.total_outbufs_len = 5  # bytes before it are still to be sent: in order, after them
    assert send_now(waiting, b"abc") == b"abc" and waiting.got == b""
    gone = Channel(room=1000)
    gone.connected = False
    assert send_now(gone, b"abc") == b"abc"


def test_slow_clients_hold_no_threads_and_are_cut_off(tmp_path):
    class QuickFarm(LocalFarm):
        idle_timeout = 1

    with QuickFarm(data_dir=tmp_path / "q", seed=1) as farm:
        before = threading.active_count()
        socks = []
        for _ in range(60):
            sock = socket.create_connection(("127.0.0.1", farm.port), timeout=10)
            sock.sendall(b"POST /api/render/task/createTask HTTP/1.1\r\nHost: x\r\n")
            socks.append(sock)
        time.sleep(0.5)
        assert threading.active_count() <= before + 1  # no thread per connection
        assert Raw(farm).code("queryUserProfile") == 200  # others are served meanwhile
        socks[0].settimeout(15)
        assert socks[0].recv(100) == b""  # the farm closed the idle connection
        for sock in socks:
            sock.close()


# --- secrets at rest, on screen and in process lists ---------------------------------------------

@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_the_data_folder_and_database_are_owner_only(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    with LocalFarm(data_dir=folder) as farm:
        Raw(farm).data("createTask", {"count": 1})
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        for name in ("farm.sqlite3", "farm.sqlite3-wal", "farm.lock"):
            assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600, name


def test_two_farms_cannot_share_a_data_folder(tmp_path):
    from renderbus_dcc.farm.datadir import FarmBusy

    with LocalFarm(data_dir=tmp_path / "one"):
        with pytest.raises(FarmBusy) as caught:
            LocalFarm(data_dir=tmp_path / "one").start()
        assert "another local farm" in str(caught.value) and "--data" in caught.value.hint
    with LocalFarm(data_dir=tmp_path / "one"):  # free again once the first stopped
        pass


# --- progress pictures need proof of the account ---------------------------------------------------

def test_progress_pictures_need_their_signed_unexpired_url(clocked_farm, craw, clock):
    import requests

    task_id = craw.submit(maya_task("1-2[1]"))
    clock.advance(10)
    image = wait_for(lambda: craw.data("loadTaskProcessImg", {"taskId": task_id})["grabInfo"], what="a grab")
    url = image[0][0]["grabUrl"]
    assert "?t=" in url and "&s=" in url
    assert requests.get(url, timeout=5).content.startswith(b"\x89PNG")
    bare = url.split("?")[0]
    assert requests.get(bare, timeout=5).status_code == 404
    assert requests.get(url[:-3] + "AAA", timeout=5).status_code == 404
    frame, rest = bare.rsplit("/", 2)[1:]
    assert requests.get(url.replace("/%s/%s" % (frame, rest), "/%d/%s" % (int(frame) + 1, rest)),
                        timeout=5).status_code == 404  # another frame's id with this token
    clock.advance(3601)
    assert requests.get(url, timeout=5).status_code == 404  # expired


# --- bad paths and bids are 600, with no server path in the message -------------------------------------

def test_bad_server_paths_and_bids_are_600_without_server_paths(farm, raw):
    secret = str(farm.data_dir)
    cases = [
        ("30201", "/D/" + "x" * 300 + "/a.txt"),
        ("9" * 200, "/D/a.txt"),
        ("30201", "/D/" + "/".join(["dd"] * 900)),
    ]
    for bid, path in cases:
        env = raw.upload(bid, path, b"abc")
        assert env["code"] == 600, env
        assert secret not in env["message"]
    assert raw.upload("10201", "/D/proj/file", b"abc")["code"] == 200
    for path in ("/D/proj/file/inside.txt", "/D/proj"):  # a file where a folder is, and the reverse
        env = raw.upload("10201", path, b"abc")
        assert env["code"] == 600 and secret not in env["message"], env
    env = raw.transfer("status", {"bid": "10201", "paths": ["/D/" + "y" * 400]}).json()
    assert env["code"] == 600 and secret not in env["message"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
def test_after_kill_9_the_folder_is_free_and_a_replay_still_refused(tmp_path):
    import signal
    import subprocess
    import sys
    from types import SimpleNamespace

    env = dict(os.environ, RENDERBUS_FARM_ACCESS_ID="AKIDkilled", RENDERBUS_FARM_ACCESS_KEY="killed-farm-key")
    proc = subprocess.Popen([sys.executable, "-m", "renderbus_dcc", "farm", "serve", "--port", "0", "--data",
                             str(tmp_path / "d")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        port = None
        for line in proc.stdout:
            if "listening on http://127.0.0.1:" in line:
                port = int(line.split("127.0.0.1:")[1].split()[0])
                break
        running = SimpleNamespace(access_id="AKIDkilled", access_key="killed-farm-key", port=port,
                                  url="http://127.0.0.1:%d" % port)
        raw = Raw(running)
        path = raw.profile.path("createTask")
        headers = raw.headers(path, {"count": 1})
        assert raw.post(path, {"count": 1}, headers=headers).json()["code"] == 200
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=20)
    with LocalFarm(data_dir=tmp_path / "d", port=port) as farm:  # no stale lock
        raw = Raw(farm)
        assert raw.post(path, {"count": 1}, headers=headers).json()["code"] == 603
        assert raw.data("createTask", {"count": 1})["taskIdList"] == [19001]
