"""Carte: ESS actors on EPCI, pays, PNR, départements and régions.

State in the URL, so that a link restores the view: ``niveau`` and ``code``
(the selected territory; the older ``dep`` and ``epci`` still work),
``maille``, ``indicateur``, ``classes``, ``fond``, the filters ``famille``,
``secteur``, ``reseau``, ``employeur``, ``taille``, and ``acteur`` (an open
actor card).
"""

import functools

import folium
import streamlit as st
from streamlit_folium import st_folium

from ess_geo import formats, maps, ui
from ess_geo.actors import FAMILIES, FAMILY_LABELS, naf_sections
from ess_geo.analysis import filters
from ess_geo.analysis.classify import MAP_INDICATORS, METHODS
from ess_geo.analysis.indicators import FAMILY_COLUMNS, key_figure
from ess_geo.errors import EssGeoError
from ess_geo.geo.geography import LEVELS
from ess_geo.geo.search import search_territories
from ess_geo.io.exports import to_csv
from ess_geo.maps import cartemap, mapview, perimeters
from ess_geo.pages import details
from ess_geo.text import escape_markdown
from ess_geo.workspace.store import Revision

K = ui.CarteKeys

everyone = ui.carte_actors()
nets = ui.carte_networks()
network_ids = [str(i) for i in nets.table.index]
network_names = {str(i): str(n) for i, n in nets.table["nom"].items()}
sections = naf_sections()


# --- State: read from the URL once per session, then kept by the widgets ---
if K.READY not in st.session_state:
    params = st.query_params.to_dict()
    chosen, ignored = filters.from_query(params, network_ids)
    selection, ignored_place = mapview.selection_from_query(params)
    actor = params.get("acteur")
    if actor is not None and not (actor.isdigit() and int(actor) in everyone.index):
        ignored.append(f"acteur={actor}")
        actor = None
    st.session_state.update(
        {
            K.READY: True,
            K.SELECTION: selection.ref if selection else None,
            K.ACTOR_CARD: actor,
            K.NETWORK_CARD: None,
            K.RESULTS: None,
            K.LEVEL: ui.query_choice("maille", list(mapview.MAILLES), "epci"),
            K.INDICATOR: ui.query_choice(
                "indicateur", list(MAP_INDICATORS), mapview.DEFAULT_INDICATOR
            ),
            K.METHOD: ui.query_choice("classes", list(METHODS), "quantiles"),
            K.BASEMAP: ui.query_choice("fond", list(maps.BASEMAPS), "aucun"),
            K.FILTER_FAMILIES: list(chosen.familles),
            K.FILTER_SECTORS: list(chosen.secteurs),
            K.FILTER_NETWORK: chosen.reseau,
            K.FILTER_EMPLOYER: chosen.employeur,
            K.FILTER_SIZES: list(chosen.tailles),
            K.IGNORED: ignored + ignored_place,
        }
    )


def select(ref: str | None) -> None:
    """Select a territory (``"level:code"``) or France (None); close cards."""
    st.session_state[K.SELECTION] = ref
    st.session_state[K.ACTOR_CARD] = None
    st.session_state[K.NETWORK_CARD] = None


def on_search() -> None:
    query = st.session_state[K.SEARCH]
    found = search_territories(query, limit=8) if query.strip() else None
    st.session_state[K.RESULTS] = (
        None
        if found is None
        else [(f"{r.niveau}:{r.code}", r.libelle) for r in found.itertuples()]
    )
    if found is not None and len(found):
        first = st.session_state[K.RESULTS][0][0]
        st.session_state[K.RESULT] = first
        select(first)


def on_result() -> None:
    select(st.session_state[K.RESULT])


def on_child() -> None:
    if st.session_state[K.CHILD]:
        select(st.session_state[K.CHILD])
        st.session_state[K.CHILD] = ""


def on_map_click() -> None:
    clicked = st.session_state.get(K.MAP) or {}
    drawing = clicked.get("last_active_drawing") or {}
    ref = (drawing.get("properties") or {}).get("ref")
    if not ref:
        return
    kind, ident = mapview.parse_ref(ref)
    if kind == "acteur":
        st.session_state[K.ACTOR_CARD] = ident
        st.session_state[K.NETWORK_CARD] = None
    elif kind == "reseau":
        st.session_state[K.NETWORK_CARD] = ident
        st.session_state[K.ACTOR_CARD] = None
    elif kind in LEVELS:
        select(ref)


def on_territory_row(key: str, level: str, codes: list[str]) -> None:
    rows = st.session_state[key].selection.rows
    if rows:
        select(f"{level}:{codes[rows[0]]}")


