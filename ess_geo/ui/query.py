"""A page's state in its URL: read query parameters safely, write them back.

Values read from a link are checked (one of the allowed choices) and fall
back to the page's default; written values that are empty remove their
parameter, so that a default view has a short address. Pages with a state
object read it with :mod:`ess_geo.pages.urlstate` and write it here.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

__all__ = ["query_choice", "set_query_params"]


def query_choice(name: str, allowed: Sequence[str], default: str) -> str:
    """A query parameter's value if it is one of ``allowed``, else ``default``."""
    value = st.query_params.get(name, default)
    return value if value in allowed else default


def set_query_params(**values: str | None) -> None:
    """Write page state to the URL; empty values remove their parameter."""
    for name, value in values.items():
        if value:
            if st.query_params.get(name) != value:
                st.query_params[name] = value
        elif name in st.query_params:
            del st.query_params[name]
