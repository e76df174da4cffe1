"""Données: import actor files and SIRENE, merge duplicates, edit, undo, export.

Public part: what the workspace holds. Staff part (after sign-in): import
with a report before anything is written, the manual header mapping, merge
proposals, editing of actors and networks, the audit log with undo, exports
and backups. State in the URL: ``onglet``.
"""

import contextlib

import pandas as pd
import streamlit as st

from ess_geo import actors, formats, text, ui
from ess_geo.errors import EssGeoError
from ess_geo.geo import geography
from ess_geo.io import exports, imports
from ess_geo.io.source import Source
from ess_geo.io.validation import FIELDS
from ess_geo.workspace import backup, dedup, editing, history, loading, networks, store

K = ui.DonneesKeys

st.title("Données")

with ui.workspace() as conn:
    summary = editing.overview(conn)
columns = st.columns(4)
columns[0].metric("Acteurs", formats.number(summary["acteurs"]))
columns[1].metric("dont fictifs", formats.number(summary["fictifs"]))
columns[2].metric("Réseaux", summary["reseaux"])
columns[3].metric("Doublons à examiner", summary["doublons"])
if summary["derniere_modification"]:
    last = pd.Timestamp(summary["derniere_modification"])
    st.caption(f"Dernière modification : {last:%d/%m/%Y à %H:%M} (UTC).")

user = ui.staff_login()

TABS = {
    "import": "Importer",
    "doublons": "Doublons",
    "acteurs": "Acteurs",
    "reseaux": "Réseaux",
    "journal": "Journal",
    "export": "Export et sauvegarde",
}


def _done(message: str) -> None:
    """Keep a confirmation for the next run, then rerun."""
    st.session_state[K.MESSAGE] = message
    st.rerun()


@st.cache_data(max_entries=4, show_spinner="Vérification du fichier…")
def _check(
    files: tuple[tuple[str, bytes], ...],
    sheet: str | None,
    mapping: tuple[tuple[str, str], ...] | None,
    keep_demo: bool,
    fix_swapped: bool,
    revision: store.Revision,
) -> loading.ImportReport:
    source = imports.open_uploads(
        list(files), sheet=sheet, mapping=dict(mapping) if mapping else None
    )
    with ui.workspace() as conn:
        return loading.import_actors(
            conn, source, dry_run=True, keep_demo=keep_demo, fix_swapped=fix_swapped
        )


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
    files = tuple((f.name, f.getvalue()) for f in uploaded)
    try:
        source = imports.open_uploads(list(files))
    except EssGeoError as exc:
        ui.show_problem(exc)
        return
    sheet = None
    if len(source.sheets) > 1:
        sheet = st.selectbox("Feuille du classeur", source.sheets)
        source = imports.open_uploads(list(files), sheet=sheet)
    mapping = None
    if source.kind != "sirene":
        mapping = _mapping_step(source)
    with ui.workspace() as conn:
        has_demo = store.has_demo_actors(conn)
        revision = store.revision(conn)
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
    try:
        report = _check(
            files,
            sheet,
            tuple(sorted(mapping.items())) if mapping else None,
            keep_demo,
            fix_swapped,
            revision,
        )
    except EssGeoError as exc:
        ui.show_problem(exc)
        return
    _show_report(report)
    if report.error is not None:
        return
    if report.swapped and not fix_swapped:
        st.warning(
            f"{report.swapped} ligne(s) ont la latitude et la longitude inversées : "
            "cochez « Corriger les latitudes et longitudes inversées » pour les "
            "importer quand même.",
            icon="↔️",
        )
    if st.button("Accepter et importer", type="primary"):
        current = imports.open_uploads(list(files), sheet=sheet, mapping=mapping)
        with ui.workspace() as conn:
            done = loading.import_actors(
                conn, current, keep_demo=keep_demo, fix_swapped=fix_swapped, who=user
            )
        if done.error is not None:
            ui.show_problem(done.error)
            return
        st.session_state[K.UPLOAD_ROUND] = round_ + 1
        _done(
            f"Import n° {done.audit_id} enregistré : {done.imported} acteur(s) "
            f"ajouté(s), {done.updated} mis à jour, {len(done.rejected)} ligne(s) "
            f"refusée(s), {len(done.duplicates)} doublon(s) probable(s) à examiner. "
            "Il peut être annulé dans la rubrique Journal."
        )


