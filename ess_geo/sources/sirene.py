"""Download the SIRENE stock files published by INSEE on data.gouv.fr.

The two files the importer joins, StockUniteLegale and StockEtablissement,
as the zipped UTF-8 CSV files of the dataset « Base Sirene des entreprises
et de leurs établissements (SIREN, SIRET) » (Licence Ouverte 2.0). Each is
streamed to disk (about 2 GB together) under a temporary name and renamed
only when complete, so that an interrupted download never leaves a truncated
file that looks whole. Then ``python -m ess_geo import FOLDER`` imports them.
"""

from __future__ import annotations

import shutil
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path

from ess_geo.errors import EssGeoError

__all__ = ["STOCK_URLS", "SourceUnavailableError", "download_stock"]

STOCK_URLS: dict[str, str] = {
    "StockUniteLegale_utf8.zip": (
        "https://files.data.gouv.fr/insee-sirene/StockUniteLegale_utf8.zip"
    ),
    "StockEtablissement_utf8.zip": (
        "https://files.data.gouv.fr/insee-sirene/StockEtablissement_utf8.zip"
    ),
}
"""File name -> stable data.gouv.fr address of the current stock."""

_CHUNK = 1 << 20


class SourceUnavailableError(EssGeoError, ConnectionError):
    """An official source that cannot be reached or read; nothing was kept."""


def download_stock(
    destination: Path | str,
    *,
    urls: Mapping[str, str] = STOCK_URLS,
    timeout: float = 30.0,
    progress: Callable[[str, int], None] | None = None,
) -> list[Path]:
    """Download the SIRENE stock files into a folder.

    Parameters
    ----------
    destination : path-like
        Folder to write to (created if needed).
    urls : mapping, optional
        File name -> address; default :data:`STOCK_URLS`.
    timeout : float, default 30
        Seconds to wait for the server at each step.
    progress : callable, optional
        Called with (file name, bytes received so far) after each megabyte.

    Returns
    -------
    list of pathlib.Path
        The downloaded files.

    Raises
    ------
    SourceUnavailableError
        If a file cannot be fetched (no network, server error, timeout);
        partial files are removed, files already complete are kept.
    """
    folder = Path(destination)
    folder.mkdir(parents=True, exist_ok=True)
    done = []
    for name, url in urls.items():
        target = folder / name
        partial = folder / f"{name}.part"
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                with open(partial, "wb") as out:
                    received = 0
                    while chunk := response.read(_CHUNK):
                        out.write(chunk)
                        received += len(chunk)
                        if progress is not None:
                            progress(name, received)
        except OSError as exc:  # URLError, HTTPError, timeouts, disk errors
            partial.unlink(missing_ok=True)
            reason = getattr(exc, "reason", exc)
            raise SourceUnavailableError(
                f"Téléchargement impossible de {url} : {reason}. Vérifiez la "
                "connexion internet (ou le proxy). Sans connexion, téléchargez les "
                "fichiers StockUniteLegale et StockEtablissement depuis data.gouv.fr "
                f"sur un autre poste et placez-les dans {folder}, puis lancez "
                f"« python -m ess_geo import {folder} »."
            ) from exc
        shutil.move(partial, target)
        done.append(target)
    return done
