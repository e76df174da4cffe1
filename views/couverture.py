"""Couverture: where territorial networks are, where none is, whom to prospect.

State in the URL: see :mod:`ess_geo.pages.couverture` (level, région, threshold,
what is counted, weights, retained prospects, budget parameters).
"""

import folium
import streamlit as st
from streamlit_folium import st_folium

from ess_geo import ui
from ess_geo.analysis import coverage, prospects
from ess_geo.errors import EssGeoError
from ess_geo.geo import geography
from ess_geo.io import exports
from ess_geo.maps import coverage_map
from ess_geo.pages import couverture
from ess_geo.pages.couverture import CouvertureState

st.title("Couverture des territoires par les réseaux de l'ESS")
st.markdown(
    "Où un réseau territorial d'acteurs de l'ESS existe, où il n'y en a pas, et "
    "quels territoires prospecter d'abord pour en faire naître un, avec le "
    "budget de lancement qu'implique le modèle du cahier du CNCRES (2011)."
)

state, ignored = CouvertureState.from_query(st.query_params)
ui.show_ignored(ignored)

region_codes = couverture.region_options()
K = ui.CouvertureKeys


def controls(s: CouvertureState) -> dict[str, object]:
    """Widget key -> value of the sidebar, weights and blocks, for a state."""
    return {
        K.LEVEL: s.level,
        K.REGION: s.region,
        K.THRESHOLD: s.threshold,
        K.COUNT_INEXACT: s.count_inexact,
        K.COUNTING: s.counting,
        K.MIN_EMPLOYERS: s.min_employers,
        **{K.weight(key): float(s.weights[key]) for key in coverage.COMPONENTS},
        **{K.block(name): name in s.blocks for name in couverture.BLOCKS},
    }


# Keyed widgets, given the URL's values only when the URL changed behind
# the page's back: a default taken from the URL lost every second change.
ui.seed_from_url(K.URL, controls(state))
with st.sidebar:
    level = st.selectbox(
        "Niveau des territoires",
        couverture.COVERAGE_LEVELS,
        key=K.LEVEL,
        format_func=lambda key: geography.LEVEL_LABELS[key],
    )
    region = st.selectbox(
        "Région",
        region_codes,
        key=K.REGION,
        format_func=lambda code: (
            couverture.scope_label(code) if code else "Toute la France"
        ),
        help="Les territoires dont la population vit surtout dans la région, "
        "classés entre eux.",
    )
    threshold = st.slider(
        "Seuil de couverture (% de la population)",
        *couverture.THRESHOLD_BOUNDS,
        key=K.THRESHOLD,
        step=5,
        help="Un territoire est « couvert » quand au moins cette part de sa "
        "population vit dans le périmètre d'un réseau.",
    )
    count_inexact = st.checkbox(
        "Compter les réseaux au périmètre approximatif",
        key=K.COUNT_INEXACT,
        help="Réseaux régionaux décrits par les départements de leur ancienne "
        "région, qu'ils ne couvrent qu'en partie (data/reference/SOURCES.md). "
        "Par défaut, ils ne font pas compter un territoire comme couvert.",
    )
    counting = st.radio(
        "Réseaux comptés",
        list(coverage.COUNTING),
        key=K.COUNTING,
        format_func=coverage.COUNTING_LABELS.get,
        help="Par défaut, les réseaux actifs et ceux dont on ne sait pas s'ils "
        "le sont encore (la plupart des réseaux de référence).",
    )
    min_employers = st.number_input(
        "Employeurs de l'ESS nécessaires pour être classé",
        *coverage.MIN_EMPLOYERS_BOUNDS,
        key=K.MIN_EMPLOYERS,
        step=5,
        help="De quoi réunir un réseau de 10 à 30 membres actifs (cahier du "
        "CNCRES, 2011) ; par défaut 30, si un employeur sur trois adhère.",
    )

with st.expander("Pondération du score de prospection"):
    st.markdown(couverture.score_explained())
    weights = {
        key: st.slider(
            component.label,
            *couverture.WEIGHT_BOUNDS,
            key=K.weight(key),
            step=0.5,
            help=couverture.weight_help(component),
        )
        for key, component in coverage.COMPONENTS.items()
    }

state = state.replace(
    level=level,
    region=region,
    threshold=threshold,
    count_inexact=count_inexact,
    counting=counting,
    min_employers=int(min_employers),
    weights=weights,
)

