"""Carte: ESS actors on EPCI, pays and PNR boundaries.

State in the URL: ``fond`` (basemap), ``dep`` (département code),
``epci`` (SIREN).
"""

import streamlit as st
from streamlit_folium import st_folium

from ess_geo import actors as actor_rules
from ess_geo import geography, maps, ui

st.title("Carte des acteurs de l'ESS")

departements = geography.territories("departement")
epcis = geography.territories("epci")

with st.sidebar:
    basemap = st.selectbox(
        "Fond de carte",
        list(maps.BASEMAPS),
        index=list(maps.BASEMAPS).index(
            ui.query_choice("fond", list(maps.BASEMAPS), "aucun")
        ),
        format_func=lambda key: maps.BASEMAPS[key].label,
        help="Les fonds OpenStreetMap et IGN demandent une connexion internet ; "
        "la carte fonctionne sans.",
    )
    dep_options = ["", *departements.index]
    dep = st.selectbox(
        "Département",
        dep_options,
        index=dep_options.index(ui.query_choice("dep", dep_options, "")),
        format_func=lambda code: (
            "Toute la France"
            if not code
            else f"{code} – {departements.at[code, 'nom']}"
        ),
    )
    epci_options = [""]
    if dep:
        epci_options += sorted(
            geography.overlapping("departement", dep, "epci"),
            key=lambda c: epcis.at[c, "nom"],
        )
    epci = st.selectbox(
        "EPCI",
        epci_options,
        index=epci_options.index(ui.query_choice("epci", epci_options, "")),
        format_func=lambda code: (
            "Tout le département" if not code else epcis.at[code, "nom"]
        ),
        disabled=not dep,
        help="Choisissez d'abord un département.",
    )
ui.set_query_params(
    fond=basemap if basemap != "aucun" else None, dep=dep or None, epci=epci or None
)

level, code = ("epci", epci) if epci else ("departement", dep) if dep else (None, None)
overlays = {
    "epci": ui.layer_features("epci"),
    "pays": ui.layer_features("pays"),
    "pnr": ui.layer_features("pnr"),
}
everyone = ui.actors()

if level is None:
    shown = None
    view = maps.FRANCE_VIEW
    selection = None
    st.markdown(
        f"**{len(everyone):,}** acteurs de l'ESS en France. Choisissez un département "
        "pour les voir sur la carte.".replace(",", "\u202f")
    )
else:
    layer = geography.load_layer(level)
    selected = layer[layer["code"] == code]
    shown = actor_rules.in_territory(everyone, level, code)
    view = maps.view_for_bounds(tuple(selected.total_bounds))
    selection = maps.territory_features(selected, ["nom"])
    name = selected["nom"].iloc[0]
    st.markdown(
        f"**{len(shown):,}** acteurs de l'ESS dans **{name}**.".replace(",", "\u202f")
    )
st.session_state[ui.KEY_MAP_VIEW] = view

folium_map = maps.carte_map(
    basemap=basemap, view=view, overlays=overlays, selection=selection, actors=shown
)
st_folium(
    folium_map,
    key="carte",
    height=620,
    use_container_width=True,
    returned_objects=[],
)

if shown is not None and len(shown):
    with st.expander(f"Liste des {len(shown)} acteurs affichés"):
        st.dataframe(actor_rules.display_table(shown), hide_index=True, width="stretch")
