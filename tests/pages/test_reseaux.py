from urllib.parse import parse_qsl

import pandas as pd
import pytest

from ess_geo.pages import reseaux
from ess_geo.pages.reseaux import ReseauxState
from ess_geo.workspace import networks


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The 31 reference networks, as the page reads them from a workspace."""
    from ess_geo.workspace import store

    conn = store.connect(tmp_path_factory.mktemp("ws") / "workspace.sqlite")
    try:
        networks.import_networks(conn, networks.SEED_PATH)
        table, perimeters = networks.from_workspace(conn)
    finally:
        conn.close()
    return table, perimeters, networks.display_table(table, perimeters)


def test_readme_url_reads_and_writes_back_the_same_parameters(reference):
    *_, listing = reference
    for url in ("reseau=15", "region=Hauts-de-France&type=pole&reseau=3"):
        state, ignored = ReseauxState.from_query(dict(parse_qsl(url)), listing)
        assert ignored == []
        written = {k: v for k, v in state.to_query().items() if v is not None}
        assert written == dict(parse_qsl(url))


def test_the_network_shown_is_always_in_the_url():
    assert ReseauxState(network="1").to_query() == {
        "region": None,
        "type": None,
        "reseau": "1",
    }


def test_unknown_values_are_ignored_and_told(reference):
    *_, listing = reference
    state, ignored = ReseauxState.from_query(
        {"region": "Atlantide", "type": "federation", "reseau": "999"}, listing
    )
    assert state == ReseauxState()
    assert ignored == ["region=Atlantide", "type=federation", "reseau=999"]


def test_a_network_outside_the_filters_gives_way_to_the_first_listed(reference):
    table, perimeters, listing = reference
    shown = networks.display_table(table, perimeters, region="Hauts-de-France")
    options = reseaux.network_options(shown, listing)
    assert len(options) == 1
    assert ReseauxState(network="1").network_in(options) == options[0]
    assert ReseauxState(network=options[0]).network_in(options) == options[0]


def test_options_and_labels(reference):
    *_, listing = reference
    regions = reseaux.region_options(listing)
    assert regions[0] == ""
    assert regions[1:] == sorted(regions[1:])
    assert "Hauts-de-France" in regions
    assert reseaux.KIND_OPTIONS == ["", *networks.KIND_LABELS]
    assert reseaux.region_label("") == "Toutes les régions"
    assert reseaux.kind_label("") == "Tous les types"
    assert reseaux.kind_label("pole") == networks.KIND_LABELS["pole"]
    empty = listing.iloc[:0]
    assert reseaux.network_options(empty, listing) == [str(i) for i in listing.index]
    assert reseaux.count_caption(empty, listing) == "0 réseau(x) sur 31."


def test_network_perimeter(reference):
    table, perimeters, _ = reference
    network, own = reseaux.network_perimeter(table, perimeters, 1)
    assert network["nom"] == "ADESS Pays de Brest"
    assert own.values.tolist() == [["ADESS Pays de Brest", "pays", "BZH-BREST"]]


def test_figures_table_has_french_headers():
    figures = pd.DataFrame(
        {"chiffre": ["Réseaux"], "cahier": ["environ 40"], "donnees": ["31"]},
        index=["reseaux"],
    )
    table = reseaux.figures_table(figures)
    assert table.index.tolist() == ["Réseaux"]
    assert table.columns.tolist() == ["Cahier CNCRES (2011)", "Données actuelles"]


def test_weight_metrics_and_caption():
    ess = {
        "communes": 103,
        "population": 420633.0,
        "structures": 120.0,
        "employeurs": 45.0,
        "emplois": 3456.0,
        "structures_10k_hab": 2.853,
        "emplois_1000_hab": 8.216,
    }
    assert reseaux.weight_metrics(ess) == [
        ("Population", "420\u202f633"),
        ("Structures de l'ESS", "120"),
        ("Emplois de l'ESS", "3\u202f456"),
        ("Emplois de l'ESS pour 1 000 hab.", "8,2"),
    ]
    assert reseaux.weight_caption(ess).startswith(
        "103 communes ; 45 établissements employeurs ; 2,9 structures pour 10 000 "
        "habitants. "
    )
