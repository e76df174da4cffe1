"""Launch budget of new territorial networks, from the source document's model.

The CNCRES 2011 cahier « Des réseaux territoriaux d'acteurs de l'ESS moteurs
du développement local » describes how a network is born: a mobilisation
phase of 1 to 2 years at about 30 k€ a year per territory, then about 55 k€
a year of animation (one full-time animator plus running costs), network
budgets of 30 to 300 k€ being mostly public money. :func:`simulate_budget`
applies that model to a list of prospect territories, year by year; every
parameter is editable and :data:`BUDGET_SOURCES` says where each default
comes from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from ess_geo.errors import BudgetError

__all__ = [
    "BUDGET_LABELS",
    "BUDGET_RANGES",
    "BUDGET_SOURCES",
    "BudgetAssumptions",
    "assumptions_table",
    "budget_defaults",
    "budget_summary",
    "display_budget",
    "launch_years",
    "simulate_budget",
]


@dataclass(frozen=True)
class BudgetAssumptions:
    """Parameters of the launch budget; defaults from the source document.

    Attributes
    ----------
    mobilisation_cost : float
        Euros per territory and per year during the mobilisation phase.
    mobilisation_years : int
        Length of the mobilisation phase, in years.
    animation_cost : float
        Euros per network and per year once launched: one full-time
        animator plus running costs.
    member_share : float
        Share of the animation budget paid by member fees (0 to 1).
    horizon_years : int
        Number of years simulated.
    launches_per_year : int
        Territories starting their mobilisation each year, in rank order;
        0 starts them all in year 1.
    """

    mobilisation_cost: float = 30_000.0
    mobilisation_years: int = 2
    animation_cost: float = 55_000.0
    member_share: float = 0.10
    horizon_years: int = 5
    launches_per_year: int = 0

    def __post_init__(self) -> None:
        """Check every parameter's range."""
        checks = {
            "mobilisation_cost": self.mobilisation_cost >= 0,
            "animation_cost": self.animation_cost >= 0,
            "mobilisation_years": 0 <= self.mobilisation_years <= 10,
            "member_share": 0 <= self.member_share <= 1,
            "horizon_years": 1 <= self.horizon_years <= 30,
            "launches_per_year": self.launches_per_year >= 0,
        }
        for name, ok in checks.items():
            if not ok:
                raise BudgetError(
                    f"Paramètre du budget « {BUDGET_LABELS[name]} » invalide : "
                    f"{getattr(self, name)} ({BUDGET_RANGES[name]})."
                )


BUDGET_LABELS: dict[str, str] = {
    "mobilisation_cost": "Coût de la mobilisation (€ par territoire et par an)",
    "mobilisation_years": "Durée de la mobilisation (années)",
    "animation_cost": "Coût de l'animation (€ par réseau et par an)",
    "member_share": "Part de l'animation financée par les cotisations",
    "horizon_years": "Horizon de la simulation (années)",
    "launches_per_year": "Lancements par an (0 = tous la première année)",
}
BUDGET_RANGES: dict[str, str] = {
    "mobilisation_cost": "attendu un montant positif ou nul",
    "animation_cost": "attendu un montant positif ou nul",
    "mobilisation_years": "attendu de 0 à 10 ans",
    "member_share": "attendu entre 0 et 1, soit 0 à 100 %",
    "horizon_years": "attendu de 1 à 30 ans",
    "launches_per_year": "attendu un nombre entier positif ou nul",
}
_CAHIER = "CNCRES, cahier « Des réseaux territoriaux d'acteurs de l'ESS » (2011)"
BUDGET_SOURCES: dict[str, str] = {
    "mobilisation_cost": f"{_CAHIER} : environ 30 k€ par an et par territoire "
    "pendant la phase de lancement.",
    "mobilisation_years": f"{_CAHIER} : une phase de lancement d'1 à 2 ans ; "
    "2 ans par prudence.",
    "animation_cost": f"{_CAHIER} : environ 55 k€ par an, un animateur à temps "
    "plein et le fonctionnement.",
    "member_share": "Hypothèse : le cahier du CNCRES (2011) dit seulement que "
    "les budgets des réseaux (30 à 300 k€) sont majoritairement publics ; "
    "10 % par prudence.",
    "horizon_years": "Choix de présentation : la durée d'une convention pluriannuelle.",
    "launches_per_year": "Choix de présentation : tous les territoires démarrent "
    "la première année.",
}
"""Where each default of :class:`BudgetAssumptions` comes from."""


