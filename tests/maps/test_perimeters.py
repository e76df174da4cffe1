import pandas as pd
import pytest

from ess_geo.maps import mapview, perimeters


@pytest.fixture
def two_networks():
    networks = pd.DataFrame(
        {
            "nom": ["Pôle Brest", "Réseau Luberon"],
            "kind": ["pole", "collectif"],
            "status": ["actif", "en_projet"],
            "perimetre_exact": [True, True],
            "membres": [12, 0],
        },
        index=pd.Index([1, 2], name="id"),
    )
    territories = pd.DataFrame(
        {
            "network_id": [1, 2],
            "level": ["pays", "pnr"],
            "code": ["BZH-BREST", "FR8000003"],
        }
    )
    return networks, territories


def test_network_perimeters_merge_territories_and_flag_partial_ones(two_networks):
    networks, territories = two_networks
    drawn = perimeters.network_perimeters(networks, territories)
    assert drawn["id"].tolist() == [1, 2]
    # The PNR du Luberon's perimeter is only partly known (its Vaucluse part
    # was not read): drawn as uncertain.
    assert drawn["perimetre_exact"].tolist() == [True, False]
    assert drawn["membres"].tolist() == [12, 0]
    assert drawn.geometry.is_valid.all()


def test_networks_of_a_territory_with_their_coverage(two_networks):
    networks, territories = two_networks
    found = perimeters.networks_of(
        mapview.territory("epci", "242900314"), territories, networks
    )
    assert found.index.tolist() == [1]
    assert found.loc[1, "part"] == 1.0
    assert found.loc[1, "type"] == "Pôle ESS"
