from ess_geo import maps
from ess_geo.maps import cartemap, frame, mapview


def test_the_layer_list_is_emptied_before_the_first_group_is_pushed(few_actors):
    groups = cartemap.carte_groups(mapview.build_scene(few_actors))
    first = next(iter(groups[0]._children.values()))
    assert isinstance(first, frame.GroupReset)
    assert (
        sum(
            isinstance(c, frame.GroupReset)
            for g in groups
            for c in g._children.values()
        )
        == 1
    )


def test_the_map_frame_is_titled_after_what_it_shows(few_actors):
    finistere = mapview.territory("departement", "29")
    scene = mapview.build_scene(few_actors, maille="departement", selection=finistere)
    assert cartemap.map_title(scene) == (
        "Carte : Structures de l'ESS pour 10 000 habitants par département, "
        "Finistère (département)"
    )
    groups = cartemap.carte_groups(scene)
    (title,) = [
        c for c in groups[0]._children.values() if isinstance(c, frame.FrameTitle)
    ]
    assert title.title == cartemap.map_title(scene)


def test_main_towns_by_level_and_zoom():
    towns = frame.main_towns()
    regions = towns[towns["level"] == "region"].set_index("code")
    assert regions.loc["53", "nom"] == "Rennes"
    assert regions.loc["11", "nom"] == "Paris"
    departements = towns[towns["level"] == "departement"].set_index("code")
    assert departements.loc["29", "nom"] == "Brest"  # most populous, not the préfecture
    assert "35" not in departements.index  # Rennes is already named as a région
    assert towns["zoom"].min() == 5 and towns.iloc[0]["nom"] == "Paris"


def test_place_names_only_without_a_basemap():
    offline = cartemap.carte_base("aucun").get_root().render()
    online = cartemap.carte_base("osm").get_root().render()
    assert "Rennes" in offline and "essPlaces" in offline
    assert "essPlaces" not in online


def test_every_map_has_the_icon_path_and_a_metric_scale_only():
    html = maps.base_map().get_root().render()
    assert (
        'L.Icon.Default.imagePath = "/app/static/vendor/leaflet@1.9.4/images/"' in html
    )
    assert "L.control.scale({imperial: false})" in html
    assert "L.control.scale()" not in html
    assert ".ess-popup-open .leaflet-tooltip {display:none}" in html


def test_circle_counts_get_decluttered(few_actors):
    scene = mapview.build_scene(few_actors, marker_limit=2)
    groups = cartemap.carte_groups(scene)
    circles = groups[-1]
    kinds = [type(c).__name__ for c in circles._children.values()]
    assert kinds[:2] == ["CircleLayer", "CircleLabels"]


def test_greedy_labels_keep_the_first_and_skip_overlaps():
    kept = frame.labels_without_overlap(
        [(0, 0), (20, 0), (40, 0), (0, 10), (0, 20)], [(30, 16)] * 5
    )
    assert kept == [True, False, True, False, True]


def test_legends_fold_once_over_the_selection(few_actors):
    brest = mapview.territory("epci", "242900314")
    groups = cartemap.carte_groups(mapview.build_scene(few_actors, selection=brest))
    (selected,) = [g for g in groups if g.layer_name == "Territoire sélectionné"]
    (fold,) = [
        c for c in selected._children.values() if isinstance(c, frame.LegendFold)
    ]
    assert fold.token == "epci:242900314"
    box = mapview.bounds_of(brest)
    assert fold.bounds == [[box[1], box[0]], [box[3], box[2]]]
