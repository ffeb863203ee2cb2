#!/usr/bin/env python3
"""Fit the coal, gas and oil emission factors implied by Ember's published intensities.

Usage: python3 tools/fit_ember_factors.py ../shared/data-raw 2022 > examples/network-2022/ember-implied-factors.csv

Ember publishes a lifecycle carbon intensity per country (OWID carbon-intensity-electricity.csv)
but uses its own per-fuel factors. For one year, this holds the non-fossil factors at the IPCC
AR5 medians in grid-data/emission-factors.csv and solves, by least squares over every country,
    intensity - sum(share_nonfossil x factor) = coal x share_coal + gas x share_gas + oil x share_oil.
The result is a `source,g_per_kwh` file for `hashmix assess --factors FILE`.
"""
import csv
import sys
from pathlib import Path

import numpy as np

raw, year = Path(sys.argv[1]), sys.argv[2]
here = Path(__file__).resolve().parent.parent
ipcc = {r["source"]: float(r["lifecycle_median"]) for r in csv.DictReader(open(here / "grid-data/emission-factors.csv"))}
order = ["other_renewables", "bioenergy", "solar", "wind", "hydro", "nuclear", "oil", "gas", "coal"]
mix = {}
for r in csv.reader(open(raw / "gridmix/owid/electricity-prod-source-stacked.csv")):
    if r[2] == year and r[1] and not r[1].startswith("OWID"):
        twh = dict(zip(order, map(float, r[3:12])))
        total = sum(twh.values())
        if total > 1.0:  # skip tiny systems whose intensity is dominated by rounding
            mix[r[0]] = {k: v / total for k, v in twh.items()}
rows, rhs = [], []
for r in csv.reader(open(raw / "gridmix/owid/carbon-intensity-electricity.csv")):
    if r[2] == year and r[0] in mix and r[3]:
        s = mix[r[0]]
        rest = sum(s[k] * ipcc[k] for k in ["nuclear", "hydro", "wind", "solar", "bioenergy", "other_renewables"])
        rows.append([s["coal"], s["gas"], s["oil"]])
        rhs.append(float(r[3]) - rest)
(coal, gas, oil), *_ = np.linalg.lstsq(np.array(rows), np.array(rhs), rcond=None)
print("source,g_per_kwh")
for k, v in [("coal", coal), ("gas", gas), ("oil", oil)]:
    print(f"{k},{v:.1f}")
for k in ["nuclear", "hydro", "wind", "solar", "bioenergy", "other_renewables"]:
    print(f"{k},{ipcc[k]:g}")
print(f"fitted on {len(rows)} countries, {year}", file=sys.stderr)
