#!/usr/bin/env python3
"""Replay Cambridge's Bitcoin network estimates with hashmix and print the comparison as Markdown.

Usage:
    python3 tools/replay_network.py PATH/TO/hashmix [--map grid-data/hashrate-map.csv] [--grid-data DIR]

For every month of CCAF's Bitcoin Mining Map in grid-data/hashrate-map.csv, the script writes a sites file
with one row declared by region per country (and, where the map gives them, per Chinese province), each with
a power proportional to its share of the network's hashrate (1 MW per percentage point), and runs
`hashmix assess` on it four times (see RUNS). The portfolio's intensity and shares are the network's:
energy-weighted over the rows, exactly as Cambridge weights countries by their share of the network's
electricity. The tables put them beside the figures Cambridge has published (PUBLISHED).

How the map's rows become sites (the choices Cambridge's GHG method makes, ccaf.io/cbeci/ghg/methodology):
- a country with a share becomes a row declared by its ISO code, on its national mix;
- CCAF's "Other" (the countries under its reporting threshold) becomes a `WORLD` row (the world mix);
- Germany and Ireland, which CCAF marks with `*` as likely proxy or VPN addresses, become `WORLD` rows:
  Cambridge uses the world mix for the countries it flags as anomalies (its category 4);
- a month whose named shares do not add up to 100% (January 2022: only the five largest countries were
  published) gets a `WORLD` row for the unattributed rest, and the table says how much that was;
- in the months with province shares (September 2019 to June 2021) China's share is split over its
  provinces, and the provinces' "Other" takes China's national mix, as Cambridge does.
The mix year asked for is the month's year (`--year`); annual mixes, as Cambridge uses.

The output is deterministic: the same binary, data and map give the same bytes.
"""

import argparse
import csv
import io
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MAP = ROOT / "grid-data" / "hashrate-map.csv"

# Countries CCAF marks with `*` in the mining map (likely proxy or VPN addresses, not machines there):
# Cambridge's GHG method gives the countries it flags the world mix (ccaf.io/cbeci/ghg/methodology,
# "Categories 1 and 4").
FLAGGED_COUNTRIES = ("DE", "IE")

# The region code a share takes when it names no single place: hashmix's world average.
WORLD = "WORLD"

# A month's named shares are taken as complete when they add up to within this many percentage points of
# 100: the map's published shares are rounded to 0.01 and their sums run from 99.98 to 100.02.
ROUNDING_PCT = 0.05

# Decimal places of the power written per row, MW (1 MW per percentage point of the network's hashrate).
POWER_DECIMALS = 6

# Life-cycle emission factors Cambridge's GHG index uses, gCO2e/kWh: NREL (2021), Life Cycle Greenhouse Gas
# Emissions from Electricity Generation: Update, medians, as listed in ccaf.io/cbeci/ghg/methodology Table 3.
# Cambridge's "other renewables" (32.3, the mean of geothermal, biomass and ocean) covers hashmix's
# bioenergy and other renewables alike: Table 3 has no separate biomass row.
CAMBRIDGE_NREL_FACTORS = (
    ("coal", 1001.0),
    ("gas", 486.0),
    ("oil", 840.0),
    ("nuclear", 13.0),
    ("hydro", 21.0),
    ("wind", 13.0),
    ("solar", 35.5),
    ("bioenergy", 32.3),
    ("other_renewables", 32.3),
)

# The four runs per month: a name for the table, and hashmix's options.
RUNS = (
    ("direct", ["--basis", "direct"]),
    ("lifecycle", ["--basis", "lifecycle"]),
    ("ipcc", ["--basis", "lifecycle", "--factors", "ipcc"]),
    ("nrel", ["--basis", "lifecycle", "--factors", "{nrel}"]),
)

# Sensitivity runs, on Cambridge's factors only: a name for the table and the site_rows switches.
VARIANTS = (
    ("nrel, China as one country", {"by_province": False}),
    ("nrel, DE and IE on their own mix", {"flagged_on_world": False}),
)

