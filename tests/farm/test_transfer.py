"""The farm's upload and download routes, and submitTask's check that everything arrived."""

import hashlib
import json

from .helpers import Raw, maya_task


def test_upload_resumes_from_the_bytes_held(raw, farm):
    content = bytes(range(256)) * 40  # 10240 bytes
    md5 = hashlib.md5(content).hexdigest()
    path = "/D/tex/wood.jpg"
    first = raw.upload_chunk("10201", path, content[:4000], 0, len(content), md5)
    assert first["code"] == 200 and first["data"] == {"size": 4000, "complete": 0}
    status = raw.transfer("status", {"bid": "10201", "paths": [path, "/D/tex/none.jpg"]}).json()["data"]
    assert status == {"files": [{"path": path, "size": 4000, "complete": 0, "partial": 4000,
                                 "partial_md5": hashlib.md5(content[:4000]).hexdigest()},
                                {"path": "/D/tex/none.jpg", "size": 0, "complete": 0}]}
    wrong = raw.upload_chunk("10201", path, content[6000:], 6000, len(content), md5)
    assert wrong["code"] == 600 and wrong["data"] == {"size": 4000} and "resume from 4000" in wrong["message"]
    last = raw.upload("10201", path, content, offset=4000, chunk=3000)
    assert last["code"] == 200 and last["data"] == {"size": len(content), "complete": 1}
    assert farm.uploaded_path("10201", path).read_bytes() == content
    status = raw.transfer("status", {"bid": "10201", "paths": [path]}).json()["data"]["files"][0]
    # a complete file's md5 is told, so a client can see an edit that kept the size
    assert status == {"path": path, "size": len(content), "complete": 1, "md5": md5}
    got = raw.transfer("download", {"bid": "10201", "path": path})
    assert got.status_code == 200 and got.content == content
    # a new version being uploaded over it is told beside the complete one, so it resumes
    raw.upload_chunk("10201", path, b"new!" * 500, 0, len(content), md5)
    status = raw.transfer("status", {"bid": "10201", "paths": [path]}).json()["data"]["files"][0]
    assert status == {"path": path, "size": len(content), "complete": 1, "md5": md5, "partial": 2000,
                      "partial_md5": hashlib.md5(b"new!" * 500).hexdigest()}


def test_an_md5_mismatch_drops_the_file(raw, farm):
    content = b"a texture" * 100
    env = raw.upload("10201", "/D/tex/bad.png", content, chunk=300, md5="0" * 32)
    assert env["code"] == 600 and "md5 mismatch" in env["message"]
    status = raw.transfer("status", {"bid": "10201", "paths": ["/D/tex/bad.png"]}).json()["data"]["files"][0]
    assert status["size"] == 0 and status["complete"] == 0
    assert not farm.uploaded_path("10201", "/D/tex/bad.png").exists()


def test_empty_files_odd_paths_and_signatures(raw):
    assert raw.upload("10201", "/D/empty.txt", b"")["data"] == {"size": 0, "complete": 1}
    assert raw.upload("10201", "/D/../../etc/passwd", b"x")["code"] == 600
    assert raw.upload("abc", "/D/x.txt", b"x")["code"] == 600
    fields = {"bid": "10201", "path": "/D/x.txt", "offset": "0", "total": "1", "md5": hashlib.md5(b"x").hexdigest()}
    headers = raw.headers("/api/farm/transfer/upload", fields)
    env = raw.post("/api/farm/transfer/upload", {}, headers=headers, body=b"x",
                   params={**fields, "total": "2"}).json()  # a query field changed after signing
    assert env["code"] == 611
    missing = raw.transfer("download", {"bid": "10201", "path": "/D/none.txt"})
    assert missing.json()["code"] == 404
    assert raw.transfer("status", {"bid": "10201"}).json()["code"] == 601


def test_files_are_kept_per_account(farm, raw, make_raw):
    raw.upload("10201", "/D/mine.txt", b"mine")
    other = make_raw(**dict(zip(("access_id", "access_key"), farm.add_account())))
    status = other.transfer("status", {"bid": "10201", "paths": ["/D/mine.txt"]}).json()["data"]["files"][0]
    assert status["complete"] == 0
    assert other.transfer("download", {"bid": "10201", "path": "/D/mine.txt"}).json()["code"] == 404


