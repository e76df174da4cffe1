import pandas as pd
import pytest
from conftest import workspace_dump

from ess_geo.io import imports
from ess_geo.workspace import history, loading, store

HEADER = "nom;siret;code_commune;famille;latitude;longitude;reseaux;email\n"


def source(text: str, name: str = "acteurs.csv"):
    return imports.open_source(text.encode(), name)


def run(conn, text, **options):
    return loading.import_actors(conn, source(text), who="test", **options)


def real_actors(conn):
    table = store.read_actors(conn)
    return table[~table["is_demo"]]


def test_first_import_replaces_the_demo_in_the_same_transaction(seeded):
    assert store.has_demo_actors(seeded)
    report = run(seeded, HEADER + "Atelier vélo;73282932000074;29019;association;;;;\n")
    assert report.exit_code == 0
    assert (report.read, report.imported, report.updated) == (1, 1, 0)
    assert report.demo_removed == 300
    assert not store.has_demo_actors(seeded)
    table = store.read_actors(seeded)
    assert table["nom"].tolist() == ["Atelier vélo"]
    assert table["source"].tolist() == ["acteurs.csv"]
    assert table["placement"].tolist() == ["commune"]
    # Demo members went with the demo actors; the networks stay.
    assert store.read_network_members(seeded).empty
    assert len(store.read_networks(seeded)) == 31


def test_keep_demo_keeps_the_fictitious_actors(seeded):
    report = run(seeded, HEADER + "Atelier;;29019;association;;;;\n", keep_demo=True)
    assert report.demo_removed == 0
    assert store.has_demo_actors(seeded)
    assert len(store.read_actors(seeded)) == 301


def test_same_siret_updates_the_stored_actor(seeded):
    run(seeded, HEADER + "Atelier vélo;73282932000074;29019;association;;;;\n")
    before = store.read_actors(seeded)
    stamp = seeded.execute("SELECT updated_at FROM actors").fetchone()[0]
    unchanged = run(seeded, HEADER + "Atelier vélo;73282932000074;29019;;;;;\n")
    assert (unchanged.imported, unchanged.updated) == (0, 1)
    pd.testing.assert_frame_equal(store.read_actors(seeded), before)
    assert seeded.execute("SELECT updated_at FROM actors").fetchone()[0] == stamp
    changed = run(
        seeded,
        HEADER + "Atelier vélo & co;73282932000074;29019;;;;;contact@velo.example\n",
    )
    assert (changed.imported, changed.updated) == (0, 1)
    row = store.read_actors(seeded).iloc[0]
    assert (row["nom"], row["email"], row["famille"]) == (
        "Atelier vélo & co",
        "contact@velo.example",
        "association",  # empty cells never erase stored values
    )


def test_rejected_rows_are_reported_and_the_others_imported(seeded):
    report = run(
        seeded,
        HEADER
        + "Bon;;29019;association;;;;\n"
        + ";;29019;association;;;;\n"
        + "Mauvais SIRET;123;29019;association;;;;\n",
    )
    assert report.exit_code == 1
    assert report.rejected == [
        {"line": 3, "reason": "nom vide"},
        {
            "line": 4,
            "reason": "SIRET « 123 » : 14 chiffres attendus (3 caractères lus)",
        },
    ]
    assert real_actors(seeded)["nom"].tolist() == ["Bon"]
    assert report.to_json() == {
        "read": 3,
        "imported": 1,
        "updated": 0,
        "rejected": report.rejected,
        "duplicates": [],
        "ignored": 0,
    }


def test_nothing_importable_writes_nothing_not_even_the_demo_removal(seeded):
    before = workspace_dump(seeded)
    revision = store.revision(seeded)
    report = run(seeded, HEADER + ";;29019;association;;;;\n")
    assert report.exit_code == 2
    assert report.error.startswith(
        "Aucune ligne de acteurs.csv n'a pu être importée (1 ligne(s) refusée(s)"
    )
    assert report.rejected == [{"line": 2, "reason": "nom vide"}]
    assert workspace_dump(seeded) == before
    assert store.revision(seeded) == revision


