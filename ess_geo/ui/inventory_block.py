"""Declared network inventories on the pages: read them, and the staff's form.

The Couverture page shows which régions declared their inventory of
territorial networks complete; the Données page (staff) lists the
declarations and lets staff change one (journaled, undoable from the
journal). The writes themselves go through
:func:`ess_geo.workspace.inventories.declare_inventory`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ess_geo.errors import EssGeoError
from ess_geo.geo import geography
from ess_geo.ui.caches import workspace
from ess_geo.ui.keys import DonneesKeys
from ess_geo.ui.messages import show_problem
from ess_geo.workspace import inventories

__all__ = ["inventory_declarations", "inventory_form"]


def inventory_declarations() -> pd.DataFrame:
    """Every région's declaration (``inventories.read_inventories``)."""
    with workspace() as conn:
        return inventories.read_inventories(conn)


def inventory_form(who: str | None) -> str | None:
    """The declarations as a table, and a form to change one région's.

    A submitted declaration is written (journaled); a refused one is
    explained in French and nothing is written.

    Parameters
    ----------
    who : str or None
        The signed-in staff member.

    Returns
    -------
    str or None
        The confirmation of a declaration just written, or None.
    """
    st.subheader("Inventaires des réseaux par région")
    st.markdown(
        "Un territoire sans réseau connu n'est une vraie lacune que si "
        "l'inventaire des réseaux de sa région est complet. "
        f"{inventories.CAHIER_2011} Déclarez ici, région par région, si la liste "
        "des réseaux de l'espace de travail est complète, et sur quelle source. "
        "Chaque déclaration est inscrite au journal et peut être annulée."
    )
    table = inventory_declarations()
    st.dataframe(inventories.inventory_table(table), hide_index=True, width="stretch")
    regions = geography.territories("region")["nom"]
    with st.form(DonneesKeys.INVENTORY_FORM):
        region = st.selectbox(
            "Région",
            list(regions.index),
            format_func=lambda code: f"{regions[code]} ({code})",
        )
        complete = st.radio(
            "Inventaire des réseaux territoriaux",
            [True, False],
            format_func=lambda value: "complet" if value else "incomplet",
            horizontal=True,
        )
        level = st.text_input(
            "Niveau auquel il est complet (pays, EPCI…)", max_chars=40
        )
        source = st.text_area(
            "Source de la déclaration (liste, personne, date)",
            max_chars=inventories.MAX_SOURCE_CHARS,
        )
        submitted = st.form_submit_button("Enregistrer la déclaration")
    if not submitted:
        return None
    try:
        with workspace() as conn:
            audit_id = inventories.declare_inventory(
                conn, region, bool(complete), source=source, level=level, who=who
            )
    except EssGeoError as exc:
        show_problem(exc)
        return None
    return (
        f"Inventaire des réseaux de {regions[region]} déclaré "
        f"{'complet' if complete else 'incomplet'} (modification n° {audit_id}, "
        "annulable depuis le journal)."
    )
