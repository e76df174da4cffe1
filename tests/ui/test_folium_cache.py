"""The folium map whose code is generated once per scene."""

import folium
import streamlit_folium

from ess_geo.maps import base
from ess_geo.ui import folium_cache


def parts():
    m = base.base_map(location=(48.39, -4.49), zoom=9)
    group = folium.FeatureGroup(name="Brest")
    folium.CircleMarker((48.39, -4.49), radius=5).add_to(group)
    return m, [group], folium.LayerControl(collapsed=True)


def test_the_arguments_are_those_st_folium_gives_its_component(monkeypatch):
    seen = []
    monkeypatch.setattr(
        folium_cache, "_REAL_COMPONENT", lambda **kwargs: seen.append(kwargs)
    )
    streamlit_folium.st_folium(
        *parts()[:1],
        key="carte.map",
        height=420,
        use_container_width=True,
        returned_objects=["last_object_clicked"],
        feature_group_to_add=parts()[1],
        layer_control=folium.LayerControl(collapsed=True),
    )
    direct = {k: v for k, v in seen[0].items() if k != "on_change"}
    captured = folium_cache.component_args(
        parts(), key="carte.map", height=420, returned_objects=["last_object_clicked"]
    )
    assert captured == direct
    assert "feature_group_feature_group_0" in captured["feature_group"]
    assert captured["height"] == 420 and captured["width"] is None
    assert len(seen) == 1  # capturing drew nothing


def test_the_same_scene_builds_its_map_once(monkeypatch):
    drawn, built = [], []
    monkeypatch.setattr(
        folium_cache, "_REAL_COMPONENT", lambda **kwargs: drawn.append(kwargs)
    )

    def build():
        built.append(1)
        return parts()

    for scene in ("brest", "brest", "quimper", "brest"):
        folium_cache.cached_map(
            ("test", scene), build, key="annuaire.map", height=420, returned_objects=[]
        )
    assert len(built) == 2  # brest, quimper
    assert len(drawn) == 4
    assert drawn[0]["script"] == drawn[1]["script"] == drawn[3]["script"]
    assert drawn[0]["key"] == drawn[1]["key"]
    assert all(callable(d["on_change"]) for d in drawn)
    assert drawn[0]["returned_objects"] == []


def test_the_dispatcher_is_installed_once():
    assert streamlit_folium._component_func.ess_real is folium_cache._REAL_COMPONENT
    assert not hasattr(folium_cache._REAL_COMPONENT, "ess_real")
