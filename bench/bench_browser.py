"""What a person waits for, measured in headless Chromium (Playwright).

Each step of issue 17's table, median of 5 with min and max, on a 30,000-
and a 300,000-actor workspace (``ESS_GEO_BENCH_SIZES=30000,300000``; the
300k one is generated once into ``$TMPDIR/ess-bench-300000.sqlite``), with
its breakdown: the page script's time on the server (``ESS_GEO_TIMING``
lines written by :func:`ess_geo.ui.warmup.run_page`), the bytes the server
sent over the websocket, and the browser's time from the last message to
the updated map. The same steps run on a naive folium map of the same EPCI
layer (``bench/baseline_app.py``), alternately, and are reported as ratios.
Streamlit's floor, its smallest page (``bench/floor_app.py``) in a new
browser, says how much of a new browser's wait is Streamlit's own frontend.

The map is "drawn" when its frame holds at least 1,000 territory paths (or,
for an update, when the Carte's shape layer says it has drawn again:
``window.essDrawn``).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from bench.common import Measure
from ess_geo.actors import FAMILY_LABELS
from ess_geo.pages.carte import TERRITORY_LINK_LABEL
from ess_geo.pages.territoires import COMPARISON_HEADING

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import nginx_conf  # noqa: E402  (a script, not a package)

CHROMIUM = "/usr/bin/chromium"
RUNS = int(os.environ.get("ESS_GEO_BENCH_RUNS", "5"))
SIZES = [
    int(s) for s in os.environ.get("ESS_GEO_BENCH_SIZES", "30000,300000").split(",")
]
FRAME = "iframe[src*='streamlit_folium']"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
HEADING = """(name) => [...document.querySelectorAll("h1, h2, h3, h4")]
    .some(h => h.textContent.includes(name))"""

_FRAME_JS = f"""(expr) => {{
    const frames = document.querySelectorAll("{FRAME}");
    const f = frames[frames.length - 1];
    if (!f || !f.contentWindow) return null;
    try {{ return f.contentWindow.eval(expr); }} catch (e) {{ return null; }}
}}"""


_STREAMLIT = (sys.executable, "-m", "streamlit", "run", "--server.headless", "true")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def workspace(size: int) -> Path:
    """A demo workspace of ``size`` actors (generated once, kept in the temp dir)."""
    path = Path(tempfile.gettempdir()) / f"ess-bench-{size}.sqlite"
    if not path.exists():
        subprocess.run(
            [sys.executable, "-m", "ess_geo", "demo", "--size", str(size)],
            cwd=ROOT,
            env={**os.environ, "ESS_GEO_DB": str(path)},
            check=True,
            capture_output=True,
        )
    return path


class Server:
    """``streamlit run`` on a free port; its script times and memory."""

    def __init__(self, db: Path | None, script: str = "serve.py", gc: bool = False):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.timing = Path(tempfile.mkstemp(suffix=".jsonl")[1])
        env = {**os.environ, "ESS_GEO_TIMING": str(self.timing)}
        if db is not None:
            env["ESS_GEO_DB"] = str(db)
        env["STREAMLIT_RUNNER_POST_SCRIPT_GC"] = "true" if gc else "false"
        env["PYTHONPATH"] = str(ROOT)
        if script != "serve.py":
            # Streamlit serves static/ beside the script: give it the app's.
            folder = Path(tempfile.mkdtemp(prefix="ess-baseline-"))
            (folder / "static").symlink_to(ROOT / "static")
            (folder / ".streamlit").symlink_to(ROOT / ".streamlit")
            shutil.copy(ROOT / script, folder / "app.py")
            script = str(folder / "app.py")
        self.process = subprocess.Popen(
            [*_STREAMLIT, "--server.port", str(self.port), script],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.started = time.perf_counter()
        deadline = time.monotonic() + 90
        while True:
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2):
                    break
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("streamlit did not start")
            time.sleep(0.1)

    def script_seconds(self, since: float) -> float:
        """Total page-script time of the runs that ended after ``since`` (epoch)."""
        lines = self.timing.read_text().splitlines() if self.timing.exists() else []
        return sum(r["seconds"] for r in map(json.loads, lines) if r["at"] >= since)

    def rss_mb(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(s for s in status.splitlines() if s.startswith("VmRSS"))
        return int(line.split()[1]) / 1024

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.timing.unlink(missing_ok=True)


class Tab:
    """A fresh browser context and page that counts websocket bytes."""

    def __init__(self, browser, url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.url = url
        self.bytes = 0
        self.last_message = time.perf_counter()
        self.page.on("websocket", self._watch)

    def _watch(self, ws) -> None:
        def received(payload) -> None:
            self.bytes += len(payload)
            self.last_message = time.perf_counter()

        ws.on("framereceived", received)

    def frame(self, expr: str):
        return self.page.evaluate(_FRAME_JS, expr)

    def wait_frame(self, expr: str, timeout: float = 20) -> None:
        deadline = time.perf_counter() + timeout
        while not self.frame(expr):
            if time.perf_counter() > deadline:
                raise TimeoutError(expr)
            time.sleep(0.02)

    def idle(self) -> None:
        """Wait for a rerun started by the last action to end."""
        self.page.wait_for_timeout(150)
        self.settled()

    def until(self, predicate: str, arg=None) -> None:
        """Wait until a JavaScript predicate holds, checked at every frame.

        Playwright's own waits (``wait_for_selector``, ``locator.wait_for``)
        poll with a backoff, 0, 20, 50, 100 and 100 ms, then every 500 ms:
        a page drawn 0.4 s after the wait began was seen up to 0.5 s late
        (new browsers measured 0.9 s for a page drawn at 0.5 s). Checked
        at each animation frame, the wait ends at the frame that shows it.
        """
        self.page.wait_for_function(predicate, arg=arg, polling="raf", timeout=60_000)

    def heading(self, name: str) -> None:
        """Wait for a heading that holds ``name``."""
        self.until(HEADING, name)

    def settled(self) -> None:
        """Wait until no run is going (once the page shows a run has begun)."""
        self.until(f"() => document.querySelector({json.dumps(IDLE)}) !== null")

    def close(self) -> None:
        self.context.close()


POLYGONS = "document.querySelectorAll('path.leaflet-interactive').length >= 1000"
_FILLS = (
    "[...document.querySelectorAll('path.leaflet-interactive')].slice(0, 60)"
    ".map(p => p.getAttribute('fill')).join()"
)
# A territory's page drawn: its map and charts (images of SVG, decoded) and
# its key figures.
FIGURES_SHOWN = """() => document.querySelector(".ess-report dl.figures") !== null"""
TERRITORY_DRAWN = """() => {
    const map = document.querySelector(".ess-report figure img");
    const charts = [...document.querySelectorAll(".ess-terr-chart .wide img")];
    return map !== null && charts.length > 0
        && [map, ...charts].every(i => i.complete && i.naturalWidth > 0)
        && document.querySelector(".ess-report dl.figures") !== null;
}"""


def _step(
    server: Server,
    tab: Tab,
    act: Callable[[], None],
    done: Callable[[], None],
    prepare: Callable[[], None] | None = None,
):
    """Time one step: (total s, script s, websocket bytes, browser s).

    The clock starts at ``act``, the click or key that commits a choice;
    ``prepare`` (opening a list, typing in a box) comes before it, as a
    person's typing comes before the wait.
    """
    try:
        if prepare:
            prepare()
    except Exception as exc:
        print(f"step preparation failed: {exc!r}"[:300], flush=True)
        return None
    tab.bytes = 0
    epoch = time.time()
    start = time.perf_counter()
    try:
        act()
        done()
    except Exception as exc:
        print(f"step failed: {exc!r}"[:300], flush=True)
        return None
    end = time.perf_counter()
    # The Carte writes its map first: the map can be drawn before the run
    # ends and writes its time. Wait for the run's end to read it.
    with contextlib.suppress(Exception):
        tab.idle()
    return (
        end - start,
        server.script_seconds(epoch),
        tab.bytes,
        max(0.0, end - max(tab.last_message, start)),
    )


class Steps:
    """The table's steps, collected as (total, script, bytes, browser) tuples."""

    def __init__(self) -> None:
        self.samples: dict[str, list[tuple[float, float, int, float]]] = {}
        self.failed: dict[str, int] = {}

    def add(self, name: str, sample) -> None:
        self.samples.setdefault(name, [])
        if sample is None:
            self.failed[name] = self.failed.get(name, 0) + 1
        else:
            self.samples[name].append(sample)

    def measures(self, prefix: str, budgets: dict[str, float]) -> list[Measure]:
        out = []
        for name, samples in self.samples.items():
            if not samples:
                continue
            totals = [s[0] for s in samples]

            def med(i: int, samples=samples) -> float:
                return statistics.median(s[i] for s in samples)

            detail = (
                f"min {min(totals):.2f}, max {max(totals):.2f} s; "
                f"script {med(1):.2f} s, {med(2) / 1e6:.2f} MB, browser {med(3):.2f} s"
            )
            if self.failed.get(name):
                detail += f"; {self.failed[name]} sample(s) timed out"
            out.append(
                Measure(
                    f"{prefix} {name} (median of {len(samples)}; {detail})",
                    statistics.median(totals),
                    "s",
                    budgets.get(name),
                )
            )
        return out