def on_actor_row(key: str, ids: list[str]) -> None:
    rows = st.session_state[key].selection.rows
    if rows:
        st.session_state[K.ACTOR_CARD] = ids[rows[0]]
        st.session_state[K.NETWORK_CARD] = None


def reset_filters() -> None:
    for key, empty in (
        (K.FILTER_FAMILIES, []),
        (K.FILTER_SECTORS, []),
        (K.FILTER_NETWORK, ""),
        (K.FILTER_EMPLOYER, ""),
        (K.FILTER_SIZES, []),
    ):
        st.session_state[key] = empty


# --- Sidebar: filters and display options ---
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
    chosen = filters.ActorFilters(
        familles=tuple(st.session_state[K.FILTER_FAMILIES]),
        secteurs=tuple(st.session_state[K.FILTER_SECTORS]),
        reseau=st.session_state[K.FILTER_NETWORK],
        employeur=st.session_state[K.FILTER_EMPLOYER],
        tailles=tuple(st.session_state[K.FILTER_SIZES]),
    )
    st.button("Effacer les filtres", on_click=reset_filters, disabled=not chosen.active)
    st.markdown("**Affichage**")
    st.selectbox(
        "Fond de carte",
        list(maps.BASEMAPS),
        key=K.BASEMAP,
        format_func=lambda key: maps.BASEMAPS[key].label,
        help="Les fonds OpenStreetMap et IGN demandent une connexion internet ; "
        "la carte fonctionne sans.",
    )
    st.radio(
        "Classes de couleur",
        list(METHODS),
        key=K.METHOD,
        format_func=lambda m: METHODS[m][0].upper() + METHODS[m][1:],
        help="Quantiles : autant de territoires dans chaque classe. Seuils "
        "naturels : des classes aussi homogènes que possible (méthode de "
        "Fisher-Jenks).",
    )

st.title("Carte des acteurs de l'ESS")
if st.session_state[K.IGNORED]:
    st.warning(
        "Paramètres du lien ignorés (valeur inconnue) : "
        + escape_markdown(", ".join(st.session_state[K.IGNORED]))
        + ". La carte s'ouvre sans eux.",
        icon="⚠️",
    )

# --- Controls above the map (stacked on a phone) ---
search_col, maille_col, indicator_col = st.columns([2, 1, 1.6])
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
if results:
    st.selectbox(
        "Résultats de la recherche",
        [ref for ref, _ in results],
        key=K.RESULT,
        format_func=dict(results).get,
        on_change=on_result,
    )
elif results is not None:
    typed = escape_markdown(st.session_state[K.SEARCH])
    st.warning(
        f"Aucun territoire ne correspond à « {typed} ». "
        "Essayez un nom de commune, d'EPCI, de pays ou de PNR, un code INSEE, un "
        "SIREN d'EPCI ou un code postal.",
        icon="🔎",
    )

selection = None
if st.session_state[K.SELECTION]:
    try:
        selection = mapview.territory(*mapview.parse_ref(st.session_state[K.SELECTION]))
    except EssGeoError as exc:
        ui.show_error(exc)


@st.cache_resource(max_entries=8, show_spinner="Calcul de la carte…")
def scene_for(
    revision: Revision,
    chosen: filters.ActorFilters,
    maille: str,
    indicator: str,
    method: str,
    selection: mapview.Territory | None,
) -> mapview.Scene:
    shown = filters.apply(ui.carte_actors(), chosen, ui.carte_networks().members)
    return mapview.build_scene(
        shown, maille=maille, indicator=indicator, method=method, selection=selection
    )


@st.cache_resource(max_entries=8, show_spinner=False)
def figures_of(
    revision: Revision,
    chosen: filters.ActorFilters,
    maille: str,
    indicator: str,
    method: str,
    selection: mapview.Territory,
) -> dict[str, object]:
    scene = scene_for(revision, chosen, maille, indicator, method, selection)
    return mapview.key_figures(scene.totals, selection, indicator)


state = (
    ui.workspace_revision(),
    chosen,
    st.session_state[K.LEVEL],
    st.session_state[K.INDICATOR],
    st.session_state[K.METHOD],
    selection,
)
scene = scene_for(*state)
actor_id = st.session_state[K.ACTOR_CARD]
ui.set_query_params(
    niveau=selection.level if selection else None,
    code=selection.code if selection else None,
    dep=None,
    epci=None,
    maille=st.session_state[K.LEVEL] if st.session_state[K.LEVEL] != "epci" else None,
    indicateur=(
        st.session_state[K.INDICATOR]
        if st.session_state[K.INDICATOR] != mapview.DEFAULT_INDICATOR
        else None
    ),
    classes=(
        st.session_state[K.METHOD]
        if st.session_state[K.METHOD] != "quantiles"
        else None
    ),
    fond=st.session_state[K.BASEMAP]
    if st.session_state[K.BASEMAP] != "aucun"
    else None,
    acteur=actor_id,
    **filters.to_query(chosen),
)

