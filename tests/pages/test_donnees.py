import io
import zipfile

import pandas as pd
import pytest

from ess_geo.io import imports
from ess_geo.pages import donnees as page
from ess_geo.pages.urlstate import option_index
from ess_geo.workspace import history, loading, seeding, store

CSV = (
    "Raison sociale;N° SIRET;Code INSEE;Famille\n"
    "Atelier vélo;73282932000074;29019;Association\n"
    ";;29019;association\n"
).encode()


@pytest.fixture
def conn(workspace_path):
    conn = store.connect(workspace_path)
    seeding.seed_workspace(conn, size=50, seed=4)
    yield conn
    conn.close()


@pytest.mark.parametrize(
    ("query", "tab", "ignored"),
    [
        ({}, "import", []),
        ({"onglet": "journal"}, "journal", []),
        ({"onglet": ["export", "journal"]}, "export", []),
        ({"onglet": "Journal"}, "import", ["onglet=Journal"]),
        ({"onglet": ""}, "import", []),
    ],
)
def test_state_reads_the_rubric(query, tab, ignored):
    assert page.DonneesState.from_query(query) == (page.DonneesState(tab), ignored)


@pytest.mark.parametrize("tab", list(page.TABS))
def test_state_writes_back_the_url_it_read(tab):
    # README: "Rubriques (dans l'URL : ?onglet=journal…)"; the default is left out.
    state, _ = page.DonneesState.from_query({"onglet": tab})
    assert state.to_query() == {"onglet": None if tab == "import" else tab}


def test_tabs_in_the_page_order():
    assert list(page.TABS.values()) == [
        "Importer",
        "Doublons",
        "Acteurs",
        "Réseaux",
        "Propositions",
        "Journal",
        "Export et sauvegarde",
    ]


def test_summary_figures_and_last_change():
    summary = {
        "acteurs": 12_345,
        "fictifs": 300,
        "reseaux": 31,
        "adhesions": 7,
        "doublons": 0,
        "derniere_modification": "2026-12-05T15:04:09.123+00:00",
    }
    assert page.workspace_metrics(summary) == [
        ("Acteurs", "12\u202f345"),
        ("dont fictifs", "300"),
        ("Réseaux", "31"),
        ("Doublons à examiner", "0"),
    ]
    assert page.last_change(summary) == (
        "Dernière modification : 05/12/2026 à 15:04 (UTC)."
    )
    assert page.last_change({**summary, "derniere_modification": None}) is None


def test_import_preview_writes_nothing_then_the_import_does(conn):
    request = page.ImportRequest((("acteurs.csv", CSV),))
    report = page.run_import(conn, request, dry_run=True)
    assert page.report_metrics(report) == [
        ("Lignes lues", 2),
        ("À ajouter", 1),
        ("À mettre à jour", 0),
        ("Refusées", 1),
        ("Doublons probables", 0),
    ]
    assert page.report_notices(report, fix_swapped=False) == (
        None,
        "Les 50 acteurs de démonstration seront retirés par cet import.",
        None,
    )
    assert len(store.read_actors(conn)) == 50
    done = page.run_import(conn, request.replace(keep_demo=True), dry_run=False)
    assert store.read_actors(conn)["nom"].tolist()[-1] == "Atelier vélo"
    assert len(store.read_actors(conn)) == 51
    assert page.import_message(done) == (
        f"Import n° {done.audit_id} enregistré : 1 acteur(s) ajouté(s), 0 mis à "
        "jour, 1 ligne(s) refusée(s), 0 doublon(s) probable(s) à examiner. Il peut "
        "être annulé dans la rubrique Journal."
    )


def test_import_request_applies_a_manual_mapping():
    data = b"Structure;Lieu;Type\nAtelier;29019;association\n"
    request = page.ImportRequest((("a.csv", data),))
    source = request.source()
    step = page.mapping_defaults(source)
    assert step.missing
    assert step.options == ["", "Structure", "Lieu", "Type"]
    assert step.defaults["code_commune"] == ""
    chosen = {**step.defaults, "code_commune": "Lieu"}
    mapping = page.mapping_changes(chosen, source, step.missing)
    assert mapping == {**source.mapping, "code_commune": "Lieu"}
    mapped = request.replace(mapping=tuple(sorted(mapping.items()))).source()
    assert mapped.mapping == mapping
    mapped.check()  # nothing missing any more


