"""Coverage and network map builders, rendered to HTML without a browser."""

import json

import pandas as pd
from jinja2.utils import htmlsafe_json_dumps

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


def test_coverage_legend_lists_unknown_perimeters_when_there_are_some():
    legend = coverage_map.coverage_legend({"inconnue": 56, "couverte": 3}).render()
    assert "Périmètre inconnu (56)" in legend
    assert "Couverte (3)" in legend


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
    table = _table().assign(
        nom=["Brest", "Morlaix"],
        reseaux=["{{ lipsum.__globals__.os.name }}", "{% if %}"],
        inventaire="complet",
    )
    drawn = coverage_map.coverage_shapes(table, "epci")
    _, page = coverage_html(drawn, {"couverte": 1}, level="epci", fit=("t", None))
    assert "posix" not in page
    assert "&amp;#123;&amp;#123; lipsum" not in page  # escaped once, not twice
    assert "&#123;&#123; lipsum" in page


def test_territories_of_an_incomplete_inventory_are_greyed():
    table = _table().assign(
        nom=["Brest", "Morlaix"], inventaire=["complet", "incomplet"]
    )
    drawn = coverage_map.coverage_shapes(table, "epci")
    assert drawn["incomplet"].tolist() == [False, True]
    _, page = coverage_html(drawn, {"couverte": 1}, level="epci", fit=("t", None))
    assert "inventaire des réseaux de la région incomplet" in page  # the legend
    pale = coverage_map._polygon_style(False, True)["fillOpacity"]
    assert f'"fillOpacity":{pale}' in page
    assert '"fillOpacity":0.7' in page


def coverage_html(drawn, counts, **options) -> tuple[list, str]:
    m = coverage_map.coverage_base()
    groups = coverage_map.coverage_groups(drawn, counts, **options)
    for group in groups:
        group.add_to(m)
    return groups, m.get_root().render()


def test_coverage_shapes_give_positions_colours_and_escaped_tooltips():
    table = _table().assign(
        nom=["Brest <Métropole>", "Morlaix"], inventaire=["complet", "incomplet"]
    )
    table.loc[2] = [
        "999999999",
        "non_couverte",
        0.0,
        "",
        "",
        pd.NA,
        "Sans forme",
        "complet",
    ]
    drawn = coverage_map.coverage_shapes(table, "epci")
    index = maps.layer_index("epci")
    assert drawn["code"].tolist() == EPCI[:2]  # no shape: not drawn
    assert drawn["position"].tolist() == index.codes.get_indexer(EPCI[:2]).tolist()
    assert drawn["c"].tolist() == [
        coverage_map.COVERAGE_COLOURS["couverte"],
        coverage_map.COVERAGE_COLOURS["non_couverte"],
    ]
    assert drawn["approximatif"].tolist() == [False, True]
    assert drawn["incomplet"].tolist() == [False, True]
    brest, morlaix = drawn["t"]
    assert brest == (
        '<div class="ess-cov-tip"><p><i>Brest &lt;Métropole&gt;</i></p>'
        "<p><i>Couverte</i></p><p><i>100\u202f%</i></p>"
        "<p><i>&lt;script&gt;alert(1)&lt;/script&gt;, Pôle B</i></p>"
        "<p><i>—</i></p><p><i>complet</i></p></div>"
    )
    assert "<p><i>aucun</i></p><p><i>1</i></p><p><i>incomplet</i>" in morlaix
    assert "<script>" not in "".join(drawn["t"])


def test_the_coverage_map_sends_shape_positions_not_geometry():
    table = _table().assign(nom=["Brest", "Morlaix"], inventaire="complet")
    drawn = coverage_map.coverage_shapes(table, "epci")
    groups, html = coverage_html(
        drawn,
        {"couverte": 1, "non_couverte": 1},
        level="epci",
        fit=("couverture:epci:", None),
        selected=["242900835"],
    )
    assert [g.layer_name for g in groups] == [
        "Couverture (EPCI)",
        "Régions",
        "Prospects retenus",
    ]
    assert '"coordinates"' not in html  # the shapes come from the static files
    assert html.count("window.essShapes.layer(") == 4  # 2 styles, régions, prospect
    urls = maps.shape_urls("epci")
    assert urls["coarse"] in html and urls["display"] in html
    assert maps.shape_urls("region")["coarse"] in html
    position = int(maps.layer_index("epci").codes.get_indexer(["242900835"])[0])
    assert f'"p":[{position}]' in html  # the dashed (approximate) one, the prospect
    assert '"dashArray":"4 4"' in html
    assert "Couverture par un réseau" in html  # the legend
    title = "Carte : couverture par les réseaux territoriaux de l'ESS (EPCI)"
    assert str(htmlsafe_json_dumps(title)) in html  # the frame's title
    assert 'content:"Rang de prospection"' in html  # the tooltip's labels, once
    assert "window.essFitToken" in html


def test_no_prospect_retained_means_no_outline_layer():
    drawn = coverage_map.coverage_shapes(
        _table().assign(nom=["Brest", "Morlaix"]), "epci"
    )
    groups = coverage_map.coverage_groups(
        drawn, {}, level="epci", fit=("t", None), selected=[]
    )
    assert [g.layer_name for g in groups] == ["Couverture (EPCI)", "Régions"]


def test_pale_and_dashed_styles_follow_the_old_map():
    plain = coverage_map._polygon_style(False, False)
    assert plain == {"color": "#333333", "weight": 0.5, "fillOpacity": 0.7}
    pale = coverage_map._polygon_style(True, True)
    assert pale["fillOpacity"] == coverage_map.INCOMPLETE_OPACITY
    assert pale["dashArray"] == coverage_map.APPROXIMATE_DASH


def test_the_coverage_map_fetches_its_shapes_and_stylesheet_from_the_start():
    from ess_geo.maps import bundle, shapes

    combined = bundle.bundle_urls(bundle.MAP_BUNDLE)
    m = coverage_map.coverage_base(level="pays")
    (name, prefetch), leaflet = m.default_js
    assert (name, leaflet) == ("ess_prefetch", ("ess_leaflet_js", combined.js))
    code = (shapes.SHAPES_DIR / prefetch.rsplit("/", 1)[1]).read_text()
    wanted = [shapes.shape_urls(level)["coarse"] for level in ("pays", "region")]
    assert f"{json.dumps(wanted)}.forEach" in code
    assert f"{json.dumps([combined.css])}.forEach" in code