# --- Where we are, and how many actors are shown ---
with st.container(horizontal=True, gap="small", vertical_alignment="center"):
    st.button(
        "France",
        type="tertiary" if selection else "secondary",
        on_click=select,
        args=(None,),
        disabled=selection is None,
        key=K.CRUMB_FRANCE,
    )
    if selection is not None:
        for place in mapview.breadcrumb(selection):
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
if selection is not None:
    child_level, child_rows = mapview.children(selection)
    if child_level is not None and len(child_rows):
        st.selectbox(
            f"Aller vers un territoire plus petit "
            f"({mapview.level_name(child_level, plural=True)})",
            ["", *(f"{child_level}:{c}" for c in child_rows["code"])],
            key=K.CHILD,
            format_func=lambda ref: (
                "—"
                if not ref
                else child_rows.set_index("code").at[ref.split(":", 1)[1], "nom"]
            ),
            on_change=on_child,
        )

place = selection.nom if selection else "France"
count_line = (
    f"**{formats.number(len(scene.shown))}** acteurs affichés sur "
    f"**{formats.number(len(everyone))}** — {escape_markdown(place)}"
)
if chosen.active:
    count_line += f" · filtres : {escape_markdown(chosen.describe(network_names))}"
if scene.mode == "cercles":
    level = scene.circles["niveau"].iloc[0] if len(scene.circles) else scene.maille
    count_line += (
        f" · plus de {formats.number(mapview.MARKER_LIMIT)} acteurs : regroupés par "
        f"{mapview.level_name(level)} (choisissez un territoire pour les voir "
        "un à un)"
    )
st.markdown(count_line)

# --- The map, and the panel beside it ---
st.html(ui.CARTE_PAGE_CSS)
map_col, panel_col = st.columns([3, 1.25], gap="medium")
with map_col:
    st_folium(
        cartemap.carte_base(st.session_state[K.BASEMAP]),
        key=K.MAP,
        height=620,
        use_container_width=True,
        returned_objects=["last_object_clicked", "last_active_drawing"],
        feature_group_to_add=cartemap.carte_groups(scene, networks=nets.perimeters),
        layer_control=folium.LayerControl(collapsed=True),
        on_change=on_map_click,
    )
    st.caption(
        "Cliquez sur un territoire pour le sélectionner, sur un acteur pour sa "
        "fiche. Couches et légendes : boutons en haut à droite de la carte."
    )


def close_card() -> None:
    st.session_state[K.ACTOR_CARD] = None
    st.session_state[K.NETWORK_CARD] = None


def show_territory(selected: mapview.Territory) -> None:
    figures = figures_of(*state[:-1], selected)
    st.header(selected.label)
    if scene.fit is None:
        st.info(
            "Le périmètre de ce territoire n'est pas connu (ses communes ne sont "
            "pas dans les tables de référence) : aucun acteur ne peut lui être "
            "rattaché et la carte montre la France.",
            icon="ℹ️",
        )
    st.markdown(
        f"[Fiche complète du territoire →](territoires?niveau={selected.level}"
        f"&code={selected.code})"
    )
    rows = [
        key_figure(key, figures[key])
        for key in (
            "population",
            "structures",
            "employeurs",
            "emplois",
            "structures_10k_hab",
            "emplois_1000_hab",
            "indice_specificite",
        )
    ]
    st.markdown(
        "| Chiffres clés | |\n|---|--:|\n"
        + "\n".join(f"| {label} | {value} |" for label, value in rows)
    )
    st.caption(
        "Indice de spécificité : emplois de l'ESS par habitant rapportés à la "
        "moyenne française (1 = comme la France)."
    )
    if figures["rang"] is not None:
        tied = (
            f" (ex æquo avec {formats.number(figures['ex_aequo'])} autres)"
            if figures["ex_aequo"]
            else ""
        )
        st.markdown(
            f"Rang : **{figures['rang']}** sur {formats.number(figures['sur'])} "
            f"{mapview.level_name(selected.level, plural=True)}{tied} pour « "
            f"{scene.indicator.label} »."
        )
    families = ", ".join(
        f"{FAMILY_LABELS[f]} {formats.number(figures[c])}"
        for f, c in FAMILY_COLUMNS.items()
    )
    st.markdown(f"Par famille : {families}.")
    if chosen.active:
        st.caption("Chiffres limités aux acteurs qui passent les filtres.")
    present = perimeters.networks_of(selected, nets.territories, nets.table)
    if len(present):
        st.markdown("**Réseaux territoriaux de l'ESS présents**")
        st.markdown(
            "\n".join(
                f"- {escape_markdown(row.nom)} ({row.type}, {row.statut.lower()}) — "
                f"{formats.number(row.part * 100)} % des communes"
                for row in present.itertuples()
            )
        )
    else:
        st.markdown("Aucun réseau territorial de l'ESS connu sur ce territoire.")


