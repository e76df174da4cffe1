"""How the app's server is set up (what `make run` and the deployment start)."""

import tomllib

import uvicorn
from streamlit.web import bootstrap

from ess_geo import paths


def test_the_server_runs_on_streamlits_performance_extra():
    """httptools parses HTTP and uvloop runs the event loop when installed.

    Served by Streamlit itself, a new browser's first polygons came about
    0.2 s sooner with them (bench/RESULTS.md, browser-notes).
    """
    config = uvicorn.Config(app=None)  # Streamlit leaves http and loop on "auto"
    config.load()
    assert config.http_protocol_class.__module__ == (
        "uvicorn.protocols.http.httptools_impl"
    )
    assert bootstrap._get_uvloop_loop_factory() is not None


def test_the_server_does_not_watch_the_source_files():
    """Watching walked 2,100 module paths after every run (bench/RESULTS.md)."""
    config = tomllib.loads((paths.ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["fileWatcherType"] == "none"
