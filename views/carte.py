"""Carte: ESS actors on EPCI, pays, PNR, départements and régions.

The state (:class:`ess_geo.pages.carte.CarteState`: territory, maille,
indicator, classes, basemap, filters, open actor card) is read from the URL
once per session, then kept by the widgets, and written back to the URL on
every run; the text the page shows comes from :mod:`ess_geo.pages.carte`.
"""

import functools

import streamlit as st

from ess_geo import ui
from ess_geo.actors import FAMILIES, FAMILY_LABELS, naf_sections
from ess_geo.analysis import filters
from ess_geo.analysis.classify import MAP_INDICATORS, METHODS
from ess_geo.errors import EssGeoError
from ess_geo.geo.geography import LEVELS
from ess_geo.maps import mapview, perimeters
from ess_geo.pages import carte, details
from ess_geo.pages.carte import CarteState
from ess_geo.ui import carte_blocks

# Session key -> CarteState field (the territory is kept as K.SELECTION).
K = ui.CarteKeys
FIELDS = {
    K.LEVEL: "maille",
    K.INDICATOR: "indicator",
    K.METHOD: "method",
    K.BASEMAP: "basemap",
    K.ACTOR_CARD: "actor",
    K.FILTER_FAMILIES: "familles",
    K.FILTER_SECTORS: "secteurs",
    K.FILTER_NETWORK: "reseau",
    K.FILTER_EMPLOYER: "employeur",
    K.FILTER_SIZES: "tailles",
}

everyone = ui.carte_actors()
nets = ui.carte_networks()
network_ids = [str(i) for i in nets.table.index]
network_names = {str(i): str(n) for i, n in nets.table["nom"].items()}
sections = naf_sections()


def put(state: CarteState, fields: tuple[str, ...] = tuple(FIELDS.values())) -> None:
    """Give the widgets some of a state's values (lists for the multiselects)."""
    for key, field in FIELDS.items():
        if field in fields:
            value = getattr(state, field)
            st.session_state[key] = list(value) if isinstance(value, tuple) else value


if K.READY not in st.session_state:
    linked, ignored = CarteState.from_query(
        st.query_params.to_dict(), network_ids, everyone.index
    )
    put(linked)
    st.session_state.update(
        {
            K.READY: True,
            K.SELECTION: linked.ref,
            K.NETWORK_CARD: None,
            K.RESULTS: None,
            K.IGNORED: ignored,
        }
    )


def current(selected: mapview.Territory | None = None) -> CarteState:
    """The state the widgets hold, with the selected territory."""
    values = {field: st.session_state[key] for key, field in FIELDS.items()}
    return CarteState(
        level=selected.level if selected else None,
        code=selected.code if selected else None,
        **{f: tuple(v) if isinstance(v, list) else v for f, v in values.items()},
    )


def select(ref: str | None) -> None:
    """Select a territory (``"level:code"``) or France (None); close cards."""
    st.session_state[K.SELECTION] = ref
    close_card()


def on_search() -> None:
    found = carte.search_results(st.session_state[K.SEARCH])
    st.session_state[K.RESULTS] = found
    if found:
        st.session_state[K.RESULT] = found[0][0]
        select(found[0][0])


def on_child() -> None:
    if st.session_state[K.CHILD]:
        select(st.session_state[K.CHILD])
        st.session_state[K.CHILD] = ""


def on_map_click() -> None:
    target = carte.click_target(carte.clicked_ref(st.session_state.get(K.MAP)))
    kind, ident = target or (None, None)
    if kind in ("acteur", "reseau"):
        close_card()
        st.session_state[K.ACTOR_CARD if kind == "acteur" else K.NETWORK_CARD] = ident
    elif kind in LEVELS:
        select(f"{kind}:{ident}")


def open_actor(ident: str) -> None:
    close_card()
    st.session_state[K.ACTOR_CARD] = ident


def show_members(network_id: int) -> None:
    st.session_state.update({K.FILTER_NETWORK: str(network_id), K.NETWORK_CARD: None})


def reset_filters() -> None:
    put(CarteState(), ("familles", "secteurs", "reseau", "employeur", "tailles"))


def close_card() -> None:
    st.session_state[K.ACTOR_CARD] = None
    st.session_state[K.NETWORK_CARD] = None


def sidebar() -> None:
    """The filters and display options (kept by their widgets' keys)."""
    with st.sidebar:
        st.markdown("**Filtres des acteurs**")
        st.multiselect(
            "Familles de l'ESS",
            FAMILIES,
            key=K.FILTER_FAMILIES,
            format_func=FAMILY_LABELS.get,
            placeholder="Toutes les familles",
        )
        st.multiselect(
            "Secteurs d'activité (sections NAF)",
            list(sections.index),
            key=K.FILTER_SECTORS,
            format_func=lambda s: f"{s} – {sections[s]}",
            placeholder="Tous les secteurs",
        )
        st.selectbox(
            "Appartenance à un réseau",
            [*filters.NETWORK_CHOICES, *network_ids],
            key=K.FILTER_NETWORK,
            format_func=lambda v: filters.NETWORK_CHOICES.get(v) or network_names[v],
        )
        st.radio(
            "Employeur",
            list(filters.EMPLOYER_CHOICES),
            key=K.FILTER_EMPLOYER,
            format_func=filters.EMPLOYER_CHOICES.get,
        )
        st.multiselect(
            "Taille (salariés)",
            list(filters.SIZE_CLASSES),
            key=K.FILTER_SIZES,
            format_func=filters.SIZE_CLASSES.get,
            placeholder="Toutes les tailles",
        )
        st.button(
            "Effacer les filtres",
            on_click=reset_filters,
            disabled=not current().filters.active,
        )
        st.markdown("**Affichage**")
        ui.basemap_choice(K.BASEMAP)
        st.radio(
            "Classes de couleur",
            list(METHODS),
            key=K.METHOD,
            format_func=lambda m: METHODS[m][0].upper() + METHODS[m][1:],
            help="Quantiles : autant de territoires dans chaque classe. Seuils "
            "naturels : des classes aussi homogènes que possible (méthode de "
            "Fisher-Jenks).",
        )


