"""Couverture: the launch budget simulator (the cahier's whole financial model).

Drawn in the Couverture page's « Budget de lancement » block when it is open.
A Streamlit fragment: editing a parameter reruns the budget only. It writes
the page's state, the budget's part included, to the URL.
"""

from __future__ import annotations

import altair as alt
import streamlit as st

from ess_geo.analysis import budget
from ess_geo.errors import EssGeoError
from ess_geo.io import exports
from ess_geo.pages import couverture
from ess_geo.pages.couverture import BUDGET_PARAMS, CouvertureState
from ess_geo.report import charts
from ess_geo.ui.frames import number_column, responsive_table
from ess_geo.ui.keys import CouvertureKeys as K
from ess_geo.ui.messages import show_error, show_problem
from ess_geo.ui.query import set_query_params
from ess_geo.ui.url_widgets import remember_url, seed_from_url

__all__ = ["budget_simulator"]

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _inputs(fields: tuple[str, ...], per_row: int) -> dict:
    columns = st.columns(per_row)
    return {
        field: columns[i % per_row].number_input(
            couverture.budget_label(field),
            min_value=BUDGET_PARAMS[field].low,
            max_value=BUDGET_PARAMS[field].high,
            step=BUDGET_PARAMS[field].step,
            key=K.budget(field),
            help=budget.BUDGET_SOURCES[field],
        )
        for i, field in enumerate(fields)
    }


def _controls(state: CouvertureState, ranked_codes: list[str]) -> dict[str, object]:
    """Widget key -> value of the simulator's controls, for a state."""
    return {
        K.RETAINED: state.selected(ranked_codes),
        **{K.budget(field): value for field, value in state.form_values().items()},
    }


@st.fragment
def budget_simulator(state: CouvertureState, labels: dict[str, str]) -> None:
    """The launch budget of the retained prospects; reruns on its own.

    Parameters
    ----------
    state : CouvertureState
        The page's state (level, retained prospects, budget parameters).
    labels : dict
        Code -> label of the ranked prospects, best first.
    """
    st.markdown(
        "Pour chaque territoire retenu : une étude de faisabilité si vous le "
        "choisissez, une phase de mobilisation, puis l'animation d'un réseau ; "
        "pour chaque région concernée, une mission régionale d'appui comptée "
        "une fois. Le financement public est le coût moins les cotisations des "
        "membres, réparti entre les financeurs. Chaque paramètre est "
        "modifiable ; sa valeur par défaut et sa source sont dans l'aide (?)."
    )
    # A rerun of this fragment alone keeps the arguments of the page's last
    # run: the retained prospects and the budget are read from the URL, where
    # the fragment's previous run wrote them.
    current, _ = CouvertureState.from_query(st.query_params)
    state = state.replace(selection=current.selection, budget=current.budget)
    ranked_codes = list(labels)
    selection_default = state.selected(ranked_codes)
    # Keyed widgets, given the URL's values only when the URL changed behind
    # the simulator's back: a default taken from the URL lost every second change.
    seed_from_url(K.BUDGET_URL, _controls(state, ranked_codes))
    kept = set(ranked_codes)  # another level or région: other prospects
    st.session_state[K.RETAINED] = [
        code for code in st.session_state[K.RETAINED] if code in kept
    ]
    chosen = st.multiselect(
        "Territoires retenus (par rang de prospection)",
        ranked_codes,
        key=K.RETAINED,
        format_func=labels.get,
        placeholder="Choisissez des territoires",
        help=f"Par défaut les {couverture.DEFAULT_SELECTION} mieux classés ; ils "
        "sont entourés de noir sur la carte.",
    )
    chosen = [code for code in ranked_codes if code in set(chosen)]  # rank order
    values = _inputs(couverture.MAIN_BUDGET_FIELDS, 3)
    with st.expander("Étude de faisabilité, mission régionale et financeurs"):
        values |= _inputs(couverture.STUDY_FIELDS, 3)
        st.markdown("**Répartition du financement public (%, total 100)**")
        values |= _inputs(couverture.SHARE_FIELDS, 5)
    try:
        assumptions, problem = couverture.budget_from_form(values)
    except EssGeoError as exc:
        show_error(exc)
    if problem:
        show_problem(problem)
    state = state.with_selection(chosen, ranked_codes).replace(budget=assumptions)
    set_query_params(**state.to_query())
    remember_url(K.BUDGET_URL, _controls(state, ranked_codes))
    if chosen != selection_default:
        st.rerun(scope="app")  # outline the new selection on the map
    regions = couverture.budget_regions(state.level, chosen)
    years = budget.simulate_budget(chosen, assumptions, regions=regions)
    totals = budget.budget_summary(years)
    for column, (label, value) in zip(
        st.columns(3),
        couverture.budget_metrics(totals, assumptions.horizon_years),
        strict=True,
    ):
        column.metric(label, value)
    if not chosen:
        st.caption("Retenez au moins un territoire pour chiffrer son lancement.")
    sheets = budget.budget_sheets(
        chosen,
        assumptions,
        names=labels,
        regions=regions,
        region_names=couverture.region_names(),
    )
    if warning := couverture.range_warning(sheets):
        st.warning(warning)
    table = budget.display_budget(years)
    euros = {
        column: number_column(column, 0)
        for column in [
            *table.columns,
            *sheets["Par financeur"].columns,
            *sheets["Territoires retenus"].columns,
        ]
        if column.endswith("(€)")
    }
    responsive_table(
        table,
        "budget",
        ["Année", "Financement public (€)"],
        hide_index=True,
        width="stretch",
        column_config={c: v for c, v in euros.items() if c in table.columns},
    )
    with st.expander("Détail par territoire retenu"):
        retained = sheets["Territoires retenus"]
        responsive_table(
            retained,
            "budget_territoires",
            ["Territoire", "Financement public (€)"],
            hide_index=True,
            width="stretch",
            column_config={c: v for c, v in euros.items() if c in retained.columns},
        )
    st.markdown("**Qui finance quoi, par année**")
    funders = sheets["Par financeur"]
    responsive_table(
        funders,
        "budget_financeurs",
        ["Financeur", "Total (€)"],
        hide_index=True,
        width="stretch",
        column_config={c: v for c, v in euros.items() if c in funders.columns},
    )
    chart = couverture.budget_chart_frame(years)
    series = [str(c) for c in chart.columns]
    st.altair_chart(
        charts.stacked_bars(
            chart,
            x_title="Année",
            y_title="Euros",
            description="Financement public par financeur et cotisations des "
            "membres, par année",
        ).encode(
            color=alt.Color(
                "serie:N",
                title=None,
                sort=series,
                scale=alt.Scale(
                    domain=series, range=couverture.budget_chart_colours(chart)
                ),
                legend=alt.Legend(orient="top", direction="vertical"),
            )
        ),
        width="stretch",
    )
    down_left, down_right = st.columns(2)
    down_left.download_button(
        "Télécharger le budget (CSV)",
        lambda: budget.budget_csv(sheets),
        file_name="budget-lancement.csv",
        mime="text/csv",
        on_click="ignore",
    )
    down_right.download_button(
        "Télécharger le budget et ses hypothèses (XLSX)",
        lambda: exports.to_xlsx(sheets),
        file_name="budget-lancement.xlsx",
        mime=_XLSX,
        on_click="ignore",
    )
