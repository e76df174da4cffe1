import json
import re

import folium
import pandas as pd
import pytest

from ess_geo import geography, maps
from ess_geo.assets import PACKAGES, missing_files


def render(m: folium.Map) -> str:
    return m.get_root().render()


def script_and_style_urls(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html)


@pytest.fixture(scope="module")
def epci_features():
    return maps.territory_features(geography.load_layer("epci"), ["nom"])


@pytest.fixture
def two_actors():
    return pd.DataFrame(
        {
            "nom": ["<script>alert('x')</script> & Cie", "Crèche Les Lutins"],
            "famille": ["association", "cooperative"],
            "naf": ["88.91A", "01.61Z"],
            "nom_commune": ["Brest", "Quimper <b>"],
            "latitude": [48.39, 47.99],
            "longitude": [-4.49, -4.10],
        }
    )


def test_vendored_assets_are_all_present():
    assert missing_files() == []
    assert {p.name for p in PACKAGES} == {
        "leaflet",
        "leaflet.markercluster",
        "leaflet.fullscreen",
    }


def test_base_map_loads_nothing_from_outside(two_actors, epci_features):
    m = maps.carte_map(
        basemap="aucun",
        view=maps.FRANCE_VIEW,
        overlays={"epci": epci_features},
        actors=two_actors,
    )
    assert maps.external_assets(m) == []
    urls = script_and_style_urls(render(m))
    assert urls
    assert all(url.startswith("/app/static/vendor/") for url in urls)


def test_default_basemap_has_no_tiles():
    html = render(maps.base_map())
    assert "tileLayer" not in html
    assert '"maxZoom": 18' in html


@pytest.mark.parametrize(
    ("basemap", "url_part", "attribution"),
    [
        ("osm", "tile.openstreetmap.org", "OpenStreetMap"),
        ("plan_ign", "GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2", "Geoportail France"),
        ("ortho_ign", "ORTHOIMAGERY.ORTHOPHOTOS", "Geoportail France"),
    ],
)
def test_online_basemaps_carry_their_attribution(basemap, url_part, attribution):
    html = render(maps.base_map(basemap=basemap))
    assert url_part in html
    assert attribution in html


def test_unknown_basemap_is_refused():
    with pytest.raises(ValueError, match="`basemap` was"):
        maps.base_map(basemap="google")


def test_overlays_are_named_layers(epci_features):
    m = maps.carte_map(
        basemap="aucun",
        view=maps.FRANCE_VIEW,
        overlays={
            "epci": epci_features,
            "pays": maps.territory_features(geography.load_layer("pays"), ["nom"]),
            "pnr": maps.territory_features(geography.load_layer("pnr"), ["nom"]),
        },
    )
    html = render(m)
    layer_names = [
        child.layer_name
        for child in m._children.values()
        if isinstance(child, folium.GeoJson)
    ]
    assert layer_names == list(maps.OVERLAY_NAMES.values())
    assert "L.control.layers" in html
    assert html.count('"type": "Feature"') >= 1253 + 24 + 3


def test_pnr_without_known_communes_are_left_out_of_the_map():
    features = maps.territory_features(geography.load_layer("pnr"), ["nom"])
    assert len(features["features"]) == 3


def test_actor_names_are_escaped_in_popups_and_tooltips(two_actors):
    layer = maps.actors_layer(two_actors)
    first, second = (f["properties"] for f in layer.data["features"])
    assert first["nom"] == "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Cie"
    assert second["commune"] == "Quimper &lt;b&gt;"
    assert first["activite"] == "Accueil de jeunes enfants"
    html = render(
        maps.carte_map(
            basemap="aucun", view=maps.FRANCE_VIEW, overlays={}, actors=two_actors
        )
    )
    assert "<script>alert" not in html
    assert "<b>" not in html


def test_territory_names_are_escaped():
    gdf = geography.load_layer("departement").head(1).copy()
    gdf["nom"] = "<img src=x onerror=alert(1)>"
    features = maps.territory_features(gdf, ["nom"])
    assert features["features"][0]["properties"]["nom"] == (
        "&lt;img src=x onerror=alert(1)&gt;"
    )


