"""streamlit-folium's map with its generated code cached per scene.

``st_folium`` renders the whole folium map to HTML and JavaScript on every
run (80–100 ms on the Carte and the Annuaire, for the same scene again and
again). :func:`cached_map` asks ``st_folium`` once per scene for the
arguments it gives its component, keeps them (``st.cache_resource``), and
calls the component with them: the same scene sends the same arguments
without rebuilding anything, and the browser, seeing the same feature
groups, redraws nothing.

The arguments are taken from ``st_folium`` itself (its private
``_component_func`` is replaced by a dispatcher that, in the thread that
asks, records them instead of drawing), so that whatever a later
streamlit-folium adds to them is kept.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import folium
import streamlit as st
import streamlit_folium

__all__ = ["MapParts", "cached_map", "component_args"]

MapParts = tuple[
    folium.Map, list[folium.FeatureGroup] | None, folium.LayerControl | None
]
"""What a builder returns: the base map, its feature groups, its layer control."""

_REAL_COMPONENT = getattr(
    streamlit_folium._component_func, "ess_real", streamlit_folium._component_func
)
_capture = threading.local()


def _dispatch(**kwargs: Any) -> Any:
    sink = getattr(_capture, "sink", None)
    if sink is not None:
        sink.update(kwargs)
        return None
    return _REAL_COMPONENT(**kwargs)


_dispatch.ess_real = _REAL_COMPONENT  # type: ignore[attr-defined]
streamlit_folium._component_func = _dispatch


def component_args(
    parts: MapParts,
    *,
    key: str,
    height: int,
    returned_objects: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The arguments ``st_folium`` would give its component for a map.

    Parameters
    ----------
    parts : (folium.Map, list of folium.FeatureGroup or None, LayerControl or None)
        Used up: ``st_folium`` adds the groups to the map.
    key, height, returned_objects
        As ``st_folium`` takes them (the width follows the container).

    Returns
    -------
    dict
        Keyword arguments of the component, ``on_change`` left out.
    """
    base, groups, control = parts
    sink: dict[str, Any] = {}
    _capture.sink = sink
    try:
        streamlit_folium.st_folium(
            base,
            key=key,
            height=height,
            use_container_width=True,
            returned_objects=list(returned_objects)
            if returned_objects is not None
            else None,
            feature_group_to_add=groups,
            layer_control=control,
        )
    finally:
        _capture.sink = None
    sink.pop("on_change", None)
    return sink


@st.cache_resource(max_entries=24, show_spinner=False)
def _cached_args(
    scene: Hashable,
    _build: Callable[[], MapParts],
    key: str,
    height: int,
    returned_objects: tuple[str, ...] | None,
) -> dict[str, Any]:
    return component_args(
        _build(), key=key, height=height, returned_objects=returned_objects
    )


def cached_map(
    scene: Hashable,
    build: Callable[[], MapParts],
    *,
    key: str,
    height: int,
    returned_objects: Sequence[str] | None = None,
    on_change: Callable[[], None] | None = None,
) -> Any:
    """Draw a folium map whose code is generated once per ``scene``.

    Parameters
    ----------
    scene : hashable
        Everything the map depends on (two calls with equal scenes must
        build the same map): the builder runs only for a new scene.
    build : callable
        Makes the map's parts (:data:`MapParts`).
    key : str
        Session key of the map's value (its last click…), as ``st_folium``.
    height : int
        Pixels.
    returned_objects : sequence of str, optional
        What the map sends back, as ``st_folium`` (None: everything).
    on_change : callable, optional
        Called after the map sends something back.

    Returns
    -------
    object
        The component's value (as ``st_folium`` returns it).
    """
    wanted = tuple(returned_objects) if returned_objects is not None else None
    args = _cached_args(scene, build, key, height, wanted)
    hash_key = args["key"]

    def changed() -> None:  # what st_folium's own callback does
        st.session_state[key] = st.session_state.get(hash_key, {})
        if on_change is not None:
            on_change()

    return _REAL_COMPONENT(**args, on_change=changed)
