"""How a page tells the user about a library error."""

from __future__ import annotations

import streamlit as st

from ess_geo.errors import EssGeoError

__all__ = ["show_error"]


def show_error(exc: EssGeoError) -> None:
    """Show a library error to the user in French and stop the page."""
    st.error(str(exc), icon="⚠️")
    st.stop()