def test_submit_is_refused_until_everything_is_uploaded(clocked_farm):
    raw = Raw(clocked_farm)
    task_id = raw.data("createTask", {"count": 1})["taskIdList"][0]
    env = raw.op("submitTask", {"taskId": task_id})
    assert env["code"] == 600
    assert "/%d/cfg/task.json" % task_id in env["message"] and "/%d/cfg/upload.json" % task_id in env["message"]
    task = json.dumps(maya_task()).replace("{TASK_ID}", str(task_id)).encode()
    upload = {"scene": [{"local": "D:/proj/scene.ma", "server": "/D/proj/scene.ma", "hash": ""}],
              "asset": [{"local": "D:/tex/a.jpg", "server": "/D/tex/a.jpg"}]}
    raw.upload("30201", "/%d/cfg/task.json" % task_id, task)
    raw.upload("30201", "/%d/cfg/upload.json" % task_id, json.dumps(upload).encode())
    raw.upload("10201", "/D/proj/scene.ma", b"scene")
    raw.upload_chunk("10201", "/D/tex/a.jpg", b"half", 0, 8, "")  # half of it
    env = raw.op("submitTask", {"taskId": task_id})
    assert env["code"] == 600 and "/D/tex/a.jpg" in env["message"] and "scene.ma" not in env["message"]
    assert env["data"] == {"missing": ["/D/tex/a.jpg"]}
    assert raw.data("getTaskList", {"pageNum": 1, "pageSize": 5})["total"] == 0
    raw.upload("10201", "/D/tex/a.jpg", b"halfhalf")
    assert raw.code("submitTask", {"taskId": task_id}) == 200
    again = raw.op("submitTask", {"taskId": task_id})
    assert again["code"] == 600 and "already submitted" in again["message"]
    assert raw.code("submitTask", {"taskId": 5}) == 404
    assert raw.code("submitTask", {}) == 601


def test_a_broken_task_json_is_refused_with_what_is_wrong(craw):
    bad_frames = craw.prepare(maya_task(frames="1-x"))
    env = craw.op("submitTask", {"taskId": bad_frames})
    assert env["code"] == 600 and "1-x" in env["message"]
    no_layers = maya_task()
    no_layers["scene_info_render"]["defaultRenderLayer"]["renderable"] = "0"
    env = craw.op("submitTask", {"taskId": craw.prepare(no_layers)})
    assert env["code"] == 600 and "renderable" in env["message"]


def _batch(raw, files, blocks, fields=None):
    fields = fields or {"bid": "10201", "files": files}
    path = "/api/farm/transfer/upload_batch"
    body = json.dumps(fields).encode() + b"\n" + b"".join(blocks)
    return raw.post(path, fields, headers=raw.headers(path, fields), body=body).json()


def test_a_batch_of_small_files_lands_file_by_file(raw, farm):
    blocks = [b"a" * 10, b"", "木纹".encode() * 3, b"d" * 7]
    files = [{"path": "/D/b/%d.png" % i, "size": len(b), "md5": hashlib.md5(b).hexdigest()} for i, b in enumerate(blocks)]
    files[3]["md5"] = hashlib.md5(b"other").hexdigest()  # this one arrives damaged
    env = _batch(raw, files, blocks)
    assert env["code"] == 200
    done = env["data"]["files"]
    assert [f["complete"] for f in done] == [1, 1, 1, 0] and "md5 mismatch" in done[3]["error"]
    for i in range(3):
        assert farm.uploaded_path("10201", "/D/b/%d.png" % i).read_bytes() == blocks[i]
    status = raw.transfer("status", {"bid": "10201", "paths": [f["path"] for f in files]}).json()["data"]["files"]
    assert [s["complete"] for s in status] == [1, 1, 1, 0] and status[0]["md5"] == files[0]["md5"]


def test_a_batch_that_does_not_add_up_is_refused_whole(raw, farm):
    blocks = [b"a" * 10, b"b" * 10]
    files = [{"path": "/D/c/%d.png" % i, "size": 10, "md5": hashlib.md5(b).hexdigest()} for i, b in enumerate(blocks)]
    short = _batch(raw, files, blocks[:1])
    assert short["code"] == 600 and "add up to 20 bytes" in short["message"]
    bad_path = _batch(raw, [dict(files[0], path="/D/../etc/x")] + files[1:], blocks)
    assert bad_path["code"] == 600
    forged = {"bid": "10201", "files": files}
    path = "/api/farm/transfer/upload_batch"
    headers = raw.headers(path, {"bid": "10201", "files": files[:1]})  # signed for other fields
    env = raw.post(path, forged, headers=headers, body=json.dumps(forged).encode() + b"\n" + b"".join(blocks)).json()
    assert env["code"] == 611
    assert not farm.uploaded_path("10201", "/D/c/0.png").exists()


