"""The Couverture page's frames, computed once per parameters and revision.

Opening the page or moving a weight, the région or a budget parameter used
to recompute the coverage of every territory and its components (neighbours,
percentile ranks), then the tables, the map's properties and the structures
motrices of the chosen prospect on every run. Here, per workspace revision:

- :func:`_components`: per level and coverage parameters (threshold, what
  is counted, the régions whose inventory is complete), the
  :func:`ess_geo.analysis.coverage.components` table;
- :func:`coverage_view`: per weights, size condition and région besides,
  the scored table (:func:`ess_geo.analysis.coverage.ranked_gaps`) and what
  the page derives from it (figures, table of prospects, labels, the map's
  colours and tooltips);
- :func:`prospect_motrices`: the structures motrices of one territory.

Every object returned is shared between sessions: never mutate it. A
budget parameter or the retained prospects change none of the keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

import pandas as pd
import streamlit as st

from ess_geo.analysis import coverage, motrices, prospects
from ess_geo.maps import coverage_map
from ess_geo.ui.caches import actors, ess_inputs, network_tables, workspace_revision
from ess_geo.workspace import store

__all__ = ["CoverageView", "coverage_view", "prospect_motrices"]


class CoverageView(NamedTuple):
    """What the Couverture page shows for one set of parameters (shared: read-only)."""

    table: pd.DataFrame
    """:func:`ess_geo.analysis.coverage.gaps` output."""
    figures: dict[str, float]
    """:func:`ess_geo.analysis.coverage.summary` of ``table``."""
    ranked: pd.DataFrame
    """:func:`ess_geo.analysis.prospects.display_prospects` of ``table``."""
    labels: dict[str, str]
    """:func:`ess_geo.analysis.prospects.prospect_labels` of ``table``."""
    correlation: float
    """:func:`ess_geo.analysis.prospects.population_correlation` of ``table``."""
    drawn: pd.DataFrame
    """:func:`ess_geo.maps.coverage_map.coverage_shapes` of ``table``."""


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


@st.cache_resource(show_spinner=False, max_entries=32)
def _view(
    revision: store.Revision,
    level: str,
    threshold: float,
    count_inexact: bool,
    counting: str,
    complete_regions: tuple[str, ...],
    min_employers: int,
    weights: tuple[tuple[str, float], ...] | None,
    region: str | None,
) -> CoverageView:
    frame = _components(
        revision, level, threshold, count_inexact, counting, complete_regions
    )
    table = coverage.ranked_gaps(
        frame,
        level,
        None if weights is None else dict(weights),
        region,
        min_employers=min_employers,
    )
    return CoverageView(
        table=table,
        figures=coverage.summary(table),
        ranked=prospects.display_prospects(table),
        labels=prospects.prospect_labels(table),
        correlation=prospects.population_correlation(table),
        drawn=coverage_map.coverage_shapes(table, level),
    )


def coverage_view(
    level: str,
    *,
    threshold: float,
    count_inexact: bool,
    counting: str = coverage.DEFAULT_COUNTING,
    complete_regions: Iterable[str] = (),
    min_employers: int = coverage.DEFAULT_MIN_EMPLOYERS,
    weights: Mapping[str, float] | None = None,
    region: str | None = None,
) -> CoverageView:
    """The page's frames for these parameters, from the workspace (cached).

    Raises as :func:`ess_geo.analysis.coverage.gaps` does (invalid threshold
    or weights, unknown région).
    """
    return _view(
        workspace_revision(),
        level,
        threshold,
        count_inexact,
        counting,
        tuple(sorted(complete_regions)),
        int(min_employers),
        None if weights is None else tuple(sorted(weights.items())),
        region,
    )


@st.cache_resource(show_spinner=False, max_entries=16)
def _motrices(revision: store.Revision, level: str, code: str) -> pd.DataFrame:
    return motrices.motrices(actors(), level, code)


def prospect_motrices(level: str, code: str) -> pd.DataFrame:
    """:func:`ess_geo.analysis.motrices.motrices` of the workspace's actors (cached)."""
    return _motrices(workspace_revision(), level, code)
