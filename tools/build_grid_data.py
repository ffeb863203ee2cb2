#!/usr/bin/env python3
"""Rebuild hashmix's grid-data/ from the raw public sources.

Usage:
    python3 -m pip install -r tools/requirements.txt
    python3 tools/build_grid_data.py ../shared/data-raw grid-data

Reads only the raw folder given on the command line and writes the compact files that
hashmix embeds. Every transformation done here is described in grid-data/SOURCES.md;
nothing is filled in where a source has no value.
"""

import csv
import io
import json
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

import shapefile  # pyshp
import shapely
from shapely.geometry import mapping, shape

from geometry import COORD_DECIMALS, polygons_of, round_coords

import build_published_factors
import gem_model
import north_america
import subnational

# Sources in the order hashmix reports them.
SOURCES = ["coal", "gas", "oil", "nuclear", "hydro", "wind", "solar", "bioenergy", "other_renewables"]

# First year kept from the OWID/Ember series (the issue asks for 2000 onwards).
FIRST_YEAR = 2000

# Coverage simplification tolerance in degrees: 0.01 deg is about 1.1 km of latitude,
# the accuracy the project promises for boundaries.
SIMPLIFY_TOLERANCE_DEG = 0.01
# Subdivisions are simplified more gently: at 0.003 the largest distance between a source
# polygon and its simplified form is about 0.005 deg (550 m); 0.01 would move narrow fjords
# and inlets by up to 0.06 deg (7 km).
SUBDIVISION_TOLERANCE_DEG = 0.003

# Map OWID column headers to hashmix source names.
OWID_COLUMNS = {
    "Electricity from coal": "coal",
    "Electricity from gas": "gas",
    "Electricity from oil": "oil",
    "Electricity from nuclear": "nuclear",
    "Electricity from hydro": "hydro",
    "Electricity from wind": "wind",
    "Electricity from solar": "solar",
    "Electricity from bioenergy": "bioenergy",
    "Other renewables excluding bioenergy": "other_renewables",
}

# OWID's own codes for entities without an ISO 3166-1 alpha-3 code.
OWID_SPECIAL_CODES = {"OWID_KOS": "XK"}

# Which IPCC AR5 WG3 Annex III Table A.III.2 technology stands for each source.
IPCC_TECHNOLOGY = {
    "coal": "Coal - PC",
    "gas": "Gas - combined cycle",
    "oil": "Oil (not in AR5 table)",
    "nuclear": "Nuclear",
    "hydro": "Hydropower",
    "wind": "Wind onshore",
    "solar": "Solar PV - utility",
    "bioenergy": "Biomass - dedicated",
    "other_renewables": "Geothermal",
}
IPCC_CITATION = (
    "IPCC 2014, AR5 WG3 Annex III, Table A.III.2 (Schloemer et al.), lifecycle gCO2eq/kWh"
)
DIRECT_CITATION = "IPCC 2014 direct-emission median as used by Electricity Maps defaults"
# Direct-combustion values the raw file leaves blank, with the reason they are zero.
DIRECT_ZERO_NOTE = {
    "bioenergy": "biogenic CO2 counted as 0 at the stack (BEIS 2021, as used by Electricity Maps)",
}
OIL_CITATION = (
    "Oil is not in AR5 Table A.III.2: lifecycle 650 from UK POST 2014, direct 406 from "
    "EIA 2020/BEIS 2021, both as used by Electricity Maps; no min/max published"
)


def read_countries(raw: Path):
    """Natural Earth 10m admin-0 polygons, grouped by ISO 3166-1 alpha-2 (ISO_A2_EH)."""
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(raw / "boundaries/ne_10m_admin_0_countries_deu.zip") as z:
            z.extractall(tmp)
        reader = shapefile.Reader(str(Path(tmp) / "ne_10m_admin_0_countries_deu"))
        features = []
        dropped = []
        for sr in reader.iterShapeRecords():
            rec = sr.record.as_dict()
            code = rec["ISO_A2_EH"]
            geom = shape(sr.shape.__geo_interface__)
            if code in ("-99", ""):
                dropped.append(rec["ADMIN"])
                continue
            features.append(
                {"code": code, "name": rec["ADMIN"], "a3": rec["ISO_A3_EH"], "geom": geom,
                 "area": geom.area}
            )
    return features, dropped