def _carte_drawn_after(
    tab: Tab, before: int, token: str | None = None
) -> Callable[[], None]:
    expr = f"(window.essDrawn || 0) > {before}"
    if token:
        expr += f" && window.essFitToken === {json.dumps(token)}"
    return lambda: tab.wait_frame(expr)


def _type_famille(tab: Tab, label: str) -> None:
    """Open the familles list and type the start of one (no rerun yet)."""
    tab.page.get_by_label("Familles de l'ESS", exact=True).click()
    tab.page.keyboard.type(label[:12])  # the first option that matches


def _quiet(tab: Tab) -> int:
    """Wait until the map has not redrawn for 0.5 s; its draw count."""
    count, since = tab.frame("window.essDrawn || 0"), time.perf_counter()
    deadline = since + 20
    while time.perf_counter() - since < 0.5 and time.perf_counter() < deadline:
        time.sleep(0.05)
        now = tab.frame("window.essDrawn || 0")
        if now != count:
            count, since = now, time.perf_counter()
    return count


def _close_list(tab: Tab) -> None:
    """Close the list by clicking the page's title, as a person would.

    (Escape closes it but leaves the focus in the box, and the next click
    on « Effacer les filtres » is then sometimes lost.)
    """
    tab.page.locator("h1").first.click()
    tab.idle()


