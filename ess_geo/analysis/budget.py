"""Launch budget of new territorial networks: the cahier's whole financial model.

The CNCRES 2011 cahier « Des réseaux territoriaux d'acteurs de l'ESS moteurs
du développement local » describes how a network is born and who pays:

- an optional feasibility study (in Bretagne, 25 k€ funded by the Région),
  paid once, in the territory's first year;
- a mobilisation phase of 1 to 2 years at about 30 k€ a year per territory;
- then about 55 k€ a year of animation (one full-time animator plus running
  costs), of which the members pay a share through their fees;
- the public part split between funders (Région, Département, EPCI, État,
  other); the defaults are the Bretagne example (35 k€ from the Région,
  11 k€ from the Conseil général d'Ille-et-Vilaine, about 20 k€ from partner
  agglomérations);
- a regional support mission (the CRES's, 65 k€ a year) for the networks of
  a région, counted once per région, from the year its first network starts.

A network's yearly budget outside the cahier's 30–300 k€ range is flagged.
:func:`simulate_budget` gives the table per year, :func:`territory_detail`
per territory and year, :func:`funder_table` per funder; every parameter is
editable and :data:`BUDGET_SOURCES` says where each default comes from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from ess_geo.errors import BudgetError

__all__ = [
    "BUDGET_LABELS",
    "BUDGET_RANGES",
    "BUDGET_SOURCES",
    "FUNDERS",
    "FUNDER_LABELS",
    "NETWORK_BUDGET_RANGE",
    "BudgetAssumptions",
    "assumptions_table",
    "budget_csv",
    "budget_defaults",
    "budget_sheets",
    "budget_summary",
    "display_budget",
    "funder_table",
    "launch_years",
    "out_of_range",
    "simulate_budget",
    "territory_detail",
    "territory_totals",
]

FUNDERS: tuple[str, ...] = ("region", "departement", "epci", "etat", "autre")
"""Public funders of a network, in the order the tables show them."""

FUNDER_LABELS: dict[str, str] = {
    "region": "Région",
    "departement": "Département",
    "epci": "EPCI (agglomérations, communautés)",
    "etat": "État",
    "autre": "Autres (contrat de pays, fondations…)",
}

NETWORK_BUDGET_RANGE: tuple[float, float] = (30_000.0, 300_000.0)
"""The cahier's range of a network's yearly budget, in euros."""


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
    feasibility_study : bool
        Pay a feasibility study in each territory's first year.
    feasibility_cost : float
        Euros of that study, once per territory.
    support_cost : float
        Euros per year of the regional support mission, once per région
        of the retained territories (0: none).
    share_region, share_departement, share_epci, share_etat, share_autre : float
        Split of the public part between the funders (0 to 1, sum 1).
    """

    mobilisation_cost: float = 30_000.0
    mobilisation_years: int = 2
    animation_cost: float = 55_000.0
    member_share: float = 0.10
    horizon_years: int = 5
    launches_per_year: int = 0
    feasibility_study: bool = False
    feasibility_cost: float = 25_000.0
    support_cost: float = 65_000.0
    share_region: float = 0.53
    share_departement: float = 0.17
    share_epci: float = 0.30
    share_etat: float = 0.0
    share_autre: float = 0.0

    def __post_init__(self) -> None:
        """Check every parameter's range, and that the funders' shares make 100 %."""
        checks = {
            "mobilisation_cost": self.mobilisation_cost >= 0,
            "animation_cost": self.animation_cost >= 0,
            "mobilisation_years": 0 <= self.mobilisation_years <= 10,
            "member_share": 0 <= self.member_share <= 1,
            "horizon_years": 1 <= self.horizon_years <= 30,
            "launches_per_year": self.launches_per_year >= 0,
            "feasibility_study": self.feasibility_study in (0, 1),
            "feasibility_cost": self.feasibility_cost >= 0,
            "support_cost": self.support_cost >= 0,
            **{f"share_{f}": 0 <= self.shares()[f] <= 1 for f in FUNDERS},
        }
        for name, ok in checks.items():
            if not ok:
                raise BudgetError(
                    f"Paramètre du budget « {BUDGET_LABELS[name]} » invalide : "
                    f"{getattr(self, name)} ({BUDGET_RANGES[name]})."
                )
        total = sum(self.shares().values())
        if abs(total - 1) > 1e-6:
            raise BudgetError(
                "La répartition du financement public entre les financeurs fait "
                f"{round(100 * total, 1):g} % : attendu 100 % (Région, Département, "
                "EPCI, État et autres)."
            )

    def shares(self) -> dict[str, float]:
        """Funder key -> share of the public part."""
        return {funder: getattr(self, f"share_{funder}") for funder in FUNDERS}


