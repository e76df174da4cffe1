"""A page's state in its URL: write it back.

Pages read their state object with :mod:`ess_geo.pages.urlstate` and write it
here; written values that are empty remove their parameter, so that a default
view has a short address.
"""

from __future__ import annotations

import streamlit as st

__all__ = ["set_query_params"]


def set_query_params(**values: str | None) -> None:
    """Write page state to the URL; empty values remove their parameter."""
    for name, value in values.items():
        if value:
            if st.query_params.get(name) != value:
                st.query_params[name] = value
        elif name in st.query_params:
            del st.query_params[name]