def test_legend_counts_actors_by_famille(two_actors):
    m = maps.carte_map(
        basemap="aucun", view=maps.FRANCE_VIEW, overlays={}, actors=two_actors
    )
    html = render(m)
    assert "Familles de l&#x27;ESS" in html or "Familles de l'ESS" in html
    assert "Association (1)" in html
    assert "Coopérative (1)" in html
    assert "Fondation (0)" in html


def test_actors_without_coordinates_are_skipped(two_actors):
    two_actors.loc[1, "latitude"] = None
    layer = maps.actors_layer(two_actors)
    assert len(layer.data["features"]) == 1


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        ((-5.2, 47.7, -3.3, 48.8), ((48.25, -4.25), 8)),  # Finistère
        ((-5.5, 41.3, 9.6, 51.1), ((46.2, 2.05), 5)),  # metropolitan France
        ((2.2, 48.8, 2.5, 48.9), ((48.85, 2.35), 11)),  # Paris
        ((2.35, 48.85, 2.35, 48.85), ((48.85, 2.35), 16)),  # a point
    ],
)
def test_view_for_bounds(bounds, expected):
    assert maps.view_for_bounds(bounds) == expected


def test_selection_is_outlined_and_fitted():
    finistere = geography.load_layer("departement").query("code == '29'")
    m = maps.carte_map(
        basemap="aucun",
        view=maps.FRANCE_VIEW,
        overlays={},
        selection=maps.territory_features(finistere, ["nom"]),
    )
    html = render(m)
    assert "fitBounds" in html
    minx, miny, maxx, maxy = finistere.total_bounds
    assert f"[[{miny}, {minx}], [{maxy}, {maxx}]]" in html


# --- The Carte page's map: base and feature groups ---


def carte_html(scene, networks=None) -> tuple[list, str]:
    m = maps.carte_base()
    groups = maps.carte_groups(scene, networks=networks)
    for group in groups:
        group.add_to(m)
    return groups, render(m)


@pytest.fixture
def perimeters():
    from ess_geo import mapview

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
    return mapview.network_perimeters(networks, territories)


def test_national_carte_layers_in_drawing_order(few_actors, perimeters):
    from ess_geo import mapview

    scene = mapview.build_scene(few_actors, marker_limit=2)
    groups, html = carte_html(scene, perimeters)
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
        in html.replace(maps.carte_base().get_name(), "map")
        or "removeLayer(window.essCanvas)" in html
    )
    assert "renderer: window.essCanvas" not in html
    assert 'window.essFitToken !== "france"' in html


def test_choropleth_features_carry_class_colour_ref_and_tooltip(few_actors):
    from ess_geo import layers, mapview

    scene = mapview.build_scene(few_actors, maille="departement")
    groups, _ = carte_html(scene)
    (choropleth,) = [
        c for c in groups[0]._children.values() if isinstance(c, layers.GeoJsonLayer)
    ]
    data = json.loads(choropleth.data)
    props = {f["properties"]["r"]: f["properties"] for f in data["features"]}
    assert len(props) == 101
    finistere = props["departement:29"]
    row = scene.table.set_index("code").loc["29"]
    assert finistere["c"] == row["couleur"]
    assert finistere["t"] == (
        "<strong>Finistère</strong><br>Structures de l&#x27;ESS pour 10 000 "
        "habitants : 0,0<br>Structures : 4"
    )
    (legend,) = [
        c for c in groups[0]._children.values() if isinstance(c, layers.LegendControl)
    ]
    assert "101 Départements ; classes : quantiles" in legend.html