def launch_years(count: int, assumptions: BudgetAssumptions) -> list[int]:
    """Year (1-based) in which each of ``count`` territories starts, in rank order.

    Examples
    --------
    >>> launch_years(5, BudgetAssumptions(launches_per_year=2))
    [1, 1, 2, 2, 3]
    """
    per_year = assumptions.launches_per_year or max(count, 1)
    return [1 + i // per_year for i in range(count)]


def simulate_budget(
    territories: Sequence[str], assumptions: BudgetAssumptions | None = None
) -> pd.DataFrame:
    """The yearly cost of launching networks in the given territories.

    Each territory goes through ``mobilisation_years`` of mobilisation at
    ``mobilisation_cost`` a year, then animation at ``animation_cost`` a
    year, of which ``member_share`` is paid by the members' fees; the rest
    is the public funding needed.

    Parameters
    ----------
    territories : sequence of str
        Territory codes, in the order they are launched (best prospect
        first). Repeated codes are counted once.
    assumptions : BudgetAssumptions, optional
        Default: the source document's figures.

    Returns
    -------
    pandas.DataFrame
        One row per year ``annee`` 1..horizon: ``territoires_en_mobilisation``,
        ``reseaux_en_animation``, ``cout_mobilisation``, ``cout_animation``,
        ``cout_total``, ``cotisations``, ``financement_public`` (euros).

    Examples
    --------
    >>> simulate_budget(["A", "B"])["cout_total"].tolist()
    [60000.0, 60000.0, 110000.0, 110000.0, 110000.0]
    """
    assumptions = assumptions or BudgetAssumptions()
    codes = list(dict.fromkeys(territories))
    starts = np.array(launch_years(len(codes), assumptions))
    years = np.arange(1, assumptions.horizon_years + 1)
    since = years[:, None] - starts[None, :]  # years since the territory started
    mobilising = ((since >= 0) & (since < assumptions.mobilisation_years)).sum(axis=1)
    animating = (since >= assumptions.mobilisation_years).sum(axis=1)
    out = pd.DataFrame(
        {
            "annee": years,
            "territoires_en_mobilisation": mobilising,
            "reseaux_en_animation": animating,
            "cout_mobilisation": mobilising * float(assumptions.mobilisation_cost),
            "cout_animation": animating * float(assumptions.animation_cost),
        }
    )
    out["cout_total"] = out["cout_mobilisation"] + out["cout_animation"]
    out["cotisations"] = out["cout_animation"] * assumptions.member_share
    out["financement_public"] = out["cout_total"] - out["cotisations"]
    return out


def budget_defaults() -> dict[str, float | int]:
    """The default :class:`BudgetAssumptions` as a dict (for forms and URLs)."""
    defaults = BudgetAssumptions()
    return {f.name: getattr(defaults, f.name) for f in fields(defaults)}


def budget_summary(years: pd.DataFrame) -> dict[str, float]:
    """Totals of a :func:`simulate_budget` table over its horizon.

    Returns
    -------
    dict
        ``cout_total``, ``cotisations``, ``financement_public`` and
        ``financement_public_moyen`` (per year), in euros.
    """
    return {
        "cout_total": float(years["cout_total"].sum()),
        "cotisations": float(years["cotisations"].sum()),
        "financement_public": float(years["financement_public"].sum()),
        "financement_public_moyen": float(years["financement_public"].mean()),
    }


_BUDGET_HEADERS = {
    "annee": "Année",
    "territoires_en_mobilisation": "Territoires en mobilisation",
    "reseaux_en_animation": "Réseaux en animation",
    "cout_mobilisation": "Mobilisation (€)",
    "cout_animation": "Animation (€)",
    "cout_total": "Coût total (€)",
    "cotisations": "Cotisations des membres (€)",
    "financement_public": "Financement public (€)",
}


def display_budget(years: pd.DataFrame, *, total: bool = False) -> pd.DataFrame:
    """A budget table for people: French headers, optionally a total row.

    Parameters
    ----------
    years : pandas.DataFrame
        :func:`simulate_budget` output.
    total : bool, default False
        Add a ``Total`` row with the sums of the amounts (the counts are
        left empty there), for exports.

    Returns
    -------
    pandas.DataFrame
        One row per year (``Année 1``…), then ``Total`` when asked.
    """
    out = years.rename(columns=_BUDGET_HEADERS)
    out["Année"] = [f"Année {year}" for year in years["annee"]]
    if total:
        amounts = [
            header
            for key, header in _BUDGET_HEADERS.items()
            if key.startswith(("cout", "cot", "fin"))
        ]
        row = {"Année": "Total", **out[amounts].sum().to_dict()}
        out = pd.concat([out, pd.DataFrame([row])], ignore_index=True)
        for column in ("Territoires en mobilisation", "Réseaux en animation"):
            out[column] = out[column].astype("Int64")
    return out


def assumptions_table(assumptions: BudgetAssumptions) -> pd.DataFrame:
    """The parameters used, their value and the source of their default.

    Parameters
    ----------
    assumptions : BudgetAssumptions

    Returns
    -------
    pandas.DataFrame
        ``Paramètre``, ``Valeur``, ``Valeur par défaut``, ``Source``: to ship
        with an exported budget.
    """
    defaults = budget_defaults()
    return pd.DataFrame(
        [
            {
                "Paramètre": BUDGET_LABELS[name],
                "Valeur": getattr(assumptions, name),
                "Valeur par défaut": defaults[name],
                "Source": BUDGET_SOURCES[name],
            }
            for name in defaults
        ]
    )
