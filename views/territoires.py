"""Territoires: the weight of the ESS in a territory, compared, ranked, printed.

State in the URL: see :mod:`ess_geo.pages.territoires` (``niveau``, ``code``,
``region``, ``dep``, ``tri``). The Carte page links here with
``/territoires?niveau=epci&code=<SIREN>``.
"""

import streamlit as st

from ess_geo import ui
from ess_geo.analysis import weight
from ess_geo.analysis.indicators import INDICATORS
from ess_geo.geo import geography
from ess_geo.io import exports
from ess_geo.pages import territoires
from ess_geo.pages.territoires import TerritoiresState
from ess_geo.report import panorama, panorama_pdf

LEVELS = list(geography.LEVELS)
CHART_WIDTHS = (620, 340)  # the SVG charts: wide screens, phones (11 px text)
COLUMN_CONFIG = {
    "rang": ui.number_column("Rang", 0, help="1 = la valeur la plus haute"),
    "code": st.column_config.TextColumn("Code"),
    "nom": st.column_config.TextColumn("Territoire", width="large"),
    "nom_departement": st.column_config.TextColumn("Département"),
    "nom_region": st.column_config.TextColumn("Région"),
    "population": ui.number_column("Population", 0),
    **{key: ui.indicator_column(indicator) for key, indicator in INDICATORS.items()},
}

st.title("Poids de l'ESS par territoire")

state, ignored = TerritoiresState.from_query(st.query_params)
ui.show_ignored(ignored)
regions = geography.territory_names("region")

K = ui.TerritoiresKeys


def controls(s: TerritoiresState) -> dict[str, str]:
    """Widget key -> value of the page's controls, for a state."""
    region, dep = s.filters_at(s.level)
    return {K.LEVEL: s.level, K.REGION: region, K.DEP: dep, K.CODE: s.code, K.BY: s.by}


# Keyed widgets, given the URL's values only when the URL changed behind
# the page's back: a default taken from the URL lost every second change.
ui.seed_from_url(K.URL, controls(state))
with st.sidebar:
    level = st.selectbox(
        "Niveau", LEVELS, key=K.LEVEL, format_func=geography.LEVEL_LABELS.get
    )
    region = ""
    if level != "region":
        region_options = ["", *regions.index]
        ui.keep_if_among(K.REGION, region_options)
        region = st.selectbox(
            "Région",
            region_options,
            key=K.REGION,
            format_func=lambda c: "Toute la France" if not c else regions[c],
            help="Restreint la liste des territoires et le classement.",
        )
    dep = ""
    if level not in ("region", "departement"):
        dep_names = territoires.departement_names(region)
        dep_options = ["", *dep_names.index]
        ui.keep_if_among(K.DEP, dep_options)
        dep = st.selectbox(
            "Département",
            dep_options,
            key=K.DEP,
            format_func=lambda c: (
                "Tous les départements" if not c else f"{c} – {dep_names[c]}"
            ),
            help="Restreint la liste des territoires et le classement.",
        )
    names = territoires.territory_names(level, region, dep)
    options = ["", *names.index]
    ui.keep_if_among(K.CODE, options)
    code = st.selectbox(
        "Territoire",
        options,
        key=K.CODE,
        format_func=lambda c: (
            "Choisir un territoire…" if not c else f"{names[c]} ({c})"
        ),
        help="Tapez quelques lettres du nom pour chercher."
        + (" Choisissez d'abord un département." if level == "commune" else ""),
        disabled=len(options) == 1,
    )
    st.divider()
    upload = st.file_uploader(
        "Emploi total par commune (INSEE)",
        type=["csv", "txt", "xlsx"],
        help="Fichier INSEE « emplois au lieu de travail » par commune "
        "(colonnes CODGEO et P21_EMPLT, CSV ou XLSX) : il permet de calculer la "
        "part de l'ESS dans l'emploi total. Il reste dans votre session.",
    )
ui.load_employment(
    upload.getvalue() if upload else None, upload.name if upload else None
)
employment_table, employment_source = ui.session_employment()
state = state.replace(level=level, code=code, region=region, dep=dep)

if not code:
    st.markdown(
        "Choisissez un **niveau** puis un **territoire** dans la barre latérale : "
        "ses chiffres clés, leur comparaison avec son département, sa région et "
        "la France, ses voisins et son **panorama** à télécharger (PDF ou page "
        "web). Le classement de tous les territoires du niveau est plus bas."
    )
