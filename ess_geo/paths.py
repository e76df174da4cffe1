"""Where the repository's data lie: the one place that reads ``__file__``.

The embedded data ship with the code, beside the ``ess_geo`` package: the
reference tables, the territory boundaries, the PDF fonts and the static
files Streamlit serves (vendored Leaflet). Every module finds them here.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "BOUNDARIES_DIR",
    "DATA_DIR",
    "FONTS_DIR",
    "REFERENCE_DIR",
    "ROOT",
    "STATIC_DIR",
]

ROOT = Path(__file__).resolve().parents[1]
"""The repository: ``app.py``, ``data/``, ``static/`` and ``ess_geo/``."""

DATA_DIR = ROOT / "data"
"""Embedded data, and the default workspace (``data/workspace.sqlite``)."""

REFERENCE_DIR = DATA_DIR / "reference"
"""Reference tables (CSV): NAF, catégories juridiques, networks, CRESS, PNR…"""

BOUNDARIES_DIR = DATA_DIR / "boundaries"
"""Territory boundaries and the commune membership table (GeoParquet)."""

FONTS_DIR = DATA_DIR / "fonts"
"""Fonts embedded in the panorama PDF (DejaVu subsets)."""

STATIC_DIR = ROOT / "static"
"""Files Streamlit serves under ``/app/static`` (vendored Leaflet)."""
