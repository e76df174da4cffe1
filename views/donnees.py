"""Données: import actor files and SIRENE, merge duplicates, edit, undo, export.

Public part: what the workspace holds. Staff part (after sign-in): import
with a report before anything is written, the manual header mapping, merge
proposals, editing of actors and networks, the audit log with undo, exports
and backups. State in the URL: ``onglet``
(:class:`ess_geo.pages.donnees.DonneesState`). What the page computes is in
:mod:`ess_geo.pages.donnees`; its forms and pickers in
:mod:`ess_geo.ui.donnees_forms`, the import's settings and report in
:mod:`ess_geo.ui.donnees_import`.
"""

import sqlite3
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from ess_geo import text, ui
from ess_geo.errors import EssGeoError
from ess_geo.pages import donnees as page
from ess_geo.ui import donnees_forms as forms
from ess_geo.ui import donnees_import as importer
from ess_geo.workspace import (
    backup,
    dedup,
    dialect,
    editing,
    history,
    loading,
    store,
)

K = ui.DonneesKeys

st.title("Données")

state, ignored = page.DonneesState.from_query(st.query_params)
with ui.workspace() as conn:
    summary = editing.overview(conn)
for column, (label, value) in zip(
    st.columns(4), page.workspace_metrics(summary), strict=True
):
    column.metric(label, value)
if caption := page.last_change(summary):
    st.caption(caption)
ui.pending_summary()

user = ui.staff_login()


def _done(message: str) -> None:
    """Keep a confirmation for the next run, then rerun."""
    st.session_state[K.MESSAGE] = message
    st.rerun()


T = TypeVar("T")


def _write(
    action: Callable[[sqlite3.Connection], T], message: Callable[[T], str]
) -> None:
    """Write to the workspace, then confirm; or say why the change was refused."""
    try:
        with ui.workspace() as conn:
            result = action(conn)
    except EssGeoError as exc:
        ui.show_problem(exc)
    else:
        _done(message(result))


@st.cache_data(max_entries=4, show_spinner="Vérification du fichier…")
def _check(
    request: page.ImportRequest, revision: store.Revision
) -> loading.ImportReport:
    with ui.workspace() as conn:
        return page.run_import(conn, request, dry_run=True)


def import_tab() -> None:
    st.subheader("Importer un fichier d'acteurs")
    st.markdown(
        "Fichier CSV (séparateur `;`, `,` ou tabulation ; UTF-8 ou Windows-1252), "
        "classeur XLSX, ou les deux fichiers stock SIRENE (StockEtablissement et "
        "StockUniteLegale, CSV, ZIP ou Parquet). Rien n'est écrit avant que vous "
        "ayez lu le rapport et accepté l'import."
    )
    round_ = st.session_state.setdefault(K.UPLOAD_ROUND, 0)
    uploaded = st.file_uploader(
        "Fichier(s) à importer",
        type=["csv", "txt", "tsv", "xlsx", "zip", "parquet"],
        accept_multiple_files=True,
        key=K.upload(round_),
    )
    if not uploaded:
        return
    request = page.ImportRequest(tuple((f.name, f.getvalue()) for f in uploaded))
    try:
        source = request.source()
    except EssGeoError as exc:
        ui.show_problem(exc)
        return
    with ui.workspace() as conn:
        has_demo = store.has_demo_actors(conn)
        revision = store.revision(conn)
    request = importer.import_settings(request, source, has_demo)
    try:
        report = _check(request, revision)
    except EssGeoError as exc:
        ui.show_problem(exc)
        return
    notices = page.report_notices(report, request.fix_swapped)
    importer.import_report(report, notices)
    if report.error is not None:
        return
    if notices.swapped:
        st.warning(notices.swapped, icon="↔️")
    if st.button("Accepter et importer", type="primary"):
        with ui.workspace() as conn:
            done = page.run_import(conn, request, dry_run=False, who=user)
        if done.error is not None:
            ui.show_problem(done.error)
            return
        st.session_state[K.UPLOAD_ROUND] = round_ + 1
        _done(page.import_message(done))


