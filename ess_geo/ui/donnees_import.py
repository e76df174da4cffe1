"""The Données page's import rubric: sheet, header mapping, options, report.

Streamlit rendering only; what is shown comes from :mod:`ess_geo.pages.donnees`.
"""

from __future__ import annotations

import streamlit as st

from ess_geo import text
from ess_geo.io import exports, imports
from ess_geo.io.source import Source
from ess_geo.pages import donnees as page
from ess_geo.ui.keys import DonneesKeys
from ess_geo.ui.messages import show_problem
from ess_geo.workspace import loading

__all__ = ["import_report", "import_settings", "mapping_step"]


def import_settings(
    request: page.ImportRequest, source: Source, has_demo: bool
) -> page.ImportRequest:
    """The workbook's sheet, the header mapping and the options of an import.

    Parameters
    ----------
    request : ImportRequest
        The files uploaded.
    source : Source
        The files as first opened.
    has_demo : bool
        Whether the workspace holds demo actors (the import replaces them
        unless the person keeps them).

    Returns
    -------
    ImportRequest
        The import as the person set it up.
    """
    if len(source.sheets) > 1:
        sheet = st.selectbox("Feuille du classeur", source.sheets)
        request = request.replace(sheet=sheet)
        source = request.source()
    if source.kind != "sirene" and (mapping := mapping_step(source)):
        request = request.replace(mapping=tuple(sorted(mapping.items())))
    keep_demo = has_demo and st.checkbox(
        "Garder les acteurs de démonstration (sinon cet import les remplace)",
        value=False,
    )
    fix_swapped = st.checkbox(
        "Corriger les latitudes et longitudes inversées",
        value=False,
        help="Une ligne dont les coordonnées ne tombent en France qu'une fois "
        "échangées est refusée, sauf si cette case est cochée.",
    )
    return request.replace(keep_demo=keep_demo, fix_swapped=fix_swapped)


def mapping_step(source: Source) -> dict[str, str] | None:
    """The manual header mapping, open by itself when the file lacks a field.

    Returns
    -------
    dict or None
        Field -> column chosen, or ``None`` to keep the recognised mapping.
    """
    step = page.mapping_defaults(source)
    with st.expander("Correspondance des colonnes", expanded=step.missing):
        st.caption(
            "Chaque champ est rempli par la colonne choisie ; les colonnes reconnues "
            "sont proposées d'office. Le nom et un moyen de placer l'acteur (code "
            "commune, coordonnées, ou code postal et commune) sont nécessaires."
        )
        chosen = {}
        grid = st.columns(3)
        for position, (name, default) in enumerate(step.defaults.items()):
            chosen[name] = grid[position % 3].selectbox(
                imports.FIELD_LABELS[name],
                step.options,
                index=step.options.index(default),
                format_func=lambda c: c or "(aucune)",
                key=DonneesKeys.mapping(name),
            )
    return page.mapping_changes(chosen, source, step.missing)


def import_report(report: loading.ImportReport, notices: page.ReportNotices) -> None:
    """The check report: notes, figures, notices, rejected lines, duplicates."""
    st.subheader("Rapport de vérification")
    for note in report.notes:
        st.caption(text.escape_markdown(str(note)))
    if report.error is not None:
        show_problem(report.error)
    for cell, (label, value) in zip(
        st.columns(5), page.report_metrics(report), strict=True
    ):
        cell.metric(label, value)
    if notices.ignored:
        st.caption(notices.ignored)
    if notices.demo_removed:
        st.info(notices.demo_removed, icon="ℹ️")
    rejected, duplicates = loading.report_tables(report)
    if len(rejected):
        st.markdown("**Lignes refusées** (numéro de ligne du fichier, en-tête = 1)")
        st.dataframe(
            rejected,
            hide_index=True,
            width="stretch",
            column_config={"Raison": st.column_config.TextColumn(width="large")},
        )
        st.download_button(
            "Télécharger les lignes refusées (CSV)",
            lambda: exports.to_csv(rejected),
            file_name="lignes_refusees.csv",
            mime="text/csv",
            on_click="ignore",
        )
    if len(duplicates):
        st.markdown(
            "**Doublons probables** : même nom à proximité d'un acteur existant. "
            "Ils seront importés, puis proposés à la fusion (rubrique Doublons)."
        )
        st.dataframe(duplicates, hide_index=True, width="stretch")
