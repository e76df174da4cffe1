"""Territoires: the weight of the ESS in a territory, compared, ranked, printed.

State in the URL: ``niveau`` (level), ``code`` (territory), ``region`` and
``dep`` (filters of the territory list and of the ranking), ``tri`` (the
ranking indicator). The Carte page links here with
``/territoires?niveau=epci&code=<SIREN>``.
"""

import streamlit as st

from ess_geo import formats, ui
from ess_geo.analysis import weight
from ess_geo.analysis.indicators import INDICATORS, Indicator
from ess_geo.geo import geography
from ess_geo.io import exports
from ess_geo.report import charts, panorama, panorama_pdf

LEVELS = list(geography.LEVELS)


def column_format(indicator: Indicator) -> str:
    """Streamlit's number format showing an indicator with its decimals."""
    if indicator.is_share:
        return "percent"
    return f"%.{indicator.decimals}f" if indicator.decimals else "localized"


COLUMN_CONFIG = {
    "rang": st.column_config.NumberColumn("Rang", help="1 = la valeur la plus haute"),
    "code": st.column_config.TextColumn("Code"),
    "nom": st.column_config.TextColumn("Territoire", width="large"),
    "nom_departement": st.column_config.TextColumn("Département"),
    "nom_region": st.column_config.TextColumn("Région"),
    **{
        key: st.column_config.NumberColumn(
            indicator.label, format=column_format(indicator)
        )
        for key, indicator in INDICATORS.items()
    },
}

st.title("Poids de l'ESS par territoire")

regions = geography.territory_names("region")
departements = geography.territories("departement")

