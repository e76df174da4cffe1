"""Shared fixtures: temporary workspaces, a small demo, the app server, a browser."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from ess_geo import paths
from ess_geo.actors import demo
from ess_geo.workspace import seeding, store

ROOT = paths.ROOT
ARTEFACTS = ROOT / "test-artefacts"
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "tests" / "assets" / "axe-core@4.14.1" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


BACKENDS = ("sqlite", pytest.param("postgres", marks=pytest.mark.postgres))
"""The workspace backends a test of both runs on (``workspace_path`` param)."""


def _on_both_backends(metafunc: pytest.Metafunc) -> bool:
    """Tests of tests/workspace and of modules with BOTH_BACKENDS = True."""
    if "workspace_path" not in metafunc.fixturenames:
        return False
    if metafunc.definition.get_closest_marker("sqlite_only"):
        return False
    folder = Path(str(metafunc.definition.path)).parent
    return folder.name == "workspace" or getattr(
        metafunc.module, "BOTH_BACKENDS", False
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run the store, journal, import, editing, backup and CLI tests on both."""
    if _on_both_backends(metafunc):
        metafunc.parametrize("workspace_path", BACKENDS, indirect=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator:
    """A PostgreSQL 15 + PostGIS server of the session (tests/pgserver.py)."""
    import pgserver

    if not pgserver.available():
        pytest.fail(
            "PostgreSQL 15 with PostGIS is missing: run `make test`, which "
            "installs postgresql-15-postgis-3, or deselect with -m 'not postgres'."
        )
    with pgserver.running() as server:
        yield server


@pytest.fixture
def pg_url(postgres_server) -> str:
    """An empty PostgreSQL workspace database (its URL), emptied for each test."""
    return postgres_server.reset()


@pytest.fixture
def workspace_path(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path | str:
    """An empty, not yet created workspace, set as ESS_GEO_DB.

    A SQLite file by default; a PostgreSQL URL for the ``postgres`` case of
    the tests run on both backends (:data:`BACKENDS`).
    """
    if getattr(request, "param", "sqlite") == "postgres":
        url = request.getfixturevalue("pg_url")
        monkeypatch.setenv("ESS_GEO_DB", url)
        monkeypatch.setenv("ESS_GEO_BACKUP_DIR", str(tmp_path / "sauvegardes"))
        return url
    path = tmp_path / "workspace.sqlite"
    monkeypatch.setenv("ESS_GEO_DB", str(path))
    return path


@pytest.fixture
def conn(workspace_path: Path) -> Iterator:
    """A migrated, empty workspace connection."""
    connection = store.connect(workspace_path)
    yield connection
    connection.close()


@pytest.fixture
def few_actors():
    """Five actors: three in Brest, one in Quimper, one in Rennes."""
    return pd.DataFrame(
        {
            "nom": ["A", "B", "C", "D", "E"],
            "famille": [
                "association",
                "association",
                "cooperative",
                "mutuelle",
                "association",
            ],
            "naf": ["88.91A", "94.99Z", "01.61Z", "65.12Z", "93.12Z"],
            "effectif": pd.array([10, 0, 5, None, 20], dtype="Int64"),
            "tranche_effectif": [None, None, None, "11", None],
            "code_commune": ["29019", "29019", "29019", "29232", "35238"],
            "commune": ["Brest", "Brest", "Brest", "Quimper", "Rennes"],
            "latitude": [48.39, 48.40, 48.38, 47.99, 48.11],
            "longitude": [-4.48, -4.49, -4.47, -4.10, -1.68],
        },
        index=pd.Index([1, 2, 3, 4, 5], name="id"),
    )


@pytest.fixture(scope="session")
def small_demo():
    """A 3,000-actor demo (the same for the whole session)."""
    return demo.generate_actors(size=3_000, seed=7)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


STAFF_NAME = "equipe"
STAFF_PASSWORD = "mot de passe des tests"  # hashed at run time, never committed


@contextlib.contextmanager
def _streamlit_server(
    tmp_path_factory: pytest.TempPathFactory, workspace: str | None = None
) -> Iterator[str]:
    """Run ``streamlit run serve.py`` on a free port with a fresh workspace.

    The server knows one staff account (:data:`STAFF_NAME`,
    :data:`STAFF_PASSWORD`), whose hash is made here. ``workspace``: a
    workspace to share (a PostgreSQL URL) instead of a fresh SQLite file.
    """
    from ess_geo.workspace import auth

    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    env = {
        **os.environ,
        "ESS_GEO_DB": workspace
        or str(tmp_path_factory.mktemp("ws") / "workspace.sqlite"),
        # The calibrated demo scaled down to 30,000 actors: each test server
        # starts in a few seconds (the full demo is measured by `make bench`).
        "ESS_GEO_DEMO_SIZE": "30000",
        auth.ENV_VAR: f"{STAFF_NAME}:{auth.hash_password(STAFF_PASSWORD, n=2**12)}",
    }
    with open(log, "w") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "serve.py",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"streamlit exited early:\n{log.read_text()}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer in 60 s:\n{log.read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        if server.returncode not in (0, -15, None):
            print(log.read_text())


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start ``streamlit run serve.py`` on a free port with a fresh workspace."""
    with _streamlit_server(tmp_path_factory) as url:
        yield url


@pytest.fixture
def fresh_app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of its own that no browser has visited yet (costs a start-up)."""
    with _streamlit_server(tmp_path_factory) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Headless Debian Chromium driven by Playwright (no download, no network)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs it.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh browser page at desktop width; fails on uncaught page errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A failed browser test reports what its open tabs showed (CI has no screen)."""
    report = yield
    browser = getattr(item, "funcargs", {}).get("browser")
    if report.when == "call" and report.failed and browser is not None:
        for context in browser.contexts:
            for tab in context.pages:
                try:
                    text = tab.inner_text("body", timeout=2_000)
                except Exception as exc:  # the report must not fail in turn
                    text = f"(page unreadable: {exc})"
                report.sections.append((f"tab {tab.url}", text[-3_000:]))
    return report


def wait_for_app(tab, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished running the script.

    As Streamlit's own e2e helper does, give a rerun triggered by the last
    interaction a moment to start before waiting for it to end.
    """
    tab.wait_for_timeout(300)
    tab.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout
    )


@contextlib.contextmanager
def whole_page(tab):
    """Make the window as tall as the page (same width) for the block.

    Streamlit scrolls inside its own container, so neither a full-page
    screenshot nor axe-core sees what is below the window otherwise.
    """
    size = tab.viewport_size
    height = tab.evaluate(
        "Math.max(...[...document.querySelectorAll('[data-testid=stMain], "
        "[data-testid=stAppViewContainer]')].map(e => e.scrollHeight))"
    )
    tab.set_viewport_size(
        {"width": size["width"], "height": min(max(height, 400), 5000)}
    )
    tab.wait_for_timeout(500)
    try:
        yield
    finally:
        tab.set_viewport_size(size)


def screenshot(tab, name: str) -> Path:
    """Save a screenshot of the whole page under test-artefacts/."""
    ARTEFACTS.mkdir(exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    with whole_page(tab):
        tab.screenshot(path=str(path), full_page=True)
    return path


# By its source: the Carte titles its frame after what the map shows.
MAP_FRAME = "iframe[src*='streamlit_folium']"


def map_frame(tab):
    """The map's iframe, once the rerun has replaced any stale copy of it."""
    frames = tab.locator(MAP_FRAME)
    frames.last.wait_for(timeout=30_000)
    tab.wait_for_function(
        f'document.querySelectorAll("{MAP_FRAME}").length === 1', timeout=30_000
    )
    return tab.frame_locator(MAP_FRAME)


def open_app(tab, url: str) -> None:
    """Open a URL of the app and wait for its script to finish."""
    tab.goto(url)
    wait_for_app(tab)


def choose(tab, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox by typing it."""
    box = tab.get_by_label(label, exact=True)
    box.click()
    box.fill(option)
    tab.get_by_role("option", name=option).first.click()
    wait_for_app(tab)


# --- Local HTTP server for the official-source downloaders (no network) ---

SOURCE_FIXTURES = ROOT / "tests" / "fixtures" / "sources"


class Route:
    """What the local server answers on one path."""

    def __init__(
        self,
        body: bytes = b"",
        *,
        status: int = 200,
        etag: str = '"v1"',
        length: bool = True,
        truncate: int | None = None,
        delay: float = 0.0,
    ) -> None:
        self.body = body
        self.status = status
        self.etag = etag
        self.length = length
        self.truncate = truncate
        self.delay = delay


class SourceServer:
    """Routes (path -> Route) served on 127.0.0.1, and the requests received."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.routes: dict[str, Route] = {}
        self.requests: list[dict[str, str]] = []

    def serve(self, path: str, route: Route | bytes) -> str:
        """Answer ``route`` on ``path``; returns the full URL."""
        self.routes[path] = route if isinstance(route, Route) else Route(route)
        return self.base + path

    def serve_fixture(self, name: str) -> str:
        """Serve tests/fixtures/sources/NAME on /NAME."""
        return self.serve(f"/{name}", (SOURCE_FIXTURES / name).read_bytes())


@pytest.fixture
def source_server() -> Iterator[SourceServer]:
    """A threaded HTTP server on a free loopback port, stopped after the test.

    It honours ``Range: bytes=N-`` (206) when ``If-Range`` is absent or
    matches the route's ETag, as files.data.gouv.fr does.
    """
    import http.server
    import threading

    holder: dict[str, SourceServer] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # keep pytest output clean
            pass

        def do_GET(self) -> None:
            state = holder["server"]
            state.requests.append({"path": self.path, **dict(self.headers.items())})
            route = state.routes.get(self.path)
            if route is None:
                route = Route(b"<html>introuvable</html>", status=404)
            if route.delay:
                time.sleep(route.delay)
            body, status = route.body, route.status
            wanted = self.headers.get("Range", "")
            if_range = self.headers.get("If-Range")
            if (
                status == 200
                and wanted.startswith("bytes=")
                and if_range
                in (
                    None,
                    route.etag,
                )
            ):
                start = int(wanted[6:].rstrip("-"))
                body, status = body[start:], 206
            self.send_response(status)
            self.send_header("ETag", route.etag)
            if route.length:
                # With ``truncate`` the full length is announced but only
                # the first bytes are sent: a connection cut mid-way.
                self.send_header("Content-Length", str(len(body)))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(body if route.truncate is None else body[: route.truncate])
            if route.truncate is not None:
                self.close_connection = True

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    holder["server"] = SourceServer(f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield holder["server"]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def offline_url() -> str:
    """A loopback URL on which nothing listens: what being offline looks like."""
    return f"http://127.0.0.1:{_free_port()}/fichier.zip"


@pytest.fixture
def seeded(conn):
    """A workspace with a 300-actor demo and the reference networks."""
    seeding.seed_workspace(conn, size=300, seed=5)
    return conn


def workspace_dump(connection) -> dict[str, list[tuple]]:
    """Every row of the tables an import or an edit may touch, for comparisons."""
    tables = {
        "actors": "SELECT * FROM actors ORDER BY id",
        "networks": "SELECT * FROM networks ORDER BY id",
        "network_territories": "SELECT * FROM network_territories "
        "ORDER BY network_id, level, code",
        "network_members": "SELECT * FROM network_members "
        "ORDER BY network_id, actor_id",
        "merge_proposals": "SELECT * FROM merge_proposals ORDER BY id",
    }
    return {
        name: [tuple(row) for row in connection.execute(sql)]
        for name, sql in tables.items()
    }


def serious_violations(frame) -> list[str]:
    """Serious or critical axe-core violations in a page or frame.

    axe-core (tests/assets, MPL-2.0) is injected by Playwright. Call it with
    the window as tall as the page (:func:`whole_page`): axe-core cannot
    judge the contrast of text scrolled out of view.
    """
    frame.add_script_tag(path=str(AXE))
    result = frame.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        f"{v['impact']} {v['id']}: {v['help']} — "
        + "; ".join(n["html"][:120] for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