def controls(search_col, maille_col, indicator_col) -> None:
    """Search, maille and indicator, above the map (stacked on a phone)."""
    search_col.text_input(
        "Rechercher un territoire",
        key=K.SEARCH,
        on_change=on_search,
        placeholder="Commune, EPCI, pays, PNR, département, code postal…",
        help="Nom ou code (INSEE, SIREN, code postal), sans souci des accents ni "
        "des majuscules ; Entrée pour chercher.",
    )
    maille_col.selectbox(
        "Territoires colorés",
        list(mapview.MAILLES),
        key=K.LEVEL,
        format_func=mapview.MAILLES.get,
    )
    indicator_col.selectbox(
        "Indicateur",
        list(MAP_INDICATORS),
        key=K.INDICATOR,
        format_func=lambda c: MAP_INDICATORS[c].label,
    )
    results = st.session_state[K.RESULTS]
    with search_col:  # in the controls' row: the map keeps its place on the page
        if results:
            st.selectbox(
                "Résultats de la recherche",
                [ref for ref, _ in results],
                key=K.RESULT,
                format_func=dict(results).get,
                on_change=lambda: select(st.session_state[K.RESULT]),
            )
        elif results is not None:
            st.warning(carte.no_match_warning(st.session_state[K.SEARCH]), icon="🔎")


st.title("Carte des acteurs de l'ESS")
if warning := carte.ignored_warning(st.session_state[K.IGNORED]):
    st.warning(warning, icon="⚠️")


@st.fragment
@ui.timed_fragment("carte")
def carte_block() -> None:
    """Controls, map, panel and tables: a filter or a click reruns only them.

    The map is written first, into its place below the controls, then the
    panel, then the filters and controls: the browser asks for the map
    component's code before the widgets' (measured: its frame opens about
    0.2 s sooner). Nothing above the map depends on the selection, so
    selecting a territory updates the frame in place.
    """
    control_cols = st.columns([2, 1, 1.6])
    selection = None
    if st.session_state[K.SELECTION]:
        try:
            ref = mapview.parse_ref(st.session_state[K.SELECTION])
            selection = mapview.territory(*ref)
        except EssGeoError as exc:
            ui.show_error(exc)
    state = current(selection)
    chosen = state.filters
    view = (ui.workspace_revision(), state.drawn)
    scene = ui.carte_scene(*view, selection)
    ui.set_query_params(**state.to_query())

    st.html(ui.CARTE_PAGE_CSS)
    map_col, panel_col = st.columns([3, 1.25], gap="medium")
    with map_col:
        ui.carte_map(view[0], state, selection, key=K.MAP, on_change=on_map_click)
        st.caption(
            "Cliquez sur un territoire pour le sélectionner, sur un acteur pour sa "
            "fiche. Couches et légendes : boutons en haut à droite de la carte."
        )

    # --- Beside the map: where we are, how many actors, the open card ---
    with panel_col:
        carte_blocks.breadcrumb(selection, select)
        if selection is not None:
            carte_blocks.drill_down(selection, on_child)
        st.markdown(carte.count_line(scene, len(everyone), chosen, network_names))
        actor_key = st.session_state[K.ACTOR_CARD]
        network_key = st.session_state[K.NETWORK_CARD]
        if actor_key is not None and int(actor_key) in everyone.index:
            carte_blocks.actor_panel(
                everyone.loc[int(actor_key)],
                details.actor_networks(int(actor_key), nets.members, network_names),
                close_card,
            )
            ui.report_error_form(int(actor_key), everyone.loc[int(actor_key)])
        elif network_key is not None and int(network_key) in nets.table.index:
            carte_blocks.network_panel(
                nets.table.loc[int(network_key)],
                functools.partial(show_members, int(network_key)),
                close_card,
            )
        elif selection is not None:
            carte_blocks.territory_panel(
                selection,
                scene,
                ui.carte_figures(*view, selection),
                perimeters.networks_of(selection, nets.territories, nets.table),
                filtered=chosen.active,
            )
        else:
            carte_blocks.france_panel(scene, select)

    sidebar()
    controls(*control_cols)

    # --- Text alternative: the same data as tables, sortable, downloadable ---
    # On demand and in a fragment of their own: off the map's critical path
    # (up to 0.9 MB a run); a row that selects a territory or opens a card
    # reruns the page.
    st.header("Tableaux")
    tables_block(
        scene,
        f"{state.drawn}|{selection}",
        (st.session_state[K.SELECTION], st.session_state[K.ACTOR_CARD]),
    )


@st.fragment
def tables_block(scene: mapview.Scene, view_key: str, shown: tuple[object, object]):
    if (st.session_state[K.SELECTION], st.session_state[K.ACTOR_CARD]) != shown:
        st.rerun(scope="app")
    if st.toggle(carte.TABLES_TOGGLE, key=K.SHOW_TABLES):
        carte_blocks.tables(scene, view_key, select, open_actor)


carte_block()