def duplicates_tab() -> None:
    st.subheader("Doublons probables")
    st.caption(
        "Même nom (accents, majuscules et ponctuation ignorés) à moins de 400 m, "
        "ou 100 m dans une commune de plus de 100 000 habitants. Fusionner garde "
        "la fiche existante, complète ses champs vides avec la nouvelle, lui "
        "transfère les adhésions aux réseaux et retire la nouvelle."
    )
    with ui.workspace() as conn:
        pending = dedup.pending_proposals(conn)
    if pending.empty:
        st.info("Aucun doublon en attente.", icon="✅")
        return
    chosen = forms.proposals_picker(pending)
    left, right = st.columns(2)
    merge = left.button("Fusionner la sélection", disabled=not chosen, type="primary")
    keep = right.button("Garder les deux (refuser)", disabled=not chosen)
    if merge or keep:
        with ui.workspace() as conn:
            audit_id = dedup.decide(conn, chosen, accept=bool(merge), who=user)
        _done(page.decision_message(len(chosen), bool(merge), audit_id))


def actors_tab() -> None:
    st.subheader("Acteurs")
    with ui.workspace() as conn:
        network_options = store.read_networks(conn)["nom"]
    with st.expander("Ajouter un acteur"):
        values, member_of, saved = forms.actor_form({}, network_options, None)
        if saved:
            _write(
                lambda c: editing.add_actor(
                    c, values, networks_ids=member_of, who=user
                ),
                lambda actor_id: f"Acteur n° {actor_id} ajouté.",
            )
    actor_id = forms.actor_picker()
    if actor_id is None:
        return
    try:
        with ui.workspace() as conn:
            record = editing.actor_record(conn, actor_id)
    except EssGeoError as exc:
        ui.show_problem(exc)
        return
    st.markdown(f"**Fiche n° {actor_id}**")
    values, member_of, saved = forms.actor_form(record, network_options, actor_id)
    if saved:
        _write(
            lambda c: editing.update_actor(
                c, actor_id, values, networks_ids=member_of, who=user
            ),
            lambda audit_id: page.actor_saved(actor_id, audit_id),
        )
    confirm = st.checkbox(
        f"Je veux supprimer la fiche n° {actor_id}", key=K.ACTOR_DELETE
    )
    if st.button("Supprimer cet acteur", disabled=not confirm):
        with ui.workspace() as conn:
            audit_id = editing.delete_actor(conn, actor_id, who=user)
        _done(f"Acteur n° {actor_id} supprimé (modification n° {audit_id}).")


def networks_tab() -> None:
    _network_cards()
    if message := ui.inventory_form(user):  # the régions' inventories
        _done(message)


def _network_cards() -> None:
    st.subheader("Réseaux territoriaux")
    with ui.workspace() as conn:
        table = store.read_networks(conn)
    choice = st.selectbox(
        "Réseau",
        [0, *table.index],
        format_func=lambda n: "➕ Nouveau réseau" if n == 0 else table.at[n, "nom"],
        key=K.NETWORK_CHOICE,
    )
    if choice == 0:
        values, level, codes, saved = forms.network_form({}, None)
        if saved:
            _write(
                lambda c: editing.add_network(
                    c, values, level=level, codes=codes, who=user
                ),
                lambda network_id: f"Réseau n° {network_id} créé.",
            )
        return
    network_id = int(choice)
    with ui.workspace() as conn:
        record = editing.network_record(conn, network_id)
    values, level, codes, saved = forms.network_form(record, network_id)
    if saved:
        _write(
            lambda c: editing.update_network(
                c, network_id, values, level=level, codes=codes, who=user
            ),
            page.network_saved,
        )
    _members(network_id, record)
    ui.members_reconciliation(network_id, user)
    confirm = st.checkbox(
        f"Je veux supprimer le réseau « {text.escape_markdown(str(record['nom']))} » "
        "(ses acteurs restent)",
        key=K.NETWORK_DELETE,
    )
    if st.button("Supprimer ce réseau", disabled=not confirm):
        with ui.workspace() as conn:
            audit_id = editing.delete_network(conn, network_id, who=user)
        _done(f"Réseau supprimé (modification n° {audit_id}).")


