"""Write the small official-format fixtures of tests/fixtures/sources/.

Each file imitates what a publisher serves (archive layout, file names,
column titles, separator, encoding, coordinate system), with a handful of
rows. See tests/fixtures/sources/README.md for what is known of each format
and where it was read. The PNR perimeters are cut from the embedded commune
polygons, so that the expected members are known exactly.

Usage::

    python scripts/make_source_fixtures.py
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import geopandas as gpd
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "sources"

# Embedded geography, imported here only (the script runs from the repo).
import sys  # noqa: E402

sys.path.insert(0, str(ROOT))
from ess_geo.geo import geography  # noqa: E402

LAMBERT93 = "EPSG:2154"


def _fixed_zip(path: Path, members: dict[str, bytes]) -> None:
    """A zip whose bytes do not depend on the day it is written."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 5, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)


def pnr_features() -> gpd.GeoDataFrame:
    """Three PNR features in Lambert-93, from real communes of the Morbihan.

    - FR8000051 (Golfe du Morbihan): Arradon and Arzon whole, and the part of
      Auray west of a north-south line through its centroid plus 300 m
      (a partly covered commune);
    - FR8000004 (Chartreuse): a 200 m square inside Sarzeau (no commune
      reaches half its area inside);
    - FR8000099: a code absent from pnr.csv (a square in Arzon).
    """
    communes = geography.load_layer("commune", "full").set_index("code")
    lam = communes.loc[["56003", "56005", "56007", "56240"]].to_crs(LAMBERT93)
    auray = lam.geometry["56007"]
    cut_x = auray.centroid.x + 300
    minx, miny, _maxx, maxy = auray.bounds
    west_auray = auray.intersection(shapely.box(minx - 1, miny - 1, cut_x, maxy + 1))
    golfe = shapely.union_all(
        [lam.geometry["56003"], lam.geometry["56005"], west_auray]
    )
    sarzeau = lam.geometry["56240"].representative_point()
    arzon = lam.geometry["56005"].representative_point()
    geoms = [
        golfe.simplify(5),
        sarzeau.buffer(100, cap_style="square"),
        arzon.buffer(100, cap_style="square"),
    ]
    return gpd.GeoDataFrame(
        {
            "ID_MNHN": ["FR8000051", "FR8000004", "FR8000099"],
            "NOM_SITE": ["Golfe du Morbihan", "Chartreuse", "Parc inconnu"],
        },
        geometry=[
            shapely.MultiPolygon([g]) if g.geom_type == "Polygon" else g for g in geoms
        ],
        crs=LAMBERT93,
    )


def write_pnr() -> None:
    """INPN pnr.zip (shapefile N_ENP_PNR_S_000, UTF-8) and a WFS GeoJSON answer."""
    features = pnr_features()
    with tempfile.TemporaryDirectory() as folder:
        shp = Path(folder) / "N_ENP_PNR_S_000.shp"
        features.to_file(
            shp, driver="ESRI Shapefile", encoding="UTF-8", engine="pyogrio"
        )
        members = {
            f"N_ENP_PNR_S_000{ext}": (
                Path(folder) / f"N_ENP_PNR_S_000{ext}"
            ).read_bytes()
            for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg")
        }
    _fixed_zip(OUT / "pnr_inpn.zip", members)

    # GeoServer (Géoplateforme WFS 2.0.0, outputFormat=application/json,
    # srsName=EPSG:2154): lower-case attribute names, a "crs" member.
    golfe = features.iloc[[0]]
    geometry = json.loads(golfe.to_json(to_wgs84=False))["features"][0]["geometry"]
    geometry["coordinates"] = json.loads(
        json.dumps(geometry["coordinates"]), parse_float=lambda v: round(float(v), 1)
    )
    answer = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "pnr.51",
                "geometry": geometry,
                "geometry_name": "the_geom",
                "properties": {"id_mnhn": "FR8000051", "nom_site": "Golfe du Morbihan"},
            }
        ],
        "totalFeatures": 1,
        "numberMatched": 1,
        "numberReturned": 1,
        "timeStamp": "2025-05-01T00:00:00.000Z",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},
    }
    (OUT / "pnr_wfs.geojson").write_text(json.dumps(answer), encoding="utf-8")