def test_header_only_file_is_unusable(seeded):
    before = workspace_dump(seeded)
    report = run(seeded, HEADER)
    assert report.exit_code == 2
    assert "le fichier n'a pas de ligne de données" in report.error
    assert workspace_dump(seeded) == before


def test_dry_run_counts_everything_and_writes_nothing(seeded):
    before = workspace_dump(seeded)
    report = run(
        seeded, HEADER + "A;;29019;association;;;;\n;;29019;;;;;\n", dry_run=True
    )
    assert (report.imported, len(report.rejected), report.demo_removed) == (1, 1, 300)
    assert report.audit_id is None
    assert report.exit_code == 1
    assert workspace_dump(seeded) == before


def test_a_crash_half_way_leaves_the_workspace_as_it_was(seeded, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)
    before = workspace_dump(seeded)
    calls = []
    real = history.Journal.insert_actors

    def failing(self, actors, **kwargs):
        calls.append(len(actors))
        if len(calls) == 2:
            raise OSError("disque plein")
        return real(self, actors, **kwargs)

    monkeypatch.setattr(history.Journal, "insert_actors", failing)
    rows = "".join(f"Acteur {i};;29019;association;;;;\n" for i in range(5))
    with pytest.raises(OSError, match="disque plein"):
        run(seeded, HEADER + rows)
    assert calls == [2, 2]
    assert workspace_dump(seeded) == before


def test_reseaux_by_name_or_id_become_memberships(seeded):
    networks = store.read_networks(seeded)
    brest = int(networks.index[networks["nom"] == "ADESS Pays de Brest"][0])
    report = run(
        seeded,
        HEADER
        + f"A;;29019;association;;;adess pays de BREST|{brest};\n"
        + "B;;29019;association;;;Réseau imaginaire;\n",
    )
    assert report.rejected[0]["line"] == 3
    assert report.rejected[0]["reason"].startswith(
        "réseau(x) inconnu(s) : « Réseau imaginaire »"
    )
    members = store.read_network_members(seeded)
    actor = int(real_actors(seeded).index[0])
    assert members.values.tolist() == [[brest, actor]]


def test_import_is_audited_with_who_file_and_counts(seeded):
    report = run(seeded, HEADER + "A;;29019;association;;;;\n;;;;;;;\n")
    entry = store.read_audit_log(seeded).iloc[0]
    assert entry["id"] == report.audit_id
    assert (entry["who"], entry["action"]) == ("test", "import")
    assert entry["detail"] == {
        "fichier": "acteurs.csv",
        "format": "csv",
        "lues": 2,
        "importees": 1,
        "mises_a_jour": 0,
        "refusees": 1,
        "ignorees": 0,
        "doublons_proposes": 0,
        "demo_retiree": 300,
    }


def test_undoing_an_import_restores_demo_members_and_updated_actors(seeded):
    run(
        seeded,
        HEADER + "Atelier;73282932000074;29019;association;;;;\n",
        keep_demo=True,
    )
    before = workspace_dump(seeded)
    networks = store.read_networks(seeded)
    report = run(
        seeded,
        HEADER
        + f"Atelier renommé;73282932000074;29019;;;;{networks.index[0]};\n"
        + "Nouveau;;29019;association;;;;\n",
    )
    assert report.demo_removed == 300
    assert workspace_dump(seeded) != before
    history.undo(seeded, report.audit_id, who="test")
    assert workspace_dump(seeded) == before


def test_read_actor_file_checks_rows_without_a_workspace(tmp_path):
    path = tmp_path / "acteurs.csv"
    path.write_text(
        HEADER
        + "A;73282932000074;29019;association;;;Réseau inconnu;\n"
        + ";;29019;association;;;;\n",
        encoding="utf-8",
    )
    rows, report = loading.read_actor_file(path)
    assert rows[["nom", "code_commune", "placement", "line"]].values.tolist() == [
        ["A", "29019", "commune", 2]
    ]
    assert "reseaux" not in rows
    assert (report.read, report.imported) == (2, 1)
    assert report.rejected == [{"line": 3, "reason": "nom vide"}]
