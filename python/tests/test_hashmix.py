"""The Python package gives what the `hashmix` command gives, for good and bad rows.

The command is the binary built from the same checkout (`cargo build`; `HASHMIX_BIN` names
another). Each test runs both on the same input and compares value for value, or byte for
byte where the package writes the command's own format.
"""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import hashmix

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SEED = EXAMPLES / "seed-sites.csv"
BIN = os.environ.get("HASHMIX_BIN", str(ROOT / "target" / "debug" / "hashmix"))


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    out = subprocess.run([BIN, *args], capture_output=True)
    if check:
        assert out.returncode in (0, 1), out.stderr.decode()
    return out


def cli_json(*args: str) -> dict:
    return json.loads(cli(*args, "--format", "json").stdout)


def same(a, b) -> bool:
    """A frame's cell equals a JSON value: numbers exactly, empty as None/NaN/NA."""
    if b is None:
        return a is None or a is pd.NA or (isinstance(a, float) and math.isnan(a))
    if isinstance(b, (int, float)) and not isinstance(b, bool):
        return float(a) == float(b)
    return str(a) == str(b)


def assert_frame_is_command(frame: pd.DataFrame, args: list[str]) -> None:
    """Every cell of the frame equals the command's JSON output for `args`; the risk reasons
    (objects in JSON) equal the CSV output's one-line summaries, as the frame holds them."""
    sites = cli_json(*args)["sites"]
    csv = pd.read_csv(io.BytesIO(cli(*args, "--format", "csv").stdout), dtype=str, keep_default_na=False)
    assert len(frame) == len(sites)
    assert list(frame.columns) == list(sites[0].keys())
    for i, site in enumerate(sites):
        for field, want in site.items():
            if field == "risk_reasons":
                want = csv[field].iloc[i] or None
            got = frame[field].iloc[i]
            assert same(got, want), f"row {i} {field}: {got!r} != {want!r}"


def test_a_file_gives_every_field_the_command_gives():
    frame = hashmix.assess(SEED)
    assert_frame_is_command(frame, ["assess", str(SEED)])
    doc = cli_json("assess", str(SEED))
    assert frame.attrs["schema"] == doc["schema"] == "hashmix.assess.v8"
    assert frame.attrs["portfolio"] == doc["portfolio"]
    assert frame.attrs["sources"] == doc["sources"]
    assert frame.attrs["exit_code"] == 0


def test_types_are_numbers_integers_and_levels():
    frame = hashmix.assess(SEED, draws=0)
    assert frame["intensity_g_per_kwh"].dtype == "float64"
    assert str(frame["data_year"].dtype) == "Int64"
    assert str(frame["risk_score"].dtype) == "Int64"
    assert list(frame["risk_level"].cat.categories) == ["low", "elevated", "high", "severe"]
    assert list(frame["status"].cat.categories) == ["ok", "error"]
    # Ekibastuz, 10,300 AvalonMiner 1246 (90 TH/s each, 38 J/TH): 927,000 TH/s.
    assert frame.loc[frame["id"] == "ekibastuz", "hashrate_ths"].item() == 927_000.0


def test_a_dataframe_gives_the_commands_csv_byte_for_byte(tmp_path):
    sites = pd.read_csv(SEED, dtype=str, keep_default_na=False)
    out = tmp_path / "from-frame.csv"
    assert hashmix.assess_to_file(sites, out, format="csv", year=2023) == 0
    want = cli("assess", str(SEED), "--format", "csv", "--year", "2023").stdout
    assert out.read_bytes() == want


def test_options_reach_the_engine_as_the_commands_flags():
    frame = hashmix.assess(SEED, year=2022, basis="lifecycle", as_of="2024-06-30", draws=200, seed=7)
    assert_frame_is_command(
        frame,
        ["assess", str(SEED), "--year", "2022", "--basis", "lifecycle", "--as-of", "2024-06-30",
         "--draws", "200", "--seed", "7"],
    )
    assert set(frame["basis"]) == {"lifecycle"}


