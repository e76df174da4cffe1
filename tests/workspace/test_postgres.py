"""What only PostgreSQL workspaces have: PostGIS positions, the revision
sequence, migrations under a lock, pg_dump backups, moving a SQLite
workspace in."""

import contextlib

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import workspace_dump

from ess_geo.cli import cli
from ess_geo.errors import RestoreError, WorkspaceError
from ess_geo.io import imports
from ess_geo.workspace import (
    backup,
    dialect,
    editing,
    history,
    loading,
    pgbackup,
    seeding,
    store,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(pg_url, tmp_path, monkeypatch):
    monkeypatch.setenv("ESS_GEO_DB", pg_url)
    monkeypatch.setenv("ESS_GEO_BACKUP_DIR", str(tmp_path / "sauvegardes"))
    conn = store.connect(pg_url)
    yield conn
    conn.close()


def _point(conn, actor_id):
    return conn.execute(
        "SELECT ST_X(geom), ST_Y(geom), ST_SRID(geom) FROM actors WHERE id = ?",
        (actor_id,),
    ).fetchone()


def test_positions_are_a_postgis_point_kept_in_sync(pg):
    actor_id = editing.add_actor(
        pg,
        {
            "nom": "Atelier",
            "famille": "association",
            "code_commune": "29019",
            "latitude": 48.39,
            "longitude": -4.48,
        },
    )
    assert tuple(_point(pg, actor_id)) == (-4.48, 48.39, 4326)
    record = editing.actor_record(pg, actor_id)
    form = {k: record.get(k) for k in editing.ACTOR_FORM_FIELDS}
    editing.update_actor(pg, actor_id, {**form, "latitude": 48.4, "longitude": -4.49})
    assert tuple(_point(pg, actor_id)) == (-4.49, 48.4, 4326)
    indexes = pg.execute(
        "SELECT indexdef FROM pg_indexes WHERE tablename = 'actors' "
        "AND indexname = 'actors_geom'"
    ).fetchone()
    assert "USING gist (geom)" in indexes[0]
    # The journal never carries the derived column.
    assert "geom" not in dialect.columns(pg, "actors")


def _out_of_sync(conn):
    """Actors whose PostGIS point is not their latitude and longitude."""
    return conn.execute(
        "SELECT count(*) FROM actors WHERE geom IS DISTINCT FROM (CASE WHEN "
        "latitude IS NULL OR longitude IS NULL THEN NULL ELSE "
        "ST_SetSRID(ST_MakePoint(longitude, latitude), 4326) END)"
    ).fetchone()[0]


def test_a_large_demo_replacement_truncates_and_undo_restores_points(pg, monkeypatch):
    seeding.seed_workspace(pg, size=300, seed=1)
    networks = store.read_networks(pg)
    members = len(store.read_network_members(pg))
    assert members > 0
    before = workspace_dump(pg)
    # As for a 300,000-actor demo: emptied at once, not row by row.
    monkeypatch.setattr(history, "_TRUNCATE_FROM", 300)
    node = "SELECT pg_relation_filenode('actors')"
    filenode = pg.execute(node).fetchone()[0]
    text = (
        "nom;siret;code_commune;famille;latitude;longitude;reseaux\n"
        f"Atelier;73282932000074;29019;association;48.39;-4.48;{networks.index[0]}\n"
    )
    report = loading.import_actors(pg, imports.open_source(text.encode(), "a.csv"))
    assert (report.imported, report.demo_removed) == (1, 300)
    assert pg.execute(node).fetchone()[0] != filenode
    assert store.read_actors(pg)["nom"].tolist() == ["Atelier"]
    assert len(store.read_network_members(pg)) == 1
    assert tuple(_point(pg, int(store.read_actors(pg).index[0]))) == (
        -4.48,
        48.39,
        4326,
    )
    history.undo(pg, report.audit_id, who="test")
    assert workspace_dump(pg) == before
    assert len(store.read_network_members(pg)) == members
    assert _out_of_sync(pg) == 0
    assert pg.execute("SELECT count(geom) FROM actors").fetchone()[0] == 300


def test_a_smaller_deletion_or_a_partial_one_deletes_rows(pg, monkeypatch):
    seeding.seed_workspace(pg, size=300, seed=1)
    editing.add_actor(
        pg, {"nom": "Réel", "famille": "association", "code_commune": "29019"}
    )
    monkeypatch.setattr(history, "_TRUNCATE_FROM", 300)
    node = "SELECT pg_relation_filenode('actors')"
    filenode = pg.execute(node).fetchone()[0]
    with store.transaction(pg):
        assert history.Journal(pg).delete("actors", "is_demo = 1") == 300
    # A real actor stays: its table is not emptied, so rows are deleted.
    assert pg.execute(node).fetchone()[0] == filenode
    assert store.read_actors(pg)["nom"].tolist() == ["Réel"]


def test_a_write_on_one_connection_is_a_new_revision_on_another(pg, pg_url):
    other = store.connect(pg_url)
    before = store.revision(other)
    with pytest.raises(ZeroDivisionError), store.transaction(pg):
        store.audit(pg, "test", {})
        1 / 0  # noqa: B018 - a failing write: rolled back
    assert store.revision(other) == before
    with store.transaction(pg):
        audit_id = store.audit(pg, "test", {})
    assert store.revision(other) == store.Revision(before.generation, audit_id)
    # Audit ids come from the sequence: the rolled-back one is never reused.
    assert audit_id == before.audit_id + 2
    other.close()


def test_a_newer_schema_is_refused(pg, pg_url):
    pg.execute("UPDATE schema_version SET version = ?", (store.SCHEMA_VERSION + 1,))
    with pytest.raises(WorkspaceError, match="plus récent"):
        store.connect(pg_url)
    assert dialect.user_version(pg) == store.SCHEMA_VERSION + 1


def test_a_failed_migration_leaves_the_previous_version(pg, pg_url, monkeypatch):
    released = store.SCHEMA_VERSION
    monkeypatch.setattr(
        store,
        "MIGRATIONS",
        (
            *store.MIGRATIONS,
            "CREATE TABLE extra (x TEXT); CREATE TABLE extra (x TEXT);",
        ),
    )
    monkeypatch.setattr(store, "SCHEMA_VERSION", len(store.MIGRATIONS))
    with pytest.raises(WorkspaceError, match="Impossible de préparer"):
        store.connect(pg_url)
    assert dialect.user_version(pg) == released
    assert dialect.columns(pg, "extra") == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"SQLite format 3\x00" + b"\x00" * 50, "pas une sauvegarde PostgreSQL"),
        (b"PGDMP" + b"\x00" * 50, "illisible"),
    ],
)
def test_bad_dumps_are_refused_and_change_nothing(pg, pg_url, data, message):
    seeding.seed_workspace(pg, size=50, seed=1)
    before = workspace_dump(pg)
    with pytest.raises(RestoreError, match=message):
        backup.restore(data, path=pg_url)
    assert workspace_dump(pg) == before