def test_status_and_the_submit_check_stat_each_file_once_at_most(tmp_path, monkeypatch):
    """A resubmission asks about 20,000 held files twice (status, then submitTask's check): the
    status stats each path once (the partial area is looked at by folder: one with no file has
    no upload that stopped), the check lists a folder asked for several files instead."""
    import renderbus_dcc.farm.transfer as transfer
    from renderbus_dcc.farm import disk

    contents = {"/D/tex/%s/a%d.png" % (folder, i): b"%s%d" % (folder.encode(), i) * 30
                for folder in ("x", "y") for i in range(5)}
    contents["/D/one/b.png"] = b"alone"
    files = [{"path": p, "size": len(c), "md5": hashlib.md5(c).hexdigest()} for p, c in contents.items()]
    storage = transfer.Storage(tmp_path)
    storage.upload_batch(10201, "1000", files, b"".join(contents.values()))
    paths = list(contents)
    stats = []
    real = disk.regular
    monkeypatch.setattr(disk, "regular", lambda path: stats.append(path) or real(path))

    status = storage.status(10201, "1000", paths)["files"]
    assert status == [{"path": f["path"], "size": f["size"], "complete": 1, "md5": f["md5"]} for f in files]
    assert stats == [str(storage.path(10201, "1000", p)) for p in paths]  # once each, no partial looked at

    # an upload that stopped in folder y: its paths look for a partial file too, and it is told
    storage.upload(10201, "1000", "/D/tex/y/new.png", 0, 100, None, b"n" * 40)
    stats.clear()
    status = storage.status(10201, "1000", paths + ["/D/tex/y/new.png"])["files"]
    assert status[-1] == {"path": "/D/tex/y/new.png", "size": 40, "complete": 0, "partial": 40,
                          "partial_md5": hashlib.md5(b"n" * 40).hexdigest()}
    looked = [s for s in stats if s.startswith(str(tmp_path / "partial"))]
    assert looked == [str(storage._partial(10201, "1000", p)) for p in paths[5:10] + ["/D/tex/y/new.png"]]
    assert len(stats) == len(paths) + 1 + len(looked)

    # submitTask's check: exactly the files not held (a folder where a file should be is not one)
    storage.path(10201, "1000", "/D/tex/x/dir.png").mkdir()
    stats.clear()
    asked = paths + ["/D/tex/x/none.png", "/D/tex//x/./a0.png", "/D/none/c.png", "/D/tex/x/dir.png"]
    assert storage.missing(10201, "1000", asked) == ["/D/tex/x/none.png", "/D/none/c.png", "/D/tex/x/dir.png"]
    # stat-ed: the file alone in its folder, and the names the listings did not show as files
    assert stats == [str(storage.path(10201, "1000", p))
                     for p in ("/D/one/b.png", "/D/tex/x/none.png", "/D/none/c.png", "/D/tex/x/dir.png")]


def test_md5s_are_logged_one_line_a_file_and_read_back_after_a_restart(tmp_path, monkeypatch):
    """A batch's files cost one file creation each (the md5s go to one log, one write a batch);
    a restarted farm reports them from the log without reading a file; a torn last line or an
    older data folder's md5 note still gives the right md5."""
    import renderbus_dcc.farm.transfer as transfer

    contents = {"/D/tex/a%d.png" % i: b"%d" % i * 50 for i in range(5)}
    files = [{"path": p, "size": len(c), "md5": hashlib.md5(c).hexdigest()} for p, c in contents.items()]
    storage = transfer.Storage(tmp_path)
    answer = storage.upload_batch(10201, "1000", files, b"".join(contents.values()))
    assert [f["complete"] for f in answer["files"]] == [1] * 5
    assert not (tmp_path / "md5").exists()  # no note per file
    log = tmp_path / "md5log" / "10201" / "1000.log"
    assert len(log.read_text(encoding="utf-8").splitlines()) == 5

    read = []
    real = transfer.md5_file
    monkeypatch.setattr(transfer, "md5_file", lambda path: read.append(path) or real(path))
    restarted = transfer.Storage(tmp_path)
    status = restarted.status(10201, "1000", list(contents))["files"]
    assert [s["md5"] for s in status] == [f["md5"] for f in files] and read == []

    with open(log, "ab") as fh:
        fh.write(b"0123456789abcdef0123456789abcdef\t3\t")  # a crash in the middle of a line
    lines = log.read_text(encoding="utf-8").splitlines()
    log.write_text("\n".join(lines[1:]) + "\n" + lines[-1][:20], encoding="utf-8")  # a0's line lost, a torn one
    note = tmp_path / "md5" / "10201" / "1000" / "D" / "tex" / "a1.png"
    note.parent.mkdir(parents=True)
    note.write_text("not an md5", encoding="ascii")  # a damaged note of an older data folder: not believed
    again = transfer.Storage(tmp_path)
    status = again.status(10201, "1000", list(contents))["files"]
    assert [s["md5"] for s in status] == [f["md5"] for f in files]
    assert [p.rsplit("/", 1)[1] for p in read] == ["a0.png"]  # the one not logged is read (and logged) once
    assert again.status(10201, "1000", ["/D/tex/a0.png"])["files"][0]["md5"] == files[0]["md5"]
    assert transfer.Storage(tmp_path).md5(10201, "1000", "/D/tex/a0.png") == files[0]["md5"] and len(read) == 1


