"""The vendored Leaflet and plugins as one script and one stylesheet per map.

streamlit-folium's frame loads a map's scripts one after the other, each
waiting for the previous one, then its stylesheets: with Leaflet, the
fullscreen control and Leaflet.markercluster as separate files, that was
five requests in a row to a busy server before the map could be drawn.
Here the files a map needs are concatenated, in order, into one script and
one stylesheet, written once per process under ``static/bundles/`` with a
hash of their content in the name (like the shape files,
:mod:`ess_geo.maps.shapes`), and served by Streamlit at
``/app/static/bundles/…``.

Each combined file opens with a comment naming every part (package,
version, file, SHA-256 of its content) and the licence of each package, in
full. Relative ``url(…)`` references of the stylesheets (Leaflet's layer
icon, the fullscreen button) are made absolute, pointing at the vendored
files.

Plugins go only where they are used: every map has Leaflet and the
fullscreen button (:data:`MAP_BUNDLE`); Leaflet.markercluster, which only
the Carte's actor markers use, is loaded by those markers the first time
they are drawn (:data:`CLUSTER_LOADER_JS`), not on the first paint of the
national view.

When ``static/`` cannot be written, :func:`bundle_urls` returns None and
the maps load the vendored files one by one, as before.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ess_geo import paths
from ess_geo.maps.assets import (
    FULLSCREEN,
    LEAFLET,
    MARKERCLUSTER,
    NpmPackage,
    write_static,
)

__all__ = [
    "BUNDLES_DIR",
    "CLUSTER_BUNDLE",
    "CLUSTER_LOADER_JS",
    "MAP_BUNDLE",
    "Bundle",
    "BundleUrls",
    "bundle_text",
    "bundle_urls",
    "cluster_urls",
]

BUNDLES_DIR: Path = paths.STATIC_DIR / "bundles"
"""Where the combined files are written (generated, not versioned)."""

Part = tuple[NpmPackage, str]


@dataclass(frozen=True)
class Bundle:
    """Vendored files served together: scripts in one file, styles in another.

    Parameters
    ----------
    name : str
        Start of the combined files' names.
    scripts, styles : tuple of (NpmPackage, file)
        In the order they are concatenated (a plugin after Leaflet).
    """

    name: str
    scripts: tuple[Part, ...]
    styles: tuple[Part, ...]


@dataclass(frozen=True)
class BundleUrls:
    """URLs of a bundle's combined script and stylesheet."""

    js: str
    css: str


MAP_BUNDLE = Bundle(
    "leaflet",
    scripts=((LEAFLET, "dist/leaflet.js"), (FULLSCREEN, "Control.FullScreen.js")),
    styles=((LEAFLET, "dist/leaflet.css"), (FULLSCREEN, "Control.FullScreen.css")),
)
"""What every map draws with: Leaflet and the fullscreen button."""

CLUSTER_BUNDLE = Bundle(
    "markercluster",
    scripts=((MARKERCLUSTER, "dist/leaflet.markercluster.js"),),
    styles=((MARKERCLUSTER, "dist/MarkerCluster.css"),),
)
"""Leaflet.markercluster, loaded when actor markers are first drawn."""

_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


def _absolute_urls(css: str, package: NpmPackage, file: str) -> str:
    """The stylesheet with its relative ``url(…)`` pointing at the vendored files."""
    folder = package.url(file).rsplit("/", 1)[0]

    def absolute(match: re.Match[str]) -> str:
        target = match.group(2)
        if target.startswith(("#", "/", "data:")) or "://" in target:
            return match.group(0)
        return f"url({match.group(1)}{folder}/{target}{match.group(1)})"

    return _CSS_URL.sub(absolute, css)


def _comment(text: str) -> str:
    return text.replace("*/", "* /")


