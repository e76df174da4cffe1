"""The Données page's forms and pickers: actors, networks, duplicates, undo.

Streamlit rendering only; the options, starting values and labels come from
:mod:`ess_geo.pages.donnees`. Each form returns what the person entered; the
page decides what to write.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from ess_geo.actors.schema import FAMILY_LABELS, display_table
from ess_geo.geo import geography
from ess_geo.io import imports
from ess_geo.pages import donnees as page
from ess_geo.pages.urlstate import option_index
from ess_geo.ui import caches
from ess_geo.ui.keys import DonneesKeys
from ess_geo.workspace import dedup, editing, history
from ess_geo.workspace.networks import KIND_LABELS, STATUS_LABELS

__all__ = [
    "actor_form",
    "actor_picker",
    "candidates_table",
    "members_table",
    "network_form",
    "proposals_picker",
    "undo_picker",
]


def actor_form(
    record: Mapping[str, object], network_options: pd.Series, actor_id: int | None
) -> tuple[dict[str, str], list[int], bool]:
    """An actor's form, empty for a new actor.

    Parameters
    ----------
    record : mapping
        The actor's fields (:func:`ess_geo.workspace.editing.actor_record`),
        ``{}`` for a new one.
    network_options : pandas.Series
        Network names by id, for the membership choice.
    actor_id : int or None
        The actor's id (``None``: a new actor), for the form's widget key.

    Returns
    -------
    values : dict
        Field -> text entered.
    member_of : list of int
        The networks chosen.
    saved : bool
        Whether the form was submitted.
    """
    labels = imports.FIELD_LABELS
    with st.form(DonneesKeys.actor_form(actor_id)):
        values = {"nom": st.text_input(labels["nom"], page.form_text(record, "nom"))}
        grid = st.columns(2)
        values["siret"] = grid[0].text_input(
            labels["siret"], page.form_text(record, "siret")
        )
        values["famille"] = grid[1].selectbox(
            labels["famille"],
            page.FAMILIES,
            index=option_index(page.FAMILIES, record.get("famille"), page.FAMILIES[0]),
            format_func=FAMILY_LABELS.get,
        )
        others = [n for n in editing.ACTOR_FORM_FIELDS if n not in values]
        for position, name in enumerate(others):
            values[name] = grid[position % 2].text_input(
                labels[name], page.form_text(record, name)
            )
        member_of = st.multiselect(
            "Réseaux",
            list(network_options.index),
            default=page.kept(record.get("reseaux", []), network_options.index),
            format_func=network_options.get,
            placeholder="Aucun réseau",
        )
        saved = st.form_submit_button("Enregistrer", type="primary")
    return values, member_of, saved


def network_form(
    record: Mapping[str, object], network_id: int | None
) -> tuple[dict[str, str], str, list[str], bool]:
    """A network's form, empty for a new network.

    The perimeter's level is chosen outside the form, so that the list of
    territories follows it.

    Parameters
    ----------
    record : mapping
        The network's fields (:func:`ess_geo.workspace.editing.network_record`),
        ``{}`` for a new one.
    network_id : int or None
        The network's id (``None``: a new network), for the widget keys.

    Returns
    -------
    values : dict
        Field -> text or choice entered.
    level : str
        The perimeter's level.
    codes : list of str
        The perimeter's territories.
    saved : bool
        Whether the form was submitted.
    """
    levels = page.NETWORK_CHOICES["level"][0]
    level = st.selectbox(
        "Niveau du périmètre",
        levels,
        index=page.network_start(record, "level"),
        format_func=geography.LEVEL_LABELS.get,
        key=DonneesKeys.network_level(network_id),
    )
    codes = page.perimeter_codes(record, level)
    labels = editing.NETWORK_FIELD_LABELS
    with st.form(DonneesKeys.network_form(network_id)):
        values = {"nom": st.text_input(labels["nom"], page.form_text(record, "nom"))}
        grid = st.columns(2)
        values["kind"] = grid[0].selectbox(
            labels["kind"],
            page.NETWORK_CHOICES["kind"][0],
            index=page.network_start(record, "kind"),
            format_func=KIND_LABELS.get,
        )
        values["status"] = grid[1].selectbox(
            labels["status"],
            page.NETWORK_CHOICES["status"][0],
            index=page.network_start(record, "status"),
            format_func=STATUS_LABELS.get,
        )
        others = [n for n in editing.NETWORK_FORM_FIELDS if n not in values]
        for position, name in enumerate(others):
            values[name] = grid[position % 2].text_input(
                labels[name], page.form_text(record, name)
            )
        if level == "commune":
            typed = st.text_area(
                "Communes (codes INSEE séparés par des virgules)", ", ".join(codes)
            )
            codes = page.commune_codes(typed)
        else:
            territories = geography.territories(level)["nom"]
            codes = st.multiselect(
                "Territoires du périmètre",
                list(territories.index),
                default=page.kept(codes, territories.index),
                format_func=lambda c: f"{territories[c]} ({c})",
                placeholder="Choisissez des territoires",
            )
        saved = st.form_submit_button("Enregistrer", type="primary")
    return values, level, codes, saved


def members_table(network_id: int, record: Mapping[str, object]) -> list[int]:
    """The network's members, to pick some from; returns the ids picked."""
    st.markdown(f"**Membres** ({len(record['membres'])})")
    everyone = caches.actors()
    members = everyone.loc[everyone.index.intersection(record["membres"])]
    selection = st.dataframe(
        display_table(members),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="multi-row",
        key=DonneesKeys.members(network_id),
    )
    return members.index[selection.selection.rows].tolist()