def _batch_of(contents):
    return ([{"path": p, "size": len(c), "md5": hashlib.md5(c).hexdigest()} for p, c in contents.items()],
            b"".join(contents.values()))


def test_a_batch_creates_new_files_in_place_and_replaces_held_ones_whole(tmp_path):
    """A new file is created where it belongs (no partial file, no rename); a file that replaces a
    complete one goes through a partial file (the complete one stays until the new one is); a path
    under a file is refused alone; a path twice in a batch ends as its second copy."""
    import renderbus_dcc.farm.transfer as transfer

    storage = transfer.Storage(tmp_path)
    files, data = _batch_of({"/D/a.png": b"old a", "/D/b.png": b"b"})
    assert [f["complete"] for f in storage.upload_batch(10201, "1000", files, data)["files"]] == [1, 1]
    assert not (tmp_path / "partial").exists() and not (tmp_path / "md5log" / "creating.json").exists()
    files, data = _batch_of({"/D/a.png": b"new a", "/D/b.png/x.png": b"x", "/D/c.png": b"c1"})
    files.append({"path": "/D/c.png", "size": 2, "md5": hashlib.md5(b"c2").hexdigest()})
    done = storage.upload_batch(10201, "1000", files, data + b"c2")["files"]
    assert [f["complete"] for f in done] == [1, 0, 1, 1] and "cannot be stored" in done[1]["error"]
    assert storage.read(10201, "1000", "/D/a.png") == b"new a" and storage.read(10201, "1000", "/D/c.png") == b"c2"
    assert list((tmp_path / "partial").rglob("*.png")) == []
    status = transfer.Storage(tmp_path).status(10201, "1000", ["/D/a.png", "/D/c.png"])["files"]
    assert [s["md5"] for s in status] == [hashlib.md5(b"new a").hexdigest(), hashlib.md5(b"c2").hexdigest()]


_CRASH = """
import os, sys
import renderbus_dcc.farm.transfer as transfer
from renderbus_dcc.farm.transfer import Storage
where, files, data, at = sys.argv[1], eval(sys.argv[2]), eval(sys.argv[3]), int(sys.argv[4])
calls = []
real_write, real_replace = os.write, os.replace
def write(fd, block):  # the farm killed in the middle of the at-th file it creates in place
    calls.append(1)
    if len(calls) == at:
        real_write(fd, bytes(block[:len(block) // 2]))
        os._exit(9)
    return real_write(fd, block)
def replace(src, dst):  # ... or just before it renames a replacing file into place
    os._exit(9)
transfer.os.write, transfer.os.replace = write, replace
Storage(where).upload_batch(10201, "1000", files, data)
"""


