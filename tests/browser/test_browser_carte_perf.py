"""The Carte's map transport in a real browser: what stays flat, what stays put.

No timing here (the figures are in bench/RESULTS.md, `python -m bench
browser`): these tests check that the optimisations keep the behaviour.
"""

import pytest
from conftest import MAP_FRAME, map_frame, open_app, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def frame_eval(page, expr: str):
    """Evaluate in the map frame's window (found again after any rebuild)."""
    return page.evaluate(
        f"""(expr) => {{
            const frames = document.querySelectorAll("{MAP_FRAME}");
            return frames[frames.length - 1].contentWindow.eval(expr);
        }}""",
        expr,
    )


def wait_drawn(page, before: int) -> None:
    page.wait_for_function(
        f"""() => {{
            const frames = document.querySelectorAll("{MAP_FRAME}");
            const w = frames[frames.length - 1].contentWindow;
            return (w.essDrawn || 0) > {before};
        }}""",
        timeout=60_000,
    )


def toggle_famille(page, label: str) -> None:
    box = page.get_by_label("Familles de l'ESS", exact=True)
    box.click()
    page.get_by_role("option", name=label).first.click()
    page.keyboard.press("Escape")


def heap_mb(page) -> float:
    cdp = page.context.new_cdp_session(page)
    cdp.send("HeapProfiler.collectGarbage")
    used = cdp.send("Runtime.getHeapUsage")["usedSize"]
    cdp.detach()
    return used / 1e6


def test_layers_and_heap_stay_flat_over_twenty_filter_changes(page, app_url):
    missing = []
    page.on(
        "response",
        lambda r: missing.append(r.url) if r.status == 404 else None,
    )
    open_app(page, app_url)
    map_frame(page).locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
    counts, heaps = [], []
    for change in range(20):
        before = frame_eval(page, "window.essDrawn || 0")
        if change % 2 == 0:
            toggle_famille(page, "Coopérative")
        else:
            page.get_by_role("button", name="Effacer les filtres").click()
        wait_for_app(page)
        wait_drawn(page, before)
        if change in (1, 19):
            counts.append(
                frame_eval(
                    page,
                    "[Object.keys(window.map._layers).length,"
                    " window.feature_group.length]",
                )
            )
            heaps.append(heap_mb(page))
    assert counts[0] == counts[1], counts  # same layers after 2 and 20 changes
    assert counts[1][1] == 6  # the groups shown, not every group ever sent
    assert heaps[1] < heaps[0] + 15, heaps  # was +300 MB over 10 changes
    assert not [u for u in missing if "/app/static/" in u], missing


def test_offline_map_names_places_and_says_what_it_shows(page, app_url):
    open_app(page, app_url)
    frame = map_frame(page)
    frame.locator(".ess-place", has_text="Marseille").first.wait_for(timeout=30_000)
    assert frame.locator(".ess-place").count() >= 5
    title = page.locator(MAP_FRAME).get_attribute("title")
    assert title == (
        "Carte : Structures de l'ESS pour 10 000 habitants par EPCI, France"
    )
    box = page.locator(MAP_FRAME).bounding_box()
    assert box["y"] + box["height"] / 2 < 900, box  # most of the map above the fold
    screenshot(page, "carte-france-1280")


def test_selecting_a_territory_updates_the_map_in_place(page, app_url):
    open_app(page, app_url)
    map_frame(page).locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
    frame_eval(page, "window.essProbe = 'same frame'")
    before = frame_eval(page, "window.essDrawn || 0")
    box = page.get_by_label("Rechercher un territoire", exact=True)
    box.fill("Finistère")
    box.press("Enter")
    wait_for_app(page)
    wait_drawn(page, before)
    assert frame_eval(page, "window.essFitToken") == "departement:29"
    assert frame_eval(page, "window.essProbe") == "same frame"
    title = page.locator(MAP_FRAME).get_attribute("title")
    assert title.endswith("Finistère (département)")


