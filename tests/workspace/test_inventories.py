"""Declared network inventories: seeded, declared by staff, journaled, undone."""

import pytest

from ess_geo.errors import WorkspaceError
from ess_geo.workspace import history, inventories, seeding, store


def test_reference_declares_bretagne_complete_at_the_pays_level():
    table = inventories.reference_inventories().set_index("region")
    assert len(table) == 18
    assert table.index[table["complet"]].tolist() == ["53"]
    assert table.at["53", "niveau"] == "pays"
    assert "ajiter.fr" in table.at["53", "source"]


def test_seeding_a_workspace_seeds_the_declarations(conn):
    seeding.seed_workspace(conn, size=100, seed=1)
    table = inventories.read_inventories(conn)
    assert len(table) == 18
    assert inventories.complete_regions(conn) == ["53"]
    assert table.at["53", "declared_by"] == inventories.REFERENCE_WHO
    assert table.at["11", "complet"] == False  # noqa: E712
    # Seeding is still one audited transaction.
    assert store.read_audit_log(conn)["action"].tolist() == ["demo.seed"]


def test_an_older_workspace_gets_the_reference_declarations_once(
    workspace_path, monkeypatch
):
    monkeypatch.setenv(seeding.DEMO_SIZE_ENV, "500")
    conn = seeding.open_workspace(workspace_path)
    with store.transaction(conn):
        conn.execute("DELETE FROM network_inventories")
        store.audit(conn, "test.clear", {})
    conn.close()
    conn = seeding.open_workspace(workspace_path)
    assert inventories.complete_regions(conn) == ["53"]
    assert store.read_audit_log(conn)["action"].iloc[0] == "inventaire.reference"
    assert inventories.ensure_inventories(conn) == 0
    conn.close()


def test_a_declaration_is_audited_and_undoable(conn):
    seeding.seed_workspace(conn, size=100, seed=1)
    audit_id = inventories.declare_inventory(
        conn,
        "28",
        True,
        source="liste de la CRESS Normandie, 2026",
        level="epci",
        who="equipe",
    )
    assert inventories.complete_regions(conn) == ["28", "53"]
    row = inventories.read_inventories(conn).loc["28"]
    assert (row["declared_by"], row["niveau"]) == ("equipe", "epci")
    log = history.log(conn)
    assert log.iloc[0]["action"] == inventories.DECLARE_ACTION
    assert history.describe(log.iloc[0]["action"], log.iloc[0]["detail"]) == (
        "Normandie (28) : complet"
    )
    history.undo(conn, audit_id, who="equipe")
    assert inventories.complete_regions(conn) == ["53"]
    row = inventories.read_inventories(conn).loc["28"]
    assert row["declared_by"] == inventories.REFERENCE_WHO


def test_declaring_bretagne_incomplete_then_undoing(conn):
    seeding.seed_workspace(conn, size=100, seed=1)
    audit_id = inventories.declare_inventory(conn, "53", False, source="doute")
    assert inventories.complete_regions(conn) == []
    history.undo(conn, audit_id)
    assert inventories.complete_regions(conn) == ["53"]


def test_a_declaration_without_a_row_yet_is_inserted_and_undone(conn):
    audit_id = inventories.declare_inventory(conn, "94", True, source="s")
    assert inventories.complete_regions(conn) == ["94"]
    history.undo(conn, audit_id)
    assert inventories.complete_regions(conn) == []


@pytest.mark.parametrize(
    ("region", "source", "message"),
    [
        ("99", "s", "Région « 99 » inconnue"),
        ("53", "   ", "Indiquez la source"),
        ("53", "x" * 501, "Source trop longue"),
    ],
)
def test_bad_declarations_are_refused_and_nothing_is_written(
    conn, region, source, message
):
    seeding.seed_workspace(conn, size=100, seed=1)
    before = store.revision(conn)
    with pytest.raises(WorkspaceError, match=message):
        inventories.declare_inventory(conn, region, False, source=source)
    assert store.revision(conn) == before
    assert inventories.complete_regions(conn) == ["53"]


def test_the_table_for_people_has_french_headers(conn):
    seeding.seed_workspace(conn, size=100, seed=1)
    table = inventories.inventory_table(inventories.read_inventories(conn))
    assert list(table.columns) == [
        "Région",
        "Code",
        "Inventaire",
        "Niveau",
        "Source",
        "Confiance",
        "Déclaré par",
        "Le (UTC)",
    ]
    assert table.loc[table["Code"] == "53", "Inventaire"].item() == "complet"
