#!/usr/bin/env bash
# End-to-end benchmark: hashmix assess against the reference pandas + geopandas pipeline
# (../shared/bench/peer_geopandas.py), on the same synthetic sites and the same boundaries,
# run A B A B. Usage: tools/bench_e2e.sh [N] [PEER_PYTHON]
#   N            number of sites (default 1000000)
#   PEER_PYTHON  a python with geopandas and pyogrio (default /tmp/peer/bin/python;
#                set up with: python3 -m venv /tmp/peer && /tmp/peer/bin/pip install geopandas pyogrio)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
PY=${2:-/tmp/peer/bin/python}
PEER=${PEER:-../shared/bench/peer_geopandas.py}
WORK=${WORK:-/tmp/hashmix-bench}
mkdir -p "$WORK"
cargo build --release --quiet --bin hashmix --example gen_sites
target/release/examples/gen_sites "$N" 42 > "$WORK/sites.csv"
target/release/hashmix regions --level 1 --format geojson -o "$WORK/admin1.geojson"
target/release/hashmix regions --level 0 --format geojson -o "$WORK/admin0.geojson"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sm)"
echo "sites: $N (seed 42), $(wc -c < "$WORK/sites.csv") bytes"
run() { /usr/bin/time -f "$1: %e s wall, %M KB peak" "${@:2}" > /dev/null; }
for round in 1 2; do
  run "hashmix (round $round)" target/release/hashmix assess "$WORK/sites.csv" --format csv -o "$WORK/hashmix.csv" --quiet
  run "reference (round $round)" "$PY" "$PEER" "$WORK/sites.csv" "$WORK/admin1.geojson" "$WORK/admin0.geojson" "$WORK/peer.csv"
done 2>&1 | grep -E "wall|rows="