def _pick_famille(tab: Tab, label: str) -> None:
    before = _quiet(tab)
    _type_famille(tab, label)
    tab.page.keyboard.press("Enter")
    tab.wait_frame(f"(window.essDrawn || 0) > {before}")
    _close_list(tab)


def _clear_familles(tab: Tab, url: str) -> None:
    """Back to no filter, its map drawn (a new session if the button fails)."""
    before = _quiet(tab)
    try:
        tab.page.get_by_role("button", name="Effacer les filtres").click(timeout=10_000)
        tab.wait_frame(f"(window.essDrawn || 0) > {before}")
    except Exception as exc:
        print(f"clearing the filters failed ({exc!r}"[:200] + "): reload", flush=True)
        tab.page.goto(url)
        tab.wait_frame(POLYGONS)
    tab.idle()


def _typed(tab: Tab, label: str, text: str) -> Callable[[], None]:
    return lambda: tab.page.get_by_label(label, exact=True).fill(text)


def _choose(tab: Tab, label: str, option: str) -> None:
    box = tab.page.get_by_label(label, exact=True)
    box.click()
    tab.page.get_by_role("option", name=option).first.click()


def _heap_mb(tab: Tab) -> float:
    cdp = tab.context.new_cdp_session(tab.page)
    cdp.send("HeapProfiler.collectGarbage")
    used = cdp.send("Runtime.getHeapUsage")["usedSize"]
    cdp.detach()
    return used / 1e6


