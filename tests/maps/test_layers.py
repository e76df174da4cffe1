import json
import re

import folium
import pandas as pd
import pytest

from ess_geo.analysis.classify import Classification
from ess_geo.maps import layers


def render_in_map(*elements) -> str:
    m = folium.Map(tiles=None)
    group = folium.FeatureGroup(name="groupe").add_to(m)
    for element in elements:
        element.add_to(group)
    return m.get_root().render()


def embedded_json(html: str, start: str) -> object:
    """The JSON literal that follows ``start`` in the page."""
    text = html[html.index(start) + len(start) :].lstrip()
    return json.JSONDecoder().raw_decode(text.replace("<\\/", "</"))[0]


def test_tooltip_escapes_its_title_and_lines():
    assert layers.tooltip("<img src=x>", ["a & b", "<i>"]) == (
        "<strong>&lt;img src=x&gt;</strong><br>a &amp; b<br>&lt;i&gt;"
    )


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([400, 100, 4, 0], [20.0, 10.0, 2.0, 0.0]),
        ([9, 1], [20.0, 6.7]),
        ([0, 0], [0.0, 0.0]),
    ],
)
def test_circle_area_is_proportional_to_the_count(counts, expected):
    assert layers.circle_radii(pd.Series(counts), max_radius=20).tolist() == expected


def test_actor_records_escape_every_text_and_skip_unplaced_actors():
    actors = pd.DataFrame(
        {
            "nom": ["<script>alert('x')</script>", "Crèche", "Sans lieu"],
            "famille": ["association", "fondation", "mutuelle"],
            "naf": ["88.91A", "zz", "65.12Z"],
            "nom_commune": ["Brest <b>", "Brest <b>", "Quimper"],
            "latitude": [48.391234567, 48.4, None],
            "longitude": [-4.486, -4.5, -4.1],
        },
        index=pd.Index([7, 9, 11], name="id"),
    )
    records = layers.actor_records(actors)
    assert records["id"] == ["7", "9"]
    assert records["nom"][0] == "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
    assert records["lat"] == [48.39123, 48.4]
    assert records["communes"] == ["Brest &lt;b&gt;"]
    assert records["com"] == [0, 0]
    assert records["activites"] == ["Accueil de jeunes enfants", "zz"]
    assert [records["familles"][f] for f in records["fam"]] == [
        "Association",
        "Fondation",
    ]


def test_actor_layer_keeps_script_tags_out_of_the_page():
    actors = pd.DataFrame(
        {
            "nom": ["</script><script>alert(1)</script>"],
            "famille": ["association"],
            "naf": ["88.91A"],
            "nom_commune": ["Brest"],
            "latitude": [48.39],
            "longitude": [-4.48],
        },
        index=pd.Index([1], name="id"),
    )
    html = render_in_map(layers.ActorLayer(actors))
    assert "alert(1)</script>" not in html
    assert "<script>alert" not in html
    assert "L.markerClusterGroup" in html
    assert "renderer: window.essCanvas" in html


def test_geojson_layer_embeds_compact_features_with_refs():
    features = [
        layers.feature(
            '{"type":"Point","coordinates":[1,2]}',
            {"r": "epci:1", "t": layers.tooltip("</script>"), "c": "#ffffcc"},
        )
    ]
    layer = layers.GeoJsonLayer(features, style={"weight": 1}, canvas=True)
    html = render_in_map(layer)
    data = embedded_json(html, "L.geoJson(")
    assert data["features"][0]["properties"] == {
        "r": "epci:1",
        "t": "<strong>&lt;/script&gt;</strong>",
        "c": "#ffffcc",
    }
    assert "renderer: window.essCanvas" in html
    assert "properties: {ref: p.r}" in html


def test_non_interactive_layer_has_no_tooltip_or_click():
    layer = layers.GeoJsonLayer([], style={"weight": 1}, interactive=False)
    html = render_in_map(layer)
    assert "interactive: false" in html
    assert "bindTooltip" not in html.split("L.geoJson(", 1)[1].split("addLayer")[0]
    assert "renderer: window.essCanvas" not in html


