"""hashmix for Python: what electricity a Bitcoin mining site runs on.

The figures come from the same Rust library as the ``hashmix`` command (compiled into
``hashmix._hashmix``); this module only turns DataFrames into the library's input and its
output into DataFrames. Field names, units and values are the command's (see docs/fields.md
in the repository); options are the command's flags with ``-`` written ``_``.

    >>> import hashmix
    >>> frame = hashmix.assess("examples/seed-sites.csv", year=2023)
    >>> frame[["id", "region", "intensity_g_per_kwh", "co2_t_per_year"]]
    >>> frame.attrs["portfolio"]["co2_t_per_year"]

A row that cannot be assessed is a row of the frame with ``status`` ``"error"`` and its
``error`` message (never an exception); only an error that stops the whole run raises
:class:`Error` (or a subclass), with the command's message.
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _hashmix
from ._hashmix import DataError, Error, InputError, OutputError, UsageError

__all__ = [
    "assess",
    "assess_to_file",
    "compare",
    "regions",
    "miners",
    "mica",
    "esrs",
    "report",
    "Error",
    "UsageError",
    "InputError",
    "DataError",
    "OutputError",
    "__version__",
]

__version__: str = _hashmix.version()

Sites = Union[pd.DataFrame, str, "os.PathLike[str]", Sequence[Mapping[str, Any]]]

#: Text fields returned as pandas categoricals, with their categories in this order.
CATEGORIES: dict[str, list[str]] = {
    "status": ["ok", "error"],
    "region_level": ["world", "national", "subnational", "modelled", "zone"],
    "match": ["inside", "nearest", "declared", "none"],
    "risk_level": ["low", "elevated", "high", "severe"],
    "basis": ["direct", "lifecycle"],
}

#: The name a DataFrame or a list of records has in messages (a file keeps its path).
FRAME_NAME = "<DataFrame>"


def _flags(options: Mapping[str, Any]) -> list[str]:
    """Keyword options as the command's flags: ``as_of="2024-06-30"`` -> ``--as-of 2024-06-30``;
    ``True`` -> the bare flag; ``None`` and ``False`` -> nothing; a list -> comma-separated."""
    argv: list[str] = []
    for key, value in options.items():
        if value is None or value is False:
            continue
        flag = "--" + key.replace("_", "-")
        if value is True:
            argv.append(flag)
        elif isinstance(value, (list, tuple)):
            argv += [flag, ",".join(str(v) for v in value)]
        else:
            argv += [flag, os.fspath(value) if isinstance(value, os.PathLike) else str(value)]
    return argv


def _frame_of(sites: Union[pd.DataFrame, Sequence[Mapping[str, Any]]]) -> pd.DataFrame:
    return sites if isinstance(sites, pd.DataFrame) else pd.DataFrame.from_records(list(sites))


def _frame_columns(frame: pd.DataFrame) -> list[tuple]:
    """A frame's columns as the library takes them: numbers as buffers (no text made of them
    in Python), anything else as text, None where empty."""
    columns: list[tuple] = []
    for name in frame.columns:
        series = frame[name]
        if pd.api.types.is_bool_dtype(series.dtype) or not pd.api.types.is_numeric_dtype(series.dtype):
            values = series.astype(object).to_numpy()
            missing = pd.isna(values)
            columns.append(
                (str(name), [None if m else v if isinstance(v, str) else str(v) for v, m in zip(values, missing)])
            )
        elif pd.api.types.is_integer_dtype(series.dtype) and not series.isna().any():
            columns.append((str(name), "int", series.to_numpy(dtype="<i8").tobytes()))
        else:
            columns.append((str(name), "float", series.to_numpy(dtype="<f8", na_value=np.nan).tobytes()))
    return columns


def _sites_bytes(sites: Union[pd.DataFrame, Sequence[Mapping[str, Any]]]) -> bytes:
    """A frame or records as the bytes of the CSV file `assess` reads for them (for the
    commands that read a file)."""
    return _hashmix.frame_csv(_frame_columns(_frame_of(sites)))


def _column(kind: str, data: bytes, distinct: Optional[list[str]], name: str) -> Any:
    if kind == "float":
        return np.frombuffer(data, dtype="<f8").copy()
    if kind == "int":
        values = np.frombuffer(data, dtype="<f8")
        mask = np.isnan(values)
        return pd.arrays.IntegerArray(np.where(mask, 0, values).astype("int64"), mask)
    codes = np.frombuffer(data, dtype="<i4")
    assert distinct is not None
    order = CATEGORIES.get(name)
    if order is not None and set(distinct) <= set(order):
        lookup = {v: order.index(v) for v in distinct}
        remap = np.array([lookup[v] for v in distinct] + [-1], dtype="int32")
        return pd.Categorical.from_codes(remap[codes], categories=order)
    # The distinct values, then None for code -1 (which indexes the last element).
    table = np.empty(len(distinct) + 1, dtype=object)
    table[: len(distinct)] = distinct
    table[len(distinct)] = None
    return table[codes]


def assess(
    sites: Sites,
    *,
    year: Optional[int] = None,
    month: Optional[str] = None,
    factors: Optional[str] = None,
    basis: Optional[str] = None,
    as_of: Optional[str] = None,
    draws: int = 1000,
    seed: int = 1,
    columns: Optional[Iterable[str]] = None,
    instruments: Optional[Union[str, "os.PathLike[str]"]] = None,
    residual_mix: Optional[Union[str, "os.PathLike[str]"]] = None,
    **options: Any,
) -> pd.DataFrame:
    """Assess sites as ``hashmix assess`` does: one row per input row, in input order.

    ``sites``: a DataFrame with the columns of the sites CSV contract (``lat``, ``lon`` or
    ``region``, ``hashrate_ths`` or ``power_mw``, ``model``, ...), a path to a CSV, XLSX or
    GeoJSON file, or a list of dicts. Other keyword options are the command's flags
    (``months="2023-01..2023-06"``, ``risk_rules=path``, ``vintage_window_months=6``, ...).

    Returns a DataFrame with every output field (or those of ``columns``, plus ``status`` and
    ``error``): numbers as float64 rounded as the command writes them, ``data_year`` and
    ``risk_score`` as nullable Int64, levels as categoricals, other text as str (None where
    empty). ``frame.attrs`` holds ``schema``, ``portfolio``, ``sources``, ``uncertainty``,
    ``scope`` (as in the JSON output) and ``exit_code`` (0 all rows ok, 1 some failed).
    """
    flags = dict(
        year=year, month=month, factors=factors, basis=basis, as_of=as_of, draws=draws, seed=seed,
        columns=list(columns) if columns is not None else None, instruments=instruments,
        residual_mix=residual_mix,
    )
    flags.update(options)
    if isinstance(sites, (str, os.PathLike)):
        # The library reads the file itself: its messages name it as the command's do.
        argv = ["assess", os.fspath(sites), "--quiet"] + _flags(flags)
        cols, tail, exit_code = _hashmix.assess_columns(argv, None, "")
    else:
        # The header is line 1, so the frame's row i is line i + 2 in messages.
        argv = ["assess", "-", "--quiet"] + _flags(flags)
        cols, tail, exit_code = _hashmix.assess_columns(argv, _frame_columns(_frame_of(sites)), FRAME_NAME)
    frame = pd.DataFrame({field: _column(kind, raw, distinct, field) for field, kind, raw, distinct in cols})
    frame.attrs.update(json.loads(tail))
    frame.attrs["schema"] = SCHEMA
    frame.attrs["exit_code"] = exit_code
    return frame


def _run(argv: list[str]) -> int:
    return _hashmix.run(argv)


def _with_sites(sites: Sites, work: str) -> str:
    """A path the command can read for ``sites``: the file itself, or the frame written out."""
    if isinstance(sites, (str, os.PathLike)):
        return os.fspath(sites)
    data = _sites_bytes(sites)  # type: ignore[arg-type]
    path = os.path.join(work, "sites.csv")
    with open(path, "wb") as f:
        f.write(data)
    return path


def assess_to_file(sites: Sites, output: Union[str, "os.PathLike[str]"], *, format: str = "csv", **options: Any) -> int:
    """Write ``hashmix assess`` output to ``output`` exactly as the command writes it (any
    ``format``: csv, json, ndjson, geojson, xlsx, esrs, table). The file appears only once
    complete. Returns the exit code (0, or 1 when some rows failed)."""
    with tempfile.TemporaryDirectory() as work:
        path = _with_sites(sites, work)
        return _run(["assess", path, "--quiet", "--format", format, "-o", os.fspath(output)] + _flags(options))


def esrs(sites: Sites, *, year: int, **options: Any) -> pd.DataFrame:
    """The ESRS E1-6 / E1-5 table (Scope 1, Scope 2 location- and market-based, energy by
    source) of ``hashmix assess --format esrs``, one row per line; ``year`` is the reporting
    year. ``instruments=`` and ``residual_mix=`` take files as on the command line."""
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "esrs.csv")
        assess_to_file(sites, out, format="esrs", year=year, **options)
        return pd.read_csv(out, dtype=str, keep_default_na=False).replace({"": None}).pipe(_numbers, "value")


def _numbers(frame: pd.DataFrame, *fields: str) -> pd.DataFrame:
    for field in fields:
        if field in frame:
            frame[field] = pd.to_numeric(frame[field], errors="coerce")
    return frame


def _json_of(argv: list[str]) -> Any:
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "out.json")
        _run(argv + ["--format", "json", "-o", out])
        with open(out, encoding="utf-8") as f:
            return json.load(f)


def compare(regions: Union[str, Iterable[str]], **options: Any) -> pd.DataFrame:
    """``hashmix compare``: one row per region or grid zone (codes such as ``"US-TX"``,
    ``"KZ"``, ``"US-ERCT"``) with its mix, intensity, intervals and risk. ``frame.attrs``
    holds the rest of the JSON document (schema, factors, sources, ...)."""
    codes = [regions] if isinstance(regions, str) else list(regions)
    doc = _json_of(["compare", *codes] + _flags(options))
    frame = pd.DataFrame.from_records(doc.pop("regions"))
    frame.attrs.update(doc)
    return frame


def regions(country: Optional[str] = None, level: Optional[int] = None, *, geometry: Optional[bool] = None) -> pd.DataFrame:
    """``hashmix regions``: every region (and grid zone) with its level, parent, years of data,
    datasets and freshness. With geopandas installed (or ``geometry=True``) a GeoDataFrame with
    each region's boundary (EPSG:4326); regions without a boundary have no geometry."""
    options = {"country": country, "level": level}
    doc = _json_of(["regions"] + _flags(options))
    frame = pd.DataFrame.from_records(doc["regions"])
    frame.attrs["schema"] = doc["schema"]
    if geometry is None:
        try:
            import geopandas  # noqa: F401
        except ImportError:
            return frame
        geometry = True
    if not geometry:
        return frame
    import geopandas

    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "regions.geojson")
        _run(["regions", "--format", "geojson", "-o", out] + _flags(options))
        shapes = geopandas.read_file(out)[["region", "geometry"]]
    merged = frame.merge(shapes, on="region", how="left")
    geo = geopandas.GeoDataFrame(merged, geometry="geometry", crs="EPSG:4326")
    geo.attrs["schema"] = doc["schema"]
    return geo


