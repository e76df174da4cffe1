"""Données › Réseaux: reconcile a network's member list with the workspace."""

from __future__ import annotations

import streamlit as st

from ess_geo import formats
from ess_geo.errors import EssGeoError
from ess_geo.pages import members as page
from ess_geo.ui.caches import workspace
from ess_geo.ui.keys import DonneesKeys
from ess_geo.ui.messages import show_problem
from ess_geo.workspace import members

__all__ = ["members_reconciliation"]

_MODES = {
    "fichier": "Un fichier de membres (noms, SIRET si connus)",
    "actuels": "Les membres actuels sans SIRET (après un import SIRENE)",
}


def members_reconciliation(network_id: int, who: str | None) -> None:
    """Match a member list to the workspace, let a person confirm, then write.

    Parameters
    ----------
    network_id : int
        The network being edited.
    who : str or None
        The signed-in staff member, for the journal.
    """
    st.markdown("#### Rapprocher une liste de membres des établissements")
    st.markdown(
        "Même SIRET ; sinon même nom (accents et majuscules ignorés) dans la "
        f"même commune, à moins de {members.MATCH_KM:g} km du lieu indiqué, ou "
        "dans le périmètre du réseau quand la ligne ne dit pas où est le membre. "
        "Cochez les rapprochements à garder : rien n'est écrit avant "
        "« Enregistrer ». Fichier CSV ou XLSX, "
        f"{members.MAX_MEMBER_BYTES // 1_000_000} Mo et "
        f"{formats.number(members.MAX_MEMBER_ROWS)} lignes au plus."
    )
    mode = st.radio(
        "Liste à rapprocher",
        list(_MODES),
        format_func=_MODES.get,
        horizontal=True,
        key=DonneesKeys.member_list(f"mode.{network_id}"),
    )
    try:
        if mode == "fichier":
            uploaded = st.file_uploader(
                "Liste des membres (CSV, XLSX)",
                type=["csv", "txt", "xlsx"],
                key=DonneesKeys.member_list(f"file.{network_id}"),
            )
            if uploaded is None:
                return
            with workspace() as conn:
                result = members.match_file(
                    conn, uploaded.getvalue(), str(network_id), name=uploaded.name
                )
        else:
            with workspace() as conn:
                result = members.match_current(conn, str(network_id))
    except EssGeoError as exc:
        show_problem(exc)
        return
    st.caption(page.match_summary(result))
    if result.rows.empty:
        st.info("Aucun membre à rapprocher.", icon="ℹ️")
        return
    table = page.match_table(result)
    edited = st.data_editor(
        table,
        hide_index=True,
        width="stretch",
        disabled=[c for c in table.columns if c not in (page.CONFIRM, page.ACTOR)],
        column_config={
            page.ACTOR: st.column_config.SelectboxColumn(
                options=page.actor_options(result),
                help="Pour une ligne ambiguë, choisissez l'acteur parmi les "
                "candidats, puis cochez « Confirmer ».",
            )
        },
        key=DonneesKeys.member_list(f"table.{network_id}"),
    )
    chosen = page.confirmed_choices(edited, result)
    if st.button(
        f"Enregistrer les {len(chosen)} adhésion(s) confirmée(s)",
        disabled=not chosen,
        key=DonneesKeys.member_list(f"save.{network_id}"),
    ):
        try:
            with workspace() as conn:
                done = members.apply_matches(
                    conn, result, list(chosen), choices=chosen, who=who
                )
        except EssGeoError as exc:
            show_problem(exc)
            return
        st.session_state[DonneesKeys.MESSAGE] = page.saved_message(done)
        st.rerun()
