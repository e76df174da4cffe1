"""Structures motrices of a prospect territory: the first ESS structures to contact.

The cahier of the CNCRES (2011) says a network is born of « une volonté des
acteurs locaux », often carried by the largest employers and by the local
structures of federations. The workspace holds no federation membership, so
the rule is built from what an actor file or SIRENE gives:

1. **Large employers**: actors with :data:`ess_geo.analysis.coverage.LEAD_JOBS`
   jobs or more (the prospect score's « structures motrices » component), jobs
   counted as everywhere else (exact ``effectif``, else the SIRENE band's
   midpoint).
2. **Local structures of a federated network**: an establishment whose SIREN
   has establishments in other communes of the workspace (a multi-site
   organisation), or whose name carries the name of a federation or of a
   federated movement (:data:`FEDERATION_KEYS`: ADMR, UDAF, Familles rurales,
   Ligue de l'enseignement, Secours populaire, CUMA, SCOP…).

They are ranked by jobs (descending; unknown last), a federated structure
before another of the same jobs, then by name; the first :data:`LIMIT` are kept.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ess_geo import formats
from ess_geo.actors import estimate_jobs, text_key
from ess_geo.analysis.coverage import LEAD_JOBS
from ess_geo.geo import geography

__all__ = ["FEDERATION_KEYS", "LIMIT", "MOTRICES_COLUMNS", "federation_of", "motrices"]

LIMIT = 30
"""Structures motrices listed for a territory: the first 30 to contact."""

FEDERATION_KEYS: dict[str, str] = {
    "admr": "ADMR",
    "udaf": "UDAF",
    "unaf": "UNAF",
    "familles rurales": "Familles rurales",
    "ligue de l enseignement": "Ligue de l'enseignement",
    "secours populaire": "Secours populaire",
    "secours catholique": "Secours catholique",
    "restos du coeur": "Restos du cœur",
    "restaurants du coeur": "Restos du cœur",
    "emmaus": "Emmaüs",
    "croix rouge": "Croix-Rouge",
    "apf": "APF France handicap",
    "adapei": "Unapei",
    "unapei": "Unapei",
    "apajh": "APAJH",
    "ufcv": "UFCV",
    "cemea": "CEMEA",
    "francas": "Francas",
    "mjc": "MJC",
    "ufolep": "UFOLEP",
    "usep": "USEP",
    "mutualite": "Mutualité française",
    "credit mutuel": "Crédit mutuel",
    "credit agricole": "Crédit agricole",
    "caisse d epargne": "Caisse d'épargne",
    "banque populaire": "Banque populaire",
    "credit cooperatif": "Crédit coopératif",
    "biocoop": "Biocoop",
    "cuma": "FNCUMA (CUMA)",
    "scop": "Union régionale des Scop",
    "scic": "Union régionale des Scop (SCIC)",
    "federation": "une fédération",
    "union departementale": "une union départementale",
    "union regionale": "une union régionale",
}
"""Folded name word(s) -> the federation or movement they point to."""

_PATTERN = re.compile(
    r"\b("
    + "|".join(re.escape(k) for k in sorted(FEDERATION_KEYS, key=len)[::-1])
    + r")\b"
)

MOTRICES_COLUMNS: tuple[str, ...] = (
    "rang",
    "nom",
    "famille",
    "naf",
    "emplois",
    "commune",
    "motif",
    "site_web",
    "telephone",
    "email",
    "siret",
)
"""Columns of :func:`motrices`, in order."""


def federation_of(name: object) -> str | None:
    """The federation a name points to, if any.

    Examples
    --------
    >>> federation_of("ADMR de la Vallée"), federation_of("Amicale du bourg")
    ('ADMR', None)
    >>> federation_of("CUMA Le Gué – Plouguerneau (fictif)")
    'FNCUMA (CUMA)'
    """
    found = [FEDERATION_KEYS[k] for k in _PATTERN.findall(text_key(name))]
    named = [f for f in found if not f.startswith("une ")]  # not a generic word
    return (named or found or [None])[0]


def _multi_site(actors: pd.DataFrame) -> pd.Series:
    """Whether each actor's SIREN has establishments in other communes."""
    siren = actors["siret"].astype("string").str.replace(r"\D", "", regex=True).str[:9]
    siren = siren.where(siren.str.len() == 9)
    communes = actors.groupby(siren)["code_commune"].nunique()
    return siren.map(communes).fillna(0).gt(1).to_numpy()


def motrices(
    actors: pd.DataFrame, level: str, code: str, *, limit: int = LIMIT
) -> pd.DataFrame:
    """The structures motrices of a territory, best first.

    Parameters
    ----------
    actors : pandas.DataFrame
        Every actor of the workspace (the multi-site rule looks beyond the
        territory): ``siret``, ``nom``, ``famille``, ``naf``, ``effectif``,
        ``tranche_effectif``, ``code_commune``, ``commune`` and the contact
        columns when known.
    level, code : str
        The territory.
    limit : int, default :data:`LIMIT`
        How many to keep.

    Returns
    -------
    pandas.DataFrame
        :data:`MOTRICES_COLUMNS`; ``motif`` says why each one is listed.

    Raises
    ------
    ess_geo.errors.UnknownTerritoryError
        If the territory does not exist.
    """
    communes = geography.communes_of(level, code)
    table = actors.copy()
    for column in ("siret", "site_web", "telephone", "email", "tranche_effectif"):
        if column not in table:
            table[column] = pd.NA
    multi = _multi_site(table)
    inside = table["code_commune"].isin(communes).to_numpy()
    table = table[inside].assign(_multi=multi[inside])
    jobs = estimate_jobs(table["effectif"], table["tranche_effectif"])
    federation = table["nom"].map(federation_of)
    large = jobs.to_numpy(dtype="float64") >= LEAD_JOBS
    federated = federation.notna().to_numpy() | table["_multi"].to_numpy()
    keep = large | federated
    motif = []
    for big, fed, multi_site, job in zip(
        large, federation, table["_multi"], jobs, strict=True
    ):
        parts = []
        if big:
            digits = 0 if float(job).is_integer() else 1
            parts.append(f"employeur de {formats.number(job, digits)} emplois")
        if isinstance(fed, str):
            parts.append(f"structure d'un réseau fédéré ({fed})")
        elif multi_site:
            parts.append(
                "établissement d'une structure présente dans d'autres communes"
            )
        motif.append(" ; ".join(parts))
    out = table.assign(
        emplois=jobs.to_numpy(),
        motif=motif,
        _federated=federated,
        _jobs=np.nan_to_num(jobs.to_numpy(dtype="float64"), nan=-1.0),
        _name=table["nom"].map(text_key),
    )[keep]
    out = out.sort_values(
        ["_jobs", "_federated", "_name"], ascending=[False, False, True], kind="stable"
    ).head(limit)
    out["rang"] = np.arange(1, len(out) + 1)
    return out[list(MOTRICES_COLUMNS)]
