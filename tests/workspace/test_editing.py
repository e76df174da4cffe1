import re

import pytest
from conftest import workspace_dump

from ess_geo.errors import EditError
from ess_geo.workspace import editing, history, store

ATELIER = {
    "nom": "Atelier vélo",
    "famille": "Association",
    "code_commune": "29019",
    "siret": "73282932000074",
    "email": "contact@velo.example",
}


def test_add_actor_checks_places_and_audits(seeded):
    network = int(store.read_networks(seeded).index[0])
    actor_id = editing.add_actor(seeded, ATELIER, networks_ids=[network], who="alice")
    record = editing.actor_record(seeded, actor_id)
    assert (record["nom"], record["famille"], record["source"]) == (
        "Atelier vélo",
        "association",
        "saisie",
    )
    assert record["placement"] == "commune"
    assert record["latitude"] == pytest.approx(48.3917, abs=1e-3)
    assert record["reseaux"] == [network]
    entry = store.read_audit_log(seeded).iloc[0]
    assert (entry["action"], entry["who"]) == ("acteur.ajout", "alice")
    assert entry["detail"] == {"id": actor_id, "nom": "Atelier vélo"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({**ATELIER, "nom": " "}, "Fiche refusée : nom vide."),
        (
            {**ATELIER, "siret": "73282932000075"},
            "Fiche refusée : SIRET « 73282932000075 » : clé de contrôle invalide",
        ),
        (
            {**ATELIER, "code_commune": "", "latitude": "-4.49", "longitude": "48.39"},
            "latitude et longitude inversées",
        ),
    ],
)
def test_add_actor_refuses_with_the_import_reasons(seeded, fields, message):
    before = workspace_dump(seeded)
    with pytest.raises(EditError, match=re.escape(message)):
        editing.add_actor(seeded, fields)
    assert workspace_dump(seeded) == before


def test_a_siret_belongs_to_one_actor(seeded):
    first = editing.add_actor(seeded, ATELIER)
    with pytest.raises(EditError, match=f"déjà celui de l'acteur n° {first}"):
        editing.add_actor(seeded, {**ATELIER, "nom": "Autre"})


def test_update_actor_changes_only_what_changed_and_can_be_undone(seeded):
    actor_id = editing.add_actor(seeded, ATELIER)
    before = workspace_dump(seeded)
    form = {
        k: editing.actor_record(seeded, actor_id).get(k)
        for k in editing.ACTOR_FORM_FIELDS
    }
    assert editing.update_actor(seeded, actor_id, form) is None
    form["nom"] = "Atelier vélo solidaire"
    form["email"] = ""
    audit_id = editing.update_actor(seeded, actor_id, form, who="bob")
    record = editing.actor_record(seeded, actor_id)
    assert (record["nom"], record["email"]) == ("Atelier vélo solidaire", None)
    detail = store.read_audit_log(seeded).iloc[0]["detail"]
    assert detail == {
        "id": actor_id,
        "nom": "Atelier vélo solidaire",
        "champs": ["email", "nom"],
    }
    history.undo(seeded, audit_id)
    assert workspace_dump(seeded) == before


def test_moving_an_actor_far_from_its_coordinates_is_refused(seeded):
    actor_id = editing.add_actor(
        seeded, {**ATELIER, "latitude": "48.39", "longitude": "-4.49"}
    )
    form = {
        k: editing.actor_record(seeded, actor_id).get(k)
        for k in editing.ACTOR_FORM_FIELDS
    }
    form["code_commune"] = "75056"
    with pytest.raises(EditError, match="la commune 75056 \\(Paris\\) est à"):
        editing.update_actor(seeded, actor_id, form)


def test_delete_actor_and_undo(seeded):
    network = int(store.read_networks(seeded).index[0])
    actor_id = editing.add_actor(seeded, ATELIER, networks_ids=[network])
    before = workspace_dump(seeded)
    audit_id = editing.delete_actor(seeded, actor_id)
    with pytest.raises(EditError, match=f"Acteur n° {actor_id} introuvable"):
        editing.actor_record(seeded, actor_id)
    history.undo(seeded, audit_id)
    assert workspace_dump(seeded) == before


def test_find_actors_by_words_siret_or_commune(seeded):
    editing.add_actor(seeded, ATELIER)
    assert editing.find_actors(seeded, "atelier VELO")["nom"].tolist() == [
        "Atelier vélo"
    ]
    assert editing.find_actors(seeded, "73282932000074")["nom"].tolist() == [
        "Atelier vélo"
    ]
    found = editing.find_actors(seeded, "", limit=5)
    assert len(found) == 5
    assert found.loc[0, "nom"] == "Atelier vélo"  # most recently changed first
    assert found.loc[0, "commune"] == "Brest"


