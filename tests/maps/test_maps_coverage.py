"""Coverage and network map builders, rendered to HTML without a browser."""

import copy

import pandas as pd

from ess_geo import maps
from ess_geo.analysis import coverage
from ess_geo.geo import geography
from ess_geo.maps import coverage_map
from ess_geo.workspace import networks

EPCI = ["242900314", "242900835", "243500741"]  # Brest, Morlaix, Redon


def _features():
    layer = geography.load_layer("epci")
    return maps.territory_features(layer[layer["code"].isin(EPCI)], ["nom"])


def _table():
    return pd.DataFrame(
        {
            "code": EPCI[:2],
            "couverture": ["couverte", "non_couverte"],
            "part_population_couverte": [1.0, 0.0],
            "reseaux": ["<script>alert(1)</script>|Pôle B", ""],
            "reseaux_approximatifs": ["", "Réseau du Finistère"],
            "rang": pd.array([pd.NA, 1], dtype="Int64"),
        }
    )


def render(m) -> str:
    return m._parent.render() if m._parent else m.get_root().render()


def test_coverage_features_carry_status_and_escape_network_names():
    shared = _features()
    before = copy.deepcopy(shared)
    out = coverage_map.coverage_features(shared, _table())
    assert shared == before  # the cached layer is not modified
    props = {f["properties"]["code"]: f["properties"] for f in out["features"]}
    assert set(props) == set(EPCI[:2])  # only the territories of the table
    brest = props["242900314"]
    assert brest["statut"] == "Couverte"
    assert brest["part"] == "100\u202f%"
    assert brest["reseaux"] == "&lt;script&gt;alert(1)&lt;/script&gt;, Pôle B"
    assert brest["rang"] == "—"
    assert brest["colour"] == coverage_map.COVERAGE_COLOURS["couverte"]
    morlaix = props["242900835"]
    assert morlaix["rang"] == "1"
    assert morlaix["reseaux"] == "aucun"
    assert morlaix["approximatif"] is True


def test_coverage_map_has_status_layer_legend_and_outlined_selection():
    features = coverage_map.coverage_features(_features(), _table())
    m = coverage_map.coverage_map(
        features,
        {"couverte": 1, "non_couverte": 1},
        level="epci",
        selected=maps.select_features(features, ["242900835"]),
    )
    page = render(m)
    assert "Couverture par un réseau" in page
    assert "Non couverte (1)" in page
    assert "Périmètre inconnu" not in page  # no such territory: not in the legend
    assert "Prospects retenus" in page
    assert "<script>alert(1)</script>" not in page
    assert maps.external_assets(m) == []
    assert "branca" not in page and "d3.min.js" not in page


def test_coverage_legend_lists_unknown_perimeters_when_there_are_some():
    legend = coverage_map.coverage_legend({"inconnue": 56, "couverte": 3}).render()
    assert "Périmètre inconnu (56)" in legend
    assert "Couverte (3)" in legend


def test_select_features_keeps_the_order_of_the_layer():
    features = _features()
    chosen = maps.select_features(features, ["243500741", "242900314", "999"])
    assert [f["properties"]["code"] for f in chosen["features"]] == [
        "242900314",
        "243500741",
    ]


def test_network_map_draws_an_approximate_perimeter_dashed_with_members():
    perimeter = networks.perimeter_geometry(
        pd.DataFrame({"level": ["departement"], "code": ["59"]})
    )
    members = pd.DataFrame(
        {
            "nom": ["<b>Amicale</b>"],
            "famille": ["association"],
            "naf": ["94.99Z"],
            "nom_commune": ["Lille"],
            "latitude": [50.63],
            "longitude": [3.06],
        }
    )
    m = coverage_map.network_map(
        maps.territory_features(perimeter, ["nom"]), exact=False, members=members
    )
    page = render(m)
    assert "d\\u00e9clar\\u00e9 (approximatif)" in page  # layer name, JS-escaped
    assert '"dashArray": "8 6"' in page
    assert "Amicale" in page
    assert "<b>Amicale" not in page
    assert "Membres du r\\u00e9seau" in page
    assert maps.external_assets(m) == []


def test_summary_counts_and_population_share():
    table = pd.DataFrame(
        {
            "couverture": ["couverte", "partielle", "non_couverte", "inconnue"],
            "population": [100, 200, 700, pd.NA],
            "population_couverte": [100, 50, 0, 0],
        }
    )
    assert coverage.summary(table) == {
        "couverte": 1,
        "partielle": 1,
        "non_couverte": 1,
        "inconnue": 1,
        "population": 1000.0,
        "population_couverte": 150.0,
        "part_population_couverte": 0.15,
    }


def test_template_syntax_in_network_names_is_never_evaluated():
    table = _table().assign(reseaux=["{{ lipsum.__globals__.os.name }}", "{% if %}"])
    features = coverage_map.coverage_features(_features(), table)
    page = render(
        coverage_map.coverage_map(
            features, {"couverte": 1, "non_couverte": 1}, level="epci"
        )
    )
    assert "posix" not in page
    assert "&amp;#123;&amp;#123; lipsum" not in page  # escaped once, not twice
    assert "#123;" in page


def test_territories_of_an_incomplete_inventory_are_greyed():
    table = _table().assign(inventaire=["complet", "incomplet"])
    out = coverage_map.coverage_features(_features(), table)
    props = {f["properties"]["code"]: f for f in out["features"]}
    brest, morlaix = props["242900314"], props["242900835"]
    assert brest["properties"]["inventaire"] == "complet"
    assert morlaix["properties"]["inventaire"] == "incomplet"
    assert coverage_map._coverage_style(brest)["fillOpacity"] == 0.7
    assert (
        coverage_map._coverage_style(morlaix)["fillOpacity"]
        == coverage_map.INCOMPLETE_OPACITY
    )
    page = render(coverage_map.coverage_map(out, {"couverte": 1}, level="epci"))
    assert "inventaire des réseaux de la région incomplet" in page
    assert "Inventaire des r" in page  # in the tooltip
