"""Tests of tools/hydro_latitudes.py (python3 -m pytest tools/tests)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import hydro_latitudes  # noqa: E402


def square(x0, y0, side):
    return [[x0, y0], [x0 + side, y0], [x0 + side, y0 + side], [x0, y0 + side], [x0, y0]]


def test_a_square_s_centroid_is_its_middle_whatever_its_winding():
    assert hydro_latitudes.centroid_latitude({"type": "Polygon", "coordinates": [square(0, 10, 2)]}) == 11.0
    clockwise = list(reversed(square(0, 10, 2)))
    assert hydro_latitudes.centroid_latitude({"type": "Polygon", "coordinates": [clockwise]}) == 11.0


def test_parts_weigh_by_area_and_holes_are_taken_out():
    # A 2x2 square at latitude 0-2 (area 4, centroid 1) and a 1x1 at 10-11 (area 1, centroid 10.5):
    # (4 x 1 + 1 x 10.5) / 5 = 2.9.
    multi = {"type": "MultiPolygon", "coordinates": [[square(0, 0, 2)], [square(5, 10, 1)]]}
    assert abs(hydro_latitudes.centroid_latitude(multi) - 2.9) < 1e-12
    # A 4x4 square at 0-4 with a 2x2 hole at 0-2 (x 1-3): (16 x 2 - 4 x 1) / 12 = 2.3333.
    holed = {"type": "Polygon", "coordinates": [square(0, 0, 4), square(1, 0, 2)]}
    assert abs(hydro_latitudes.centroid_latitude(holed) - 28 / 12) < 1e-12


def test_the_table_written_is_the_one_in_the_embedded_model():
    grid_data = Path(__file__).resolve().parents[2] / "grid-data"
    text = (grid_data / "uncertainty.toml").read_text()
    assert text.endswith(hydro_latitudes.table(hydro_latitudes.latitudes(grid_data)))