def test_a_sqlite_workspace_moves_into_postgresql(tmp_path, pg_url, monkeypatch):
    source = tmp_path / "espace.sqlite"
    monkeypatch.setenv(seeding.DEMO_SIZE_ENV, "300")
    with contextlib.closing(seeding.open_workspace(source)) as sqlite:
        kept = editing.add_actor(
            sqlite,
            {"nom": "Épicerie", "famille": "association", "code_commune": "29019"},
        )
        expected = {
            "actors": store.read_actors(sqlite),
            "networks": store.read_networks(sqlite),
            "members": store.read_network_members(sqlite),
        }
        log = history.log(sqlite)
    monkeypatch.setenv("ESS_GEO_DB", str(tmp_path / "ailleurs.sqlite"))
    result = CliRunner().invoke(cli, ["migrate-workspace", str(source), pg_url])
    assert result.exit_code == 0, result.output
    assert f"{len(expected['actors'])} acteurs" in result.output
    with contextlib.closing(store.connect(pg_url)) as pg:
        pd.testing.assert_frame_equal(store.read_actors(pg), expected["actors"])
        pd.testing.assert_frame_equal(store.read_networks(pg), expected["networks"])
        pd.testing.assert_frame_equal(
            store.read_network_members(pg), expected["members"]
        )
        moved = history.log(pg)
        assert moved["action"].tolist()[1:] == log["action"].tolist()
        assert moved["action"].iloc[0] == "migration"
        # The journal came along: the addition made in SQLite can be undone.
        history.undo(pg, int(log["id"].iloc[0]))
        assert kept not in store.read_actors(pg).index
        # New ids follow the copied ones.
        new = editing.add_actor(
            pg, {"nom": "Autre", "famille": "association", "code_commune": "29019"}
        )
        assert new == kept
    again = CliRunner().invoke(cli, ["migrate-workspace", str(source), pg_url])
    assert again.exit_code == 2
    assert "contient déjà un espace de travail" in again.output


