import pandas as pd
import pytest

from ess_geo.analysis import filters
from ess_geo.analysis.filters import ActorFilters


@pytest.fixture
def members():
    return pd.DataFrame({"network_id": [1, 1, 2], "actor_id": [10, 11, 11]})


@pytest.fixture
def prepared(members):
    actors = pd.DataFrame(
        {
            "nom": ["Crèche", "CUMA", "Mutuelle", "Fondation", "Club", "SCIC"],
            "famille": [
                "association",
                "cooperative",
                "mutuelle",
                "fondation",
                "association",
                "societe_commerciale",
            ],
            "naf": ["88.91A", "01.61Z", "65.12Z", "88.10A", "93.12Z", None],
            "effectif": pd.array([12, None, None, 300, 0, None], dtype="Int64"),
            "tranche_effectif": [None, "02", None, None, None, "12"],
        },
        index=pd.Index([10, 11, 12, 13, 14, 15], name="id"),
    )
    return filters.prepare(actors, members)


def ids(frame):
    return frame.index.tolist()


def test_prepare_adds_section_jobs_size_and_membership(prepared):
    assert prepared["section"].tolist()[:5] == ["Q", "A", "K", "Q", "R"]
    assert pd.isna(prepared["section"].iloc[5])
    assert prepared["emplois"].tolist()[:2] == [12.0, 4.0]
    assert pd.isna(prepared.loc[12, "emplois"])
    assert prepared["taille"].tolist() == [
        "10-49",
        "1-9",
        "inconnu",
        "250-plus",
        "0",
        "10-49",
    ]
    assert prepared["reseaux"].tolist() == [1, 2, 0, 0, 0, 0]


def test_no_filter_returns_everyone(prepared, members):
    assert filters.apply(prepared, ActorFilters(), members) is prepared


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (ActorFilters(familles=("association",)), [10, 14]),
        (ActorFilters(familles=("mutuelle", "fondation")), [12, 13]),
        (ActorFilters(secteurs=("Q",)), [10, 13]),
        (ActorFilters(reseau="membre"), [10, 11]),
        (ActorFilters(reseau="hors"), [12, 13, 14, 15]),
        (ActorFilters(reseau="2"), [11]),
        (ActorFilters(reseau="1"), [10, 11]),
        (ActorFilters(employeur="oui"), [10, 11, 13, 15]),
        (ActorFilters(employeur="non"), [14]),
        (ActorFilters(tailles=("10-49",)), [10, 15]),
        (ActorFilters(tailles=("inconnu", "0")), [12, 14]),
        (ActorFilters(familles=("association",), employeur="oui"), [10]),
        (ActorFilters(familles=("association",), secteurs=("A",)), []),
    ],
)
def test_filters_keep_the_matching_actors(prepared, members, chosen, expected):
    assert ids(filters.apply(prepared, chosen, members)) == expected


def test_empty_filters_are_inactive():
    assert not ActorFilters().active


def test_describe_names_each_filter():
    chosen = ActorFilters(
        familles=("mutuelle",), secteurs=("Q",), reseau="1", tailles=("0",)
    )
    assert chosen.describe({"1": "ADESS Pays de Brest"}) == (
        "famille : Mutuelle ; secteur NAF : Q ; réseau : ADESS Pays de Brest ; "
        "taille : Non employeur (0 salarié)"
    )
    assert ActorFilters(reseau="hors").describe() == "Membres d'aucun réseau"
    assert ActorFilters().describe() == "aucun filtre"