def simplify_countries(features):
    """Simplify every shared border once so neighbours keep identical edges."""
    geoms = [shapely.make_valid(f["geom"]) for f in features]
    simplified = shapely.coverage_simplify(geoms, SIMPLIFY_TOLERANCE_DEG)
    for f, g in zip(features, simplified):
        f["geom"] = shapely.set_precision(g, 10 ** -COORD_DECIMALS) if not g.is_empty else f["geom"]
    return features


def write_countries(features, out: Path):
    """One MultiPolygon feature per ISO code; the name comes from its largest part."""
    by_code = defaultdict(list)
    for f in features:
        by_code[f["code"]].append(f)
    rows = []
    feats = []
    for code in sorted(by_code):
        parts = by_code[code]
        main = max(parts, key=lambda f: f["area"])
        polys = [p for f in parts for p in polygons_of(f["geom"]) if not p.is_empty and p.area > 0]
        geom = {"type": "MultiPolygon",
                "coordinates": [round_coords(mapping(p)["coordinates"]) for p in polys]}
        feats.append({"type": "Feature", "properties": {"region": code, "name": main["name"]},
                      "geometry": geom})
        rows.append((code, main["name"], main["a3"]))
    write_feature_collection(feats, out / "countries.geojson")
    return rows


def write_feature_collection(feats, path):
    with open(path, "w") as fh:
        fh.write('{"type":"FeatureCollection","features":[\n')
        fh.write(",\n".join(json.dumps(f, separators=(",", ":"), ensure_ascii=False) for f in feats))
        fh.write("\n]}\n")


def write_subdivisions(features_by_country, out: Path):
    feats = []
    rows = []
    for cc in sorted(features_by_country):
        for f in features_by_country[cc]:
            polys = [p for p in f["geom"].geoms if not p.is_empty and p.area > 0]
            geom = {"type": "MultiPolygon",
                    "coordinates": [round_coords(mapping(p)["coordinates"]) for p in polys]}
            feats.append({"type": "Feature", "properties": {"region": f["code"], "name": f["name"], "parent": cc},
                          "geometry": geom})
            rows.append((f["code"], f["name"], cc))
    write_feature_collection(feats, out / "subdivisions.geojson")
    return rows


def read_owid_mix(raw: Path, a3_to_a2):
    path = raw / "gridmix/owid/electricity-prod-source-stacked.csv"
    rows = []
    skipped = set()
    with open(path, newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        col_source = {}
        for i, h in enumerate(header):
            for prefix, src in OWID_COLUMNS.items():
                if h.startswith(prefix):
                    col_source[i] = src
        assert sorted(col_source.values()) == sorted(SOURCES), col_source
        for r in reader:
            entity, code, year = r[0], r[1], int(r[2])
            if year < FIRST_YEAR or not code:
                continue
            if code == "OWID_WRL":
                region = "WORLD"
            elif code in OWID_SPECIAL_CODES:
                region = OWID_SPECIAL_CODES[code]
            elif code in a3_to_a2:
                region = a3_to_a2[code]
            else:
                skipped.add(f"{entity} ({code})")
                continue
            values = {}
            for i, src in col_source.items():
                values[src] = r[i]  # kept as the source's text: no rounding, no filling
            if any(v == "" for v in values.values()):
                skipped.add(f"{entity} {year} (blank source)")
                continue
            rows.append((region, year, values))
    rows.sort(key=lambda t: (t[0], t[1]))
    return rows, sorted(skipped)


def write_mix(rows, path: Path):
    """rows: dicts from subnational._row. Columns: region, year, months (the calendar months
    covered, "1-12" for a full year), dataset, unit (TWh or %), one column per source, note."""
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["region", "year", "months", "dataset", "unit"] + SOURCES + ["note"])
        for r in rows:
            w.writerow([r["region"], r["year"], r["months"], r["dataset"], r["unit"]]
                       + [r["values"][s] for s in SOURCES] + [r["note"]])


