"""Public proposals: validation, placement, merge, acceptance, rejection, limits."""

from __future__ import annotations

import json

import pytest

from ess_geo.errors import EditError, ProposalError
from ess_geo.workspace import editing, history, proposals, store

NEW = {
    "nom": "L'Épicerie solidaire",
    "code_commune": "29019",
    "commune": "Brest",
    "activite": "épicerie",
    "site_web": "https://epicerie.example",
    "contact_email": "moi@example.org",
    "message": "Ouverte en 2024",
}


def _actor(conn) -> int:
    return editing.add_actor(
        conn,
        {"nom": "Ancien nom", "famille": "cooperative", "code_commune": "29019"},
        who="equipe",
    )


def _network(conn) -> int:
    return editing.add_network(
        conn,
        {"nom": "Pôle test", "kind": "pole", "status": "actif"},
        level="epci",
        codes=["242900314"],
        who="equipe",
    )


def test_a_pending_proposal_is_in_no_public_query(conn):
    proposal_id = proposals.submit(conn, "acteur", NEW)
    assert store.read_actors(conn).empty
    record = proposals.proposal(conn, proposal_id)
    assert record["status"] == "en_attente"
    assert record["fields"] == {
        "nom": "L'Épicerie solidaire",
        "code_commune": "29019",
        "commune": "Brest",
        "activite": "épicerie",
        "site_web": "https://epicerie.example",
        "famille": None,
    }
    assert record["contact_email"] == "moi@example.org"
    assert proposals.pending_count(conn) == 1
    assert history.log(conn)["action"].tolist() == ["proposition.depot"]


def test_a_proposal_is_checked_with_the_import_rules(conn):
    with pytest.raises(ProposalError) as caught:
        proposals.submit(conn, "acteur", {**NEW, "nom": "", "code_commune": "99999"})
    # The import's own words: an empty name, an unknown commune.
    assert "nom vide" in str(caught.value)
    assert "99999" in str(caught.value)
    with pytest.raises(ProposalError, match="courriel de contact « pas-un » invalide"):
        proposals.submit(conn, "acteur", {**NEW, "contact_email": "pas-un"})
    assert proposals.pending_count(conn) == 0


def test_every_field_has_a_size_limit(conn):
    too_long = "x" * (proposals.PROPOSAL_MAX_LENGTHS["message"] + 1)
    with pytest.raises(ProposalError) as caught:
        proposals.submit(conn, "acteur", {**NEW, "message": too_long})
    assert str(caught.value) == (
        "Proposition refusée : « Message » dépasse 2\u202f000 caractères "
        "(2\u202f001) : raccourcissez-le."
    )
    assert set(proposals.PROPOSAL_MAX_LENGTHS) >= {
        f for fields in proposals.PROPOSAL_FIELDS.values() for f in fields
    }


def test_html_is_not_kept(conn):
    proposal_id = proposals.submit(
        conn, "acteur", {**NEW, "nom": "<script>alert(1)</script>Café {{7*7}}"}
    )
    assert proposals.proposal(conn, proposal_id)["fields"]["nom"] == (
        "alert(1)Café {{7*7}}"
    )


def test_a_filled_honeypot_stores_nothing(conn):
    assert proposals.submit(conn, "acteur", NEW, honeypot="http://spam") is None
    assert proposals.pending_count(conn) == 0


def test_a_repeated_pending_proposal_is_merged(conn):
    first = proposals.submit(conn, "acteur", {**NEW, "site_web": None})
    second = proposals.submit(
        conn,
        "acteur",
        {
            **NEW,
            "nom": "L EPICERIE SOLIDAIRE",
            "message": "Très bien",
            "contact_email": None,
        },
    )
    assert second == first
    record = proposals.proposal(conn, first)
    assert record["received"] == 2
    assert record["fields"]["site_web"] == "https://epicerie.example"
    assert record["message"] == "Ouverte en 2024\n---\nTrès bien"
    assert record["contact_email"] == "moi@example.org"
    assert proposals.pending_count(conn) == 1
    proposals.reject(conn, first, "Doublon", who="equipe")
    journal = " ".join(r[0] for r in conn.execute("SELECT rows FROM change_log"))
    assert "moi@example.org" not in journal
    assert proposals.proposal(conn, first)["contact_email"] is None


def test_accepting_creates_the_actor_in_the_journal_and_undo_removes_it(conn):
    proposal_id = proposals.submit(conn, "acteur", NEW)
    with pytest.raises(EditError, match="famille"):
        proposals.accept(conn, proposal_id, who="equipe")
    audit_id = proposals.accept(
        conn, proposal_id, edits={"famille": "association"}, who="equipe"
    )
    actors = store.read_actors(conn)
    assert actors["nom"].tolist() == ["L'Épicerie solidaire"]
    assert actors["code_commune"].tolist() == ["29019"]
    assert actors["placement"].tolist() == ["commune"]
    assert actors["source"].tolist() == ["proposition"]
    record = proposals.proposal(conn, proposal_id)
    assert (record["status"], record["decided_by"], record["result_id"]) == (
        "acceptee",
        "equipe",
        int(actors.index[0]),
    )
    # The e-mail is erased, and the journal never copied it.
    assert record["contact_email"] is None
    journal = " ".join(r[0] for r in conn.execute("SELECT rows FROM change_log"))
    assert "moi@example.org" not in journal
    with pytest.raises(ProposalError, match="déjà acceptée"):
        proposals.accept(conn, proposal_id, who="equipe")

    history.undo(conn, audit_id, who="equipe")
    assert store.read_actors(conn).empty
    assert proposals.proposal(conn, proposal_id)["status"] == "en_attente"


