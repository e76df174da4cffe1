"""Reading actor files: formats, encodings, delimiters and header mapping.

:func:`open_source` recognises what it is given, whatever its name says:

- a CSV (``,``, ``;`` or tab; UTF-8 with or without BOM, UTF-16 with BOM,
  Windows-1252 or Latin-1, even mixed line by line) or an XLSX workbook
  (the first sheet, or the one chosen) in the canonical actor file's shape
  (DESIGN.md), whose headers are mapped to the canonical fields by
  :func:`map_headers` (French variants recognised; a manual mapping can
  replace it);
- SIRENE stock files, CSV, zipped CSV or Parquet, recognised by their
  column names (:mod:`ess_geo.io.sirene`);
- anything else is refused with an :class:`ImportFileError` that says
  what was found and what is expected (an ``.xls``, a binary file, an empty
  file, a header with no row…).

The returned :class:`~ess_geo.io.source.Source` yields the rows in chunks,
each row with its line number in the file (the header is line 1), so that
memory stays bounded whatever the file's size. Checking the rows is
:mod:`ess_geo.io.validation`'s business, writing them
:mod:`ess_geo.workspace.loading`'s.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd

from ess_geo import formats
from ess_geo.actors import text_key
from ess_geo.errors import ImportFileError
from ess_geo.io import limits, sirene, textfile
from ess_geo.io.source import CHUNK_ROWS, Chunk, Source
from ess_geo.io.textfile import decode_text

__all__ = [
    "FIELD_LABELS",
    "HEADER_VARIANTS",
    "decode_text",
    "map_headers",
    "open_source",
    "open_uploads",
]

FIELD_LABELS: dict[str, str] = {
    "siret": "SIRET",
    "nom": "Nom",
    "categorie_juridique": "Catégorie juridique (code INSEE)",
    "famille": "Famille",
    "naf": "Code NAF / APE",
    "effectif": "Effectif salarié",
    "tranche_effectif": "Tranche d'effectif (code SIRENE)",
    "adresse": "Adresse",
    "code_postal": "Code postal",
    "commune": "Commune (nom)",
    "code_commune": "Code commune INSEE",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "reseaux": "Réseaux",
    "site_web": "Site web",
    "telephone": "Téléphone",
    "email": "Courriel",
}
"""French label of each field, for the manual mapping step and the forms."""

HEADER_VARIANTS: dict[str, tuple[str, ...]] = {
    "siret": (
        "siret",
        "n siret",
        "no siret",
        "num siret",
        "numero siret",
        "numero de siret",
        "code siret",
        "siret etablissement",
        "siret de l etablissement",
    ),
    "nom": (
        "nom",
        "raison sociale",
        "denomination",
        "denomination sociale",
        "nom de la structure",
        "nom structure",
        "structure",
        "nom de l organisme",
        "organisme",
        "nom de l etablissement",
        "nom etablissement",
        "etablissement",
        "nom de l acteur",
        "acteur",
        "enseigne",
        "libelle",
        "intitule",
    ),
    "categorie_juridique": (
        "categorie juridique",
        "cat juridique",
        "code categorie juridique",
        "categorie juridique insee",
        "code forme juridique",
        "cj",
        "code cj",
    ),
    "famille": (
        "famille",
        "famille ess",
        "famille de l ess",
        "statut",
        "statut juridique",
        "forme juridique",
        "type de structure",
        "type structure",
        "type",
    ),
    "naf": (
        "naf",
        "code naf",
        "ape",
        "code ape",
        "naf ape",
        "code naf ape",
        "activite principale",
        "code activite",
        "activite naf",
        "naf rev 2",
    ),
    "effectif": (
        "effectif",
        "effectifs",
        "effectif salarie",
        "effectifs salaries",
        "nombre de salaries",
        "nb salaries",
        "nombre salaries",
        "salaries",
        "emplois",
    ),
    "tranche_effectif": (
        "tranche effectif",
        "tranche effectifs",
        "tranche d effectif",
        "tranche d effectifs",
        "tranche effectif salarie",
        "tranche d effectif salarie",
    ),
    "adresse": (
        "adresse",
        "adresse postale",
        "adresse complete",
        "adresse ligne 1",
        "rue",
        "voie",
    ),
    "code_postal": ("code postal", "cp", "c p", "codepostal", "postal"),
    "commune": (
        "commune",
        "ville",
        "localite",
        "nom commune",
        "nom de la commune",
        "libelle commune",
    ),
    "code_commune": (
        "code commune",
        "code insee",
        "insee",
        "code insee commune",
        "code commune insee",
        "code geo",
        "codgeo",
        "depcom",
        "cog",
    ),
    "latitude": ("latitude", "lat", "y wgs84", "gps latitude"),
    "longitude": ("longitude", "lon", "lng", "long", "x wgs84", "gps longitude"),
    "reseaux": (
        "reseaux",
        "reseau",
        "reseaux territoriaux",
        "reseau territorial",
        "membre de",
        "adhesions",
    ),
    "site_web": ("site web", "site", "site internet", "url", "web", "internet"),
    "telephone": (
        "telephone",
        "tel",
        "numero de telephone",
        "telephone fixe",
        "portable",
    ),
    "email": (
        "email",
        "e mail",
        "mail",
        "courriel",
        "adresse mail",
        "adresse email",
        "adresse e mail",
        "adresse electronique",
        "mel",
    ),
}
"""Recognised headers per field, folded (no accents, case or punctuation):
``"N° SIRET"``, ``"Raison sociale"``, ``"Code INSEE"``, ``"CP"``…"""

_VARIANT_FIELD: dict[str, str] = {
    variant: name for name, variants in HEADER_VARIANTS.items() for variant in variants
}

_PEEK = 1 << 16


def map_headers(columns: tuple[str, ...] | list[str]) -> dict[str, str]:
    """Guess which column holds which field, from the header's wording.

    Parameters
    ----------
    columns : sequence of str
        The header as read.

    Returns
    -------
    dict
        Field -> column, for the columns recognised (accents, case,
        punctuation and spacing ignored; the first column wins when two
        mean the same field).

    Examples
    --------
    >>> map_headers(["Raison sociale", "N° SIRET", "Code INSEE", "Lat", "Lon"])
    {'nom': 'Raison sociale', 'siret': 'N° SIRET', 'code_commune': 'Code INSEE', \
'latitude': 'Lat', 'longitude': 'Lon'}
    """
    mapping: dict[str, str] = {}
    for column in columns:
        name = _VARIANT_FIELD.get(text_key(column))
        if name is not None and name not in mapping:
            mapping[name] = column
    return mapping


def _unique_columns(header: list[str]) -> tuple[str, ...]:
    seen: dict[str, int] = {}
    out = []
    for position, raw in enumerate(header, start=1):
        name = raw.strip() or f"colonne {position}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return tuple(out)


def _frame(
    rows: list[list[str]], lines: list[int], columns: tuple[str, ...], mapping
) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=list(columns), dtype="string")
    picked = pd.DataFrame(
        {name: table[column] for name, column in mapping.items()}, index=table.index
    )
    picked = picked.where(picked.apply(lambda c: c.str.strip() != ""))
    picked["line"] = lines
    return picked


def _open_csv(name: str, data: bytes) -> Source:
    text, encoding = textfile.decode_text(data)
    if not text.strip():
        raise ImportFileError(f"Le fichier {name} est vide : rien à importer.")
    body = io.StringIO(text, newline="")
    first = body.readline()
    header_line = 1
    delimiter = None
    stripped = first.strip()
    if stripped.lower().startswith("sep=") and len(stripped) == 5:
        delimiter = stripped[4]
        if delimiter in "\"'\r\n" or delimiter.isalnum():
            raise ImportFileError(
                f"Première ligne « {stripped} » de {name} : séparateur "
                "inutilisable (attendu un signe comme ; , | ou une tabulation)."
            )
        first = body.readline()
        header_line = 2
    delimiter = delimiter or textfile.guess_delimiter(first)
    try:
        header = next(csv.reader([first], delimiter=delimiter), [])
    except csv.Error as exc:
        raise ImportFileError(
            f"En-tête de {name} illisible ({textfile.unreadable_reason(exc)})"
        ) from exc
    if len(header) > limits.MAX_COLUMNS:
        raise ImportFileError(
            f"L'en-tête de {name} compte {formats.number(len(header))} colonnes "
            f"(au plus {formats.number(limits.MAX_COLUMNS)}) : est-ce bien un "
            "tableau d'acteurs ?"
        )
    columns = _unique_columns(header)
    start = body.tell()
    mapping = map_headers(columns)
    notes = (
        f"Encodage détecté : {encoding}.",
        f"Séparateur : {textfile.delimiter_label(delimiter)}.",
    )
    other = textfile.DELIMITER_ARTICLES.get(delimiter, f"du séparateur « {delimiter} »")

    def read(mapping: Mapping[str, str]) -> Iterator[Chunk]:
        stream = io.StringIO(text, newline="")
        stream.seek(start)
        width = len(columns)
        rows: list[list[str]] = []
        lines: list[int] = []
        rejected: list[dict] = []
        read_count = total = 0
        for line, row, reason in textfile.records(
            stream, header_line, delimiter, width
        ):
            read_count += 1
            total += 1
            if total > limits.MAX_ROWS:
                raise _too_many_rows(name)
            if row is None:
                rejected.append({"line": line, "reason": reason})
            elif len(row) != width:
                rejected.append(
                    {
                        "line": line,
                        "reason": f"{len(row)} champ(s) au lieu de {width} : "
                        f"séparateur différent {other} "
                        "ou guillemet mal placé sur cette ligne ?",
                    }
                )
            else:
                rows.append(row)
                lines.append(line)
            if len(rows) >= CHUNK_ROWS:
                yield Chunk(_frame(rows, lines, columns, mapping), read_count, rejected)
                rows, lines, rejected, read_count = [], [], [], 0
        if rows or rejected or read_count:
            yield Chunk(_frame(rows, lines, columns, mapping), read_count, rejected)

    return Source(name, "csv", columns, mapping, notes, read)


def _too_many_rows(name: str) -> ImportFileError:
    return ImportFileError(
        f"Le fichier {name} compte plus de {formats.number(limits.MAX_ROWS)} "
        "lignes de données : découpez-le en plusieurs fichiers. Rien n'a été écrit."
    )


# -- XLSX ------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


_FORMULA_CELL = re.compile(
    rb"<c\b[^>]*[^/]>((?:(?!</c>).)*?<f[ >/](?:(?!</c>).)*?)</c>", re.S
)
_CELL_VALUE = re.compile(rb"<v>[^<]+</v>")


def _formula_note(data: bytes, worksheet) -> str | None:
    """A note when the sheet holds formulas with no computed value (read empty)."""
    path = str(getattr(worksheet, "_worksheet_path", "")).lstrip("/")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo(path)
            if info.file_size > limits.MAX_TABLE_BYTES:
                return None
            xml = limits.read_member(archive, info, limits.MAX_TABLE_BYTES)
    except (KeyError, zipfile.BadZipFile, ImportFileError):
        return None
    cells = _FORMULA_CELL.finditer(xml)
    count = sum(1 for m in cells if not _CELL_VALUE.search(m[1]))
    if not count:
        return None
    return (
        f"{formats.number(count)} cellule(s) contiennent une formule sans valeur "
        "calculée enregistrée (classeur produit par un programme) : elles sont lues "
        "vides. Ouvrez le classeur dans un tableur et enregistrez-le pour les "
        "calculer."
    )


def _open_xlsx(name: str, data: bytes, sheet: str | None) -> Source:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ImportFileError(
            f"Le classeur {name} est illisible ({type(exc).__name__}) : "
            "ouvrez-le dans un tableur et enregistrez-le à nouveau en .xlsx ou en CSV."
        ) from exc
    sheets = tuple(book.sheetnames)
    if not sheets:
        raise ImportFileError(f"Le classeur {name} n'a aucune feuille.")
    chosen = sheet or sheets[0]
    if chosen not in sheets:
        raise ImportFileError(
            f"Feuille « {chosen} » absente du classeur {name} : "
            f"feuilles disponibles : {', '.join(sheets[:20])}"
            f"{'…' if len(sheets) > 20 else ''}."
        )
    worksheet = book[chosen]
    header: list[str] = []
    header_line = 0
    budget = limits.CellBudget(name)
    try:
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            budget.spend(len(values))
            cells = [_cell_text(v) for v in values]
            if any(c.strip() for c in cells):
                header, header_line = cells, number
                break
    except ImportFileError:
        raise
    except Exception as exc:  # a damaged sheet
        raise ImportFileError(
            f"La feuille « {chosen} » du classeur {name} est illisible "
            f"({type(exc).__name__}) : enregistrez-la à nouveau en .xlsx ou en CSV."
        ) from exc
    if not header_line:
        raise ImportFileError(
            f"La feuille « {chosen} » du classeur {name} est vide : rien à importer."
        )
    while header and not header[-1].strip():
        header.pop()
    if len(header) > limits.MAX_COLUMNS:
        raise ImportFileError(
            f"L'en-tête de la feuille « {chosen} » compte "
            f"{formats.number(len(header))} colonnes (au plus "
            f"{formats.number(limits.MAX_COLUMNS)}) : est-ce bien un tableau "
            "d'acteurs ?"
        )
    columns = _unique_columns(header)
    mapping = map_headers(columns)
    notes = (
        f"Feuille lue : « {chosen} » ({len(sheets)} feuille(s) dans le classeur).",
    )
    formula = _formula_note(data, worksheet)
    if formula:
        notes += (formula,)

    def read(mapping: Mapping[str, str]) -> Iterator[Chunk]:
        rows: list[list[str]] = []
        lines: list[int] = []
        width = len(columns)
        budget = limits.CellBudget(name)
        values_iter = worksheet.iter_rows(min_row=header_line + 1, values_only=True)
        read_count = total = 0
        try:
            for number, values in enumerate(values_iter, start=header_line + 1):
                budget.spend(len(values))
                cells = [_cell_text(v) for v in values[:width]]
                if not any(c.strip() for c in cells):
                    continue
                total += 1
                if total > limits.MAX_ROWS:
                    raise _too_many_rows(name)
                cells += [""] * (width - len(cells))
                rows.append(cells)
                lines.append(number)
                read_count += 1
                if len(rows) >= CHUNK_ROWS:
                    yield Chunk(_frame(rows, lines, columns, mapping), read_count)
                    rows, lines, read_count = [], [], 0
        except ImportFileError:
            raise
        except Exception as exc:  # a damaged sheet, found while reading
            raise ImportFileError(
                f"La feuille « {chosen} » du classeur {name} est illisible en cours "
                f"de lecture ({type(exc).__name__}) : rien n'a été écrit."
            ) from exc
        if rows:
            yield Chunk(_frame(rows, lines, columns, mapping), read_count)

    return Source(name, "xlsx", columns, mapping, notes, read, sheets)


# -- detection ---------------------------------------------------------------------


def _read_bytes(data: Path | bytes, limit: int | None = None) -> bytes:
    limit = limits.MAX_TEXT_BYTES if limit is None else limit
    if isinstance(data, bytes):
        if len(data) > limit:
            raise limits.file_too_big("Le fichier", "déposé", limit)
        return data
    return limits.read_file(data, limit)


def _peek(data: Path | bytes) -> bytes:
    if isinstance(data, bytes):
        return data[:_PEEK]
    with open(data, "rb") as handle:
        return handle.read(_PEEK)


def open_source(
    data: Path | str | bytes,
    name: str | None = None,
    *,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    unites_legales: Path | str | bytes | None = None,
) -> Source:
    """Recognise an actor file and prepare to read it.

    Parameters
    ----------
    data : path-like or bytes
        The file (or, for SIRENE, a folder holding the two stock files).
    name : str, optional
        The name to report (default: the path's name; required for bytes).
    sheet : str, optional
        Workbook sheet to read (default: the first).
    mapping : mapping of str to str, optional
        Field -> column, replacing the automatic header mapping.
    unites_legales : path-like or bytes, optional
        SIRENE StockUniteLegale to join with a StockEtablissement file
        (default: found next to it).

    Returns
    -------
    Source

    Raises
    ------
    ImportFileError
        If the file is missing, empty, binary, an old ``.xls``, an
        unreadable workbook, a header without a name column or a way to
        place actors, or SIRENE files that cannot be joined.
    """
    if not isinstance(data, bytes):
        path = Path(data)
        name = name or path.name
        if path.is_dir():
            return sirene.open_stock(path, unites_legales=unites_legales)
        limits.check_regular_file(path)
        if path.stat().st_size == 0:
            raise ImportFileError(f"Le fichier {name} est vide : rien à importer.")
        data = path
    elif name is None:
        raise ValueError("`name` is required when `data` is bytes")
    elif not data:
        raise ImportFileError(f"Le fichier {name} est vide : rien à importer.")

    head = _peek(data)
    if head.startswith(b"PAR1"):
        return sirene.open_stock(data, name=name, unites_legales=unites_legales)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            f"{name} est un classeur Excel 97-2003 (.xls), non pris en charge : "
            "enregistrez-le au format .xlsx ou CSV."
        )
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # a zip (or an empty one)
        source = _open_zip(data, name, sheet, unites_legales)
    else:
        if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ImportFileError(
                f"{name} n'est pas un fichier texte (octets binaires trouvés) : "
                "attendu un CSV, un classeur .xlsx ou un fichier SIRENE."
            )
        if sirene.looks_like_sirene(head):
            return sirene.open_stock(data, name=name, unites_legales=unites_legales)
        source = _open_csv(name, _read_bytes(data))
    if mapping is not None:
        source = source.with_mapping(mapping)
    return source


def _open_zip(
    data: Path | bytes,
    name: str,
    sheet: str | None,
    unites_legales: Path | str | bytes | None,
) -> Source:
    handle = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        with zipfile.ZipFile(handle) as archive:
            names = {i.filename for i in archive.infolist()}
            if "xl/workbook.xml" in names:
                limits.check_zip(archive, name, limits.MAX_XLSX_BYTES)
                return _open_xlsx(name, _read_bytes(data, limits.MAX_XLSX_BYTES), sheet)
            members = limits.check_zip(archive, name, limits.MAX_SIRENE_BYTES)
            if not members:
                raise ImportFileError(
                    f"L'archive {name} est vide : attendu un fichier CSV dedans."
                )
            tables = [
                m for m in members if m.filename.lower().endswith((".csv", ".txt"))
            ]
            if len(tables) != 1:
                shown = ", ".join(m.filename for m in members[:5])
                more = len(members) - 5
                raise ImportFileError(
                    f"L'archive {name} doit contenir un seul fichier CSV "
                    f"(trouvé : {len(tables)} CSV parmi {len(members)} fichier(s) : "
                    f"{shown}{f' et {more} autre(s)' if more > 0 else ''})."
                )
            with archive.open(tables[0]) as member:
                head = member.read(_PEEK)
            if sirene.looks_like_sirene(head):
                return sirene.open_stock(data, name=name, unites_legales=unites_legales)
            text = limits.read_member(archive, tables[0], limits.MAX_TEXT_BYTES)
            return _open_csv(f"{name}/{tables[0].filename}", text)
    except zipfile.BadZipFile as exc:
        raise ImportFileError(
            f"{name} ressemble à une archive ZIP ou à un classeur .xlsx mais est "
            "endommagé : enregistrez-le à nouveau."
        ) from exc
    except (RuntimeError, NotImplementedError, EOFError, zlib.error) as exc:
        raise ImportFileError(
            f"L'archive {name} est illisible (chiffrée, compression non prise en "
            "charge ou données endommagées) : recompressez-la au format ZIP "
            "ordinaire, sans mot de passe."
        ) from exc


def open_uploads(
    files: list[tuple[str, bytes]],
    *,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> Source:
    """Recognise files dropped on the Données page (one actor file, or SIRENE's two).

    Parameters
    ----------
    files : list of (name, bytes)
        One file, or two SIRENE stock files (StockEtablissement and
        StockUniteLegale, in any order).
    sheet, mapping
        As for :func:`open_source`.

    Returns
    -------
    Source

    Raises
    ------
    ImportFileError
        If no file, more than two, or two files that are not the pair of
        SIRENE stock files.
    """
    if not files:
        raise ImportFileError("Aucun fichier déposé.")
    if len(files) == 1:
        name, data = files[0]
        return open_source(data, name, sheet=sheet, mapping=mapping)
    units = [f for f in files if sirene.is_units_file(f[1])]
    others = [f for f in files if not sirene.is_units_file(f[1])]
    if len(files) != 2 or len(units) != 1:
        raise ImportFileError(
            "Déposez un seul fichier d'acteurs, ou les deux fichiers SIRENE "
            "(StockEtablissement et StockUniteLegale) ensemble : "
            f"{len(files)} fichiers reçus ({', '.join(n for n, _ in files)})."
        )
    (name, data), (_, units_data) = others[0], units[0]
    return open_source(data, name, unites_legales=units_data)
