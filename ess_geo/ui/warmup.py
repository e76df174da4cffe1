"""The process's start-up and each page run: warm-up, garbage collector, timing.

- :func:`start_warm_up`: once per process, a background thread builds what
  the first visitor would otherwise wait for (the territory search index,
  the Annuaire's commune index, the geometry indexes and the shape files
  the Carte's browser fetches, the place names), so that the first search
  no longer spends half a second building its index.
- :func:`run_page`: runs the page; after the first run of the process (the
  big caches are loaded by then), ``gc.freeze()`` moves every object alive
  to the permanent generation, so that later collections only walk what the
  runs create. Streamlit's forced full collection after every run
  (``runner.postScriptGC``) is turned off in ``.streamlit/config.toml``:
  it held the interpreter 150 ms after each run while the last messages
  waited. With ``ESS_GEO_TIMING=<file>``, each run's time is appended to
  the file as a JSON line (``python -m bench browser`` reads it).
- :func:`timed_fragment`: the same line for a fragment's own reruns (a
  fragment run within a page run is counted in the page's time).
"""

from __future__ import annotations

import functools
import gc
import json
import os
import threading
import time
from collections.abc import Callable
from typing import Any

import streamlit as st
from streamlit.navigation.page import StreamlitPage

__all__ = [
    "TIMING_ENV",
    "WARM_LEVELS",
    "run_page",
    "start_warm_up",
    "timed_fragment",
    "warm_up",
]

TIMING_ENV = "ESS_GEO_TIMING"
"""Environment variable naming the file where page run times are appended."""

WARM_LEVELS = ("epci", "departement", "region", "pays", "pnr")
"""Levels whose geometry index and shape files are built at start-up."""

_frozen = threading.Event()
_in_page = threading.local()


def warm_up() -> None:
    """Build the search indexes, geometry indexes, shape files and place names."""
    from ess_geo.analysis.directory import search_communes
    from ess_geo.geo.search import search_territories
    from ess_geo.maps import frame, mapview, shapes

    search_territories("brest", limit=1)
    search_communes("29200")  # the Annuaire's commune index
    for level in WARM_LEVELS:
        mapview.layer_index(level)
        shapes.shape_urls(level)
    frame.main_towns()


@st.cache_resource(show_spinner=False)
def start_warm_up() -> threading.Thread:
    """Start :func:`warm_up` in a background thread, once per process."""
    thread = threading.Thread(target=warm_up, name="ess-warm-up", daemon=True)
    thread.start()
    return thread


def run_page(page: StreamlitPage) -> None:
    """Run a page; freeze the collector after the process's first run; time it."""
    start = time.perf_counter()
    _in_page.running = True
    try:
        page.run()
    finally:
        _in_page.running = False
        seconds = time.perf_counter() - start
        if not _frozen.is_set():
            _frozen.set()
            gc.collect()
            gc.freeze()
        _write_timing(page.url_path, seconds)


def _write_timing(name: str, seconds: float) -> None:
    target = os.environ.get(TIMING_ENV)
    if target:
        line = {"page": name, "seconds": round(seconds, 4), "at": time.time()}
        with open(target, "a", encoding="utf-8") as out:
            out.write(json.dumps(line) + "\n")


def timed_fragment(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Time a fragment's own reruns like the page runs (see :func:`run_page`).

    Put it under ``@st.fragment``. A run of the fragment within a page's
    run is not written again (the page's time includes it).
    """

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if getattr(_in_page, "running", False):
                return function(*args, **kwargs)
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                _write_timing(name, time.perf_counter() - start)

        return timed

    return decorate