with st.sidebar:
    level = st.selectbox(
        "Niveau",
        LEVELS,
        index=LEVELS.index(ui.query_choice("niveau", LEVELS, "epci")),
        format_func=geography.LEVEL_LABELS.get,
    )
    url_code = st.query_params.get("code", "")
    if url_code not in geography.territories(level).index:
        url_code = ""
    url_dep = ui.query_choice("dep", list(departements.index), "")
    if level == "commune" and url_code and not url_dep:
        url_dep = geography.communes().at[url_code, "departement"]
    url_region = ui.query_choice("region", list(regions.index), "")
    if url_dep and not url_region:
        url_region = departements.at[url_dep, "region"]

    region = ""
    if level != "region":
        region_options = ["", *regions.index]
        region = st.selectbox(
            "Région",
            region_options,
            index=region_options.index(url_region),
            format_func=lambda c: "Toute la France" if not c else regions[c],
            help="Restreint la liste des territoires et le classement.",
        )
    dep = ""
    if level not in ("region", "departement"):
        dep_names = geography.territory_names("departement", region=region or None)
        dep_options = ["", *dep_names.index]
        dep = st.selectbox(
            "Département",
            dep_options,
            index=dep_options.index(url_dep) if url_dep in dep_options else 0,
            format_func=lambda c: (
                "Tous les départements" if not c else f"{c} – {dep_names[c]}"
            ),
            help="Restreint la liste des territoires et le classement.",
        )
    if level == "commune" and not dep:
        names = geography.territories(level)["nom"].iloc[:0]
    else:
        names = geography.territory_names(
            level, region=region or None, departement=dep or None
        )
    options = ["", *names.index]
    code = st.selectbox(
        "Territoire",
        options,
        index=options.index(url_code) if url_code in options else 0,
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
employment_table, employment_source = ui.employment()
ui.set_query_params(
    niveau=level, code=code or None, region=region or None, dep=dep or None
)

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

    map_column, figures_column = st.columns([1, 1], gap="large")
    with map_column:
        st.image(p.map_svg, caption=panorama.map_caption(p), width="stretch")
    with figures_column:
        key_figures = panorama.key_figures(p)
        for first, second in zip(key_figures[::2], key_figures[1::2], strict=True):
            left, right = st.columns(2)
            left.metric(*first, border=True)
            right.metric(*second, border=True)
        if employment_table is None:
            st.caption(
                "Part dans l'emploi total non calculée : chargez dans la barre "
                "latérale le fichier INSEE des emplois au lieu de travail par "
                "commune (colonnes CODGEO et P21_EMPLT)."
            )
        if p.ranks:
            st.markdown(
                "**Rang** (emplois de l'ESS pour 1 000 habitants) : "
                + " ; ".join(p.ranks)
                + "."
            )
        carte_params = {"dep": p.row["departement"]} if level != "region" else {}
        if level == "epci":
            carte_params["epci"] = code
        st.page_link(
            "views/carte.py",
            label="Voir les acteurs sur la carte",
            icon="🗺️",
            query_params={k: v for k, v in carte_params.items() if isinstance(v, str)},
        )

    st.subheader("Comparaison avec le département, la région et la France")
    st.dataframe(panorama.comparison_frame(p), width="stretch")

    st.subheader("Familles et secteurs d'activité")
    if p.row["structures"] == 0:
        st.info("Aucune structure de l'ESS recensée dans ce territoire.")
    else:
        st.altair_chart(charts.family_chart(p.families), width="stretch")
        st.dataframe(panorama.families_frame(p), width="stretch")
        st.altair_chart(charts.section_chart(p.sections), width="stretch")
        with st.expander("Détail par secteur d'activité"):
            st.dataframe(panorama.sections_frame(p), width="stretch")

    st.subheader("Territoires voisins")
    if len(p.neighbours) > 1:
        st.altair_chart(
            charts.neighbours_chart(
                p.neighbours,
                weight.RANKING_INDICATOR,
                INDICATORS[weight.RANKING_INDICATOR].label,
            ),
            width="stretch",
        )
        st.dataframe(
            p.neighbours,
            hide_index=True,
            width="stretch",
            column_order=[
                "nom",
                "population",
                "structures",
                "emplois",
                "structures_10k_hab",
                "emplois_1000_hab",
                "indice_specificite",
                "part_emploi",
            ],
            column_config=COLUMN_CONFIG,
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

plural = geography.LEVEL_PLURALS[level]
scope = (
    f"du département {dep} – {departements.at[dep, 'nom']}"
    if dep
    else f"de la région {regions[region]}"
    if region
    else "de France"
)
st.subheader(f"Classement des {plural} {scope}")
rankable = [
    c for c in weight.RANKABLE if c != "part_emploi" or employment_table is not None
]
by = st.selectbox(
    "Classer selon",
    rankable,
    index=rankable.index(ui.query_choice("tri", rankable, weight.RANKING_INDICATOR)),
    format_func=lambda key: INDICATORS[key].label,
)
ui.set_query_params(tri=by if by != weight.RANKING_INDICATOR else None)
ranked = weight.ranking(
    ui.weight_table(level), by=by, region=region or None, departement=dep or None
)
position = ranked.loc[ranked["code"] == code, "rang"]
if code and len(position):
    st.markdown(
        f"**{p.nom}** : {formats.rank(position.iloc[0], len(ranked))} dans ce "
        "classement."
    )
st.caption(
    f"{formats.number(len(ranked))} {plural}. Cliquez sur un en-tête de colonne "
    "pour trier autrement. Rattachement au département et à la région : celui "
    "où vit la majorité de la population."
    + (
        " La part dans l'emploi total reste vide tant qu'aucun fichier INSEE "
        "d'emplois au lieu de travail n'est chargé (barre latérale)."
        if employment_table is None
        else f" Emploi total : {employment_source}."
    )
)
st.dataframe(
    ranked,
    hide_index=True,
    width="stretch",
    height=420,
    column_config=COLUMN_CONFIG,
    column_order=[
        c for c in weight.RANKING_COLUMNS if c not in ("departement", "region")
    ],
    key=ui.TerritoiresKeys.RANKING,
)
stem = f"classement-ess-{level}-{dep or region or 'france'}"
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
