"""The weight of the ESS per territory: structures, employers, jobs, ratios.

Aggregation is two group-bys: actors to communes (:func:`by_commune`), then
communes to the territories of a level through the membership table
(:func:`indicators`). No geometry is touched. Jobs are the exact count when
an actor gives one, else the midpoint of its SIRENE size band
(:func:`ess_geo.actors.tranche_midpoint`); actors whose jobs are unknown are
counted in ``emplois_inconnus``, never guessed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ess_geo import geography
from ess_geo.actors import estimate_jobs

__all__ = [
    "COLUMNS",
    "FAMILY_COLUMNS",
    "by_commune",
    "compute",
    "indicators",
]

FAMILY_COLUMNS: dict[str, str] = {
    "association": "associations",
    "cooperative": "cooperatives",
    "mutuelle": "mutuelles",
    "fondation": "fondations",
    "societe_commerciale": "societes_commerciales",
}
"""Famille -> name of its structure-count column."""

COLUMNS: tuple[str, ...] = (
    "code",
    "nom",
    "population",
    "structures",
    "employeurs",
    "emplois",
    "emplois_inconnus",
    *FAMILY_COLUMNS.values(),
    "structures_10k_hab",
    "emplois_1000_hab",
    "indice_specificite",
    "part_emploi",
)
"""The indicator columns, in the order of the ``weight`` command's CSV."""

_COUNTS = (
    "structures",
    "employeurs",
    "emplois",
    "emplois_inconnus",
    *FAMILY_COLUMNS.values(),
    *(f"emplois_{column}" for column in FAMILY_COLUMNS.values()),
)


def by_commune(actors: pd.DataFrame) -> pd.DataFrame:
    """Totals per commune: structures, employers, jobs, per famille.

    Parameters
    ----------
    actors : pandas.DataFrame
        ``code_commune``, ``famille``, ``effectif`` (exact jobs, may be
        missing) and ``tranche_effectif`` (SIRENE band, may be missing).

    Returns
    -------
    pandas.DataFrame
        Indexed by commune code (only communes with actors): ``structures``,
        ``employeurs`` (actors with at least one job), ``emplois``,
        ``emplois_inconnus`` (actors whose jobs are unknown), the structure
        count per famille (``associations``…) and the jobs per famille
        (``emplois_associations``…).
    """
    jobs = estimate_jobs(actors["effectif"], actors["tranche_effectif"])
    famille = actors["famille"]
    frame = pd.DataFrame(
        {
            "commune": actors["code_commune"].to_numpy(),
            "structures": 1,
            "employeurs": (jobs > 0).to_numpy(dtype=np.int64),
            "emplois": jobs.fillna(0).to_numpy(),
            "emplois_inconnus": jobs.isna().to_numpy(dtype=np.int64),
        }
    )
    for value, column in FAMILY_COLUMNS.items():
        is_family = (famille == value).to_numpy()
        frame[column] = is_family.astype(np.int64)
        frame[f"emplois_{column}"] = np.where(is_family, frame["emplois"], 0.0)
    return frame.groupby("commune", sort=True).sum()


def _ratio(numerator: pd.Series, denominator: pd.Series, scale: float = 1) -> pd.Series:
    """Ratio of two series times a scale; NaN where the denominator is 0 or missing."""
    denominator = denominator.astype("float64")
    out = numerator.astype("float64") / denominator.where(denominator > 0) * scale
    return out


def indicators(
    totals: pd.DataFrame, level: str, *, employment: pd.Series | None = None
) -> pd.DataFrame:
    """ESS indicators for every territory of a level.

    Parameters
    ----------
    totals : pandas.DataFrame
        Output of :func:`by_commune`.
    level : str
        One of :data:`ess_geo.geography.LEVELS`.
    employment : pandas.Series, optional
        Total employment (all sectors) by commune code, e.g. INSEE "emplois
        au lieu de travail". Without it ``part_emploi`` is missing.

    Returns
    -------
    pandas.DataFrame
        One row per territory of the level, zeros included, in code order:
        the :data:`COLUMNS`, then ``emplois_<famille>`` jobs per famille and
        ``indice_specificite_region``. Ratios are unrounded and missing
        where the population (or employment) is zero or unknown.

        - ``indice_specificite``: ESS jobs per inhabitant in the territory
          divided by the same ratio for France (all actors given);
        - ``indice_specificite_region``: the same against the territory's
          région (the one holding most of its population).

    Raises
    ------
    UnknownLevelError
        If ``level`` is unknown.
    """
    territories = geography.territories(level)
    links = geography.territory_communes(level)
    joined = links.join(totals, on="commune", how="inner")
    sums = joined.groupby("code")[list(_COUNTS)].sum()
    out = sums.reindex(territories.index, fill_value=0)
    for column in _COUNTS:
        if column.startswith("emplois") and column != "emplois_inconnus":
            out[column] = out[column].astype("float64")
        else:
            out[column] = out[column].astype("int64")
    out.insert(0, "nom", territories["nom"])
    out.insert(1, "population", territories["population"])

    out["structures_10k_hab"] = _ratio(out["structures"], out["population"], 10_000)
    out["emplois_1000_hab"] = _ratio(out["emplois"], out["population"], 1_000)

    france_rate = totals["emplois"].sum() / geography.communes()["population"].sum()
    rate = _ratio(out["emplois"], out["population"])
    out["indice_specificite"] = rate / france_rate if france_rate > 0 else np.nan

    if level == "region":
        out["indice_specificite_region"] = rate / rate.where(rate > 0)
    else:
        regions = indicators(totals, "region").set_index("code")
        region_rate = _ratio(regions["emplois"], regions["population"])
        parent = geography.parents(level, "region").reindex(out.index)
        parent_rate = parent.map(region_rate).astype("float64")
        out["indice_specificite_region"] = rate / parent_rate.where(parent_rate > 0)

    if employment is None:
        out["part_emploi"] = np.nan
    else:
        jobs = links.assign(total=links["commune"].map(employment)).groupby("code")
        total = jobs["total"].sum(min_count=1).reindex(out.index)
        out["part_emploi"] = _ratio(out["emplois"], total)

    out = out.rename_axis("code").reset_index()
    extra = [c for c in out.columns if c not in COLUMNS]
    return out[[*COLUMNS, *extra]]


def compute(
    actors: pd.DataFrame, level: str, *, employment: pd.Series | None = None
) -> pd.DataFrame:
    """ESS indicators of a level straight from actors.

    Same as ``indicators(by_commune(actors), level, employment=employment)``;
    when several levels are wanted, call :func:`by_commune` once and
    :func:`indicators` per level.
    """
    return indicators(by_commune(actors), level, employment=employment)
