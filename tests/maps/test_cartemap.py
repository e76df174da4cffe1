import json

import pandas as pd
import pytest

from ess_geo import maps
from ess_geo.maps import cartemap, layers, mapview, perimeters, shapes


def render(m) -> str:
    return m.get_root().render()


def carte_html(scene, networks=None) -> tuple[list, str]:
    m = cartemap.carte_base()
    groups = cartemap.carte_groups(scene, networks=networks)
    for group in groups:
        group.add_to(m)
    return groups, render(m)


@pytest.fixture
def drawn_networks():

    networks = pd.DataFrame(
        {
            "nom": ["Pôle <Brest>", "Réseau Rennes"],
            "kind": ["pole", "collectif"],
            "status": ["actif", "inconnu"],
            "perimetre_exact": [True, False],
            "membres": [12, 0],
        },
        index=pd.Index([1, 2], name="id"),
    )
    territories = pd.DataFrame(
        {
            "network_id": [1, 2],
            "level": ["pays", "epci"],
            "code": ["BZH-BREST", "243500139"],
        }
    )
    return perimeters.network_perimeters(networks, territories)


def test_national_carte_layers_in_drawing_order(few_actors, drawn_networks):

    scene = mapview.build_scene(few_actors, marker_limit=2)
    groups, html = carte_html(scene, drawn_networks)
    assert [g.layer_name for g in groups] == [
        "Structures de l'ESS pour 10 000 habitants (EPCI)",
        "Régions et départements",
        "Pays / PETR",
        "Parcs naturels régionaux",
        "Réseaux territoriaux de l'ESS",
        "Nombre d'acteurs par département",
    ]
    # SVG view: the canvas is detached and no layer draws on it.
    assert (
        "map.removeLayer(window.essCanvas)"
        in html.replace(cartemap.carte_base().get_name(), "map")
        or "removeLayer(window.essCanvas)" in html
    )
    assert "renderer: window.essCanvas" not in html
    assert '"canvas":true' not in html
    assert 'window.essFitToken !== "france"' in html


def test_choropleth_features_carry_class_colour_ref_and_tooltip(few_actors):

    scene = mapview.build_scene(few_actors, maille="departement")
    groups, _ = carte_html(scene)
    (choropleth,) = [
        c for c in groups[0]._children.values() if isinstance(c, maps.ShapeLayer)
    ]
    assert choropleth.level == "departement"
    assert choropleth.ref_level == "departement"  # refs: "departement:<code>"
    codes = mapview.layer_index("departement").codes
    props = {
        codes[i]: p
        for i, p in zip(choropleth.positions, choropleth.properties, strict=True)
    }
    assert len(props) == 101
    finistere = props["29"]
    row = scene.table.set_index("code").loc["29"]
    assert finistere["c"] == row["couleur"]
    assert set(finistere) == {"c", "v"}  # no name, no HTML, no ref: a few bytes
    names = shapes.territory_names("departement")
    where = codes.get_loc("29")
    assert names[where] == "Finistère"
    assert shapes.tooltip_html(names[where], choropleth.tip_labels, finistere["v"]) == (
        "<strong>Finistère</strong><br>Structures de l&#x27;ESS pour 10 000 "
        "habitants : 0,0<br>Structures : 4"
    )
    assert choropleth.spec["labels"] == [
        "Structures de l&#x27;ESS pour 10 000 habitants",
        "Structures",
    ]
    (legend,) = [
        c for c in groups[0]._children.values() if isinstance(c, layers.LegendControl)
    ]
    assert "101 Départements ; classes : quantiles" in legend.html


def test_selected_territory_draws_markers_on_one_canvas(few_actors, drawn_networks):

    brest = mapview.territory("epci", "242900314")
    scene = mapview.build_scene(few_actors, selection=brest)
    groups, html = carte_html(scene, drawn_networks)
    names = [g.layer_name for g in groups]
    assert names[-2:] == ["Territoire sélectionné", "Acteurs de l'ESS (3)"]
    assert "Contours des EPCI" not in names  # the choropleth is already EPCI
    assert 'window.essFitToken !== "epci:242900314"' in html
    # Every layer shares the canvas, so clicks reach markers and territories.
    assert ".removeLayer(window.essCanvas)" not in html
    on_canvas = html.count("renderer: window.essCanvas") + html.count('"canvas":true')
    assert on_canvas == 8
    legend = next(
        c for c in groups[-1]._children.values() if isinstance(c, layers.LegendControl)
    )
    assert "Association (2)" in legend.html
    assert "Coopérative (1)" in legend.html


def test_networks_with_uncertain_perimeter_are_dashed(few_actors, drawn_networks):

    scene = mapview.build_scene(few_actors)
    groups, _ = carte_html(scene, drawn_networks)
    (network_group,) = [g for g in groups if g.layer_name.startswith("Réseaux")]
    (layer,) = [
        c for c in network_group._children.values() if isinstance(c, maps.ShapeLayer)
    ]
    # A shape file of their own: the message holds their positions only.
    assert layer.spec["lines"] is True  # clickable on the line, not inside
    assert layer.positions == [0, 1] and layer.properties is None
    url = layer.spec["urls"]["display"]
    assert url.startswith("/app/static/geo/reseaux-")
    data = json.loads((shapes.SHAPES_DIR / url.rsplit("/", 1)[1]).read_text())
    assert data["r"] == ["reseau:1", "reseau:2"]
    assert data["d"] == [None, "7 5"]
    assert "&lt;Brest&gt;" in data["t"][0]
    assert "Périmètre partiel ou incertain" in data["t"][1]
    assert len(data["s"]) == 2


