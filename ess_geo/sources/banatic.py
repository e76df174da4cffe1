"""PETR (pôles d'équilibre territorial et rural) and their member EPCIs, from BANATIC.

BANATIC, the national base of intercommunality kept by the DGCL, publishes
a national export of every groupement with one row per (groupement, member):
``N° SIREN``, ``Nom du groupement``, ``Nature juridique`` (``CC``, ``CA``,
``CU``, ``METRO``, ``MET69``, ``SIVU``, ``SMF``…, ``PETR``), then, further
right, ``Siren membre`` and ``Nom membre``, and some 125 competence columns.
Since 2024 it is an XLSX workbook (first sheet, header on the first row,
about 75 MB); the former site (``V5``) served the same columns as
tab-separated text in Windows-1252. Both are read here, the columns being
found by their titles.

The members of a PETR are EPCIs à fiscalité propre, named by their SIREN:
exactly what the pays table (``data/reference/pays_*.csv``: ``pays_code``,
``pays_nom``, ``epci_siren``, ``epci_nom``) holds. Each PETR is coded by its
own SIREN.
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd

from ess_geo.errors import SourceUnavailableError
from ess_geo.sources._http import atomic_output, temporary_download

__all__ = [
    "BANATIC_URL",
    "COLUMNS",
    "MAX_BYTES",
    "SOURCE",
    "PetrRefresh",
    "petr_members",
    "read_groupements",
    "refresh_petr",
]

SOURCE = "PETR (BANATIC, DGCL)"
BANATIC_URL = (
    "https://www.banatic.interieur.gouv.fr/consultation/api/export/pregenere/"
    "telecharger/France"
)
"""National export of BANATIC (every groupement and its members)."""

MAX_BYTES = 600_000_000
"""The national export is about 75 MB; refuse anything far larger."""

COLUMNS = ["pays_code", "pays_nom", "epci_siren", "epci_nom"]
"""Columns of the pays tables of ``data/reference/``."""

_HEADERS = {
    "N° SIREN": "siren",
    "Nom du groupement": "nom",
    "Nature juridique": "nature",
    "Siren membre": "siren_membre",
    "Nom membre": "nom_membre",
}
_HEADER_SEARCH_ROWS = 10


def _bad(url: str, what: str) -> SourceUnavailableError:
    return SourceUnavailableError(
        SOURCE,
        url,
        what,
        "Le fichier attendu est l'export national de BANATIC (colonnes "
        "« N° SIREN », « Nom du groupement », « Nature juridique », "
        "« Siren membre », « Nom membre »).",
    )


def _header_positions(row: tuple | list) -> dict[str, int] | None:
    cells = [" ".join(str(c).split()) if c is not None else "" for c in row]
    if not all(title in cells for title in _HEADERS):
        return None
    return {name: cells.index(title) for title, name in _HEADERS.items()}


def _rows_to_frame(rows, origin: str) -> pd.DataFrame:
    """Keep the five columns of the rows below the header row."""
    positions = None
    records: list[list[str]] = []
    for number, row in enumerate(rows):
        if positions is None:
            positions = _header_positions(row)
            if positions is None and number >= _HEADER_SEARCH_ROWS:
                break
            continue
        cells = [
            "" if i >= len(row) or row[i] is None else str(row[i]).strip()
            for i in positions.values()
        ]
        if any(cells):
            records.append(cells)
    if positions is None:
        raise _bad(origin, "en-tête introuvable dans les premières lignes")
    frame = pd.DataFrame(records, columns=list(positions), dtype="string")
    # Spreadsheets may store SIRENs as numbers (200068120.0).
    for column in ("siren", "siren_membre"):
        frame[column] = frame[column].str.replace(r"\.0$", "", regex=True)
    return frame


_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_CELL = f"{{{_NS['m']}}}c"
_ROW = f"{{{_NS['m']}}}row"
_VALUE = f"{{{_NS['m']}}}v"
_TEXT = f"{{{_NS['m']}}}t"
_COLUMN = re.compile(r"[A-Z]+")


def _first_sheet(archive: zipfile.ZipFile) -> str:
    """Path in the archive of the workbook's first sheet."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    first = book.find("m:sheets/m:sheet", _NS)
    if first is None:
        raise KeyError("aucune feuille dans xl/workbook.xml")
    rel_id = first.get(f"{{{_NS['r']}}}id")
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.findall("p:Relationship", _NS):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.join("xl", target)
            )
    raise KeyError(f"feuille {rel_id} introuvable dans xl/_rels/workbook.xml.rels")