BANATIC_TITLES = {
    1: "Département siège",
    4: "N° SIREN",
    5: "Nom du groupement",
    6: "Nature juridique",
    47: "Siren membre",
    48: "Nom membre",
    49: "Catégorie des membres du groupement",
    53: "5500 - Schéma de cohérence territoriale (SCOT) (Art. L. 143-16 code de "
    "l'urbanisme)",
    54: "5510 - Plan local d'urbanisme et document d'urbanisme en tenant lieu "
    "(Art. L. 153-1 du code de l'urbanisme)",
}

# (département, SIREN, nom, nature, SIREN membre, nom membre, catégorie)
BANATIC_ROWS = [
    (
        "29 - Finistère",
        "242900314",
        "Brest Métropole",
        "METRO",
        "212900195",
        "Brest",
        "Commune",
    ),
    (
        "29 - Finistère",
        "200099999",
        "PETR  du Pays de Démonstration",
        "PETR",
        "242900314",
        "Brest Métropole",
        "Groupement",
    ),
    (
        "29 - Finistère",
        "200099999",
        "PETR  du Pays de Démonstration",
        "PETR",
        "200068120",
        "CA Quimper Bretagne Occidentale",
        "Groupement",
    ),
    (
        "29 - Finistère",
        "200099999",
        "PETR  du Pays de Démonstration",
        "PETR",
        "999999999",
        "CC disparue",
        "Groupement",
    ),
    (
        "22 - Côtes-d'Armor",
        "200099998",
        "Pôle d'équilibre territorial et rural B",
        "PETR",
        "200067932",
        "Golfe du Morbihan - Vannes Agglomération",
        "Groupement",
    ),
    (
        "56 - Morbihan",
        "255600000",
        "Syndicat de démonstration",
        "SIVU",
        "200067932",
        "Golfe du Morbihan - Vannes Agglomération",
        "Groupement",
    ),
]


def _inline_sheet(sheet) -> bytes:
    """The sheet's XML with every cell an inline string."""
    rows = []
    for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = "".join(
            f'<c r="{openpyxl.utils.get_column_letter(c)}{r}" t="inlineStr">'
            f"<is><t>{escape(str(value))}</t></is></c>"
            for c, value in enumerate(row, start=1)
            if value not in (None, "")
        )
        rows.append(f'<row r="{r}">{cells}</row>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{''.join(rows)}</sheetData></worksheet>"
    ).encode()


