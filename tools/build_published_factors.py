#!/usr/bin/env python3
"""Write grid-data/published-factors.csv, zones.csv and zones.geojson from the raw public sources.

Usage:
    python3 -m pip install -r tools/requirements.txt
    python3 tools/build_published_factors.py ../shared/data-raw grid-data

published-factors.csv holds the emission rates that grid operators, statistics offices and
data publishers print for a grid region and year, one row per (region, year, basis, field),
each value as published and converted exactly to g/kWh. Nothing is estimated here: a region
or year without a published rate has no row. zones.geojson holds the grid zones (eGRID
subregions, bidding zones, grid systems) that those rates are published for.

Every transformation is described in grid-data/SOURCES.md. The datasets this script reads are
listed in DATASETS below; build_grid_data.py writes them into grid-data/datasets.csv after its
own, and hashmix reports in a run's `sources` only the datasets that run used.
"""

import csv
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import shapely
from shapely.geometry import mapping, shape

from geometry import COORD_DECIMALS, polygons_of, round_coords

# The international avoirdupois pound is exactly 0.45359237 kg (US and UK, 1959); so 1 lb/MWh
# is 453.59237 g per 1,000 kWh = 0.45359237 g/kWh, exactly.
LB_PER_MWH_TO_G_PER_KWH = Decimal("0.45359237")

# Grid zones are simplified with the same tolerance as the subdivisions in build_grid_data.py
# (0.003 deg, about 330 m): both source files are already coarse (Power Profiler's eGRID
# polygons were simplified by EPA with mapshaper to 1% of their points; Electricity Maps'
# zones have 22 to 1,200 points each), so this mostly removes collinear points.
ZONE_TOLERANCE_DEG = 0.003

BASES = ("direct", "lifecycle")

COLUMNS = ["region", "year", "basis", "g_per_kwh", "gases", "headline", "dataset", "edition", "field",
           "published_region", "published_value", "published_unit", "note"]

EGRID_EDITIONS = {  # file suffix -> (year, edition as EPA names it)
    "2020": (2020, "eGRID2020"),
    "2021": (2021, "eGRID2021"),
    "2022": (2022, "eGRID2022"),
    "2023rev2": (2023, "eGRID2023 rev2"),
}
# The Power Profiler JSON's rate keys and the eGRID field each one copies
# (add_egrid_data.py.txt: co2eEmissionRate = SRC2ERTA, co2EmissionRate = SRCO2RTA; the
# national feature uses USC2ERTA / USCO2RTA).
PP_RATES = [("co2eEmissionRate", "C2ERTA", "CO2e"), ("co2EmissionRate", "CO2RTA", "CO2")]

# Electricity Maps zones kept, with the name hashmix gives them (the file carries codes only; the
# Nordic names are Nord Pool's area names; the Russian zones' meaning is from Electricity Maps' RU parser: RU-1 "European and Uralian
# Market Zone (Price Zone 1)", RU-2 "Siberian Market Zone (Price Zone 2)", RU-AS "Russia East
# Power System (2nd synchronous zone)").
EM_ZONES = {
    "NO-NO1": "Norway bidding zone NO1 (Oslo)",
    "NO-NO2": "Norway bidding zone NO2 (Kristiansand)",
    "NO-NO3": "Norway bidding zone NO3 (Molde)",
    "NO-NO4": "Norway bidding zone NO4 (Tromsø)",
    "NO-NO5": "Norway bidding zone NO5 (Bergen)",
    "SE-SE1": "Sweden bidding zone SE1 (Luleå)",
    "SE-SE2": "Sweden bidding zone SE2 (Sundsvall)",
    "SE-SE3": "Sweden bidding zone SE3 (Stockholm)",
    "SE-SE4": "Sweden bidding zone SE4 (Malmö)",
    "MY-WM": "Peninsular (West) Malaysia grid",
    "MY-EM": "East Malaysia grids (Sabah, Sarawak)",
    "RU-1": "Russia price zone 1 (Europe and Urals)",
    "RU-2": "Russia price zone 2 (Siberia)",
    "RU-AS": "Russia East power system (second synchronous zone)",
}