def subdivision_extras():
    """Aliases (old codes users may hold) and notes per subdivision code, and the regions
    that have a code but no polygon."""
    aliases = defaultdict(list)
    notes = {}
    for new, old in subnational.KZ_OLD_ISO.items():
        aliases[new].append(old)
    aliases["KZ-43"].append("KZ-BAY")
    for old, (new, _) in subnational.IN_2020.items():
        aliases[new].append(old)
    for newer, held in subnational.IN_NEWER_CODES.items():
        aliases[held].append(newer)
    for old, (new, _) in subnational.NO_2024.items():
        if old != new:
            aliases[new].append(old)
    no_polygon = []
    for code, (name, holder) in subnational.KZ_NEW_2022.items():
        no_polygon.append((code, name, "KZ"))
        notes[code] = (f"created in 2022; the boundary source predates it, so its area lies inside "
                       f"the polygon of {holder}")
        notes[holder] = (f"boundary predates the 2022 creation of {name} ({code}) from part of this "
                         f"region; sites in {name} are reported here")
    notes["KZ-43"] = "includes Baikonur, which has no ISO 3166-2 code of its own"
    return aliases, notes, no_polygon


def write_regions(country_rows, sub_rows, mix_regions, out: Path):
    aliases, notes, no_polygon = subdivision_extras()
    with open(out / "regions.csv", "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["region", "name", "level", "parent", "iso_a3", "aliases", "note"])
        w.writerow(["WORLD", "World", "world", "", "", "", ""])
        for code, name, a3 in country_rows:
            w.writerow([code, name, "national", "WORLD", a3, "", ""])
        for code, name, parent in sorted(sub_rows + no_polygon):
            w.writerow([code, name, "subnational", parent, "", " ".join(sorted(aliases.get(code, []))),
                        notes.get(code, "")])
    missing = [c for c, _, _ in country_rows if c not in mix_regions]
    return missing


def write_factors(raw: Path, out: Path):
    path = raw / "gridmix/ipcc/ipcc_ar5_wg3_annex3_tableA.III.2_lifecycle.csv"
    with open(path, newline="") as fh:
        table = {r["technology"]: r for r in csv.DictReader(fh)}
    with open(out / "emission-factors.csv", "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["source", "lifecycle_min", "lifecycle_median", "lifecycle_max", "direct",
                    "ipcc_technology", "citation"])
        for src in SOURCES:
            tech = IPCC_TECHNOLOGY[src]
            r = table[tech]
            direct = r["direct_median_gCO2eq_per_kWh"]
            citation = IPCC_CITATION
            if src == "oil":
                citation = OIL_CITATION
            elif direct:
                citation += f"; direct: {DIRECT_CITATION}"
            if not direct and src in DIRECT_ZERO_NOTE:
                direct = "0"
                citation += f"; direct: {DIRECT_ZERO_NOTE[src]}"
            w.writerow([src, r["lifecycle_min_gCO2eq_per_kWh"], r["lifecycle_median_gCO2eq_per_kWh"],
                        r["lifecycle_max_gCO2eq_per_kWh"], direct, tech, citation])


# miners.csv is not written here: it is compiled in the project, a cited source per row (see
# grid-data/SOURCES.md), and the raw mining/miner_models.csv stays as it was.


