import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from ess_geo.errors import UnknownTerritoryError
from ess_geo.report import figures

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def dot_paths(root: ET.Element) -> list[ET.Element]:
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "actors")
    return list(group.iter(f"{SVG}path"))


def test_territory_map_draws_the_territory_its_context_and_a_scale():
    root = parse(figures.territory_map("epci", "242900314"))
    assert root.find(f"{SVG}title").text == "Carte : Brest Métropole"
    fills = [p.get("fill") for p in root.iter(f"{SVG}path")]
    assert figures.COLOURS["territory"] in fills
    assert figures.COLOURS["background"] in fills
    dashed = [p for p in root.iter(f"{SVG}path") if p.get("stroke-dasharray")]
    assert len(dashed) == 1  # département boundaries
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["5 km"]


def test_territory_map_draws_actors_by_famille_and_caps_their_number():
    actors = pd.DataFrame(
        {
            "latitude": [48.39, 48.40, None],
            "longitude": [-4.49, -4.45, -4.4],
            "famille": ["association", "cooperative", "association"],
        }
    )
    root = parse(figures.territory_map("commune", "29019", actors=actors))
    halo, *dots = dot_paths(root)
    assert halo.get("stroke") == "#ffffff"
    assert halo.get("d").count("M") == 2  # the row without coordinates skipped
    assert [(p.get("stroke"), p.get("d").count("M")) for p in dots] == [
        ("#0072B2", 1),
        ("#E69F00", 1),
    ]
    many = pd.DataFrame(
        {
            "latitude": [48.39] * (figures.MAX_MAP_POINTS + 500),
            "longitude": [-4.49] * (figures.MAX_MAP_POINTS + 500),
            "famille": "association",
        }
    )
    root = parse(figures.territory_map("commune", "29019", actors=many))
    assert dot_paths(root)[0].get("d").count("M") == figures.MAX_MAP_POINTS


def test_territory_without_geometry_gets_a_frame_saying_so():
    root = parse(figures.territory_map("pnr", "FR8000001"))
    assert [t.text for t in root.iter(f"{SVG}text")] == ["Contour non disponible"]


def test_unknown_territory_raises():
    with pytest.raises(UnknownTerritoryError):
        figures.territory_map("epci", "000000000")


def test_bar_chart_escapes_and_cuts_labels_and_marks_references():
    svg = figures.bar_chart(
        ["<b>Très long libellé qui dépasse largement la place prévue</b>", "Court"],
        [0.5, float("nan")],
        value_labels=["50 %", "—"],
        references=[0.25, 0.75],
        title="Parts & <comparaison>",
        width=300,
    )
    root = parse(svg)  # well-formed despite the markup in the labels
    assert root.find(f"{SVG}title").text == "Parts & <comparaison>"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts[0] == "Territoire" and texts[1] == "France"
    assert texts[2].startswith("<b>Très") and texts[2].endswith("…")
    assert "Court" in texts and "50 %" in texts
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("height") != "10"]
    assert len(bars) == 1  # no bar for the missing value
    ticks = [p for p in root.iter(f"{SVG}path")]
    assert len(ticks) == 3  # legend mark + two reference ticks
    # The longest value (France's 0.75) spans the bar area; the 0.5 bar is 2/3 of it.
    assert float(bars[0].get("width")) == pytest.approx(
        (300 - int(300 * 0.42) - 64 - 8) * 0.5 / 0.75, abs=0.1
    )


def test_bar_chart_highlights_bars_and_their_labels():
    svg = figures.bar_chart(
        ["Voisin", "Choisi"],
        [2.0, 1.0],
        value_labels=["2,0", "1,0"],
        title="Voisins",
        width=300,
        highlight=[False, True],
    )
    root = parse(svg)
    rects = [(r.get("fill"), r.get("width")) for r in root.iter(f"{SVG}rect")]
    bar = 300 - int(300 * 0.42) - 64 - 8
    assert rects == [("#1f5f8b", f"{bar:.1f}"), ("#b35900", f"{bar / 2:.1f}")]
    labels = [(t.text, t.get("font-weight")) for t in root.iter(f"{SVG}text")]
    assert labels == [
        ("Voisin", None),
        ("2,0", None),
        ("Choisi", "bold"),
        ("1,0", None),
    ]
    with pytest.raises(ValueError):
        figures.bar_chart(
            ["A"], [1.0], value_labels=["1"], title="t", highlight=[True, False]
        )


def test_bar_chart_cuts_labels_to_their_room():
    # 300 × 0.42 = 126 units of labels, 120 of text: 17 characters of 7 units.
    svg = figures.bar_chart(
        ["Société commerciale de l'ESS"],
        [1.0],
        value_labels=["1"],
        title="t",
        width=300,
    )
    assert parse(svg).find(f"{SVG}text").text == "Société commerci…"
