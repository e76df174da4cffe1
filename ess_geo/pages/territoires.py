"""Territoires: the page's URL state and what it shows, without Streamlit.

The URL keeps ``niveau`` (level), ``code`` (territory), ``region`` and
``dep`` (filters of the territory list and of the ranking) and ``tri`` (the
ranking indicator). The Carte page links here with
``/territoires?niveau=epci&code=<SIREN>``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import ClassVar, Self

import pandas as pd

from ess_geo import formats
from ess_geo.analysis import weight
from ess_geo.geo import geography
from ess_geo.pages.urlstate import PageState, Params, QueryReader

__all__ = [
    "COMPARISON_HEADING",
    "NEIGHBOUR_COLUMNS",
    "RANKING_SHOWN",
    "RANKING_TOGGLE",
    "TerritoiresState",
    "carte_params",
    "departement_names",
    "export_stem",
    "rank_line",
    "rank_sentence",
    "rankable",
    "ranking_caption",
    "ranking_title",
    "territory_names",
]

NEIGHBOUR_COLUMNS: tuple[str, ...] = (
    "nom",
    "population",
    "structures",
    "emplois",
    "structures_10k_hab",
    "emplois_1000_hab",
    "indice_specificite",
    "part_emploi",
)
"""Columns of the neighbours table, in order."""

RANKING_SHOWN: tuple[str, ...] = tuple(
    c for c in weight.RANKING_COLUMNS if c not in ("departement", "region")
)
"""Columns of the ranking shown on the page (the parents' codes are exported only)."""

COMPARISON_HEADING = "Comparaison avec le département, la région et la France"
"""Heading of a territory's comparison with its département, région and France."""

RANKING_TOGGLE = "Afficher le tableau du classement"
"""Label of the switch that draws the ranking's table below a territory (on
demand: up to 0.5 MB and a second of the browser's time; without a
territory, the table is the page's content and is drawn at once)."""


@dataclasses.dataclass(frozen=True)
class TerritoiresState(PageState):
    """The Territoires page's state: a level, a territory, filters, a ranking.

    Attributes
    ----------
    level : str
        One of :data:`ess_geo.geo.geography.LEVELS`.
    code : str
        The territory shown, ``""`` for none.
    region, dep : str
        Codes of the région and département that filter the territory list
        and the ranking, ``""`` for none.
    by : str
        The ranking indicator, one of :data:`ess_geo.analysis.weight.RANKABLE`.
    """

    PARAMS: ClassVar = {
        "level": "niveau",
        "code": "code",
        "region": "region",
        "dep": "dep",
        "by": "tri",
    }
    level: str = "epci"
    code: str = ""
    region: str = ""
    dep: str = ""
    by: str = weight.RANKING_INDICATOR

    @classmethod
    def from_query(cls, params: Params) -> tuple[Self, list[str]]:
        """Read the state from the URL's query parameters.

        Parameters
        ----------
        params : mapping
            ``st.query_params`` or any mapping of parameter names to values.

        Returns
        -------
        tuple
            The state, and the ``name=value`` of every parameter ignored
            (unknown level, territory, région, département or indicator).
        """
        q = QueryReader(params)
        default = cls.defaults()
        level = q.choice("niveau", geography.LEVELS, default.level)
        state = cls(
            level=level,
            code=q.choice("code", geography.territories(level).index, default.code),
            region=q.choice(
                "region", geography.territories("region").index, default.region
            ),
            dep=q.choice(
                "dep", geography.territories("departement").index, default.dep
            ),
            by=q.choice("tri", weight.RANKABLE, default.by),
        )
        return state, q.ignored

    def to_query(self) -> dict[str, str | None]:
        """URL parameters of this state; ``niveau`` is always written.

        A territory code means nothing without its level, so the level stays
        in the URL even at its default (shared links say ``niveau=epci``).
        """
        return {**super().to_query(), "niveau": self.level}

    def filters_at(self, level: str) -> tuple[str, str]:
        """The région and département the sidebar starts from, at ``level``.

        What the URL leaves empty is filled from the territory: a commune's
        département, then the département's région.

        Parameters
        ----------
        level : str
            The level chosen in the sidebar (the URL's one on a first run).

        Returns
        -------
        tuple of str
            ``(region, dep)``, ``""`` for none.
        """
        dep = self.dep
        if level == "commune" and not dep and self.code in geography.communes().index:
            dep = str(geography.communes().at[self.code, "departement"])
        region = self.region
        if dep and not region:
            region = str(geography.territories("departement").at[dep, "region"])
        return region, dep

    def ranking_by(self, employment: bool) -> str:
        """The ranking indicator, the default one when it needs a missing table.

        Parameters
        ----------
        employment : bool
            Whether an INSEE employment table is loaded (``part_emploi``
            cannot rank without it).
        """
        return self.by if self.by in rankable(employment) else self.defaults().by


def departement_names(region: str) -> pd.Series:
    """Code -> name of the départements offered as a filter, within ``region``."""
    return geography.territory_names("departement", region=region or None)


def territory_names(level: str, region: str, dep: str) -> pd.Series:
    """Code -> name of the territories offered at ``level`` within the filters.

    Communes are offered once a département is chosen (there are 35,000).

    Examples
    --------
    >>> territory_names("commune", "53", "").empty
    True
    >>> territory_names("departement", "53", "").index.tolist()
    ['22', '29', '35', '56']
    """
    if level == "commune" and not dep:
        return geography.territories(level)["nom"].iloc[:0]
    return geography.territory_names(
        level, region=region or None, departement=dep or None
    )


def rankable(employment: bool) -> list[str]:
    """Indicators the ranking can be sorted on (``part_emploi`` needs a table)."""
    return [c for c in weight.RANKABLE if c != "part_emploi" or employment]


def rank_line(ranks: Sequence[str]) -> str | None:
    """The territory's ranks as one Markdown line, ``None`` when it has none.

    Examples
    --------
    >>> rank_line(["1er sur 4 du département"]).endswith(" : 1er sur 4 du département.")
    True
    """
    if not ranks:
        return None
    return (
        "**Rang** (emplois de l'ESS pour 1 000 habitants) : " + " ; ".join(ranks) + "."
    )


def carte_params(level: str, code: str, departement: object) -> dict[str, str]:
    """Query parameters of the link to the Carte centred on the territory.

    Parameters
    ----------
    level, code : str
        The territory shown.
    departement : str or missing
        Its département (the one of most of its population); a missing
        value leaves the Carte on France.

    Examples
    --------
    >>> carte_params("epci", "242900314", "29")
    {'dep': '29', 'epci': '242900314'}
    >>> carte_params("region", "53", float("nan"))
    {}
    """
    params: dict[str, object] = {"dep": departement} if level != "region" else {}
    if level == "epci":
        params["epci"] = code
    return {k: v for k, v in params.items() if isinstance(v, str)}


def ranking_title(level: str, region: str, dep: str) -> str:
    """The ranking's subheader: its level and where.

    Examples
    --------
    >>> ranking_title("commune", "53", "29")
    'Classement des communes du département 29 – Finistère'
    >>> ranking_title("epci", "", "")
    'Classement des EPCI de France'
    """
    if dep:
        scope = (
            f"du département {dep} – "
            f"{geography.territories('departement').at[dep, 'nom']}"
        )
    elif region:
        scope = f"de la région {geography.territories('region').at[region, 'nom']}"
    else:
        scope = "de France"
    return f"Classement des {geography.LEVEL_PLURALS[level]} {scope}"


def rank_sentence(name: str, ranked: pd.DataFrame, code: str) -> str | None:
    """Where the territory stands in the ranking shown, ``None`` when absent.

    Parameters
    ----------
    name : str
        The territory's name.
    ranked : pandas.DataFrame
        :func:`ess_geo.analysis.weight.ranking` output.
    code : str
        The territory's code, ``""`` for none.
    """
    position = ranked.loc[ranked["code"] == code, "rang"].dropna()
    if not code or not len(position):
        return None
    total = int(ranked["rang"].notna().sum())
    return (
        f"**{name}** : {formats.rank(position.iloc[0], total)} dans ce "
        f"classement ({weight.RANKED_NOTE})."
    )


def ranking_caption(count: int, level: str, employment_source: str | None) -> str:
    """The caption under the ranking: its size, how to sort, the employment file.

    Parameters
    ----------
    count : int
        Number of territories ranked.
    level : str
        Their level.
    employment_source : str or None
        Name of the INSEE employment file loaded, ``None`` without one.
    """
    employment = (
        " La part dans l'emploi total reste vide tant qu'aucun fichier INSEE "
        "d'emplois au lieu de travail n'est chargé (barre latérale)."
        if employment_source is None
        else f" Emploi total : {employment_source}."
    )
    return (
        f"{formats.number(count)} {geography.LEVEL_PLURALS[level]}. Cliquez sur un "
        "en-tête de colonne pour trier autrement. Rattachement au département et "
        "à la région : celui où vit la majorité de la population." + employment
    )


def export_stem(level: str, region: str, dep: str) -> str:
    """File name, without extension, of the ranking's downloads.

    Examples
    --------
    >>> export_stem("commune", "53", "29"), export_stem("epci", "", "")
    ('classement-ess-commune-29', 'classement-ess-epci-france')
    """
    return f"classement-ess-{level}-{dep or region or 'france'}"