def _crash(tmp_path, contents, at):
    import subprocess
    import sys

    files, data = _batch_of(contents)
    done = subprocess.run([sys.executable, "-c", _CRASH, str(tmp_path), repr(files),
                           repr(data), str(at)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 9, done.stderr


def test_a_file_half_created_when_the_farm_stopped_is_removed_at_its_next_start(tmp_path):
    """The farm killed while it writes the third new file of a batch: that file is in its place, cut
    short, and named in the intent file; the farm's next start removes it (status and submitTask's
    check then see it missing, and the client sends it again); the two written whole stay. A
    crash before a replacing file is renamed leaves the complete one as it was."""
    import renderbus_dcc.farm.transfer as transfer

    contents = {"/D/t/%d.png" % i: b"%d" % i * 4000 for i in range(4)}
    _crash(tmp_path, contents, at=3)
    torn = tmp_path / "storage" / "10201" / "1000" / "D" / "t" / "2.png"
    assert torn.stat().st_size == 2000 and (tmp_path / "md5log" / "creating.json").exists()
    storage = transfer.Storage(tmp_path)
    assert storage.recover() == ["/D/t/2.png"]
    assert not torn.exists() and not (tmp_path / "md5log" / "creating.json").exists()
    assert storage.missing(10201, "1000", list(contents)) == ["/D/t/2.png", "/D/t/3.png"]
    status = storage.status(10201, "1000", list(contents))["files"]
    assert [s["complete"] for s in status] == [1, 1, 0, 0]
    assert [s["md5"] for s in status[:2]] == [hashlib.md5(contents["/D/t/%d.png" % i]).hexdigest() for i in (0, 1)]
    assert storage.recover() == []  # nothing left to do

    files, data = _batch_of(contents)  # the client sends what is missing again (the whole batch here)
    assert [f["complete"] for f in storage.upload_batch(10201, "1000", files, data)["files"]] == [1] * 4
    _crash(tmp_path, {"/D/t/9.png": b"new", "/D/t/0.png": b"a new version"}, at=99)
    assert transfer.Storage(tmp_path).recover() == []
    assert storage.read(10201, "1000", "/D/t/0.png") == contents["/D/t/0.png"]
    assert storage.read(10201, "1000", "/D/t/9.png") == b"new"  # created whole before the crash


def test_a_batch_of_new_files_in_several_folders_is_created_by_two_threads_in_the_batchs_order(tmp_path, monkeypatch):
    """File creation is the kernel's work and folders do not wait for each other: a batch's new
    files in several folders are created by two threads, each its own folders; the outcomes, the
    md5 log and a path sent twice (its second copy wins) are as if one thread had done it."""
    import threading

    import renderbus_dcc.farm.transfer as transfer

    storage = transfer.Storage(tmp_path)
    storage.upload_batch(10201, "1000", *_batch_of({"/D/held.png": b"held"}))
    contents = {"/D/f%d/t%02d.png" % (i % 4, i): b"texture %d" % i for i in range(40)}
    contents["/D/held.png/under.png"] = b"under a file"
    files, data = _batch_of(contents)
    files.append({"path": "/D/f1/t01.png", "size": 5, "md5": hashlib.md5(b"again").hexdigest()})
    creators = {}
    real = transfer.Storage._create

    def create(self, final, *args):
        creators[final] = threading.current_thread().name
        return real(self, final, *args)

    monkeypatch.setattr(transfer.Storage, "_create", create)
    done = storage.upload_batch(10201, "1000", files, data + b"again")["files"]
    assert [f["path"] for f in done] == [f["path"] for f in files]
    assert [f["complete"] for f in done] == [1] * 40 + [0, 1] and "cannot be stored" in done[40]["error"]
    assert len(creators) == 41 and len(set(creators.values())) == 2  # (the one under a file tried too)
    by_folder = {}
    for final, thread in creators.items():
        by_folder.setdefault(final.rsplit("/", 2)[-2], set()).add(thread)
    assert all(len(threads) == 1 for threads in by_folder.values())  # a folder is one thread's
    restarted = transfer.Storage(tmp_path)
    for path, content in contents.items():
        if path != "/D/held.png/under.png":
            want = b"again" if path == "/D/f1/t01.png" else content
            assert restarted.read(10201, "1000", path) == want
            assert restarted.status(10201, "1000", [path])["files"][0]["md5"] == hashlib.md5(want).hexdigest()
    assert not (tmp_path / "md5log" / "creating.json").exists()


def test_a_file_being_created_in_place_is_not_held_until_its_batch_has_logged_it(tmp_path, monkeypatch):
    """status and submitTask's check (which take no lock) never take a file the batch is still
    writing for a complete one: a task could otherwise be submitted and render it cut short."""
    import renderbus_dcc.farm.transfer as transfer

    storage = transfer.Storage(tmp_path)
    seen = []
    real = transfer.Storage._create

    def create(self, final, server_path, *args):
        line = real(self, final, server_path, *args)  # written whole, its md5 not yet logged
        seen.append((server_path, storage.status(10201, "1000", [server_path])["files"][0]["complete"],
                     storage.missing(10201, "1000", [server_path, "/D/a.png", "/D/b.png"])))
        return line

    monkeypatch.setattr(transfer.Storage, "_create", create)
    storage.upload_batch(10201, "1000", *_batch_of({"/D/a.png": b"a", "/D/b.png": b"b"}))
    assert seen == [("/D/a.png", 0, ["/D/a.png", "/D/a.png", "/D/b.png"]),
                    ("/D/b.png", 0, ["/D/b.png", "/D/a.png", "/D/b.png"])]
    assert storage.missing(10201, "1000", ["/D/a.png", "/D/b.png"]) == []
    assert [f["complete"] for f in storage.status(10201, "1000", ["/D/a.png", "/D/b.png"])["files"]] == [1, 1]
