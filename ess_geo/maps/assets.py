"""Web assets (Leaflet and its plugins) served from the app's own static folder.

The map must render with no internet, so every JavaScript and CSS file the
folium maps need is vendored from the npm registry into ``static/vendor/``
(by ``scripts/vendor_assets.py``) and served by Streamlit's static file
server at ``/app/static/...``. This module is the single list of what is
vendored; the script fetches exactly these files and the map builders point
folium at them.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ess_geo import paths

__all__ = [
    "FULLSCREEN",
    "LEAFLET",
    "MARKERCLUSTER",
    "PACKAGES",
    "PUBLIC_FILE_MODE",
    "STATIC_URL",
    "NpmPackage",
    "missing_files",
    "write_static",
]

STATIC_URL = "/app/static"

PUBLIC_FILE_MODE = 0o644
"""Mode of the files written under ``static/`` (a temporary file is 0600)."""


@dataclass(frozen=True)
class NpmPackage:
    """One npm package and the files of it that the app serves."""

    name: str
    version: str
    files: tuple[str, ...]
    licence: str

    @property
    def folder(self) -> str:
        """Folder of the package under ``static/vendor/``."""
        return f"vendor/{self.name}@{self.version}"

    def url(self, file: str) -> str:
        """URL under which Streamlit serves one of the package's files."""
        if file not in self.files:
            raise KeyError(
                f"{file!r} is not vendored from {self.name}; "
                f"expected one of {self.files}"
            )
        return f"{STATIC_URL}/{self.folder}/{_served_name(file)}"

    def path(self, file: str) -> Path:
        """Local path of one of the package's vendored files."""
        return paths.STATIC_DIR / self.folder / _served_name(file)


def _served_name(file: str) -> str:
    """Path of a package file once vendored: ``dist/`` dropped, sub-folders kept.

    Sub-folders are kept because stylesheets refer to their images relatively
    (``leaflet.css`` loads ``images/layers.png``).
    """
    return file.removeprefix("dist/")


LEAFLET = NpmPackage(
    "leaflet",
    "1.9.4",
    (
        "dist/leaflet.js",
        "dist/leaflet.css",
        "dist/images/layers.png",
        "dist/images/layers-2x.png",
        "dist/images/marker-icon.png",
        "dist/images/marker-icon-2x.png",
        "dist/images/marker-shadow.png",
    ),
    "LICENSE",
)
MARKERCLUSTER = NpmPackage(
    "leaflet.markercluster",
    "1.5.3",
    (
        "dist/leaflet.markercluster.js",
        "dist/MarkerCluster.css",
        "dist/MarkerCluster.Default.css",
    ),
    "MIT-LICENCE.txt",
)
FULLSCREEN = NpmPackage(
    "leaflet.fullscreen",
    "3.0.2",
    ("Control.FullScreen.js", "Control.FullScreen.css", "icon-fullscreen.svg"),
    "LICENSE",
)
PACKAGES = (LEAFLET, MARKERCLUSTER, FULLSCREEN)


def missing_files() -> list[Path]:
    """Vendored files absent from ``static/``; empty when maps render offline."""
    return [
        package.path(file)
        for package in PACKAGES
        for file in (*package.files, package.licence)
        if not package.path(file).is_file()
    ]


def write_static(folder: Path, name: str, payload: bytes) -> str | None:
    """Write a generated file under ``static/`` once; its URL (None if unwritable).

    Parameters
    ----------
    folder : pathlib.Path
        A folder under :data:`ess_geo.paths.STATIC_DIR` (created if needed).
    name : str
        The file's name; generated files carry a hash of their content in
        it, so that an existing file is never rewritten.
    payload : bytes

    Returns
    -------
    str or None
        ``/app/static/<folder>/<name>``.
    """
    target = folder / name
    try:
        if not target.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            # A name of its own: two processes may write the same file.
            with tempfile.NamedTemporaryFile(
                dir=folder, suffix=".part", delete=False
            ) as partial:
                partial.write(payload)
            # Public files: readable by a web server serving static/ itself
            # (the README's nginx), not only by this process's user.
            os.chmod(partial.name, PUBLIC_FILE_MODE)
            Path(partial.name).replace(target)
    except OSError:
        return None
    return f"{STATIC_URL}/{folder.relative_to(paths.STATIC_DIR).as_posix()}/{name}"