def test_migrate_workspace_wants_a_postgresql_destination(tmp_path):
    source = tmp_path / "espace.sqlite"
    store.connect(source).close()
    result = CliRunner().invoke(
        cli, ["migrate-workspace", str(source), str(tmp_path / "b.sqlite")]
    )
    assert result.exit_code == 2
    assert "une adresse postgresql://" in result.output


def test_a_write_waiting_too_long_for_another_server_is_a_french_error(pg, pg_url):
    other = store.connect(pg_url)
    try:
        other.execute("BEGIN IMMEDIATE")  # another server's write, not finished
        pg.execute("SET lock_timeout = '100ms'")  # instead of 30 s
        with pytest.raises(WorkspaceError, match="Rien n'a été écrit"):
            with store.transaction(pg):
                store.audit(pg, "test", {})
        assert not pg.in_transaction
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.revision(pg).audit_id == 0


def _dump_with(server, *statements):
    """A dump of another workspace whose schema some statements changed."""
    server.admin("DROP DATABASE IF EXISTS other")
    url = server.create_database("other")
    with contextlib.closing(store.connect(url)) as other:
        seeding.seed_workspace(other, size=20, seed=2)
        for statement in statements:
            other.execute(statement)
    return pgbackup.dump(url)


@pytest.mark.parametrize(
    ("statements", "message"),
    [
        (
            (
                "CREATE FUNCTION wipe() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN DELETE FROM actors; RETURN NEW; END $$",
                "CREATE TRIGGER wipe AFTER INSERT ON audit_log "
                "FOR EACH ROW EXECUTE FUNCTION wipe()",
            ),
            "déclencheur « audit_log.wipe » en trop",
        ),
        (("CREATE VIEW v AS SELECT 1 AS x",), "vue « v » en trop"),
        (
            ("ALTER TABLE actors ADD COLUMN extra TEXT",),
            "colonne « actors.extra » en trop",
        ),
        (("CREATE INDEX extra_idx ON actors (nom)",), "index « extra_idx » en trop"),
        (("ALTER TABLE actors DROP COLUMN email",), "colonne « actors.email » absent"),
        (
            ("ALTER TABLE actors ALTER COLUMN nom DROP NOT NULL",),
            "colonne « actors.nom » différent",
        ),
        (
            (
                "CREATE OR REPLACE FUNCTION ess_json_ids(text) RETURNS TABLE "
                "(value bigint) LANGUAGE sql AS $$ SELECT 1::bigint $$",
            ),
            r"fonction « ess_json_ids\(text\) » différent",
        ),
    ],
)
def test_a_dump_with_a_schema_of_its_own_is_refused_and_changes_nothing(
    pg, pg_url, postgres_server, statements, message
):
    seeding.seed_workspace(pg, size=50, seed=1)
    data = _dump_with(postgres_server, *statements)
    before = workspace_dump(pg)
    signature = pgbackup.schema_signature(pg)
    revision = store.revision(pg)
    with pytest.raises(RestoreError, match=message) as refused:
        backup.restore(data, path=pg_url)
    assert "l'espace de travail n'a pas été modifié" in str(refused.value)
    assert workspace_dump(pg) == before
    assert pgbackup.schema_signature(pg) == signature
    assert store.revision(pg) == revision


def test_a_restore_never_sets_the_revision_back(pg, pg_url):
    seeding.seed_workspace(pg, size=50, seed=1)
    saved = pgbackup.dump(pg_url)
    seen = [store.revision(pg)]
    for name in ("A", "B", "C"):
        editing.add_actor(
            pg, {"nom": name, "famille": "association", "code_commune": "29019"}
        )
        seen.append(store.revision(pg))
    before_restore = seen[-1].audit_id
    backup.restore(saved, path=pg_url, who="alice")
    restored = store.revision(pg)
    assert restored.audit_id > before_restore
    assert restored.generation not in {r.generation for r in seen}
    entry = store.read_audit_log(pg).iloc[0]
    assert (entry["id"], entry["action"], entry["who"]) == (
        restored.audit_id,
        "restauration",
        "alice",
    )
    assert sorted(store.read_actors(pg)["nom"]) == sorted(
        n for n in store.read_actors(pg)["nom"] if n not in {"A", "B", "C"}
    )
    # The next write goes on from there, on every server.
    with store.transaction(pg):
        assert store.audit(pg, "test", {}) == restored.audit_id + 1


