import sqlite3

import pandas as pd
import pytest

from ess_geo.errors import WorkspaceError
from ess_geo.workspace import store


def _actor(**overrides):
    row = {
        "siret": "73282932000074",
        "nom": "Atelier vélo",
        "famille": "association",
        "code_commune": "29019",
    }
    row.update(overrides)
    return pd.DataFrame([row])


def test_new_workspace_is_migrated_to_the_current_version(conn):
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    tables = {
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    assert {
        "actors",
        "networks",
        "network_territories",
        "network_members",
        "audit_log",
    } <= tables


def test_workspace_uses_wal_and_foreign_keys(conn):
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_reopening_does_not_migrate_twice(workspace_path):
    store.connect(workspace_path).close()
    conn = store.connect(workspace_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    conn.close()


def test_path_comes_from_environment(workspace_path):
    assert store.workspace_path() == workspace_path


def test_newer_schema_is_refused_without_touching_the_file(workspace_path):
    raw = sqlite3.connect(workspace_path)
    raw.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(WorkspaceError, match="plus récent"):
        store.connect(workspace_path)
    raw = sqlite3.connect(workspace_path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION + 1
    raw.close()


def test_a_file_that_is_not_sqlite_is_refused_clearly(tmp_path):
    path = tmp_path / "not-a-db.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(WorkspaceError, match="Impossible d'ouvrir"):
        store.connect(path)
    assert path.read_bytes() == b"this is not a database" * 100


def test_failed_migration_leaves_previous_version(workspace_path, monkeypatch):
    store.connect(workspace_path).close()
    released = store.SCHEMA_VERSION
    monkeypatch.setattr(
        store,
        "MIGRATIONS",
        (*store.MIGRATIONS, "CREATE TABLE extra (x); CREATE TABLE extra (x);"),
    )
    monkeypatch.setattr(store, "SCHEMA_VERSION", len(store.MIGRATIONS))
    with pytest.raises(WorkspaceError):
        store.connect(workspace_path)
    raw = sqlite3.connect(workspace_path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == released
    names = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
    assert "extra" not in names
    raw.close()


def test_insert_actors_returns_consecutive_ids(conn):
    with store.transaction(conn):
        first = store.insert_actors(conn, _actor(), source="test")
        more = store.insert_actors(
            conn,
            pd.concat([_actor(siret=None, nom="A"), _actor(siret=None, nom="B")]),
            source="test",
        )
    assert first == [1]
    assert more == [2, 3]
    table = store.read_actors(conn)
    assert table.loc[more, "nom"].tolist() == ["A", "B"]
    assert table.loc[1, "siret"] == "73282932000074"
    assert not table["is_demo"].any()


def test_transaction_rolls_back_everything_on_error(conn):
    with store.transaction(conn):
        store.insert_actors(conn, _actor(), source="test")
        store.audit(conn, "test", {"n": 1})
    before = store.read_actors(conn)
    with pytest.raises(sqlite3.IntegrityError):
        with store.transaction(conn):
            store.insert_actors(conn, _actor(siret=None, nom="OK"), source="test")
            store.audit(conn, "test", {"n": 2})
            store.insert_actors(conn, _actor(), source="test")  # duplicate SIRET
    pd.testing.assert_frame_equal(store.read_actors(conn), before)
    assert len(store.read_audit_log(conn)) == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("famille", "syndicat"),
        ("nom", "   "),
        ("siret", "123"),
        ("effectif", -1),
    ],
)
def test_schema_rejects_invalid_actors(conn, field, value):
    with pytest.raises(sqlite3.IntegrityError), store.transaction(conn):
        store.insert_actors(conn, _actor(**{field: value}), source="test")
    assert store.read_actors(conn).empty


def test_audit_records_who_what_and_moves_revision(conn):
    assert store.revision(conn).audit_id == 0
    with store.transaction(conn):
        rev = store.audit(
            conn, "import", {"fichier": "a.csv", "lignes": 3}, who="cress"
        )
    assert store.revision(conn).audit_id == rev == 1
    log = store.read_audit_log(conn)
    assert log.loc[0, "who"] == "cress"
    assert log.loc[0, "action"] == "import"
    assert log.loc[0, "detail"] == {"fichier": "a.csv", "lignes": 3}


def test_networks_with_perimeter_members_and_cascade(conn):
    with store.transaction(conn):
        ids = store.insert_actors(
            conn,
            pd.concat([_actor(), _actor(siret=None, nom="Autre")]),
            source="test",
        )
        networks = pd.DataFrame(
            [{"nom": "Pôle test", "kind": "pole", "status": "actif", "region": "53"}]
        )
        territories = pd.DataFrame(
            [{"nom": "Pôle test", "level": "pays", "code": "BZH-BREST"}]
        )
        members = pd.DataFrame({"nom": ["Pôle test"] * 2, "actor_id": ids})
        network_ids = store.insert_networks(conn, networks, territories, members)
    assert network_ids == {"Pôle test": 1}
    assert store.read_networks(conn).loc[1, "membres"] == 2
    assert store.read_network_territories(conn).to_dict("records") == [
        {"network_id": 1, "level": "pays", "code": "BZH-BREST"}
    ]
    with store.transaction(conn):
        conn.execute("DELETE FROM actors WHERE id = ?", (ids[0],))
    assert store.read_network_members(conn)["actor_id"].tolist() == [ids[1]]


def test_network_kind_and_status_are_checked(conn):
    bad = pd.DataFrame([{"nom": "X", "kind": "federation", "status": "actif"}])
    with pytest.raises(sqlite3.IntegrityError), store.transaction(conn):
        store.insert_networks(conn, bad, pd.DataFrame(columns=["nom", "level", "code"]))


def test_a_version_1_workspace_is_migrated_with_its_data(workspace_path):
    script = store.MIGRATIONS[0]
    raw = sqlite3.connect(workspace_path)
    raw.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = 1;\nCOMMIT;")
    raw.execute(
        "INSERT INTO actors (nom, famille, code_commune, source, created_at, "
        "updated_at) VALUES ('Atelier', 'association', '29019', 'v1', 't', 't')"
    )
    raw.execute(
        "INSERT INTO audit_log (at, who, action, detail) VALUES ('t', 'x', 'a', '{}')"
    )
    raw.commit()
    raw.close()
    conn = store.connect(workspace_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    table = store.read_actors(conn)
    assert table["nom"].tolist() == ["Atelier"]
    assert table["placement"].isna().all()
    assert conn.execute("SELECT undone_by FROM audit_log").fetchone()[0] is None
    conn.close()


def test_a_version_2_workspace_is_migrated_and_given_a_generation(workspace_path):
    raw = sqlite3.connect(workspace_path)
    for version, script in enumerate(store.MIGRATIONS[:2], start=1):
        raw.executescript(
            f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;"
        )
    raw.execute(
        "INSERT INTO actors (nom, famille, code_commune, source, created_at, "
        "updated_at) VALUES ('Atelier', 'association', '29019', 'v2', 't', 't')"
    )
    raw.execute(
        "INSERT INTO audit_log (at, who, action, detail) VALUES ('t', 'x', 'a', '{}')"
    )
    raw.commit()
    raw.close()
    conn = store.connect(workspace_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert store.read_actors(conn)["nom"].tolist() == ["Atelier"]
    revision = store.revision(conn)
    assert revision.audit_id == 1
    assert len(revision.generation) == 32
    conn.close()


def test_every_workspace_has_its_own_generation(tmp_path):
    first = store.connect(tmp_path / "a.sqlite")
    second = store.connect(tmp_path / "b.sqlite")
    assert store.revision(first).generation != store.revision(second).generation
    first.close()
    second.close()


def test_a_renewed_generation_is_a_new_revision(conn):
    before = store.revision(conn)
    with store.transaction(conn):
        store.renew_generation(conn)
    after = store.revision(conn)
    assert after.audit_id == before.audit_id
    assert after != before


def test_issue15_an_unrelated_sqlite_file_is_refused_not_converted(tmp_path):
    other = tmp_path / "autre.sqlite"
    raw = sqlite3.connect(other)
    raw.execute("CREATE TABLE clients (nom TEXT)")
    raw.execute("INSERT INTO clients VALUES ('Dupont')")
    raw.commit()
    raw.close()
    before = other.read_bytes()
    with pytest.raises(WorkspaceError, match="n'est pas un espace de travail"):
        store.connect(other)
    assert other.read_bytes() == before


def test_issue15_a_busy_workspace_is_a_french_workspace_error(workspace_path):
    conn = store.connect(workspace_path)
    other = sqlite3.connect(workspace_path)
    try:
        other.execute("BEGIN IMMEDIATE")
        conn.execute("PRAGMA busy_timeout = 10")  # instead of 30 s
        with (
            pytest.raises(WorkspaceError) as caught,
            store.transaction(conn),
        ):
            pass
        assert str(caught.value) == (
            "Espace de travail : l'espace de travail est occupé par une autre "
            "écriture (un autre import ?) depuis plus de 30 secondes : réessayez "
            "quand elle sera finie. Rien n'a été écrit."
        )
        assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
    finally:
        other.rollback()
        other.close()
        conn.close()


def test_issue15_a_database_error_inside_a_transaction_rolls_back_in_french(
    workspace_path,
):
    conn = store.connect(workspace_path)
    try:
        with pytest.raises(WorkspaceError, match="Rien n'a été écrit"):
            with store.transaction(conn):
                conn.execute(
                    "INSERT INTO workspace_meta (key, value) VALUES ('x', 'y')"
                )
                raise sqlite3.OperationalError("database or disk is full")
        assert not conn.in_transaction
        rows = conn.execute("SELECT 1 FROM workspace_meta WHERE key = 'x'").fetchall()
        assert rows == []
    finally:
        conn.close()
