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


@pytest.mark.parametrize(
    "name", ["{{ 7*7 }}", "{{ lipsum.__globals__.os.name }}", "{% for x in y %}"]
)
def test_template_syntax_in_names_is_never_evaluated(two_actors, name):
    two_actors.loc[0, "nom"] = name
    html = render(
        maps.carte_map(
            basemap="aucun", view=maps.FRANCE_VIEW, overlays={}, actors=two_actors
        )
    )
    assert '"nom": "49"' not in html and "posix" not in html
    assert "#123;" in html  # the brace, as an HTML entity
