import numpy as np
import pandas as pd
import pytest
from conftest import workspace_dump

from ess_geo.io import imports
from ess_geo.workspace import dedup, history, loading, store

# 0.001° of latitude is 111.2 m.
BREST = (48.3900, -4.4860)
PARIS = (48.8600, 2.3400)


def new(nom, lat, lon, commune="29019", siret=None, actor_id=100):
    return pd.DataFrame(
        {
            "actor_id": [actor_id],
            "siret": pd.Series([siret], dtype="string"),
            "nom": [nom],
            "latitude": [lat],
            "longitude": [lon],
            "code_commune": [commune],
        }
    )


def stored(nom, lat, lon, siret=None, actor_id=1):
    frame = pd.DataFrame(
        {
            "id": [actor_id],
            "siret": pd.Series([siret], dtype="string"),
            "nom": [nom],
            "latitude": [lat],
            "longitude": [lon],
            "is_demo": [False],
        }
    )
    frame["key"] = dedup.name_keys(frame["nom"])
    return frame


@pytest.mark.parametrize(
    ("offset_deg", "commune", "proposed"),
    [
        (0.0035, "29212", True),  # 389 m in Plouzané (13,000 inhabitants)
        (0.0037, "29212", False),  # 411 m
        (0.0008, "75056", True),  # 89 m in Paris (over 100,000)
        (0.0010, "75056", False),  # 111 m in Paris
    ],
)
def test_same_name_nearby_is_proposed_within_the_commune_threshold(
    offset_deg, commune, proposed
):
    lat, lon = PARIS if commune == "75056" else BREST
    pairs = dedup.find_duplicates(
        new("ÉPICERIE  solidaire !", lat + offset_deg, lon, commune),
        stored("Epicerie Solidaire", lat, lon),
    )
    assert len(pairs) == int(proposed)
    if proposed:
        assert pairs.iloc[0].tolist() == [
            100,
            1,
            round(offset_deg * 111_195),
        ]


def test_different_sirets_are_two_establishments_never_proposed():
    assert dedup.find_duplicates(
        new("Amicale", *BREST, siret="73282932000074"),
        stored("Amicale", *BREST, siret="73282932000082"),
    ).empty
    # One SIRET missing: proposed.
    assert (
        len(
            dedup.find_duplicates(
                new("Amicale", *BREST, siret="73282932000074"),
                stored("Amicale", *BREST),
            )
        )
        == 1
    )


def test_different_names_are_not_proposed():
    assert dedup.find_duplicates(
        new("Amicale A", *BREST), stored("Amicale B", *BREST)
    ).empty


def test_threshold_by_commune_population():
    assert dedup.threshold_m(pd.Series(["75056", "29212", "99999"])).tolist() == [
        100.0,
        400.0,
        400.0,
    ]


HEADER = "nom;siret;code_commune;latitude;longitude;famille;site_web;reseaux\n"


def imported(conn, text, **options):
    source = imports.open_source(text.encode(), "f.csv")
    return loading.import_actors(conn, source, who="test", **options)


@pytest.fixture
def proposal(seeded):
    network = int(store.read_networks(seeded).index[0])
    imported(seeded, HEADER + "Épicerie solidaire;;29019;48.39;-4.486;association;;\n")
    report = imported(
        seeded,
        HEADER
        + "EPICERIE SOLIDAIRE;73282932000074;29019;48.3905;-4.486;association;"
        + f"https://epicerie.example;{network}\n",
    )
    assert len(report.duplicates) == 1
    return seeded, report


def test_import_proposes_a_merge_and_lists_it_in_the_report(proposal):
    conn, report = proposal
    assert report.duplicates == [
        {
            "line": 2,
            "nom": "EPICERIE SOLIDAIRE",
            "actor_id": 2,
            "existing_id": 1,
            "existing_nom": "Épicerie solidaire",
            "distance_m": 56.0,  # Brest has over 100,000 inhabitants: 100 m
        }
    ]
    pending = dedup.pending_proposals(conn)
    assert pending[["nouveau_id", "existant_id", "distance_m"]].values.tolist() == [
        [2, 1, 56.0]
    ]


def test_accepting_merges_into_the_stored_actor_and_can_be_undone(proposal):
    conn, _ = proposal
    before = workspace_dump(conn)
    audit_id = dedup.decide(conn, [1], accept=True, who="alice")
    table = store.read_actors(conn)
    assert table.index.tolist() == [1]
    kept = table.loc[1]
    assert kept["nom"] == "Épicerie solidaire"  # the stored actor's values stay
    assert kept["siret"] == "73282932000074"  # empty fields are filled
    assert kept["site_web"] == "https://epicerie.example"
    assert store.read_network_members(conn)["actor_id"].tolist() == [1]
    assert dedup.pending_proposals(conn).empty
    entry = store.read_audit_log(conn).iloc[0]
    assert (entry["action"], entry["who"]) == ("dedup.fusion", "alice")
    history.undo(conn, audit_id)
    assert workspace_dump(conn) == before


def test_rejecting_keeps_both_and_is_not_asked_again(proposal):
    conn, _ = proposal
    dedup.decide(conn, [1], accept=False, who="bob")
    assert len(store.read_actors(conn)) == 2
    assert dedup.pending_proposals(conn).empty
    row = conn.execute("SELECT status, decided_by FROM merge_proposals").fetchone()
    assert tuple(row) == ("refusee", "bob")
    assert dedup.decide(conn, [1], accept=True) is None


def test_name_keys_fold_accents_case_and_punctuation():
    keys = dedup.name_keys(pd.Series(["Crèche « Les P'tits Loups »", None, "  A--B  "]))
    assert keys[0] == "creche les p tits loups"
    assert pd.isna(keys[1])
    assert keys[2] == "a b"
    assert np.array_equal(keys.index, [0, 1, 2])


def test_proposals_table_for_choosing(proposal):
    conn, _ = proposal
    table = dedup.proposals_table(dedup.pending_proposals(conn))
    assert table.to_dict("records") == [
        {
            "Choisir": False,
            "Nouvel acteur": "EPICERIE SOLIDAIRE",
            "SIRET (nouveau)": "73282932000074",
            "Acteur existant": "Épicerie solidaire",
            "SIRET (existant)": "",
            "Commune": "Brest",
            "Distance (m)": 56.0,
            "Source du nouveau": "f.csv",
        }
    ]