def write_banatic() -> None:
    """Current national export (XLSX) and a former V5 export (TSV, cp1252)."""
    book = openpyxl.Workbook()
    sheet = book.active
    width = max(BANATIC_TITLES)
    sheet.append([BANATIC_TITLES.get(i, f"(colonne {i})") for i in range(1, width + 1)])
    for dep, siren, nom, nature, membre, nom_membre, cat in BANATIC_ROWS:
        row = [""] * width
        row[0], row[3], row[4], row[5] = dep, siren, nom, nature
        row[46], row[47], row[48] = membre, nom_membre, cat
        row[52], row[53] = "OUI", "NON"
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    # The BANATIC workbook stores every value inline (no shared-string
    # table): rewrite the sheet that way, with fixed timestamps.
    with zipfile.ZipFile(buffer) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members["xl/worksheets/sheet1.xml"] = _inline_sheet(sheet)
    members.pop("xl/sharedStrings.xml", None)
    for name in ("[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
        text = members[name].decode()
        text = re.sub(r"<(Override|Relationship)[^>]*sharedStrings[^>]*/>", "", text)
        members[name] = text.encode()
    _fixed_zip(OUT / "banatic_france.xlsx", members)

    header = (
        "N° SIREN\tNom du groupement\tNature juridique\tSiren membre\t"
        "Nom membre\tType\t"
    )
    lines = [header]
    for _dep, siren, nom, nature, membre, nom_membre, cat in BANATIC_ROWS:
        lines.append(f"{siren}\t{nom}\t{nature}\t{membre}\t{nom_membre}\t{cat}\t")
    (OUT / "banatic_v5.txt").write_bytes("\r\n".join(lines).encode("cp1252") + b"\r\n")


def write_emploi() -> None:
    """INSEE base-cc-emploi-pop-active-2021_csv.zip (data and meta members)."""
    header = (
        "CODGEO;P21_POP1564;P21_ACT1564;P21_CHOM1564;P21_EMPLT;P21_EMPLT_SAL;P15_EMPLT"
    )
    rows = [
        "29019;95463.56;63219.47;7964.18;89123.91;80140.12;87002.33",
        "29232;39812.2;27119.8;2890.05;49520.77;44018.6;48377.1",
        "2A004;46001.33;31820.4;3003.9;42110.5;37120.9;40100.0",
        "75101;10212.1;7811.9;602.3;61234.8;55120.4;60001.7",
    ]
    data = "\n".join([header, *rows]) + "\n"
    meta = (
        "COD_VAR;LIB_VAR;LIB_VAR_LONG\n"
        "CODGEO;Code géographique;Code du département suivi du numéro de commune\n"
        "P21_EMPLT;Emplois au lieu de travail en 2021;"
        "Nombre d'emplois dans la zone en 2021\n"
    )
    _fixed_zip(
        OUT / "base-cc-emploi-pop-active-2021_csv.zip",
        {
            "base-cc-emploi-pop-active-2021.CSV": data.encode("utf-8"),
            "meta_base-cc-emploi-pop-active-2021.CSV": meta.encode("utf-8"),
        },
    )


UNITE_LEGALE_COLUMNS = [
    "siren",
    "statutDiffusionUniteLegale",
    "dateCreationUniteLegale",
    "denominationUniteLegale",
    "identifiantAssociationUniteLegale",
    "trancheEffectifsUniteLegale",
    "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale",
    "nicSiegeUniteLegale",
    "economieSocialeSolidaireUniteLegale",
    "societeMissionUniteLegale",
    "caractereEmployeurUniteLegale",
    "activitePrincipaleNAF25UniteLegale",
]
UNITE_LEGALE_ROWS = [
    [
        "000000001",
        "O",
        "2001-05-14",
        "ASSOCIATION DE DEMONSTRATION",
        "W291000001",
        "11",
        "9220",
        "88.99B",
        "00019",
        "O",
        "",
        "O",
        "",
    ],
    [
        "000000002",
        "O",
        "1998-02-02",
        "COOPERATIVE DE DEMONSTRATION",
        "",
        "12",
        "5560",
        "10.51A",
        "00027",
        "O",
        "",
        "O",
        "",
    ],
]


def write_sirene() -> None:
    """StockUniteLegale_utf8.zip (CSV) and StockUniteLegale_utf8.parquet."""
    lines = [",".join(UNITE_LEGALE_COLUMNS)]
    lines += [",".join(row) for row in UNITE_LEGALE_ROWS]
    _fixed_zip(
        OUT / "StockUniteLegale_utf8.zip",
        {"StockUniteLegale_utf8.csv": ("\n".join(lines) + "\n").encode("utf-8")},
    )
    table = pa.table(
        {
            c: [r[i] or None for r in UNITE_LEGALE_ROWS]
            for i, c in enumerate(UNITE_LEGALE_COLUMNS)
        }
    )
    pq.write_table(table, OUT / "StockUniteLegale_utf8.parquet")


def main() -> None:
    """Write every fixture."""
    OUT.mkdir(parents=True, exist_ok=True)
    write_pnr()
    write_banatic()
    write_emploi()
    write_sirene()
    for path in sorted(OUT.iterdir()):
        print(f"{path.name}: {path.stat().st_size} octets")


if __name__ == "__main__":
    main()