def show_france() -> None:
    st.header("France entière")
    totals = scene.totals.sum()
    st.markdown(
        f"**{formats.number(totals['structures'])}** structures de l'ESS, "
        f"**{formats.number(totals['emplois'])}** emplois (estimés)."
    )
    best = scene.leaders(5)
    st.markdown(
        f"**En tête ({mapview.level_name(scene.maille, plural=True)})** — "
        f"{scene.indicator.label} :"
    )
    indicator = scene.indicator
    for row in best.itertuples():
        value = indicator.format(getattr(row, indicator.key))
        st.button(
            f"{row.nom} ({value})",
            key=K.leader(row.code),
            type="tertiary",
            on_click=select,
            args=(f"{scene.maille}:{row.code}",),
            wrap=True,
        )
    st.caption(
        "Cliquez sur la carte ou cherchez un territoire pour voir ses chiffres "
        "et ses acteurs."
    )


with panel_col:
    actor_key = st.session_state[K.ACTOR_CARD]
    network_key = st.session_state[K.NETWORK_CARD]
    if actor_key is not None and int(actor_key) in everyone.index:
        actor = everyone.loc[int(actor_key)]
        st.header(escape_markdown(str(actor["nom"])))
        memberships = details.actor_networks(
            int(actor_key), nets.members, network_names
        )
        ui.definition_list(details.actor_card(actor, memberships))
        st.button("Fermer la fiche", on_click=close_card, key=K.CLOSE_ACTOR)
    elif network_key is not None and int(network_key) in nets.table.index:
        network = nets.table.loc[int(network_key)]
        st.header(escape_markdown(str(network["nom"])))
        ui.definition_list(details.network_card(network))
        st.button(
            "Voir ses membres",
            on_click=lambda: st.session_state.update(
                {K.FILTER_NETWORK: str(network_key), K.NETWORK_CARD: None}
            ),
            key=K.SHOW_MEMBERS,
        )
        st.button("Fermer la fiche", on_click=close_card, key=K.CLOSE_NETWORK)
    elif selection is not None:
        show_territory(selection)
    else:
        show_france()

# --- Text alternative: the same data as tables, sortable, downloadable ---
st.header("Tableaux")
territory_tab, actor_tab = st.tabs(
    [
        f"Territoires ({mapview.level_name(scene.listing_level, plural=True)})",
        f"Acteurs ({formats.number(len(scene.shown))})",
    ]
)
# A new table (new place, new filters) is a new widget: no stale selection.
view_key = "|".join(str(part) for part in state[1:])
with territory_tab:
    listing = details.listing_table(scene)
    table_key = f"{K.TERRITORY_TABLE}|{view_key}"
    st.caption("Cochez une ligne pour sélectionner le territoire.")
    st.dataframe(
        listing,
        hide_index=True,
        key=table_key,
        on_select=functools.partial(
            on_territory_row, table_key, scene.listing_level, listing["Code"].tolist()
        ),
        selection_mode="single-row",
        height=320,
    )
    st.download_button(
        "Télécharger le tableau (CSV)",
        data=lambda: to_csv(listing, decimals=4),
        file_name=f"territoires-{scene.listing_level}.csv",
        mime="text/csv",
        on_click="ignore",
    )
with actor_tab:
    limit = mapview.MARKER_LIMIT
    rows = scene.shown.head(limit)
    table_key = f"{K.ACTOR_TABLE}|{view_key}"
    st.caption("Cochez une ligne pour ouvrir la fiche de l'acteur.")
    if len(scene.shown) > limit:
        st.caption(
            f"Les {formats.number(limit)} premiers acteurs sont affichés ; le fichier "
            "CSV les contient tous."
        )
    st.dataframe(
        details.actor_table(rows),
        hide_index=True,
        key=table_key,
        on_select=functools.partial(
            on_actor_row, table_key, [str(i) for i in rows.index]
        ),
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
