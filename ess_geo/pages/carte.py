"""The Carte's state in the URL, and the text its panel and captions show.

:class:`CarteState` is everything a link to the Carte restores: the selected
territory (``niveau`` and ``code``; the older ``dep`` and ``epci`` still
work), the maille, indicator, classes and basemap, an open actor card
(``acteur``) and the actor filters (``famille``, ``secteur``, ``reseau``,
``employeur``, ``taille``). The other functions turn a
:class:`~ess_geo.maps.mapview.Scene` and its figures into the French
Markdown the page shows, values escaped.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Container, Iterable, Mapping
from typing import ClassVar, Self

import pandas as pd

from ess_geo import formats
from ess_geo.actors.schema import FAMILIES, FAMILY_LABELS, naf_sections
from ess_geo.analysis import weight
from ess_geo.analysis.classify import MAP_INDICATORS, METHODS
from ess_geo.analysis.filters import (
    EMPLOYER_CHOICES,
    NETWORK_CHOICES,
    SIZE_CLASSES,
    ActorFilters,
)
from ess_geo.analysis.indicators import FAMILY_COLUMNS, key_figure
from ess_geo.errors import UnknownLevelError, UnknownTerritoryError
from ess_geo.geo.search import search_territories
from ess_geo.maps import mapview
from ess_geo.maps.base import BASEMAPS
from ess_geo.pages.urlstate import PageState, Params, QueryReader
from ess_geo.text import escape_markdown

__all__ = [
    "TABLES_TOGGLE",
    "TERRITORY_LINK_LABEL",
    "CarteState",
    "child_options",
    "click_target",
    "clicked_ref",
    "count_line",
    "families_line",
    "france_summary",
    "ignored_warning",
    "key_figures_table",
    "leaders",
    "network_lines",
    "no_match_warning",
    "search_results",
    "table_tabs",
    "territory_link",
    "territory_rank",
]

_LISTS = ("famille", "secteur", "taille")
"""Parameters that hold several values: repeated ones add up."""


@dataclasses.dataclass(frozen=True)
class CarteState(PageState):
    """What a link to the Carte restores; the defaults are the page's.

    Parameters
    ----------
    level, code : str or None
        The selected territory (``None``: France).
    maille : str
        A key of :data:`ess_geo.maps.mapview.MAILLES`.
    indicator : str
        A key of :data:`ess_geo.analysis.classify.MAP_INDICATORS`.
    method : str
        A key of :data:`ess_geo.analysis.classify.METHODS`.
    basemap : str
        A key of :data:`ess_geo.maps.base.BASEMAPS`.
    actor : str or None
        The actor whose card is open (its id).
    familles, secteurs, reseau, employeur, tailles
        The actor filters, as in :class:`~ess_geo.analysis.filters.ActorFilters`.

    Examples
    --------
    >>> state, ignored = CarteState.from_query({"dep": "29", "fond": "google"})
    >>> state.ref, ignored
    ('departement:29', ['fond=google'])
    >>> {k: v for k, v in state.to_query().items() if v}
    {'niveau': 'departement', 'code': '29'}
    """

    PARAMS: ClassVar[Mapping[str, str]] = {
        "level": "niveau",
        "code": "code",
        "maille": "maille",
        "indicator": "indicateur",
        "method": "classes",
        "basemap": "fond",
        "actor": "acteur",
        "familles": "famille",
        "secteurs": "secteur",
        "reseau": "reseau",
        "employeur": "employeur",
        "tailles": "taille",
    }
    LEGACY: ClassVar[tuple[str, ...]] = ("dep", "epci")
    """Older parameters naming the territory: read, then removed from the URL."""

    level: str | None = None
    code: str | None = None
    maille: str = mapview.DEFAULT_MAILLE
    indicator: str = mapview.DEFAULT_INDICATOR
    method: str = "quantiles"
    basemap: str = "aucun"
    actor: str | None = None
    familles: tuple[str, ...] = ()
    secteurs: tuple[str, ...] = ()
    reseau: str = ""
    employeur: str = ""
    tailles: tuple[str, ...] = ()

    @property
    def ref(self) -> str | None:
        """The selected territory as ``"level:code"``, ``None`` for France."""
        return f"{self.level}:{self.code}" if self.level and self.code else None

    @property
    def filters(self) -> ActorFilters:
        """The actor filters of this state."""
        return ActorFilters(
            familles=self.familles,
            secteurs=self.secteurs,
            reseau=self.reseau,
            employeur=self.employeur,
            tailles=self.tailles,
        )

    @property
    def drawn(self) -> Self:
        """The part of the state the map's scene depends on.

        The territory, basemap and open card are set to their defaults: the
        filters, maille, indicator and classes remain.
        """
        default = self.defaults()
        return self.replace(
            level=default.level,
            code=default.code,
            basemap=default.basemap,
            actor=default.actor,
        )

    @classmethod
    def from_query(
        cls,
        params: Params,
        network_ids: Iterable[str] = (),
        actor_ids: Container[int] = (),
    ) -> tuple[Self, list[str]]:
        """The state a link names, and what had to be ignored.

        Parameters
        ----------
        params : mapping
            Query parameters (``st.query_params.to_dict()``).
        network_ids : iterable of str
            Ids of the workspace's networks (valid values of ``reseau``).
        actor_ids : container of int
            Ids of the workspace's actors (valid values of ``acteur``).

        Returns
        -------
        state : CarteState
            Unknown values are replaced by the defaults.
        ignored : list of str
            ``"name=value"`` for every dropped value, filters first, then the
            actor, the territory and the display options.
        """
        params = {
            name: ",".join(value)
            if name in _LISTS and isinstance(value, list)
            else value
            for name, value in params.items()
        }
        if isinstance(params.get("secteur"), str):
            params["secteur"] = params["secteur"].upper()
        default = cls()
        q = QueryReader(params)
        familles = q.choices("famille", FAMILIES)
        secteurs = q.choices("secteur", naf_sections().index)
        tailles = q.choices("taille", SIZE_CLASSES)
        reseau = q.choice("reseau", [*NETWORK_CHOICES, *network_ids], default.reseau)
        employeur = q.choice("employeur", EMPLOYER_CHOICES, default.employeur)
        actor = q.text("acteur")
        if actor is not None and not (
            actor.isascii() and actor.isdigit() and int(actor) in actor_ids
        ):
            q.ignored.append(f"acteur={actor}")
            actor = None
        selection = _linked_territory(q)
        state = cls(
            level=selection.level if selection else None,
            code=selection.code if selection else None,
            maille=q.choice("maille", mapview.MAILLES, default.maille),
            indicator=q.choice("indicateur", MAP_INDICATORS, default.indicator),
            method=q.choice("classes", METHODS, default.method),
            basemap=q.choice("fond", BASEMAPS, default.basemap),
            actor=actor,
            familles=familles,
            secteurs=secteurs,
            reseau=reseau,
            employeur=employeur,
            tailles=tailles,
        )
        return state, q.ignored

    def to_query(self) -> dict[str, str | None]:
        """URL parameters of this state, in today's order, legacy ones removed.

        Returns
        -------
        dict
            ``niveau``, ``code``, then ``dep`` and ``epci`` (always ``None``),
            then the other parameters of :attr:`PARAMS`.
        """
        query = super().to_query()
        place = {"niveau": query.pop("niveau"), "code": query.pop("code")}
        return {**place, **dict.fromkeys(self.LEGACY), **query}


def _linked_territory(q: QueryReader) -> mapview.Territory | None:
    """The territory named by ``niveau``/``code``, else ``epci``, else ``dep``."""
    level, code = q.text("niveau"), q.text("code")
    candidates = []
    if level or code:
        level, code = level or "", code or ""
        candidates.append((level, code, f"niveau={level}&code={code}"))
    if epci := q.text("epci"):
        candidates.append(("epci", epci, f"epci={epci}"))
    if dep := q.text("dep"):
        candidates.append(("departement", dep, f"dep={dep}"))
    for level, code, text in candidates:
        try:
            return mapview.territory(level, code)
        except (UnknownLevelError, UnknownTerritoryError):
            q.ignored.append(text)
    return None


def ignored_warning(ignored: Iterable[str]) -> str | None:
    """The warning for a link's ignored values (Markdown), ``None`` when none."""
    ignored = list(ignored)
    if not ignored:
        return None
    return (
        "Paramètres du lien ignorés (valeur inconnue) : "
        + escape_markdown(", ".join(ignored))
        + ". La carte s'ouvre sans eux."
    )


