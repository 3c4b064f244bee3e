"""Download against upload on loopback (files/s, MB/s, the same files both ways), and the requests a
downloaded frame costs (the demo task's 48 frames, listing included).

The farm runs in this process (as in `renderbus demo`), so both sides share the CPU.

    python benchmarks/bench_download.py [--files 500] [--size-kb 64] [--big-mb 64]
"""

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--size-kb", type=int, default=64)
    parser.add_argument("--big-mb", type=int, default=64)
    args = parser.parse_args()

    from renderbus_dcc.downloads import download_task
    from renderbus_dcc.examples import example_scene
    from renderbus_dcc.farm import LocalFarm
    from renderbus_dcc.submission import SubmitOptions, submit
    from renderbus_dcc.transfer.download import LocalFarmDownload, RemoteFile
    from renderbus_dcc.transfer.localfarm import LocalFarmTransfer

    os.environ.setdefault("RENDERBUS_DATA_DIR", tempfile.mkdtemp(prefix="bench-data-"))
    with tempfile.TemporaryDirectory() as tmp:
        items = []
        for i in range(args.files):
            path = os.path.join(tmp, "up", "f%05d.exr" % i)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(os.urandom(args.size_kb * 1024))
            items.append((path, "/bench/f%05d.exr" % i, args.size_kb * 1024))
        big = os.path.join(tmp, "big.exr")
        with open(big, "wb") as fh:
            for _ in range(args.big_mb):
                fh.write(os.urandom(1 << 20))
        with LocalFarm(data_dir=os.path.join(tmp, "farm"), speed=2000, seed=1) as farm:
            client = farm.client()
            bid = client.get_transfer_bid().input_bid
            rows = []
            for label, files in (("%d files of %d KB" % (args.files, args.size_kb), items),
                                 ("one file of %d MB" % args.big_mb, [(big, "/bench/big.exr", args.big_mb << 20)])):
                up = LocalFarmTransfer(client)
                start = time.perf_counter()
                up.upload(files, bid)
                t_up = time.perf_counter() - start
                down = LocalFarmDownload(client)
                wanted = [RemoteFile(server, os.path.join(tmp, "down", server.strip("/")), size)
                          for _, server, size in files]
                start = time.perf_counter()
                result = down.download(wanted, bid)
                t_down = time.perf_counter() - start
                mb = sum(s for _, _, s in files) / float(1 << 20)
                rows.append((label, t_up, t_down, mb, len(files), up.requests, result.requests))
            result = submit(example_scene(), client, SubmitOptions(label="bench"), confirm=lambda r: True,
                            journal_dir=os.path.join(tmp, "journal"))
            while not client.query_task_info([result.task_id]).items[0].is_terminal:
                time.sleep(0.05)
            start = time.perf_counter()
            first = download_task(client, result.task_id, os.path.join(tmp, "frames"))
            t_frames = time.perf_counter() - start
            start = time.perf_counter()
            second = download_task(client, result.task_id, os.path.join(tmp, "frames"))
            t_again = time.perf_counter() - start
            live = farm.client(profile="v2")  # the live service's listing: a request a folder
            start = time.perf_counter()
            walked = download_task(live, result.task_id, os.path.join(tmp, "frames-v2"))
            t_walked = time.perf_counter() - start
            live.close()
            client.close()
    print("load: %s" % " ".join("%.2f" % x for x in os.getloadavg()))
    for label, t_up, t_down, mb, count, req_up, req_down in rows:
        print("%s: upload %.2f s (%.0f files/s, %.1f MB/s, %d requests); download %.2f s (%.0f files/s, %.1f MB/s, "
              "%d requests)" % (label, t_up, count / t_up, mb / t_up, req_up, t_down, count / t_down, mb / t_down,
                                req_down))
    print("the demo task's %d frames (%.1f KB), profile v1 (the farm's listing): %.2f s, %d requests, %.2f requests a "
          "frame" % (first.files, first.bytes / 1024.0, t_frames, first.requests, first.requests / float(first.files)))
    print("the same, profile v2 (getOutputUserDirFile, a request a folder): %.2f s, %d requests, %.2f requests a frame"
          % (t_walked, walked.requests, walked.requests / float(walked.files)))
    print("again (all there, nothing moved): %.2f s, %d requests (the listing)" % (t_again, second.requests))


if __name__ == "__main__":
    main()
