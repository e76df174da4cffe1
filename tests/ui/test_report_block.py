import base64

from ess_geo.ui import report_block


def test_svg_image_is_a_data_uri_with_the_title_as_alt():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg">'
        "<title>Parts &amp; &quot;x&quot;</title></svg>"
    )
    out = report_block.svg_image(svg)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    assert out == (
        f'<img src="data:image/svg+xml;base64,{data}" alt="Parts &amp; &quot;x&quot;">'
    )


def test_svg_image_without_title_has_an_empty_alt():
    out = report_block.svg_image("<svg></svg>")
    assert out.endswith('alt="">')


def test_the_style_is_scoped_to_its_class():
    rules = [
        r.split("{")[0]
        for r in report_block.REPORT_CSS.replace("\n", "").split("}")
        if "{" in r
    ]
    selectors = [
        s.strip()
        for r in rules
        for s in r.replace("@media (max-width:640px)", "").split(",")
    ]
    assert selectors and all(s.startswith(".ess-report") for s in selectors if s)


def test_a_map_is_an_image_of_its_svg_with_its_caption_escaped(monkeypatch):
    drawn = []
    monkeypatch.setattr(report_block.st, "html", drawn.append)
    svg = "<svg><title>Carte : Brest</title></svg>"
    report_block.report_map(svg, "Le territoire <en jaune> & ses voisins")
    assert drawn == [
        f'<div class="ess-report"><figure>{report_block.svg_image(svg)}'
        "<figcaption>Le territoire &lt;en jaune&gt; &amp; ses voisins</figcaption>"
        "</figure></div>"
    ]
