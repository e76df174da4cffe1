"""The INSEE employment table a person uploads, kept in their session.

The Territoires page reads an "emplois au lieu de travail" file
(:func:`ess_geo.io.employment.read_employment`) to compute the ESS's share
of total employment; the table stays in the session, never in the
workspace.
"""

from __future__ import annotations

import warnings

import pandas as pd
import streamlit as st

from ess_geo.errors import EssGeoError
from ess_geo.io.employment import read_employment
from ess_geo.ui.keys import EmploymentKeys
from ess_geo.ui.messages import show_problem

__all__ = ["load_employment", "session_employment"]


def session_employment() -> tuple[pd.Series | None, str | None]:
    """The employment table loaded in this session, and its file name."""
    return st.session_state.get(EmploymentKeys.TABLE, (None, None))


@st.cache_data(show_spinner="Lecture du fichier d'emploi…", max_entries=4)
def _read_employment(content: bytes, name: str) -> tuple[pd.Series, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        table = read_employment(content, name=name)
    return table, [str(w.message) for w in caught]


def load_employment(content: bytes | None, name: str | None) -> None:
    """Read an uploaded INSEE employment file into the session, or forget it.

    A file that cannot be used shows its French error and leaves the
    session without an employment table; the page goes on.
    """
    if content is None or name is None:
        st.session_state.pop(EmploymentKeys.TABLE, None)
        return
    try:
        table, notes = _read_employment(content, name)
    except EssGeoError as exc:
        st.session_state.pop(EmploymentKeys.TABLE, None)
        show_problem(exc)
        return
    for note in notes:
        st.warning(note, icon="ℹ️")
    st.session_state[EmploymentKeys.TABLE] = (table, name)