NETWORK = {
    "nom": "Pôle ESS du Léon",
    "kind": "pole",
    "status": "en_projet",
    "annee_creation": "2024",
}


def test_network_lifecycle_with_members_and_undo(seeded):
    network_id = editing.add_network(
        seeded, NETWORK, level="epci", codes=["242900314"], who="alice"
    )
    record = editing.network_record(seeded, network_id)
    assert (
        record["nom"],
        record["annee_creation"],
        record["level"],
        record["codes"],
    ) == (
        "Pôle ESS du Léon",
        2024,
        "epci",
        ["242900314"],
    )
    actor = editing.add_actor(seeded, ATELIER)
    editing.set_members(seeded, network_id, add=[actor])
    assert editing.network_record(seeded, network_id)["membres"] == [actor]
    assert editing.set_members(seeded, network_id, add=[actor]) is None
    audit_id = editing.update_network(
        seeded,
        network_id,
        {**NETWORK, "status": "actif"},
        level="pays",
        codes=["BZH-BREST"],
    )
    record = editing.network_record(seeded, network_id)
    assert (record["status"], record["level"], record["codes"]) == (
        "actif",
        "pays",
        ["BZH-BREST"],
    )
    assert store.read_audit_log(seeded).iloc[0]["detail"]["champs"] == [
        "status",
        "perimetre",
    ]
    removal = editing.set_members(seeded, network_id, remove=[actor])
    assert editing.network_record(seeded, network_id)["membres"] == []
    deletion = editing.delete_network(seeded, network_id)
    for audit in (deletion, removal, audit_id):
        history.undo(seeded, audit)
    assert editing.network_record(seeded, network_id)["membres"] == [actor]


@pytest.mark.parametrize(
    ("fields", "level", "codes", "message"),
    [
        ({**NETWORK, "nom": ""}, "epci", ["242900314"], "nom du réseau vide"),
        (
            {**NETWORK, "nom": "adess pays de brest"},
            "epci",
            ["242900314"],
            "un réseau s'appelle déjà",
        ),
        (
            {**NETWORK, "kind": "federation"},
            "epci",
            ["242900314"],
            "type « federation » inconnu",
        ),
        (
            {**NETWORK, "status": "dissous"},
            "epci",
            ["242900314"],
            "statut « dissous » inconnu",
        ),
        (
            {**NETWORK, "annee_creation": "3000"},
            "epci",
            ["242900314"],
            "année de création « 3000 »",
        ),
        (NETWORK, "canton", ["2901"], "niveau du périmètre « canton » inconnu"),
        (NETWORK, "epci", [], "périmètre vide"),
        (
            NETWORK,
            "epci",
            ["999999999"],
            "territoire(s) 999999999 inconnu(s) au niveau epci",
        ),
    ],
)
def test_bad_networks_are_refused(seeded, fields, level, codes, message):
    with pytest.raises(EditError, match=re.escape(message)):
        editing.add_network(seeded, fields, level=level, codes=codes)


def test_adding_an_unknown_actor_as_member_is_refused(seeded):
    network_id = int(store.read_networks(seeded).index[0])
    with pytest.raises(EditError, match="Acteur\\(s\\) n° 99999 introuvable"):
        editing.set_members(seeded, network_id, add=[99999])


def test_a_position_derived_from_the_commune_follows_a_new_commune(seeded):
    actor_id = editing.add_actor(seeded, ATELIER)
    form = {
        k: editing.actor_record(seeded, actor_id).get(k)
        for k in editing.ACTOR_FORM_FIELDS
    }
    form["code_commune"] = "29232"
    editing.update_actor(seeded, actor_id, form)
    record = editing.actor_record(seeded, actor_id)
    assert (record["code_commune"], record["placement"]) == ("29232", "commune")
    assert record["latitude"] == pytest.approx(47.996, abs=0.01)  # Quimper


def test_found_table_for_people(seeded):
    editing.add_actor(seeded, {**ATELIER, "siret": ""})
    table = editing.found_table(editing.find_actors(seeded, "atelier velo"))
    assert table.to_dict("records")[0] == {
        "N°": 301,
        "Nom": "Atelier vélo",
        "Famille": "Association",
        "Commune": "Brest",
        "SIRET": "",
        "Fictif": "",
    }