FAMILLES = list(FAMILY_LABELS.values())  # as the multiselect shows them
EPCI_LINK = "/?niveau=epci&code=242900314"  # Brest Métropole on the Carte
TERRITOIRES_EPCI = "territoires?niveau=epci&code=242900314"


def _fresh_tab_steps(browser, server: Server, url: str, steps: Steps, prefix: str):
    """A new browser (empty cache) opening the Carte, Couverture, Territoires."""
    for name, page, done in (
        ("warm server, new browser → first polygons", "", _polygons),
        # its territories drawn and the run over
        ("Couverture, new browser → page stable", "couverture", _map_stable),
        (
            "Territoires, one EPCI, new browser → page stable",
            TERRITOIRES_EPCI,
            _territoires_stable,
        ),
    ):
        for _ in range(RUNS):
            tab = Tab(browser, url)
            steps.add(
                f"{prefix}{name}",
                _step(
                    server,
                    tab,
                    lambda tab=tab, page=page: tab.page.goto(f"{url}/{page}"),
                    lambda tab=tab, done=done: done(tab),
                ),
            )
            tab.close()


def _polygons(tab: Tab) -> None:
    tab.wait_frame(POLYGONS)


def _map_stable(tab: Tab) -> None:
    tab.wait_frame(POLYGONS)
    tab.settled()


def _territoires_stable(tab: Tab) -> None:
    tab.heading(COMPARISON_HEADING)
    tab.settled()
    tab.until(TERRITORY_DRAWN)


def _in_app_steps(browser, server: Server, steps: Steps) -> None:
    """From the Carte, by its links: what a person does within the app."""
    url = server.url
    for _ in range(RUNS):
        tab = Tab(browser, url)
        tab.page.goto(f"{url}{EPCI_LINK}")
        tab.wait_frame("(window.essDrawn || 0) > 0")
        tab.idle()
        marks: list[float] = []

        def act(tab=tab, marks=marks) -> None:
            marks.append(time.perf_counter())
            tab.page.get_by_role("link", name=TERRITORY_LINK_LABEL).click()

        def done(tab=tab, marks=marks) -> None:
            tab.heading(COMPARISON_HEADING)
            tab.until(FIGURES_SHOWN)
            marks.append(time.perf_counter())
            _territoires_stable(tab)

        sample = _step(server, tab, act, done)
        steps.add("Territoires, one EPCI, from the Carte's link → page stable", sample)
        if sample and len(marks) == 2:
            steps.add(
                "Territoires, one EPCI, from the Carte's link → figures shown",
                (marks[1] - marks[0], sample[1], sample[2], 0.0),
            )
        tab.close()
    for _ in range(RUNS):
        tab = Tab(browser, url)
        tab.page.goto(url)
        tab.wait_frame(POLYGONS)
        tab.idle()
        tab.frame("window.essLeft = true")  # the Carte's frame, until it goes
        steps.add(
            "Couverture from the Carte's menu → page stable",
            _step(
                server,
                tab,
                lambda tab=tab: tab.page.get_by_role("link", name="Couverture").click(),
                lambda tab=tab: (
                    tab.wait_frame(f"!window.essLeft && {POLYGONS}"),
                    tab.settled(),
                ),
            ),
        )
        tab.close()


