"""The nginx configuration written for a deployment behind a reverse proxy."""

import re
import sys
import tomllib
from pathlib import Path

from ess_geo import paths

sys.path.insert(0, str(paths.ROOT / "scripts"))
import nginx_conf

FOLDERS = nginx_conf.Folders(Path("/s"), Path("/a"), Path("/f"))


def locations(text: str) -> dict[str, str]:
    """Each ``location`` block's name (``/static/``, ``~ "…"``) -> its lines."""
    return dict(re.findall(r"location (.+?) \{\n(.*?)\n    \}", text, re.S))


def test_every_server_is_listed_and_each_browser_sticks_to_one():
    text = nginx_conf.site_config("80", ["10.0.0.1:8501", "10.0.0.2:8501"], FOLDERS)
    upstream = re.search(r"upstream ess_territoires \{\n(.*?)\n\}", text, re.S)
    assert upstream.group(1).splitlines() == [
        "    hash $remote_addr consistent;",
        "    server 10.0.0.1:8501;",
        "    server 10.0.0.2:8501;",
    ]
    assert "    listen 80;" in text.splitlines()


def test_static_folders_are_served_from_disk_with_their_cache_lifetimes():
    text = nginx_conf.site_config("80", ["127.0.0.1:8501"], FOLDERS)
    blocks = locations(text)
    assert blocks["/static/"].split("\n") == [
        "        alias /s/;",
        '        add_header Cache-Control "public, max-age=31536000, immutable";',
    ]
    assert "alias /f/;" in blocks["/component/streamlit_folium.st_folium/"]
    # The app's files: from disk, else from the app server (not written yet here).
    assert blocks["/app/static/"].split("\n")[0] == "        alias /a/;"
    assert "error_page 403 404 = @streamlit;" in blocks["/app/static/"]
    for name in ("/", "/_stcore/", "@streamlit"):
        lines = blocks[name].split("\n")
        assert lines[:3] == [
            "        proxy_pass http://ess_territoires;",
            "        proxy_set_header Host $host;",
            "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        ]


def test_the_pages_pass_through_as_the_server_writes_them():
    """serve.py writes into each page where its server is (tests/test_web.py)."""
    text = nginx_conf.site_config("80", ["127.0.0.1:8501"], FOLDERS)
    assert "sub_filter" not in text
    assert set(locations(text)) == {
        "/static/",
        "/component/streamlit_folium.st_folium/",
        "/app/static/",
        "/_stcore/",
        "/",
        "@streamlit",
    }


def test_the_websocket_is_upgraded_and_uploads_keep_streamlits_limit():
    text = nginx_conf.site_config("80", ["127.0.0.1:8501"], FOLDERS)
    config = tomllib.loads((paths.ROOT / ".streamlit" / "config.toml").read_text())
    assert f"client_max_body_size {config['server']['maxUploadSize']}m;" in text
    blocks = locations(text)
    assert "proxy_set_header Upgrade $http_upgrade;" in blocks["/_stcore/"]
    assert "proxy_set_header Connection $connection_upgrade;" in blocks["/_stcore/"]


def test_the_installed_folders_hold_what_streamlit_asks_for():
    folders = nginx_conf.Folders.installed()
    index = (folders.streamlit_static.parent / "index.html").read_text()
    asked = re.findall(r'"\./static/([^"]+)"', index)
    assert asked, "Streamlit's index.html no longer loads ./static/ files"
    assert all((folders.streamlit_static / name).is_file() for name in asked)
    assert (folders.folium_frontend / "index.html").is_file()
    assert folders.app_static == paths.STATIC_DIR


def test_standalone_wraps_the_site_with_its_run_files_in_one_folder(tmp_path):
    site = nginx_conf.site_config("8080", ["127.0.0.1:8501"], FOLDERS)
    text = nginx_conf.standalone_config(site, tmp_path)
    assert f"pid {tmp_path / 'nginx.pid'};" in text
    assert f"    proxy_temp_path {tmp_path / 'proxy'};" in text
    assert "daemon off;" in text
    assert "        listen 8080;" in text  # the site, indented inside http { }
    assert text.rstrip().endswith("}")
