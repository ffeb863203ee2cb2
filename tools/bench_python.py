"""The Python package's speed figure: N synthetic sites (examples/gen_sites.rs, seed 42) from a
pandas DataFrame through hashmix.assess and back to a DataFrame of every field, default options
(1,000 draws). Prints each timed round (after a warm-up) and the median.

Usage (after `pip install ./python` and `cargo build --release --example gen_sites`):
    python tools/bench_python.py [N] [ROUNDS]
"""

import io
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

import hashmix

root = Path(__file__).resolve().parents[1]
n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
text = subprocess.run(
    [str(root / "target" / "release" / "examples" / "gen_sites"), str(n), "42"], capture_output=True, check=True
).stdout
sites = pd.read_csv(io.BytesIO(text))
hashmix.assess(sites)  # warm-up: the embedded data loaded once, pages touched
times = []
for i in range(rounds):
    start = time.perf_counter()
    frame = hashmix.assess(sites)
    times.append(time.perf_counter() - start)
    print(f"round {i + 1}: {times[-1]:.3f} s, {frame.shape[0]:,} rows x {frame.shape[1]} fields")
print(f"median of {rounds}: {statistics.median(times):.3f} s for {n:,} sites, DataFrame in and out")
