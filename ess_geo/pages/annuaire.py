"""The Annuaire's state in the URL, and the text its results show.

:class:`AnnuaireState` is what a link to the Annuaire restores: the commune
(INSEE code), the need, the radius, the page of results and the basemap. A
geolocated position never goes to the URL: only the commune it falls in.
The other functions write the French Markdown around the results.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Container, Iterable
from typing import ClassVar, Self

from ess_geo import formats
from ess_geo.actors import needs
from ess_geo.analysis.directory import RADII_KM, Page, Place
from ess_geo.maps.base import BASEMAPS
from ess_geo.pages.urlstate import PageState, Params, QueryReader, ignored_notice
from ess_geo.text import escape_markdown

__all__ = [
    "AnnuaireState",
    "centre_label",
    "link_warnings",
    "need_activities",
    "no_result_message",
    "page_line",
    "results_heading",
    "results_summary",
]

_MAX_PAGE = 100_000
"""Highest page a link may ask for (a page beyond the last shows the last)."""


@dataclasses.dataclass(frozen=True)
class AnnuaireState(PageState):
    """What a link to the Annuaire restores; the defaults are the page's.

    Parameters
    ----------
    commune : str or None
        INSEE code of the commune searched around.
    need : str
        A key of :data:`ess_geo.actors.needs.NEEDS`, ``""`` for every need.
    radius : int
        Kilometres, one of :data:`ess_geo.analysis.directory.RADII_KM`.
    page : int
        Page of results, 1-based.
    basemap : str
        A key of :data:`ess_geo.maps.base.BASEMAPS`.

    Examples
    --------
    >>> state, ignored = AnnuaireState.from_query(
    ...     {"commune": "29019", "rayon": "7"}, communes={"29019"}
    ... )
    >>> state.radius, ignored
    (10, ['rayon=7'])
    >>> {k: v for k, v in state.to_query().items() if v}
    {'commune': '29019', 'rayon': '10'}
    """

    PARAMS: ClassVar = {
        "commune": "commune",
        "need": "besoin",
        "radius": "rayon",
        "page": "page",
        "basemap": "fond",
    }

    commune: str | None = None
    need: str = ""
    radius: int = 10
    page: int = 1
    basemap: str = "aucun"

    @classmethod
    def from_query(
        cls, params: Params, communes: Container[str] = ()
    ) -> tuple[Self, list[str]]:
        """The state a link names, and what had to be ignored.

        Parameters
        ----------
        params : mapping
            Query parameters (``st.query_params``).
        communes : container of str
            INSEE codes of the known communes (valid values of ``commune``).

        Returns
        -------
        state : AnnuaireState
            Unknown values are replaced by the defaults.
        ignored : list of str
            ``"name=value"`` for every dropped value.
        """
        default = cls()
        q = QueryReader(params)
        commune = q.text("commune")
        if commune is not None and commune not in communes:
            q.ignored.append(f"commune={commune}")
            commune = None
        radii = [str(km) for km in RADII_KM]
        state = cls(
            commune=commune,
            need=q.choice("besoin", needs.NEEDS, default.need),
            radius=int(q.choice("rayon", radii, str(default.radius))),
            page=q.integer("page", default.page, 1, _MAX_PAGE),
            basemap=q.choice("fond", BASEMAPS, default.basemap),
        )
        return state, q.ignored

    def to_query(self) -> dict[str, str | None]:
        """URL parameters of this state; ``None`` removes a parameter.

        Returns
        -------
        dict
            As :meth:`PageState.to_query`, but ``rayon`` is always written
            with a commune (shared links say how far), and neither ``rayon``
            nor ``page`` is written without one.
        """
        query = super().to_query()
        if self.commune is None:
            query.update(rayon=None, page=None)
        else:
            query["rayon"] = str(self.radius)
        return query


def link_warnings(ignored: Iterable[str]) -> list[str]:
    """The warnings for a link's ignored values (Markdown, values escaped).

    An unknown commune gets its own warning, first; the other values share
    :func:`ess_geo.pages.urlstate.ignored_notice`.
    """
    warnings = []
    others = []
    for item in ignored:
        name, _, value = item.partition("=")
        if name == "commune":
            shown = escape_markdown(value)
            warnings.append(
                f"Le lien indique une commune inconnue (« {shown} ») : "
                "cherchez votre commune ci-dessous."
            )
        else:
            others.append(item)
    notice = ignored_notice(others)
    if notice is not None:
        warnings.append(escape_markdown(notice))
    return warnings


def need_activities(need: str) -> str:
    """The activities a need covers, as a Markdown list.

    Parameters
    ----------
    need : str
        A key of :data:`ess_geo.actors.needs.NEEDS`.

    Returns
    -------
    str
        ``- label (NAF code)`` lines, sorted by code.
    """
    activities = needs.describe(need)
    return "\n".join(
        f"- {label} ({code})" for code, label in activities.itertuples(index=False)
    )


def results_heading(count: int, radius: int) -> str:
    r"""The heading of the results: how many actors, how far.

    Examples
    --------
    >>> results_heading(1234, 20)
    "1\u202f234 acteurs de l'ESS à moins de 20 km"
    >>> results_heading(1, 5)
    "1 acteur de l'ESS à moins de 5 km"
    """
    plural = "s" if count > 1 else ""
    return f"{formats.number(count)} acteur{plural} de l'ESS à moins de {radius} km"


def results_summary(place: Place, need: str) -> str:
    """Around where, for which need, in which order (Markdown).

    Parameters
    ----------
    place : Place
    need : str
        A key of :data:`ess_geo.actors.needs.NEEDS`, ``""`` for every need.

    Returns
    -------
    str
    """
    origin = "votre position" if place.located else f"le centre de {place.nom}"
    what = f"« {needs.NEEDS[need]} »" if need else "tous besoins"
    return (
        f"Autour de **{place.label}** ({what}), du plus proche au plus lointain ; "
        f"distances à vol d'oiseau depuis {origin}."
    )


def no_result_message(radius: int, wider: tuple[int, int] | None) -> str:
    """What to say when no actor is within the radius.

    Parameters
    ----------
    radius : int
        The radius searched, in km.
    wider : (int, int) or None
        :func:`ess_geo.analysis.directory.wider_radius`: the first wider
        radius that finds someone and how many it finds.

    Returns
    -------
    str
    """
    if wider is None:
        return (
            "Aucun acteur ne répond à ce besoin dans un rayon de "
            f"{RADII_KM[-1]} km. Essayez un autre besoin, ou "
            "contactez le réseau de votre territoire ci-dessous."
        )
    wider_km, wider_count = wider
    return (
        f"Aucun acteur à moins de {radius} km, mais {wider_count} à moins de "
        f"{wider_km} km."
    )


def page_line(page: Page) -> str:
    """Which page of how many, and which actors it lists.

    Examples
    --------
    >>> from ess_geo.analysis.directory import paginate
    >>> page_line(paginate(45, 3))
    'Page 3 sur 3 (acteurs 41 à 45)'
    """
    return (
        f"Page {page.number} sur {page.count} (acteurs {page.start + 1} à {page.stop})"
    )


def centre_label(place: Place) -> str:
    """How the map names the centre of the search."""
    return "Votre position" if place.located else f"Centre de {place.nom}"