def count_line(
    scene: mapview.Scene,
    total: int,
    chosen: ActorFilters,
    network_names: Mapping[str, str] | None = None,
) -> str:
    """The line above the map: actors shown, where, filters, how they are drawn.

    Parameters
    ----------
    scene : Scene
    total : int
        Actors in the workspace.
    chosen : ActorFilters
        The filters the scene applies.
    network_names : mapping, optional
        Network id -> name, to name a selected network.

    Returns
    -------
    str
        Markdown, names escaped.
    """
    place = scene.selection.nom if scene.selection else "France"
    line = (
        f"**{formats.number(len(scene.shown))}** acteurs affichés sur "
        f"**{formats.number(total)}** — {escape_markdown(place)}"
    )
    if chosen.active:
        line += f" · filtres : {escape_markdown(chosen.describe(network_names))}"
    if scene.mode == "cercles":
        level = scene.circles["niveau"].iloc[0] if len(scene.circles) else scene.maille
        line += (
            f" · plus de {formats.number(mapview.MARKER_LIMIT)} acteurs : "
            f"regroupés par {mapview.level_name(level)} (choisissez un territoire "
            "pour les voir un à un)"
        )
    return line


def child_options(level: str, rows: pd.DataFrame) -> dict[str, str]:
    """The drill-down menu: ``""`` (``"—"``), then each smaller territory.

    Parameters
    ----------
    level : str
        Level of the smaller territories.
    rows : pandas.DataFrame
        ``code``, ``nom``, as :func:`ess_geo.maps.mapview.children` gives them.

    Returns
    -------
    dict
        ``"level:code"`` -> name, in the order of ``rows``.
    """
    names = zip(rows["code"], rows["nom"], strict=True)
    return {"": "—", **{f"{level}:{code}": str(nom) for code, nom in names}}