DATASETS = [
    ("natural-earth-admin0", "Natural Earth 1:10m Cultural Vectors, Admin 0 - Countries (ne_10m_admin_0_countries_deu)",
     "Natural Earth", "v5.1.1 (2022-05)", "Public domain", "https://www.naturalearthdata.com/",
     "country polygons (simplified, see SOURCES.md)"),
    ("natural-earth-admin1",
     "Natural Earth 1:10m Admin 1 - States, Provinces (ne_10m_admin_1_states_provinces, TopoJSON)",
     "Natural Earth; via Elastic Maps Service", "10m admin-1 as served by Elastic Maps Service",
     "Public domain", "https://www.naturalearthdata.com/",
     "province and state polygons (repaired and simplified, see SOURCES.md)"),
    ("natural-earth-admin1-50m", "Natural Earth 1:50m Admin 1 - States, Provinces (US, BR, CA, AU)",
     "Natural Earth", "50m admin-1", "Public domain (CC0 repackaging)", "https://www.naturalearthdata.com/",
     "the boundary between Minas Gerais and Mato Grosso do Sul"),
    ("owid-ember", "Electricity production by source (electricity-prod-source-stacked.csv)",
     "Our World in Data, based on Ember Yearly Electricity Data (2025) and Energy Institute Statistical Review (2024)",
     "OWID download, series to 2023", "CC BY 4.0",
     "https://ourworldindata.org/grapher/electricity-prod-source-stacked", "annual generation by source, TWh"),
    north_america.DATASETS[1],
    ("china-nbs", "Power generation by province and source, monthly, year-to-date (thermal, hydro, wind, solar, nuclear)",
     "National Bureau of Statistics of China (as exported by a data vendor)", "updated 2025-01-21, 1997-01 to 2024-12",
     "cite as National Bureau of Statistics of China", "https://data.stats.gov.cn/english/",
     "China's provinces, monthly and annual generation 2015-2024, 10 MWh"),
    ("gem-plants", "Global Energy Monitor: Global Coal Plant Tracker (July 2023) and Global Oil and Gas Plant Tracker (August 2023), unit-level capacity",
     "Global Energy Monitor (GEM)", "July 2023 (coal), August 2023 (oil and gas)", "CC BY 4.0",
     "https://globalenergymonitor.org/projects/global-coal-plant-tracker/",
     "China's provinces: operating coal and gas capacity (MW) that splits NBS's thermal generation; with GEM's hydropower, nuclear, bioenergy and geothermal trackers, the units behind the modelled regions (gem-model) (tools/gem_model.py)"),
    (gem_model.MODELLED_DATASET,
     "Mixes modelled from plant capacity: GEM's operating units (coal July 2023, oil and gas August 2023, hydropower May 2023, nuclear October 2023, bioenergy November 2023, geothermal July 2023) x the country's generation per MW of GEM capacity by source (OWID/Ember)",
     "hashmix (tools/gem_model.py), from Global Energy Monitor's trackers and Our World in Data / Ember",
     "GEM 2023 editions; country generation 2015-2023", "CC BY 4.0 (GEM; OWID/Ember)",
     "https://globalenergymonitor.org/",
     "Irkutsk, Krasnoyarsk, Sarawak and ten of Kazakhstan's oblasts (those making at least 2% of their country's generation): annual generation by source, TWh, modelled (region_level modelled)"),
    ("us-eia", "Net generation by state by type of producer by energy source (annual_generation_state)",
     "U.S. Energy Information Administration (EIA-906, EIA-920, EIA-923)", "1990-2019",
     "Public domain (U.S. Government)", "https://www.eia.gov/electricity/data/state/",
     "US states, annual generation 1990-2000 (before Ember's series), Total Electric Power Industry, MWh"),
    ("ember-us", "US state generation by fuel, from Ember's yearly electricity data",
     "Ember", "June 2026 release, 2023-2025, values transcribed", "CC BY 4.0",
     "https://ember-energy.org/data/yearly-electricity-data/",
     "US states, annual generation 2025 (the year Ember's data API lacks), TWh"),
    north_america.DATASETS[0],
    ("cer-canada", "Canada's Energy Future / provincial and territorial energy profiles: electricity generation by source",
     "Canada Energy Regulator (packaged as canada_energy_mix_2023.json, MIT)", "2023",
     "cite Canada Energy Regulator", "https://www.cer-rec.gc.ca/en/data-analysis/energy-markets/provincial-territorial-energy-profiles/",
     "Canadian provinces and territories, generation shares 2023, %"),
    ("ipcc-ar5", "IPCC AR5 WG3 Annex III, Table A.III.2: lifecycle emissions of electricity supply technologies",
     "IPCC (Schloemer et al. 2014)", "2014", "cite IPCC (2014)", "https://www.ipcc.ch/report/ar5/wg3/",
     "emission factors, gCO2e/kWh"),
    ("miner-catalogue", "ASIC miner models: hashrate, power, efficiency",
     "CBECI hardware list (CCAF) and the secondary sources named per row in miners.csv", "compiled 2026",
     "facts with per-row attribution", "https://ccaf.io/cbnsi/cbeci", "nameplate hashrate and J/TH of models"),
    ("policy-events", "Government measures on crypto mining, 2018-2026 (policy-events.csv)",
     "compiled from official notices and press reports, cited per row; reviewed by tools/build_risk_data.py",
     "events to 2026-04; reviewed 2026-12", "facts with per-row attribution", "",
     "crackdown risk: measures in force, announced, lapsed, nearby; rationing history"),
    ("ccaf-mining-map", "Cambridge Bitcoin Mining Map (hashrate share by country, Chinese province and US state)",
     "Cambridge Centre for Alternative Finance (CCAF), as reported at the addresses in mining-regions.csv",
     "Sep 2019-Apr 2020; Sep 2021-Jan 2022; US and Canada also from the 2025 Digital Mining Industry Report (survey shares)",
     "facts, cite CCAF",
     "https://jbs.cam.ac.uk/insight/2022/bitcoin-mining-electricity-update-new-data",
     "backtest: the regions that have hosted significant mining"),
]


