"""Jobs by commune (« emplois au lieu de travail »), from the INSEE census files.

INSEE publishes, for each census vintage, the « base communale Emploi –
Population active » as a zipped CSV: ``base-cc-emploi-pop-active-2021_csv.zip``
holds ``base-cc-emploi-pop-active-2021.CSV`` (UTF-8, ``;``, header row,
``CODGEO`` then some 200 variables; ``P21_EMPLT`` is the number of jobs
located in the commune in 2021) and a ``meta_…`` file describing them.

:func:`extract_employment` keeps the commune code and the jobs of the most
recent year and writes them as a two-column CSV (``CODGEO,P21_EMPLT``) that
``python -m ess_geo weight --employment`` reads.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ess_geo.errors import SourceUnavailableError
from ess_geo.sources._http import atomic_output, temporary_download

__all__ = [
    "INSEE_URL",
    "MAX_BYTES",
    "SOURCE",
    "EmploymentRefresh",
    "extract_employment",
    "refresh_employment",
]

SOURCE = "Emplois au lieu de travail (INSEE)"
INSEE_URL = (
    "https://www.insee.fr/fr/statistiques/fichier/8202916/"
    "base-cc-emploi-pop-active-2021_csv.zip"
)
"""Recensement 2021, base communale Emploi – Population active (CSV zippé)."""

MAX_BYTES = 200_000_000
"""The archive weighs about 30 MB; refuse anything far larger."""

_MEMBER = re.compile(r"(^|/)base-cc-emploi-pop-active-[^/]*\.csv$", re.IGNORECASE)
_JOBS = re.compile(r"^P(\d\d)_EMPLT$")
_COMMUNE = re.compile(r"^(\d{5}|2[AB]\d{3})$")


def _bad(url: str, what: str) -> SourceUnavailableError:
    return SourceUnavailableError(
        SOURCE,
        url,
        what,
        "Le fichier attendu est l'archive INSEE « base-cc-emploi-pop-active-AAAA"
        "_csv.zip » (CSV « ; » avec CODGEO et PAA_EMPLT).",
    )


def _read_member(raw: bytes, name: str, origin: str) -> pd.DataFrame:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text), delimiter=";")
    header = [h.strip() for h in next(reader, [])]
    years = {int(m.group(1)): i for i, h in enumerate(header) if (m := _JOBS.match(h))}
    if "CODGEO" not in header or not years:
        raise _bad(origin, f"{name} : colonnes CODGEO ou PAA_EMPLT absentes")
    code_at, jobs_at = header.index("CODGEO"), years[max(years)]
    rows = [
        (r[code_at].strip(), r[jobs_at].strip()) for r in reader if len(r) > jobs_at
    ]
    return pd.DataFrame(rows, columns=["CODGEO", header[jobs_at]], dtype="string")


def extract_employment(path: str | Path, *, origin: str | None = None) -> pd.DataFrame:
    """Commune code and jobs of the most recent year from the INSEE archive.

    Parameters
    ----------
    path : str or path-like
        ``base-cc-emploi-pop-active-AAAA_csv.zip``. Every data member
        (``base-cc-emploi-pop-active-….CSV``, not ``meta_…``) is read.
    origin : str, optional
        Where the file came from (its URL), for messages.

    Returns
    -------
    pandas.DataFrame
        Two string columns, ``CODGEO`` and ``PAA_EMPLT`` (named after the
        most recent year of the file), values as published, sorted by code.

    Raises
    ------
    SourceUnavailableError
        If the file is not such an archive, a code is malformed or given
        twice, or the members disagree on the year.
    """
    path = Path(path)
    origin = origin or str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = [
                n
                for n in archive.namelist()
                if _MEMBER.search(n) and not n.split("/")[-1].lower().startswith("meta")
            ]
            frames = [_read_member(archive.read(n), n, origin) for n in members]
    except zipfile.BadZipFile as exc:
        raise _bad(
            origin, f"ce n'est pas une archive ZIP ({exc} ; page d'erreur HTML ?)"
        ) from exc
    if not frames:
        raise _bad(
            origin, "aucun fichier base-cc-emploi-pop-active-….CSV dans l'archive"
        )
    columns = {f.columns[1] for f in frames}
    if len(columns) > 1:
        raise _bad(
            origin, f"millésimes différents selon les fichiers ({sorted(columns)})"
        )
    table = pd.concat(frames, ignore_index=True)
    bad = table[~table["CODGEO"].str.fullmatch(_COMMUNE)]
    if len(bad):
        raise _bad(origin, f"code commune invalide « {bad['CODGEO'].iloc[0]} »")
    twice = table[table["CODGEO"].duplicated()]
    if len(twice):
        raise _bad(origin, f"commune {twice['CODGEO'].iloc[0]} présente deux fois")
    return table.sort_values("CODGEO", ignore_index=True)


@dataclass
class EmploymentRefresh:
    """What :func:`refresh_employment` wrote."""

    communes: int
    """Rows written."""
    column: str
    """The jobs column kept (``P21_EMPLT``…)."""


def refresh_employment(
    out: str | Path, *, url: str = INSEE_URL, max_bytes: int = MAX_BYTES
) -> EmploymentRefresh:
    """Download the INSEE archive and write ``CODGEO,PAA_EMPLT`` to ``out``.

    Parameters
    ----------
    out : str or path-like
        The CSV to write (UTF-8, ``,``, header row), replaced whole.
    url : str, default :data:`INSEE_URL`
        Where to download from (another vintage: change the year in it).
    max_bytes : int, default :data:`MAX_BYTES`
        Refuse larger downloads.

    Returns
    -------
    EmploymentRefresh
        Counts for the report.

    Raises
    ------
    SourceUnavailableError
        Offline, or the download is not the expected archive. ``out`` is
        then left untouched.
    """
    with temporary_download(
        url, source=SOURCE, max_bytes=max_bytes, suffix=".zip"
    ) as path:
        table = extract_employment(path, origin=url)
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, lineterminator="\n")
    with atomic_output(out) as tmp:
        tmp.write_text(buffer.getvalue(), encoding="utf-8")
    return EmploymentRefresh(communes=len(table), column=str(table.columns[1]))