# NIR Annex 13 sheets: the table number and the region each one is for.
NIR_TABLES = {
    "Table A13-1": "CA", "Table A13-2": "CA-NL", "Table A13-3": "CA-PE", "Table A13-4": "CA-NS",
    "Table A13-5": "CA-NB", "Table A13-6": "CA-QC", "Table A13-7": "CA-ON", "Table A13-8": "CA-MB",
    "Table A13-9": "CA-SK", "Table A13-10": "CA-AB", "Table A13-11": "CA-BC", "Table A13-12": "CA-YT",
    "Table A13-13": "CA-NT", "Table A13-14": "CA-NU",
}
NIR_GENERATION = "Generation Intensity (g CO2 eq / kWh)"
NIR_CONSUMPTION = "Consumption Intensity (g CO2 eq / kWh)"
# NIR's symbols for a value it does not give, as its table notes explain them.
NIR_SYMBOLS = {
    "x": "not shown due to statistical limitations",
    "**": "not published for this region (see the table's ** note)",
    "unk": "unknown as appropriate data were unavailable",
    "–": "no emissions or no electricity generation",
}

# Ember's codes that are not ISO 3166-1 alpha-3, and Ember's aggregates that hashmix has a region for.
EMBER_SPECIAL_CODES = {"XKX": "XK"}
EMBER_AGGREGATES = {"World": "WORLD"}
# Entities of Ember's US state table that the country table already carries (PRI, USA).
EMBER_STATE_TABLE_SKIPPED = {"Puerto Rico", "US Total"}


def dec(value) -> Decimal:
    """A published number (text, int, Decimal, or a spreadsheet's float) as an exact decimal. A
    float goes through its shortest repr, which is the number the spreadsheet shows."""
    if isinstance(value, float):
        value = repr(value)
    return Decimal(str(value))


def fmt(d: Decimal) -> str:
    """An exact decimal without exponent or trailing zeros."""
    return format(d.normalize(), "f")


def lb_to_g(value: Decimal) -> Decimal:
    """lb/MWh to g/kWh, exactly (decimal arithmetic: no binary rounding)."""
    return value * LB_PER_MWH_TO_G_PER_KWH


def row(region, year, basis, g, gases, dataset, edition, field, published_region, published_value,
        published_unit, note="", headline=True):
    assert basis in BASES, basis
    return {"region": region, "year": int(year), "basis": basis, "g_per_kwh": fmt(g), "gases": gases,
            "headline": "true" if headline else "false", "dataset": dataset, "edition": edition,
            "field": field, "published_region": published_region, "published_value": published_value,
            "published_unit": published_unit, "note": note}


# ---------------------------------------------------------------------------------------------
# eGRID


def read_power_profiler(raw: Path):
    """eGRID subregion (and US national) total output rates from EPA's Power Profiler files."""
    rows, log = [], []
    folder = raw / "gridmix/us-egrid/power-profiler"
    for suffix, (year, edition) in EGRID_EDITIONS.items():
        fc = json.loads((folder / f"subregion_egrid{suffix}.json").read_text(), parse_float=Decimal)
        for f in fc["features"]:
            p = f["properties"]
            kind = p.get("type")
            if kind not in ("subregion", "national"):
                continue
            rates = p.get("emissionFactor") or {}
            data_year = p.get("dataYear")
            assert data_year in (None, year), (suffix, data_year)
            for key, field_tail, gases in PP_RATES:
                rate = rates.get(key)
                if rate is None:
                    continue
                assert rate["units"] == "lb/MWh", rate
                value = dec(rate["value"])
                if kind == "subregion":
                    region, published, field = f"US-{p['name']}", p["name"], "SR" + field_tail
                else:
                    region, published, field = "US", "U.S.", "US" + field_tail
                note = ""
                if gases == "CO2":
                    note = f"CO2 only: the {edition} file has no CO2e rate"
                rows.append(row(region, year, "direct", lb_to_g(value), gases, "egrid-power-profiler",
                                edition, field, published, str(rate["value"]), "lb/MWh", note))
                break  # the CO2e rate when there is one, else the CO2 rate
            else:
                log.append(f"{edition} {p.get('name', kind)}: no rate")
    return rows, log


def read_egrid_explorer(raw: Path):
    """eGRID2018 and eGRID2019 state (STC2ERTA) and subregion (SRC2ERTA) rates."""
    rows = []
    folder = raw / "gridmix/us-egrid/egrid-explorer-2018-2019"
    for name, key, field in [("state_egrid2018_2019.csv", "PSTATABB", "STC2ERTA"),
                             ("subregion_egrid2018_2019.csv", "SUBRGN", "SRC2ERTA")]:
        with open(folder / name, newline="") as fh:
            for r in csv.DictReader(fh):
                year = int(r["Year"])
                code = r[key]
                region = f"US-{code}"
                if code == "PR" and key == "PSTATABB":
                    region = "PR"  # Puerto Rico is a country-level region in regions.csv
                value = dec(r[field])
                rows.append(row(region, year, "direct", lb_to_g(value), "CO2e", "egrid-explorer",
                                f"eGRID{year}", field, code, r[field], "lb/MWh"))
    return rows


