"""Couverture: where territorial networks are, where none is, whom to prospect.

State in the URL: ``niveau`` (epci, pays, pnr), ``region`` (INSEE code),
``seuil`` (percent), ``approx`` and ``projets`` (1 = count them), ``poids``
(weights that differ from the defaults, ``key:value,…``), ``sel`` (codes of
the prospects retained for the budget, comma-separated) and the budget
parameters ``mob``, ``duree``, ``anim``, ``cotis`` (percent), ``horizon``,
``rythme``.
"""

import streamlit as st
from streamlit_folium import st_folium

from ess_geo import formats, maps, ui
from ess_geo.analysis import budget, coverage
from ess_geo.errors import CoverageError, EssGeoError
from ess_geo.geo import geography
from ess_geo.io import exports
from ess_geo.maps import coverage_map

LEVELS = ["epci", "pays", "pnr"]
DEFAULT_SELECTION = 5

st.title("Couverture des territoires par les réseaux de l'ESS")
st.markdown(
    "Où un réseau territorial d'acteurs de l'ESS existe, où il n'y en a pas, et "
    "quels territoires prospecter d'abord pour en faire naître un, avec le "
    "budget de lancement qu'implique le modèle du cahier du CNCRES (2011)."
)

regions = geography.territories("region")
region_codes = ["", *regions.sort_values("nom").index]
with st.sidebar:
    level = st.selectbox(
        "Niveau des territoires",
        LEVELS,
        index=LEVELS.index(ui.query_choice("niveau", LEVELS, "epci")),
        format_func=lambda key: geography.LEVEL_LABELS[key],
    )
    region = st.selectbox(
        "Région",
        region_codes,
        index=region_codes.index(ui.query_choice("region", region_codes, "")),
        format_func=lambda code: regions.at[code, "nom"] if code else "Toute la France",
        help="Les territoires dont la population vit surtout dans la région, "
        "classés entre eux.",
    )
    threshold = st.slider(
        "Seuil de couverture (% de la population)",
        min_value=50,
        max_value=100,
        value=int(ui.query_number("seuil", 90, 50, 100)),
        step=5,
        help="Un territoire est « couvert » quand au moins cette part de sa "
        "population vit dans le périmètre d'un réseau.",
    )
    count_inexact = st.checkbox(
        "Compter les réseaux au périmètre approximatif",
        value=st.query_params.get("approx") == "1",
        help="Réseaux régionaux décrits par les départements de leur ancienne "
        "région, qu'ils ne couvrent qu'en partie (data/reference/SOURCES.md). "
        "Par défaut, ils ne font pas compter un territoire comme couvert.",
    )
    count_projects = st.checkbox(
        "Compter les réseaux en projet",
        value=st.query_params.get("projets") == "1",
    )

try:
    url_weights = coverage.weights_from_text(st.query_params.get("poids", ""))
except CoverageError:
    url_weights = dict(coverage.DEFAULT_WEIGHTS)
with st.expander("Pondération du score de prospection"):
    st.markdown(
        "Le score (0 à 100) est la moyenne des composantes ci-dessous, chacune "
        "ramenée entre 0 et 1, pondérée par ces poids. Mettez un poids à 0 pour "
        "ignorer une composante."
    )
    weights = {}
    for key, component in coverage.COMPONENTS.items():
        weights[key] = st.slider(
            component.label,
            min_value=0.0,
            max_value=5.0,
            value=url_weights[key],
            step=0.5,
            help=f"{component.measure[0].upper()}{component.measure[1:]} ; "
            f"normalisation : {component.normalised}.",
        )

network_table, perimeters, _ = ui.network_tables()
try:
    table = coverage.gaps(
        network_table,
        perimeters,
        None,
        level,
        inputs=ui.ess_inputs(level),
        threshold=threshold / 100,
        count_inexact=count_inexact,
        count_projects=count_projects,
        weights=weights,
        region=region or None,
    )
except EssGeoError as exc:
    ui.show_error(exc)

ui.set_query_params(
    niveau=level if level != "epci" else None,
    region=region or None,
    seuil=str(threshold) if threshold != 90 else None,
    approx="1" if count_inexact else None,
    projets="1" if count_projects else None,
    poids=coverage.weights_to_text(weights) or None,
)

