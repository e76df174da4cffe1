"""Couverture: the structures motrices of a prospect and its one-click sheet."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ess_geo.analysis import motrices
from ess_geo.analysis.coverage import LEAD_JOBS
from ess_geo.io import exports
from ess_geo.pages.couverture import CouvertureState
from ess_geo.pages.prospect_block import motrices_table, prospect_default
from ess_geo.report import sheet
from ess_geo.ui.caches import actors, network_tables
from ess_geo.ui.coverage_cache import prospect_motrices
from ess_geo.ui.keys import CouvertureKeys

__all__ = ["prospect_section"]

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def prospect_section(
    table: pd.DataFrame, labels: dict[str, str], state: CouvertureState
) -> None:
    """One prospect: its structures motrices (exportable) and its sheet.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`ess_geo.analysis.coverage.gaps` output shown on the page.
    labels : dict
        Code -> label of the ranked prospects, best first.
    state : CouvertureState
        The page's state (level, weights, budget).
    """
    st.subheader("Structures motrices et fiche prospect")
    codes = list(labels)
    code = st.selectbox(
        "Territoire à préparer",
        codes,
        index=prospect_default(state, codes),
        format_func=labels.get,
        key=CouvertureKeys.PROSPECT,
        help="Par défaut le premier territoire retenu pour le budget.",
    )
    everyone = actors()
    found = prospect_motrices(state.level, code)
    st.markdown(
        f"Les {motrices.LIMIT} premières structures à contacter : les employeurs "
        f"de l'ESS de {LEAD_JOBS} emplois ou plus et les structures locales d'un "
        "réseau fédéré (nom d'une fédération ou d'un mouvement, ou établissement d'une "
        "structure présente dans d'autres communes), par emplois décroissants."
    )
    shown = motrices_table(found)
    if shown.empty:
        st.caption("Aucune structure motrice recensée dans ce territoire.")
    else:
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            column_config={
                "Emplois": st.column_config.NumberColumn(format="localized"),
                "Site web": st.column_config.LinkColumn(),
            },
        )
    networks_table, perimeters, _ = network_tables()

    def prospect() -> sheet.ProspectSheet:
        return sheet.build(
            state.level,
            code,
            table,
            networks_table,
            everyone,
            weights=state.weights,
            assumptions=state.budget,
            is_demo=bool(everyone["is_demo"].any()),
            perimeters=perimeters,
        )

    stem = f"structures-motrices-{state.level}-{code}"
    columns = st.columns(4)
    columns[0].download_button(  # made when clicked, not on every run
        "Structures motrices (CSV)",
        lambda: exports.to_csv(shown),
        file_name=f"{stem}.csv",
        mime="text/csv",
        on_click="ignore",
    )
    columns[1].download_button(
        "Structures motrices (XLSX)",
        lambda: exports.to_xlsx({"Structures motrices": shown}),
        file_name=f"{stem}.xlsx",
        mime=_XLSX,
        on_click="ignore",
    )
    name = f"fiche-prospect-{state.level}-{code}"
    columns[2].download_button(
        "Fiche prospect (PDF)",
        data=lambda: sheet.to_pdf(prospect()),
        file_name=f"{name}.pdf",
        mime="application/pdf",
        type="primary",
        on_click="ignore",
        help="Deux pages A4 : carte, chiffres clés, composantes du score, "
        "structures motrices, réseaux voisins, budget et financeurs.",
    )
    columns[3].download_button(
        "Fiche prospect (HTML)",
        data=lambda: sheet.to_html(prospect()).encode("utf-8"),
        file_name=f"{name}.html",
        mime="text/html",
        on_click="ignore",
    )
