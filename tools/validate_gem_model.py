"""Validate the capacity model of the modelled regions where the real mix is known (issue 23).

The model (tools/gem_model.py) gives a region GEM's operating units x its country's generation per
MW of GEM capacity by source, with no wind or solar (GEM has no tracker for them). Applied to
China's 31 provinces, whose generation NBS publishes (grid-data/mix-annual.csv, CN-xx rows), it
is compared on the basis hashmix uses by default for these regions: the direct (combustion)
factors of METHOD.md (coal 760, gas 370, oil 406 g/kWh, the rest 0), with wind and solar counted
as the model counts them on its side (zero) and as NBS publishes them on the real side. The error
of a province-year is modelled / real - 1. Prints every province-year, the distribution, and the
widening (low, high) that covers the 5th to 95th percentile of the errors as a multiplier on the
modelled intensity: real = modelled / (1 + error), so the multiplier range is
[1 / (1 + p95), 1 / (1 + p05)].

    python3 tools/validate_gem_model.py RAW_DIR grid-data

Caveat: the NBS rows' coal/gas split is itself GEM-based (SOURCES.md), so this measures the
thermal/hydro/nuclear/wind/solar proportions, not the coal/gas split.
"""

import csv
import statistics
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gem_model  # noqa: E402
import subnational  # noqa: E402

# METHOD.md's direct factors, g/kWh (IPCC AR5 combustion; oil UK POST 2014 / EIA 2020).
DIRECT = {"coal": 760.0, "gas": 370.0, "oil": 406.0}
# The years compared: those with NBS annual rows and every source (2020's wind and solar as well).
YEARS = (2019, 2020, 2021, 2022, 2023)


def direct_intensity(gen):
    total = sum(gen.values())
    if total <= 0:
        return None
    return sum(gen.get(s, 0.0) * f for s, f in DIRECT.items()) / total


def quantile(sorted_values, q):
    """Hyndman and Fan type 8 (the percentiles hashmix prints)."""
    n = len(sorted_values)
    h = (n + 1 / 3) * q + 1 / 3
    lo = min(max(int(h), 1), n)
    hi = min(lo + 1, n)
    return sorted_values[lo - 1] + (h - lo) * (sorted_values[hi - 1] - sorted_values[lo - 1])


def main():
    raw, data = Path(sys.argv[1]), Path(sys.argv[2])
    rows = {}
    with open(data / "mix-annual.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["region"].startswith("CN"):
                rows[(r["region"], int(r["year"]))] = {s: float(r[s]) for s in subnational.SOURCES}
    units = gem_model.read_units(raw, {"China"})
    errors = []
    for year in YEARS:
        by_region, by_country = gem_model.capacity(units, min(year, gem_model.GEM_SNAPSHOT_YEAR))
        country_mw = {s: by_country[("China", s)] for s in gem_model.MODELLED_SOURCES}
        mw = defaultdict(lambda: defaultdict(float))
        for (_, sub, source), cap in by_region.items():
            code = subnational.CN_PROVINCES.get(gem_model.cn_province_name(sub))
            if code:
                mw[code][source] += cap
        for code in sorted(set(subnational.CN_PROVINCES.values())):
            real = rows.get((code, year))
            if real is None or not mw[code]:
                continue
            modelled, _ = gem_model.modelled_mix(mw[code], country_mw, rows[("CN", year)])
            m, r = direct_intensity(modelled), direct_intensity(real)
            if m is None or not r:
                continue
            errors.append((m / r - 1, code, year, m, r))
    errors.sort()
    for e, code, year, m, r in errors:
        print(f"{code} {year}: modelled {m:.1f}, real {r:.1f} g/kWh, error {e:+.3f}")
    e = [x[0] for x in errors]
    p05, p50, p95 = (quantile(e, q) for q in (0.05, 0.5, 0.95))
    print(f"{len(e)} province-years; errors: mean {statistics.mean(e):+.3f}, p05 {p05:+.3f}, median {p50:+.3f}, "
          f"p95 {p95:+.3f}; {sum(x > 0 for x in e)} above the real value")
    print(f"widening of the modelled intensity (real / modelled) from the 5th to 95th percentile: "
          f"{1 / (1 + p95):.3f} to {1 / (1 + p05):.3f}")


if __name__ == "__main__":
    main()
