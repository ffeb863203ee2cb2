#!/usr/bin/env python3
"""Write the `[hydro_climate.latitude]` table at the end of grid-data/uncertainty.toml.

Usage:
    python3 tools/hydro_latitudes.py grid-data

The uncertainty model draws hydropower's lifecycle factor from a narrower range outside the
tropics than inside them (see uncertainty.toml, `[hydro_climate]`). Which side a region is on
is decided by the latitude of the centroid of its polygon in countries.geojson,
subdivisions.geojson or zones.geojson (the polygons hashmix locates sites in), written here
once per region so that the rule and its inputs can be read in one file.

The centroid is the area-weighted centroid of the (multi)polygon computed on longitude and
latitude as plane coordinates (the shoelace formula). That is not the centroid on the sphere,
but it is within a fraction of a degree of it for every region except those that span tens of
degrees of latitude, and the rule only asks which side of the tropics a region lies on. Only
the standard library is used, so the script runs without tools/requirements.txt.
"""

import json
import sys
from pathlib import Path

# The marker line after which this script owns uncertainty.toml (to the end of the file).
MARKER = "[hydro_climate.latitude]"

# Decimal places of the latitudes written: 0.01 deg is about 1.1 km.
LATITUDE_DECIMALS = 2

FILES = ("countries.geojson", "subdivisions.geojson", "zones.geojson")


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


def latitudes(grid_data):
    """Every region's centroid latitude, by region code (the first file naming a code wins)."""
    found = {}
    for name in FILES:
        path = Path(grid_data) / name
        if not path.exists():
            continue
        for feature in json.loads(path.read_text())["features"]:
            code = feature["properties"]["region"]
            if code not in found:
                found[code] = round(centroid_latitude(feature["geometry"]), LATITUDE_DECIMALS)
    return found


def table(found):
    """The TOML table, one `"CODE" = latitude` line per region in code order."""
    lines = [MARKER]
    lines += [f'"{code}" = {found[code]}' for code in sorted(found)]
    return "\n".join(lines) + "\n"


def main(grid_data):
    toml = Path(grid_data) / "uncertainty.toml"
    text = toml.read_text()
    head, sep, _ = text.partition(MARKER)
    if not sep:
        sys.exit(f"{toml}: no line '{MARKER}' to write the latitudes after")
    toml.write_text(head + table(latitudes(grid_data)))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