network_table, perimeters, _ = ui.network_tables()
inventory = ui.inventory_declarations()
try:
    view = ui.coverage_view(  # cached: shared frames, never modified here
        level,
        threshold=threshold / 100,
        count_inexact=count_inexact,
        counting=counting,
        complete_regions=inventory.index[inventory["complet"]],
        min_employers=int(min_employers),
        weights=weights,
        region=region or None,
    )
except EssGeoError as exc:
    ui.show_error(exc)
table, figures, ranked, labels = view.table, view.figures, view.ranked, view.labels

for column, (label, value) in zip(
    st.columns(4), couverture.summary_metrics(figures), strict=True
):
    column.metric(label, value)
st.caption(couverture.summary_caption(level, region, len(table), figures))
st.markdown(couverture.inventory_notice(network_table, inventory))
if split := couverture.gap_split(table):
    st.caption(split)

selection_default = state.selected(list(labels))

# The map's frame stays; a change only sends colours and tooltips (the
# shapes were fetched once, see ess_geo.maps.shapes).
st_folium(
    coverage_map.coverage_base(),
    key=ui.CouvertureKeys.MAP,
    height=540,
    use_container_width=True,
    returned_objects=[],
    feature_group_to_add=coverage_map.coverage_groups(
        view.drawn,
        figures,
        level=level,
        fit=couverture.map_view(level, region, view.drawn["code"]),
        selected=selection_default,
    ),
    layer_control=folium.LayerControl(collapsed=True),
)

# Below the map, on demand: their data grids and chart (and the JavaScript
# that draws them) no longer compete with the map on load (issue 17).
boxes = {
    name: st.expander(label, key=K.block(name), on_change="rerun")
    for name, label in couverture.BLOCKS.items()
}
state = state.replace(blocks=tuple(n for n, box in boxes.items() if box.open))
ui.set_query_params(**state.to_query())
ui.remember_url(K.URL, controls(state))


def prospects_block() -> None:
    """The ranked prospects, their downloads, a prospect's motrices and sheet."""
    uncovered = table["couverture"].isin(["partielle", "non_couverte"])
    too_small = int((uncovered & ~table["taille_suffisante"]).sum())
    if ranked.empty:
        st.info(couverture.nothing_ranked(too_small, int(min_employers)))
        return
    st.markdown(couverture.prospects_intro(len(ranked), min_employers, too_small))
    st.caption(couverture.correlation_caption(view.correlation))
    component_columns = {
        prospects.component_header(key): st.column_config.ProgressColumn(
            help=couverture.component_help(c),
            min_value=0.0,
            max_value=1.0,
            format="localized",
            step=0.01,
        )
        for key, c in coverage.COMPONENTS.items()
    }
    ui.responsive_table(
        ranked,
        "prospects",
        ["Rang", "Territoire", "Score"],
        hide_index=True,
        width="stretch",
        height=400,
        column_config={
            "Score": st.column_config.ProgressColumn(
                "Score", min_value=0.0, max_value=100.0, format="localized", step=0.1
            ),
            "Part couverte": ui.number_column("Part couverte", 1, share=True),
            "Population": ui.number_column("Population", 0),
            "Emplois (environ)": ui.number_column("Emplois (environ)", 0),
            **component_columns,
        },
    )
    method = prospects.method_table(
        weights,
        threshold / 100,
        min_employers=int(min_employers),
        counting=counting,
        correlation=view.correlation,
    )
    stem = couverture.export_stem(level, region)
    down_left, down_right = st.columns(2)
    down_left.download_button(  # made when clicked, not on every run
        "Télécharger les prospects (CSV)",
        lambda: exports.to_csv(ranked, decimals=4),
        file_name=f"{stem}.csv",
        mime="text/csv",
        on_click="ignore",
    )
    down_right.download_button(
        "Télécharger les prospects et la méthode (XLSX)",
        lambda: exports.to_xlsx({"Prospects": ranked, "Méthode": method}),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
    )
    ui.prospect_section(table, labels, state)


with boxes["prospects"]:
    if boxes["prospects"].open:
        prospects_block()
with boxes["budget"]:
    if boxes["budget"].open:
        ui.budget_simulator(state, labels)

st.caption(
    "L'adresse de cette page reproduit la vue (niveau, région, seuil, poids, "
    "territoires retenus, paramètres du budget, blocs ouverts) : copiez-la pour "
    "la partager."
)