_SHARE_FIELDS = tuple(f"share_{funder}" for funder in FUNDERS)
BUDGET_LABELS: dict[str, str] = {
    "mobilisation_cost": "Coût de la mobilisation (€ par territoire et par an)",
    "mobilisation_years": "Durée de la mobilisation (années)",
    "animation_cost": "Coût de l'animation (€ par réseau et par an)",
    "member_share": "Part de l'animation financée par les cotisations",
    "horizon_years": "Horizon de la simulation (années)",
    "launches_per_year": "Lancements par an (0 = tous la première année)",
    "feasibility_study": "Étude de faisabilité (1 = oui, 0 = non)",
    "feasibility_cost": "Coût de l'étude de faisabilité (€, une fois)",
    "support_cost": "Mission régionale d'appui (€ par an et par région)",
    **{f"share_{f}": f"Part publique : {FUNDER_LABELS[f]}" for f in FUNDERS},
}
_SHARE_RANGE = "attendu entre 0 et 1, soit 0 à 100 %"
BUDGET_RANGES: dict[str, str] = {
    "mobilisation_cost": "attendu un montant positif ou nul",
    "animation_cost": "attendu un montant positif ou nul",
    "mobilisation_years": "attendu de 0 à 10 ans",
    "member_share": _SHARE_RANGE,
    "horizon_years": "attendu de 1 à 30 ans",
    "launches_per_year": "attendu un nombre entier positif ou nul",
    "feasibility_study": "attendu 0 (non) ou 1 (oui)",
    "feasibility_cost": "attendu un montant positif ou nul",
    "support_cost": "attendu un montant positif ou nul",
    **dict.fromkeys(_SHARE_FIELDS, _SHARE_RANGE),
}
_CAHIER = "CNCRES, cahier « Des réseaux territoriaux d'acteurs de l'ESS » (2011)"
_BRETAGNE = (
    f"{_CAHIER}, exemple breton : 35 k€ de la Région, 11 k€ du Conseil général "
    "d'Ille-et-Vilaine, environ 20 k€ des agglomérations partenaires, soit "
    "53 %, 17 % et 30 % de 66 k€ (arrondis)"
)
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
    "feasibility_study": f"{_CAHIER} : une étude de faisabilité financée par la "
    "Région en Bretagne ; facultative, non comptée par défaut.",
    "feasibility_cost": f"{_CAHIER} : 25 k€ pour l'étude de faisabilité "
    "bretonne, payée une fois, la première année du territoire.",
    "support_cost": f"{_CAHIER} : la mission régionale d'appui de la CRES, "
    "financée à hauteur de 65 k€ par an ; comptée une fois par région, dès "
    "le premier lancement de la région, répartie entre financeurs comme le "
    "reste (hypothèse).",
    "share_region": f"{_BRETAGNE}.",
    "share_departement": f"{_BRETAGNE}.",
    "share_epci": f"{_BRETAGNE}.",
    "share_etat": f"{_CAHIER} : l'État et la Région ont apporté 40 k€ pour une "
    "expérimentation sur quatre territoires en Basse-Normandie ; 0 % dans "
    "l'exemple breton retenu par défaut.",
    "share_autre": f"{_CAHIER} : 30 k€ par un contrat de pays dans un autre "
    "exemple ; 0 % dans l'exemple breton retenu par défaut.",
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


def out_of_range(amount: float) -> bool:
    """Whether a network's yearly budget falls outside the cahier's 30–300 k€.

    A year without cost (not started yet) is not flagged.

    Examples
    --------
    >>> out_of_range(25_000), out_of_range(55_000), out_of_range(0)
    (True, False, False)
    """
    low, high = NETWORK_BUDGET_RANGE
    return bool(amount > 0 and not low <= amount <= high)


def _region_of(codes: list[str], regions: Mapping[str, str] | None) -> list[str]:
    if regions is None:
        return [""] * len(codes)
    return [str(regions.get(code, "")) for code in codes]