figures = coverage.summary(table)
where = regions.at[region, "nom"] if region else "France"
cols = st.columns(4)
cols[0].metric("Couverts", formats.number(figures["couverte"]))
cols[1].metric("Partiellement couverts", formats.number(figures["partielle"]))
cols[2].metric("Non couverts", formats.number(figures["non_couverte"]))
cols[3].metric(
    "Population couverte",
    "—"
    if figures["population"] == 0
    else f"{formats.number(100 * figures['part_population_couverte'])} %",
)
level_label = geography.LEVEL_LABELS[level]
st.caption(
    f"{level_label} — {where} : {len(table)} territoires"
    + (
        f", dont {figures['inconnue']} au périmètre inconnu (PNR listés sans leurs "
        "communes)"
        if figures["inconnue"]
        else ""
    )
    + "."
)

ranked = coverage.display_prospects(table)
labels = coverage.prospect_labels(table)
ranked_codes = list(labels)
if "sel" in st.query_params:  # "aucun": the user removed every territory
    chosen_in_url = st.query_params["sel"].split(",")
    selection_default = [code for code in ranked_codes if code in chosen_in_url]
else:
    selection_default = ranked_codes[:DEFAULT_SELECTION]

features = coverage_map.coverage_features(ui.layer_features(level), table)
region_features = ui.layer_features("region")
fit = (
    maps.select_features(region_features, [region])
    if region
    else (features if level != "epci" else None)
)
st_folium(
    coverage_map.coverage_map(
        features,
        figures,
        level=level,
        fit=fit,
        selected=maps.select_features(features, selection_default),
        context=region_features,
    ),
    key=ui.CouvertureKeys.MAP,
    height=540,
    use_container_width=True,
    returned_objects=[],
)

st.header("Territoires à prospecter")
if ranked.empty:
    st.info(
        "Aucun territoire à classer : tous ceux dont la couverture est connue "
        "sont couverts à ce seuil."
    )
