"""Text tables: any encoding, any delimiter, records that survive a stray quote.

:mod:`ess_geo.io.imports` reads actor CSVs with it and
:mod:`ess_geo.workspace.networks` network files: both decode the same way
(:func:`decode_text`) and split records the same way (:func:`records`),
so that an opening quote never closed costs its own line only.
"""

from __future__ import annotations

import collections
import csv
import io
from collections.abc import Iterator

from ess_geo import formats
from ess_geo.errors import EssGeoError, ImportFileError
from ess_geo.io import limits

__all__ = [
    "DELIMITER_ARTICLES",
    "DELIMITER_LABELS",
    "decode_text",
    "delimiter_label",
    "guess_delimiter",
    "read_table",
    "records",
    "unreadable_reason",
]


# -- text decoding -------------------------------------------------------------

_ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (avec BOM)",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1 (ISO-8859-1)",
}


def _decode_line(line: bytes) -> tuple[str, str]:
    try:
        return line.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return line.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return line.decode("latin-1"), "latin-1"


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text file whatever its encoding.

    UTF-16 with BOM, then UTF-8 (with or without BOM); failing that the file
    is decoded line by line, each line in UTF-8 when it is valid UTF-8, else
    in Windows-1252 (else Latin-1): files assembled from several sources mix
    encodings.

    Parameters
    ----------
    data : bytes

    Returns
    -------
    text : str
    encoding : str
        French description of what was found.

    Examples
    --------
    >>> decode_text("Coopérative".encode("cp1252"))
    ('Coopérative', 'Windows-1252')
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), _ENCODING_LABELS["utf-16"]
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                "Fichier UTF-16 invalide (caractère incomplet ou isolé à "
                f"l'octet {exc.start}) : enregistrez-le à nouveau en UTF-8 ou "
                "en CSV Windows."
            ) from exc
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return data.decode("utf-8-sig"), _ENCODING_LABELS["utf-8-sig"]
        return data.decode("utf-8"), _ENCODING_LABELS["utf-8"]
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    decoded = [_decode_line(line) for line in lines]
    found = {
        enc for line, (_, enc) in zip(lines, decoded, strict=True) if not line.isascii()
    }
    text = "\n".join(t for t, _ in decoded)
    if len(found) == 1:
        return text, _ENCODING_LABELS[found.pop()]
    labels = " et ".join(_ENCODING_LABELS[e] for e in sorted(found, reverse=True))
    return text, f"mixte ({labels}, selon les lignes)"


def guess_delimiter(header: str) -> str:
    """The most frequent of ``;``, ``,`` and tab in the header, outside quotes."""
    counts = {";": 0, ",": 0, "\t": 0}
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else ","


DELIMITER_LABELS = {
    ";": "point-virgule",
    ",": "virgule",
    "\t": "tabulation",
    "|": "barre verticale",
}


def delimiter_label(delimiter: str) -> str:
    """The delimiter's French name (« point-virgule »), or the sign quoted."""
    return DELIMITER_LABELS.get(delimiter, f"« {delimiter} »")


DELIMITER_ARTICLES = {
    ";": "du point-virgule",
    ",": "de la virgule",
    "\t": "de la tabulation",
    "|": "de la barre verticale",
}


class _RecordTooLong(Exception):
    """A record spanning more than MAX_RECORD_LINES physical lines."""


def unreadable_reason(exc: Exception | None) -> str:
    """Why a record could not be split, in French (from the csv module's error)."""
    if exc is not None and "field larger" in str(exc):
        return (
            f"cellule de plus de {formats.number(csv.field_size_limit())} "
            "caractères : guillemet ouvert et jamais fermé sur cette ligne ? "
            "Elle est refusée, les lignes suivantes sont lues."
        )
    if exc is not None and "NUL" in str(exc):
        return "ligne illisible : elle contient un caractère nul (octet 0)."
    return (
        "guillemet ouvert et jamais fermé sur cette ligne : elle est refusée, "
        "les lignes suivantes sont lues."
    )


def _fit(row: list[str], width: int) -> list[str]:
    """The row without empty cells beyond the header's width."""
    if len(row) > width and not any(c.strip() for c in row[width:]):
        return row[:width]
    return row