def territory_detail(
    territories: Sequence[str],
    assumptions: BudgetAssumptions | None = None,
    *,
    regions: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The cost of each territory's network, year by year.

    Parameters
    ----------
    territories : sequence of str
        Territory codes, in launch order (best prospect first); repeated
        codes are counted once.
    assumptions : BudgetAssumptions, optional
        Default: the source document's figures.
    regions : mapping, optional
        Territory code -> région code (for the support mission).

    Returns
    -------
    pandas.DataFrame
        One row per territory and year: ``code``, ``region``, ``annee``,
        ``phase`` (``a_venir``, ``mobilisation``, ``animation``),
        ``cout_etude``, ``cout_mobilisation``, ``cout_animation``,
        ``cout_total``, ``cotisations``, ``financement_public`` (euros) and
        ``hors_fourchette`` (the year's budget outside 30–300 k€).
    """
    a = assumptions or BudgetAssumptions()
    codes = list(dict.fromkeys(territories))
    starts = np.array(launch_years(len(codes), a), dtype=int)
    years = np.arange(1, a.horizon_years + 1)
    since = (years[None, :] - starts[:, None]).ravel()  # territory-major
    phase = np.select(
        [since < 0, since < a.mobilisation_years], ["a_venir", "mobilisation"],
        "animation",
    )  # fmt: skip
    study = float(a.feasibility_cost) if a.feasibility_study else 0.0
    out = pd.DataFrame(
        {
            "code": np.repeat(np.array(codes, dtype=object), len(years)),
            "region": np.repeat(
                np.array(_region_of(codes, regions), dtype=object), len(years)
            ),
            "annee": np.tile(years, len(codes)),
            "phase": phase,
            "cout_etude": np.where(since == 0, study, 0.0),
            "cout_mobilisation": np.where(
                phase == "mobilisation", float(a.mobilisation_cost), 0.0
            ),
            "cout_animation": np.where(
                phase == "animation", float(a.animation_cost), 0.0
            ),
        }
    )
    out["cout_total"] = out[["cout_etude", "cout_mobilisation", "cout_animation"]].sum(
        axis=1
    )
    out["cotisations"] = out["cout_animation"] * a.member_share
    out["financement_public"] = out["cout_total"] - out["cotisations"]
    low, high = NETWORK_BUDGET_RANGE
    total = out["cout_total"]
    out["hors_fourchette"] = (total > 0) & ((total < low) | (total > high))
    return out


def simulate_budget(
    territories: Sequence[str],
    assumptions: BudgetAssumptions | None = None,
    *,
    regions: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The yearly cost of launching networks in the given territories.

    Each territory goes through an optional feasibility study (its first
    year), ``mobilisation_years`` of mobilisation at ``mobilisation_cost`` a
    year, then animation at ``animation_cost`` a year, of which
    ``member_share`` is paid by the members' fees. Each région of the
    retained territories adds ``support_cost`` a year from its first launch.
    The public part is split between the funders.

    Parameters
    ----------
    territories : sequence of str
        Territory codes, in the order they are launched (best prospect
        first). Repeated codes are counted once.
    assumptions : BudgetAssumptions, optional
        Default: the source document's figures.
    regions : mapping, optional
        Territory code -> région code; without it the territories are taken
        to be in one région (one support mission).

    Returns
    -------
    pandas.DataFrame
        One row per year ``annee`` 1..horizon: ``territoires_en_mobilisation``,
        ``reseaux_en_animation``, ``regions_appuyees``, ``cout_etude``,
        ``cout_mobilisation``, ``cout_animation``, ``cout_mission``,
        ``cout_total``, ``cotisations``, ``financement_public`` and one
        ``financement_<funder>`` per :data:`FUNDERS` (euros).

    Examples
    --------
    >>> simulate_budget(["A", "B"])["cout_total"].tolist()
    [125000.0, 125000.0, 175000.0, 175000.0, 175000.0]
    """
    a = assumptions or BudgetAssumptions()
    detail = territory_detail(territories, a, regions=regions)
    years = pd.Index(np.arange(1, a.horizon_years + 1), name="annee")
    by_year = detail.groupby("annee")
    started = detail[detail["phase"] != "a_venir"]
    supported = (
        started.groupby("annee")["region"].nunique().reindex(years, fill_value=0)
    )
    out = pd.DataFrame(
        {
            "territoires_en_mobilisation": (detail["phase"] == "mobilisation")
            .groupby(detail["annee"])
            .sum(),
            "reseaux_en_animation": (detail["phase"] == "animation")
            .groupby(detail["annee"])
            .sum(),
            "regions_appuyees": supported,
        },
        index=years,
    )
    for column in ("cout_etude", "cout_mobilisation", "cout_animation"):
        out[column] = by_year[column].sum().reindex(years, fill_value=0.0)
    out = out.fillna(0)
    for column in ("territoires_en_mobilisation", "reseaux_en_animation"):
        out[column] = out[column].astype(int)
    out["cout_mission"] = out["regions_appuyees"] * float(a.support_cost)
    out["cout_total"] = out[
        ["cout_etude", "cout_mobilisation", "cout_animation", "cout_mission"]
    ].sum(axis=1)
    out["cotisations"] = out["cout_animation"] * a.member_share
    out["financement_public"] = out["cout_total"] - out["cotisations"]
    for funder, share in a.shares().items():
        out[f"financement_{funder}"] = out["financement_public"] * share
    return out.reset_index()


def funder_table(years: pd.DataFrame) -> pd.DataFrame:
    """Who pays what, year by year: one row per funder, then members, then total.

    Parameters
    ----------
    years : pandas.DataFrame
        :func:`simulate_budget` output.

    Returns
    -------
    pandas.DataFrame
        ``Financeur``, one column ``Année n (€)`` per year and ``Total (€)``.
    """
    rows = {FUNDER_LABELS[f]: years[f"financement_{f}"] for f in FUNDERS}
    rows["Cotisations des membres"] = years["cotisations"]
    rows["Total"] = years["cout_total"]
    out = pd.DataFrame(
        {label: values.to_numpy() for label, values in rows.items()},
        index=[f"Année {y} (€)" for y in years["annee"]],
    ).T
    out["Total (€)"] = out.sum(axis=1)
    return out.rename_axis("Financeur").reset_index()


def territory_totals(detail: pd.DataFrame) -> pd.DataFrame:
    """Each territory's totals over the horizon, and whether a year is out of range.

    Parameters
    ----------
    detail : pandas.DataFrame
        :func:`territory_detail` output.

    Returns
    -------
    pandas.DataFrame
        One row per territory, in launch order: ``code``, ``region``,
        ``annee_lancement``, ``cout_total``, ``cotisations``,
        ``financement_public``, ``hors_fourchette``.
    """
    started = detail[detail["phase"] != "a_venir"]
    first = started.groupby("code", sort=False)["annee"].min()
    sums = detail.groupby("code", sort=False)[
        ["cout_total", "cotisations", "financement_public"]
    ].sum()
    out = pd.DataFrame(
        {
            "region": detail.groupby("code", sort=False)["region"].first(),
            "annee_lancement": first.reindex(sums.index).astype("Int64"),
            **{c: sums[c] for c in sums.columns},
            "hors_fourchette": detail.groupby("code", sort=False)[
                "hors_fourchette"
            ].any(),
        }
    )
    return out.rename_axis("code").reset_index()


def budget_defaults() -> dict[str, float | int]:
    """The default :class:`BudgetAssumptions` as a dict (for forms and URLs)."""
    defaults = BudgetAssumptions()
    return {f.name: getattr(defaults, f.name) for f in fields(defaults)}


def budget_summary(years: pd.DataFrame) -> dict[str, float]:
    """Totals of a :func:`simulate_budget` table over its horizon.

    Returns
    -------
    dict
        ``cout_total``, ``cotisations``, ``financement_public``,
        ``financement_public_moyen`` (per year) and ``financement_<funder>``
        for each of :data:`FUNDERS`, in euros.
    """
    out = {
        "cout_total": float(years["cout_total"].sum()),
        "cotisations": float(years["cotisations"].sum()),
        "financement_public": float(years["financement_public"].sum()),
        "financement_public_moyen": float(years["financement_public"].mean()),
    }
    for funder in FUNDERS:
        column = f"financement_{funder}"
        if column in years:
            out[column] = float(years[column].sum())
    return out


_BUDGET_HEADERS = {
    "annee": "Année",
    "territoires_en_mobilisation": "Territoires en mobilisation",
    "reseaux_en_animation": "Réseaux en animation",
    "regions_appuyees": "Régions avec mission d'appui",
    "cout_etude": "Études de faisabilité (€)",
    "cout_mobilisation": "Mobilisation (€)",
    "cout_animation": "Animation (€)",
    "cout_mission": "Mission régionale d'appui (€)",
    "cout_total": "Coût total (€)",
    "cotisations": "Cotisations des membres (€)",
    "financement_public": "Financement public (€)",
    **{f"financement_{f}": f"dont {FUNDER_LABELS[f]} (€)" for f in FUNDERS},
}
_COUNTS = (
    "Territoires en mobilisation",
    "Réseaux en animation",
    "Régions avec mission d'appui",
)


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
        amounts = [h for h in out.columns if h.endswith("(€)")]
        row = {"Année": "Total", **out[amounts].sum().to_dict()}
        out = pd.concat([out, pd.DataFrame([row])], ignore_index=True)
        for column in _COUNTS:
            if column in out:
                out[column] = out[column].astype("Int64")
    return out


_PHASES = {
    "a_venir": "à venir",
    "mobilisation": "mobilisation",
    "animation": "animation",
}


def _detail_for_people(detail: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Code": detail["code"],
            "Territoire": detail["code"].map(names).fillna(detail["code"]),
            "Région": detail["region"],
            "Année": detail["annee"],
            "Phase": detail["phase"].map(_PHASES),
            "Étude de faisabilité (€)": detail["cout_etude"],
            "Mobilisation (€)": detail["cout_mobilisation"],
            "Animation (€)": detail["cout_animation"],
            "Coût total (€)": detail["cout_total"],
            "Cotisations des membres (€)": detail["cotisations"],
            "Financement public (€)": detail["financement_public"],
            "Hors fourchette 30–300 k€": detail["hors_fourchette"].map(
                {True: "oui", False: "non"}
            ),
        }
    )


def budget_sheets(
    territories: Sequence[str],
    assumptions: BudgetAssumptions,
    *,
    names: Mapping[str, str] | None = None,
    regions: Mapping[str, str] | None = None,
    region_names: Mapping[str, str] | None = None,
) -> dict[str, pd.DataFrame]:
    """Every table of a budget export, by sheet name.

    Parameters
    ----------
    territories : sequence of str
        Retained territory codes, in launch order.
    assumptions : BudgetAssumptions
    names : mapping, optional
        Territory code -> name.
    regions, region_names : mapping, optional
        Territory code -> région code, and région code -> name.

    Returns
    -------
    dict
        ``Territoires retenus`` (launch year, totals, range flag), ``Par
        année``, ``Par territoire`` (one row per territory and year),
        ``Par financeur`` and ``Hypothèses`` (every parameter, its value, its
        default and its source).
    """
    names = names or {}
    region_names = region_names or {}
    detail = territory_detail(territories, assumptions, regions=regions)
    detail["region"] = detail["region"].map(lambda r: region_names.get(r, r))
    totals = territory_totals(detail)
    years = simulate_budget(territories, assumptions, regions=regions)
    retained = pd.DataFrame(
        {
            "Rang de lancement": range(1, len(totals) + 1),
            "Code": totals["code"],
            "Territoire": totals["code"].map(names).fillna(totals["code"]),
            "Région": totals["region"],
            "Année de lancement": totals["annee_lancement"],
            "Coût total (€)": totals["cout_total"],
            "Cotisations des membres (€)": totals["cotisations"],
            "Financement public (€)": totals["financement_public"],
            "Hors fourchette 30–300 k€": totals["hors_fourchette"].map(
                {True: "oui", False: "non"}
            ),
        }
    )
    return {
        "Territoires retenus": retained,
        "Par année": display_budget(years, total=True),
        "Par territoire": _detail_for_people(detail, names),
        "Par financeur": funder_table(years),
        "Hypothèses": assumptions_table(assumptions),
    }


def budget_csv(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """One CSV of every table of :func:`budget_sheets`, each under its title.

    French Excel's dialect (UTF-8 with BOM, ``;``, ``,`` decimals); a blank
    line and the sheet's name in the first column before each table.
    """
    from ess_geo.io.exports import to_csv

    parts = []
    for title, table in sheets.items():
        body = to_csv(table).decode("utf-8-sig")
        parts.append(f"{title}\r\n{body}")
    return "\r\n".join(parts).encode("utf-8-sig")


def assumptions_table(assumptions: BudgetAssumptions) -> pd.DataFrame:
    """The parameters used, their value and the source of their default.

    Parameters
    ----------
    assumptions : BudgetAssumptions

    Returns
    -------
    pandas.DataFrame
        ``Paramètre``, ``Valeur``, ``Valeur par défaut``, ``Source``: to ship
        with an exported budget. Shares are in percent.
    """
    defaults = budget_defaults()

    def shown(name: str, value: object) -> object:
        if name == "member_share" or name.startswith("share_"):
            return f"{round(100 * float(value), 2):g} %"
        if isinstance(value, bool):
            return "oui" if value else "non"
        return value

    return pd.DataFrame(
        [
            {
                "Paramètre": BUDGET_LABELS[name],
                "Valeur": shown(name, getattr(assumptions, name)),
                "Valeur par défaut": shown(name, defaults[name]),
                "Source": BUDGET_SOURCES[name],
            }
            for name in defaults
        ]
    )
