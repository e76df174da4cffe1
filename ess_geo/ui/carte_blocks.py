"""The Carte's blocks, drawn from :mod:`ess_geo.pages.carte`.

Above the map, a breadcrumb of the selected territory and a menu to drill
down. Beside the map, the panel shows an actor's card, a network's card, the
selected territory's figures, or France's leading territories. Below the map,
two tables (territories, actors) are the map's text alternative. The view owns
the session state: it passes the callbacks that change it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from ess_geo import formats
from ess_geo.io.exports import to_csv
from ess_geo.maps import mapview
from ess_geo.pages import carte, details
from ess_geo.text import escape_markdown
from ess_geo.ui.chrome import definition_list
from ess_geo.ui.frames import french_columns
from ess_geo.ui.keys import CarteKeys as K

__all__ = [
    "actor_panel",
    "breadcrumb",
    "drill_down",
    "france_panel",
    "network_panel",
    "tables",
    "territory_panel",
]


def breadcrumb(
    selection: mapview.Territory | None, select: Callable[[str | None], None]
) -> None:
    """France, then the territories that hold the selection: buttons to climb."""
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        st.button(
            "France",
            type="tertiary" if selection else "secondary",
            on_click=select,
            args=(None,),
            disabled=selection is None,
            key=K.CRUMB_FRANCE,
        )
        for place in mapview.breadcrumb(selection) if selection else []:
            st.markdown("›")
            st.button(
                place.nom,
                type="tertiary" if place != selection else "secondary",
                on_click=select,
                args=(place.ref,),
                disabled=place == selection,
                key=K.crumb(place.ref),
                help=mapview.level_name(place.level).capitalize(),
            )


def drill_down(selection: mapview.Territory, on_change: Callable[[], None]) -> None:
    """A menu of the territories one step down, when there are some.

    Parameters
    ----------
    selection : Territory
    on_change : callable
        Called when a territory is chosen (the menu, :attr:`CarteKeys.CHILD`,
        holds ``""`` when none is).
    """
    level, rows = mapview.children(selection)
    if level is None or not len(rows):
        return
    options = carte.child_options(level, rows)
    st.selectbox(
        f"Aller vers un territoire plus petit "
        f"({mapview.level_name(level, plural=True)})",
        list(options),
        key=K.CHILD,
        format_func=options.get,
        on_change=on_change,
    )


def actor_panel(
    actor: pd.Series, memberships: Sequence[str], on_close: Callable[[], None]
) -> None:
    """An actor's card: its name, its fields, a button to close it."""
    st.header(escape_markdown(str(actor["nom"])))
    definition_list(details.actor_card(actor, memberships))
    st.button("Fermer la fiche", on_click=on_close, key=K.CLOSE_ACTOR)


def network_panel(
    network: pd.Series,
    on_members: Callable[[], None],
    on_close: Callable[[], None],
) -> None:
    """A network's card, a button to filter on its members, one to close it."""
    st.header(escape_markdown(str(network["nom"])))
    definition_list(details.network_card(network))
    st.button("Voir ses membres", on_click=on_members, key=K.SHOW_MEMBERS)
    st.button("Fermer la fiche", on_click=on_close, key=K.CLOSE_NETWORK)


def territory_panel(
    selected: mapview.Territory,
    scene: mapview.Scene,
    figures: dict[str, object],
    present: pd.DataFrame,
    *,
    filtered: bool,
) -> None:
    """A territory's key figures, rank, familles and networks.

    Parameters
    ----------
    selected : Territory
    scene : Scene
        The scene drawn (its indicator, whether the perimeter is known).
    figures : dict
        :func:`ess_geo.maps.mapview.key_figures` of ``selected``.
    present : pandas.DataFrame
        :func:`ess_geo.maps.perimeters.networks_of` ``selected``.
    filtered : bool
        Whether the figures count only the actors that pass filters.
    """
    st.header(selected.label)
    if scene.fit is None:
        st.info(
            "Le périmètre de ce territoire n'est pas connu (ses communes ne sont "
            "pas dans les tables de référence) : aucun acteur ne peut lui être "
            "rattaché et la carte montre la France.",
            icon="ℹ️",
        )
    st.page_link(  # same tab, same session (a Markdown link opens a new tab)
        "views/territoires.py",
        label=carte.TERRITORY_LINK_LABEL,
        query_params=carte.territory_link(selected),
    )
    st.markdown(carte.key_figures_table(figures))
    st.caption(
        "Indice de spécificité : emplois de l'ESS par habitant rapportés à la "
        "moyenne française (1 = comme la France)."
    )
    if rank := carte.territory_rank(figures, selected, scene.indicator.label):
        st.markdown(rank)
    st.markdown(carte.families_line(figures))
    if filtered:
        st.caption("Chiffres limités aux acteurs qui passent les filtres.")
    if len(present):
        st.markdown("**Réseaux territoriaux de l'ESS présents**")
        st.markdown(carte.network_lines(present))
    else:
        st.markdown("Aucun réseau territorial de l'ESS connu sur ce territoire.")


