"""A "Me localiser" button: the browser's geolocation, with the person's consent.

Built with Streamlit's own component API (no iframe, no external script).
Its HTML, CSS and JavaScript live in ``components/geolocation.*`` next to
this module; they are read at import and given inline to
``st.components.v2.component``.
"""

from __future__ import annotations

import math
from pathlib import Path

import streamlit as st

__all__ = ["geolocation_button"]

_COMPONENT = Path(__file__).with_name("components") / "geolocation"

_geolocation = st.components.v2.component(
    "ess_geo.geolocation",
    html=_COMPONENT.with_suffix(".html").read_text(encoding="utf-8"),
    css=_COMPONENT.with_suffix(".css").read_text(encoding="utf-8"),
    js=_COMPONENT.with_suffix(".js").read_text(encoding="utf-8"),
)


def geolocation_button(key: str) -> tuple[dict | None, str | None]:
    """A "Me localiser" button using the browser's geolocation, with consent.

    The browser asks the person before sharing anything, and the page stays
    usable without it.

    Parameters
    ----------
    key : str
        Widget key.

    Returns
    -------
    (position, error)
        On the run that follows a click: ``{"lat", "lon", "accuracy"}`` if
        the person allowed it, else None and a French message saying why.
        (None, None) on every other run.
    """
    result = _geolocation(
        key=key, on_position_change=lambda: None, on_error_change=lambda: None
    )
    position = getattr(result, "position", None)
    error = getattr(result, "error", None)
    if error is not None:
        error = str(error)[:300]
    if position is None:
        return None, error
    checked = _checked_position(position)
    if checked is None:
        return None, "Position reçue du navigateur illisible : elle est ignorée."
    return checked, error


def _checked_position(position: object) -> dict | None:
    """``{"lat", "lon", "accuracy"}`` as finite floats, or None (a forged value)."""
    if not isinstance(position, dict):
        return None
    try:
        lat, lon = float(position["lat"]), float(position["lon"])
        accuracy = float(position.get("accuracy") or 0.0)
    except (KeyError, TypeError, ValueError, OverflowError):
        return None
    if not all(math.isfinite(v) for v in (lat, lon, accuracy)):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return {"lat": lat, "lon": lon, "accuracy": accuracy}
