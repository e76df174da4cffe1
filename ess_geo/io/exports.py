"""Exports of tables and layers: CSV for French Excel, XLSX, GeoJSON, GeoPackage.

Every function takes data and returns the file's bytes, ready for
``st.download_button`` or for writing to disk. Text cells that a spreadsheet
would run as a formula (starting with ``=``, ``+``, ``-`` or ``@``, or a tab
or carriage return) are neutralised with a leading apostrophe in CSV and
XLSX, so that a name typed by someone cannot execute in someone else's Excel
(CSV injection).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd

from ess_geo.io.xlsx import write_workbook

__all__ = [
    "CSV_DECIMALS",
    "FORMULA_PREFIXES",
    "PROGRESS_ROWS",
    "neutralise_formulas",
    "to_csv",
    "to_geojson",
    "to_geopackage",
    "to_text",
    "to_xlsx",
]

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy where text cells that a spreadsheet would evaluate are made inert.

    Parameters
    ----------
    frame : pandas.DataFrame

    Returns
    -------
    pandas.DataFrame
        Same shape; text cells starting with ``=``, ``+``, ``-``, ``@``, a tab
        or a carriage return get a leading apostrophe. Numbers are untouched
        (a negative number stays a number).

    Examples
    --------
    >>> neutralise_formulas(pd.DataFrame({"nom": ["=1+1", "Amicale"]}))["nom"].tolist()
    ["'=1+1", 'Amicale']
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(_neutralise)
    return out


def to_csv(frame: pd.DataFrame, *, decimals: int | None = None) -> bytes:
    """CSV as French Excel opens it: UTF-8 with BOM, ``;`` separator, ``,`` decimals.

    Parameters
    ----------
    frame : pandas.DataFrame
    decimals : int, optional
        Round floats to this many decimals.

    Returns
    -------
    bytes
    """
    data = neutralise_formulas(frame)
    if decimals is not None:
        data = data.round(decimals)
    text = data.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def _cells(table: pd.DataFrame) -> list[list]:
    """Rows of plain Python values (None for missing), as openpyxl writes them."""
    columns = []
    for name in table.columns:
        column = table[name]
        if pd.api.types.is_datetime64_any_dtype(column):
            if getattr(column.dt, "tz", None) is not None:
                column = column.dt.tz_localize(None)
            values = column.astype(object).where(column.notna(), None).tolist()
        elif pd.api.types.is_bool_dtype(column) or pd.api.types.is_numeric_dtype(
            column
        ):
            values = column.astype(object).where(column.notna(), None).tolist()
        else:
            values = [
                None if v is None or v is pd.NA or v != v else v  # NaN != NaN
                for v in column.astype(object).tolist()
            ]
        columns.append(values)
    return [list(row) for row in zip(*columns, strict=True)] if columns else []


def to_xlsx(
    sheets: Mapping[str, pd.DataFrame] | pd.DataFrame,
    *,
    progress: Callable[[float], None] | None = None,
) -> bytes:
    """An Excel workbook with one sheet per table, written as a stream.

    Rows go straight to the sheets' XML (:func:`ess_geo.io.xlsx.write_workbook`)
    instead of through a cell object each: the 30,000-actor workspace took
    21 s with openpyxl, a tenth of that now.

    Parameters
    ----------
    sheets : mapping of str to pandas.DataFrame, or one DataFrame
        Sheet name (at most 31 characters, as Excel requires) -> table.
    progress : callable, optional
        Called with the fraction of rows written (0 to 1), every
        :data:`PROGRESS_ROWS` rows and at the end.

    Returns
    -------
    bytes
    """
    if isinstance(sheets, pd.DataFrame):
        sheets = {"Données": sheets}
    tables = {
        name[:31]: neutralise_formulas(
            pd.DataFrame(table).drop(columns="geometry", errors="ignore")
        )
        for name, table in sheets.items()
    }
    return write_workbook(
        {
            name: ([str(c) for c in t.columns], _cells(t), len(t))
            for name, t in tables.items()
        },
        progress=progress,
        every=PROGRESS_ROWS,
    )


PROGRESS_ROWS = 5_000
"""How often (in rows) :func:`to_xlsx` reports its progress."""


def to_geojson(gdf: gpd.GeoDataFrame) -> bytes:
    """GeoJSON (WGS 84) of a layer, UTF-8."""
    return gdf.to_crs("EPSG:4326").to_json(drop_id=True, ensure_ascii=False).encode()


def to_geopackage(layers: Mapping[str, gpd.GeoDataFrame | pd.DataFrame]) -> bytes:
    """A GeoPackage holding one layer per entry (opens in QGIS).

    Parameters
    ----------
    layers : mapping of str to geopandas.GeoDataFrame or pandas.DataFrame
        Layer name -> layer. Layers may be empty. A plain DataFrame becomes
        a table without geometry (QGIS lists it with the layers).

    Returns
    -------
    bytes
    """
    import pyogrio

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.gpkg"
        for name, layer in layers.items():
            if isinstance(layer, gpd.GeoDataFrame):
                layer.to_file(path, layer=name, driver="GPKG", engine="pyogrio")
            else:
                pyogrio.write_dataframe(layer, path, layer=name, driver="GPKG")
        return path.read_bytes()


CSV_DECIMALS = 4
"""Decimals kept in the command line's CSV output (DESIGN.md: at most 4)."""


def to_text(table: pd.DataFrame, fmt: str, *, lists: tuple[str, ...] = ()) -> str:
    """A territory table as the ``weight`` and ``gaps`` commands print it.

    Parameters
    ----------
    table : pandas.DataFrame
    fmt : {"csv", "json"}
        ``"csv"``: ``,`` separator, a header row, floats rounded to
        :data:`CSV_DECIMALS` decimals, missing values empty, text that a
        spreadsheet would run as a formula neutralised
        (:func:`neutralise_formulas`). ``"json"``: a
        list of objects, one per row, numbers unrounded, missing values
        ``null``.
    lists : tuple of str
        Columns holding ``|``-separated values, written as JSON lists.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If ``fmt`` is neither ``"csv"`` nor ``"json"``.

    Examples
    --------
    >>> frame = pd.DataFrame({"code": ["29"], "ratio": [2 / 3], "reseaux": ["A|B"]})
    >>> print(to_text(frame, "csv"), end="")
    code,ratio,reseaux
    29,0.6667,A|B
    >>> to_text(frame, "json", lists=("reseaux",))
    '[{"code": "29", "ratio": 0.6666666666666666, "reseaux": ["A", "B"]}]'
    """
    if fmt == "csv":
        floats = table.select_dtypes("float").columns
        rounded = table.assign(**{c: table[c].round(CSV_DECIMALS) for c in floats})
        return neutralise_formulas(rounded).to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        plain = table.astype(object).where(table.notna(), None)
        records = plain.to_dict(orient="records")
        for record in records:
            for column in lists:
                value = record.get(column)
                record[column] = [v for v in (value or "").split("|") if v]
        return json.dumps(records, ensure_ascii=False, allow_nan=False)
    raise ValueError(f'`fmt` was "{fmt}" but is expected to be "csv" or "json"')