def candidates_table(network_id: int, record: Mapping[str, object]) -> list[int]:
    """Actors found by a search, not yet members, to add some; returns their ids."""
    query = st.text_input(
        "Ajouter des membres : rechercher un acteur", key=DonneesKeys.MEMBER_SEARCH
    )
    if not query:
        return []
    with caches.workspace() as conn:
        found = editing.find_actors(conn, query, limit=50)
    found = found[~found["id"].isin(record["membres"])].reset_index(drop=True)
    picked = st.dataframe(
        editing.found_table(found),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="multi-row",
        key=DonneesKeys.candidates(network_id),
    )
    return found.loc[picked.selection.rows, "id"].tolist()


def proposals_picker(pending: pd.DataFrame) -> list[int]:
    """Pending merge proposals with a checkbox each; returns the ids ticked.

    Parameters
    ----------
    pending : pandas.DataFrame
        As :func:`ess_geo.workspace.dedup.pending_proposals` returns.
    """
    table = dedup.proposals_table(pending)
    edited = st.data_editor(
        table,
        hide_index=True,
        width="stretch",
        disabled=[c for c in table.columns if c != "Choisir"],
        key=DonneesKeys.DUPLICATES,
    )
    return pending.loc[edited["Choisir"].to_numpy(), "id"].tolist()


def actor_picker() -> int | None:
    """A search among the actors and its results; returns the actor clicked."""
    query = st.text_input(
        "Rechercher un acteur (nom, SIRET ou code commune)",
        key=DonneesKeys.ACTOR_SEARCH,
    )
    with caches.workspace() as conn:
        found = editing.find_actors(conn, query, limit=200)
    st.caption(
        f"{len(found)} acteur(s) affiché(s) (200 au plus) : cliquez sur une ligne."
    )
    selection = st.dataframe(
        editing.found_table(found),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=DonneesKeys.ACTOR_TABLE,
    )
    if not selection.selection.rows:
        return None
    return int(found.loc[selection.selection.rows[0], "id"])


def undo_picker(log: pd.DataFrame) -> int | None:
    """The audit log, then the change to undo; ``None`` when none can be undone.

    Parameters
    ----------
    log : pandas.DataFrame
        As :func:`ess_geo.workspace.history.log` returns.
    """
    table = history.log_table(log)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "Date (UTC)": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm"),
            "Détail": st.column_config.TextColumn(width="large"),
        },
    )
    choices = page.undo_choices(log, table)
    if not choices:
        return None
    return st.selectbox(
        "Modification à annuler", list(choices), format_func=choices.get
    )
