import re

import folium
import pandas as pd
import pytest

from ess_geo import maps
from ess_geo.analysis import directory
from ess_geo.geo import geography
from ess_geo.maps import directory_map
from ess_geo.maps.assets import PACKAGES, missing_files


def render(m: folium.Map) -> str:
    return m.get_root().render()


def actors_map(actors) -> folium.Map:
    """A base map with actor markers and their legend."""
    m = maps.base_map()
    maps.actors_layer(actors).add_to(m)
    m.get_root().html.add_child(
        maps.family_legend(actors["famille"].value_counts().to_dict())
    )
    return m


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
    m = actors_map(two_actors)
    folium.GeoJson(epci_features).add_to(m)
    assert maps.external_assets(m) == []
    combined = maps.bundle_urls(maps.MAP_BUNDLE)
    # one script and one stylesheet: Leaflet and the fullscreen button together
    assert script_and_style_urls(render(m)) == [combined.js, combined.css]


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


def test_pnr_without_known_communes_are_left_out_of_the_map():
    features = maps.territory_features(geography.load_layer("pnr"), ["nom"])
    assert len(features["features"]) == 11  # the PNR whose communes are known


def test_actor_names_are_escaped_in_popups_and_tooltips(two_actors):
    layer = maps.actors_layer(two_actors)
    first, second = (f["properties"] for f in layer.data["features"])
    assert first["nom"] == "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Cie"
    assert second["commune"] == "Quimper &lt;b&gt;"
    assert first["activite"] == "Accueil de jeunes enfants"
    html = render(actors_map(two_actors))
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
    html = render(actors_map(two_actors))
    assert "Familles de l'ESS" in html
    assert "Association (1)" in html
    assert "Coopérative (1)" in html
    assert "Fondation (0)" in html


def test_actors_without_coordinates_are_skipped(two_actors):
    two_actors.loc[1, "latitude"] = None
    layer = maps.actors_layer(two_actors)
    assert len(layer.data["features"]) == 1


def test_fit_to_frames_the_features():
    finistere = geography.load_layer("departement").query("code == '29'")
    m = maps.base_map()
    maps.fit_to(m, maps.territory_features(finistere, ["nom"]))
    html = render(m)
    assert "fitBounds" in html
    minx, miny, maxx, maxy = finistere.total_bounds
    assert f"[[{miny}, {minx}], [{maxy}, {maxx}]]" in html


@pytest.fixture
def page_of_results(two_actors):
    return two_actors.assign(distance_km=[0.4, 12.6]).set_axis([7, 9])


def test_directory_map_renders_offline_with_numbered_markers(page_of_results):
    m = directory_map.directory_map(
        centre=(48.39, -4.49),
        radius_km=20,
        actors=page_of_results,
        start=21,
        centre_label="Centre de Brest",
    )
    html = render(m)
    assert maps.external_assets(m) == []
    assert all(url.startswith("/app/static/") for url in script_and_style_urls(html))
    assert "$(" not in html  # no jQuery: it is not loaded offline
    rank = '\\u003cdiv class=\\"ess-rank\\" aria-hidden=\\"true\\"\\u003e{}\\u003c/div'
    assert rank.format(21) in html and rank.format(22) in html
    assert '"title": "22. Cr\\u00e8che Les Lutins"' in html
    assert '"radius": 20000' in html
    assert html.count("bindPopup(") == 2
    assert '"code": "29019"' in html  # commune outlines for bearings
    assert (
        'window.frameElement.title = "Carte : acteurs de l\\u0027ESS autour de '
        'Centre de Brest";' in html
    )


def test_directory_map_escapes_popups_and_fits_the_circle(page_of_results):
    m = directory_map.directory_map(
        centre=(48.39, -4.49),
        radius_km=50,
        actors=page_of_results,
        start=1,
        centre_label="<b>Brest</b>",
    )
    html = render(m)
    assert "<script>alert" not in html
    assert "\\u0026lt;script\\u0026gt;" in html  # escaped, then JSON-encoded
    assert "&lt;b&gt;Brest&lt;/b&gt;" in html
    assert '"code": "242900314"' in html  # at 50 km, EPCI outlines
    assert '"code": "29019"' not in html
    minx, miny, maxx, maxy = directory.bounding_box(-4.49, 48.39, 50)
    assert f"[[{miny}, {minx}], [{maxy}, {maxx}]]" in html


def test_directory_map_skips_actors_without_coordinates(page_of_results):
    page_of_results.loc[9, "latitude"] = None
    html = render(
        directory_map.directory_map(
            centre=(48.39, -4.49),
            radius_km=5,
            actors=page_of_results,
            start=1,
            centre_label="x",
        )
    )
    assert html.count("bindPopup(") == 1


@pytest.mark.parametrize(
    "name", ["{{ 7*7 }}", "{{ lipsum.__globals__.os.name }}", "{% for x in y %}"]
)
def test_template_syntax_in_names_is_never_evaluated(two_actors, name):
    two_actors.loc[0, "nom"] = name
    html = render(actors_map(two_actors))
    assert '"nom": "49"' not in html and "posix" not in html
    assert "#123;" in html  # the brace, as an HTML entity


@pytest.mark.parametrize(
    "name", ["{{ 7*7 }}", "{{ lipsum.__globals__.os.name }}", "{% for x in y %}"]
)
def test_template_syntax_in_directory_names_is_never_evaluated(page_of_results, name):
    page_of_results.loc[7, "nom"] = name
    html = render(
        directory_map.directory_map(
            centre=(48.39, -4.49),
            radius_km=5,
            actors=page_of_results,
            start=1,
            centre_label=name,
        )
    )
    assert "posix" not in html
    assert "1. 49" not in html
    assert "#123;" in html
