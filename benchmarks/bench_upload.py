"""Upload speed to the local farm: many small textures (files/s) and one large file (MB/s),
against a bare socket copy of the same large file measured in the same run.

The farm runs in a process of its own (as `renderbus farm serve`: a real farm is another
machine; the two processes share this machine's CPU). The bare copy is a thread that reads the
file and ``sendall``s it over loopback to a thread that writes it to disk: no HTTP, no signing,
no integrity check. The small files' floor is this disk creating the same number of files
alone, two ways: written then renamed into place, and created in place.

    python benchmarks/bench_upload.py [--files 5000] [--size-kb 8] [--big-mb 1024]
"""

import argparse
import os
import socket
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

_BLOCK = 1 << 20


def bare_copy(path: str, dest: str) -> float:
    """Seconds to copy ``path`` to ``dest`` through a loopback TCP socket (read, send, receive, write)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    done = threading.Event()

    def receive() -> None:
        conn, _ = server.accept()
        with conn, open(dest, "wb") as out:
            buf = bytearray(_BLOCK * 4)
            view = memoryview(buf)
            while True:
                n = conn.recv_into(view)
                if not n:
                    break
                out.write(view[:n])
        done.set()

    thread = threading.Thread(target=receive)
    thread.start()
    start = time.perf_counter()
    with socket.create_connection(server.getsockname()) as client, open(path, "rb") as fh:
        while True:
            block = fh.read(_BLOCK * 4)
            if not block:
                break
            client.sendall(block)
    done.wait()
    elapsed = time.perf_counter() - start
    thread.join()
    server.close()
    os.unlink(dest)
    return elapsed


def bare_files(tmp: str, count: int, size: int, rename: bool) -> float:
    """Seconds to create ``count`` files of ``size`` bytes on the disk the farm writes to, each
    written then renamed into place (``rename``) or created in place: the floor of any upload of
    that many files (no HTTP, no md5)."""
    data = os.urandom(size)
    how = "rename" if rename else "direct"
    partial, final = os.path.join(tmp, "bare-partial-" + how), os.path.join(tmp, "bare-files-" + how)
    for folder in (partial, final):
        os.makedirs(folder)
    start = time.perf_counter()
    for i in range(count):
        name = str(i)
        fd = os.open(os.path.join(partial if rename else final, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        if rename:
            os.replace(os.path.join(partial, name), os.path.join(final, name))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--size-kb", type=int, default=8)
    parser.add_argument("--big-mb", type=int, default=1024)
    args = parser.parse_args()

    from farm_process import farm_process, signed_client
    from renderbus_dcc.hashing import HashCache
    from renderbus_dcc.transfer.localfarm import LocalFarmTransfer

    print("load average at start: %s" % " ".join("%.2f" % x for x in os.getloadavg()))
    with tempfile.TemporaryDirectory() as tmp:
        items = []
        for i in range(args.files):
            path = os.path.join(tmp, "tex", "d%02d" % (i % 50), "t%05d.png" % i)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(os.urandom(args.size_kb * 1024))
            items.append((path, "/bench/tex/d%02d/t%05d.png" % (i % 50, i), args.size_kb * 1024))
        big = os.path.join(tmp, "big.abc")
        with open(big, "wb") as fh:
            for _ in range(args.big_mb):
                fh.write(os.urandom(1 << 20))
        if hasattr(os, "sync"):
            os.sync()  # the set-up's gigabyte is not written back to disk while the small files are timed
        hashes = HashCache(os.path.join(tmp, "md5-cache.json"))
        with farm_process(os.path.join(tmp, "farm"), 1.0) as (url, access_id, access_key, _pid):
            client = signed_client((url, access_id, access_key))
            bid = client.get_transfer_bid().input_bid
            transfer = LocalFarmTransfer(client, hashes=hashes)
            start = time.perf_counter()
            transfer.upload(items, bid)
            small = time.perf_counter() - start
            small_requests = transfer.requests
            files_renamed = bare_files(tmp, args.files, args.size_kb * 1024, rename=True)
            files_direct = bare_files(tmp, args.files, args.size_kb * 1024, rename=False)
            again = LocalFarmTransfer(client, hashes=hashes)
            start = time.perf_counter()
            again.upload(items, bid)
            skip = time.perf_counter() - start
            bare = bare_copy(big, os.path.join(tmp, "bare.copy"))
            large_transfer = LocalFarmTransfer(client, hashes=hashes)
            start = time.perf_counter()
            large_transfer.upload([(big, "/bench/big.abc", args.big_mb << 20)], bid)
            large = time.perf_counter() - start
            bare_after = bare_copy(big, os.path.join(tmp, "bare.copy"))
            client.close()
    print("%d files of %d KB, first upload: %.2f s, %.0f files/s (%d requests)" % (
        args.files, args.size_kb, small, args.files / small, small_requests))
    print("  the same number of files on this disk alone, no HTTP: written and renamed %.2f s, %.0f files/s; "
          "created in place %.2f s, %.0f files/s" % (files_renamed, args.files / files_renamed, files_direct,
                                                      args.files / files_direct))
    print("the same files again (all held, skipped): %.2f s, %d requests" % (skip, again.requests))
    bare_best = min(bare, bare_after)
    print("one file of %d MB: %.2f s, %.0f MB/s (%d requests); bare socket copy of it: %.2f s, %.0f MB/s "
          "(best of before and after); upload / bare = %.0f %%" % (
              args.big_mb, large, args.big_mb / large, large_transfer.requests, bare_best, args.big_mb / bare_best,
              100.0 * bare_best / large))
    print("load average at end: %s" % " ".join("%.2f" % x for x in os.getloadavg()))


if __name__ == "__main__":
    main()