def france_panel(scene: mapview.Scene, select: Callable[[str], None]) -> None:
    """France's totals and its leading territories, each a button to select it."""
    st.header("France entière")
    st.markdown(carte.france_summary(scene.totals))
    heading, leaders = carte.leaders(scene, 5)
    st.markdown(heading)
    for label, ref in leaders:
        st.button(
            label,
            key=K.leader(ref.partition(":")[2]),
            type="tertiary",
            on_click=select,
            args=(ref,),
            wrap=True,
        )
    st.caption(
        "Cliquez sur la carte ou cherchez un territoire pour voir ses chiffres "
        "et ses acteurs."
    )


def _on_row(key: str, refs: list[str], choose: Callable[[str], None]) -> None:
    rows = st.session_state[key].selection.rows
    if rows:
        choose(refs[rows[0]])


def tables(
    scene: mapview.Scene,
    view_key: str,
    select: Callable[[str], None],
    open_actor: Callable[[str], None],
) -> None:
    """The territories and the actors of the scene, selectable and downloadable.

    Parameters
    ----------
    scene : Scene
    view_key : str
        What the tables show (place, filters…), in their widget keys: a new
        view makes new tables, without a stale selection.
    select : callable
        Called with ``"level:code"`` when a territory row is checked.
    open_actor : callable
        Called with the actor id when an actor row is checked.
    """
    keys = (f"{K.TERRITORY_TABLE}|{view_key}", f"{K.ACTOR_TABLE}|{view_key}")
    territory_tab, actor_tab = st.tabs(carte.table_tabs(scene))
    with territory_tab:
        listing = details.listing_table(scene)
        level = scene.listing_level
        refs = [f"{level}:{code}" for code in listing["Code"]]
        st.caption("Cochez une ligne pour sélectionner le territoire.")
        # The name and the map's indicator first: what a phone shows.
        key_columns = ["Territoire", listing.columns[-1]]
        st.dataframe(
            listing,
            column_config=french_columns(
                listing, {"Territoire": st.column_config.TextColumn(width="medium")}
            ),
            column_order=key_columns
            + [c for c in listing.columns if c not in key_columns],
            hide_index=True,
            key=keys[0],
            on_select=functools.partial(_on_row, keys[0], refs, select),
            selection_mode="single-row",
            height=320,
        )
        st.download_button(
            "Télécharger le tableau (CSV)",
            data=lambda: to_csv(listing, decimals=4),
            file_name=f"territoires-{level}.csv",
            mime="text/csv",
            on_click="ignore",
        )
    with actor_tab:
        limit = mapview.MARKER_LIMIT
        rows = scene.shown.head(limit)
        st.caption("Cochez une ligne pour ouvrir la fiche de l'acteur.")
        if len(scene.shown) > limit:
            st.caption(
                f"Les {formats.number(limit)} premiers acteurs sont affichés ; "
                "le fichier CSV les contient tous."
            )
        ids = [str(i) for i in rows.index]
        actor_rows = details.actor_table(rows)
        st.dataframe(
            actor_rows,
            column_config=french_columns(actor_rows),
            hide_index=True,
            key=keys[1],
            on_select=functools.partial(_on_row, keys[1], ids, open_actor),
            selection_mode="single-row",
            height=320,
        )
        st.download_button(
            "Télécharger les acteurs (CSV)",
            data=lambda: to_csv(details.actor_table(scene.shown)),
            file_name="acteurs-ess.csv",
            mime="text/csv",
            on_click="ignore",
        )