else:
    st.markdown(
        f"{len(ranked)} territoires partiellement ou non couverts, du meilleur "
        "prospect au moins bon. Chaque composante est entre 0 et 1 ; le détail "
        "de leur calcul est dans « Pondération du score » et dans l'export."
    )
    component_columns = {
        coverage.component_header(key): st.column_config.ProgressColumn(
            help=f"{c.measure} ; {c.normalised}",
            min_value=0.0,
            max_value=1.0,
            format="%.2f",
        )
        for key, c in coverage.COMPONENTS.items()
    }
    st.dataframe(
        ranked,
        hide_index=True,
        width="stretch",
        height=400,
        column_config={
            "Score": st.column_config.ProgressColumn(
                "Score", min_value=0.0, max_value=100.0, format="%.1f"
            ),
            "Part couverte": st.column_config.NumberColumn(format="percent"),
            "Population": st.column_config.NumberColumn(format="localized"),
            "Emplois": st.column_config.NumberColumn(format="localized"),
            **component_columns,
        },
    )
    method = coverage.method_table(weights, threshold / 100)
    stem = f"prospects-{level}" + (f"-{region}" if region else "")
    down_left, down_right = st.columns(2)
    down_left.download_button(
        "Télécharger les prospects (CSV)",
        exports.to_csv(ranked, decimals=4),
        file_name=f"{stem}.csv",
        mime="text/csv",
    )
    down_right.download_button(
        "Télécharger les prospects et la méthode (XLSX)",
        exports.to_xlsx({"Prospects": ranked, "Méthode": method}),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@st.fragment
def budget_simulator(labels: dict[str, str], selection_default: list[str]) -> None:
    """The launch budget of the retained prospects; reruns on its own."""
    st.header("Budget de lancement")
    st.markdown(
        "Pour chaque territoire retenu : une phase de mobilisation, puis "
        "l'animation d'un réseau. Le financement public nécessaire est le coût "
        "moins les cotisations des membres. Chaque paramètre est modifiable ; "
        "sa valeur par défaut et sa source sont dans l'aide (?)."
    )
    ranked_codes = list(labels)
    chosen = st.multiselect(
        "Territoires retenus (par rang de prospection)",
        ranked_codes,
        default=selection_default,
        format_func=labels.get,
        help=f"Par défaut les {DEFAULT_SELECTION} mieux classés ; ils sont "
        "entourés de noir sur la carte.",
    )
    chosen = [code for code in ranked_codes if code in set(chosen)]  # rank order
    defaults = budget.budget_defaults()
    left, middle, right = st.columns(3)
    values = {
        "mobilisation_cost": left.number_input(
            budget.BUDGET_LABELS["mobilisation_cost"],
            min_value=0,
            max_value=1_000_000,
            step=1_000,
            value=int(ui.query_number("mob", defaults["mobilisation_cost"], 0, 1e6)),
            help=budget.BUDGET_SOURCES["mobilisation_cost"],
        ),
        "mobilisation_years": left.number_input(
            budget.BUDGET_LABELS["mobilisation_years"],
            min_value=0,
            max_value=10,
            value=int(ui.query_number("duree", defaults["mobilisation_years"], 0, 10)),
            help=budget.BUDGET_SOURCES["mobilisation_years"],
        ),
        "animation_cost": middle.number_input(
            budget.BUDGET_LABELS["animation_cost"],
            min_value=0,
            max_value=1_000_000,
            step=1_000,
            value=int(ui.query_number("anim", defaults["animation_cost"], 0, 1e6)),
            help=budget.BUDGET_SOURCES["animation_cost"],
        ),
        "member_share": middle.number_input(
            "Part de l'animation financée par les cotisations (%)",
            min_value=0,
            max_value=100,
            value=int(ui.query_number("cotis", 100 * defaults["member_share"], 0, 100)),
            help=budget.BUDGET_SOURCES["member_share"],
        )
        / 100,
        "horizon_years": right.number_input(
            budget.BUDGET_LABELS["horizon_years"],
            min_value=1,
            max_value=30,
            value=int(ui.query_number("horizon", defaults["horizon_years"], 1, 30)),
            help=budget.BUDGET_SOURCES["horizon_years"],
        ),
        "launches_per_year": right.number_input(
            budget.BUDGET_LABELS["launches_per_year"],
            min_value=0,
            max_value=100,
            value=int(ui.query_number("rythme", defaults["launches_per_year"], 0, 100)),
            help=budget.BUDGET_SOURCES["launches_per_year"],
        ),
    }
    ui.set_query_params(
        sel=None
        if chosen == ranked_codes[:DEFAULT_SELECTION]
        else ",".join(chosen) or "aucun",
        **{
            param: None if values[key] == defaults[key] else f"{values[key]:g}"
            for key, param in {
                "mobilisation_cost": "mob",
                "mobilisation_years": "duree",
                "animation_cost": "anim",
                "horizon_years": "horizon",
                "launches_per_year": "rythme",
            }.items()
        },
        cotis=None
        if values["member_share"] == defaults["member_share"]
        else f"{100 * values['member_share']:g}",
    )
    if chosen != selection_default:
        st.rerun(scope="app")  # outline the new selection on the map
    try:
        assumptions = budget.BudgetAssumptions(**values)
    except EssGeoError as exc:
        ui.show_error(exc)
    years = budget.simulate_budget(chosen, assumptions)
    totals = budget.budget_summary(years)
    horizon = assumptions.horizon_years
    cols = st.columns(3)
    cols[0].metric(
        f"Coût total sur {horizon} ans", f"{formats.number(totals['cout_total'])} €"
    )
    cols[1].metric(
        f"Financement public sur {horizon} ans",
        f"{formats.number(totals['financement_public'])} €",
    )
    cols[2].metric(
        "Financement public moyen par an",
        f"{formats.number(totals['financement_public_moyen'])} €",
    )
    if not chosen:
        st.caption("Retenez au moins un territoire pour chiffrer son lancement.")
    table = budget.display_budget(years)
    exported = budget.display_budget(years, total=True)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            column: st.column_config.NumberColumn(format="localized")
            for column in table.columns
            if column.endswith("(€)")
        },
    )
    st.bar_chart(
        years.set_index("annee")[["financement_public", "cotisations"]].rename(
            columns={
                "financement_public": "Financement public",
                "cotisations": "Cotisations des membres",
            }
        ),
        x_label="Année",
        y_label="Euros",
        height=260,
        alt="Financement public et cotisations des membres, par année",
    )
    hypotheses = budget.assumptions_table(assumptions)
    down_left, down_right = st.columns(2)
    down_left.download_button(
        "Télécharger le budget (CSV)",
        exports.to_csv(exported),
        file_name="budget-lancement.csv",
        mime="text/csv",
    )
    down_right.download_button(
        "Télécharger le budget et ses hypothèses (XLSX)",
        exports.to_xlsx({"Budget": exported, "Hypothèses": hypotheses}),
        file_name="budget-lancement.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


budget_simulator(labels, selection_default)
st.caption(
    "L'adresse de cette page reproduit la vue (niveau, région, seuil, poids, "
    "territoires retenus, paramètres du budget) : copiez-la pour la partager."
)