# Cambridge's published network figures, each with where it was read. Cambridge publishes no monthly
# intensity in a citable form; its yearly intensities are daily figures summed over the year.
COINDESK_2022_09_27 = (
    "https://www.xbo.com/en/en-business/bitcoin-minings-sustainable-electricity-mix-may-be-declining-"
    "says-cambridge-university-research-organization-2022-09-27"
)
PUBLISHED = (
    {
        "period": "2020",
        "figure": "intensity_g_per_kwh",
        "value": 491.24,
        "source": "CCAF CBECI GHG index (launched 2022-09-27), as reported by CoinDesk, 2022-09-27 (copy)",
        "url": COINDESK_2022_09_27,
    },
    {
        "period": "2021",
        "figure": "intensity_g_per_kwh",
        "value": 506.71,
        "source": "CCAF CBECI GHG index (launched 2022-09-27), as reported by CoinDesk, 2022-09-27 (copy)",
        "url": COINDESK_2022_09_27,
    },
    {
        "period": "2022-01",
        "figure": "low_carbon_pct",
        "value": 37.6,
        "source": "CCAF CBECI GHG index: share of sustainable sources (renewables and nuclear), as reported "
        "by Finextra, 2022-09-30",
        "url": "https://www.finextra.com/newsarticle/41043/ccaf-releases-update-to-bitcoin-emissions-estimate",
    },
    {
        "period": "2022-01",
        "figure": "coal_pct",
        "value": 36.6,
        "source": "CCAF, Cambridge Digital Mining Industry Report (2025-04), its 2022 comparison, as "
        "reported by Atlas21",
        "url": "https://atlas21.com/bitcoin-mining-reaches-52-4-sustainable-energy-use-cambridge-study",
    },
    {
        "period": "2022-01",
        "figure": "gas_pct",
        "value": 25.0,
        "source": "CCAF, Cambridge Digital Mining Industry Report (2025-04), its 2022 comparison, as "
        "reported by Atlas21",
        "url": "https://atlas21.com/bitcoin-mining-reaches-52-4-sustainable-energy-use-cambridge-study",
    },
)

# Days in each month of a non-leap year (February 2020, a leap year, is handled in days_in_month).
DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(month):
    """Days in `month` ("YYYY-MM")."""
    year, m = int(month[:4]), int(month[5:7])
    leap = m == 2 and (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0))
    return DAYS[m - 1] + (1 if leap else 0)


def read_map(path):
    """The map's shares: {month: {"WORLD": [(region, pct)], "CN": [(region, pct)]}} in the file's order."""
    months = defaultdict(lambda: {"WORLD": [], "CN": []})
    with open(path, newline="", encoding="utf-8") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            of = row["share_of"]
            if of not in ("WORLD", "CN"):
                raise ValueError(f"{path}:{line}: share_of {of!r}: expected WORLD or CN")
            months[row["month"]][of].append((row["region"], float(row["share_pct"])))
    return dict(sorted(months.items()))


def site_rows(shares, by_province=True, flagged_on_world=True):
    """The sites of one month: a list of (id, region, power_mw), and the unattributed share in percent.

    `shares` is one month of read_map. Rows with a zero share are left out (a site needs a power); the
    shares are kept in the order given, China's provinces in place of China's row. The two switches give
    the sensitivity runs (VARIANTS): China as one country, and the flagged countries on their own mix.
    """
    world = shares["WORLD"]
    provinces = [(r, p) for r, p in shares["CN"] if p > 0]
    named = sum(p for _, p in world)
    rows = []
    for region, pct in world:
        if pct <= 0:
            continue
        if region == "CN" and provinces and by_province:
            for province, ppct in provinces:
                code = "CN" if province == "OTHER" else province
                rows.append((f"CN:{province}", code, pct * ppct / 100.0))
        elif region == "OTHER":
            rows.append(("OTHER", WORLD, pct))
        elif region in FLAGGED_COUNTRIES and flagged_on_world:
            rows.append((f"{region}*", WORLD, pct))
        else:
            rows.append((region, region, pct))
    unattributed = 100.0 - named
    if unattributed > ROUNDING_PCT:
        rows.append(("unattributed", WORLD, unattributed))
    else:
        unattributed = 0.0
    return rows, unattributed


