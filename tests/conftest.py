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

import pytest

from ess_geo import demo, store

ROOT = Path(__file__).resolve().parent.parent
ARTEFACTS = ROOT / "test-artefacts"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def workspace_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty, not yet created workspace file, set as ESS_GEO_DB."""
    path = tmp_path / "workspace.sqlite"
    monkeypatch.setenv("ESS_GEO_DB", str(path))
    return path


@pytest.fixture
def conn(workspace_path: Path) -> Iterator:
    """A migrated, empty workspace connection."""
    connection = store.connect(workspace_path)
    yield connection
    connection.close()


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


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start ``streamlit run app.py`` on a free port with a fresh workspace.

    The server knows one staff account (:data:`STAFF_NAME`,
    :data:`STAFF_PASSWORD`), whose hash is made here.
    """
    from ess_geo import auth

    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    env = {
        **os.environ,
        "ESS_GEO_DB": str(tmp_path_factory.mktemp("ws") / "workspace.sqlite"),
        auth.ENV_VAR: f"{STAFF_NAME}:{auth.hash_password(STAFF_PASSWORD, n=2**12)}",
    }
    with open(log, "w") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
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


def wait_for_app(tab, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished running the script.

    As Streamlit's own e2e helper does, give a rerun triggered by the last
    interaction a moment to start before waiting for it to end.
    """
    tab.wait_for_timeout(300)
    tab.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout
    )


def screenshot(tab, name: str) -> Path:
    """Save a full-page screenshot under test-artefacts/."""
    ARTEFACTS.mkdir(exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def seeded(conn):
    """A workspace with a 300-actor demo and the reference networks."""
    demo.seed_workspace(conn, size=300, seed=5)
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