def test_networks_inline_when_no_file_can_be_written(
    few_actors, drawn_networks, monkeypatch
):
    monkeypatch.setattr(shapes, "_write_static", lambda name, payload: None)
    monkeypatch.setattr(shapes, "_GEOMETRY_FILES", {})
    brest = mapview.territory("epci", "242900314")
    scene = mapview.build_scene(few_actors, selection=brest)
    groups, _ = carte_html(scene, drawn_networks)
    (network_group,) = [g for g in groups if g.layer_name.startswith("Réseaux")]
    (layer,) = [
        c
        for c in network_group._children.values()
        if isinstance(c, layers.GeoJsonLayer)
    ]
    features = json.loads(layer.data)["features"]
    by_ref = {f["properties"]["r"]: f for f in features}
    assert set(by_ref) == {"reseau:1"}  # Rennes is out of Brest's view
    assert by_ref["reseau:1"]["properties"].get("d") is None
    assert "&lt;Brest&gt;" in by_ref["reseau:1"]["properties"]["t"]
    assert by_ref["reseau:1"]["geometry"]["type"] in ("LineString", "MultiLineString")


def test_actor_names_with_script_are_escaped_on_the_carte(few_actors):

    few_actors.loc[1, "nom"] = "<script>alert('x')</script>"
    scene = mapview.build_scene(
        few_actors, selection=mapview.territory("commune", "29019")
    )
    _, html = carte_html(scene)
    assert scene.mode == "marqueurs"
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_pnr_with_partial_perimeter_is_dashed(few_actors):

    scene = mapview.build_scene(few_actors)
    groups, _ = carte_html(scene)
    (pnr_group,) = [g for g in groups if g.layer_name == "Parcs naturels régionaux"]
    (layer,) = [
        c for c in pnr_group._children.values() if isinstance(c, maps.ShapeLayer)
    ]
    dashes = [p.get("d") for p in layer.properties]
    # Luberon and Marais du Cotentin et du Bessin partial; 9 complete.
    assert sorted(dashes, key=str) == ["7 5", "7 5", *[None] * 9]


def test_epci_outlines_come_only_with_a_selection(few_actors):

    national = cartemap.carte_groups(
        mapview.build_scene(few_actors, maille="departement")
    )
    assert "Contours des EPCI" not in [g.layer_name for g in national]
    finistere = mapview.territory("departement", "29")
    local = cartemap.carte_groups(
        mapview.build_scene(few_actors, maille="departement", selection=finistere)
    )
    assert [g.layer_name for g in local][:3] == [
        "Structures de l'ESS pour 10 000 habitants (Départements)",
        "Régions et départements",
        "Contours des EPCI",
    ]


@pytest.mark.parametrize(
    "name", ["{{ 7*7 }}", "{{ lipsum.__globals__.os.name }}", "{% for x in y %}"]
)
def test_template_syntax_in_actor_names_is_never_evaluated(few_actors, name):
    few_actors.loc[1, "nom"] = name
    commune = mapview.territory("commune", "29019")
    _, html = carte_html(mapview.build_scene(few_actors, selection=commune))
    assert '"49"' not in html and "posix" not in html
    assert "#123;" in html  # the brace, as an HTML entity


def test_carte_base_loads_nothing_from_outside():
    m = cartemap.carte_base()
    assert maps.external_assets(m) == []
    html = m.get_root().render()
    assert "markercluster" not in html  # loaded by the actor markers, if any
    assert "window.essCanvas = L.canvas(" in html
    assert "preventScroll: true" in html
    assert '"zoomSnap": 0.25' in html
    (legend,) = [c for c in m._children.values() if isinstance(c, layers.LegendControl)]
    assert legend.title == "Contours"
    assert "Tirets : périmètre partiel ou incertain." in legend.html
    assert "<details><summary>" in legend.html  # folded: it is always there


def test_the_carte_fetches_the_networks_file_from_the_start(drawn_networks):
    file = cartemap.network_urls(drawn_networks)
    assert file["coarse"] == file["display"]
    assert file["display"].startswith("/app/static/geo/reseaux-")
    layer = cartemap._network_layer(drawn_networks, None, canvas=False)
    assert layer.spec["urls"] == file  # the file the layer draws from
    prefetch = cartemap.carte_base(networks=drawn_networks).default_js[0][1]
    code = (shapes.SHAPES_DIR / prefetch.rsplit("/", 1)[1]).read_text()
    wanted = [
        shapes.shape_urls(level)["coarse"] for level in cartemap.PREFETCHED_LEVELS
    ]
    assert f"{json.dumps([*wanted, file['display']])}.forEach" in code
    assert cartemap.carte_base().default_js[0][1] != prefetch  # without networks