def test_circle_layer_draws_small_circles_on_top():
    circles = pd.DataFrame(
        {
            "lat": [48.0, 47.0],
            "lon": [-4.0, -3.0],
            "radius": [5.0, 20.0],
            "tip": ["a", "b"],
            "ref": ["commune:1", "commune:2"],
            "label": ["", "<12>"],
        }
    )
    html = render_in_map(layers.CircleLayer(circles))
    data = embedded_json(html, "var d =")
    assert data["radius"] == [20.0, 5.0]
    assert data["ref"] == ["commune:2", "commune:1"]
    assert data["label"] == ["&lt;12&gt;", ""]
    assert "Math.min(1, width / 560)" in html


def test_fit_once_fits_the_box_in_latitude_longitude_order():
    m = folium.Map(tiles=None)
    layers.FitOnce("epci:1", (-5.0, 47.0, -4.0, 48.0)).add_to(m)
    html = m.get_root().render()
    assert 'window.essFitToken !== "epci:1"' in html
    assert "fitBounds([[47.0, -5.0], [48.0, -4.0]]" in html


def test_fit_once_outside_a_map_is_refused():
    with pytest.raises(ValueError, match="must be added inside a map"):
        _ = layers.FitOnce("x", (0, 0, 1, 1)).map_name


def test_legend_control_escapes_its_title_and_can_start_folded():
    opened = layers.LegendControl("<b>Titre</b>", "<ul></ul>")
    assert opened.html.startswith("<details open><summary>&lt;b&gt;Titre&lt;/b&gt;")
    folded = layers.LegendControl("Contours", "", folded=True)
    assert folded.html.startswith("<details><summary>Contours")
    html = render_in_map(opened)
    assert "ess-legend leaflet-control" in html
    assert "map.removeControl(this._control)" in html


def test_class_legend_lists_classes_counts_no_data_and_method():
    classes = Classification(
        "jenks", (0.0, 2.5, 10.0), ("#a1dab4", "#225ea8"), (3, 4), 2
    )
    html = layers.class_legend_html(
        classes,
        decimals=1,
        method_label="seuils naturels (Fisher-Jenks)",
        maille_label="9 <EPCI>",
    )
    items = re.findall(r"<li>(.*?)</li>", html)
    assert len(items) == 3
    assert "#a1dab4" in items[0] and "0,0 à 2,5" in items[0] and "(3)" in items[0]
    assert "2,5 à 10,0" in items[1] and "(4)" in items[1]
    assert "Sans donnée" in items[2] and "(2)" in items[2]
    assert "classes : seuils naturels (Fisher-Jenks)" in html
    assert "9 &lt;EPCI&gt;" in html


def test_circle_legend_shows_round_reference_counts():
    html = layers.circle_legend_html(3227, 26.0, "acteurs par département")
    assert "3\u202f227 · 1\u202f000 · 200" in html
    assert html.count("<circle") == 3
    # Drawn at the map's circle scale (smaller on phones), like the circles.
    assert '<svg class="ess-scale" width="56" height="56" viewBox="0 0 56 56"' in html
    assert layers.circle_legend_html(0, 26.0, "acteurs") == "<p>acteurs : aucun</p>"


def test_family_legend_counts_actors_of_each_famille():
    html = layers.family_legend_html({"association": 1200, "cooperative": 1})
    assert "Association (1\u202f200)" in html
    assert "Coopérative (1)" in html
    assert "Fondation (0)" in html
    assert html.count("<li>") == 5


def test_outline_legend_draws_dashes_for_partial_perimeters():
    html = layers.outline_legend_html(
        [
            ("Réseau", {"color": "#D55E00", "weight": 2.5}),
            (
                "Réseau incertain",
                {"color": "#D55E00", "weight": 2.5, "dashArray": "7 5"},
            ),
        ]
    )
    first, second = re.findall(r"<li>(.*?)</li>", html)
    assert "stroke-dasharray" not in first
    assert 'stroke-dasharray="7 5"' in second
