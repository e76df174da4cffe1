"""The pages as the app's server sends them (ess_geo.web, serve.py)."""

import ast
import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import streamlit
from streamlit.web.server.app_discovery import discover_asgi_app

from ess_geo import paths, web

SCRIPT = '<script>window.__streamlit={BACKEND_BASE_URL:location.origin+"/"}</script>'
STREAMLIT_INDEX = Path(streamlit.__file__).parent / "static" / "index.html"


def test_the_shell_is_streamlits_page_with_the_script_first_in_its_head():
    page = "<!doctype html><html><head><title>x</title></head><body></body></html>"
    assert (
        web.page_shell(page)
        == (
            "<!doctype html><html><head>"
            + SCRIPT
            + "<title>x</title></head><body></body></html>"
        ).encode()
    )


@pytest.mark.parametrize("page", ["<html><body></body></html>", "<head><head>"])
def test_a_page_without_a_single_head_is_refused(page):
    with pytest.raises(ValueError, match="single <head>"):
        web.page_shell(page)


def test_the_installed_streamlit_reads_the_hook_the_shell_writes():
    index = STREAMLIT_INDEX.read_text(encoding="utf-8")
    assert web.page_shell(index).decode().count(SCRIPT) == 1
    main = re.search(r'src="\./static/js/(index\.[^"]+\.js)"', index)
    frontend = (STREAMLIT_INDEX.parent / "static" / "js" / main.group(1)).read_text()
    assert "window.__streamlit" in frontend
    assert "BACKEND_BASE_URL" in frontend


def test_streamlit_run_serves_the_app_of_serve_py():
    found = discover_asgi_app(paths.ROOT / "serve.py")
    assert found.is_asgi_app
    assert found.import_string == "serve:app"
    tree = ast.parse((paths.ROOT / "serve.py").read_text(encoding="utf-8"))
    scripts = [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "st.App"
    ]
    assert scripts == ["app.py"]  # the pages it serves


def test_the_page_paths_are_the_apps_pages_and_nothing_else():
    app = (paths.ROOT / "app.py").read_text(encoding="utf-8")
    pages = ["/", *(f"/{p}" for p in re.findall(r'url_path="([^"]+)"', app))]
    assert len(pages) == 8
    assert all(web.PAGE_PATHS.fullmatch(page) for page in pages)
    for other in (
        "/territoires/",  # Streamlit redirects it
        "/favicon.png",
        "/media/0f3e2a.html",  # a deferred download (the HTML panorama)
        "/component/streamlit_folium.st_folium/index.html",
        "/_stcore/health",
        "/territoires/_stcore/health",
        "/app/static/geo/epci-coarse.json",
    ):
        assert not web.PAGE_PATHS.fullmatch(other)


def call(scope: dict) -> tuple[list[dict], list[dict]]:
    """Run :class:`ess_geo.web.PageShells` on one request.

    Returns what it sent, and the scopes it passed on to the app behind it.
    """
    sent, passed = [], []

    async def app(scope, receive, send):
        passed.append(scope)

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    middleware = web.PageShells(app, shell=b"<shell>")
    # A loop of its own: the browser tests' Playwright holds this thread's.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, middleware(scope, receive, send)).result()
    return sent, passed


def http(method: str, path: str) -> dict:
    return {"type": "http", "method": method, "path": path, "headers": []}


@pytest.mark.parametrize("path", ["/", "/territoires", "/couverture"])
def test_a_page_address_answers_the_shell_never_cached_unasked(path):
    sent, passed = call(http("GET", path))
    assert passed == []
    assert sent == [
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", b"7"),
                (b"cache-control", b"no-cache"),
            ],
        },
        {"type": "http.response.body", "body": b"<shell>"},
    ]


def test_a_head_request_gets_the_headers_only():
    sent, _ = call(http("HEAD", "/territoires"))
    assert (b"content-length", b"7") in sent[0]["headers"]
    assert sent[1] == {"type": "http.response.body", "body": b""}


@pytest.mark.parametrize(
    "scope",
    [
        http("GET", "/favicon.png"),
        http("GET", "/media/0f3e2a.html"),
        http("GET", "/_stcore/health"),
        http("GET", "/territoires/"),
        http("POST", "/territoires"),
        {"type": "websocket", "path": "/_stcore/stream", "headers": []},
        {"type": "lifespan"},
    ],
)
def test_everything_else_goes_on_to_streamlit_unchanged(scope):
    sent, passed = call(scope)
    assert sent == []
    assert passed == [scope]
