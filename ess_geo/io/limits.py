"""Resource limits on every file read, command line and web pages alike.

A file given to ess_geo may be hostile or simply huge: a 130 KB workbook
holding millions of cells, a 500 KB zip that inflates to gigabytes, a FIFO
that never ends. Every reader goes through this module, so that each file
is bounded in bytes (on disk and once decompressed), rows, columns and
workbook cells, each limit a named constant and each refusal a French
message (:class:`~ess_geo.errors.ImportFileError` or
:class:`~ess_geo.errors.InputFileError`, chosen by the caller).

- :func:`read_file` reads a regular file whole, up to a byte limit, with
  French messages for what is not one (missing, folder, FIFO, device,
  dangling or looping link, unreadable).
- :func:`check_zip` checks an archive's members before anything is
  decompressed (count, encryption, compression method, declared sizes);
  :func:`read_member` and :class:`CountingReader` count the bytes actually
  decompressed while reading.
- :class:`CellBudget` bounds the cells a workbook read may visit.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import zipfile
from pathlib import Path

from ess_geo import formats
from ess_geo.errors import EssGeoError, ImportFileError

__all__ = [
    "MAX_COLUMNS",
    "MAX_RECORD_LINES",
    "MAX_ROWS",
    "MAX_SIRENE_BYTES",
    "MAX_TABLE_BYTES",
    "MAX_TEXT_BYTES",
    "MAX_XLSX_BYTES",
    "MAX_XLSX_CELLS",
    "MAX_ZIP_MEMBERS",
    "CellBudget",
    "CountingReader",
    "check_regular_file",
    "check_zip",
    "file_too_big",
    "read_file",
    "read_member",
]

MAX_TEXT_BYTES = 256 * 1024 * 1024
"""Bytes of an actor CSV (on disk, or once decompressed from a zip): it is read
whole into memory."""

MAX_TABLE_BYTES = 64 * 1024 * 1024
"""Bytes of a small reference table (network file, employment CSV)."""

MAX_XLSX_BYTES = 512 * 1024 * 1024
"""Declared decompressed bytes of all the members of an XLSX workbook."""

MAX_XLSX_CELLS = 5_000_000
"""Cells a workbook read may visit (every sheet read counts), about the
INSEE communal employment base; a workbook beyond it is refused."""

MAX_SIRENE_BYTES = 32 * 1024 * 1024 * 1024
"""Decompressed bytes of a zipped SIRENE stock file (read in a stream; the
national StockEtablissement is about 7 GB)."""

MAX_ROWS = 2_000_000
"""Data rows of an actor CSV or XLSX (SIRENE stock files are streamed and not
bounded by it)."""

MAX_COLUMNS = 500
"""Columns of a header row."""

MAX_RECORD_LINES = 50
"""Physical lines one CSV record may span (a quoted cell with line breaks);
beyond, its opening quote is taken as never closed and the line is refused."""

MAX_ZIP_MEMBERS = 1_000
"""Members of a zip archive (an XLSX holds a few dozen)."""

_READ_BLOCK = 1 << 20

_ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}


def _size(count: int) -> str:
    """A byte count for people: ``256 Mo``."""
    if count >= 1024**3:
        return f"{formats.number(count / 1024**3, decimals=0)} Go"
    return f"{formats.number(count / 1024**2, decimals=0)} Mo"


def check_regular_file(
    path: Path | str, error: type[EssGeoError] = ImportFileError
) -> Path:
    """Refuse what is not an existing, readable regular file, in French.

    Parameters
    ----------
    path : path-like
    error : EssGeoError subclass, default ImportFileError
        The exception raised.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    EssGeoError
        ``error``, naming what the path is: missing, a dangling or looping
        link, a folder, a FIFO, a device, unreadable.
    """
    path = Path(path)
    try:
        info = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise error(
                f"{path} est un lien symbolique qui boucle sur lui-même : "
                "donnez le chemin du fichier lui-même."
            ) from exc
        if path.is_symlink():
            raise error(
                f"{path} est un lien symbolique vers un fichier absent "
                f"({os.readlink(path)}) : donnez le chemin du fichier lui-même."
            ) from exc
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise error(f"{path} n'est pas lisible (droits d'accès).") from exc
        raise error(f"Fichier introuvable : {path}.") from exc
    if stat.S_ISDIR(info.st_mode):
        raise error(f"{path} est un dossier : attendu un fichier.")
    if not stat.S_ISREG(info.st_mode):
        kind = "un tube (FIFO)" if stat.S_ISFIFO(info.st_mode) else "un périphérique"
        if stat.S_ISSOCK(info.st_mode):
            kind = "une socket"
        raise error(
            f"{path} n'est pas un fichier ordinaire mais {kind} : rien n'est lu."
        )
    if not os.access(path, os.R_OK):
        raise error(f"{path} n'est pas lisible (droits d'accès).")
    return path


def read_file(
    path: Path | str,
    limit: int,
    what: str = "Le fichier",
    error: type[EssGeoError] = ImportFileError,
) -> bytes:
    """A regular file's bytes, refused beyond ``limit`` bytes.

    Parameters
    ----------
    path : path-like
    limit : int
        Bytes allowed.
    what : str
        How the message names the file (« Le fichier d'emploi »).
    error : EssGeoError subclass, default ImportFileError

    Raises
    ------
    EssGeoError
        As :func:`check_regular_file`, or when the file is larger than
        ``limit`` (checked before and while reading).
    """
    path = check_regular_file(path, error)
    if path.stat().st_size > limit:
        raise file_too_big(what, path.name, limit, error)
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise error(f"{what} {path.name} est illisible : {exc.strerror}.") from exc
    if len(data) > limit:
        raise file_too_big(what, path.name, limit, error)
    return data


def file_too_big(
    what: str, name: str, limit: int, error: type[EssGeoError] = ImportFileError
) -> EssGeoError:
    """The error for a file beyond ``limit`` bytes (returned, to be raised)."""
    return error(
        f"{what} {name} dépasse la taille admise ({_size(limit)}) : "
        "découpez-le ou n'en gardez que les colonnes utiles."
    )


def check_zip(
    archive: zipfile.ZipFile,
    name: str,
    limit: int,
    error: type[EssGeoError] = ImportFileError,
) -> list[zipfile.ZipInfo]:
    """Check an archive before decompressing anything; return its files.

    Parameters
    ----------
    archive : zipfile.ZipFile
    name : str
        The archive's name for messages.
    limit : int
        Declared decompressed bytes allowed for all the members together.
    error : EssGeoError subclass, default ImportFileError

    Returns
    -------
    list of zipfile.ZipInfo
        The members that are files (folders left out).

    Raises
    ------
    EssGeoError
        More than :data:`MAX_ZIP_MEMBERS` members, an encrypted member, a
        compression method other than stored or deflate, or declared sizes
        beyond ``limit``.
    """
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise error(
            f"L'archive {name} contient {formats.number(len(infos))} fichiers "
            f"(au plus {formats.number(MAX_ZIP_MEMBERS)} admis) : attendu un seul "
            "fichier CSV, ou un classeur .xlsx."
        )
    files = [i for i in infos if not i.is_dir()]
    for info in files:
        if info.flag_bits & 0x1:
            raise error(
                f"L'archive {name} est chiffrée (protégée par mot de passe) : "
                "enregistrez-la sans mot de passe."
            )
        if info.compress_type not in _ZIP_METHODS:
            raise error(
                f"L'archive {name} utilise une compression non prise en charge "
                f"(méthode {info.compress_type}) : recompressez-la au format ZIP "
                "ordinaire (« deflate »)."
            )
    if sum(i.file_size for i in files) > limit:
        raise error(
            f"L'archive {name} se décompresse en plus de {_size(limit)} : "
            "trop volumineuse pour être lue."
        )
    return files


def read_member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    limit: int,
    error: type[EssGeoError] = ImportFileError,
) -> bytes:
    """A member's bytes, counted while decompressing, refused beyond ``limit``."""
    if info.file_size > limit:
        raise file_too_big("Le fichier", info.filename, limit, error)
    parts = []
    total = 0
    with archive.open(info) as stream:
        for block in iter(lambda: stream.read(_READ_BLOCK), b""):
            total += len(block)
            if total > limit:
                raise file_too_big("Le fichier", info.filename, limit, error)
            parts.append(block)
    return b"".join(parts)


class CountingReader(io.RawIOBase):
    """A binary stream that refuses to yield more than ``limit`` bytes.

    Wraps a zip member read in a stream (SIRENE): the bytes actually
    decompressed are counted, whatever the archive declares.
    """

    def __init__(
        self,
        stream: io.RawIOBase | io.BufferedIOBase,
        limit: int,
        name: str,
        error: type[EssGeoError] = ImportFileError,
    ) -> None:
        super().__init__()
        self._stream = stream
        self._limit = limit
        self._name = name
        self._error = error
        self.count = 0

    def readable(self) -> bool:  # noqa: D102 - io interface
        return True

    def readinto(self, buffer) -> int:  # noqa: D102 - io interface
        data = self._stream.read(len(buffer))
        self.count += len(data)
        if self.count > self._limit:
            raise file_too_big("Le fichier", self._name, self._limit, self._error)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:  # noqa: D102 - io interface
        self._stream.close()
        super().close()


class CellBudget:
    """Cells a workbook read may still visit; refused once spent.

    Parameters
    ----------
    name : str
        The workbook's name for the message.
    limit : int, optional
        Default :data:`MAX_XLSX_CELLS`.
    error : EssGeoError subclass, default ImportFileError
    """

    def __init__(
        self,
        name: str,
        limit: int | None = None,
        error: type[EssGeoError] = ImportFileError,
    ) -> None:
        self.name = name
        self.limit = MAX_XLSX_CELLS if limit is None else limit
        self.error = error
        self.spent = 0

    def spend(self, cells: int) -> None:
        """Count ``cells`` more visited cells.

        Raises
        ------
        EssGeoError
            Once more than ``limit`` cells were visited.
        """
        self.spent += max(cells, 1)
        if self.spent > self.limit:
            raise self.error(
                f"Le classeur {self.name} contient plus de "
                f"{formats.number(self.limit)} cellules : trop volumineux pour "
                "être lu. Supprimez les feuilles et colonnes inutiles, ou "
                "enregistrez la feuille utile en CSV."
            )
