import json
import re

import pandas as pd
import pytest
from conftest import workspace_dump

from ess_geo.errors import UndoError
from ess_geo.workspace import history, store
from ess_geo.workspace.history import Journal


def actor(**fields):
    row = {"nom": "Atelier", "famille": "association", "code_commune": "29019"}
    row.update(fields)
    return pd.DataFrame([row])


def change(conn, action, write):
    with store.transaction(conn):
        journal = Journal(conn)
        write(journal)
        return journal.commit(action, {}, who="test")


def test_insert_update_delete_are_journaled_and_undone_in_reverse(conn):
    first = change(conn, "a", lambda j: j.insert_actors(actor(), source="t"))
    after_insert = workspace_dump(conn)
    second = change(
        conn, "b", lambda j: j.update("actors", (1,), {"nom": "Atelier vélo"})
    )
    assert store.read_actors(conn).loc[1, "nom"] == "Atelier vélo"
    entries = conn.execute(
        "SELECT audit_id, tbl, op FROM change_log ORDER BY id"
    ).fetchall()
    assert [tuple(e) for e in entries] == [
        (first, "actors", "insert"),
        (second, "actors", "update"),
    ]
    history.undo(conn, second, who="test")
    assert workspace_dump(conn) == after_insert
    history.undo(conn, first, who="test")
    assert store.read_actors(conn).empty


def test_unchanged_updates_write_nothing(conn):
    change(conn, "a", lambda j: j.insert_actors(actor(), source="t"))
    with store.transaction(conn):
        journal = Journal(conn)
        assert journal.update("actors", (1,), {"nom": "Atelier"}) is False
        assert journal.update("actors", (99,), {"nom": "X"}) is False
    assert conn.execute("SELECT count(*) FROM change_log").fetchone()[0] == 1


def test_deleting_a_network_journals_its_perimeter_and_members(seeded):
    networks = store.read_networks(seeded)
    network_id = int(networks.index[networks["membres"] > 0][0])
    before = workspace_dump(seeded)
    audit_id = change(
        seeded, "network.delete", lambda j: j.delete_ids("networks", [network_id])
    )
    assert network_id not in store.read_networks(seeded).index
    assert network_id not in set(store.read_network_members(seeded)["network_id"])
    history.undo(seeded, audit_id)
    assert workspace_dump(seeded) == before


def test_a_later_change_to_the_same_rows_blocks_the_undo(conn):
    first = change(conn, "a", lambda j: j.insert_actors(actor(), source="t"))
    second = change(conn, "b", lambda j: j.update("actors", (1,), {"nom": "B"}))
    other = change(conn, "c", lambda j: j.insert_actors(actor(nom="Autre"), source="t"))
    assert history.conflicts(conn, first) == [second]
    with pytest.raises(
        UndoError,
        match=re.escape(
            f"Impossible d'annuler la modification n° {first} : les modifications "
            f"n° {second} ont touché depuis les mêmes données."
        ),
    ):
        history.undo(conn, first)
    # An unrelated change does not block, and once the later edit is undone
    # the first change can be undone too.
    history.undo(conn, second)
    assert history.conflicts(conn, first) == []
    history.undo(conn, first)
    assert store.read_actors(conn)["nom"].tolist() == ["Autre"]
    assert other


def test_a_membership_added_later_depends_on_its_actor(seeded):
    first = change(seeded, "a", lambda j: j.insert_actors(actor(), source="t"))
    actor_id = int(store.read_actors(seeded).index.max())
    network_id = int(store.read_networks(seeded).index[0])
    later = change(
        seeded,
        "b",
        lambda j: j.insert(
            "network_members", [{"network_id": network_id, "actor_id": actor_id}]
        ),
    )
    assert history.conflicts(seeded, first) == [later]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("missing", "Modification n° 999 introuvable"),
        ("twice", "a déjà été annulée (annulation n° "),
        ("undo", "est elle-même une annulation"),
        ("demo", "n'a pas laissé de trace détaillée"),
    ],
)
def test_changes_that_cannot_be_undone(seeded, target, message):
    first = change(seeded, "a", lambda j: j.insert_actors(actor(), source="t"))
    undo_id = history.undo(seeded, first)
    audit_id = {
        "missing": 999,
        "twice": first,
        "undo": undo_id,
        "demo": 1,  # the demo seeding, written without a journal
    }[target]
    with pytest.raises(UndoError, match=re.escape(message)):
        history.undo(seeded, audit_id)


def test_log_says_what_can_be_undone(conn):
    first = change(conn, "a", lambda j: j.insert_actors(actor(), source="t"))
    with store.transaction(conn):
        store.audit(conn, "note", {"x": 1}, who="test")
    undo_id = history.undo(conn, first, who="alice")
    log = history.log(conn).set_index("id")
    assert log.loc[first, "undoable"] == False  # noqa: E712
    assert log.loc[first, "undone_by"] == undo_id
    assert log.loc[undo_id, "who"] == "alice"
    assert log.loc[undo_id, "detail"] == {
        "annule": first,
        "action": "a",
        "lignes_retirees": 1,
        "lignes_retablies": 0,
    }
    assert not log["undoable"].any()


def test_log_table_speaks_french(conn):
    first = change(conn, "import", lambda j: j.insert_actors(actor(), source="t"))
    with store.transaction(conn):
        store.audit(conn, "demo.seed", {"actors": 10}, who="root")
    history.undo(conn, first, who="alice")
    table = history.log_table(history.log(conn))
    assert table.columns.tolist() == [
        "N°",
        "Date (UTC)",
        "Par",
        "Action",
        "Détail",
        "État",
    ]
    assert table["Action"].tolist() == [
        "Annulation",
        "Jeu de démonstration",
        "Import de fichier",
    ]
    assert table["État"].tolist() == ["—", "—", f"annulée (n° {first + 2})"]
    assert (
        table["Détail"].iloc[0]
        == f"annule la modification n° {first} (Import de fichier)"
    )


def test_deleted_rows_are_journaled_compactly_and_older_entries_still_undo(conn):
    change(conn, "a", lambda j: j.insert_actors(actor(), source="t"))
    change(conn, "b", lambda j: j.insert_actors(actor(nom="Autre"), source="t"))
    before = workspace_dump(conn)
    first = change(conn, "c", lambda j: j.delete_ids("actors", [1]))
    (text,) = conn.execute(
        "SELECT rows FROM change_log WHERE audit_id = ?", (first,)
    ).fetchone()
    stored = json.loads(text)
    names = list(Journal(conn).columns("actors"))
    assert stored["columns"] == names
    assert [row[:3] for row in stored["values"]] == [[1, None, "Atelier"]]
    history.undo(conn, first, who="test")
    assert workspace_dump(conn) == before
    # A deletion journaled before the compact form: a list of dicts.
    second = change(conn, "d", lambda j: j.delete_ids("actors", [2]))
    (text,) = conn.execute(
        "SELECT rows FROM change_log WHERE audit_id = ?", (second,)
    ).fetchone()
    compact = json.loads(text)
    older = [dict(zip(compact["columns"], v, strict=True)) for v in compact["values"]]
    with store.transaction(conn):
        conn.execute(
            "UPDATE change_log SET rows = ? WHERE audit_id = ?",
            (json.dumps(older), second),
        )
    history.undo(conn, second, who="test")
    assert workspace_dump(conn) == before