def _mapping_step(source: Source) -> dict[str, str] | None:
    missing = True
    with contextlib.suppress(EssGeoError):
        source.check()
        missing = False
    with st.expander("Correspondance des colonnes", expanded=missing):
        st.caption(
            "Chaque champ est rempli par la colonne choisie ; les colonnes reconnues "
            "sont proposées d'office. Le nom et un moyen de placer l'acteur (code "
            "commune, coordonnées, ou code postal et commune) sont nécessaires."
        )
        options = ["", *source.columns]
        chosen = {}
        grid = st.columns(3)
        for position, name in enumerate(FIELDS):
            default = source.mapping.get(name, "")
            chosen[name] = grid[position % 3].selectbox(
                imports.FIELD_LABELS[name],
                options,
                index=options.index(default),
                format_func=lambda c: c or "(aucune)",
                key=K.mapping(name),
            )
    chosen = {k: v for k, v in chosen.items() if v}
    if chosen == source.mapping and not missing:
        return None
    return chosen


def _show_report(report: loading.ImportReport) -> None:
    st.subheader("Rapport de vérification")
    for note in report.notes:
        st.caption(text.escape_markdown(str(note)))
    if report.error is not None:
        ui.show_problem(report.error)
    cells = st.columns(5)
    cells[0].metric("Lignes lues", report.read)
    cells[1].metric("À ajouter", report.imported)
    cells[2].metric("À mettre à jour", report.updated)
    cells[3].metric("Refusées", len(report.rejected))
    cells[4].metric("Doublons probables", len(report.duplicates))
    if report.ignored:
        st.caption(
            f"{report.ignored} établissement(s) SIRENE ignoré(s) : fermés, ou d'une "
            "unité légale hors ESS."
        )
    if report.demo_removed:
        count = formats.number(report.demo_removed)
        st.info(
            f"Les {count} acteurs de démonstration seront retirés par cet import.",
            icon="ℹ️",
        )
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
            exports.to_csv(rejected),
            file_name="lignes_refusees.csv",
            mime="text/csv",
        )
    if len(duplicates):
        st.markdown(
            "**Doublons probables** : même nom à proximité d'un acteur existant. "
            "Ils seront importés, puis proposés à la fusion (rubrique Doublons)."
        )
        st.dataframe(duplicates, hide_index=True, width="stretch")


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
    table = dedup.proposals_table(pending)
    edited = st.data_editor(
        table,
        hide_index=True,
        width="stretch",
        disabled=[c for c in table.columns if c != "Choisir"],
        key=K.DUPLICATES,
    )
    chosen = pending.loc[edited["Choisir"].to_numpy(), "id"].tolist()
    left, right = st.columns(2)
    merge = left.button("Fusionner la sélection", disabled=not chosen, type="primary")
    keep = right.button("Garder les deux (refuser)", disabled=not chosen)
    if merge or keep:
        with ui.workspace() as conn:
            audit_id = dedup.decide(conn, chosen, accept=bool(merge), who=user)
        _done(
            f"{len(chosen)} proposition(s) {'fusionnée(s)' if merge else 'écartée(s)'} "
            f"(modification n° {audit_id})."
        )


def _actor_form(
    record: dict, network_options: pd.Series, actor_id: int | None
) -> tuple:
    families = list(actors.FAMILY_LABELS)
    with st.form(K.actor_form(actor_id)):
        values = {}
        labels = imports.FIELD_LABELS
        values["nom"] = st.text_input(labels["nom"], record.get("nom") or "")
        grid = st.columns(2)
        values["siret"] = grid[0].text_input(labels["siret"], record.get("siret") or "")
        famille = record.get("famille")
        values["famille"] = grid[1].selectbox(
            labels["famille"],
            families,
            index=families.index(famille) if famille in families else 0,
            format_func=actors.FAMILY_LABELS.get,
        )
        others = [n for n in editing.ACTOR_FORM_FIELDS if n not in values]
        for position, name in enumerate(others):
            value = record.get(name)
            values[name] = grid[position % 2].text_input(
                labels[name], "" if value is None else str(value)
            )
        member_of = st.multiselect(
            "Réseaux",
            list(network_options.index),
            default=[
                n for n in record.get("reseaux", []) if n in network_options.index
            ],
            format_func=network_options.get,
        )
        saved = st.form_submit_button("Enregistrer", type="primary")
    return values, member_of, saved


