"""Type stub of the hashmix package (see hashmix/__init__.py for the docstrings)."""

import os
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

import pandas as pd

_Path = Union[str, os.PathLike[str]]
Sites = Union[pd.DataFrame, _Path, Sequence[Mapping[str, Any]]]

__version__: str
SCHEMA: str
CATEGORIES: dict[str, list[str]]
FRAME_NAME: str

class Error(Exception):
    """A run of hashmix could not be done; the message is the command line's."""

class UsageError(Error):
    """An option was not valid."""

class InputError(Error):
    """The sites (or another input file) cannot be used at all."""

class DataError(Error):
    """Grid data, emission factors or risk rules could not be read."""

class OutputError(Error):
    """The output could not be written."""

def assess(
    sites: Sites,
    *,
    year: Optional[int] = ...,
    month: Optional[str] = ...,
    factors: Optional[str] = ...,
    basis: Optional[str] = ...,
    as_of: Optional[str] = ...,
    draws: int = ...,
    seed: int = ...,
    columns: Optional[Iterable[str]] = ...,
    instruments: Optional[_Path] = ...,
    residual_mix: Optional[_Path] = ...,
    **options: Any,
) -> pd.DataFrame: ...
def assess_to_file(sites: Sites, output: _Path, *, format: str = ..., **options: Any) -> int: ...
def esrs(sites: Sites, *, year: int, **options: Any) -> pd.DataFrame: ...
def compare(regions: Union[str, Iterable[str]], **options: Any) -> pd.DataFrame: ...
def regions(
    country: Optional[str] = ..., level: Optional[int] = ..., *, geometry: Optional[bool] = ...
) -> pd.DataFrame: ...
def miners() -> pd.DataFrame: ...
def mica(*, from_: str, to: str, **options: Any) -> pd.DataFrame: ...
def report(sites: Sites, output: _Path, **options: Any) -> int: ...
