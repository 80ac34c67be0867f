"""Brotli's level for the pages: bytes saved against milliseconds spent. Takes the village head's pages of
`bench/server_time.py` as the server renders them (uncompressed), compresses each at every level (and gzip 6 for
comparison) many times, and prints the total bytes of one visit to each and the milliseconds of CPU they cost.

    python bench/compression.py --database-url sqlite:////tmp/province.db
"""

import argparse
import gzip
import sys
import time
from pathlib import Path

import brotli

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from bench.server_time import make_app, personas, sign_in

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    app = make_app(args.database_url)
    username, urls, _facts = personas(app)["village head"]
    client = sign_in(app, username)
    bodies = [client.get(u, headers={"Accept-Encoding": "identity"}).get_data() for u in urls]
    print(f"{len(bodies)} pages of a village head, {sum(map(len, bodies)):,} B of HTML; ms for all of them once")
    print(f"  {'':10} {'bytes':>8} {'ms':>7}")

    def measure(label, compress):
        start = time.perf_counter()
        for _ in range(args.runs):
            size = sum(len(compress(b)) for b in bodies)
        ms = (time.perf_counter() - start) * 1000 / args.runs
        print(f"  {label:10} {size:8,d} {ms:7.2f}   ({ms / len(bodies):.2f} ms a page)")

    measure("gzip 6", lambda b: gzip.compress(b, 6))
    for level in range(0, 12):
        measure(f"brotli {level}", lambda b, q=level: brotli.compress(b, quality=q, lgwin=22))


if __name__ == "__main__":
    main()