TERRITORY_LINK_LABEL = "Fiche complète du territoire →"


def territory_link(selected: mapview.Territory) -> dict[str, str]:
    """The query of the territory's page on Territoires, opened in the same tab.

    The link's label is :data:`TERRITORY_LINK_LABEL`; the Carte draws it with
    ``st.page_link``, which keeps the session.

    Examples
    --------
    >>> territory_link(mapview.territory("departement", "29"))
    {'niveau': 'departement', 'code': '29'}
    """
    return {"niveau": selected.level, "code": selected.code}


_FIGURES = (
    "population",
    "structures",
    "employeurs",
    "emplois",
    "structures_10k_hab",
    "emplois_1000_hab",
    "indice_specificite",
)


def key_figures_table(figures: Mapping[str, object]) -> str:
    """A territory's key figures as a Markdown table.

    Parameters
    ----------
    figures : mapping
        :func:`ess_geo.maps.mapview.key_figures`.

    Returns
    -------
    str
    """
    rows = "\n".join(
        "| {} | {} |".format(*key_figure(key, figures[key])) for key in _FIGURES
    )
    return "| Chiffres clés | |\n|---|--:|\n" + rows


def territory_rank(
    figures: Mapping[str, object], selected: mapview.Territory, indicator_label: str
) -> str | None:
    """Where the territory ranks among its level, ``None`` when it has no value.

    Parameters
    ----------
    figures : mapping
        :func:`ess_geo.maps.mapview.key_figures`.
    selected : Territory
    indicator_label : str
        The label of the indicator it is ranked on.

    Returns
    -------
    str or None
        Markdown.
    """
    if figures["rang"] is None:
        return None
    tied = (
        f" (ex æquo avec {formats.number(figures['ex_aequo'])} autres)"
        if figures["ex_aequo"]
        else ""
    )
    return (
        f"Rang : **{figures['rang']}** sur {formats.number(figures['sur'])} "
        f"{mapview.level_name(selected.level, plural=True)}{tied} pour « "
        f"{indicator_label} » ({weight.RANKED_NOTE})."
    )


def families_line(figures: Mapping[str, object]) -> str:
    """Structures per famille, in one sentence (Markdown)."""
    counts = ", ".join(
        f"{FAMILY_LABELS[famille]} {formats.number(figures[column])}"
        for famille, column in FAMILY_COLUMNS.items()
    )
    return f"Par famille : {counts}."


def network_lines(present: pd.DataFrame) -> str:
    """The networks present on a territory, as a Markdown list.

    Parameters
    ----------
    present : pandas.DataFrame
        :func:`ess_geo.maps.perimeters.networks_of`: ``nom``, ``type``,
        ``statut``, ``part``.

    Returns
    -------
    str
        One item per network, names escaped.
    """
    return "\n".join(
        f"- {escape_markdown(row.nom)} ({row.type}, {row.statut.lower()}) — "
        f"{formats.number(row.part * 100)} % des communes"
        for row in present.itertuples()
    )


def france_summary(totals: pd.DataFrame) -> str:
    """Structures and jobs of all France (Markdown).

    Parameters
    ----------
    totals : pandas.DataFrame
        :attr:`ess_geo.maps.mapview.Scene.totals`.
    """
    summed = totals[["structures", "emplois"]].sum()
    return (
        f"**{formats.number(summed['structures'])}** structures de l'ESS, "
        f"**{formats.number(summed['emplois'])}** emplois (estimés)."
    )


