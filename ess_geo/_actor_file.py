"""Stop-gap reader of the canonical actor file for read-only analysis.

``python -m ess_geo weight --actors PATH`` analyses a file instead of the
workspace. The real reader, with the full validation of the import (every
header variant, SIRENE files, placement by coordinates, deduplication), is
:mod:`ess_geo.imports`, built in parallel. Until it lands, this module reads
the canonical actor file (DESIGN.md) with the checks that matter for the
indicators, through one function, :func:`read_actor_file`, so that switching
to the importer is a one-line change in :mod:`ess_geo.cli`.

What it checks, row by row: a non-empty ``nom``; a place (``code_commune``
known to the geography, else ``code_postal`` + ``commune`` naming one
commune); a famille (``famille``, else derived from
``categorie_juridique``); ``effectif`` a whole number >= 0 or empty; a
SIRENE ``tranche_effectif`` code when given. Rows that fail are returned
with their line and reason; coordinates alone do not place an actor here.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from ess_geo import geography
from ess_geo.actors import (
    TRANCHES_EFFECTIF,
    famille_from_categorie_juridique,
    normalise_famille,
)
from ess_geo.errors import InputFileError

__all__ = ["read_actor_file"]

_HEADERS: dict[str, str] = {
    "siret": "siret",
    "nom": "nom",
    "raison sociale": "nom",
    "denomination": "nom",
    "categorie juridique": "categorie_juridique",
    "famille": "famille",
    "famille ess": "famille",
    "naf": "naf",
    "code naf": "naf",
    "ape": "naf",
    "effectif": "effectif",
    "effectifs": "effectif",
    "salaries": "effectif",
    "tranche effectif": "tranche_effectif",
    "trancheeffectifsetablissement": "tranche_effectif",
    "code postal": "code_postal",
    "cp": "code_postal",
    "commune": "commune",
    "ville": "commune",
    "code commune": "code_commune",
    "code insee": "code_commune",
    "codgeo": "code_commune",
}


def _fold(text: object) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    for sep in "_-'’.":
        plain = plain.replace(sep, " ")
    return " ".join(plain.split())


def _read_raw(path: Path) -> pd.DataFrame:
    """The file's cells as strings, with canonical column names."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            frame = pd.read_excel(path, dtype=str)
        except (ValueError, OSError, KeyError, zipfile.BadZipFile) as exc:
            raise InputFileError(
                f"Fichier d'acteurs {path.name} illisible ({exc})."
            ) from exc
    else:
        raw = path.read_bytes()
        if b"\x00" in raw[:4096]:
            raise InputFileError(
                f"Fichier d'acteurs {path.name} illisible : ce n'est pas un "
                "fichier texte (CSV) ni un classeur XLSX."
            )
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        first = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first.count)
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        if not rows:
            raise InputFileError(f"Fichier d'acteurs {path.name} vide.")
        width = len(rows[0])
        frame = pd.DataFrame(
            [(r + [""] * width)[:width] for r in rows[1:] if any(c.strip() for c in r)],
            columns=rows[0],
            dtype=str,
        )
    frame.columns = [_HEADERS.get(_fold(c), _fold(c)) for c in frame.columns]
    frame = frame.loc[:, ~frame.columns.duplicated()]
    return frame.fillna("").map(str.strip)


def _place(frame: pd.DataFrame) -> pd.Series:
    """Commune code of each row: by code, else by postal code and name."""
    known = geography.communes()
    code = frame.get("code_commune", pd.Series("", index=frame.index))
    code = code.where(~code.str.fullmatch(r"\d{4}"), code.str.zfill(5)).str.upper()
    placed = code.where(code.isin(known.index))
    if "code_postal" in frame and "commune" in frame:
        postal = geography.postal_codes().copy()
        postal["name"] = postal["commune"].map(known["nom"]).map(_fold)
        key = frame["code_postal"].str.zfill(5) + "|" + frame["commune"].map(_fold)
        lookup = (
            postal.assign(key=postal["code_postal"] + "|" + postal["name"])
            .drop_duplicates("key", keep=False)
            .set_index("key")["commune"]
        )
        placed = placed.fillna(key.map(lookup))
    return placed


