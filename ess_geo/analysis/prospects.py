"""The prospect ranking for people: tables, the method sheet, selector labels.

:mod:`ess_geo.analysis.coverage` computes coverage, components, score and
rank; this module presents them: French headers, the method sheet shipped
with every export (each component, its weight, and how far the ranking
follows population: :func:`population_correlation`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ess_geo.analysis.coverage import (
    COMPONENTS,
    COUNTING_LABELS,
    DEFAULT_COUNTING,
    DEFAULT_MIN_EMPLOYERS,
    DEFAULT_THRESHOLD,
    STATUS_LABELS,
    validate_weights,
)

__all__ = [
    "component_header",
    "display_prospects",
    "method_table",
    "population_correlation",
    "prospect_labels",
]


def population_correlation(table: pd.DataFrame) -> float:
    """Spearman correlation of the score with population over ranked territories.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`ess_geo.analysis.coverage.gaps` output.

    Returns
    -------
    float
        Between -1 and 1; NaN with fewer than three ranked territories. Near
        1, the ranking would only be a population ranking.

    Examples
    --------
    >>> frame = pd.DataFrame({"rang": [1, 2, 3], "population": [10, 20, 30],
    ...                       "score_prospection": [90.0, 50.0, 10.0]})
    >>> population_correlation(frame)
    -1.0
    """
    ranked = table[table["rang"].notna()]
    if len(ranked) < 3:
        return float("nan")
    score = ranked["score_prospection"].astype("float64").rank()
    people = ranked["population"].astype("float64").rank()
    return float(np.corrcoef(score, people)[0, 1])


_PROSPECT_HEADERS = {
    "rang": "Rang",
    "nom": "Territoire",
    "score_prospection": "Score",
    "couverture": "Couverture",
    "part_population_couverte": "Part couverte",
    "population": "Population",
    "structures": "Structures",
    "employeurs": "Employeurs",
    "emplois": "Emplois (environ)",
    "inventaire": "Inventaire des réseaux",
}


def component_header(key: str) -> str:
    """Column header of a normalised component in :func:`display_prospects`.

    Examples
    --------
    >>> component_header("voisins")
    'Voisins couverts (0–1)'
    """
    return f"{COMPONENTS[key].label} (0–1)"


def display_prospects(table: pd.DataFrame) -> pd.DataFrame:
    """Ranked territories as a table for people: French headers, every component.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`ess_geo.analysis.coverage.gaps` output.

    Returns
    -------
    pandas.DataFrame
        The ranked rows in rank order: Rang, Territoire, Score, Couverture,
        Part couverte, Population, Structures, Employeurs, Emplois (an
        estimate: whole numbers), the network inventory of the région
        (complet, incomplet), one column per component
        (:func:`component_header`, normalised value), the networks present
        and those not counted, and the territory's Code.
    """
    ranked = table[table["rang"].notna()].sort_values("rang")
    out = ranked[list(_PROSPECT_HEADERS)].rename(columns=_PROSPECT_HEADERS)
    out["Couverture"] = out["Couverture"].map(STATUS_LABELS)
    out["Emplois (environ)"] = ranked["emplois"].round().astype("Int64").to_numpy()
    for key in COMPONENTS:
        out[component_header(key)] = ranked[f"composante_{key}"]
    others = (
        ranked["reseaux_approximatifs"]
        .str.cat(ranked["reseaux_en_projet"], sep="|")
        .str.cat(ranked["reseaux_inconnus"], sep="|")
        .str.replace(r"\|+", "|", regex=True)
    )
    out["Réseaux présents"] = ranked["reseaux"].str.replace("|", " ; ")
    out["Réseaux non comptés"] = others.str.strip("|").str.replace("|", " ; ")
    out["Code"] = ranked["code"]
    return out.reset_index(drop=True)


def method_table(
    weights: Mapping[str, float],
    threshold: float = DEFAULT_THRESHOLD,
    *,
    min_employers: int = DEFAULT_MIN_EMPLOYERS,
    counting: str = DEFAULT_COUNTING,
    correlation: float | None = None,
) -> pd.DataFrame:
    """How the score was computed, to ship with an export.

    Parameters
    ----------
    weights : mapping
        The score's weights.
    threshold : float
        The coverage threshold (share).
    min_employers : int
        The size condition.
    counting : str
        The counting choice (:data:`ess_geo.analysis.coverage.COUNTING`).
    correlation : float, optional
        :func:`population_correlation` of the ranking, reported when given.

    Returns
    -------
    pandas.DataFrame
        One row per component (label, measure, normalisation, weight), one
        for the size condition, the counting choice, the coverage threshold,
        the score, and the correlation with population when given.
    """
    weights = validate_weights(weights)
    rows = [
        {
            "Élément": c.label,
            "Mesure": c.measure,
            "Normalisation": c.normalised,
            "Poids": weights[key],
        }
        for key, c in COMPONENTS.items()
    ]
    rows.append(
        {
            "Élément": "Condition de taille",
            "Mesure": "employeurs de l'ESS qu'un territoire doit compter pour être "
            "classé : de quoi réunir un réseau de 10 à 30 membres actifs (cahier "
            "du CNCRES, 2011). La taille est une condition, pas une composante.",
            "Normalisation": "",
            "Poids": min_employers,
        }
    )
    rows.append(
        {
            "Élément": "Réseaux comptés",
            "Mesure": COUNTING_LABELS[counting],
            "Normalisation": "",
            "Poids": None,
        }
    )
    rows.append(
        {
            "Élément": "Seuil de couverture",
            "Mesure": "part de la population couverte à partir de laquelle un "
            "territoire est « couvert »",
            "Normalisation": "",
            "Poids": threshold,
        }
    )
    rows.append(
        {
            "Élément": "Score de prospection",
            "Mesure": "100 × somme des poids × composantes / somme des poids",
            "Normalisation": "",
            "Poids": sum(weights.values()),
        }
    )
    if correlation is not None:
        rows.append(
            {
                "Élément": "Corrélation avec la population",
                "Mesure": "corrélation de rang de Spearman entre le score et la "
                "population des territoires classés (1 : le classement ne "
                "serait qu'un classement par population)",
                "Normalisation": "",
                "Poids": correlation,
            }
        )
    return pd.DataFrame(rows)


def prospect_labels(table: pd.DataFrame) -> dict[str, str]:
    """Ranked territory code -> ``"rang. nom"``, in rank order (for selectors).

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`ess_geo.analysis.coverage.gaps` output.

    Returns
    -------
    dict
    """
    ranked = table[table["rang"].notna()].sort_values("rang")
    return {
        code: f"{rank}. {name}"
        for code, rank, name in zip(
            ranked["code"], ranked["rang"], ranked["nom"], strict=True
        )
    }
