import io
import re
import sqlite3
import zipfile

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest
from conftest import workspace_dump

from ess_geo.errors import RestoreError, WorkspaceError
from ess_geo.workspace import backup, editing, store

TRAPS = ['=HYPERLINK("http://x.example")', "<script>alert(1)</script>"]


@pytest.fixture
def workspace(seeded):
    for name in TRAPS:
        editing.add_actor(
            seeded, {"nom": name, "famille": "association", "code_commune": "29019"}
        )
    return seeded


def test_csv_zip_has_every_table_with_formulas_neutralised(workspace):
    archive = zipfile.ZipFile(io.BytesIO(backup.export_csv_zip(workspace)))
    assert sorted(archive.namelist()) == [
        "acteurs.csv",
        "membres.csv",
        "perimetres.csv",
        "reseaux.csv",
    ]
    acteurs = pd.read_csv(
        io.BytesIO(archive.read("acteurs.csv")),
        sep=";",
        encoding="utf-8-sig",
        dtype=str,
    )
    assert len(acteurs) == 302
    assert '\'=HYPERLINK("http://x.example")' in acteurs["nom"].tolist()
    assert "<script>alert(1)</script>" in acteurs["nom"].tolist()
    assert set(acteurs["fictif"]) == {"oui", "non"}
    members = pd.read_csv(
        io.BytesIO(archive.read("membres.csv")), sep=";", encoding="utf-8-sig"
    )
    assert len(members) == len(store.read_network_members(workspace))


def test_xlsx_has_one_sheet_per_table(workspace):
    book = openpyxl.load_workbook(io.BytesIO(backup.export_xlsx(workspace)))
    assert book.sheetnames == ["Acteurs", "Réseaux", "Périmètres", "Membres"]
    header = [c.value for c in book["Acteurs"][1]]
    column = header.index("nom")
    names = [row[column].value for row in book["Acteurs"].iter_rows(min_row=2)]
    assert '\'=HYPERLINK("http://x.example")' in names
    assert not any(isinstance(n, str) and n.startswith("=") for n in names)
    assert book["Réseaux"].max_row == 32  # header + 31 networks


def test_geopackage_layers_open_with_gdal(workspace, tmp_path):
    path = tmp_path / "espace.gpkg"
    path.write_bytes(backup.export_geopackage(workspace))
    layers = dict(pyogrio.list_layers(path))
    assert layers == {
        "acteurs": "Point",
        "acteurs_sans_position": None,
        "reseaux": "MultiPolygon",
        "territoires_epci": "MultiPolygon",
        "territoires_pays": "MultiPolygon",
        "territoires_pnr": "MultiPolygon",
        "territoires_departements": "MultiPolygon",
        "territoires_regions": "MultiPolygon",
        "resume": None,
    }
    points = gpd.read_file(path, layer="acteurs")
    assert len(points) == 302
    assert points.crs.to_epsg() == 4326
    regions = gpd.read_file(path, layer="territoires_regions")
    assert regions["structures"].sum() == 302
    networks = gpd.read_file(path, layer="reseaux")
    assert len(networks) == 31
    brest = networks[networks["nom"] == "ADESS Pays de Brest"].iloc[0]
    assert brest.geometry.contains(points[points["nom"] == TRAPS[0]].geometry.iloc[0])


def test_geopackage_keeps_the_actors_without_position(workspace, tmp_path):
    with store.transaction(workspace):
        store.insert_actors(
            workspace,
            pd.DataFrame(
                {
                    "nom": ["Sans position"],
                    "famille": ["association"],
                    "code_commune": ["29019"],
                }
            ),
            source="test",
        )
        store.audit(workspace, "test.insert", {})
    path = tmp_path / "espace.gpkg"
    path.write_bytes(backup.export_geopackage(workspace))
    points = gpd.read_file(path, layer="acteurs")
    unplaced = pyogrio.read_dataframe(path, layer="acteurs_sans_position")
    assert len(points) == 302
    assert unplaced["nom"].tolist() == ["Sans position"]
    summary = pyogrio.read_dataframe(path, layer="resume").set_index("couche")
    assert summary.at["acteurs (en tout)", "lignes"] == 303
    assert summary.at["acteurs", "lignes"] == 302
    assert summary.at["acteurs_sans_position", "lignes"] == 1


def test_backup_then_restore_brings_the_workspace_back(workspace, workspace_path):
    saved = backup.backup_bytes(workspace)
    before = workspace_dump(workspace)
    editing.delete_actor(workspace, int(store.read_actors(workspace).index[0]))
    safety = backup.restore(saved, path=workspace_path, who="alice")
    assert safety.parent.name == "sauvegardes"
    name, suffix = (
        ("ess_test", "dump")
        if isinstance(workspace_path, str)
        else ("workspace", "sqlite")
    )
    assert re.fullmatch(
        rf"{name}-avant-restauration-\d{{8}}-\d{{6}}\.{suffix}", safety.name
    )
    conn = store.connect(workspace_path)
    assert workspace_dump(conn) == before
    entry = store.read_audit_log(conn).iloc[0]
    assert (entry["action"], entry["who"]) == ("restauration", "alice")
    conn.close()
    if isinstance(workspace_path, str):
        assert safety.read_bytes().startswith(b"PGDMP")
        return
    # The safety copy holds the workspace as it was just before.
    kept = sqlite3.connect(safety)
    assert kept.execute("SELECT count(*) FROM actors").fetchone()[0] == 301
    kept.close()


