"""Load: N simultaneous sessions on the Carte, with SQLite and with PostgreSQL.

For each backend a fresh ``streamlit run serve.py`` serves the 30,000-actor
demo workspace (a SQLite file, or a database of a throw-away PostgreSQL 15 +
PostGIS server, tests/pgserver.py). N = 5, 10 then 20 Playwright contexts
of one headless Debian Chromium (each a separate Streamlit session) then
run the same three steps at the same time:

1. *ouverture*: open the Carte (new session, national map of 1,253 EPCI);
2. *recherche*: look up « Finistère » (rerun, map zoomed on the département);
3. *filtre*: keep the cooperatives only (rerun, counts and legend redrawn).

A step is timed in the browser, from the action to the end of the rerun
(the URL carries the new state, then Streamlit's script state is back to
``notRunning``): the server's answer, without the map's drawing in the
browser, which on a shared machine measures the browser. A session that
waits more than 3 minutes is counted as timed out. The p50 and p95 are over
the N sessions. The server's memory is its resident set after each round
(``VmRSS``) and its peak (``VmHWM``) from ``/proc``. Browser and server
share the machine's cores: the figures are an upper bound of a server's own latency.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bench.common import Measure
from ess_geo import paths

ROOT = paths.ROOT
SESSIONS = (5, 10, 20)
STEPS = ("ouverture", "recherche", "filtre")
CHROMIUM = "/usr/bin/chromium"
MAP_FRAME = "iframe[src*='streamlit_folium']"
_TIMEOUT = 180_000
"""Milliseconds a step may take before its session counts as timed out."""

sys.path.insert(0, str(ROOT / "tests"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _server(workspace: str, log: Path) -> Iterator[tuple[str, int]]:
    """``streamlit run serve.py`` on a free port; its URL and process id."""
    port = _free_port()
    with open(log, "w") as out:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "streamlit", "run", "serve.py"),
                *("--server.port", str(port), "--server.headless", "true"),
            ],
            cwd=ROOT,
            env={**os.environ, "ESS_GEO_DB": workspace},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            time.sleep(0.3)
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=20)


def _memory_mib(pid: int) -> tuple[float, float]:
    """Resident and peak resident memory of a process, in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return (
        int(fields["VmRSS"].split()[0]) / 1024,
        int(fields["VmHWM"].split()[0]) / 1024,
    )


async def _done(page, url_part: str | None = None) -> None:
    """Wait for the end of the rerun an action started (server side done).

    The rerun is known to have started when the page's URL carries the new
    state (``url_part``); it has ended when Streamlit's script state is back
    to ``notRunning``. The map's drawing in the browser is not waited for:
    on a shared machine it measures the browser, not the server.
    """
    if url_part is not None:
        await page.wait_for_url(re.compile(re.escape(url_part)), timeout=_TIMEOUT)
    await _present(page, "[data-testid='stApp'][data-test-script-state='notRunning']")


async def _present(page, selector: str) -> None:
    """Wait for an element, checked at every frame.

    Playwright's own waits poll every 500 ms after their first tries
    (``bench_browser.Tab.until``): each step would end up to 0.5 s late.
    """
    await page.wait_for_function(
        "(selector) => document.querySelector(selector) !== null",
        arg=selector,
        polling="raf",
        timeout=_TIMEOUT,
    )


async def _session(browser, url: str) -> dict[str, float]:
    """The three steps of one visitor; a step that times out is left out."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    times: dict[str, float] = {}
    try:
        start = time.perf_counter()
        await page.goto(url)
        await _present(page, MAP_FRAME)
        await _done(page)
        times["ouverture"] = time.perf_counter() - start

        box = page.get_by_label("Rechercher un territoire", exact=True)
        await box.fill("Finistère")
        start = time.perf_counter()
        await box.press("Enter")
        await _done(page, "code=29")
        times["recherche"] = time.perf_counter() - start

        await page.get_by_label("Familles de l'ESS").click()
        start = time.perf_counter()
        await page.get_by_role("option", name="Coopérative").click()
        await page.keyboard.press("Escape")
        await _done(page, "famille=cooperative")
        times["filtre"] = time.perf_counter() - start
    except Exception as exc:  # a timeout under load: counted, not fatal
        print(f"session stopped after {sorted(times)}: {type(exc).__name__}")
    finally:
        await context.close()
    return times


async def _rounds(url: str, pid: int, label: str) -> list[Measure]:
    from playwright.async_api import async_playwright

    measures = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        await _session(browser, url)  # warm the server's caches once
        for n in SESSIONS:
            results = await asyncio.gather(*(_session(browser, url) for _ in range(n)))
            for step in STEPS:
                values = sorted(r[step] for r in results if step in r)
                failed = n - len(values)
                if failed:
                    name = f"Carte, {label}, {n} sessions, {step}: sessions timed out"
                    measures.append(Measure(name, failed, "sessions", budget=0))
                if not values:
                    continue
                p50 = statistics.median(values)
                p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
                name = f"Carte, {label}, {n} sessions, {step}"
                measures.append(Measure(f"{name}: p50", p50, "s"))
                measures.append(Measure(f"{name}: p95", p95, "s"))
                print(f"{name}: p50 {p50:.2f} s, p95 {p95:.2f} s")
            rss, peak = _memory_mib(pid)
            measures.append(
                Measure(f"Carte, {label}, {n} sessions: server memory", rss, "MiB")
            )
            measures.append(
                Measure(
                    f"Carte, {label}, {n} sessions: server peak memory", peak, "MiB"
                )
            )
        await browser.close()
    return measures


def _seed(workspace: str) -> None:
    seed = (
        "from ess_geo.workspace import seeding; "
        f"seeding.open_workspace({workspace!r}).close()"
    )
    subprocess.run([sys.executable, "-c", seed], check=True, cwd=ROOT)


def run() -> list[Measure]:
    """Both backends, N = 5, 10, 20 sessions each."""
    import pgserver

    measures = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        workspace = str(folder / "workspace.sqlite")
        _seed(workspace)
        with _server(workspace, folder / "sqlite.log") as (url, pid):
            measures += asyncio.run(_rounds(url, pid, "SQLite"))
        with pgserver.running() as server:
            workspace = server.create_database("charge")
            _seed(workspace)
            with _server(workspace, folder / "postgres.log") as (url, pid):
                measures += asyncio.run(_rounds(url, pid, "PostgreSQL"))
    return measures
