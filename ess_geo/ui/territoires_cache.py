"""The Territoires page's ranking, computed once per level, filters and revision.

The ranking of every territory of a level (:func:`ess_geo.analysis.weight.ranking`,
up to 35,000 communes) is kept per workspace revision, level, indicator,
région, département and the session's employment table: opening the page,
choosing another territory or coming back to a ranking reuses it. The
indicators it ranks are the shared :func:`ess_geo.ui.caches.weight_table`.
Every object returned is shared between sessions: never mutate it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ess_geo.analysis import weight
from ess_geo.ui.caches import weight_table, workspace_revision
from ess_geo.ui.employment import session_employment
from ess_geo.workspace import store

__all__ = ["territory_ranking"]


@st.cache_resource(show_spinner=False, max_entries=32)
def _ranking(
    revision: store.Revision,
    level: str,
    by: str,
    region: str | None,
    departement: str | None,
    employment: pd.Series | None,
) -> pd.DataFrame:
    return weight.ranking(
        weight_table(level), by=by, region=region, departement=departement
    )


def territory_ranking(
    level: str, by: str, region: str | None = None, departement: str | None = None
) -> pd.DataFrame:
    """:func:`ess_geo.analysis.weight.ranking` of the workspace's territories (cached).

    Parameters
    ----------
    level : str
    by : str
        One of :data:`ess_geo.analysis.weight.RANKABLE`.
    region, departement : str, optional
        Keep the territories of this région or département.
    """
    return _ranking(
        workspace_revision(),
        level,
        by,
        region or None,
        departement or None,
        session_employment()[0],
    )