def records(
    stream: io.StringIO, header_line: int, delimiter: str, width: int
) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """``(line, cells, None)`` per record, or ``(line, None, reason)`` when refused.

    A record may span several physical lines (a quoted cell with line
    breaks). When it cannot be split (an opening quote never closed, a cell
    beyond the csv module's limit, a NUL byte), spans more than
    :data:`~ess_geo.io.limits.MAX_RECORD_LINES` lines, or spans several
    lines and has not the header's width, only its first line is refused and
    the following lines are read again as records of their own: no good row
    vanishes behind a stray quote. Blank lines yield nothing.
    """
    pending: collections.deque[tuple[int, str]] = collections.deque()
    number = header_line

    def physical() -> tuple[int, str] | None:
        nonlocal number
        if pending:
            return pending.popleft()
        text = stream.readline()
        if not text:
            return None
        number += 1
        return number, text

    def feed(first: tuple[int, str], consumed: list) -> Iterator[str]:
        yield first[1]
        while True:
            if len(consumed) >= limits.MAX_RECORD_LINES:
                raise _RecordTooLong
            following = physical()
            if following is None:
                return
            consumed.append(following)
            yield following[1]

    while (first := physical()) is not None:
        consumed = [first]
        reader = csv.reader(feed(first, consumed), delimiter=delimiter)
        try:
            row = next(reader, [])
        except (csv.Error, _RecordTooLong) as exc:
            pending.extendleft(reversed(consumed[1:]))
            reason = unreadable_reason(exc if isinstance(exc, csv.Error) else None)
            yield first[0], None, reason
            continue
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        row = _fit(row, width)
        unbalanced = len(consumed) == 1 and first[1].count('"') % 2 == 1
        if len(row) != width and (len(consumed) > 1 or unbalanced):
            pending.extendleft(reversed(consumed[1:]))
            yield first[0], None, unreadable_reason(None)
            continue
        yield first[0], row, None


def read_table(
    data: bytes,
    name: str,
    what: str,
    error: type[EssGeoError] = ImportFileError,
    required: tuple[str, ...] = (),
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """A small CSV table: its header and its rows with their line numbers.

    Any encoding :func:`decode_text` reads, ``;`` ``,`` or tab; rows split
    by :func:`records`. Within :data:`~ess_geo.io.limits.MAX_ROWS` rows and
    :data:`~ess_geo.io.limits.MAX_COLUMNS` columns.

    Parameters
    ----------
    data : bytes
    name : str
        The file's name for messages.
    what : str
        What the file is (« Fichier de réseaux »), for messages.
    error : EssGeoError subclass, default ImportFileError
    required : tuple of str, optional
        Columns the header must have (checked before any row).

    Returns
    -------
    header : list of str
        Stripped column names.
    rows : list of (int, list of str)
        Line number and cells of each non-blank row, of the header's width.

    Raises
    ------
    EssGeoError
        ``error``: a zip or binary file, an empty file, a header without
        rows, too many rows or columns, a repeated column, rows of another
        width or that cannot be split (each named by its line).
    """
    if data.startswith(b"PK\x03\x04"):
        raise error(
            f"{what} {name} : c'est une archive ZIP ou un classeur XLSX ; attendu un "
            "CSV (enregistrez la feuille en CSV)."
        )
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise error(f"{what} {name} : ce n'est pas un fichier texte (CSV attendu).")
    try:
        text, _ = decode_text(data)
    except EssGeoError as exc:
        raise error(f"{what} {name} : {exc}") from exc
    if not text.strip():
        raise error(f"{what} {name} : fichier vide.")
    stream = io.StringIO(text, newline="")
    first = stream.readline()
    delimiter = guess_delimiter(first)
    try:
        header = [c.strip() for c in next(csv.reader([first], delimiter=delimiter))]
    except (csv.Error, StopIteration) as exc:
        raise error(f"{what} {name} : en-tête illisible.") from exc
    if len(header) > limits.MAX_COLUMNS:
        raise error(f"{what} {name} : plus de {limits.MAX_COLUMNS} colonnes.")
    if len(set(header)) != len(header):
        raise error(f"{what} {name} : une colonne apparaît deux fois dans l'en-tête.")
    missing = [c for c in required if c not in header]
    if missing:
        raise error(
            f"{what} {name} : colonne(s) manquante(s) {', '.join(missing)} ; "
            f"colonnes attendues : {', '.join(required)}."
        )
    rows: list[tuple[int, list[str]]] = []
    problems: list[str] = []
    for line, row, reason in records(stream, 1, delimiter, len(header)):
        if len(rows) + len(problems) >= limits.MAX_ROWS:
            raise error(
                f"{what} {name} : plus de {formats.number(limits.MAX_ROWS)} lignes."
            )
        if row is None:
            problems.append(f"ligne {line} : {reason}")
        elif len(row) != len(header):
            problems.append(
                f"ligne {line} : {len(row)} champ(s) au lieu de {len(header)} "
                "(séparateur différent ou guillemet mal placé ?)"
            )
        else:
            rows.append((line, row))
    if problems:
        shown = problems[:20]
        if len(problems) > 20:
            shown.append(f"… et {len(problems) - 20} autre(s) ligne(s)")
        raise error(
            f"{what} {name} refusé, rien n'a été enregistré :\n- " + "\n- ".join(shown)
        )
    if not rows:
        raise error(f"{what} {name} : aucune ligne sous l'en-tête.")
    return header, rows