def test_accepting_a_correction_updates_the_actor(conn):
    actor_id = _actor(conn)
    proposal_id = proposals.submit(
        conn,
        "correction",
        {"nom": "Nouveau nom", "code_commune": "29232", "message": "a déménagé"},
        actor_id=actor_id,
    )
    assert store.read_actors(conn).at[actor_id, "nom"] == "Ancien nom"
    audit_id = proposals.accept(conn, proposal_id, who="equipe")
    actor = store.read_actors(conn).loc[actor_id]
    assert (actor["nom"], actor["code_commune"], actor["famille"]) == (
        "Nouveau nom",
        "29232",
        "cooperative",
    )
    history.undo(conn, audit_id, who="equipe")
    actor = store.read_actors(conn).loc[actor_id]
    assert (actor["nom"], actor["code_commune"]) == ("Ancien nom", "29019")


def test_rejecting_needs_a_reason_and_erases_the_email(conn):
    proposal_id = proposals.submit(conn, "acteur", NEW)
    with pytest.raises(ProposalError, match="raison"):
        proposals.reject(conn, proposal_id, "  ", who="equipe")
    proposals.reject(conn, proposal_id, "Déjà dans l'annuaire", who="equipe")
    record = proposals.proposal(conn, proposal_id)
    assert (record["status"], record["reason"], record["contact_email"]) == (
        "refusee",
        "Déjà dans l'annuaire",
        None,
    )
    assert store.read_actors(conn).empty
    assert proposals.pending_count(conn) == 0


def test_a_network_contact_is_proposed_then_accepted(conn):
    network_id = _network(conn)
    with pytest.raises(ProposalError, match="aucun contact"):
        proposals.submit(conn, "contact_reseau", {}, network_id=network_id)
    proposal_id = proposals.submit(
        conn,
        "contact_reseau",
        {"site_web": "https://pole.example", "email": "contact@pole.example"},
        network_id=network_id,
    )
    assert store.read_networks(conn).at[network_id, "site_web"] is None
    proposals.accept(conn, proposal_id, edits={"telephone": "02 98 00 00 00"})
    network = store.read_networks(conn).loc[network_id]
    assert (network["site_web"], network["email"], network["telephone"]) == (
        "https://pole.example",
        "contact@pole.example",
        "02 98 00 00 00",
    )


def test_a_proposal_on_an_unknown_actor_is_refused(conn):
    with pytest.raises(EditError, match="introuvable"):
        proposals.submit(conn, "correction", NEW, actor_id=999)


def test_the_migration_gives_the_reference_networks_their_own_site(
    workspace_path,
):
    import sqlite3

    mine = next(
        i for i, m in enumerate(store.MIGRATIONS) if "CREATE TABLE proposals" in m
    )
    raw = sqlite3.connect(workspace_path)
    for script in store.MIGRATIONS[:mine]:
        raw.executescript(script)
    raw.execute(f"PRAGMA user_version = {mine}")
    raw.execute(
        "INSERT INTO networks (nom, kind, status, created_at, updated_at) "
        "VALUES ('Horizons Solidaires', 'pole', 'actif', 'x', 'x')"
    )
    raw.commit()
    raw.close()
    conn = store.connect(workspace_path)
    assert store.read_networks(conn)["site_web"].tolist() == [
        "https://horizons-solidaires.fr"
    ]
    conn.close()


def test_the_stored_fields_are_json(conn):
    proposal_id = proposals.submit(conn, "acteur", NEW)
    (raw,) = conn.execute(
        "SELECT fields FROM proposals WHERE id = ?", (proposal_id,)
    ).fetchone()
    assert json.loads(raw)["nom"] == "L'Épicerie solidaire"


def test_the_journal_describes_proposals(conn):
    proposal_id = proposals.submit(conn, "acteur", {**NEW, "famille": "mutuelle"})
    proposals.submit(conn, "acteur", NEW)
    proposals.accept(conn, proposal_id, who="equipe")
    other = proposals.submit(conn, "acteur", {**NEW, "nom": "Autre"})
    proposals.reject(conn, other, "Hors ESS", who="equipe")
    assert history.log_table(history.log(conn))["Détail"].tolist() == [
        f"proposition n° {other} : Hors ESS",
        f"proposition n° {other}",
        f"proposition n° {proposal_id} : fiche n° 1 « L'Épicerie solidaire »",
        f"proposition n° {proposal_id} (fusionnée avec une proposition identique)",
        f"proposition n° {proposal_id}",
    ]
