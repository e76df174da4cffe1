import pandas as pd

from ess_geo.analysis import filters
from ess_geo.maps import mapview
from ess_geo.pages import details


def test_actor_card_leaves_out_empty_fields_and_unsafe_links():
    actor = pd.Series(
        {
            "nom": "X",
            "famille": "cooperative",
            "naf": "01.61Z",
            "effectif": pd.NA,
            "tranche_effectif": "02",
            "adresse": "1 rue <b>Haute</b>",
            "code_postal": "29200",
            "nom_commune": "Brest",
            "siret": None,
            "telephone": "02 61 91 00 00",
            "email": None,
            "site_web": "javascript:alert(1)",
        },
        dtype=object,
    )
    card = dict(details.actor_card(actor, ["ADESS Pays de Brest"]))
    assert card == {
        "Famille": "Coopérative",
        "Activité": "Activités de soutien aux cultures (01.61Z)",
        "Effectif": "3 à 5 salariés (tranche SIRENE)",
        "Adresse": "1 rue <b>Haute</b> 29200 Brest",
        "Téléphone": "02 61 91 00 00",
        "Réseaux": "ADESS Pays de Brest",
    }
    actor["site_web"] = "https://exemple.example"
    actor["effectif"] = 1
    card = dict(details.actor_card(actor))
    assert card["Site web"] == "https://exemple.example"
    assert card["Effectif"] == "1 salarié"


def test_network_card_explains_an_uncertain_perimeter():
    card = dict(
        details.network_card(
            pd.Series(
                {
                    "kind": "pole",
                    "status": "inconnu",
                    "region": "Bretagne",
                    "perimetre_exact": False,
                    "membres": 3,
                    "source": "CNCRES 2011",
                }
            )
        )
    )
    assert card == {
        "Type": "Pôle ESS",
        "Statut": "Inconnu",
        "Région": "Bretagne",
        "Périmètre": "partiel ou incertain (tracé en tirets)",
        "Membres enregistrés": "3",
        "Source": "CNCRES 2011",
    }


def test_tables_for_people(few_actors):

    finistere = mapview.territory("departement", "29")
    scene = mapview.build_scene(few_actors, selection=finistere)
    table = details.listing_table(scene)
    assert list(table.columns) == [
        "Code",
        "Territoire",
        "Population",
        "Structures",
        "Employeurs",
        "Emplois (estimés)",
        "Structures de l'ESS pour 10 000 habitants",
    ]
    assert table.set_index("Code").loc["242900314", "Structures"] == 3
    prepared = filters.prepare(
        few_actors, pd.DataFrame(columns=["network_id", "actor_id"])
    )
    actors = details.actor_table(prepared.loc[[1, 4]])
    assert actors["Taille"].tolist() == ["10 à 49 salariés", "10 à 49 salariés"]
    assert actors["Nom"].tolist() == ["A", "D"]


def test_tables_sort_names_the_french_way(few_actors):
    scene = mapview.build_scene(few_actors, maille="departement")
    names = details.listing_table(scene)["Territoire"].tolist()
    assert names.index("Ardèche") < names.index("Ardennes")
    assert names.index("Essonne") < names.index("Eure")
    assert names.index("Isère") < names.index("Jura")


def test_actor_networks_names_the_networks_of_an_actor():
    members = pd.DataFrame({"network_id": [1, 2, 2], "actor_id": [7, 7, 8]})
    names = {"1": "Pôle Brest", "2": "Réseau Armorique"}
    assert details.actor_networks(7, members, names) == [
        "Pôle Brest",
        "Réseau Armorique",
    ]
    assert details.actor_networks(8, members, names) == ["Réseau Armorique"]
    assert details.actor_networks(9, members, names) == []


def test_network_card_shows_the_contact_when_known():
    card = dict(
        details.network_card(
            pd.Series(
                {
                    "kind": "pole",
                    "status": "actif",
                    "perimetre_exact": True,
                    "membres": 0,
                    "site_web": "https://horizons-solidaires.fr",
                    "email": "contact@pole.example",
                    "telephone": None,
                }
            )
        )
    )
    assert card["Site web"] == "https://horizons-solidaires.fr"
    assert card["Courriel"] == "contact@pole.example"
    assert "Téléphone" not in card