def actors_tab() -> None:
    st.subheader("Acteurs")
    with ui.workspace() as conn:
        network_options = store.read_networks(conn)["nom"]
    with st.expander("Ajouter un acteur"):
        values, member_of, saved = _actor_form({}, network_options, None)
        if saved:
            try:
                with ui.workspace() as conn:
                    actor_id = editing.add_actor(
                        conn, values, networks_ids=member_of, who=user
                    )
            except EssGeoError as exc:
                ui.show_problem(exc)
            else:
                _done(f"Acteur n° {actor_id} ajouté.")
    query = st.text_input(
        "Rechercher un acteur (nom, SIRET ou code commune)", key=K.ACTOR_SEARCH
    )
    with ui.workspace() as conn:
        found = editing.find_actors(conn, query, limit=200)
    shown = editing.found_table(found)
    st.caption(
        f"{len(found)} acteur(s) affiché(s) (200 au plus) : cliquez sur une ligne."
    )
    selection = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=K.ACTOR_TABLE,
    )
    rows = selection.selection.rows
    if not rows:
        return
    actor_id = int(found.loc[rows[0], "id"])
    try:
        with ui.workspace() as conn:
            record = editing.actor_record(conn, actor_id)
    except EssGeoError as exc:
        ui.show_problem(exc)
        return
    st.markdown(f"**Fiche n° {actor_id}**")
    values, member_of, saved = _actor_form(record, network_options, actor_id)
    if saved:
        try:
            with ui.workspace() as conn:
                audit_id = editing.update_actor(
                    conn, actor_id, values, networks_ids=member_of, who=user
                )
        except EssGeoError as exc:
            ui.show_problem(exc)
        else:
            _done(
                "Aucun changement."
                if audit_id is None
                else f"Fiche n° {actor_id} enregistrée (modification n° {audit_id})."
            )
    confirm = st.checkbox(
        f"Je veux supprimer la fiche n° {actor_id}", key=K.ACTOR_DELETE
    )
    if st.button("Supprimer cet acteur", disabled=not confirm):
        with ui.workspace() as conn:
            audit_id = editing.delete_actor(conn, actor_id, who=user)
        _done(f"Acteur n° {actor_id} supprimé (modification n° {audit_id}).")


def _network_form(record: dict, network_id: int | None) -> tuple:
    kinds, statuses = list(networks.KIND_LABELS), list(networks.STATUS_LABELS)
    levels = list(networks.PERIMETER_LEVELS)
    level = st.selectbox(
        "Niveau du périmètre",
        levels,
        index=levels.index(record.get("level", "epci")),
        format_func=geography.LEVEL_LABELS.get,
        key=K.network_level(network_id),
    )
    if level != record.get("level", "epci"):
        record = {**record, "codes": []}
    with st.form(K.network_form(network_id)):
        labels = editing.NETWORK_FIELD_LABELS
        values = {"nom": st.text_input(labels["nom"], record.get("nom") or "")}
        grid = st.columns(2)
        values["kind"] = grid[0].selectbox(
            labels["kind"],
            kinds,
            index=kinds.index(record.get("kind", "pole")),
            format_func=networks.KIND_LABELS.get,
        )
        values["status"] = grid[1].selectbox(
            labels["status"],
            statuses,
            index=statuses.index(record.get("status", "actif")),
            format_func=networks.STATUS_LABELS.get,
        )
        others = [n for n in editing.NETWORK_FORM_FIELDS if n not in values]
        for position, name in enumerate(others):
            value = record.get(name)
            values[name] = grid[position % 2].text_input(
                labels[name], "" if value is None else str(value)
            )
        if level == "commune":
            codes = (
                st.text_area(
                    "Communes (codes INSEE séparés par des virgules)",
                    ", ".join(record.get("codes", [])),
                )
                .replace(",", " ")
                .split()
            )
        else:
            territories = geography.territories(level)["nom"]
            codes = st.multiselect(
                "Territoires du périmètre",
                list(territories.index),
                default=[c for c in record.get("codes", []) if c in territories.index],
                format_func=lambda c: f"{territories[c]} ({c})",
            )
        saved = st.form_submit_button("Enregistrer", type="primary")
    return values, level, codes, saved