def test_the_revision_after_a_restore_was_never_seen_before(workspace, workspace_path):
    seen = [store.revision(workspace)]
    saved = backup.backup_bytes(workspace)
    network_id = int(store.read_networks(workspace).index[0])
    editing.delete_network(workspace, network_id)
    seen.append(store.revision(workspace))
    backup.restore(saved, path=workspace_path)
    conn = store.connect(workspace_path)
    restored = store.revision(conn)
    conn.close()
    assert restored not in seen
    if isinstance(workspace_path, str):
        # PostgreSQL: audit ids come from a sequence that a restore never
        # sets back.
        assert restored.audit_id > max(revision.audit_id for revision in seen)
    else:
        # The restored file's last audit id, plus the restore's own, is one seen.
        assert restored.audit_id in [revision.audit_id for revision in seen]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not sqlite at all", "n'est pas une sauvegarde SQLite"),
        (b"SQLite format 3\x00" + b"\x00" * 50, "illisible"),
    ],
)
@pytest.mark.sqlite_only
def test_bad_backups_are_refused_and_change_nothing(
    workspace, workspace_path, data, message
):
    before = workspace_dump(workspace)
    with pytest.raises(RestoreError, match=message):
        backup.restore(data, path=workspace_path)
    assert workspace_dump(workspace) == before


@pytest.mark.sqlite_only
def test_a_sqlite_file_that_is_not_a_workspace_is_refused(
    workspace, workspace_path, tmp_path
):
    other = tmp_path / "autre.sqlite"
    raw = sqlite3.connect(other)
    raw.execute("CREATE TABLE x (y)")
    raw.commit()
    raw.close()
    with pytest.raises(RestoreError, match="tables absentes : actors"):
        backup.restore(other.read_bytes(), path=workspace_path)


@pytest.mark.sqlite_only
def test_a_backup_from_a_newer_version_is_refused(workspace, workspace_path):
    saved = backup.backup_bytes(workspace)
    with open_temp(saved) as path:
        raw = sqlite3.connect(path)
        raw.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
        raw.close()
        newer = path.read_bytes()
    with pytest.raises(WorkspaceError, match="plus récent"):
        backup.restore(newer, path=workspace_path)


class open_temp:
    def __init__(self, data):
        import tempfile
        from pathlib import Path

        self.dir = tempfile.TemporaryDirectory()
        self.path = Path(self.dir.name) / "copie.sqlite"
        self.path.write_bytes(data)

    def __enter__(self):
        return self.path

    def __exit__(self, *exc):
        self.dir.cleanup()


def _edited_backup(workspace, *statements):
    saved = backup.backup_bytes(workspace)
    with open_temp(saved) as path:
        raw = sqlite3.connect(path)
        for statement in statements:
            raw.execute(statement)
        raw.commit()
        raw.close()
        return path.read_bytes()


@pytest.mark.sqlite_only  # a SQLite file itself
def test_issue15_restore_refuses_five_tables_with_wrong_columns_at_version_2(
    workspace, workspace_path, tmp_path
):
    other = tmp_path / "faux.sqlite"
    raw = sqlite3.connect(other)
    for table in sorted(backup._REQUIRED_TABLES):
        raw.execute(f"CREATE TABLE {table} (x)")
    raw.execute("PRAGMA user_version = 2")
    raw.commit()
    raw.close()
    before = workspace_dump(workspace)
    with pytest.raises(RestoreError, match="espace de travail ESS Territoires"):
        backup.restore(other.read_bytes(), path=workspace_path)
    assert workspace_dump(workspace) == before
    assert workspace.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.sqlite_only  # a SQLite file itself
def test_issue15_restore_refuses_a_backup_carrying_its_own_trigger(
    workspace, workspace_path
):
    data = _edited_backup(
        workspace,
        "CREATE TRIGGER wipe AFTER INSERT ON audit_log BEGIN DELETE FROM actors; END",
    )
    before = workspace_dump(workspace)
    with pytest.raises(RestoreError, match="déclencheur « wipe » en trop"):
        backup.restore(data, path=workspace_path)
    assert workspace_dump(workspace) == before
    names = [r[0] for r in workspace.execute("SELECT name FROM sqlite_master")]
    assert "wipe" not in names


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("CREATE VIEW v AS SELECT 1", "vue « v » en trop"),
        ("CREATE TABLE extra (x)", "table « extra » en trop"),
        ("ALTER TABLE actors ADD COLUMN extra TEXT", "table « actors » différent"),
        ("CREATE INDEX extra_idx ON actors (nom)", "index « extra_idx » en trop"),
    ],
)
@pytest.mark.sqlite_only  # a SQLite file itself
def test_issue15_restore_refuses_any_schema_of_its_own(
    workspace, workspace_path, statement, message
):
    data = _edited_backup(workspace, statement)
    before = workspace_dump(workspace)
    with pytest.raises(RestoreError, match=message):
        backup.restore(data, path=workspace_path)
    assert workspace_dump(workspace) == before