def sites_csv(rows):
    """The sites file hashmix reads: id,region,power_mw."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["id", "region", "power_mw"])
    for site_id, region, mw in rows:
        w.writerow([site_id, region, f"{mw:.{POWER_DECIMALS}f}"])
    return out.getvalue()


def factors_csv():
    """Cambridge's NREL factors as a hashmix factor file (source,g_per_kwh)."""
    lines = ["source,g_per_kwh"] + [f"{s},{g}" for s, g in CAMBRIDGE_NREL_FACTORS]
    return "\n".join(lines) + "\n"


def assess(hashmix, sites_path, year, options, grid_data):
    """Run hashmix assess; return its JSON document. Any failed row stops the replay."""
    cmd = [str(hashmix), "assess", str(sites_path), "--year", str(year), "--draws", "0", "--format", "json", "-q"]
    cmd += options
    if grid_data:
        cmd += ["--grid-data", str(grid_data)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr.strip()}")
    return json.loads(done.stdout)


def pct(x):
    return f"{100.0 * x:.1f}"


def replay(hashmix, map_path, grid_data):
    """Run every month; return {month: {run: document}} and {month: unattributed pct}."""
    results, unattributed = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        nrel = Path(tmp) / "cambridge-nrel-factors.csv"
        nrel.write_text(factors_csv(), encoding="utf-8")
        for month, shares in read_map(map_path).items():
            rows, rest = site_rows(shares)
            unattributed[month] = rest
            sites = Path(tmp) / f"network-{month}.csv"
            sites.write_text(sites_csv(rows), encoding="utf-8")
            year = int(month[:4])
            results[month] = {
                name: assess(hashmix, sites, year, [o.replace("{nrel}", str(nrel)) for o in opts], grid_data)
                for name, opts in RUNS
            }
            for name, switches in VARIANTS:
                variant = Path(tmp) / f"network-{month}-variant.csv"
                variant.write_text(sites_csv(site_rows(shares, **switches)[0]), encoding="utf-8")
                options = ["--basis", "lifecycle", "--factors", str(nrel)]
                results[month][name] = assess(hashmix, variant, year, options, grid_data)
    return results, unattributed