def test_bad_rows_are_rows_of_the_frame_with_the_commands_messages(tmp_path):
    rows = [
        {"id": "good", "lat": 51.7236, "lon": 75.3233, "power_mw": 10},
        {"id": "bad-lat", "lat": 95.0, "lon": 75.3233, "power_mw": 10},
        {"id": "no-size", "lat": 51.7236, "lon": 75.3233},
    ]
    frame = hashmix.assess(rows, draws=0)
    assert frame.attrs["exit_code"] == 1
    assert list(frame["status"]) == ["ok", "error", "error"]
    # The same rows through the command, from the file the frame writes.
    path = tmp_path / "sites.csv"
    path.write_bytes(hashmix._sites_bytes(rows))
    assert path.read_text().splitlines()[:3] == [
        "id,lat,lon,power_mw",
        "good,51.7236,75.3233,10",
        "bad-lat,95,75.3233,10",
    ]
    assert_frame_is_command(frame, ["assess", str(path), "--draws", "0"])
    assert pd.isna(frame["error"].iloc[0])
    # The frame's header is line 1, so its second row is line 3.
    assert frame["error"].iloc[1] == (
        "line 3, column 'lat', value '95': expected a latitude between -90 and 90; did you swap lat and lon? "
        "(75.3233, 95) would be in Russia"
    )
    # Two ids of the same length on failed rows stay each their own (a cache of the last text
    # once returned the previous row's id).
    assert list(frame["id"]) == ["good", "bad-lat", "no-size"]


def test_an_error_that_stops_the_run_raises_with_the_commands_message():
    with pytest.raises(hashmix.UsageError) as e:
        hashmix.assess(SEED, basis="nope")
    want = cli("assess", str(SEED), "--basis", "nope", check=False)
    assert want.returncode == 2
    assert want.stderr.decode().strip() == f"hashmix: {e.value}"
    missing = EXAMPLES / "no-such-file.csv"
    with pytest.raises(hashmix.InputError) as e:
        hashmix.assess(missing)
    assert cli("assess", str(missing), check=False).stderr.decode().strip() == f"hashmix: {e.value}"
    assert issubclass(hashmix.InputError, hashmix.Error)


def test_compare_regions_and_miners_are_the_commands_tables():
    frame = hashmix.compare(["US-TX", "KZ"], year=2023)
    doc = cli_json("compare", "US-TX", "KZ", "--year", "2023")
    assert frame.to_dict("records") == doc["regions"]
    us = hashmix.regions(country="US", level=1, geometry=False)
    assert len(us) == 51  # 50 states and DC
    assert us.to_dict("records") == cli_json("regions", "--country", "US", "--level", "1")["regions"]
    assert hashmix.miners().to_dict("records") == cli_json("miners")


def test_mica_reproduces_the_checked_in_example():
    want = json.loads((EXAMPLES / "mica-bitcoin-2021" / "indicators.json").read_text())
    # args.txt: `mica`, then one flag and its value per line.
    lines = (EXAMPLES / "mica-bitcoin-2021" / "args.txt").read_text().splitlines()
    assert lines[0] == "mica"
    options = {
        ("from_" if flag == "--from" else flag[2:].replace("-", "_")): value
        for flag, value in zip(lines[1::2], lines[2::2])
    }
    frame = hashmix.mica(**options)
    assert list(frame.index) == list(want["indicators"].keys())
    assert frame.loc["S.8", "value"] == want["indicators"]["S.8"]["value"]
    assert frame.loc["S.13", "p95"] == want["indicators"]["S.13"]["p95"]
    assert frame.attrs["compared"] == want["compared"]


def test_the_esrs_table_is_the_worked_examples():
    scope = EXAMPLES / "scope"
    table = hashmix.esrs(scope / "sites.csv", year=2023, instruments=scope / "instruments.csv")
    want = pd.read_csv(scope / "esrs.csv", dtype=str, keep_default_na=False)
    assert list(table["label"]) == list(want["label"])
    # Gross Scope 1 of the fleet, as the example's README works it out: 90,651.984 t.
    assert table["value"].iloc[0] == 90651.984
    assert [None if v == "" else float(v) for v in want["value"]] == [
        None if pd.isna(v) else v for v in table["value"]
    ]


def test_regions_with_geopandas_are_the_boundaries_sites_are_placed_in():
    geopandas = pytest.importorskip("geopandas")
    from shapely.geometry import Point

    norway = hashmix.regions(country="NO")
    assert isinstance(norway, geopandas.GeoDataFrame)
    assert norway.crs.to_epsg() == 4326
    # Every region listed with a boundary has its geometry.
    assert norway.loc[norway["boundary"], "geometry"].notna().all()
    # Oslo's city hall (59.9119 N, 10.7336 E) lies in Oslo's polygon, and assess places it there.
    oslo = norway.set_index("region").loc["NO-03", "geometry"]
    assert oslo.contains(Point(10.7336, 59.9119))
    frame = hashmix.assess([{"id": "oslo", "lat": 59.9119, "lon": 10.7336, "power_mw": 1}], draws=0)
    assert frame["region"].iloc[0] == "NO-03"