def _column(reference: str) -> int:
    """0-based column of a cell reference (``AU12`` -> 46)."""
    letters = _COLUMN.match(reference)
    number = 0
    for char in letters.group(0) if letters else "":
        number = number * 26 + ord(char) - 64
    return number - 1


def _xlsx_rows(path: Path) -> Iterator[list[str | None]]:
    """Rows of the first sheet of an XLSX workbook, as lists of strings.

    A streaming parser (``ElementTree.iterparse``) rather than openpyxl:
    the national BANATIC export is 1.4 GB of XML once unzipped, and only a
    few of its 177 columns are needed. Each row is cleared once read, so
    memory stays flat. Shared strings and inline strings are both read.
    """
    with zipfile.ZipFile(path) as archive:
        shared: list[str] = []
        if "xl/sharedStrings.xml" in archive.namelist():
            with archive.open("xl/sharedStrings.xml") as stream:
                for _, item in ElementTree.iterparse(stream):
                    if item.tag == f"{{{_NS['m']}}}si":
                        shared.append("".join(t.text or "" for t in item.iter(_TEXT)))
                        item.clear()
        with archive.open(_first_sheet(archive)) as stream:
            cells: dict[int, str | None] = {}
            for _, element in ElementTree.iterparse(stream):
                if element.tag == _CELL:
                    kind = element.get("t")
                    if kind == "inlineStr":
                        value = "".join(t.text or "" for t in element.iter(_TEXT))
                    else:
                        raw = element.findtext(_VALUE)
                        value = shared[int(raw)] if kind == "s" and raw else raw
                    ref = element.get("r")  # optional in the format
                    at = _column(ref) if ref else (max(cells) + 1 if cells else 0)
                    cells[at] = value
                elif element.tag == _ROW:
                    width = max(cells) + 1 if cells else 0
                    yield [cells.get(i) for i in range(width)]
                    cells = {}
                    element.clear()


