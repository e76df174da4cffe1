"""The Couverture page's per-level frame, computed once per parameters and revision.

Opening the page or moving a weight, the région or a budget parameter used
to recompute the coverage of every territory and its components (neighbours,
percentile ranks): :func:`coverage_gaps` now keeps, per workspace revision,
level and coverage parameters (threshold, what is counted, the régions
whose inventory is complete), the
:func:`ess_geo.analysis.coverage.components` table, and only scores and
ranks it again (:func:`ess_geo.analysis.coverage.ranked_gaps`) for the
weights, the size condition and the région.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import streamlit as st

from ess_geo.analysis import coverage
from ess_geo.ui.caches import ess_inputs, network_tables, workspace_revision
from ess_geo.workspace import store

__all__ = ["coverage_gaps"]


@st.cache_resource(show_spinner="Calcul de la couverture…", max_entries=16)
def _components(
    revision: store.Revision,
    level: str,
    threshold: float,
    count_inexact: bool,
    counting: str,
    complete_regions: tuple[str, ...],
) -> pd.DataFrame:
    networks, perimeters, _ = network_tables()
    table = coverage.coverage(
        networks,
        perimeters,
        level,
        threshold=threshold,
        count_inexact=count_inexact,
        counting=counting,
        complete_regions=complete_regions,
    )
    return coverage.components(table, ess_inputs(level), level)


def coverage_gaps(
    level: str,
    *,
    threshold: float,
    count_inexact: bool,
    counting: str = coverage.DEFAULT_COUNTING,
    complete_regions: Iterable[str] = (),
    min_employers: int = coverage.DEFAULT_MIN_EMPLOYERS,
    weights: Mapping[str, float] | None = None,
    region: str | None = None,
) -> pd.DataFrame:
    """:func:`ess_geo.analysis.coverage.gaps` of the workspace, from the cached frame.

    Raises as :func:`ess_geo.analysis.coverage.gaps` does (invalid threshold
    or weights, unknown région).
    """
    frame = _components(
        workspace_revision(),
        level,
        threshold,
        count_inexact,
        counting,
        tuple(sorted(complete_regions)),
    )
    return coverage.ranked_gaps(
        frame, level, weights, region, min_employers=min_employers
    )
