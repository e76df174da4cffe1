import io

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point

from ess_geo.io import exports


@pytest.fixture
def table():
    return pd.DataFrame(
        {
            "nom": ['=HYPERLINK("http://x")', "+33 1 00", "-2", "@SUM(A1)", "Amicale"],
            "emplois": [1.23456, -2.5, 0.0, 10.0, 3.0],
        }
    )


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_formula_prefixes_are_neutralised(value):
    out = exports.neutralise_formulas(pd.DataFrame({"a": [value]}))
    assert out.loc[0, "a"] == "'" + value


def test_numbers_and_plain_text_are_untouched(table):
    out = exports.neutralise_formulas(table)
    assert out["emplois"].tolist() == table["emplois"].tolist()
    assert out.loc[4, "nom"] == "Amicale"


def test_csv_is_utf8_bom_semicolon_comma_decimals(table):
    data = exports.to_csv(table, decimals=2)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "nom;emplois"
    assert lines[1] == '"\'=HYPERLINK(""http://x"")";1,23'
    assert lines[2] == "'+33 1 00;-2,5"


def test_xlsx_has_one_sheet_per_table_and_no_formula(table):
    data = exports.to_xlsx({"Classement": table, "Sources": pd.DataFrame({"x": [1]})})
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Classement", "Sources"]
    sheet = book["Classement"]
    assert sheet["A2"].value == '\'=HYPERLINK("http://x")'
    assert sheet["A2"].data_type == "s"
    assert sheet["B3"].value == -2.5


def test_geopackage_opens_with_gdal(tmp_path):
    layer = gpd.GeoDataFrame(
        {"code": ["29"], "nom": ["Finistère"]}, geometry=[Point(-4.1, 48.2)], crs=4326
    )
    data = exports.to_geopackage({"territoires": layer, "acteurs": layer.iloc[:0]})
    path = tmp_path / "x.gpkg"
    path.write_bytes(data)
    names = [name for name, _ in pyogrio.list_layers(path)]
    assert names == ["territoires", "acteurs"]
    back = gpd.read_file(path, layer="territoires")
    assert back.loc[0, "nom"] == "Finistère"
    assert back.crs.to_epsg() == 4326


def test_geojson_is_wgs84_utf8():
    layer = gpd.GeoDataFrame(
        {"nom": ["Côtes-d'Armor"]}, geometry=[Point(-2.8, 48.4)], crs=4326
    )
    data = exports.to_geojson(layer.to_crs(2154))
    assert "Côtes-d'Armor".encode() in data
    assert b'"coordinates": [-2.8' in data
