"""The Données page through Streamlit's AppTest (no browser)."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from ess_geo import paths, ui
from ess_geo.io import imports
from ess_geo.workspace import auth, editing, history, loading, seeding, store

APP = str(paths.ROOT / "app.py")
PASSWORD = "mot de passe de test"  # hashed at run time, never committed
CSV = (
    "Raison sociale;N° SIRET;Code INSEE;Famille\n"
    "Atelier vélo;73282932000074;29019;Association\n"
    "<script>alert(1)</script>;;29019;association\n"
    ";;29019;association\n"
).encode()


@pytest.fixture(scope="module")
def staff_hash():
    return auth.hash_password(PASSWORD, n=2**10)


@pytest.fixture
def app(workspace_path, monkeypatch, staff_hash):
    conn = store.connect(workspace_path)
    seeding.seed_workspace(conn, size=300, seed=4)
    conn.close()
    monkeypatch.setenv(auth.ENV_VAR, f"alice:{staff_hash}")
    test = AppTest.from_file(APP, default_timeout=60)
    test.run()
    test.switch_page("views/donnees.py")
    return test


def signed_in(app, tab: str | None = None):
    app.session_state[ui.StaffKeys.USER] = "alice"
    if tab:
        app.query_params["onglet"] = tab
    app.run()
    assert not app.exception, app.exception
    return app


def plain(markdown: str) -> str:
    """Text of a message whose user-supplied parts were Markdown-escaped."""
    return re.sub(r"\\(.)", r"\1", markdown)


def labelled(widgets, label):
    return next(w for w in widgets if w.label == label)


def test_public_view_shows_the_workspace_and_a_login_form(app):
    app.run()
    assert not app.exception
    assert app.title[0].value == "Données"
    assert [m.label for m in app.metric] == [
        "Acteurs",
        "dont fictifs",
        "Réseaux",
        "Doublons à examiner",
    ]
    assert app.metric[0].value == "300"
    assert [t.label for t in app.text_input] == ["Identifiant", "Mot de passe"]
    assert not app.segmented_control  # nothing of the staff part


def test_without_accounts_the_page_says_how_to_create_one(app, monkeypatch):
    monkeypatch.delenv(auth.ENV_VAR)
    app.run()
    assert "python -m ess_geo staff-hash" in app.info[-1].value
    assert not app.text_input


def test_wrong_then_right_password(app):
    app.run()
    labelled(app.text_input, "Identifiant").input("alice")
    labelled(app.text_input, "Mot de passe").input("mauvais mot de passe")
    app.button[0].click().run()
    assert plain(app.error[0].value) == "Identifiant ou mot de passe incorrect."
    assert not app.segmented_control
    labelled(app.text_input, "Mot de passe").input(PASSWORD)
    app.button[0].click().run()
    assert not app.exception
    assert app.session_state[ui.StaffKeys.USER] == "alice"
    assert app.segmented_control[0].value == "import"


def test_upload_report_then_accept(app, workspace_path):
    signed_in(app)
    app.file_uploader[0].upload("acteurs.csv", CSV, "text/csv").run()
    assert not app.exception
    assert app.subheader[-1].value == "Rapport de vérification"
    metrics = {m.label: m.value for m in app.metric}
    assert (metrics["Lignes lues"], metrics["À ajouter"], metrics["Refusées"]) == (
        "3",
        "2",
        "1",
    )
    rejected = app.dataframe[0].value
    assert rejected.to_dict("records") == [{"Ligne": 4, "Raison": "nom vide"}]
    conn = store.connect(workspace_path)
    assert store.has_demo_actors(conn)  # nothing written yet
    labelled(app.button, "Accepter et importer").click().run()
    assert not app.exception
    assert app.success[0].value.startswith("Import n° ")
    assert "2 acteur(s) ajouté(s)" in app.success[0].value
    table = store.read_actors(conn)
    assert table["nom"].tolist() == ["Atelier vélo", "<script>alert(1)</script>"]
    assert store.read_audit_log(conn).iloc[0]["who"] == "alice"
    conn.close()


def test_manual_mapping_of_unknown_headers(app, workspace_path):
    signed_in(app)
    data = b"Structure;Lieu;Type\nAtelier;29019;association\n"
    app.file_uploader[0].upload("a.csv", data, "text/csv").run()
    assert "il manque de quoi placer les acteurs" in app.error[0].value
    labelled(app.selectbox, "Code commune INSEE").select("Lieu").run()
    assert not app.error
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["À ajouter"] == "1"


def test_unusable_upload_shows_a_french_error(app):
    signed_in(app)
    app.file_uploader[0].upload("vide.csv", b"", "text/csv").run()
    assert (
        plain(app.error[0].value) == "Le fichier vide.csv est vide : rien à importer."
    )
    assert not [b for b in app.button if b.label == "Accepter et importer"]


def test_journal_lists_changes_and_undoes_one(app, workspace_path):
    conn = store.connect(workspace_path)
    source = imports.open_source(CSV, "acteurs.csv")
    report = loading.import_actors(conn, source, who="bob")
    before_undo = len(store.read_actors(conn))
    signed_in(app, "journal")
    table = app.dataframe[0].value
    assert table.iloc[0]["Action"] == "Import de fichier"
    assert table.iloc[0]["Par"] == "bob"
    assert table.iloc[0]["Détail"].startswith("acteurs.csv : 2 ajouté(s)")
    assert app.selectbox[0].value == report.audit_id
    undo = labelled(app.button, f"Annuler la modification n° {report.audit_id}")
    assert undo.disabled  # nothing is undone without a confirmation
    app.checkbox[0].check().run()
    assert app.checkbox[0].label.startswith(
        f"Je confirme vouloir annuler la modification n° {report.audit_id}"
    )
    assert len(store.read_actors(conn)) == 2  # still nothing undone
    labelled(app.button, f"Annuler la modification n° {report.audit_id}").click().run()
    assert not app.exception
    assert app.success[0].value.startswith(f"Modification n° {report.audit_id} annulée")
    assert before_undo == 2
    assert len(store.read_actors(conn)) == 300  # the demo is back
    conn.close()


def test_journal_reports_a_blocked_undo(app, workspace_path):
    conn = store.connect(workspace_path)
    report = loading.import_actors(conn, imports.open_source(CSV, "a.csv"))
    actor = int(store.read_actors(conn).index[0])
    form = editing.actor_record(conn, actor)
    editing.update_actor(
        conn, actor, {k: form[k] for k in editing.ACTOR_FORM_FIELDS} | {"nom": "Autre"}
    )
    conn.close()
    signed_in(app, "journal")
    app.selectbox[0].select(report.audit_id).run()
    app.checkbox[0].check().run()
    labelled(app.button, f"Annuler la modification n° {report.audit_id}").click().run()
    assert plain(app.error[0].value).startswith(
        f"Impossible d'annuler la modification n° {report.audit_id}"
    )


def test_add_an_actor_from_the_form(app, workspace_path):
    signed_in(app, "acteurs")
    form = app.get("form")[0]
    labelled(form.text_input, "Nom").input("Recyclerie du Port")
    labelled(form.text_input, "Code commune INSEE").input("29019")
    labelled(form.selectbox, "Famille").select("cooperative")
    form.form_submit_button[0].click().run()
    assert not app.exception
    assert app.success[0].value.startswith("Acteur n° ")
    conn = store.connect(workspace_path)
    found = editing.find_actors(conn, "recyclerie")
    assert found[["nom", "famille", "commune"]].values.tolist() == [
        ["Recyclerie du Port", "cooperative", "Brest"]
    ]
    conn.close()


def test_a_refused_actor_form_says_why(app):
    signed_in(app, "acteurs")
    form = app.get("form")[0]
    labelled(form.text_input, "Nom").input("Sans lieu")
    form.form_submit_button[0].click().run()
    assert plain(app.error[0].value).startswith("Fiche refusée : impossible de placer")


def test_create_a_network(app, workspace_path):
    signed_in(app, "reseaux")
    assert app.selectbox[0].value == 0  # "Nouveau réseau"
    labelled(app.text_input, "Nom du réseau").input("Pôle ESS du Léon")
    labelled(app.multiselect, "Territoires du périmètre").select("242900314")
    app.get("form")[0].form_submit_button[0].click().run()
    assert not app.exception
    assert app.success[0].value.startswith("Réseau n° ")
    conn = store.connect(workspace_path)
    networks = store.read_networks(conn)
    assert "Pôle ESS du Léon" in networks["nom"].tolist()
    conn.close()


def test_staff_declare_a_region_inventory_then_undo_it(app, workspace_path):
    signed_in(app, "reseaux")
    table = next(
        d.value for d in app.dataframe if "Inventaire" in d.value.columns
    ).set_index("Code")
    assert table.at["53", "Inventaire"] == "complet"
    assert table.at["28", "Inventaire"] == "incomplet"
    form = app.get("form")[-1]
    labelled(form.selectbox, "Région").select("28")
    labelled(form.text_area, "Source de la déclaration (liste, personne, date)").input(
        "Liste de la CRESS Normandie, 2026"
    )
    form.form_submit_button[0].click().run()
    assert not app.exception
    assert app.success[0].value.startswith(
        "Inventaire des réseaux de Normandie déclaré complet (modification n° "
    )
    conn = store.connect(workspace_path)
    from ess_geo.workspace import history, inventories

    assert inventories.complete_regions(conn) == ["28", "53"]
    log = history.log(conn)
    assert log.iloc[0]["who"] == "alice"
    history.undo(conn, int(log.iloc[0]["id"]))
    assert inventories.complete_regions(conn) == ["53"]
    conn.close()


def test_a_declaration_without_source_is_refused(app, workspace_path):
    signed_in(app, "reseaux")
    form = app.get("form")[-1]
    labelled(form.selectbox, "Région").select("28")
    form.form_submit_button[0].click().run()
    assert not app.exception
    assert any("Indiquez la source" in plain(e.value) for e in app.error)


def test_duplicates_tab_lists_pending_proposals(app, workspace_path):
    conn = store.connect(workspace_path)
    header = "nom;code_commune;famille;latitude;longitude\n"
    first = header + "Épicerie solidaire;29019;association;48.39;-4.486\n"
    second = header + "EPICERIE SOLIDAIRE;29019;association;48.3904;-4.486\n"
    loading.import_actors(conn, imports.open_source(first.encode(), "a.csv"))
    loading.import_actors(conn, imports.open_source(second.encode(), "b.csv"))
    conn.close()
    signed_in(app, "doublons")
    table = app.data_editor[0].value
    assert table[
        ["Nouvel acteur", "Acteur existant", "Distance (m)"]
    ].values.tolist() == [["EPICERIE SOLIDAIRE", "Épicerie solidaire", 44.0]]


def test_export_tab_offers_every_format(app):
    signed_in(app, "export")
    labels = [b.label for b in app.get("download_button")]
    assert labels == [
        "CSV (zip)",
        "GeoPackage (QGIS)",
        "Télécharger une sauvegarde de l'espace de travail (SQLite)",
    ]
    # The XLSX is prepared first, with a progress bar, then downloaded.
    (prepare,) = [b for b in app.button if b.label == "Préparer : Excel (XLSX)"]
    prepare.click().run()
    labels = [b.label for b in app.get("download_button")]
    assert labels[1] == "Télécharger : Excel (XLSX)"


def test_user_text_in_messages_is_not_markdown(app):
    signed_in(app)
    app.file_uploader[0].upload("![x](http://evil.example/p.png).csv", b"", "text/csv")
    app.run()
    message = app.error[0].value
    assert "\\!\\[x\\]\\(http\\://evil\\.example/p\\.png\\)" in message
    assert plain(message).startswith("Le fichier ![x](http://evil.example/p.png).csv")


def test_member_list_is_matched_confirmed_and_undone(app, workspace_path):
    conn = store.connect(workspace_path)
    actors = store.read_actors(conn)
    before = store.read_network_members(conn)
    outsider = actors.index.difference(before["actor_id"])[0]
    siret, name = actors.loc[outsider, ["siret", "nom"]]
    conn.close()
    signed_in(app, "reseaux")
    app.selectbox[0].set_value(1).run()
    assert not app.exception
    uploader = next(
        u
        for u in app.get("file_uploader")
        if u.label == "Liste des membres (CSV, XLSX)"
    )
    listing = f"nom;siret\n{name};{siret}\nPersonne du tout;\n".encode()
    uploader.upload("membres.csv", listing, "text/csv").run()
    assert not app.exception
    assert any(
        c.value == "membres.csv → ADESS Pays de Brest : 2 ligne(s), 1 par le SIRET, "
        "0 par le nom (à confirmer), 0 ambiguë(s), 1 introuvable(s)."
        for c in app.caption
    )
    labelled(app.button, "Enregistrer les 1 adhésion(s) confirmée(s)").click().run()
    assert not app.exception
    assert app.success[0].value.startswith(
        "1 adhésion(s) ajoutée(s) à « ADESS Pays de Brest » (modification n° "
    )
    conn = store.connect(workspace_path)
    after = store.read_network_members(conn)
    assert len(after) == len(before) + 1
    assert outsider in set(after.loc[after["network_id"] == 1, "actor_id"])
    audit_id = int(store.read_audit_log(conn).iloc[0]["id"])
    history.undo(conn, audit_id)
    assert len(store.read_network_members(conn)) == len(before)
    conn.close()
