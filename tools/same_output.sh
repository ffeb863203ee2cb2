#!/usr/bin/env bash
# Run two hashmix binaries on the same inputs and options and report any difference in their
# standard output, standard error, exit code or written files: the guard that a restructuring
# changes no output byte (issue 21).
#
# Usage: tools/same_output.sh BEFORE_BINARY AFTER_BINARY [WORK_DIR]
# Run from the repository root (the inputs are read from examples/ and tests/data/).
# Exits 0 when every case is byte-identical, 1 otherwise, listing the cases that differ.
set -u
before=$(realpath "$1"); after=$(realpath "$2")
work=${3:-$(mktemp -d)}
repo=$(pwd)
rm -rf "$work"; mkdir -p "$work"

cases=()
add() { cases+=("$*"); }

sites=(examples/seed-sites.csv tests/data/*.csv tests/data/tab.tsv tests/data/sites.geojson)
few=region,coal_share,co2_t_per_year,risk_level,risk_reasons
for f in "${sites[@]}"; do
  for format in table csv json ndjson geojson; do
    add assess "in/$f" -q --format $format
  done
  add assess "in/$f" -q --format xlsx -o out.xlsx
  add assess "in/$f" -q --format csv --excel
  add assess "in/$f" -q --format csv --allow-formulas
  add assess "in/$f" -q --format csv --strict
  for format in csv json ndjson geojson; do
    add assess "in/$f" -q --format $format --columns $few
    add assess "in/$f" -q --format $format --columns id,name,lat,lon,intensity_g_per_kwh,warnings
  done
  add assess "in/$f" -q --format xlsx --columns $few -o out.xlsx
  add report "in/$f" -q -o out.html
  add report "in/$f" -q -o out.md
done
seed=in/examples/seed-sites.csv
for opts in "--year 2019" "--month 3" "--draws 0" "--draws 500 --seed 7" "--as-of 2021-06-30" \
    "--factors direct" "--factors in/tests/data/factors-custom.csv" "--factors in/tests/data/factors-ranges.csv" \
    "--factors in/tests/data/factors-incomplete.csv" "--year 2099" "--month 13" "--columns id,,x" \
    "--columns nope" "--columns id,id"; do
  for format in csv json table; do
    add assess $seed -q --format $format $opts
  done
done
add report $seed -q -o seed-report.html
add report $seed -q -o seed-report.md
add report $seed -q --year 2020 -o y.md
add report in/tests/data/seasonal.csv -q --month 7 -o m.html
for format in table csv json; do
  add compare KZ US-TX CN-SC RU-IRK --format $format
  add compare KZ US-TX CN-SC PR AQ --format $format
  add compare KZ US-NY CA-QC WORLD --format $format --year 2019
  add compare KZ NO ET --format $format --efficiency 30 --pue 1.2
  add compare CN-XJ CN-SC --format $format --month 7
  add compare NOPE --format $format
done
add compare KZ US-TX CN-SC --format xlsx -o cmp.xlsx
add compare KZ US-TX --format xlsx
add compare KZ --format csv --bom
for format in table csv; do
  add regions --format $format
  add regions --format $format --country US
  add regions --format $format --level 0
done
add miners
add backtest

run() { # bin dir case
  local bin=$1 dir=$2; shift 2
  mkdir -p "$dir"; ln -sfn "$repo" "$dir/in"
  (cd "$dir" && "$bin" "$@" >stdout 2>stderr; echo $? >code)
  rm "$dir/in"
}

failed=0
for i in "${!cases[@]}"; do
  read -ra args <<<"${cases[$i]}"
  run "$before" "$work/$i/before" "${args[@]}"
  run "$after" "$work/$i/after" "${args[@]}"
  if ! diff -r "$work/$i/before" "$work/$i/after" >/dev/null; then
    echo "DIFFERS: hashmix ${cases[$i]}  ($work/$i)"
    failed=1
  else
    rm -rf "${work:?}/$i" # only the cases that differ are kept, to look at
  fi
done
echo "${#cases[@]} cases compared in $work"
exit $failed
