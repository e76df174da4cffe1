import hashlib
import re

import folium
import pandas as pd
import pytest

from ess_geo import maps
from ess_geo.maps import bundle, cartemap, layers
from ess_geo.maps.assets import FULLSCREEN, LEAFLET, MARKERCLUSTER


def sha256(package, file: str) -> str:
    return hashlib.sha256(package.path(file).read_bytes()).hexdigest()


def served(url: str) -> str:
    assert url.startswith("/app/static/bundles/")
    return (bundle.BUNDLES_DIR / url.rsplit("/", 1)[1]).read_text(encoding="utf-8")


def test_the_combined_script_lists_each_vendored_file_once_in_order():
    text = served(bundle.bundle_urls(bundle.MAP_BUNDLE).js)
    listed = re.findall(r"^ \* (\S+@\S+/\S+) sha256=([0-9a-f]{64})$", text, re.M)
    assert listed == [
        ("leaflet@1.9.4/dist/leaflet.js", sha256(LEAFLET, "dist/leaflet.js")),
        (
            "leaflet.fullscreen@3.0.2/Control.FullScreen.js",
            sha256(FULLSCREEN, "Control.FullScreen.js"),
        ),
    ]
    # each part, whole, after a line naming it, Leaflet first
    leaflet = LEAFLET.path("dist/leaflet.js").read_text(encoding="utf-8")
    body = leaflet.replace("//# sourceMappingURL=leaflet.js.map", "").rstrip()
    at = text.index(f"/* leaflet@1.9.4/dist/leaflet.js */\n{body}\n;\n")
    plugin = FULLSCREEN.path("Control.FullScreen.js").read_text(encoding="utf-8")
    assert text.index(plugin.rstrip()) > at
    assert "sourceMappingURL" not in text  # the maps are not vendored
    assert "markerClusterGroup" not in text  # not on every map


def test_the_combined_files_keep_every_licence_in_full():
    text = served(bundle.bundle_urls(bundle.MAP_BUNDLE).css)
    header = text[: text.index("*/")]
    assert " * --- leaflet@1.9.4, LICENSE ---\n * BSD 2-Clause License\n" in header
    assert " * Copyright (c) 2010-2023, Volodymyr Agafonkin\n" in header
    assert " * --- leaflet.fullscreen@3.0.2, LICENSE ---\n * MIT License\n" in header
    assert header.count(" * --- ") == 2  # once per package
    clusters = served(bundle.bundle_urls(bundle.CLUSTER_BUNDLE).js)
    assert " * --- leaflet.markercluster@1.5.3, MIT-LICENCE.txt ---\n" in clusters


def test_the_combined_stylesheet_points_at_the_vendored_images():
    text = served(bundle.bundle_urls(bundle.MAP_BUNDLE).css)
    assert re.findall(r"url\([^)]*\)", text) == [
        "url(#default#VML)",
        "url(/app/static/vendor/leaflet@1.9.4/images/layers.png)",
        "url(/app/static/vendor/leaflet@1.9.4/images/layers-2x.png)",
        "url(/app/static/vendor/leaflet@1.9.4/images/marker-icon.png)",
        "url('/app/static/vendor/leaflet.fullscreen@3.0.2/icon-fullscreen.svg')",
    ]
    for image in ("images/layers.png", "images/marker-icon.png"):
        assert LEAFLET.path(f"dist/{image}").is_file()
    assert FULLSCREEN.path("icon-fullscreen.svg").is_file()


def test_the_names_carry_the_hash_of_the_content():
    urls = bundle.bundle_urls(bundle.MAP_BUNDLE)
    parts = {"js": bundle.MAP_BUNDLE.scripts, "css": bundle.MAP_BUNDLE.styles}
    for url, kind in ((urls.js, "js"), (urls.css, "css")):
        payload = bundle.bundle_text(parts[kind], kind)
        digest = hashlib.sha256(payload.encode()).hexdigest()[:12]
        assert url == f"/app/static/bundles/leaflet-{digest}.{kind}"
        assert served(url) == payload


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match='"py"'):
        bundle.bundle_text(bundle.MAP_BUNDLE.scripts, "py")


def test_unwritable_static_folder_falls_back_to_the_vendored_files(monkeypatch):
    monkeypatch.setattr(bundle, "bundle_urls", lambda b: None)
    monkeypatch.setattr(maps.base, "bundle_urls", lambda b: None)
    assert links(maps.base_map()) == [
        LEAFLET.url("dist/leaflet.js"),
        LEAFLET.url("dist/leaflet.css"),
        FULLSCREEN.url("Control.FullScreen.js"),
        FULLSCREEN.url("Control.FullScreen.css"),
    ]
    assert bundle.cluster_urls() == bundle.BundleUrls(
        MARKERCLUSTER.url("dist/leaflet.markercluster.js"),
        MARKERCLUSTER.url("dist/MarkerCluster.css"),
    )


def links(m: folium.Map) -> list[str]:
    html = m.get_root().render()
    return re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html)


def test_every_map_references_only_the_combined_files():
    combined = bundle.bundle_urls(bundle.MAP_BUNDLE)
    assert links(maps.base_map()) == [combined.js, combined.css]
    for m in (cartemap.carte_base(), maps.coverage_base()):
        # first the script that fetches the shapes and adds the stylesheet
        prefetch = m.default_js[0][1]
        assert links(m) == [prefetch, combined.js]
        code = (maps.SHAPES_DIR / prefetch.rsplit("/", 1)[1]).read_text()
        assert code.count(combined.css) == 1
        assert maps.external_assets(m) == []


def test_actor_markers_load_the_cluster_plugin_themselves():
    actors = pd.DataFrame(
        {
            "nom": ["Crèche"],
            "famille": ["association"],
            "naf": ["88.91A"],
            "nom_commune": ["Brest"],
            "latitude": [48.39],
            "longitude": [-4.48],
        },
        index=pd.Index([1], name="id"),
    )
    m = folium.Map()
    group = folium.FeatureGroup(name="Acteurs").add_to(m)
    layers.ActorLayer(actors).add_to(group)
    html = m.get_root().render()
    clusters = bundle.bundle_urls(bundle.CLUSTER_BUNDLE)
    assert "markercluster" not in "".join(
        re.findall(r"<(?:script|link)[^>]*>", html)
    )  # no link in the header: loaded on demand
    call = f'window.essNeedClusters({{"js":"{clusters.js}","css":"{clusters.css}"}}'
    assert call in html
    assert html.index("window.essNeedClusters = window.essNeedClusters ||") < (
        html.index(call)
    )
    assert html.index(call) < html.index("L.markerClusterGroup(")
    assert "markerClusterGroup" in served(clusters.js)


def test_written_files_are_readable_by_a_web_server(tmp_path, monkeypatch):
    from ess_geo import paths
    from ess_geo.maps import assets

    monkeypatch.setattr(paths, "STATIC_DIR", tmp_path)
    url = assets.write_static(tmp_path / "geo", "forme-0123.json", b"{}")
    assert url == "/app/static/geo/forme-0123.json"
    mode = (tmp_path / "geo" / "forme-0123.json").stat().st_mode & 0o777
    assert mode == assets.PUBLIC_FILE_MODE == 0o644