def monthly_table(results, unattributed, map_path):
    shares = read_map(map_path)
    out = [
        "| month | China by province | world mix (Other, DE*, IE*, unattributed) % | direct | lifecycle | "
        "IPCC lifecycle | Cambridge's NREL factors | low-carbon % | coal % | gas % |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for month, runs in results.items():
        world_rows = [
            s for s in runs["nrel"]["sites"] if s["region"] == WORLD and s["status"] == "ok"
        ]
        world_pct = sum(s["power_mw"] for s in world_rows)
        by_province = "yes" if any(p > 0 for _, p in shares[month]["CN"]) else "no"
        lo = runs["nrel"]["portfolio"]
        out.append(
            f"| {month} | {by_province} | {world_pct:.2f}"
            + (f" (of which unattributed {unattributed[month]:.2f})" if unattributed[month] else "")
            + " | "
            + " | ".join(f"{runs[name]['portfolio']['intensity_g_per_kwh']:.1f}" for name, _ in RUNS)
            + f" | {pct(lo['low_carbon_share'])} | {pct(lo['coal_share'])} | {pct(lo['gas_share'])} |"
        )
    return out


def yearly_table(results):
    """Day-weighted means of the monthly intensities per year, beside Cambridge's yearly figures."""
    by_year = defaultdict(list)
    for month in results:
        by_year[month[:4]].append(month)
    published = {p["period"]: p for p in PUBLISHED if p["figure"] == "intensity_g_per_kwh"}
    names = [name for name, _ in RUNS] + [name for name, _ in VARIANTS]
    out = [
        "| year | months replayed | direct | lifecycle | IPCC lifecycle | Cambridge's NREL factors | "
        + " | ".join(name for name, _ in VARIANTS)
        + " | Cambridge published | NREL replay vs Cambridge |",
        "|---" * (4 + len(names)) + "|",
    ]
    for year, months in by_year.items():
        if year not in published:
            continue
        days = sum(days_in_month(m) for m in months)
        means = {
            name: sum(results[m][name]["portfolio"]["intensity_g_per_kwh"] * days_in_month(m) for m in months) / days
            for name in names
        }
        cam = published[year]["value"]
        span = f"{months[0]} to {months[-1]} ({len(months)})"
        out.append(
            f"| {year} | {span} | "
            + " | ".join(f"{means[name]:.1f}" for name in names)
            + f" | {cam:.2f} | {100.0 * (means['nrel'] / cam - 1.0):+.1f}% |"
        )
    return out


def snapshot_table(results):
    """The shares Cambridge published for a month beside the replay's, for every run."""
    out = [
        "| month | figure | Cambridge | " + " | ".join(name for name, _ in RUNS) + " |",
        "|---" * (3 + len(RUNS)) + "|",
    ]
    field = {"low_carbon_pct": "low_carbon_share", "coal_pct": "coal_share", "gas_pct": "gas_share"}
    for p in PUBLISHED:
        if p["figure"] not in field or p["period"] not in results:
            continue
        runs = results[p["period"]]
        out.append(
            f"| {p['period']} | {p['figure']} | {p['value']:.1f} | "
            + " | ".join(pct(runs[name]["portfolio"][field[p["figure"]]]) for name, _ in RUNS)
            + " |"
        )
    return out


def data_used_table(results):
    """Per region and year asked: the data year and each run's intensity, the first time it appears."""
    seen = {}
    for month, runs in results.items():
        for i, site in enumerate(runs["direct"]["sites"]):
            key = (site["region"], month[:4])
            if key in seen or site["status"] != "ok":
                continue
            seen[key] = (site, [runs[name]["sites"][i] for name, _ in RUNS])
    out = [
        "| region | year asked | data year | direct | lifecycle | IPCC lifecycle | NREL | direct source |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (region, year), (site, per_run) in sorted(seen.items()):
        stale = "" if str(site["data_year"]) == year else " (nearest)"
        out.append(
            f"| {region} | {year} | {site['data_year']}{stale} | "
            + " | ".join(f"{s['intensity_g_per_kwh']:.1f}" for s in per_run)
            + f" | {site['intensity_source']} |"
        )
    return out


def sources_list():
    return [f"- {p['period']} {p['figure']} = {p['value']}: {p['source']}, <{p['url']}>" for p in PUBLISHED]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("hashmix", help="path to the hashmix binary")
    parser.add_argument("--map", default=str(DEFAULT_MAP), help="the mining map shares (grid-data/hashrate-map.csv)")
    parser.add_argument("--grid-data", default=None, help="passed to hashmix as --grid-data")
    args = parser.parse_args(argv)
    version = subprocess.run([args.hashmix, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    results, unattributed = replay(args.hashmix, args.map, args.grid_data)
    runs = "; ".join(f"{n} = `{' '.join(o)}`" for n, o in RUNS).replace("{nrel}", "CAMBRIDGE_NREL_FACTORS")
    lines = [f"Replayed with {version}, `assess --year YEAR --draws 0` and: {runs}.", ""]
    lines += ["Network intensity by month, gCO2e/kWh, and the network's shares (the same in every run), %:", ""]
    lines += monthly_table(results, unattributed, args.map)
    lines += ["", "Years, day-weighted mean of the months replayed, gCO2e/kWh:", ""]
    lines += yearly_table(results)
    lines += ["", "Published shares of the network's electricity, %:", ""]
    lines += snapshot_table(results)
    lines += ["", "The data behind each region, the first month it appears in each year, gCO2e/kWh:", ""]
    lines += data_used_table(results)
    lines += ["", "Cambridge's figures:", ""] + sources_list()
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
