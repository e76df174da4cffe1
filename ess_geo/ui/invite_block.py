"""Réseaux: who to invite into the network shown (its perimeter's non-members)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ess_geo.actors import FAMILY_LABELS, naf_sections
from ess_geo.analysis import filters, invite
from ess_geo.io import exports
from ess_geo.pages import reseaux
from ess_geo.ui.caches import actors
from ess_geo.ui.keys import ReseauxKeys

__all__ = ["invite_section"]

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def invite_section(
    table: pd.DataFrame,
    perimeters: pd.DataFrame,
    members: pd.DataFrame,
    network_id: int,
    member_count: int,
) -> None:
    """Who to invite: filters, the count against 10–30, the list, its exports.

    Parameters
    ----------
    table, perimeters, members : pandas.DataFrame
        The workspace's networks, perimeters and memberships.
    network_id : int
        The network shown.
    member_count : int
        Its members today.
    """
    st.markdown("#### Qui inviter ?")
    st.markdown(
        "Les acteurs de l'ESS du périmètre qui ne sont pas membres du réseau : "
        "d'abord les employeurs, par nombre d'emplois, puis ceux dont l'effectif "
        "est inconnu, puis les non-employeurs ; à égalité, par nom."
    )
    sections = naf_sections()
    left, middle, right = st.columns(3)
    chosen = filters.ActorFilters(
        familles=tuple(
            left.multiselect(
                "Familles",
                list(FAMILY_LABELS),
                format_func=FAMILY_LABELS.get,
                placeholder="Toutes les familles",
                key=ReseauxKeys.invite(f"familles.{network_id}"),
            )
        ),
        secteurs=tuple(
            middle.multiselect(
                "Secteurs (sections NAF)",
                list(sections.index),
                format_func=lambda s: f"{s} – {sections[s]}",
                placeholder="Tous les secteurs",
                key=ReseauxKeys.invite(f"secteurs.{network_id}"),
            )
        ),
        tailles=tuple(
            right.multiselect(
                "Tailles",
                list(filters.SIZE_CLASSES),
                format_func=filters.SIZE_CLASSES.get,
                placeholder="Toutes les tailles",
                key=ReseauxKeys.invite(f"tailles.{network_id}"),
            )
        ),
    )
    result = invite.invite(
        table, perimeters, actors(), members, str(network_id), chosen
    )
    st.info(invite.target_status(member_count, len(result)), icon="ℹ️")
    shown = reseaux.invite_table(result)
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=320,
        column_config={
            "Emplois": st.column_config.NumberColumn(format="localized"),
            "Site web": st.column_config.LinkColumn(),
        },
    )
    stem = reseaux.invite_stem(network_id)
    down_left, down_right = st.columns(2)
    down_left.download_button(
        "Télécharger les acteurs à inviter (CSV)",
        lambda: exports.to_csv(shown),
        file_name=f"{stem}.csv",
        mime="text/csv",
        on_click="ignore",
    )
    down_right.download_button(
        "Télécharger les acteurs à inviter (XLSX)",
        lambda: exports.to_xlsx({"À inviter": shown}),
        file_name=f"{stem}.xlsx",
        mime=_XLSX,
        on_click="ignore",
    )