def write_datasets(out: Path):
    with open(out / "datasets.csv", "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "title", "publisher", "vintage", "licence", "url", "used_for"])
        w.writerows(DATASETS + build_published_factors.DATASETS)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    raw, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    features, dropped_features = read_countries(raw)
    features = simplify_countries(features)
    country_rows = write_countries(features, out)
    a3_to_a2 = {a3: code for code, _, a3 in country_rows if a3 not in ("-99", "")}
    mix_rows, skipped = read_owid_mix(raw, a3_to_a2)

    admin1 = subnational.read_admin1(raw)
    admin1, repair_log = subnational.repair(admin1, raw)
    worst, worst_code = subnational.simplify(admin1, SUBDIVISION_TOLERANCE_DEG)
    sub_rows = write_subdivisions(admin1, out)

    annual = [subnational._row(r, y, "1-12", "owid-ember", "TWh", v) for r, y, v in mix_rows]
    gem_units = gem_model.read_units(raw, gem_model.MODEL_COUNTRIES)
    cn_national = {y: {s: float(v[s]) for s in ("coal", "gas")} for r, y, v in mix_rows if r == "CN"}
    coal_gas = gem_model.china_coal_gas_weights(
        gem_units, cn_national, subnational.CN_PROVINCES,
        range(subnational.CN_FIRST_YEAR, subnational.CN_LAST_YEAR + 1))
    cn_annual, cn_monthly, cn_log = subnational.read_china(raw, mix_rows, coal_gas)
    annual += [subnational._row(code, year, "1-12", gem_model.MODELLED_DATASET, "TWh",
                                {s: subnational._fmt(v) for s, v in values.items()}, note)
               for code, year, values, note in gem_model.modelled_rows(gem_units, mix_rows, admin1,
                                                                         subnational.SOURCES)]
    us_rows, us_log = north_america.us_states(raw)
    nir_rows, nir_log = north_america.read_nir_canada(raw)
    early_rows, early_log = north_america.early_country_rows(raw, a3_to_a2, mix_rows)
    annual += cn_annual + us_rows + subnational.read_canada(raw) + nir_rows + early_rows
    annual.sort(key=lambda r: (r["region"], r["year"]))
    write_mix(annual, out / "mix-annual.csv")
    write_mix(cn_monthly, out / "mix-monthly.csv")
    missing = write_regions(country_rows, sub_rows, {r for r, _, _ in mix_rows}, out)
    write_factors(raw, out)
    write_datasets(out)
    print("admin-0 features without an ISO code (dropped):", "; ".join(dropped_features))
    print("OWID entities not matched to a polygon (skipped):", "; ".join(skipped))
    print("countries without OWID data (use WORLD):", " ".join(missing))
    print("admin-1 repairs:\n  " + "\n  ".join(repair_log))
    print(f"largest distance from a source subdivision to its simplified form: {worst:.4f} deg, about {worst * 111.2:.2f} km ({worst_code})")
    print("China rows left out:\n  " + "\n  ".join(cn_log))
    print("North America and early-ending countries:\n  " + "\n  ".join(us_log + nir_log + early_log))


if __name__ == "__main__":
    main()
