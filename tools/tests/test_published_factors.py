"""grid-data/published-factors.csv and zones.geojson against the raw files they come from (issue 22).

Every published rate is read again here from the raw file, with its own parsing, and compared
value by value with the row the build script wrote; then sites in known places are located in
the grid zones. Run from the repository root:

    python3 -m pip install -r tools/requirements.txt
    HASHMIX_DATA_RAW=../shared/data-raw python3 -m pytest tools/tests

The tests marked `raw` need the raw folder: without it they fail (they do not skip), because a
check that silently does not run would let a wrong number through. `.ci/run` runs them whenever
the raw folder is there, and says plainly when it is not (a clone without ../shared/data-raw can
only check the committed files against each other: `-m "not raw"`).
"""

import csv
import json
import math
import os
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import shapely
from shapely.geometry import Point, shape
from shapely.ops import nearest_points

REPO = Path(__file__).resolve().parents[2]
GRID = REPO / "grid-data"
LB = Decimal("0.45359237")  # 1 lb/MWh in g/kWh, exactly (the international pound is 0.45359237 kg)
# The nearest-region rule of src/regions/mod.rs (NEAREST_MAX_KM): a point just outside every
# polygon (a coastal town, a border city) is matched to the nearest one within this distance.
NEAREST_MAX_KM = 10.0


@pytest.fixture(scope="session")
def raw():
    path = Path(os.environ.get("HASHMIX_DATA_RAW", REPO / ".." / "shared" / "data-raw")).resolve()
    if not (path / "README.md").is_file():
        pytest.fail(f"raw data folder not found at {path}: set HASHMIX_DATA_RAW to the data-raw folder "
                    "(these tests compare grid-data with it and must not be skipped)")
    return path