def read_actor_file(path: str | Path) -> tuple[pd.DataFrame, list[dict]]:
    """Actors of a canonical actor file, and the rows that cannot be used.

    Parameters
    ----------
    path : str or path-like
        CSV (``,``, ``;`` or tab; UTF-8 with or without BOM, or
        Windows-1252) or XLSX (first sheet), header row, columns of the
        canonical actor file.

    Returns
    -------
    actors : pandas.DataFrame
        The usable rows: ``nom``, ``code_commune``, ``famille``, ``naf``,
        ``effectif`` (nullable integer), ``tranche_effectif``.
    rejected : list of dict
        ``{"line": k, "reason": "..."}`` for each unusable row, ``line``
        being the 1-based line of the file (header = line 1).

    Raises
    ------
    InputFileError
        If the file cannot be read or lacks the ``nom`` column or any
        placing column.
    """
    path = Path(path)
    frame = _read_raw(path)
    if "nom" not in frame:
        raise InputFileError(
            f"Fichier d'acteurs {path.name} : colonne « nom » absente "
            f"(colonnes lues : {', '.join(frame.columns)})."
        )
    if "code_commune" not in frame and not {"code_postal", "commune"} <= set(frame):
        raise InputFileError(
            f"Fichier d'acteurs {path.name} : aucune colonne pour placer les "
            "acteurs (attendu code_commune, ou code_postal et commune). Pour des "
            "coordonnées seules, importez le fichier (python -m ess_geo import)."
        )
    for column in ("famille", "categorie_juridique", "naf", "effectif"):
        if column not in frame:
            frame[column] = ""
    if "tranche_effectif" not in frame:
        frame["tranche_effectif"] = ""

    lines = pd.Series(np.arange(2, len(frame) + 2), index=frame.index)
    famille = frame["famille"].map(normalise_famille)
    famille = famille.fillna(
        frame["categorie_juridique"].map(famille_from_categorie_juridique)
    )
    effectif = pd.to_numeric(
        frame["effectif"].where(frame["effectif"] != ""), errors="coerce"
    )
    code = _place(frame)
    reasons = pd.Series("", index=frame.index)
    checks = [
        (frame["nom"] == "", "nom vide"),
        (
            code.isna(),
            "commune introuvable (code_commune inconnu, ou code postal et nom "
            "de commune sans correspondance unique)",
        ),
        (
            famille.isna(),
            "famille inconnue (famille vide ou non reconnue et catégorie "
            "juridique hors ESS)",
        ),
        (
            (frame["effectif"] != "")
            & (effectif.isna() | (effectif < 0) | (effectif % 1 != 0)),
            "effectif invalide (attendu un nombre entier de salariés, 0 ou plus)",
        ),
        (
            (frame["tranche_effectif"] != "")
            & ~frame["tranche_effectif"].isin(list(TRANCHES_EFFECTIF)),
            "tranche d'effectif SIRENE inconnue",
        ),
    ]
    for failed, reason in checks:
        reasons = reasons.where(~failed | (reasons != ""), reason)
    bad = reasons != ""
    rejected = [
        {"line": int(line), "reason": reason}
        for line, reason in zip(lines[bad], reasons[bad], strict=True)
    ]
    good = ~bad
    actors = pd.DataFrame(
        {
            "nom": frame.loc[good, "nom"],
            "code_commune": code[good].astype("string"),
            "famille": famille[good],
            "naf": frame.loc[good, "naf"].replace("", pd.NA),
            "effectif": effectif[good].astype("Int64"),
            "tranche_effectif": frame.loc[good, "tranche_effectif"].replace("", pd.NA),
        }
    ).reset_index(drop=True)
    return actors, rejected