def read_egrid_states_2023(raw: Path):
    """eGRID2023 state rates (STC2ERTA) as packaged by codecarbon (usa_emissions.json)."""
    path = raw / "gridmix/codecarbon/private_infra/2023/usa_emissions.json"
    d = json.loads(path.read_text(), parse_float=Decimal)
    src = d["_source"]
    assert src["field"] == "STC2ERTA" and src["year"] == 2023, src
    assert d["_unit"]["emissions"] == "lbs/MWh", d["_unit"]
    rows, log = [], []
    for name, v in d.items():
        if name.startswith("_"):
            continue
        code = v["regionCode"]
        if code == "usa":
            log.append(f"usa_emissions.json 'usa' ({v['emissions']} lb/MWh) left out: the national USC2ERTA "
                       "comes from the Power Profiler file")
            continue
        value = dec(v["emissions"])
        rows.append(row(f"US-{code}", 2023, "direct", lb_to_g(value), "CO2e", "egrid-state-2023",
                        "eGRID2023 rev2", "STC2ERTA", code, str(v["emissions"]), "lb/MWh"))
    return rows, log


# ---------------------------------------------------------------------------------------------
# China, Canada, Nordic zones, Ember


def read_mee(raw: Path):
    path = raw / "gridmix/codecarbon/private_infra/2023/china_provincial_emissions.json"
    d = json.loads(path.read_text(), parse_float=Decimal)
    meta = d["metadata"]
    assert meta["year"] == 2023 and meta["unit"] == "gCO2/kWh", meta
    rows = []
    for code, v in d["data"].items():
        assert v["unit"] == "gCO2/kWh" and v["year"] == 2023, (code, v)
        value = dec(v["emission_factor"])
        rows.append(row(code, 2023, "direct", value, "CO2", "mee-china-2023",
                        "MEE/NBS Announcement 2025 No. 47", "provincial average electricity CO2 emission factor",
                        v["description"], str(v["emission_factor"]), "gCO2/kWh",
                        "CO2 only; consumed electricity: counts inter-provincial transfers"))
    return rows


def _nir_year(cell):
    """(year, preliminary) for a header cell such as 1990, '2017' or '2022a'; None otherwise."""
    if cell is None:
        return None
    m = re.fullmatch(r"(\d{4})(a?)", str(cell).strip())
    if not m:
        return None
    return int(m.group(1)), m.group(2) == "a"


def read_nir(raw: Path):
    """NIR 2024 Annex 13: generation intensity (headline) and consumption intensity, g CO2e/kWh."""
    path = raw / "gridmix/canada-nir/eccc-nir-annex13/EN_Annex13_Electricity_Intensity_NIR2024.xlsx"
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows, log = [], []
    for sheet, region in NIR_TABLES.items():
        cells = [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]
        title = cells[0][1]
        published = title.split(" Details for ")[-1].removeprefix("the ")
        header = next(r for r in cells if _nir_year(r[2]) == (1990, False))
        years = {i: _nir_year(c) for i, c in enumerate(header) if _nir_year(c)}
        series = {}
        for r in cells:
            label = str(r[1] or "")
            for name in (NIR_GENERATION, NIR_CONSUMPTION):
                if label.startswith(name):
                    assert name not in series, (sheet, name)
                    series[name] = r
        assert set(series) == {NIR_GENERATION, NIR_CONSUMPTION}, (sheet, series.keys())
        for i, (year, preliminary) in years.items():
            values = {}
            for name, r in series.items():
                cell = r[i] if i < len(r) else None
                if isinstance(cell, (int, float)) and not isinstance(cell, bool):
                    values[name] = dec(cell)
                else:
                    symbol = str(cell).strip() if cell is not None else ""
                    log.append(f"{region} {year} {name.split(' ')[0].lower()} intensity: "
                               f"{NIR_SYMBOLS.get(symbol, repr(symbol))}")
            for name, value in values.items():
                generation = name == NIR_GENERATION
                headline = generation or NIR_GENERATION not in values
                notes = []
                if preliminary:
                    notes.append("preliminary (2022a)")
                if not generation:
                    notes.append("per kWh consumed: adds grid losses and SF6; imports not traced")
                    if headline:
                        notes.append("NIR shows no generation intensity for this year")
                rows.append(row(region, year, "direct", value, "CO2e", "nir-canada",
                                "NIR 2024 (1990-2022), Annex 13", name, f"{published} ({sheet})",
                                fmt(value), "g CO2 eq/kWh", "; ".join(notes), headline))
    return rows, log


