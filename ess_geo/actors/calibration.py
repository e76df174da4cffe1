"""The demo's calibration: national and regional totals of published figures.

``data/reference/demo_calibration.csv`` holds the published figures the demo
is calibrated on (see DESIGN.md, "Published figures", and
``data/reference/SOURCES.md``): the national number of ESS employer
establishments (212,718) and of ESS salaried jobs (2.6 M), and the regional
figures published for Bretagne, Île-de-France (both) and Hauts-de-France
(jobs only; its figure counts posts, taken here as jobs).

:func:`regional_targets` turns them into one target per région: a région with
a published figure gets it; the national remainder is spread over the other
régions in proportion to their population (said so in the ``origine_*``
columns). Everything below the région is invented by the demo.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from ess_geo import paths
from ess_geo.geo import geography

__all__ = [
    "CALIBRATION_NOTE",
    "CALIBRATION_PATH",
    "PUBLISHED",
    "SPREAD",
    "calibration_table",
    "largest_remainder",
    "national_targets",
    "regional_targets",
]

CALIBRATION_PATH = paths.REFERENCE_DIR / "demo_calibration.csv"
"""Published figures the demo is calibrated on, with their sources."""

CALIBRATION_NOTE = (
    "Calibré : le nombre d'établissements employeurs de l'ESS et de leurs "
    "emplois, pour la France et pour chaque région (chiffres publiés d'ESS "
    "France et de l'INSEE ; ailleurs, reste national réparti selon la "
    "population). Inventé : chaque acteur, et tout chiffre en dessous de la "
    "région (département, EPCI, pays, commune)."
)
"""What the demo takes from published figures and what it invents (French),
for the banner and the panorama."""

PUBLISHED = "publié"
"""``origine_*`` value of a regional target that is a published figure."""

SPREAD = "reste national réparti selon la population"
"""``origine_*`` value of a target spread from the national remainder."""


@functools.cache
def calibration_table() -> pd.DataFrame:
    """The calibration table, one row per scope (``FR`` and régions).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``code``: ``perimetre``, ``nom``, ``annee``,
        ``etablissements_employeurs`` and ``emplois_salaries`` (missing
        where no figure is published), ``definition``, ``source``.
    """
    return pd.read_csv(
        CALIBRATION_PATH,
        dtype={"code": str},
        keep_default_na=False,
        na_values={"etablissements_employeurs": [""], "emplois_salaries": [""]},
    ).set_index("code")


def national_targets() -> tuple[int, int]:
    """The national employer establishments and salaried jobs of the table."""
    row = calibration_table().loc["FR"]
    return int(row["etablissements_employeurs"]), int(row["emplois_salaries"])


def largest_remainder(weights: pd.Series, total: int) -> pd.Series:
    """Split a whole ``total`` in proportion to ``weights`` (largest remainder).

    Examples
    --------
    >>> largest_remainder(pd.Series([1.0, 1.0, 1.0]), 10).tolist()
    [4, 3, 3]
    """
    values = weights.to_numpy(dtype=float)
    if total <= 0 or values.sum() <= 0:
        return pd.Series(0, index=weights.index, dtype=int)
    raw = values / values.sum() * total
    counts = np.floor(raw).astype(int)
    short = int(total - counts.sum())
    for i in np.argsort(-(raw - counts), kind="stable")[:short]:
        counts[i] += 1
    return pd.Series(counts, index=weights.index, dtype=int)


def _spread(published: pd.Series, population: pd.Series, total: float) -> pd.Series:
    """Published values where known, the remainder spread by population."""
    known = published.dropna()
    rest = population.drop(known.index)
    remainder = total - known.sum()
    return pd.concat([known, rest / rest.sum() * remainder]).reindex(population.index)


def regional_targets(scale: float = 1.0) -> pd.DataFrame:
    """Employer establishments and salaried jobs of the demo, per région.

    Parameters
    ----------
    scale : float, default 1
        Share of the national magnitudes (a scaled-down demo keeps the same
        proportions): establishments are whole numbers summing to
        ``round(scale × 212,718)``, jobs are ``scale ×`` the targets.

    Returns
    -------
    pandas.DataFrame
        Indexed by région code, every région: ``nom``, ``population``,
        ``etablissements`` (int), ``emplois`` (float), ``origine_etablissements``
        and ``origine_emplois`` (:data:`PUBLISHED` or :data:`SPREAD`).
    """
    table = calibration_table()
    regions = geography.territories("region")[["nom", "population"]].copy()
    published = table[table["perimetre"] == "region"].reindex(regions.index)
    establishments, jobs = national_targets()
    est = _spread(
        published["etablissements_employeurs"], regions["population"], establishments
    )
    emp = _spread(published["emplois_salaries"], regions["population"], jobs)
    regions["etablissements"] = largest_remainder(est, round(scale * establishments))
    regions["emplois"] = emp * scale
    for column, source in (
        ("origine_etablissements", "etablissements_employeurs"),
        ("origine_emplois", "emplois_salaries"),
    ):
        regions[column] = np.where(published[source].notna(), PUBLISHED, SPREAD)
    return regions
