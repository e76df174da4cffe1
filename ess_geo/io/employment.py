"""Total employment by commune: the denominator of ``part_emploi``.

The share of the ESS in employment needs the number of jobs of every sector
in each commune. INSEE publishes it in the census "base communale" files as
"emplois au lieu de travail" (``P21_EMPLT`` for 2021: the jobs located in
the commune, whoever holds them), as CSV (``;``) or XLSX with a few title
rows above the header, one sheet for communes and one for the
arrondissements municipaux of Paris, Lyon and Marseille.

:func:`read_employment` reads those files and their usual variants: a
commune code column (``CODGEO``…) and an employment column (``P21_EMPLT``,
``P20_EMPLT``…, the most recent year when several are present).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from pathlib import Path

import pandas as pd

from ess_geo import formats
from ess_geo.errors import InputFileError
from ess_geo.geo import geography
from ess_geo.io import limits
from ess_geo.text import fold

__all__ = [
    "ARRONDISSEMENTS",
    "fold_arrondissements",
    "read_employment",
]

ARRONDISSEMENTS: dict[str, str] = {
    **{f"751{n:02d}": "75056" for n in range(1, 21)},
    **{f"6938{n}": "69123" for n in range(1, 10)},
    **{f"132{n:02d}": "13055" for n in range(1, 17)},
}
"""Arrondissement municipal -> its commune (Paris, Lyon, Marseille)."""

_CODE_HEADERS = (
    "codgeo",
    "code commune",
    "code geographique",
    "code insee",
    "depcom",
    "com",
)
_EMPLOYMENT_HEADERS = (
    "emplt",
    "emplois",
    "emploi",
    "emplois au lieu de travail",
    "emploi total",
    "emplois totaux",
)
_YEAR_COLUMN = re.compile(r"^p(\d{2}) emplt$")  # P21_EMPLT, folded
_COMMUNE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")


def _find_columns(header: list[object]) -> tuple[int, int] | None:
    """Positions of the code and employment columns in a header row, if any."""
    names = [fold(str(cell)) for cell in header]
    code = next((i for i, n in enumerate(names) if n in _CODE_HEADERS), None)
    years = {
        int(m.group(1)): i for i, n in enumerate(names) if (m := _YEAR_COLUMN.match(n))
    }
    if years:
        employment = years[max(years)]
    else:
        employment = next(
            (i for i, n in enumerate(names) if n in _EMPLOYMENT_HEADERS), None
        )
    if code is None or employment is None:
        return None
    return code, employment


_HEADER_HINT = (
    "attendu une colonne de code commune (CODGEO) et une colonne d'emplois au "
    "lieu de travail (P21_EMPLT ou une autre année, EMPLT) : utilisez le fichier "
    "INSEE « base communale emploi – population active » (CSV ou XLSX)."
)


def _table_from_rows(rows: list[list[object]], source: str) -> pd.DataFrame | None:
    """Code/employment/line table from raw rows; the header is searched for.

    INSEE spreadsheets carry title rows and a row of long labels above the
    row of variable names: the header is the first row naming both columns.
    """
    for position, row in enumerate(rows[:30]):
        found = _find_columns(row)
        if found is None:
            continue
        code, employment = found
        body = rows[position + 1 :]
        return pd.DataFrame(
            {
                "code": [r[code] if code < len(r) else None for r in body],
                "emplois": [
                    r[employment] if employment < len(r) else None for r in body
                ],
                "line": range(position + 2, position + 2 + len(body)),
                "source": source,
            }
        )
    return None


def _decode(raw: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputFileError(  # pragma: no cover - cp1252 decodes nearly anything
        f"Fichier d'emploi {name} illisible : encodage inconnu "
        "(attendu UTF-8 ou Windows-1252)."
    )


def _csv_rows(raw: bytes, name: str) -> list[list[object]]:
    if b"\x00" in raw[:4096]:
        raise InputFileError(
            f"Fichier d'emploi {name} illisible : ce n'est pas un fichier "
            f"texte (CSV) ; {_HEADER_HINT}"
        )
    text = _decode(raw, name)
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    rows = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            rows.append(row)
            if len(rows) > limits.MAX_ROWS:
                raise InputFileError(
                    f"Fichier d'emploi {name} : plus de "
                    f"{formats.number(limits.MAX_ROWS)} lignes ; attendu une ligne "
                    "par commune."
                )
    except csv.Error as exc:
        raise InputFileError(
            f"Fichier d'emploi {name}, ligne {len(rows) + 1} illisible (guillemet "
            f"jamais fermé, cellule démesurée ou caractère nul) ; {_HEADER_HINT}"
        ) from exc
    return rows


def _xlsx_tables(raw: bytes, name: str) -> list[pd.DataFrame | None]:
    """One table per sheet, read in streaming mode within a cell budget."""
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            limits.check_zip(archive, name, limits.MAX_XLSX_BYTES, InputFileError)
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except InputFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise InputFileError(
            f"Classeur d'emploi {name} illisible ({type(exc).__name__}) ; "
            f"{_HEADER_HINT}"
        ) from exc
    budget = limits.CellBudget(name, error=InputFileError)
    found = []
    try:
        for sheet_name in book.sheetnames:
            found.append(_sheet_table(book[sheet_name], sheet_name, name, budget))
    except InputFileError:
        raise
    except Exception as exc:  # a damaged sheet
        raise InputFileError(
            f"Classeur d'emploi {name} illisible ({type(exc).__name__}) ; "
            f"{_HEADER_HINT}"
        ) from exc
    finally:
        book.close()
    return found


def _sheet_table(sheet, sheet_name: str, name: str, budget) -> pd.DataFrame | None:
    """A sheet's code/employment table, kept two cells a row; None without header.

    The header is searched in the first 30 rows: a sheet without one is not
    read further. Every cell visited counts against ``budget``.
    """
    head: list[list[object]] = []
    columns = None
    codes: list[object] = []
    jobs: list[object] = []
    lines: list[int] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        budget.spend(len(values))
        if columns is None:
            head.append(list(values))
            columns = _find_columns(head[-1])
            if columns is None and len(head) >= 30:
                return None
            continue
        if len(lines) >= limits.MAX_ROWS:
            raise InputFileError(
                f"Classeur d'emploi {name}, feuille {sheet_name} : plus de "
                f"{formats.number(limits.MAX_ROWS)} lignes."
            )
        code, employment = columns
        codes.append(values[code] if code < len(values) else None)
        jobs.append(values[employment] if employment < len(values) else None)
        lines.append(number)
    if columns is None:
        return None
    return pd.DataFrame(
        {
            "code": codes,
            "emplois": jobs,
            "line": lines,
            "source": f"feuille {sheet_name}",
        }
    )


def _read_tables(raw: bytes, name: str) -> list[pd.DataFrame]:
    """Every table of the file that has the two columns (one per XLSX sheet)."""
    if raw[:4] == b"PK\x03\x04":  # a zip container: XLSX
        found = _xlsx_tables(raw, name)
    else:
        found = [_table_from_rows(_csv_rows(raw, name), "")]
    tables = [t for t in found if t is not None]
    if not tables:
        raise InputFileError(
            f"Fichier d'emploi {name} : en-tête non reconnu ; {_HEADER_HINT}"
        )
    return tables


def _where(row: pd.Series) -> str:
    place = f"ligne {row['line']}"
    return f"{place} ({row['source']})" if row["source"] else place


def _clean(table: pd.DataFrame, name: str) -> pd.DataFrame:
    """Codes normalised and checked, numbers parsed and checked."""
    code = table["code"].map(lambda v: "" if pd.isna(v) else str(v).strip()).astype(str)
    # Spreadsheets turn "01001" into the number 1001 (or 1001.0).
    code = code.str.replace(r"\.0$", "", regex=True)
    code = code.where(~code.str.fullmatch(r"\d{4}"), code.str.zfill(5)).str.upper()
    value = (
        table["emplois"].map(lambda v: "" if pd.isna(v) else str(v).strip()).astype(str)
    )
    blank = (code == "") & (value == "")
    table = table.assign(code=code, emplois=value)[~blank]
    bad_code = table[~table["code"].str.fullmatch(_COMMUNE_CODE)]
    if len(bad_code):
        first = bad_code.iloc[0]
        raise InputFileError(
            f"Fichier d'emploi {name}, {_where(first)} : code commune "
            f"« {first['code']} » invalide (attendu 5 caractères, comme 29019 "
            f"ou 2A004) ; {len(bad_code)} ligne(s) concernée(s)."
        )
    text = (
        table["emplois"]
        .str.replace("\u202f", "", regex=False)
        .str.replace("\xa0", "", regex=False)
        .str.replace(" ", "", regex=False)
        .str.replace(",", ".", regex=False)
    )
    number = pd.to_numeric(text.where(text != ""), errors="coerce")
    bad_value = table[(number.isna() & (text != "")) | (number < 0)]
    if len(bad_value):
        first = bad_value.iloc[0]
        raise InputFileError(
            f"Fichier d'emploi {name}, {_where(first)} : nombre d'emplois "
            f"« {first['emplois']} » invalide pour la commune {first['code']} "
            "(attendu un nombre positif ou nul)."
        )
    return table.assign(emplois=number.astype("float64"))


def fold_arrondissements(employment: pd.Series) -> pd.Series:
    """Employment of Paris, Lyon and Marseille from their arrondissements.

    Parameters
    ----------
    employment : pandas.Series
        Employment by commune or arrondissement code.

    Returns
    -------
    pandas.Series
        The same, where arrondissements (751xx, 6938x, 132xx) are summed into
        their commune (75056, 69123, 13055) when the commune itself is not
        given, and dropped when it is (INSEE files give both: counting both
        would count Paris twice).

    Examples
    --------
    >>> fold_arrondissements(pd.Series({"75101": 10.0, "75102": 5.0})).to_dict()
    {'75056': 15.0}
    """
    parent = employment.index.map(lambda c: ARRONDISSEMENTS.get(c, c))
    is_arrondissement = employment.index.isin(list(ARRONDISSEMENTS))
    given = set(employment.index[~is_arrondissement])
    keep = ~is_arrondissement | ~parent.isin(list(given))
    kept = employment[keep]
    folded = kept.groupby(parent[keep], sort=True).sum(min_count=1)
    return folded.rename_axis(employment.index.name)


def read_employment(
    source: str | Path | bytes, *, name: str | None = None
) -> pd.Series:
    """Total employment by commune from an INSEE "emplois au lieu de travail" file.

    Parameters
    ----------
    source : str, path-like or bytes
        The file, or its content (an upload). CSV (``;``, ``,`` or tab;
        UTF-8 or Windows-1252) or XLSX (every sheet with the two columns is
        read: INSEE puts the arrondissements on their own sheet). The header
        may sit below title rows.
    name : str, optional
        The file's name for messages (default: the path's name).

    Returns
    -------
    pandas.Series
        Float jobs indexed by commune code (``commune``), arrondissements
        folded into Paris, Lyon and Marseille (:func:`fold_arrondissements`).
        Empty cells stay missing. Codes the embedded geography does not know
        (communes merged since the file's vintage) are kept, with a warning:
        their jobs count in no territory.

    Raises
    ------
    InputFileError
        If the file is unreadable, has no recognisable header or no data, a
        code is malformed or given twice, or a number is invalid or negative;
        the message names the line.

    Warns
    -----
    UserWarning
        When some codes are unknown to the geography.
    """
    if isinstance(source, bytes):
        raw, name = source, name or "téléversé"
        if len(raw) > limits.MAX_TABLE_BYTES:
            raise limits.file_too_big(
                "Le fichier d'emploi", name, limits.MAX_TABLE_BYTES, InputFileError
            )
    else:
        path = Path(source)
        name = name or path.name
        raw = limits.read_file(
            path, limits.MAX_TABLE_BYTES, "Le fichier d'emploi", InputFileError
        )
    tables = [_clean(t, name) for t in _read_tables(raw, name)]
    table = pd.concat(tables, ignore_index=True)
    if table.empty:
        raise InputFileError(
            f"Fichier d'emploi {name} : aucune ligne de données sous l'en-tête."
        )
    twice = table[table["code"].duplicated(keep=False)]
    if len(twice):
        lines = ", ".join(_where(r) for _, r in twice.head(2).iterrows())
        raise InputFileError(
            f"Fichier d'emploi {name} : la commune {twice.iloc[0]['code']} "
            f"apparaît plusieurs fois ({lines}) ; gardez une ligne par commune."
        )
    series = pd.Series(
        table["emplois"].to_numpy(),
        index=pd.Index(table["code"], name="commune"),
        name="emplois",
    )
    series = fold_arrondissements(series)
    unknown = series.index.difference(geography.communes().index)
    if len(unknown):
        warnings.warn(
            f"{len(unknown)} code(s) commune du fichier d'emploi absent(s) de la "
            f"géographie embarquée ({', '.join(unknown[:5])}"
            f"{'…' if len(unknown) > 5 else ''}) : communes fusionnées depuis le "
            "millésime du fichier ? Leurs emplois ne sont comptés dans aucun "
            "territoire.",
            UserWarning,
            stacklevel=2,
        )
    return series