def _members(network_id: int, record: dict) -> None:
    chosen = forms.members_table(network_id, record)
    if st.button("Retirer les membres sélectionnés", disabled=not chosen):
        with ui.workspace() as conn:
            editing.set_members(conn, network_id, remove=chosen, who=user)
        _done(f"{len(chosen)} membre(s) retiré(s).")
    to_add = forms.candidates_table(network_id, record)
    if st.button("Ajouter les acteurs sélectionnés", disabled=not to_add):
        with ui.workspace() as conn:
            editing.set_members(conn, network_id, add=to_add, who=user)
        _done(f"{len(to_add)} membre(s) ajouté(s).")


def journal_tab() -> None:
    st.subheader("Journal des modifications")
    with ui.workspace() as conn:
        log = history.log(conn, limit=200)
    target = forms.undo_picker(log)
    if target is None:
        return
    confirmed = st.checkbox(
        f"Je confirme vouloir annuler la modification n° {target} : ce qu'elle "
        "a changé sera défait (l'annulation est elle-même notée au journal)."
    )
    if st.button(f"Annuler la modification n° {target}", disabled=not confirmed):
        _write(
            lambda c: history.undo(c, target, who=user),
            lambda undo_id: (
                f"Modification n° {target} annulée (annulation n° {undo_id})."
            ),
        )


def _download(kind: str, where=st) -> None:
    export = page.EXPORTS[kind]
    if kind == "xlsx":  # the longest: made with a progress bar

        def make_xlsx(progress) -> bytes:
            with ui.workspace() as conn:
                return backup.export_xlsx(conn, progress)

        ui.progress_download(
            export.label,
            make_xlsx,
            file_name=export.file_name,
            mime=export.mime,
            key=K.XLSX_EXPORT,
            where=where,
        )
        return

    def make() -> bytes:
        with ui.workspace() as conn:
            return page.export_bytes(conn, kind)

    where.download_button(
        export.label,
        make,
        file_name=export.file_name,
        mime=export.mime,
        on_click="ignore",
    )


def export_tab() -> None:
    st.subheader("Exporter l'espace de travail")
    st.caption(
        "Acteurs, réseaux (périmètres et membres) ; le GeoPackage ajoute les "
        "territoires avec leur nombre d'acteurs et s'ouvre dans QGIS (les "
        "acteurs sans position y sont dans une table à part, comptés dans la "
        "table « resume »). Dans les "
        "CSV et XLSX, les cellules qui commencent par =, +, - ou @ sont "
        "neutralisées par une apostrophe."
    )
    for column, kind in zip(st.columns(3), ("csv", "xlsx", "gpkg"), strict=True):
        _download(kind, column)
    st.subheader("Sauvegarder et restaurer")
    offer = page.backup_offer(dialect.is_postgres(store.workspace_path()))
    st.caption(offer.note)
    _download(offer.kind)
    uploaded = st.file_uploader(offer.upload_label, type=list(offer.upload_types))
    confirm = st.checkbox(
        "Je remplace l'espace de travail actuel par cette sauvegarde (une copie de "
        "sécurité de l'actuel est gardée sur le serveur)."
    )
    if st.button("Restaurer", disabled=not (uploaded and confirm)):
        try:
            safety = backup.restore(uploaded.getvalue(), who=user)
        except EssGeoError as exc:
            ui.show_problem(exc)
        else:
            _done(
                "Sauvegarde restaurée. L'ancien espace de travail est gardé dans "
                f"{safety}."
            )


RUBRICS = {
    "import": import_tab,
    "doublons": duplicates_tab,
    "acteurs": actors_tab,
    "reseaux": networks_tab,
    "propositions": lambda: ui.proposals_tab(user, _done),
    "journal": journal_tab,
    "export": export_tab,
}

if user is not None:  # everything below is behind the sign-in
    with st.sidebar:
        st.caption(f"Connecté·e : **{text.escape_markdown(str(user))}**")
        if st.button("Se déconnecter"):
            ui.staff_logout()
            st.rerun()
    ui.show_ignored(ignored)
    tab = st.segmented_control(
        "Rubrique",
        list(page.TABS),
        format_func=page.TABS.get,
        default=state.tab,
        required=True,  # clicking the chosen rubric keeps it
        key=K.TAB,
    )
    state = state.replace(tab=tab or page.DonneesState.tab)
    ui.set_query_params(**state.to_query())
    if message := st.session_state.pop(K.MESSAGE, None):
        st.success(message, icon="✅")
    RUBRICS[state.tab]()