def bundle_text(parts: tuple[Part, ...], kind: str) -> str:
    """The combined file of some vendored files, licences in its header.

    Parameters
    ----------
    parts : tuple of (NpmPackage, file)
        Vendored files (:mod:`ess_geo.maps.assets`), each read from
        ``static/vendor/``.
    kind : {"js", "css"}
        Scripts are separated by ``;`` and lose their source-map comment
        (the maps are not vendored); stylesheets get absolute ``url(…)``.

    Returns
    -------
    str
        A header comment listing each part once, in order, as
        ``name@version/file sha256=<hex>`` (the hash of the vendored file's
        bytes), then each package's licence text; then the parts, each
        after a one-line comment naming it.
    """
    if kind not in ("js", "css"):
        raise ValueError(f'`kind` was "{kind}" but is expected to be "js" or "css"')
    listed = []
    for package, file in parts:
        digest = hashlib.sha256(package.path(file).read_bytes()).hexdigest()
        listed.append(f" * {package.name}@{package.version}/{file} sha256={digest}")
    licences = []
    for package in dict.fromkeys(package for package, _ in parts):
        text = package.path(package.licence).read_text(encoding="utf-8").strip()
        licences.append(
            f" * --- {package.name}@{package.version}, {package.licence} ---\n"
            + "\n".join(f" * {line}".rstrip() for line in _comment(text).splitlines())
        )
    header = (
        "/* Combined by ess_geo.maps.bundle from these vendored files, in order\n"
        " * (static/vendor/, fetched by scripts/vendor_assets.py):\n"
        + "\n".join(listed)
        + "\n *\n * Licences:\n"
        + "\n *\n".join(licences)
        + "\n */\n"
    )
    bodies = []
    for package, file in parts:
        text = package.path(file).read_text(encoding="utf-8")
        if kind == "js":
            text = _SOURCE_MAP.sub("", text).rstrip() + "\n;"
        else:
            text = _absolute_urls(text, package, file).rstrip()
        bodies.append(f"/* {package.name}@{package.version}/{file} */\n{text}\n")
    return header + "".join(bodies)


@functools.cache
def bundle_urls(bundle: Bundle) -> BundleUrls | None:
    """The URLs of a bundle's combined files, written on first call.

    Returns
    -------
    BundleUrls or None
        ``/app/static/bundles/<name>-<hash>.js`` and ``….css``; None when
        ``static/`` cannot be written or a vendored file is missing (the
        maps then load the vendored files one by one).
    """
    urls = {}
    for kind, parts in (("js", bundle.scripts), ("css", bundle.styles)):
        try:
            payload = bundle_text(parts, kind).encode()
        except OSError:
            return None
        digest = hashlib.sha256(payload).hexdigest()[:12]
        url = write_static(BUNDLES_DIR, f"{bundle.name}-{digest}.{kind}", payload)
        if url is None:
            return None
        urls[kind] = url
    return BundleUrls(**urls)


def cluster_urls() -> BundleUrls:
    """Leaflet.markercluster's script and stylesheet, combined or vendored."""
    return bundle_urls(CLUSTER_BUNDLE) or BundleUrls(
        MARKERCLUSTER.url("dist/leaflet.markercluster.js"),
        MARKERCLUSTER.url("dist/MarkerCluster.css"),
    )


CLUSTER_LOADER_JS = """
window.essNeedClusters = window.essNeedClusters || (function () {
    var waiting = null;
    return function (urls, then) {
        if (L.markerClusterGroup) { then(); return; }
        if (!waiting) {
            waiting = [];
            var style = document.createElement("link");
            style.rel = "stylesheet";
            style.href = urls.css;
            document.head.appendChild(style);
            var script = document.createElement("script");
            script.src = urls.js;
            script.onload = function () {
                var calls = waiting;
                waiting = null;
                calls.forEach(function (call) { call(); });
            };
            script.onerror = function () {
                waiting = null;
                console.error("Leaflet.markercluster: " + urls.js + " did not load");
            };
            document.head.appendChild(script);
        }
        waiting.push(then);
    };
})();
"""
"""Defines ``window.essNeedClusters(urls, then)``: runs ``then`` once
Leaflet.markercluster is loaded, loading it (script and stylesheet) once."""