def _carte_steps(browser, db: Path, steps: Steps, size: str) -> list[Measure]:
    extra: list[Measure] = []
    # cold start → first polygons, a fresh server each time
    for _ in range(RUNS):
        server = Server(db)
        tab = Tab(browser, server.url)
        start = server.started
        tab.page.goto(server.url)
        tab.wait_frame(POLYGONS, timeout=120)
        steps.add(
            "cold start → first polygons",
            (time.perf_counter() - start, server.script_seconds(0), tab.bytes, 0.0),
        )
        tab.close()
        server.stop()

    server = Server(db)
    try:
        for page in ("", "couverture", TERRITOIRES_EPCI):  # warm every page once
            warm = Tab(browser, server.url)
            warm.page.goto(f"{server.url}/{page}")
            warm.page.wait_for_timeout(500)
            warm.settled()
            warm.close()
        _fresh_tab_steps(browser, server, server.url, steps, "")
        if os.path.exists(nginx_conf.NGINX):
            folder = Path(tempfile.mkdtemp(prefix="ess-bench-nginx-"))
            with nginx_conf.serve(
                _free_port(), [f"127.0.0.1:{server.port}"], folder
            ) as proxied:
                _fresh_tab_steps(browser, server, proxied, steps, "behind nginx: ")
            shutil.rmtree(folder, ignore_errors=True)
        _in_app_steps(browser, server, steps)

        tab = Tab(browser, server.url)
        tab.page.goto(server.url)
        tab.wait_frame(POLYGONS)
        tab.idle()
        heaps = [_heap_mb(tab)]
        layers = [tab.frame("Object.keys(window.map._layers).length")]
        changes = 0
        for famille in FAMILLES[:RUNS]:
            for label in ("famille filter, first time", "famille filter, cached"):
                before = _quiet(tab)
                steps.add(
                    label,
                    _step(
                        server,
                        tab,
                        lambda: tab.page.keyboard.press("Enter"),
                        _carte_drawn_after(tab, before),
                        prepare=lambda f=famille: _type_famille(tab, f),
                    ),
                )
                _close_list(tab)
                _clear_familles(tab, server.url)
                changes += 2
        for target in (20, 40):
            while changes < target:
                _pick_famille(tab, FAMILLES[changes % len(FAMILLES)])
                _clear_familles(tab, server.url)
                changes += 2
            heaps.append(_heap_mb(tab))
            layers.append(tab.frame("Object.keys(window.map._layers).length"))
        groups = tab.frame("(window.feature_group || []).length")
        extra += [
            Measure(
                f"{size} map frame heap before / after 20 / after 40 filter changes "
                f"({heaps[0]:.1f} / {heaps[1]:.1f} / {heaps[2]:.1f} MB, "
                "after a forced garbage collection)",
                heaps[2],
                "MB",
            ),
            Measure(
                f"{size} Leaflet layers before / after 20 / after 40 changes "
                f"({layers[0]} / {layers[1]} / {layers[2]}; feature_group list: "
                f"{groups})",
                float(layers[2] or 0),
                "layers",
            ),
        ]

        for _ in range(RUNS):
            tab.page.goto(server.url)  # France, in a fresh session
            tab.wait_frame(POLYGONS)
            tab.idle()
            before = _quiet(tab)
            steps.add(
                "search « Finistère » from France",
                _step(
                    server,
                    tab,
                    lambda: tab.page.get_by_label(
                        "Rechercher un territoire", exact=True
                    ).press("Enter"),
                    # markers: drawn on a canvas, no paths to count
                    _carte_drawn_after(tab, before, "departement:29"),
                    prepare=_typed(tab, "Rechercher un territoire", "Finistère"),
                ),
            )
            tab.idle()

        for _ in range(RUNS):
            other = Tab(browser, server.url)
            other.page.goto(f"{server.url}/annuaire")
            other.idle()
            steps.add(
                "Annuaire search « 29200 »",
                _step(
                    server,
                    other,
                    lambda other=other: other.page.get_by_label(
                        "Commune ou code postal", exact=True
                    ).press("Enter"),
                    lambda other=other: other.idle(),
                    prepare=_typed(other, "Commune ou code postal", "29200"),
                ),
            )
            other.close()

        # memory per additional session
        rss = server.rss_mb()
        sessions = []
        for _ in range(3):
            extra_tab = Tab(browser, server.url)
            extra_tab.page.goto(server.url)
            extra_tab.wait_frame(POLYGONS)
            extra_tab.idle()
            sessions.append(extra_tab)
        per_session = (server.rss_mb() - rss) / 3
        for t in sessions:
            t.close()
        extra.append(
            Measure(f"{size} server RSS per additional session", per_session, "MB", 45)
        )
        tab.close()
    finally:
        server.stop()
    return extra


