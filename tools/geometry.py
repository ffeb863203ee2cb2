"""Geometry helpers shared by the boundary builders (build_grid_data.py, build_published_factors.py)."""

# Decimal places kept for coordinates: 1e-4 deg is about 11 m.
COORD_DECIMALS = 4


def polygons_of(geom):
    """The polygons of a shapely geometry, looking inside multi-polygons and collections."""
    if geom.geom_type == "Polygon":
        return [geom]
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [p for g in geom.geoms for p in polygons_of(g)]
    return []


def round_coords(obj):
    """GeoJSON coordinates (nested lists) rounded to COORD_DECIMALS."""
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(obj[0], COORD_DECIMALS), round(obj[1], COORD_DECIMALS)]
        return [round_coords(o) for o in obj]
    return obj
