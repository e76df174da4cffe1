r"""Write the nginx configuration that puts ESS Territoires behind a reverse proxy.

Streamlit serves its own frontend (about 150 JavaScript files, 5.5 MB) from
the same Python process that runs the pages: in a new browser the map waits
for those files. Behind nginx they come from disk, compressed and cached for
a year (their names carry a content hash), and only the pages and their
WebSocket reach the Streamlit servers (``streamlit run serve.py``), each
browser always the same one (a Streamlit session lives on one server)::

    python scripts/nginx_conf.py --listen 80 \
        --upstream 127.0.0.1:8501 --upstream 127.0.0.1:8502 \
        > /etc/nginx/sites-enabled/ess-territoires

The paths are those of this installation (Streamlit's and streamlit-folium's
packages, the app's ``static/`` folder): run it on the app's machine, again
after upgrading Streamlit. ``--standalone DIR`` writes a whole ``nginx.conf``
whose pid, logs and temporary files live in ``DIR`` (no root needed: the
benchmark and the tests run nginx that way).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import importlib.util
import os
import subprocess
import sys
import time
import tomllib
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIME_TYPES = Path("/etc/nginx/mime.types")
NGINX = "/usr/sbin/nginx"  # Debian's nginx-light (make test installs it)
# nginx lets through what Streamlit accepts (by default it refuses over 1 MB).
MAX_UPLOAD_MB = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())[
    "server"
]["maxUploadSize"]
UPSTREAM = "ess_territoires"


@dataclass(frozen=True)
class Folders:
    """Where the files nginx serves itself live."""

    streamlit_static: Path  # Streamlit's frontend, served at /static/
    app_static: Path  # the app's static folder, served at /app/static/
    folium_frontend: Path  # streamlit-folium's frame, at /component/…st_folium/

    @classmethod
    def installed(cls) -> Folders:
        """The folders of this installation (found, not imported)."""
        return cls(
            streamlit_static=_package("streamlit") / "static" / "static",
            app_static=ROOT / "static",
            folium_frontend=_package("streamlit_folium") / "frontend" / "build",
        )


def _package(name: str) -> Path:
    """The folder of an installed package, without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{name} is not installed: make run installs it")
    return Path(spec.submodule_search_locations[0])


def site_config(listen: str, upstreams: list[str], folders: Folders) -> str:
    """The ``map``, ``upstream`` and ``server`` blocks, for nginx's ``http``."""
    servers = "\n".join(f"    server {address};" for address in upstreams)
    # A location that sets a header of its own inherits none: each sets them.
    headers = "\n".join(
        f"        proxy_set_header {name} {value};"
        for name, value in (
            ("Host", "$host"),
            ("X-Forwarded-For", "$proxy_add_x_forwarded_for"),
        )
    )
    return f"""\
map $http_upgrade $connection_upgrade {{
    default upgrade;
    ''      close;
}}

upstream {UPSTREAM} {{
    hash $remote_addr consistent;
{servers}
}}

server {{
    listen {listen};
    client_max_body_size {MAX_UPLOAD_MB}m;

    gzip on;
    gzip_comp_level 5;
    gzip_min_length 1024;
    gzip_types application/javascript text/css application/json image/svg+xml;

    # Streamlit's frontend: every name carries a content hash.
    location /static/ {{
        alias {folders.streamlit_static}/;
        add_header Cache-Control "public, max-age=31536000, immutable";
    }}

    # The map component's frame (changes only with streamlit-folium).
    location /component/streamlit_folium.st_folium/ {{
        alias {folders.folium_frontend}/;
        add_header Cache-Control "public, max-age=3600";
    }}

    # Leaflet (versioned folders), its combined script and the shape files
    # (content-hashed names), written by the app server on this machine; a
    # file it has not written yet (or could not be read) is asked of it.
    location /app/static/ {{
        alias {folders.app_static}/;
        add_header Cache-Control "public, max-age=86400";
        error_page 403 404 = @streamlit;
    }}

    # The WebSocket, health check, uploads and the other server routes.
    location /_stcore/ {{
        proxy_pass http://{UPSTREAM};
{headers}
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
    }}

    # The pages (serve.py writes into each where its server is), the
    # downloads under /media/ and the other files of the server.
    location / {{
        proxy_pass http://{UPSTREAM};
{headers}
    }}

    location @streamlit {{
        proxy_pass http://{UPSTREAM};
{headers}
    }}

    proxy_http_version 1.1;
    proxy_read_timeout 1d;
    proxy_buffering off;
}}
"""


def standalone_config(site: str, folder: Path) -> str:
    """A whole ``nginx.conf`` around ``site``, its run files in ``folder``."""
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    indented = "".join(
        f"    {line}" if line.strip() else line for line in site.splitlines(True)
    )
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""\
{user}worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"};
daemon off;

events {{
    worker_connections 512;
}}

http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    access_log off;
{temp}

{indented}}}
"""


@contextlib.contextmanager
def serve(port: int, upstreams: list[str], folder: Path) -> Iterator[str]:
    """Run nginx in front of ``upstreams`` on ``port`` (tests and benchmark)."""
    folder.mkdir(parents=True, exist_ok=True)
    conf = folder / "nginx.conf"
    site = site_config(f"127.0.0.1:{port}", upstreams, Folders.installed())
    conf.write_text(standalone_config(site, folder))
    process = subprocess.Popen(
        [NGINX, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                log = folder / "error.log"
                raise RuntimeError(
                    "nginx did not start: " + (log.read_text() if log.exists() else "")
                )
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def main(argv: list[str] | None = None) -> None:
    """Print the configuration for the given port and servers."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", default="80", help="nginx's port (or address:port)")
    parser.add_argument(
        "--upstream",
        action="append",
        required=True,
        help="a Streamlit server, host:port (repeat for several)",
    )
    parser.add_argument(
        "--standalone",
        type=Path,
        metavar="DIR",
        help="write a whole nginx.conf, run files in DIR",
    )
    args = parser.parse_args(argv)
    site = site_config(args.listen, args.upstream, Folders.installed())
    if args.standalone:
        folder = args.standalone.resolve()
        folder.mkdir(parents=True, exist_ok=True)
        site = standalone_config(site, folder)
    sys.stdout.write(site)


if __name__ == "__main__":
    main()