def test_mapping_left_as_recognised_is_none():
    source = imports.open_uploads([("acteurs.csv", CSV)])
    step = page.mapping_defaults(source)
    assert not step.missing
    assert page.mapping_changes(step.defaults, source, step.missing) is None


def test_report_notices_for_sirene_and_swapped_rows():
    report = loading.ImportReport(file="x", ignored=3, swapped=2)
    notices = page.report_notices(report, fix_swapped=False)
    assert notices.ignored == (
        "3 établissement(s) SIRENE ignoré(s) : fermés, ou d'une unité légale hors ESS."
    )
    assert notices.demo_removed is None
    assert notices.swapped == (
        "2 ligne(s) ont la latitude et la longitude inversées : cochez « Corriger "
        "les latitudes et longitudes inversées » pour les importer quand même."
    )
    assert page.report_notices(report, fix_swapped=True).swapped is None


def test_messages():
    assert page.decision_message(1, False, 7) == (
        "1 proposition(s) écartée(s) (modification n° 7)."
    )
    assert page.actor_saved(4, None) == "Aucun changement."
    assert page.actor_saved(4, 9) == "Fiche n° 4 enregistrée (modification n° 9)."
    assert page.network_saved(None) == "Aucun changement."
    assert page.network_saved(3) == "Réseau enregistré (modification n° 3)."


def test_form_fields_and_starting_values():
    assert page.form_text({"latitude": 48.39}, "latitude") == "48.39"
    assert option_index(page.FAMILIES, "inconnue", page.FAMILIES[0]) == 0
    assert option_index(page.FAMILIES, "cooperative", "association") == (
        page.FAMILIES.index("cooperative")
    )
    new = {}
    assert [page.network_start(new, f) for f in ("level", "kind", "status")] == [
        1,
        0,
        0,
    ]
    existing = {"level": "departement", "kind": "cluster", "status": "en_projet"}
    assert [page.network_start(existing, f) for f in ("level", "kind", "status")] == [
        4,
        4,
        1,
    ]


def test_perimeter_and_members_defaults():
    record = {"level": "commune", "codes": ["29019", "29075"]}
    assert page.perimeter_codes(record, "commune") == ["29019", "29075"]
    assert page.perimeter_codes(record, "epci") == []
    assert page.commune_codes("29019,29075  29232") == ["29019", "29075", "29232"]
    assert page.kept([3, 99, 1], pd.Index([1, 2, 3])) == [3, 1]


def test_undo_choices_label_each_undoable_change(conn):
    loading.import_actors(conn, imports.open_source(CSV, "acteurs.csv"), who="bob")
    log = history.log(conn, limit=200)
    choices = page.undo_choices(log, history.log_table(log))
    first = int(log["id"].iloc[0])
    assert list(choices) == log.loc[log["undoable"], "id"].tolist()
    assert choices[first].startswith(f"n° {first} : Import de fichier — acteurs.csv")


def test_exports_offered_and_made(conn):
    assert [(k, e.label, e.file_name) for k, e in page.EXPORTS.items()] == [
        ("csv", "CSV (zip)", "ess_territoires_csv.zip"),
        ("xlsx", "Excel (XLSX)", "ess_territoires.xlsx"),
        ("gpkg", "GeoPackage (QGIS)", "ess_territoires.gpkg"),
        (
            "sqlite",
            "Télécharger une sauvegarde de l'espace de travail (SQLite)",
            "ess_territoires_sauvegarde.sqlite",
        ),
    ]
    data = page.export_bytes(conn, "csv")
    assert zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert page.export_bytes(conn, "sqlite").startswith(b"SQLite format 3\x00")