def leaders(scene: mapview.Scene, count: int = 5) -> tuple[str, list[tuple[str, str]]]:
    """The heading and the buttons of the maille's leading territories.

    Parameters
    ----------
    scene : Scene
    count : int, default 5

    Returns
    -------
    heading : str
        Markdown.
    buttons : list of (str, str)
        ``(label, "maille:code")``, highest value first.
    """
    indicator = scene.indicator
    heading = (
        f"**En tête ({mapview.level_name(scene.maille, plural=True)})** — "
        f"{indicator.label} :"
    )
    buttons = [
        (
            f"{row.nom} ({indicator.format(getattr(row, indicator.key))})",
            f"{scene.maille}:{row.code}",
        )
        for row in scene.leaders(count).itertuples()
    ]
    return heading, buttons


def table_tabs(scene: mapview.Scene) -> list[str]:
    """The labels of the two table tabs: territories and actors.

    Parameters
    ----------
    scene : Scene

    Returns
    -------
    list of str
    """
    level = mapview.level_name(scene.listing_level, plural=True)
    return [f"Territoires ({level})", f"Acteurs ({formats.number(len(scene.shown))})"]


def search_results(query: str) -> list[tuple[str, str]] | None:
    """The territories a search finds, best first, ``None`` for a blank query.

    Parameters
    ----------
    query : str
        What the person typed.

    Returns
    -------
    list of (str, str) or None
        ``("level:code", label)``, at most 8.
    """
    if not query.strip():
        return None
    found = search_territories(query, limit=8)
    return [(f"{r.niveau}:{r.code}", r.libelle) for r in found.itertuples()]


def no_match_warning(query: str) -> str:
    """What to say when a search finds no territory (Markdown, query escaped).

    Examples
    --------
    >>> no_match_warning("Zzyzx")[:40]
    'Aucun territoire ne correspond à « Zzyzx'
    """
    return (
        f"Aucun territoire ne correspond à « {escape_markdown(query)} ». "
        "Essayez un nom de commune, d'EPCI, de pays ou de PNR, un code INSEE, un "
        "SIREN d'EPCI ou un code postal."
    )


def clicked_ref(clicked: Mapping[str, object] | None) -> str | None:
    """The ``ref`` of the feature last clicked on the map, if any.

    Whatever the browser sent (a forged value may be of any JSON type), the
    result is a string or ``None``.

    Parameters
    ----------
    clicked : mapping or None
        What ``st_folium`` returns.

    Examples
    --------
    >>> clicked_ref({"last_active_drawing": {"properties": {"ref": "epci:1"}}})
    'epci:1'
    >>> clicked_ref(None), clicked_ref({"last_active_drawing": None})
    (None, None)
    >>> clicked_ref({"last_active_drawing": "x"}), clicked_ref([1])
    (None, None)
    """
    drawing = (
        clicked.get("last_active_drawing") if isinstance(clicked, Mapping) else None
    )
    properties = drawing.get("properties") if isinstance(drawing, Mapping) else None
    ref = properties.get("ref") if isinstance(properties, Mapping) else None
    return ref if isinstance(ref, str) and ref else None


_CARD_ID = re.compile(r"[0-9]{1,18}")


def click_target(ref: str | None) -> tuple[str, str] | None:
    """What a map click designates, checked: forged values give ``None``.

    Parameters
    ----------
    ref : str or None
        From :func:`clicked_ref`.

    Returns
    -------
    (str, str) or None
        ``("acteur", "17")`` or ``("reseau", "3")`` (ASCII digits), or a
        known territory ``(level, code)``; ``None`` for anything else
        (``acteur:abc``, ``reseau:1e3``, ``epci:nowhere``…).

    Examples
    --------
    >>> click_target("acteur:17"), click_target("acteur:abc")
    (('acteur', '17'), None)
    >>> click_target("reseau:1e3"), click_target("reseau:3")
    (None, ('reseau', '3'))
    >>> click_target("departement:29"), click_target("departement:²")
    (('departement', '29'), None)
    """
    if not ref:
        return None
    kind, _, ident = ref.partition(":")
    if kind in ("acteur", "reseau"):
        return (kind, ident) if _CARD_ID.fullmatch(ident) else None
    try:
        found = mapview.territory(kind, ident)
    except (UnknownLevelError, UnknownTerritoryError):
        return None
    return found.level, found.code


TABLES_TOGGLE = "Afficher les tableaux des territoires et des acteurs"
"""Label of the switch that draws the Carte's tables (on demand)."""