def read_khepri(raw: Path):
    """Nordic bidding zones, lifecycle CI (Khepri): the 'Annual CI per zone' tables."""
    folder = raw / "gridmix/nordic-khepri/khepri"
    rows = []
    for name in ("drift-results-2021-2025.md", "se-drift-results-2022-2025.md"):
        lines = (folder / name).read_text().splitlines()
        start = next(i for i, l in enumerate(lines) if l.startswith("## Annual CI per zone"))
        header = None
        for line in lines[start + 1:]:
            if line.startswith("## "):
                break
            if not line.startswith("|"):
                continue
            cols = [c.strip() for c in line.strip().strip("|").split("|")]
            if cols[0] == "Zone":
                header = cols
                continue
            if header is None or set(cols[0]) <= set("-: "):
                continue
            zone = cols[0]
            country = zone[:2]
            for col, cell in zip(header[1:], cols[1:]):
                if not re.fullmatch(r"\d{4}", col):
                    continue  # verdicts and multi-year means are not published rates for a year
                value = dec(cell)
                rows.append(row(f"{country}-{zone}", int(col), "lifecycle", value, "CO2e", "khepri-nordic",
                                "Khepri v1.3", "annual CI", zone, cell, "gCO2eq/kWh",
                                "production-based: imports not traced"))
    return rows


