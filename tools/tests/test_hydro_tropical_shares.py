"""Tests of tools/hydro_tropical_shares.py (python3 -m pytest tools/tests)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import hydro_tropical_shares  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT.parent / "shared" / "data-raw"


def square(x0, y0, side):
    return [[x0, y0], [x0 + side, y0], [x0 + side, y0 + side], [x0, y0 + side], [x0, y0]]


def polygon(x0, y0, side):
    return {"type": "Polygon", "coordinates": [square(x0, y0, side)]}


def test_a_square_s_centroid_is_its_middle_whatever_its_winding():
    assert hydro_tropical_shares.centroid_latitude(polygon(0, 10, 2)) == 11.0
    clockwise = list(reversed(square(0, 10, 2)))
    assert hydro_tropical_shares.centroid_latitude({"type": "Polygon", "coordinates": [clockwise]}) == 11.0


def test_parts_weigh_by_area_and_holes_are_taken_out():
    # A 2x2 square at latitude 0-2 (area 4, centroid 1) and a 1x1 at 10-11 (area 1, centroid 10.5):
    # (4 x 1 + 1 x 10.5) / 5 = 2.9.
    multi = {"type": "MultiPolygon", "coordinates": [[square(0, 0, 2)], [square(5, 10, 1)]]}
    assert abs(hydro_tropical_shares.centroid_latitude(multi) - 2.9) < 1e-12
    # A 4x4 square at 0-4 with a 2x2 hole at 0-2 (x 1-3): (16 x 2 - 4 x 1) / 12 = 2.3333.
    holed = {"type": "Polygon", "coordinates": [square(0, 0, 4), square(1, 0, 2)]}
    assert abs(hydro_tropical_shares.centroid_latitude(holed) - 28 / 12) < 1e-12


def test_shares_weigh_units_by_capacity_count_border_dams_for_both_banks_else_use_the_centroid():
    found = [
        ("AA", polygon(0, 20, 10)),  # latitude 20-30, both sides of the tropic at 23.44
        ("BB", polygon(10, 20, 10)),  # its neighbour east of longitude 10
        ("CC", polygon(0, -5, 5)),  # centroid -2.5, no unit: tropical
        ("DD", polygon(0, 40, 5)),  # centroid 42.5, no unit: not tropical
    ]
    # 300 MW at 22 N (inside) and 100 MW at 25 N (outside) in AA; the 100 MW unit sits 0.05 deg
    # from BB's border, so it counts for BB too.
    units = [(22.0, 5.0, 300.0), (25.0, 9.95, 100.0)]
    shares = hydro_tropical_shares.tropical_shares(found, units)
    assert shares == {"AA": 0.75, "BB": 0.0, "CC": 1.0, "DD": 0.0}


@pytest.mark.skipif(not RAW.exists(), reason="needs ../shared/data-raw")
def test_the_table_written_is_the_one_in_the_embedded_model():
    grid_data = ROOT / "grid-data"
    text = (grid_data / "uncertainty.toml").read_text()
    shares = hydro_tropical_shares.tropical_shares(hydro_tropical_shares.regions(grid_data), hydro_tropical_shares.operating_units(RAW))
    assert text.endswith(hydro_tropical_shares.table(shares))
    # Itaipu (25.4 S) and Yacyreta (27.5 S) put all of Paraguay's hydro outside the tropics.
    assert (shares["PY"], shares["CA-QC"], shares["NO"], shares["BR"]) == (0.0, 0.0, 0.0, 0.7185)