def _compare_with_baseline(browser, db: Path) -> list[Measure]:
    """First paint and one recolouring, Carte and naive baseline alternately."""
    carte, naive = Server(db), Server(None, "bench/baseline_app.py")
    first = {"carte": [], "naive": []}
    recolour = {"carte": [], "naive": []}
    try:
        for server in (carte, naive):  # warm both processes
            tab = Tab(browser, server.url)
            tab.page.goto(server.url)
            tab.wait_frame(POLYGONS, timeout=120)
            tab.close()
        for _ in range(RUNS):
            for name, server in (("carte", carte), ("naive", naive)):
                tab = Tab(browser, server.url)
                start = time.perf_counter()
                tab.page.goto(server.url)
                tab.wait_frame(POLYGONS)
                first[name].append(time.perf_counter() - start)
                tab.idle()
                if name == "carte":
                    before = _quiet(tab)
                    start = time.perf_counter()
                    _choose(tab, "Indicateur", "Emplois de l'ESS pour 1 000 habitants")
                    tab.wait_frame(f"(window.essDrawn || 0) > {before}")
                else:
                    before = tab.frame(_FILLS)
                    start = time.perf_counter()
                    _choose(tab, "Colorer selon", "surface")
                    tab.wait_frame(f"{_FILLS} !== {json.dumps(before)} && {POLYGONS}")
                recolour[name].append(time.perf_counter() - start)
                tab.close()
    finally:
        carte.stop()
        naive.stop()
    med = {k: statistics.median(v) for k, v in first.items()}
    rec = {k: statistics.median(v) for k, v in recolour.items()}
    return [
        Measure(
            f"Carte / naive folium, first paint ({med['carte']:.2f} s / "
            f"{med['naive']:.2f} s, medians of {RUNS})",
            med["carte"] / med["naive"],
            "×",
            0.7,
        ),
        Measure(
            f"Carte / naive folium, one recolouring ({rec['carte']:.2f} s / "
            f"{rec['naive']:.2f} s, medians of {RUNS})",
            rec["carte"] / rec["naive"],
            "×",
            0.4,
        ),
    ]


def _floor(browser) -> list[Measure]:
    """Streamlit's smallest page in a new browser, directly and behind nginx."""
    server = Server(None, "bench/floor_app.py")
    times: dict[str, list[float]] = {"": [], "behind nginx: ": []}
    folder = Path(tempfile.mkdtemp(prefix="ess-bench-floor-"))
    try:
        with nginx_conf.serve(
            _free_port(), [f"127.0.0.1:{server.port}"], folder
        ) as proxied:
            urls = {"": server.url, "behind nginx: ": proxied}
            for _ in range(RUNS + 1):  # the first of each warms the server
                for prefix, url in urls.items():
                    tab = Tab(browser, url)
                    start = time.perf_counter()
                    tab.page.goto(url)
                    tab.heading("Comparaison")
                    tab.settled()
                    times[prefix].append(time.perf_counter() - start)
                    tab.close()
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return [
        Measure(
            f"{prefix}Streamlit's floor: a page of two headings, new browser → "
            f"drawn (median of {RUNS}; bench/floor_app.py)",
            statistics.median(samples[1:]),
            "s",
        )
        for prefix, samples in times.items()
    ]


