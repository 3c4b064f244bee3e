"""Upload speed to the local farm: many small textures (files/s) and one large file (MB/s).

The farm runs in this process (as in `renderbus demo`), so both sides share the CPU.

    python benchmarks/bench_upload.py [--files 2000] [--size-kb 4] [--big-mb 64]
"""

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--size-kb", type=int, default=4)
    parser.add_argument("--big-mb", type=int, default=64)
    args = parser.parse_args()

    from renderbus_dcc.farm import LocalFarm
    from renderbus_dcc.transfer.localfarm import LocalFarmTransfer

    with tempfile.TemporaryDirectory() as tmp:
        items = []
        for i in range(args.files):
            path = os.path.join(tmp, "tex", "t%05d.png" % i)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(os.urandom(args.size_kb * 1024))
            items.append((path, "/bench/tex/t%05d.png" % i, args.size_kb * 1024))
        big = os.path.join(tmp, "big.abc")
        with open(big, "wb") as fh:
            for _ in range(args.big_mb):
                fh.write(os.urandom(1 << 20))
        with LocalFarm(data_dir=os.path.join(tmp, "farm"), speed=1) as farm:
            client = farm.client()
            bid = client.get_transfer_bid().input_bid
            transfer = LocalFarmTransfer(client)
            start = time.perf_counter()
            transfer.upload(items, bid)
            small = time.perf_counter() - start
            small_requests = transfer.requests
            start = time.perf_counter()
            again = LocalFarmTransfer(client)
            again.upload(items, bid)
            skip = time.perf_counter() - start
            start = time.perf_counter()
            transfer.upload([(big, "/bench/big.abc", args.big_mb << 20)], bid)
            large = time.perf_counter() - start
            client.close()
    print("%d files of %d KB: %.1f s, %.0f files/s (%d requests)" % (
        args.files, args.size_kb, small, args.files / small, small_requests))
    print("the same files again (all held, skipped): %.2f s, %d requests" % (skip, again.requests))
    print("one file of %d MB in 4 MiB chunks: %.1f s, %.0f MB/s" % (args.big_mb, large, args.big_mb / large))


if __name__ == "__main__":
    main()
