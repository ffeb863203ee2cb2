"""grid-data/mix-annual.csv's US state, Canadian province and early-ending country rows against
the raw files (issue 23), each read here with its own parsing. Run from the repository root:

    HASHMIX_DATA_RAW=../shared/data-raw python3 -m pytest tools/tests
"""

import csv
import os
import sys
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import north_america  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
GRID = REPO / "grid-data"
SOURCES = ["coal", "gas", "oil", "nuclear", "hydro", "wind", "solar", "bioenergy", "other_renewables"]


@pytest.fixture(scope="session")
def raw():
    path = Path(os.environ.get("HASHMIX_DATA_RAW", REPO / ".." / "shared" / "data-raw")).resolve()
    if not (path / "README.md").is_file():
        pytest.fail(f"raw data folder not found at {path}: set HASHMIX_DATA_RAW to the data-raw folder")
    return path


@pytest.fixture(scope="session")
def mix():
    with open(GRID / "mix-annual.csv", newline="") as fh:
        return {(r["region"], int(r["year"])): r for r in csv.DictReader(fh)}


def test_every_state_and_dc_has_every_year_from_1990_to_2024(mix):
    states = {region for region, _ in mix if region.startswith("US-")}
    assert len(states) == 51
    for state in states:
        for year in range(1990, 2025):
            row = mix[(state, year)]
            want = "us-eia" if year <= 2000 else "ember-us-api"
            assert row["dataset"] == want, (state, year)


@pytest.mark.raw
def test_ember_api_rows_are_the_raw_gwh_over_1000(raw, mix):
    fuels = {"Coal": "coal", "Gas": "gas", "Other Fossil": "oil", "Nuclear": "nuclear", "Hydro": "hydro",
             "Wind": "wind", "Solar": "solar", "Bioenergy": "bioenergy", "Other Renewables": "other_renewables"}
    seen = 0
    with open(raw / "gridmix/ember-data-api/api_generation_usa_yearly.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["variable"] not in fuels or r["state"] in ("Puerto Rico", "US Total"):
                continue
            code = "US-" + north_america.US_STATES[r["state"]]
            row = mix[(code, int(r["year"]))]
            assert float(row[fuels[r["variable"]]]) == pytest.approx(float(r["generation_gwh"]) / 1000, abs=1e-12)
            seen += 1
    assert seen == 9113  # fuel rows of the 50 states and D.C. (a fuel a state lacks has none)


def test_north_dakota_2024_coal_share_is_embers_5357(mix):
    row = mix[("US-ND", 2024)]
    total = sum(float(row[s]) for s in SOURCES)
    assert round(float(row["coal"]) / total * 100, 2) == 53.57
    assert row["coal"] == "23.17134"


def test_a_2025_row_is_kept_only_where_the_transcription_agrees_with_the_api():
    api = {("US-XX", 2024): {s: 1.0 for s in SOURCES}}
    close = {("US-XX", 2024): {**{s: 1.0 for s in SOURCES}, "coal": 1.1}}
    far = {("US-XX", 2024): {**{s: 1.0 for s in SOURCES}, "coal": 1.3}}
    # 1.1 of 9.1 against 1 of 9: 0.0099 apart; 1.3 of 9.3: 0.0287 apart.
    assert north_america.transcription_is_consistent(close, api, "US-XX", 2024)
    assert not north_america.transcription_is_consistent(far, api, "US-XX", 2024)
    assert not north_america.transcription_is_consistent({}, api, "US-XX", 2024)


@pytest.mark.raw
def test_manitoba_2012_is_nirs_table_a13_8(raw, mix):
    wb = openpyxl.load_workbook(raw / north_america.NIR_WORKBOOK, read_only=True, data_only=True)
    rows = [tuple(r) for r in wb["Table A13-8"].iter_rows(values_only=True)]
    header = next(r for r in rows if r[2] == 1990)
    col = header.index(2012)
    start = next(i for i, r in enumerate(rows) if str(r[2] or "").startswith("Electricity Generation"))
    gwh = {str(r[1]): r[col] for r in rows[start + 2:start + 11]}
    row = mix[("CA-MB", 2012)]
    assert float(row["coal"]) == gwh["Coal"] / 1000 == 0.052
    assert float(row["hydro"]) == gwh["Hydro"] / 1000 == 32.2
    assert float(row["wind"]) == gwh["Other Renewablesk"] / 1000 == 0.88
    assert row["dataset"] == "nir-canada"


def test_every_province_has_every_year_from_2005_to_2023(mix):
    provinces = {region for region, _ in mix if region.startswith("CA-")}
    assert len(provinces) == 13
    for p in provinces:
        for year in range(2005, 2024):
            assert mix[(p, year)]["dataset"] == ("cer-canada" if year == 2023 else "nir-canada"), (p, year)
    assert ("CA-NU", 2000) not in mix
    assert "includes Nunavut" in mix[("CA-NT", 2000)]["note"]


def test_the_emirates_2022_is_owids_shares(mix):
    row = mix[("AE", 2022)]
    assert (row["dataset"], row["unit"], row["gas"], row["hydro"]) == ("owid-ember-shares", "%", "82.506134", "0")
