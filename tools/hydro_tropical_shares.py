#!/usr/bin/env python3
"""Write the `[hydro_climate.tropical_share]` table at the end of grid-data/uncertainty.toml.

Usage:
    python3 -m pip install -r tools/requirements.txt
    python3 tools/hydro_tropical_shares.py ../shared/data-raw grid-data

The uncertainty model draws hydropower's lifecycle factor from a narrower range outside the
tropics than inside them (see uncertainty.toml, `[hydro_climate]`). A region's hydro is drawn
from the two ranges in proportion to its tropical share: the share of its operating hydropower
capacity that lies within the tropics, from the units of GEM's Global Hydropower Tracker (May
2023, CC BY 4.0; plants-gem/SOURCE.txt). A unit counts for every region whose polygon in
countries.geojson, subdivisions.geojson or zones.geojson lies within UNIT_REACH_DEG of it, so
that a dam on a border river (Itaipu, on the Parana between Brazil and Paraguay) counts for both
banks. A region without an operating unit within reach gets 1 or 0 by the latitude of its
polygon's centroid (area-weighted, longitude and latitude taken as plane coordinates).
"""

import json
import sys
from pathlib import Path

import openpyxl
from shapely import STRtree
from shapely.geometry import Point, shape

# The marker line after which this script owns uncertainty.toml (to the end of the file).
MARKER = "[hydro_climate.tropical_share]"

# The tropics of Cancer and Capricorn: the obliquity of the ecliptic, 23 deg 26 min (IAU, J2000),
# as in uncertainty.toml's tropics_latitude.
TROPICS_LATITUDE = 23.44

# How far from a region's polygon a unit still counts for it, degrees (0.1 deg is about 11 km):
# GEM places many dams on the river that is the border, and its coordinates are sometimes
# "approximate" (Location Accuracy), so a strict point-in-polygon test would drop them.
UNIT_REACH_DEG = 0.1

# Decimal places of the shares written.
SHARE_DECIMALS = 4

FILES = ("countries.geojson", "subdivisions.geojson", "zones.geojson")
HYDRO_TRACKER = "plants-gem/Global-Hydropower-Tracker-May-2023.xlsx"


def ring_area_centroid(ring):
    """Signed area and the area-weighted centroid's (x, y) sums of one closed ring (shoelace)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return a / 2.0, cx / 6.0, cy / 6.0


def centroid_latitude(geometry):
    """Latitude of the area-weighted centroid of a Polygon or MultiPolygon (holes subtracted)."""
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    area = sum_y = 0.0
    for polygon in polygons:
        for i, ring in enumerate(polygon):
            a, _, y = ring_area_centroid(ring)
            # The outer ring counts positively and holes negatively, whatever their winding.
            sign = 1.0 if i == 0 else -1.0
            if a < 0:
                a, y = -a, -y
            area += sign * a
            sum_y += sign * y
    return sum_y / area


def regions(grid_data):
    """(code, GeoJSON geometry) of every region, the first file naming a code winning."""
    found = {}
    for name in FILES:
        path = Path(grid_data) / name
        if not path.exists():
            continue
        for feature in json.loads(path.read_text())["features"]:
            found.setdefault(feature["properties"]["region"], feature["geometry"])
    return sorted(found.items())


def operating_units(raw):
    """(latitude, longitude, capacity MW) of every operating unit of the hydropower tracker."""
    book = openpyxl.load_workbook(Path(raw) / HYDRO_TRACKER, read_only=True)
    rows = book["Data"].iter_rows(values_only=True)
    header = next(rows)
    units = []
    for row in rows:
        unit = dict(zip(header, row))
        if unit["Status"] == "operating" and unit["Latitude"] is not None and unit["Capacity (MW)"]:
            units.append((float(unit["Latitude"]), float(unit["Longitude"]), float(unit["Capacity (MW)"])))
    return units


def tropical_shares(found, units):
    """Each region's tropical share: by capacity within reach, else by its centroid."""
    shapes = [shape(g) for _, g in found]
    tree = STRtree(shapes)
    tropical = [0.0] * len(found)
    total = [0.0] * len(found)
    for lat, lon, mw in units:
        for i in tree.query(Point(lon, lat), predicate="dwithin", distance=UNIT_REACH_DEG):
            total[i] += mw
            tropical[i] += mw if abs(lat) <= TROPICS_LATITUDE else 0.0
    shares = {}
    for i, (code, geometry) in enumerate(found):
        if total[i] > 0:
            shares[code] = round(tropical[i] / total[i], SHARE_DECIMALS)
        else:
            shares[code] = 1.0 if abs(centroid_latitude(geometry)) <= TROPICS_LATITUDE else 0.0
    return shares


def table(shares):
    """The TOML table, one `"CODE" = share` line per region in code order."""
    lines = [MARKER]
    lines += [f'"{code}" = {shares[code]}' for code in sorted(shares)]
    return "\n".join(lines) + "\n"


def main(raw, grid_data):
    toml = Path(grid_data) / "uncertainty.toml"
    text = toml.read_text()
    head, sep, _ = text.partition(MARKER)
    if not sep:
        sys.exit(f"{toml}: no line '{MARKER}' to write the shares after")
    toml.write_text(head + table(tropical_shares(regions(grid_data), operating_units(raw))))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
