"""The Carte's scene and map, cached at every step that can be shared.

- :func:`carte_filtered`: the actors that pass the filters and their totals per
  commune, once per workspace revision and filters;
- :func:`carte_indicators`: the indicators of one level for those totals
  (the map's maille, and the selected territory's level for its rank);
- :func:`carte_scene`: the :class:`~ess_geo.maps.mapview.Scene` of a view; a new
  selection with the same filters reuses the two above (a search from
  France no longer recounts 300,000 actors);
- :func:`carte_figures`: the selected territory's figures and rank;
- :func:`carte_map`: the map itself, its code generated once per scene and
  basemap (:func:`ess_geo.ui.folium_cache.cached_map`).

Every cache is shared by the sessions (``st.cache_resource``): never mutate
what they return.
"""

from __future__ import annotations

from collections.abc import Callable

import folium
import pandas as pd
import streamlit as st

from ess_geo.analysis import filters, weight
from ess_geo.analysis.filters import ActorFilters
from ess_geo.maps import cartemap, mapview
from ess_geo.pages.carte import CarteState
from ess_geo.ui.caches import carte_actors, carte_networks
from ess_geo.ui.folium_cache import cached_map
from ess_geo.workspace.store import Revision

__all__ = [
    "CARTE_MAP_HEIGHT",
    "carte_figures",
    "carte_filtered",
    "carte_indicators",
    "carte_map",
    "carte_scene",
]

CARTE_MAP_HEIGHT = 620
"""Height of the Carte's map frame, in pixels (shorter on phones, by CSS)."""


@st.cache_resource(max_entries=4, show_spinner=False)
def carte_filtered(
    revision: Revision, chosen: ActorFilters
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The actors that pass ``chosen``, and their totals per commune."""
    actors = filters.apply(carte_actors(), chosen, carte_networks().members)
    return actors, weight.by_commune(actors)


@st.cache_resource(max_entries=12, show_spinner=False)
def carte_indicators(
    revision: Revision, chosen: ActorFilters, level: str
) -> pd.DataFrame:
    """:func:`ess_geo.analysis.weight.indicators` of the filtered totals at a level."""
    return weight.indicators(carte_filtered(revision, chosen)[1], level)


@st.cache_resource(max_entries=8, show_spinner="Calcul de la carte…")
def carte_scene(
    revision: Revision, drawn: CarteState, selection: mapview.Territory | None
) -> mapview.Scene:
    """The scene of a view (``drawn``: :attr:`CarteState.drawn`)."""
    actors, totals = carte_filtered(revision, drawn.filters)
    return mapview.build_scene(
        actors,
        maille=drawn.maille,
        indicator=drawn.indicator,
        method=drawn.method,
        selection=selection,
        totals=totals,
        table=carte_indicators(revision, drawn.filters, drawn.maille),
    )


@st.cache_resource(max_entries=8, show_spinner=False)
def carte_figures(
    revision: Revision, drawn: CarteState, selection: mapview.Territory
) -> dict[str, object]:
    """:func:`ess_geo.maps.mapview.key_figures` of the selected territory."""
    totals = carte_filtered(revision, drawn.filters)[1]
    return mapview.key_figures(
        totals,
        selection,
        drawn.indicator,
        table=carte_indicators(revision, drawn.filters, selection.level),
    )


def carte_map(
    revision: Revision,
    state: CarteState,
    selection: mapview.Territory | None,
    *,
    key: str,
    on_change: Callable[[], None],
) -> None:
    """The Carte's map of a view; its code is generated once per scene.

    Parameters
    ----------
    revision : Revision
        The workspace's revision (the scene and the networks depend on it).
    state : CarteState
        The page's state (its drawn part and basemap make the scene).
    selection : Territory or None
    key : str
        Session key of the map's last click.
    on_change : callable
        Called when the map is clicked.
    """
    drawn = state.drawn

    def build() -> tuple[folium.Map, list[folium.FeatureGroup], folium.LayerControl]:
        networks = carte_networks().perimeters
        return (
            cartemap.carte_base(state.basemap, networks=networks),
            cartemap.carte_groups(
                carte_scene(revision, drawn, selection), networks=networks
            ),
            folium.LayerControl(collapsed=True),
        )

    cached_map(
        ("carte", revision, drawn, selection, state.basemap),
        build,
        key=key,
        height=CARTE_MAP_HEIGHT,
        returned_objects=["last_object_clicked", "last_active_drawing"],
        on_change=on_change,
    )