@pytest.fixture(scope="session")
def factors():
    with open(GRID / "published-factors.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    table = {}
    for r in rows:
        table.setdefault((r["region"], int(r["year"]), r["basis"], r["field"]), []).append(r)
    return rows, table


def one(table, region, year, basis, field):
    found = table.get((region, year, basis, field), [])
    assert len(found) == 1, f"{region} {year} {basis} {field}: {len(found)} rows"
    return found[0]


def check(table, region, year, basis, field, expected: Decimal, dataset):
    r = one(table, region, year, basis, field)
    assert Decimal(r["g_per_kwh"]) == expected, f"{region} {year} {field}: {r['g_per_kwh']} != {expected}"
    assert r["dataset"] == dataset, (region, year, r["dataset"])


# ---------------------------------------------------------------------------------------------
# Published rates, value by value


@pytest.mark.raw
def test_every_egrid_subregion_rate_2020_to_2023_is_the_published_rate_times_the_pound(raw, factors):
    _, table = factors
    folder = raw / "gridmix/us-egrid/power-profiler"
    seen = 0
    for suffix, year in [("2020", 2020), ("2021", 2021), ("2022", 2022), ("2023rev2", 2023)]:
        fc = json.loads((folder / f"subregion_egrid{suffix}.json").read_text(), parse_float=Decimal)
        for f in fc["features"]:
            p = f["properties"]
            if p.get("type") != "subregion":
                continue
            rates = p["emissionFactor"]
            if "co2eEmissionRate" in rates:
                field, value = "SRC2ERTA", rates["co2eEmissionRate"]["value"]
            else:  # eGRID2020's file has the CO2 rate only
                field, value = "SRCO2RTA", rates["co2EmissionRate"]["value"]
            check(table, f"US-{p['name']}", year, "direct", field, value * LB, "egrid-power-profiler")
            seen += 1
    assert seen == 4 * 27


@pytest.mark.raw
def test_every_egrid_2018_and_2019_state_and_subregion_rate_is_reproduced(raw, factors):
    _, table = factors
    folder = raw / "gridmix/us-egrid/egrid-explorer-2018-2019"
    seen = 0
    for name, key, field in [("state_egrid2018_2019.csv", "PSTATABB", "STC2ERTA"),
                             ("subregion_egrid2018_2019.csv", "SUBRGN", "SRC2ERTA")]:
        with open(folder / name, newline="") as fh:
            for r in csv.DictReader(fh):
                region = "PR" if r[key] == "PR" and key == "PSTATABB" else f"US-{r[key]}"
                check(table, region, int(r["Year"]), "direct", field, Decimal(r[field]) * LB, "egrid-explorer")
                seen += 1
    assert seen == 103 + 53


@pytest.mark.raw
def test_every_egrid_2023_state_rate_is_stc2erta_times_the_pound(raw, factors):
    _, table = factors
    d = json.loads((raw / "gridmix/codecarbon/private_infra/2023/usa_emissions.json").read_text(),
                   parse_float=Decimal)
    assert d["_source"]["field"] == "STC2ERTA" and d["_source"]["year"] == 2023
    states = {v["regionCode"]: v["emissions"] for k, v in d.items() if not k.startswith("_") and k != "usa"}
    assert len(states) == 51  # 50 states and DC
    for code, lb in states.items():
        check(table, f"US-{code}", 2023, "direct", "STC2ERTA", lb * LB, "egrid-state-2023")


@pytest.mark.raw
def test_every_mee_2023_province_factor_is_reproduced(raw, factors):
    _, table = factors
    d = json.loads((raw / "gridmix/codecarbon/private_infra/2023/china_provincial_emissions.json").read_text(),
                   parse_float=Decimal)
    assert len(d["data"]) == 30
    for code, v in d["data"].items():
        check(table, code, 2023, "direct", "provincial average electricity CO2 emission factor",
              v["emission_factor"], "mee-china-2023")
        assert one(table, code, 2023, "direct", "provincial average electricity CO2 emission factor")["gases"] == "CO2"


NIR_SHEETS = {f"Table A13-{i}": code for i, code in enumerate(
    ["CA", "CA-NL", "CA-PE", "CA-NS", "CA-NB", "CA-QC", "CA-ON", "CA-MB", "CA-SK", "CA-AB", "CA-BC", "CA-YT",
     "CA-NT", "CA-NU"], start=1)}


def nir_values(raw):
    """{(region, year, label): number} for the two intensity rows of every NIR Annex 13 table."""
    wb = openpyxl.load_workbook(raw / "gridmix/canada-nir/eccc-nir-annex13/EN_Annex13_Electricity_Intensity_NIR2024.xlsx",
                                read_only=True, data_only=True)
    out = {}
    for sheet, region in NIR_SHEETS.items():
        rows = [list(r) for r in wb[sheet].iter_rows(values_only=True)]
        header = next(r for r in rows if r[2] == 1990)
        for r in rows:
            label = r[1] if isinstance(r[1], str) else ""
            for name in ("Generation Intensity (g CO2 eq / kWh)", "Consumption Intensity (g CO2 eq / kWh)"):
                if label.startswith(name):
                    for col, year in enumerate(header):
                        if year is None or col < 2:
                            continue
                        cell = r[col] if col < len(r) else None
                        if isinstance(cell, (int, float)):
                            out[(region, int(str(year).rstrip("a")), name)] = Decimal(repr(cell)) if isinstance(cell, float) else Decimal(cell)
    return out


@pytest.mark.raw
def test_every_nir_province_year_is_reproduced_and_generation_intensity_is_the_headline(raw, factors):
    _, table = factors
    values = nir_values(raw)
    for (region, year, name), value in values.items():
        check(table, region, year, "direct", name, value, "nir-canada")
    # Every province and territory has its generation intensity as the headline for 2005-2021,
    # except Nunavut 2005-2013, which NIR does not show ('x'): its consumption intensity is used.
    for region in NIR_SHEETS.values():
        for year in range(2005, 2022):
            gen = values.get((region, year, "Generation Intensity (g CO2 eq / kWh)"))
            head = [r for (reg, y, b, _), rs in table.items() if (reg, y, b) == (region, year, "direct")
                    for r in rs if r["headline"] == "true"]
            assert len(head) == 1, (region, year)
            if gen is not None:
                assert head[0]["field"] == "Generation Intensity (g CO2 eq / kWh)", (region, year)
                assert Decimal(head[0]["g_per_kwh"]) == gen
            else:
                assert region == "CA-NU" and year <= 2013, (region, year)
                assert head[0]["field"] == "Consumption Intensity (g CO2 eq / kWh)"


@pytest.mark.raw
def test_every_ember_country_and_state_year_is_reproduced(raw, factors):
    _, table = factors
    with open(GRID / "regions.csv", newline="") as fh:
        regions = list(csv.DictReader(fh))
    a3 = {r["iso_a3"]: r["region"] for r in regions if r["level"] == "national"}
    a3["XKX"] = "XK"  # Ember's code for Kosovo; Natural Earth has -99
    states = {r["name"]: r["region"] for r in regions if r["parent"] == "US"}
    states["Washington, D.C."] = "US-DC"
    seen = 0
    folder = raw / "gridmix/ember-data-api"
    with open(folder / "api_country_overview_yearly.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            region = "WORLD" if r["country_or_region"] == "World" else a3.get(r["country_code"])
            if region is None:
                assert r["country_code"] in ("", "GUF", "GLP", "MTQ", "REU"), r["country_code"]
                continue
            check(table, region, int(r["year"]), "lifecycle", "emissions_intensity_gco2_per_kwh",
                  Decimal(r["emissions_intensity_gco2_per_kwh"]), "ember-api")
            seen += 1
    with open(folder / "api_overview_usa_yearly.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["state"] in ("Puerto Rico", "US Total"):
                continue  # the country table carries PRI and USA
            check(table, states[r["state"]], int(r["year"]), "lifecycle", "emissions_intensity_gco2_per_kwh",
                  Decimal(r["emissions_intensity_gco2_per_kwh"]), "ember-api")
            seen += 1
    assert seen == 6204


@pytest.mark.raw
def test_every_nordic_zone_year_is_reproduced(raw, factors):
    _, table = factors
    folder = raw / "gridmix/nordic-khepri/khepri"
    expected = {}
    for name, years in [("drift-results-2021-2025.md", range(2021, 2026)),
                        ("se-drift-results-2022-2025.md", range(2022, 2026))]:
        text = (folder / name).read_text()
        table_text = text.split("## Annual CI per zone")[1].split("\n## ")[0]
        for line in table_text.splitlines():
            cells = [c.strip() for c in line.strip("| ").split("|")]
            if cells[0][:2] in ("NO", "SE") and cells[0][2:].isdigit():
                for year, cell in zip(years, cells[1:]):
                    expected[(f"{cells[0][:2]}-{cells[0]}", year)] = Decimal(cell)
    assert len(expected) == 5 * 5 + 4 * 4
    for (zone, year), value in expected.items():
        check(table, zone, year, "lifecycle", "annual CI", value, "khepri-nordic")


def test_hand_checked_values(factors):
    """The five values the Rust tests assert, worked out by hand from the raw files."""
    _, table = factors
    # eGRID2023 rev2 SRC2ERTA for ERCT (Power Profiler subregion_egrid2023rev2.json,
    # co2eEmissionRate): 736.629 lb/MWh x 0.45359237 = 334.12929392073 g/kWh
    assert one(table, "US-ERCT", 2023, "direct", "SRC2ERTA")["g_per_kwh"] == "334.12929392073"
    # eGRID2023 rev2 STC2ERTA for Texas (codecarbon usa_emissions.json, "texas"):
    # 771.179 lb/MWh x 0.45359237 = 349.80091030423 g/kWh
    assert one(table, "US-TX", 2023, "direct", "STC2ERTA")["g_per_kwh"] == "349.80091030423"
    # MEE/NBS 2023, Sichuan (china_provincial_emissions.json, "CN-SC"): 156.4 gCO2/kWh
    assert one(table, "CN-SC", 2023, "direct", "provincial average electricity CO2 emission factor")["g_per_kwh"] == "156.4"
    # NIR 2024 Table A13-6 (Quebec), generation intensity 2021: 1.3 g CO2e/kWh
    assert one(table, "CA-QC", 2021, "direct", "Generation Intensity (g CO2 eq / kWh)")["g_per_kwh"] == "1.3"
    # Ember, Kazakhstan 2023 (api_country_overview_yearly.csv, KAZ, emissions_intensity_gco2_per_kwh): 821.9
    assert one(table, "KZ", 2023, "lifecycle", "emissions_intensity_gco2_per_kwh")["g_per_kwh"] == "821.9"


def test_each_region_year_and_basis_has_exactly_one_headline_and_known_codes(factors):
    rows, _ = factors
    heads = {}
    for r in rows:
        assert r["basis"] in ("direct", "lifecycle")
        assert r["headline"] in ("true", "false")
        if r["headline"] == "true":
            key = (r["region"], r["year"], r["basis"])
            assert key not in heads, key
            heads[key] = r
    keys = {(r["region"], r["year"], r["basis"]) for r in rows}
    assert keys == set(heads), sorted(keys - set(heads))[:5]
    with open(GRID / "regions.csv", newline="") as fh:
        codes = {r["region"] for r in csv.DictReader(fh)}
    with open(GRID / "zones.csv", newline="") as fh:
        zones = list(csv.DictReader(fh))
    codes |= {z["zone"] for z in zones}
    assert {r["region"] for r in rows} <= codes
    with open(GRID / "datasets.csv", newline="") as fh:
        datasets = {d["id"] for d in csv.DictReader(fh)}
    assert {r["dataset"] for r in rows} | {z["dataset"] for z in zones} <= datasets


# ---------------------------------------------------------------------------------------------
# Grid zones


@pytest.fixture(scope="session")
def zones():
    fc = json.loads((GRID / "zones.geojson").read_text())
    return [(f["properties"]["region"], shape(f["geometry"])) for f in fc["features"]]


def km_between(a: Point, b: Point) -> float:
    """Great-circle distance, km (mean Earth radius 6371.0088 km, IUGG)."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a.x, a.y, b.x, b.y))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def locate(zones, lat, lon):
    """(zone, km outside it): the zone containing the point, else the nearest within NEAREST_MAX_KM."""
    p = Point(lon, lat)
    inside = [code for code, g in zones if g.covers(p)]
    assert len(inside) <= 1, inside
    if inside:
        return inside[0], 0.0
    code, g = min(zones, key=lambda z: z[1].distance(p))
    km = km_between(p, nearest_points(g, p)[0])
    return (code, km) if km <= NEAREST_MAX_KM else ("", km)


@pytest.mark.parametrize("place, lat, lon, zone", [
    ("Rockdale, Texas", 30.65, -97.00, "US-ERCT"),
    ("Odessa, Texas (Permian Basin)", 31.85, -102.37, "US-ERCT"),
    ("Amarillo, Texas (SPP, not ERCOT)", 35.20, -101.83, "US-SPSO"),
    ("Massena, upstate New York", 44.93, -74.89, "US-NYUP"),
    ("Bismarck, North Dakota", 46.81, -100.78, "US-MROW"),
    ("Bergen, western Norway", 60.39, 5.32, "NO-NO5"),
    ("Kuching, Sarawak", 1.55, 110.34, "MY-EM"),
    ("Kuala Lumpur", 3.14, 101.69, "MY-WM"),
    ("Bratsk, Irkutsk oblast (Siberia)", 56.15, 101.63, "RU-2"),
    ("Moscow", 55.75, 37.62, "RU-1"),
])
def test_a_site_inside_a_grid_zone_lands_in_it(zones, place, lat, lon, zone):
    assert locate(zones, lat, lon) == (zone, 0.0), place


@pytest.mark.parametrize("place, lat, lon, zone, max_km", [
    # The Electricity Maps coastline is coarse: Luleå lies about 2.4 km outside SE1's polygon in
    # the source file too, so it lands in SE1 by the nearest-region rule.
    ("Luleå, northern Sweden", 65.58, 22.15, "SE-SE1", 3.0),
    # El Paso sits on the Mexican border, just outside the eGRID polygon: WECC Southwest, not ERCOT.
    ("El Paso, Texas (WECC, not ERCOT)", 31.76, -106.49, "US-AZNM", 2.0),
])
def test_a_site_just_outside_a_coarse_zone_edge_lands_in_the_nearest_zone(zones, place, lat, lon, zone, max_km):
    got, km = locate(zones, lat, lon)
    assert got == zone and 0 < km <= max_km, (place, got, km)


def test_a_site_in_a_country_without_grid_zones_has_none(zones):
    # Ekibastuz, Kazakhstan: Kazakhstan is a single grid zone, so a site there has no zone.
    assert locate(zones, 51.72, 75.32)[0] == ""


def test_every_zone_polygon_is_valid_and_no_two_zones_overlap(zones):
    geoms = [g for _, g in zones]
    assert all(g.is_valid and not g.is_empty for g in geoms)
    tree = shapely.STRtree(geoms)
    for i, g in enumerate(geoms):
        for j in tree.query(g):
            if j > i:
                assert g.intersection(geoms[j]).area < 1e-9, (zones[i][0], zones[j][0])
    assert len(zones) == 27 + 14