def _gc_before_after(browser, db: Path) -> list[Measure]:
    """An uncached filter change with and without the forced post-run collection."""
    out = []
    for gc in (True, False):
        server = Server(db, gc=gc)
        try:
            tab = Tab(browser, server.url)
            tab.page.goto(server.url)
            tab.wait_frame(POLYGONS, timeout=120)
            tab.idle()
            times = []
            for famille in FAMILLES[:RUNS]:
                before = _quiet(tab)
                sample = _step(
                    server,
                    tab,
                    lambda tab=tab: tab.page.keyboard.press("Enter"),
                    _carte_drawn_after(tab, before),
                    prepare=lambda f=famille, tab=tab: _type_famille(tab, f),
                )
                if sample:
                    times.append(sample[0])
                _close_list(tab)
                _clear_familles(tab, server.url)
            tab.close()
        finally:
            server.stop()
        out.append(
            Measure(
                f"famille filter, first time, runner.postScriptGC={str(gc).lower()}",
                statistics.median(times),
                "s",
            )
        )
    return out


@contextlib.contextmanager
def _chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        try:
            yield browser
        finally:
            browser.close()


BUDGETS_300K = {
    "warm server, new browser → first polygons": 1.5,
    "behind nginx: warm server, new browser → first polygons": 1.5,
    "cold start → first polygons": 15,
    "famille filter, first time": 0.4,
    "famille filter, cached": 0.4,
    "search « Finistère » from France": 0.8,
    "Couverture, new browser → page stable": 1.5,
    "behind nginx: Couverture, new browser → page stable": 1.5,
    "Couverture from the Carte's menu → page stable": 1.5,
    "Territoires, one EPCI, new browser → page stable": 1.0,
    "behind nginx: Territoires, one EPCI, new browser → page stable": 1.0,
    "Territoires, one EPCI, from the Carte's link → page stable": 1.0,
    "Annuaire search « 29200 »": 0.8,
}


def _xlsx(db: Path, label: str) -> list[Measure]:
    """The workspace XLSX export (Données), made on the server as the page does."""
    from ess_geo.workspace import backup, store

    conn = store.connect(db)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        backup.export_xlsx(conn)
        times.append(time.perf_counter() - start)
    conn.close()
    return [
        Measure(
            f"{label} workspace XLSX export (median of {RUNS}; "
            f"min {min(times):.2f}, max {max(times):.2f} s)",
            statistics.median(times),
            "s",
            3.0,
        )
    ]


def _shown(measures: list[Measure]) -> list[Measure]:
    for m in measures:
        print(m.row(), flush=True)
    return measures


def _guarded(what: str, make: Callable[[], list[Measure]]) -> list[Measure]:
    """A part's measures, or none (and why) when it fails: the others still run."""
    try:
        return _shown(make())
    except Exception as exc:
        print(f"{what} failed: {exc!r}"[:400], flush=True)
        return []


def run() -> list[Measure]:
    measures: list[Measure] = []
    with _chromium() as browser:
        for size in SIZES:
            db = workspace(size)
            label = f"{size // 1000}k"
            steps = Steps()
            extra = _guarded(
                label, functools.partial(_carte_steps, browser, db, steps, label)
            )
            budgets = BUDGETS_300K if size >= 300_000 else {}
            measures += _shown(steps.measures(label, budgets)) + extra
        db = workspace(SIZES[0])
        label = f"{SIZES[0] // 1000}k"
        measures += _guarded("xlsx", functools.partial(_xlsx, db, label))
        measures += _guarded(
            "baseline", functools.partial(_compare_with_baseline, browser, db)
        )
        measures += _guarded("gc", functools.partial(_gc_before_after, browser, db))
        if os.path.exists(nginx_conf.NGINX):
            measures += _guarded("floor", functools.partial(_floor, browser))
    return measures
