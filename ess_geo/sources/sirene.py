"""SIRENE stock files (INSEE), downloaded from data.gouv.fr.

INSEE publishes the whole SIRENE register each month on data.gouv.fr
(« Base Sirene des entreprises et de leurs établissements »), at stable
addresses under ``https://files.data.gouv.fr/insee-sirene/``:

- ``StockEtablissement_utf8.zip`` (one ``StockEtablissement_utf8.csv``,
  UTF-8, ``,``) and ``StockEtablissement_utf8.parquet``;
- ``StockUniteLegale_utf8.zip`` and ``StockUniteLegale_utf8.parquet``.

The files weigh from several hundred MB to a few GB. :func:`fetch_stock`
streams them to ``<name>.part`` next to the final file, 1 MiB at a time
(memory stays flat whatever the size), resumes an interrupted download where
it stopped, checks the result (complete size, a readable ZIP holding the
expected CSV, or a Parquet file with a ``siren`` column) and only then
renames it into place. Reading them is the importer's work
(``python -m ess_geo import``).
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pyarrow
import pyarrow.parquet as pq

from ess_geo.errors import SourceUnavailableError
from ess_geo.sources._http import Progress, download

__all__ = [
    "BASE_URL",
    "FORMATS",
    "MAX_BYTES",
    "SOURCE",
    "STOCKS",
    "fetch_stock",
    "file_name",
]

SOURCE = "SIRENE (INSEE, data.gouv.fr)"
BASE_URL = "https://files.data.gouv.fr/insee-sirene/"

STOCKS = {
    "etablissements": "StockEtablissement",
    "unites_legales": "StockUniteLegale",
}
"""Stock names accepted on the command line -> INSEE file stem."""

FORMATS = ("csv", "parquet")

MAX_BYTES = 10_000_000_000
"""10 GB: above every stock file published so far (a few GB at most)."""


def file_name(stock: str, fmt: str = "csv") -> str:
    """The INSEE file name of a stock in a format.

    Parameters
    ----------
    stock : {"etablissements", "unites_legales"}
        Which stock.
    fmt : {"csv", "parquet"}, default "csv"
        ``csv`` is the zipped CSV.

    Returns
    -------
    str
        ``StockEtablissement_utf8.zip`` and so on.

    Raises
    ------
    ValueError
        For an unknown stock or format.

    Examples
    --------
    >>> file_name("unites_legales", "parquet")
    'StockUniteLegale_utf8.parquet'
    """
    if stock not in STOCKS:
        raise ValueError(f"`stock` was {stock!r} but is expected in {sorted(STOCKS)}")
    if fmt not in FORMATS:
        raise ValueError(f"`fmt` was {fmt!r} but is expected in {FORMATS}")
    return f"{STOCKS[stock]}_utf8.{'zip' if fmt == 'csv' else 'parquet'}"


def _check(path: Path, stock: str, fmt: str, url: str) -> None:
    """Raise unless ``path`` is a complete stock file of that kind."""
    expected = f"{STOCKS[stock]}_utf8.csv"
    if fmt == "csv":
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile as exc:
            raise SourceUnavailableError(
                SOURCE,
                url,
                f"le fichier reçu n'est pas une archive ZIP complète ({exc})",
                "Il a été supprimé : relancez la commande, puis vérifiez l'adresse "
                "si l'erreur persiste.",
            ) from exc
        if not any(n.split("/")[-1] == expected for n in names):
            raise SourceUnavailableError(
                SOURCE,
                url,
                f"l'archive ne contient pas {expected} (trouvé : {', '.join(names)})",
                "Vérifiez l'adresse passée avec --url.",
            )
        return
    try:
        schema = pq.read_schema(path)
    except (pyarrow.ArrowInvalid, OSError) as exc:
        raise SourceUnavailableError(
            SOURCE,
            url,
            f"le fichier reçu n'est pas un fichier Parquet complet ({exc})",
            "Il a été supprimé : relancez la commande, puis vérifiez l'adresse "
            "si l'erreur persiste.",
        ) from exc
    if "siren" not in schema.names:
        raise SourceUnavailableError(
            SOURCE,
            url,
            "colonne « siren » absente du fichier Parquet",
            "Vérifiez l'adresse passée avec --url.",
        )


def fetch_stock(
    stock: str,
    folder: str | Path,
    *,
    fmt: str = "csv",
    url: str | None = None,
    max_bytes: int = MAX_BYTES,
    progress: Progress | None = None,
) -> Path:
    """Download one SIRENE stock file into a folder, resumably.

    Parameters
    ----------
    stock : {"etablissements", "unites_legales"}
        Which stock.
    folder : str or path-like
        Where to put it (created if needed). The file keeps its INSEE name.
    fmt : {"csv", "parquet"}, default "csv"
        Zipped CSV or Parquet.
    url : str, optional
        Another address (a mirror, a dated copy); default
        ``BASE_URL + file_name(stock, fmt)``.
    max_bytes : int, default :data:`MAX_BYTES`
        Refuse larger downloads.
    progress : callable, optional
        ``progress(bytes_so_far, total_or_None)`` after each MiB.

    Returns
    -------
    pathlib.Path
        The complete, checked file.

    Raises
    ------
    SourceUnavailableError
        Offline or interrupted (the ``.part`` file stays: run again to
        resume), or the file received is not the expected one (the ``.part``
        file is removed). An existing copy of the stock is never touched
        until the new one is complete and checked.
    ValueError
        For an unknown stock or format.
    """
    name = file_name(stock, fmt)
    url = url or BASE_URL + name
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    part = folder / f"{name}.part"
    download(
        url, part, source=SOURCE, max_bytes=max_bytes, resume=True, progress=progress
    )
    try:
        _check(part, stock, fmt, url)
    except SourceUnavailableError:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, target)
    return target