def read_regions(out: Path):
    """The rows of regions.csv (written by build_grid_data.py)."""
    with open(out / "regions.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def read_ember(raw: Path, regions):
    folder = raw / "gridmix/ember-data-api"
    a3_to_a2 = {r["iso_a3"]: r["region"] for r in regions if r["level"] == "national" and r["iso_a3"] not in ("", "-99")}
    a3_to_a2.update(EMBER_SPECIAL_CODES)
    rows, log = [], []
    with open(folder / "api_country_overview_yearly.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            code = r["country_code"]
            region = a3_to_a2.get(code) if code else EMBER_AGGREGATES.get(r["country_or_region"])
            if region is None:
                log.append(f"{r['country_or_region']} ({code or 'aggregate'})")
                continue
            value = r["emissions_intensity_gco2_per_kwh"]
            if value == "":
                log.append(f"{r['country_or_region']} {r['year']}: no intensity")
                continue
            rows.append(row(region, r["year"], "lifecycle", dec(value), "CO2e", "ember-api",
                            "Ember data API, May 2025", "emissions_intensity_gco2_per_kwh",
                            r["country_or_region"], value, "gCO2/kWh"))
    us_names = {r["name"]: r["region"] for r in regions if r["parent"] == "US"}
    us_names["Washington, D.C."] = "US-DC"
    with open(folder / "api_overview_usa_yearly.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["state"] in EMBER_STATE_TABLE_SKIPPED:
                continue
            region = us_names[r["state"]]
            value = r["emissions_intensity_gco2_per_kwh"]
            if value == "":
                log.append(f"{r['state']} {r['year']}: no intensity")
                continue
            rows.append(row(region, r["year"], "lifecycle", dec(value), "CO2e", "ember-api",
                            "Ember data API, May 2025", "emissions_intensity_gco2_per_kwh", r["state"], value,
                            "gCO2/kWh"))
    return rows, sorted(set(log))


# ---------------------------------------------------------------------------------------------
# Zones


def read_zones(raw: Path):
    """(zone, name, country, dataset, published code, geometry) for every grid zone."""
    zones = []
    fc = json.loads((raw / "gridmix/us-egrid/power-profiler/subregion_egrid2023rev2.json").read_text())
    egrid = []
    for f in fc["features"]:
        p = f["properties"]
        if p.get("type") == "subregion":
            # Puerto Rico is a country-level region in regions.csv (as in the boundaries), so its
            # subregion's parent is PR: a site located in Puerto Rico is placed among PR's zones.
            country = "PR" if p["name"] == "PRMS" else "US"
            egrid.append((f"US-{p['name']}", p["fullName"], country, "egrid-power-profiler", p["name"],
                          shape(f["geometry"])))
    em = []
    fc = json.loads((raw / "boundaries/electricitymaps_zones_2023-01-30.geojson").read_text())
    for f in fc["features"]:
        p = f["properties"]
        code = p["zoneName"]
        if code in EM_ZONES:
            em.append((code, EM_ZONES[code], p["countryKey"], "electricitymaps-zones", code, shape(f["geometry"])))
    assert {z[0] for z in em} == set(EM_ZONES), {z[0] for z in em}
    log = []
    for group in (egrid, em):
        group.sort(key=lambda z: z[0])
        geoms = exact_coverage([shapely.make_valid(z[5]) for z in group], [z[0] for z in group], log)
        assert shapely.coverage_is_valid(geoms), "zones overlap: coverage_simplify needs a valid coverage"
        simplified = shapely.coverage_simplify(geoms, ZONE_TOLERANCE_DEG)
        for z, g in zip(group, simplified):
            g = shapely.make_valid(shapely.set_precision(g, 10 ** -COORD_DECIMALS))
            assert g.is_valid and not g.is_empty, z[0]
            zones.append(z[:5] + (g,))
    zones.sort(key=lambda z: z[0])
    return zones, log


def exact_coverage(geoms, codes, log):
    """The polygons as a coverage whose neighbours share their edges exactly.

    The source polygons are noded together (every boundary split where another crosses it) and
    each face goes to the first zone, in code order, that contains it: an overlap between two
    source polygons stays with the zone whose code sorts first (logged), and no point lies in
    two zones."""
    noded = shapely.union_all([g.boundary for g in geoms])
    faces = shapely.get_parts(shapely.polygonize(list(shapely.get_parts(noded))))
    faces = [p for f in faces for p in shapely.get_parts(f)]
    parts = [[] for _ in geoms]
    for face in faces:
        point = face.point_on_surface()
        for k, g in enumerate(geoms):
            if g.contains(point):
                parts[k].append(face)
                break
    out = [shapely.coverage_union_all(p) for p in parts]
    for code, before, after in zip(codes, geoms, out):
        if abs(before.area - after.area) > 1e-9:
            log.append(f"{code}: {before.area - after.area:.6f} square degrees overlapping a zone whose code sorts "
                       "first are left to that zone")
    return out


def write_zones(zones, out: Path):
    feats = []
    for code, name, country, dataset, _, geom in zones:
        polys = [p for p in polygons_of(geom) if not p.is_empty and p.area > 0]
        g = {"type": "MultiPolygon", "coordinates": [round_coords(mapping(p)["coordinates"]) for p in polys]}
        assert shape(g).is_valid, code
        feats.append({"type": "Feature",
                      "properties": {"region": code, "name": name, "parent": country, "dataset": dataset},
                      "geometry": g})
    with open(out / "zones.geojson", "w") as fh:
        fh.write('{"type":"FeatureCollection","features":[\n')
        fh.write(",\n".join(json.dumps(f, separators=(",", ":"), ensure_ascii=False) for f in feats))
        fh.write("\n]}\n")
    with open(out / "zones.csv", "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["zone", "name", "country", "dataset", "published_zone"])
        for code, name, country, dataset, published, _ in zones:
            w.writerow([code, name, country, dataset, published])


# ---------------------------------------------------------------------------------------------


DATASETS = [
    ("egrid-power-profiler", "EPA eGRID subregion polygons and total output emission rates (Power Profiler subregion.json)",
     "U.S. EPA, Emissions & Generation Resource Integrated Database (eGRID), as packaged by EPA's Power Profiler",
     "eGRID2020, eGRID2021, eGRID2022, eGRID2023 rev2", "Public domain (U.S. Government); Power Profiler code MIT",
     "https://github.com/USEPA/power-profiler",
     "eGRID subregion polygons (2023 rev2) and subregion and US rates SRC2ERTA/USC2ERTA (SRCO2RTA for 2020), lb/MWh"),
    ("egrid-explorer", "EPA eGRID state and subregion sheets (eGRID Data Explorer)",
     "U.S. EPA, eGRID", "eGRID2018, eGRID2019", "Public domain (U.S. Government)", "https://github.com/USEPA/egrid-explorer",
     "state and subregion CO2e total output rates STC2ERTA/SRC2ERTA 2018-2019, lb/MWh"),
    ("egrid-state-2023", "EPA eGRID2023 state CO2e total output emission rates (STC2ERTA), packaged by codecarbon",
     "U.S. EPA, eGRID (codecarbon 3.3.2 usa_emissions.json, MIT packaging)", "eGRID2023 rev2",
     "Public domain (U.S. Government)", "https://www.epa.gov/egrid/download-data",
     "US state CO2e total output rates 2023, lb/MWh"),
    ("mee-china-2023", "2023 electricity CO2 emission factors, Table 3: provincial average factors (Announcement 2025 No. 47)",
     "Ministry of Ecology and Environment and National Bureau of Statistics of China (codecarbon 3.3.2 packaging)",
     "2023, published 2025-12-31", "government data; cite MEE/NBS",
     "https://www.mee.gov.cn/xxgk2018/xxgk/xxgk01/202512/t20251231_1139517.html",
     "China's provinces, electricity CO2 factor 2023 (consumed electricity), gCO2/kWh"),
    ("nir-canada", "National Inventory Report 1990-2022, Annex 13: Electricity in Canada, Summary and Intensity Tables",
     "Environment and Climate Change Canada (ECCC)", "NIR 2024 (1990, 2000, 2005-2022; 2022 preliminary)",
     "Open Government Licence - Canada",
     ("https://data-donnees.az.ec.gc.ca/api/file?path=%2Fsubstances%2Fmonitor%2Fcanada-s-official-greenhouse-gas-"
      "inventory%2FC-Tables-Electricity-Canada-Provinces-Territories%2FEN_Annex13_Electricity_Intensity.xlsx"),
     ("Canada, provinces and territories, generation and consumption intensity, g CO2e/kWh; provinces' and "
      "territories' generation by fuel 1990, 2000, 2005-2022, GWh")),
    ("khepri-nordic", "Khepri: production-based carbon intensity per Nordic bidding zone (drift results)",
     "Khepri (avalyset/khepri), from ENTSO-E Transparency Platform generation and IPCC AR5 lifecycle medians",
     "v1.3, NO 2021-2025, SE 2022-2025", "CC BY 4.0", "https://doi.org/10.5281/zenodo.22285397",
     "Norway NO1-NO5 and Sweden SE1-SE4, annual lifecycle intensity, gCO2eq/kWh"),
    ("ember-api", "Ember data API: country overview (yearly) and US state overview (yearly)",
     "Ember", "May 2025 release (ember-data-api commit 02ce82d), 2000-2024", "CC BY 4.0",
     "https://ember-climate.org/data/global-electricity/",
     "country and US state emissions intensity of generation (lifecycle), gCO2/kWh"),
    ("electricitymaps-zones", "Electricity Maps zone polygons (electricitymaps_zones_2023-01-30.geojson)",
     "Electricity Maps (Tomorrow)", "2023-01-30", "MIT", "https://github.com/electricitymaps/electricitymaps-contrib",
     "grid zone polygons: Nordic bidding zones, Malaysia's grids, Russia's price zones"),
]


def check_regions(rows, zones, regions):
    known = {r["region"] for r in regions} | {z[0] for z in zones}
    unknown = sorted({r["region"] for r in rows} - known)
    assert not unknown, f"regions in no regions.csv row and no zone: {unknown}"
    headlines = {}
    for r in rows:
        if r["headline"] == "true":
            key = (r["region"], r["year"], r["basis"])
            assert key not in headlines, f"two headline rates for {key}: {headlines[key]} and {r['dataset']}"
            headlines[key] = r["dataset"]


def write_factors(rows, out: Path):
    rows.sort(key=lambda r: (r["region"], r["year"], r["basis"], r["headline"] != "true", r["field"]))
    with open(out / "published-factors.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    raw, out = Path(sys.argv[1]), Path(sys.argv[2])
    regions = read_regions(out)
    pp, pp_log = read_power_profiler(raw)
    st23, st_log = read_egrid_states_2023(raw)
    nir, nir_log = read_nir(raw)
    ember, ember_log = read_ember(raw, regions)
    rows = pp + read_egrid_explorer(raw) + st23 + read_mee(raw) + nir + read_khepri(raw) + ember
    zones, zone_log = read_zones(raw)
    check_regions(rows, zones, regions)
    write_factors(rows, out)
    write_zones(zones, out)

    counts = {}
    for r in rows:
        counts[r["dataset"]] = counts.get(r["dataset"], 0) + 1
    print("rows per dataset:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print(f"zones: {len(zones)}; zones.geojson {(out / 'zones.geojson').stat().st_size:,} bytes")
    print("zone repairs:", "; ".join(zone_log) or "none")
    print("eGRID rates left out:", "; ".join(pp_log + st_log) or "none")
    print("NIR values not published:\n  " + "\n  ".join(nir_log))
    print("Ember entities without a hashmix region (left out):", "; ".join(ember_log))


if __name__ == "__main__":
    main()
