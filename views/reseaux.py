"""Réseaux: the territorial ESS networks, the source document's figures, a network.

State in the URL: see :mod:`ess_geo.pages.reseaux`.
"""

import streamlit as st
from streamlit_folium import st_folium

from ess_geo import actors as actor_rules
from ess_geo import maps, text, ui
from ess_geo.io import exports
from ess_geo.maps import coverage_map
from ess_geo.pages import reseaux
from ess_geo.pages.reseaux import ReseauxState
from ess_geo.report import charts
from ess_geo.workspace import networks

st.title("Réseaux territoriaux de l'ESS")
st.markdown(
    "Pôles, conseils locaux, comités territoriaux, collectifs, clusters : les "
    "réseaux qui rassemblent les acteurs de l'ESS d'un territoire. Leur "
    "couverture et les territoires à prospecter sont sur la page **Couverture**."
)

table, perimeters, members = ui.network_tables()
if table.empty:
    st.info(
        "Aucun réseau dans l'espace de travail. Importez un fichier de réseaux "
        "avec « python -m ess_geo import-networks FICHIER.csv »."
    )
    st.stop()
listing = networks.display_table(table, perimeters)
state, ignored = ReseauxState.from_query(st.query_params, listing)
ui.show_ignored(ignored)
K = ui.ReseauxKeys


def controls(s: ReseauxState) -> dict[str, str]:
    """Widget key -> value of the list's filters and the network shown."""
    return {K.REGION: s.region, K.KIND: s.kind, K.NETWORK: s.network}


# Keyed widgets, given the URL's values only when the URL changed behind
# the page's back: a default taken from the URL lost every second change.
ui.seed_from_url(K.URL, controls(state))

st.header("Les chiffres du cahier du CNCRES, recalculés")
st.table(reseaux.figures_table(networks.figures(table, perimeters, members)))
st.caption(
    "Le cahier « Des réseaux territoriaux d'acteurs de l'ESS moteurs du "
    "développement local » (CNCRES, 2011) recensait environ 40 réseaux dans 8 "
    "régions et une dizaine en projet, de 10 à 30 membres chacun, plus de 1 000 "
    "structures en tout. La région d'un réseau est celle où vit la plus grande "
    "part de la population de son périmètre."
)
left, right = st.columns(2)
with left:
    st.markdown("**Réseaux par région**")
    st.altair_chart(
        charts.count_bars(
            networks.by_region(table, perimeters),
            "region",
            "reseaux",
            category_title="Région",
            value_title="Réseaux",
            description="Nombre de réseaux territoriaux par région",
            horizontal=True,
            sort_by_value=True,
        ),
        width="stretch",
    )
with right:
    st.markdown("**Membres par réseau**")
    st.altair_chart(
        charts.count_bars(
            networks.member_classes(table),
            "membres",
            "reseaux",
            category_title="Nombre de membres",
            value_title="Réseaux",
            description="Nombre de réseaux par classe de nombre de membres",
        ),
        width="stretch",
    )

st.header("Liste des réseaux")
regions = reseaux.region_options(listing)
filter_left, filter_right = st.columns(2)
ui.keep_if_among(K.REGION, regions)
region = filter_left.selectbox(
    "Région", regions, key=K.REGION, format_func=reseaux.region_label
)
kind = filter_right.selectbox(
    "Type de réseau",
    reseaux.KIND_OPTIONS,
    key=K.KIND,
    format_func=reseaux.kind_label,
)
shown = networks.display_table(table, perimeters, region=region, kind=kind)
st.caption(reseaux.count_caption(shown, listing))
ui.responsive_table(
    shown,
    "reseaux",
    list(shown.columns[:2]),
    hide_index=True,
    width="stretch",
    column_config={"Source": st.column_config.TextColumn(width="medium")},
)
download_left, download_right = st.columns(2)
download_left.download_button(
    "Télécharger la liste (CSV)",
    lambda: exports.to_csv(shown),
    file_name="reseaux.csv",
    mime="text/csv",
    on_click="ignore",
)
download_right.download_button(
    "Télécharger la liste (XLSX)",
    lambda: exports.to_xlsx({"Réseaux": shown}),
    file_name="reseaux.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
)

st.header("Fiche d'un réseau")
choices = reseaux.network_options(shown, listing)
ui.keep_if_among(K.NETWORK, choices, state.network_in(choices))
chosen = st.selectbox(
    "Réseau",
    choices,
    key=K.NETWORK,
    format_func=lambda key: listing.at[int(key), "Nom"],
)
state = state.replace(region=region, kind=kind, network=chosen)
ui.set_query_params(**state.to_query())
ui.remember_url(K.URL, controls(state))

network_id = int(chosen)
network, own = reseaux.network_perimeter(table, perimeters, network_id)
st.markdown(f"### {text.escape_markdown(listing.at[network_id, 'Nom'])}")
if not network["perimetre_exact"]:
    st.warning(
        "Périmètre approximatif : le cahier décrit ce réseau sans liste de "
        "territoires ; les départements indiqués sont ceux de l'ancienne région, "
        "que le réseau ne couvre qu'en partie. Il n'est pas compté dans la "
        "couverture par défaut.",
        icon="⚠️",
    )
ui.safe_table(networks.details(table, perimeters, network_id).set_index("Rubrique"))

member_actors = networks.members_of(network_id, members, ui.actors())
perimeter = maps.territory_features(networks.perimeter_geometry(own), ["nom"])
st_folium(
    coverage_map.network_map(
        perimeter, exact=bool(network["perimetre_exact"]), members=member_actors
    ),
    key=ui.ReseauxKeys.MAP,
    height=460,
    use_container_width=True,
    returned_objects=[],
)

st.markdown("#### Poids de l'ESS sur son territoire")
communes = networks.expand_perimeter(own)["commune"]
ess = networks.perimeter_weight(ui.commune_totals(), communes)
for column, (label, value) in zip(
    st.columns(4), reseaux.weight_metrics(ess), strict=True
):
    column.metric(label, value)
st.caption(reseaux.weight_caption(ess))

st.markdown(f"#### Membres ({len(member_actors)})")
if len(member_actors):
    members = actor_rules.display_table(member_actors)
    ui.responsive_table(
        members, "membres", list(members.columns[:2]), hide_index=True, width="stretch"
    )
else:
    st.caption("Aucun membre enregistré.")

memberships = ui.network_tables()[2]  # `members` above is the display table
ui.invite_section(table, perimeters, memberships, network_id, len(member_actors))
