import json

import shapely

from ess_geo import maps
from ess_geo.maps import cartemap, mapview, shapes


def test_encoding_round_trips_at_the_quantum():
    square = shapely.Polygon(
        [(-4.4861, 48.3901), (-4.4, 48.3901), (-4.4, 48.45), (-4.4861, 48.3901)]
    )
    (encoded,) = shapes.encode_shapes([square], 1e-4)
    assert encoded == [[[-44861, 483901, 861, 0, 0, 599, -861, -599]]]
    (ring,) = shapes.decode_rings(encoded, 1e-4)
    assert [[round(x, 4), round(y, 4)] for x, y in ring] == [
        [-4.4861, 48.3901],
        [-4.4, 48.3901],
        [-4.4, 48.45],
        [-4.4861, 48.3901],
    ]


def test_shape_files_follow_the_layer_index_and_are_served_statically():
    urls = shapes.shape_urls("departement")
    assert set(urls) == {"coarse", "display"}
    assert urls["display"].startswith("/app/static/geo/departement-display-")
    name = urls["display"].rsplit("/", 1)[1]
    data = json.loads((shapes.SHAPES_DIR / name).read_text())
    index = mapview.layer_index("departement")
    assert data["q"] == 1e-4
    assert len(data["s"]) == len(index.codes) == 101
    finistere = index.codes.get_loc("29")
    xs = [x for x, _ in shapes.decode_rings(data["s"][finistere], data["q"])[0]]
    minx = index.bounds[finistere][0]
    assert abs(min(xs) - minx) < 2e-4


def test_a_filter_change_sends_styles_not_polygons(few_actors):
    scene = mapview.build_scene(few_actors)
    choropleth = cartemap.carte_groups(scene)[0]
    (layer,) = [
        c for c in choropleth._children.values() if isinstance(c, maps.ShapeLayer)
    ]
    assert layer.level == "epci"
    assert len(layer.positions) == len(scene.positions)
    assert "coordinates" not in layer.data
    # a few hundred bytes per territory at most, against kilobytes of polygons
    assert len(layer.data) < 200 * len(layer.positions)


def test_unwritable_static_folder_falls_back_to_inline_geojson(monkeypatch):
    monkeypatch.setattr(shapes, "shape_urls", lambda level: None)
    layer = shapes.shape_layer("region", [0], [{"c": "#fff"}], style={"weight": 1})
    assert isinstance(layer, maps.GeoJsonLayer)
    feature = json.loads(layer.data)["features"][0]
    assert feature["properties"] == {"c": "#fff"}
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_the_carte_fetches_its_national_shapes_before_leaflet():
    combined = maps.bundle_urls(maps.MAP_BUNDLE)
    url = shapes.prefetch_url(
        cartemap.PREFETCHED_LEVELS, styles=(combined.css,), scripts=(combined.js,)
    )
    assert url.startswith("/app/static/geo/prefetch-") and url.endswith(".js")
    code = (shapes.SHAPES_DIR / url.rsplit("/", 1)[1]).read_text()
    wanted = [
        shapes.shape_urls(level)["coarse"] for level in cartemap.PREFETCHED_LEVELS
    ]
    assert f"{json.dumps(wanted)}.forEach" in code
    assert "window.essPrefetch[url] = fetch(url)" in code
    assert f"{json.dumps([combined.css])}.forEach" in code  # the stylesheet at once
    # Leaflet asked first (preloaded), then the stylesheet, then the shapes
    assert code.index(json.dumps([combined.js])) < code.index('link.rel = "preload"')
    assert code.index('link.rel = "preload"') < code.index(json.dumps([combined.css]))
    assert code.index(json.dumps([combined.css])) < code.index(json.dumps(wanted))
    m = cartemap.carte_base()
    assert m.default_js == [("ess_prefetch", url), ("ess_leaflet_js", combined.js)]
    assert m.default_js[1:] == maps.base_map().default_js
    assert maps.external_assets(m) == []


def test_no_prefetch_when_the_static_folder_is_unwritable(monkeypatch):
    monkeypatch.setattr(shapes, "shape_urls", lambda level: None)
    assert shapes.prefetch_url.__wrapped__(("epci",)) is None


def test_shape_files_carry_the_codes_and_escaped_names():
    name = shapes.shape_urls("departement")["coarse"].rsplit("/", 1)[1]
    data = json.loads((shapes.SHAPES_DIR / name).read_text(encoding="utf-8"))
    index = mapview.layer_index("departement")
    assert data["k"] == list(index.codes)
    assert data["n"][index.codes.get_loc("29")] == "Finistère"
    assert data["n"][index.codes.get_loc("2A")] == "Corse-du-Sud"


def test_tooltip_values_are_escaped_and_the_fallback_composes_them(monkeypatch):
    layer = shapes.ShapeLayer(
        "region",
        [0],
        [{"c": "#fff", "v": ["<b>1</b>"]}],
        style={"weight": 1},
        tip_labels=["Part « A&B »"],
        ref_level="region",
    )
    assert layer.spec["props"] == [{"c": "#fff", "v": ["&lt;b&gt;1&lt;/b&gt;"]}]
    assert layer.spec["labels"] == ["Part « A&amp;B »"]
    assert layer.properties == [{"c": "#fff", "v": ["<b>1</b>"]}]  # as given
    monkeypatch.setattr(shapes, "shape_urls", lambda level: None)
    inline = shapes.shape_layer(
        "region",
        [0],
        [{"c": "#fff", "v": ["<b>1</b>"]}],
        tip_labels=["Part « A&B »"],
        ref_level="region",
        style={"weight": 1},
    )
    (feature,) = json.loads(inline.data)["features"]
    code = mapview.layer_index("region").codes[0]
    assert feature["properties"] == {
        "c": "#fff",
        "t": shapes.tooltip_html(
            shapes.territory_names("region")[0], ["Part « A&B »"], ["<b>1</b>"]
        ),
        "r": f"region:{code}",
    }
    assert "&lt;b&gt;1&lt;/b&gt;" in feature["properties"]["t"]