def networks_tab() -> None:
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
        values, level, codes, saved = _network_form({}, None)
        if saved:
            try:
                with ui.workspace() as conn:
                    network_id = editing.add_network(
                        conn, values, level=level, codes=codes, who=user
                    )
            except EssGeoError as exc:
                ui.show_problem(exc)
            else:
                _done(f"Réseau n° {network_id} créé.")
        return
    network_id = int(choice)
    with ui.workspace() as conn:
        record = editing.network_record(conn, network_id)
    values, level, codes, saved = _network_form(record, network_id)
    if saved:
        try:
            with ui.workspace() as conn:
                audit_id = editing.update_network(
                    conn, network_id, values, level=level, codes=codes, who=user
                )
        except EssGeoError as exc:
            ui.show_problem(exc)
        else:
            _done(
                "Aucun changement."
                if audit_id is None
                else f"Réseau enregistré (modification n° {audit_id})."
            )
    _members(network_id, record)
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
    st.markdown(f"**Membres** ({len(record['membres'])})")
    everyone = ui.actors()
    members = everyone.loc[everyone.index.intersection(record["membres"])]
    selection = st.dataframe(
        actors.display_table(members),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="multi-row",
        key=K.members(network_id),
    )
    chosen = members.index[selection.selection.rows].tolist()
    if st.button("Retirer les membres sélectionnés", disabled=not chosen):
        with ui.workspace() as conn:
            editing.set_members(conn, network_id, remove=chosen, who=user)
        _done(f"{len(chosen)} membre(s) retiré(s).")
    query = st.text_input(
        "Ajouter des membres : rechercher un acteur", key=K.MEMBER_SEARCH
    )
    if not query:
        return
    with ui.workspace() as conn:
        found = editing.find_actors(conn, query, limit=50)
    found = found[~found["id"].isin(record["membres"])].reset_index(drop=True)
    picked = st.dataframe(
        editing.found_table(found),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="multi-row",
        key=K.candidates(network_id),
    )
    to_add = found.loc[picked.selection.rows, "id"].tolist()
    if st.button("Ajouter les acteurs sélectionnés", disabled=not to_add):
        with ui.workspace() as conn:
            editing.set_members(conn, network_id, add=to_add, who=user)
        _done(f"{len(to_add)} membre(s) ajouté(s).")


def journal_tab() -> None:
    st.subheader("Journal des modifications")
    with ui.workspace() as conn:
        log = history.log(conn, limit=200)
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
    undoable = log.loc[log["undoable"], "id"].tolist()
    if not undoable:
        return
    labels = dict(
        zip(table["N°"], table["Action"] + " — " + table["Détail"], strict=True)
    )
    target = st.selectbox(
        "Modification à annuler",
        undoable,
        format_func=lambda n: f"n° {n} : {labels[n]}",
    )
    if st.button(f"Annuler la modification n° {target}"):
        try:
            with ui.workspace() as conn:
                undo_id = history.undo(conn, int(target), who=user)
        except EssGeoError as exc:
            ui.show_problem(exc)
        else:
            _done(f"Modification n° {target} annulée (annulation n° {undo_id}).")


def _export(kind: str) -> bytes:
    with ui.workspace() as conn:
        if kind == "csv":
            return backup.export_csv_zip(conn)
        if kind == "xlsx":
            return backup.export_xlsx(conn)
        if kind == "gpkg":
            return backup.export_geopackage(conn)
        return backup.backup_bytes(conn)


def export_tab() -> None:
    st.subheader("Exporter l'espace de travail")
    st.caption(
        "Acteurs, réseaux (périmètres et membres) ; le GeoPackage ajoute les "
        "territoires avec leur nombre d'acteurs et s'ouvre dans QGIS. Dans les "
        "CSV et XLSX, les cellules qui commencent par =, +, - ou @ sont "
        "neutralisées par une apostrophe."
    )
    grid = st.columns(3)
    grid[0].download_button(
        "CSV (zip)",
        lambda: _export("csv"),
        file_name="ess_territoires_csv.zip",
        mime="application/zip",
    )
    grid[1].download_button(
        "Excel (XLSX)",
        lambda: _export("xlsx"),
        file_name="ess_territoires.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    grid[2].download_button(
        "GeoPackage (QGIS)",
        lambda: _export("gpkg"),
        file_name="ess_territoires.gpkg",
        mime="application/geopackage+sqlite3",
    )
    st.subheader("Sauvegarder et restaurer")
    st.download_button(
        "Télécharger une sauvegarde de l'espace de travail (SQLite)",
        lambda: _export("sqlite"),
        file_name="ess_territoires_sauvegarde.sqlite",
        mime="application/vnd.sqlite3",
    )
    uploaded = st.file_uploader(
        "Sauvegarde à restaurer (.sqlite)", type=["sqlite", "db"]
    )
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


def staff_part() -> None:
    """Everything behind the sign-in."""
    with st.sidebar:
        st.caption(f"Connecté·e : **{text.escape_markdown(str(user))}**")
        if st.button("Se déconnecter"):
            ui.staff_logout()
            st.rerun()
    tab = st.segmented_control(
        "Rubrique",
        list(TABS),
        format_func=TABS.get,
        default=ui.query_choice("onglet", list(TABS), "import"),
        key=K.TAB,
    )
    tab = tab or "import"
    ui.set_query_params(onglet=tab if tab != "import" else None)
    if message := st.session_state.pop(K.MESSAGE, None):
        st.success(message, icon="✅")
    {
        "import": import_tab,
        "doublons": duplicates_tab,
        "acteurs": actors_tab,
        "reseaux": networks_tab,
        "journal": journal_tab,
        "export": export_tab,
    }[tab]()


if user is not None:
    staff_part()
