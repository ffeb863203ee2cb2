#!/usr/bin/env bash
# End-to-end benchmark: hashmix assess against the reference pandas + geopandas pipeline
# (tools/reference_pipeline.py), on the same synthetic sites and the same boundaries,
# run in rounds: hashmix with every field, hashmix with the reference's fields (--columns), the
# reference. A warm-up round comes first, printed but left out of the ratios: on a virtual machine the
# first run after the sites are generated pays for memory the guest has never touched (the 812 MB
# output's page cache above all), which neither tool's later runs pay.
# Usage: tools/bench_e2e.sh [N] [PEER_PYTHON]
#   N            number of sites (default 1000000)
#   ROUNDS       (environment) timed rounds after the warm-up (default 3)
#   PEER_PYTHON  a python with geopandas and pyogrio (default /tmp/peer/bin/python;
#                set up with: python3 -m venv /tmp/peer && /tmp/peer/bin/pip install geopandas pyogrio)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
PY=${2:-/tmp/peer/bin/python}
PEER=${PEER:-tools/reference_pipeline.py}
WORK=${WORK:-/tmp/hashmix-bench}
mkdir -p "$WORK"
cargo build --release --quiet --bin hashmix --example gen_sites
target/release/examples/gen_sites "$N" 42 > "$WORK/sites.csv"
target/release/hashmix regions --level 1 --format geojson -o "$WORK/admin1.geojson"
target/release/hashmix regions --level 0 --format geojson -o "$WORK/admin0.geojson"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sm)"
echo "sites: $N (seed 42), $(wc -c < "$WORK/sites.csv") bytes"
# run LABEL OUTPUT COMMAND...: time COMMAND, which writes OUTPUT. Each run writes a new file, with the
# disk's pending writes flushed first: no run pays for deleting the last run's output (0.5 s for
# 812 MB on this machine's disk) or for writing it back.
run() {
  rm -f "$2"
  sync
  /usr/bin/time -f "$1: %e s wall, %M KB peak" "${@:3}" > /dev/null
}
# The fields the reference writes, by hashmix's names (status and error come with any selection).
COLUMNS=id,name,lat,lon,region,coal_share,intensity_g_per_kwh,hashrate_ths,efficiency_j_per_th,power_mw,energy_mwh_per_year,co2_t_per_year,co2_g_per_th
ROUNDS=${ROUNDS:-3}
for round in warm-up $(seq "$ROUNDS"); do
  [ "$round" = warm-up ] && label="(warm-up)" || label="(round $round)"
  run "hashmix, every field $label" "$WORK/hashmix.csv" target/release/hashmix assess "$WORK/sites.csv" --format csv -o "$WORK/hashmix.csv" --quiet
  run "hashmix --columns like the reference $label" "$WORK/hashmix-columns.csv" target/release/hashmix assess "$WORK/sites.csv" --format csv --columns "$COLUMNS" -o "$WORK/hashmix-columns.csv" --quiet
  run "reference $label" "$WORK/peer.csv" "$PY" "$PEER" "$WORK/sites.csv" "$WORK/admin1.geojson" "$WORK/admin0.geojson" "$WORK/peer.csv"
done 2>&1 | grep -E "wall|rows=" | tee "$WORK/times.txt"
# Each timed round's ratio: the reference's wall time over each hashmix run's; then, for each hashmix run,
# the median of its rounds' ratios.
awk -v rounds="$ROUNDS" '/\(round [0-9]+\): .* s wall/ {
  match($0, /\(round [0-9]+\)/); round = substr($0, RSTART + 7, RLENGTH - 8); name = substr($0, 1, RSTART - 2)
  split(substr($0, RSTART + RLENGTH + 2), f, " "); t[round, name] = f[1]; names[name] = 1 }
  END { for (n in names) if (n != "reference") {
      m = 0
      for (k = 1; k <= rounds; k++) if (t[k, n] > 0) {
        r = t[k, "reference"] / t[k, n]; ratio[++m] = r
        printf "round %d: %s is %.1f times faster than the reference\n", k, n, r }
      for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (ratio[j] < ratio[i]) { x = ratio[i]; ratio[i] = ratio[j]; ratio[j] = x }
      if (m > 0) printf "median of %d rounds: %s is %.1f times faster than the reference\n", m, n, (m % 2 ? ratio[(m + 1) / 2] : (ratio[m / 2] + ratio[m / 2 + 1]) / 2) } }' "$WORK/times.txt" |
  sort | awk '/^median/ { medians = medians $0 "\n"; next } { print } END { printf "%s", medians }'
echo "output bytes: hashmix $(wc -c < "$WORK/hashmix.csv"), hashmix --columns $(wc -c < "$WORK/hashmix-columns.csv"), reference $(wc -c < "$WORK/peer.csv")"