def test_selected_territory_draws_markers_on_one_canvas(few_actors, perimeters):
    from ess_geo import layers, mapview

    brest = mapview.territory("epci", "242900314")
    scene = mapview.build_scene(few_actors, selection=brest)
    groups, html = carte_html(scene, perimeters)
    names = [g.layer_name for g in groups]
    assert names[-2:] == ["Territoire sélectionné", "Acteurs de l'ESS (3)"]
    assert "Contours des EPCI" not in names  # the choropleth is already EPCI
    assert 'window.essFitToken !== "epci:242900314"' in html
    # Every layer shares the canvas, so clicks reach markers and territories.
    assert ".removeLayer(window.essCanvas)" not in html
    assert html.count("renderer: window.essCanvas") == 8
    legend = next(
        c for c in groups[-1]._children.values() if isinstance(c, layers.LegendControl)
    )
    assert "Association (2)" in legend.html
    assert "Coopérative (1)" in legend.html


def test_networks_with_uncertain_perimeter_are_dashed(few_actors, perimeters):
    from ess_geo import layers, mapview

    scene = mapview.build_scene(few_actors)
    groups, _ = carte_html(scene, perimeters)
    (network_group,) = [g for g in groups if g.layer_name.startswith("Réseaux")]
    (layer,) = [
        c
        for c in network_group._children.values()
        if isinstance(c, layers.GeoJsonLayer)
    ]
    features = json.loads(layer.data)["features"]
    by_ref = {f["properties"]["r"]: f for f in features}
    assert by_ref["reseau:1"]["properties"].get("d") is None
    assert by_ref["reseau:2"]["properties"]["d"] == "7 5"
    assert "&lt;Brest&gt;" in by_ref["reseau:1"]["properties"]["t"]
    assert by_ref["reseau:1"]["geometry"]["type"] in ("LineString", "MultiLineString")


def test_actor_names_with_script_are_escaped_on_the_carte(few_actors):
    from ess_geo import mapview

    few_actors.loc[1, "nom"] = "<script>alert('x')</script>"
    scene = mapview.build_scene(
        few_actors, selection=mapview.territory("commune", "29019")
    )
    _, html = carte_html(scene)
    assert scene.mode == "marqueurs"
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_pnr_with_partial_perimeter_is_dashed(few_actors):
    from ess_geo import layers, mapview

    scene = mapview.build_scene(few_actors)
    groups, _ = carte_html(scene)
    (pnr_group,) = [g for g in groups if g.layer_name == "Parcs naturels régionaux"]
    (layer,) = [
        c for c in pnr_group._children.values() if isinstance(c, layers.GeoJsonLayer)
    ]
    dashes = [f["properties"].get("d") for f in json.loads(layer.data)["features"]]
    assert sorted(dashes, key=str) == ["7 5", "7 5", None]  # Armorique, Rance partial


@pytest.mark.parametrize(
    "name", ["{{ 7*7 }}", "{{ lipsum.__globals__.os.name }}", "{% for x in y %}"]
)
def test_template_syntax_in_names_is_never_evaluated(two_actors, few_actors, name):
    from ess_geo import mapview

    two_actors.loc[0, "nom"] = name
    html = render(
        maps.carte_map(
            basemap="aucun", view=maps.FRANCE_VIEW, overlays={}, actors=two_actors
        )
    )
    assert '"nom": "49"' not in html and "posix" not in html
    assert "#123;" in html  # the brace, as an HTML entity
    few_actors.loc[1, "nom"] = name
    scene = mapview.build_scene(
        few_actors, selection=mapview.territory("commune", "29019")
    )
    _, html = carte_html(scene)
    assert '"49"' not in html and "posix" not in html
    assert "#123;" in html  # the brace, as an HTML entity


def test_epci_outlines_come_only_with_a_selection(few_actors):
    from ess_geo import mapview

    national = maps.carte_groups(mapview.build_scene(few_actors, maille="departement"))
    assert "Contours des EPCI" not in [g.layer_name for g in national]
    finistere = mapview.territory("departement", "29")
    local = maps.carte_groups(
        mapview.build_scene(few_actors, maille="departement", selection=finistere)
    )
    assert [g.layer_name for g in local][:3] == [
        "Structures de l'ESS pour 10 000 habitants (Départements)",
        "Régions et départements",
        "Contours des EPCI",
    ]