else:
    p = ui.territory_panorama(level, code)
    st.header(p.nom)
    st.caption(p.subtitle)
    for note in p.notes:
        st.warning(note, icon="ℹ️")

    # Tables, charts, the map and the key figures as HTML and SVG: no data
    # grid, no Vega to load, nothing that waits for code of its own.
    ui.report_styles()
    map_column, figures_column = st.columns([1, 1], gap="large")
    with map_column:
        ui.report_map(p.map_svg, panorama.map_caption(p))
    with figures_column:
        ui.report_html(panorama.key_figures_html(panorama.key_figures(p)))
        if employment_table is None:
            st.caption(
                "Part dans l'emploi total non calculée : chargez dans la barre "
                "latérale le fichier INSEE des emplois au lieu de travail par "
                "commune (colonnes CODGEO et P21_EMPLT)."
            )
        if rank_line := territoires.rank_line(p.ranks):
            st.markdown(rank_line)
        st.page_link(
            "views/carte.py",
            label="Voir les acteurs sur la carte",
            icon="🗺️",
            query_params=territoires.carte_params(level, code, p.row["departement"]),
        )

    st.subheader(territoires.COMPARISON_HEADING)
    ui.report_html(panorama.comparison_table_html(p))

    st.subheader("Familles et secteurs d'activité")
    if p.row["structures"] == 0:
        st.info("Aucune structure de l'ESS recensée dans ce territoire.")
    else:
        ui.report_chart(*(panorama.family_chart_svg(p, w) for w in CHART_WIDTHS))
        ui.report_html(panorama.families_table_html(p))
        ui.report_chart(*(panorama.section_chart_svg(p, w) for w in CHART_WIDTHS))
        with st.expander("Détail par secteur d'activité"):
            ui.report_html(panorama.sections_table_html(p))

    st.subheader("Territoires voisins")
    if len(p.neighbours) > 1:
        ui.report_chart(
            *(
                panorama.neighbours_chart_svg(p, w, weight.RANKING_INDICATOR)
                for w in CHART_WIDTHS
            )
        )
        header, rows = panorama.indicator_rows(
            p.neighbours, territoires.NEIGHBOUR_COLUMNS
        )
        ui.report_html(
            panorama.table_html(
                header,
                rows,
                panorama.NEIGHBOURS_CAPTION,
                p.neighbours["selection"].tolist(),
            )
        )
    else:
        st.info("Aucun territoire limitrophe de même niveau.")

    st.subheader("Panorama territorial")
    st.markdown(
        "Deux pages A4 : carte, chiffres clés, comparaisons, familles, secteurs, "
        "voisins, méthode et sources."
    )
    pdf_column, html_column = st.columns(2)
    pdf_column.download_button(
        "Télécharger le panorama (PDF)",
        data=lambda: panorama_pdf.to_pdf(p),
        file_name=panorama.file_name(p, "pdf"),
        mime="application/pdf",
        on_click="ignore",
        type="primary",
        icon="📄",
        key=ui.TerritoiresKeys.PANORAMA_PDF,
    )
    html_column.download_button(
        "Version web (HTML)",
        data=lambda: panorama.to_html(p).encode("utf-8"),
        file_name=panorama.file_name(p, "html"),
        mime="text/html",
        on_click="ignore",
        icon="🌐",
        key=ui.TerritoiresKeys.PANORAMA_HTML,
    )

st.subheader(territoires.ranking_title(level, region, dep))
rankable = territoires.rankable(employment_table is not None)
ui.keep_if_among(K.BY, rankable, TerritoiresState.defaults().by)
by = st.selectbox(
    "Classer selon",
    rankable,
    key=K.BY,
    format_func=lambda key: INDICATORS[key].label,
)
state = state.replace(by=by)
ui.set_query_params(**state.to_query())
ui.remember_url(K.URL, controls(state))
ranked = ui.territory_ranking(level, by, region, dep)  # cached: never modified
if code and (sentence := territoires.rank_sentence(p.nom, ranked, code)):
    st.markdown(sentence)
st.caption(territoires.ranking_caption(len(ranked), level, employment_source))


@st.fragment
def ranking_table(ranked, by: str, on_demand: bool) -> None:
    """The ranking's table; below a territory, on demand (a switch, this fragment)."""
    if on_demand and not st.toggle(
        territoires.RANKING_TOGGLE, key=ui.TerritoiresKeys.SHOW_RANKING
    ):
        return
    ui.responsive_table(
        ranked,
        "classement",
        ["rang", "nom", by],
        hide_index=True,
        width="stretch",
        height=420,
        column_config=COLUMN_CONFIG,
        column_order=territoires.RANKING_SHOWN,
    )


ranking_table(ranked, by, bool(code))
stem = territoires.export_stem(level, region, dep)
csv_column, xlsx_column, geojson_column, gpkg_column = st.columns(4)
csv_column.download_button(
    "CSV (Excel)",
    data=lambda: exports.to_csv(ranked, decimals=4),
    file_name=f"{stem}.csv",
    mime="text/csv",
    on_click="ignore",
    help="UTF-8 avec BOM, séparateur « ; », virgule décimale : s'ouvre dans Excel.",
)
xlsx_column.download_button(
    "XLSX",
    data=lambda: exports.to_xlsx({"Classement": ranked}),
    file_name=f"{stem}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
)
geojson_column.download_button(
    "GeoJSON",
    data=lambda: exports.to_geojson(weight.ranking_layer(ranked, level)),
    file_name=f"{stem}.geojson",
    mime="application/geo+json",
    on_click="ignore",
)
gpkg_column.download_button(
    "GeoPackage (QGIS)",
    data=lambda: exports.to_geopackage(
        {"classement": weight.ranking_layer(ranked, level)}
    ),
    file_name=f"{stem}.gpkg",
    mime="application/geopackage+sqlite3",
    on_click="ignore",
)
