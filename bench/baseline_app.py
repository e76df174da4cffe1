"""A naive folium map of the national EPCI layer, the browser benchmark's baseline.

What a first version of the Carte would do: the whole display geometry in a
``folium.GeoJson`` with a style function, rebuilt and sent again on every
change of the colouring (a select box), through ``st_folium``.
Run by ``python -m bench browser``; not part of the app.
"""

import folium
import streamlit as st
from streamlit_folium import st_folium

from ess_geo.geo import geography
from ess_geo.maps import base

PALETTES = {
    "population": ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
    "surface": ["#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603"],
}


@st.cache_resource
def epci():
    layer = geography.load_layer("epci")[["code", "nom", "population", "geometry"]]
    layer = layer.copy()
    layer["surface"] = layer.to_crs(2154).area
    return layer


layer = epci()
column = st.selectbox("Colorer selon", list(PALETTES), key="colour")
ranks = (layer[column].rank(pct=True).fillna(0) * 4.999).astype(int)
colours = dict(zip(layer["code"], [PALETTES[column][r] for r in ranks], strict=True))
m = base.base_map()
folium.GeoJson(
    layer,
    style_function=lambda f: {
        "fillColor": colours[f["properties"]["code"]],
        "color": "#fff",
        "weight": 0.6,
        "fillOpacity": 0.78,
    },
    tooltip=folium.GeoJsonTooltip(["nom"]),
).add_to(m)
st_folium(m, key="map", height=620, use_container_width=True, returned_objects=[])