def read_groupements(path: str | Path, *, origin: str | None = None) -> pd.DataFrame:
    """Groupements and their members from a BANATIC national export.

    Parameters
    ----------
    path : str or path-like
        The export: XLSX (current site; first sheet streamed, see below)
        or tab- or semicolon-separated text, UTF-8 or Windows-1252 (former
        ``V5`` site).
    origin : str, optional
        Where the file came from (its URL), for messages.

    Returns
    -------
    pandas.DataFrame
        String columns ``siren``, ``nom``, ``nature``, ``siren_membre``,
        ``nom_membre``: one row per (groupement, member), in file order.

    Raises
    ------
    SourceUnavailableError
        If the file is not an export of that form.
    """
    path = Path(path)
    origin = origin or str(path)
    head = path.read_bytes()[:4] if path.stat().st_size else b""
    if head.startswith(b"PK"):
        try:
            return _rows_to_frame(_xlsx_rows(path), origin)
        except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
            raise _bad(origin, f"classeur XLSX illisible ({exc})") from exc
    raw = path.read_bytes()
    if b"\x00" in raw[:4096] or raw.lstrip()[:1] == b"<":
        raise _bad(
            origin,
            f"le fichier reçu n'est ni un classeur XLSX ni un tableau texte "
            f"(il commence par {raw[:20]!r} ; page d'erreur HTML ?)",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") >= first.count(";") else ";"
    return _rows_to_frame(csv.reader(io.StringIO(text), delimiter=delimiter), origin)


def petr_members(
    groupements: pd.DataFrame, epci_codes: set[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The member EPCIs of every PETR, in the shape of the pays tables.

    Parameters
    ----------
    groupements : pandas.DataFrame
        As returned by :func:`read_groupements`.
    epci_codes : set of str
        SIRENs of the EPCIs of the embedded geography.

    Returns
    -------
    members : pandas.DataFrame
        :data:`COLUMNS`: ``pays_code`` is the PETR's SIREN; one row per
        member EPCI known to the geography, sorted by PETR then EPCI.
    others : pandas.DataFrame
        The PETR members that are not such EPCIs (an EPCI merged since the
        geography's vintage, a commune, a syndicat), same columns: to check
        by hand.

    Examples
    --------
    >>> rows = pd.DataFrame({"siren": ["200075000"] * 2, "nom": ["PETR X"] * 2,
    ...     "nature": ["PETR"] * 2, "siren_membre": ["200068120", "999999999"],
    ...     "nom_membre": ["Quimper Bretagne Occidentale", "Inconnu"]})
    >>> known, others = petr_members(rows, {"200068120"})
    >>> known["epci_siren"].tolist(), others["epci_siren"].tolist()
    (['200068120'], ['999999999'])
    """
    petr = groupements[groupements["nature"].str.upper() == "PETR"]
    table = pd.DataFrame(
        {
            "pays_code": petr["siren"].to_numpy(),
            "pays_nom": petr["nom"].str.split().str.join(" ").to_numpy(),
            "epci_siren": petr["siren_membre"].to_numpy(),
            "epci_nom": petr["nom_membre"].str.split().str.join(" ").to_numpy(),
        },
        dtype="string",
    )
    table = table[table["epci_siren"].fillna("") != ""].drop_duplicates(
        ["pays_code", "epci_siren"]
    )
    table = table.sort_values(["pays_code", "epci_siren"], ignore_index=True)
    known = table["epci_siren"].isin(epci_codes)
    return table[known].reset_index(drop=True), table[~known].reset_index(drop=True)


@dataclass
class PetrRefresh:
    """What :func:`refresh_petr` wrote."""

    petr: int
    """PETR written."""
    epci: int
    """Rows (PETR, member EPCI) written."""
    others: list[str] = field(default_factory=list)
    """Members left out (not an EPCI of the geography), as « PETR → member »."""


def refresh_petr(
    out: str | Path,
    *,
    epci_codes: set[str],
    url: str = BANATIC_URL,
    max_bytes: int = MAX_BYTES,
) -> PetrRefresh:
    """Download the BANATIC export and write the PETR → EPCI table.

    Parameters
    ----------
    out : str or path-like
        The table to write (``data/reference/pays_petr.csv``), replaced
        whole; :data:`COLUMNS`, UTF-8, ``,``.
    epci_codes : set of str
        SIRENs of the EPCIs of the embedded geography.
    url : str, default :data:`BANATIC_URL`
        Where to download from.
    max_bytes : int, default :data:`MAX_BYTES`
        Refuse larger downloads.

    Returns
    -------
    PetrRefresh
        Counts for the report.

    Raises
    ------
    SourceUnavailableError
        Offline, the download is not the expected export, or it lists no
        PETR. ``out`` is then left untouched.
    """
    with temporary_download(url, source=SOURCE, max_bytes=max_bytes) as path:
        groupements = read_groupements(path, origin=url)
    members, others = petr_members(groupements, epci_codes)
    if members.empty:
        raise _bad(
            url,
            f"{len(groupements)} lignes lues mais aucun PETR dont un membre soit un "
            "EPCI connu",
        )
    buffer = io.StringIO()
    members.to_csv(buffer, index=False, lineterminator="\n")
    with atomic_output(out) as tmp:
        tmp.write_text(buffer.getvalue(), encoding="utf-8")
    return PetrRefresh(
        petr=int(members["pays_code"].nunique()),
        epci=len(members),
        others=[
            f"{r.pays_nom} → {r.epci_nom} ({r.epci_siren})" for r in others.itertuples()
        ],
    )