def test_an_older_dump_is_migrated_in_the_restore_transaction(
    pg, pg_url, postgres_server, monkeypatch
):
    seeding.seed_workspace(pg, size=20, seed=1)
    signature = pgbackup.schema_signature(pg)
    postgres_server.admin("DROP DATABASE IF EXISTS older")
    url = postgres_server.create_database("older")
    older = store.SCHEMA_VERSION - 1
    with monkeypatch.context() as patch:
        patch.setattr(store, "MIGRATIONS", store.MIGRATIONS[:older])
        patch.setattr(store, "SCHEMA_VERSION", older)
        with contextlib.closing(store.connect(url)) as conn:
            editing.add_actor(
                conn,
                {"nom": "Ancien", "famille": "association", "code_commune": "29019"},
            )
    data = pgbackup.dump(url)
    backup.restore(data, path=pg_url)
    assert dialect.user_version(pg) == store.SCHEMA_VERSION
    assert pgbackup.schema_signature(pg) == signature
    assert store.read_actors(pg)["nom"].tolist() == ["Ancien"]
    assert [a for a in history.log(pg)["action"]] == ["restauration", "acteur.ajout"]


def test_a_restore_waiting_too_long_for_a_reader_changes_nothing(
    pg, pg_url, monkeypatch
):
    seeding.seed_workspace(pg, size=20, seed=1)
    saved = pgbackup.dump(pg_url)
    editing.add_actor(
        pg, {"nom": "Après", "famille": "association", "code_commune": "29019"}
    )
    before = workspace_dump(pg)
    reader = store.connect(pg_url)
    try:
        reader.execute("BEGIN")  # another server's long read
        reader.execute("SELECT count(*) FROM actors").fetchone()
        monkeypatch.setattr(dialect, "LOCK_TIMEOUT_MS", 200)
        with pytest.raises(RestoreError, match="occupé par un autre serveur"):
            backup.restore(saved, path=pg_url)
    finally:
        reader.execute("ROLLBACK")
        reader.close()
    assert workspace_dump(pg) == before


def test_an_import_into_no_actors_builds_the_spatial_index_once(pg):
    seeding.seed_workspace(pg, size=30, seed=1)
    signature = pgbackup.schema_signature(pg)
    node = "SELECT pg_relation_filenode('actors_geom')"
    index = pg.execute(node).fetchone()[0]
    text = (
        "nom;code_commune;famille;latitude;longitude\n"
        "Atelier;29019;association;48.39;-4.48\n"
        "Sans position;29019;association;;\n"
    )
    first = loading.import_actors(pg, imports.open_source(text.encode(), "a.csv"))
    assert (first.imported, first.demo_removed) == (2, 30)
    # The demo gone, the index was dropped and built again after the rows.
    rebuilt = pg.execute(node).fetchone()[0]
    assert rebuilt != index
    assert pgbackup.schema_signature(pg) == signature
    assert _out_of_sync(pg) == 0
    # The second one is placed at its commune: a point too.
    assert pg.execute("SELECT count(geom) FROM actors").fetchone()[0] == 2
    # Actors stored: kept up to date row by row, the index left in place.
    again = (
        "nom;code_commune;famille;latitude;longitude\n"
        "Autre;29019;association;48.4;-4.49\n"
    )
    loading.import_actors(pg, imports.open_source(again.encode(), "b.csv"))
    assert pg.execute(node).fetchone()[0] == rebuilt
    assert _out_of_sync(pg) == 0
    nearest = pg.execute(
        "SELECT nom FROM actors ORDER BY geom <-> "
        "ST_SetSRID(ST_MakePoint(-4.49, 48.4), 4326) LIMIT 1"
    ).fetchone()[0]
    assert nearest == "Autre"
    history.undo(pg, int(history.log(pg)["id"].iloc[0]), who="test")
    history.undo(pg, first.audit_id, who="test")
    assert len(store.read_actors(pg)) == 30
    assert _out_of_sync(pg) == 0
    assert pgbackup.schema_signature(pg) == signature