def test_an_actor_popup_shows_without_its_tooltip(page, app_url):
    from test_browser import click_on_map, map_window

    open_app(page, f"{app_url}/?dep=29&epci=242900314")
    map_frame(page).locator(".ess-legend").first.wait_for(timeout=30_000)
    window = map_window(page)
    window.evaluate("void window.map.setZoom(16)")  # no more clusters
    page.wait_for_timeout(1200)
    found = window.evaluate(
        """() => { const view = window.map.getBounds(); let out = null;
        window.map.eachLayer(l => {
            if (out || !(l instanceof L.CircleMarker) || !l.toGeoJSON) return;
            const ref = l.toGeoJSON().properties.ref;
            if (String(ref).startsWith('acteur:') && view.contains(l.getLatLng())) {
                out = [l.getLatLng().lat, l.getLatLng().lng]; }
        }); return out; }"""
    )
    assert found, "no actor marker in view"
    click_on_map(page, *found)
    map_frame(page).locator(".leaflet-popup-content").wait_for(timeout=10_000)
    shown = window.evaluate(
        "[...document.querySelectorAll('.leaflet-tooltip')]"
        ".filter(t => t.offsetParent !== null).length"
    )
    assert shown == 0


def test_a_filter_change_reruns_the_map_fragment_and_keeps_the_polygons(page, app_url):
    """Only the map's fragment reruns; its polygons are restyled, not rebuilt."""
    received = []
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived",
            lambda payload: received.append(
                payload if isinstance(payload, bytes) else payload.encode()
            ),
        ),
    )
    open_app(page, app_url)
    map_frame(page).locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
    wait_for_app(page)
    assert any(b"Carte des acteurs de l'ESS" in p for p in received)
    paths = "document.querySelectorAll('path.leaflet-interactive').length"
    shown = frame_eval(page, paths)
    # Mark the polygon of Brest Métropole and read its colour.
    brest = """(() => { let out = null; window.map.eachLayer(l => {
        if (l._essRef === 'epci:242900314') out = l; }); return out; })()"""
    frame_eval(page, f"{brest}._essProbe = 'kept'")
    tip = frame_eval(page, f"{brest}._essTip")
    # Composed in the browser from the shape file's name and the sent values.
    assert tip.startswith(
        "<strong>Brest Métropole</strong><br>Structures de l&#x27;ESS pour "
        "10 000 habitants : "
    )
    assert "<br>Structures : " in tip
    received.clear()
    before = frame_eval(page, "window.essDrawn || 0")
    toggle_famille(page, "Association")  # still counted in circles: SVG
    wait_for_app(page)
    wait_drawn(page, before)
    # The page's title was not sent again: only the fragment ran.
    assert received
    assert not any(b"Carte des acteurs de l'ESS" in p for p in received)
    assert frame_eval(page, f"{brest}._essProbe") == "kept"
    assert frame_eval(page, paths) == shown
    assert frame_eval(page, f"{brest}._essTip") != tip  # the counts changed
    assert "famille=association" in page.url


def test_circles_and_networks_are_drawn_above_the_territories(page, app_url):
    """The shapes arrive after the inline layers: they must not cover them."""
    open_app(page, app_url)
    map_frame(page).locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
    wait_for_app(page)
    page.wait_for_function(
        f"""() => {{
            const frames = document.querySelectorAll("{MAP_FRAME}");
            return (frames[frames.length - 1].contentWindow.essPainted || 0) >= 5;
        }}""",
        timeout=60_000,
    )
    order = frame_eval(
        page,
        """(() => {
            const paths = [...document.querySelectorAll('.leaflet-overlay-pane path')];
            let fill = -1, circle = paths.length, network = paths.length;
            window.map.eachLayer(l => {
                if (!l._path) return;
                const at = paths.indexOf(l._path);
                if (l._essSlot && l.options.fillColor) fill = Math.max(fill, at);
                if (l instanceof L.CircleMarker) circle = Math.min(circle, at);
                if (String(l._essRef).startsWith('reseau:'))
                    network = Math.min(network, at);
            });
            return [fill, network, circle, paths.length];
        })()""",
    )
    fill, network, circle, count = order
    assert 0 <= fill < network < count, order  # the networks' lines, then…
    assert network < circle < count, order  # …the circles, above them all