def miners() -> pd.DataFrame:
    """The miner catalogue: vendor, model, hashrate, power, efficiency, release and the source
    of every row."""
    frame = pd.DataFrame.from_records(json.loads(_hashmix.miners_json()))
    # A power the catalogue does not give is None, as in the command's JSON (not NaN).
    return frame.astype(object).where(frame.notna(), None)


def mica(*, from_: str, to: str, **options: Any) -> pd.DataFrame:
    """``hashmix mica``: the MiCA sustainability indicators of a proof-of-work asset over a
    period (``from_``, ``to``: ISO dates), one row per indicator (index: the code, ``S.8``...)
    with ``name``, ``value``, ``unit``, ``p05``, ``p95`` and the rest of the JSON indicator.
    Options are the command's flags: ``hashrate_ehs=``, ``hashrate=`` (a file),
    ``transactions=``, ``geography=`` (a file) or ``map="2021-04"``, ``compare_map=``, ...
    ``frame.attrs`` holds the document's other members (inputs, compared, notes, sources)."""
    doc = _json_of(["mica", "--from", str(from_), "--to", str(to)] + _flags(options))
    indicators = doc.pop("indicators")
    frame = pd.DataFrame.from_dict(indicators, orient="index")
    frame.index.name = "code"
    frame.attrs.update(doc)
    return frame


def report(sites: Sites, output: Union[str, "os.PathLike[str]"], **options: Any) -> int:
    """``hashmix report``: the HTML (or Markdown, by ``output``'s extension) report of a fleet.
    Returns the exit code (0, or 1 when some rows failed)."""
    with tempfile.TemporaryDirectory() as work:
        path = _with_sites(sites, work)
        return _run(["report", path, "--quiet", "-o", os.fspath(output)] + _flags(options))


#: The schema of ``assess``'s fields (the JSON output's ``schema``).
SCHEMA: str = _hashmix.assess_schema()
