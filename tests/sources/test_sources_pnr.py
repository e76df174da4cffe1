import zipfile

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from conftest import SOURCE_FIXTURES, Route

from ess_geo.errors import SourceUnavailableError
from ess_geo.geo import geography
from ess_geo.sources import pnr

GOLFE_ROWS = [
    ["FR8000051", "56003", "Arradon", "classée_inpn"],
    ["FR8000051", "56005", "Arzon", "classée_inpn"],
    ["FR8000051", "56007", "Auray", "classée_inpn_partielle"],
]


@pytest.fixture(scope="module")
def communes_full():
    return geography.load_layer("commune", "full")


def squares(codes, boxes, crs="EPSG:2154"):
    return gpd.GeoDataFrame(
        {"code": codes, "nom": [f"Commune {c}" for c in codes]},
        geometry=[shapely.box(*b) for b in boxes],
        crs=crs,
    )


@pytest.mark.parametrize("name", ["pnr_inpn.zip", "pnr_wfs.geojson"])
def test_read_perimeters_reads_the_inpn_zip_and_the_wfs_geojson(name):
    parks = pnr.read_perimeters(SOURCE_FIXTURES / name)
    expected = (
        ["FR8000004", "FR8000051", "FR8000099"]
        if name.endswith(".zip")
        else ["FR8000051"]
    )
    assert parks["code"].tolist() == expected
    assert parks.set_index("code").at["FR8000051", "nom"] == "Golfe du Morbihan"
    assert parks.crs == "EPSG:4326"
    # Lambert-93 was reprojected: the Golfe lies around 2.9° W, 47.6° N.
    x, y = parks.set_index("code").geometry["FR8000051"].centroid.coords[0]
    assert -3.1 < x < -2.7 and 47.4 < y < 47.8


def test_read_perimeters_finds_shapefiles_in_a_subfolder_and_unites_features(
    tmp_path,
):
    layer = gpd.GeoDataFrame(
        {"ID_MNHN": ["FR8000051", "FR8000051", ""], "NOM_SITE": ["Golfe", "", "x"]},
        geometry=[
            shapely.box(0, 0, 1, 1),
            shapely.box(2, 0, 3, 1),
            shapely.box(5, 5, 6, 6),
        ],
        crs="EPSG:4326",
    )
    layer.to_file(tmp_path / "N_ENP_PNR_S_000.shp", engine="pyogrio")
    archive = tmp_path / "pnr.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for part in tmp_path.glob("N_ENP_PNR_S_000.*"):
            z.write(part, f"pnr/{part.name}")
    parks = pnr.read_perimeters(archive)
    assert parks["code"].tolist() == ["FR8000051"]
    assert parks.geometry.iloc[0].area == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"<!DOCTYPE html><html>Maintenance</html>",
            "ni une archive ZIP ni du GeoJSON",
        ),
        (b"PK\x03\x04 truncated", "archive ZIP illisible"),
        (b"", "ni une archive ZIP ni du GeoJSON"),
    ],
)
def test_read_perimeters_refuses_what_is_not_a_layer(tmp_path, content, message):
    path = tmp_path / "pnr.zip"
    path.write_bytes(content)
    with pytest.raises(SourceUnavailableError, match=message) as info:
        pnr.read_perimeters(path, origin="https://exemple.test/pnr.zip")
    assert "https://exemple.test/pnr.zip" in str(info.value)


def test_read_perimeters_refuses_a_zip_without_shapefile(tmp_path):
    path = tmp_path / "pnr.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("LISEZMOI.txt", "rien")
    with pytest.raises(SourceUnavailableError, match="aucun shapefile"):
        pnr.read_perimeters(path)


def test_read_perimeters_names_the_attributes_found_when_id_mnhn_is_missing(tmp_path):
    path = tmp_path / "autre.geojson"
    gpd.GeoDataFrame(
        {"CODE": ["X"], "NOM": ["Y"]}, geometry=[shapely.box(0, 0, 1, 1)], crs=4326
    ).to_file(path, driver="GeoJSON", engine="pyogrio")
    with pytest.raises(SourceUnavailableError, match=r"ID_MNHN absent.*CODE, NOM"):
        pnr.read_perimeters(path)


def test_member_communes_keeps_communes_half_inside_and_flags_partial_ones():
    # Four 1 km squares; the park covers A whole, 60 % of B, 30 % of C, none of D.
    towns = squares(
        ["11111", "22222", "33333", "44444"],
        [
            (700_000, 6_600_000, 701_000, 6_601_000),
            (701_000, 6_600_000, 702_000, 6_601_000),
            (702_000, 6_600_000, 703_000, 6_601_000),
            (703_000, 6_600_000, 704_000, 6_601_000),
        ],
    )
    parks = squares(["FR8000001"], [(699_000, 6_599_000, 701_600, 6_602_000)])
    parks.loc[0, "geometry"] = shapely.union(
        parks.geometry[0], shapely.box(702_000, 6_600_000, 702_300, 6_601_000)
    )
    rows = pnr.member_communes(parks, towns)
    assert rows[pnr.COLUMNS].values.tolist() == [
        ["FR8000001", "11111", "Commune 11111", "classée_inpn"],
        ["FR8000001", "22222", "Commune 22222", "classée_inpn_partielle"],
    ]
    assert rows["part"].tolist() == pytest.approx([1.0, 0.6], abs=1e-3)
    lower = pnr.member_communes(parks, towns, min_share=0.25)
    assert lower["commune_insee"].tolist() == ["11111", "22222", "33333"]


def test_member_communes_lets_a_commune_belong_to_two_overlapping_parks():
    towns = squares(["11111"], [(700_000, 6_600_000, 701_000, 6_601_000)])
    parks = squares(
        ["FR8000004", "FR8000031"],
        [
            (699_000, 6_599_000, 702_000, 6_602_000),
            (700_000, 6_600_000, 701_000, 6_601_000),
        ],
    )
    rows = pnr.member_communes(parks, towns)
    assert rows[["pnr_code", "commune_insee"]].values.tolist() == [
        ["FR8000004", "11111"],
        ["FR8000031", "11111"],
    ]


@pytest.mark.parametrize("share", [0, -0.1, 1.5])
def test_member_communes_refuses_a_share_outside_0_1(share):
    towns = squares(["11111"], [(0, 0, 1, 1)])
    with pytest.raises(ValueError, match="`min_share` was"):
        pnr.member_communes(towns.rename(columns={}), towns, min_share=share)


def test_refresh_writes_the_members_of_the_inpn_fixture_exactly(
    source_server, tmp_path, communes_full
):
    url = source_server.serve_fixture("pnr_inpn.zip")
    out = tmp_path / "pnr_communes.csv"
    known = set(geography.territories("pnr").index)
    result = pnr.refresh_pnr_communes(
        out, communes=communes_full, known_codes=known, url=url
    )
    table = pd.read_csv(out, dtype=str)
    assert table.columns.tolist() == pnr.COLUMNS
    assert table.values.tolist() == GOLFE_ROWS
    assert (result.parks, result.communes, result.partial) == (1, 3, 1)
    assert result.unknown == ["FR8000099"]
    assert result.without_commune == ["FR8000004"]


def test_refresh_keeps_existing_rows_of_parks_absent_from_the_download(
    source_server, tmp_path, communes_full
):
    url = source_server.serve_fixture("pnr_wfs.geojson")
    out = tmp_path / "pnr_communes.csv"
    out.write_text(
        "pnr_code,commune_insee,commune_nom,flag\n"
        "FR8000005,29083,Île-de-Sein,partiel_sourcé\n"
        "FR8000051,56260,Vannes,classée_2014\n"
    )
    result = pnr.refresh_pnr_communes(
        out, communes=communes_full, known_codes={"FR8000005", "FR8000051"}, url=url
    )
    assert pd.read_csv(out, dtype=str).values.tolist() == [
        ["FR8000005", "29083", "Île-de-Sein", "partiel_sourcé"],
        *GOLFE_ROWS,
    ]
    assert result.kept == ["FR8000005"]


def test_refresh_offline_leaves_the_table_untouched(
    offline_url, tmp_path, communes_full
):
    out = tmp_path / "pnr_communes.csv"
    out.write_bytes(
        b"pnr_code,commune_insee,commune_nom,flag\nFR8000051,56003,Arradon,x\n"
    )
    before = out.read_bytes()
    with pytest.raises(SourceUnavailableError, match="hors ligne"):
        pnr.refresh_pnr_communes(
            out, communes=communes_full, known_codes={"FR8000051"}, url=offline_url
        )
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["pnr_communes.csv"]


def test_refresh_of_an_html_error_page_leaves_the_table_untouched(
    source_server, tmp_path, communes_full
):
    url = source_server.serve("/pnr.zip", Route(b"<html><body>Erreur</body></html>"))
    out = tmp_path / "pnr_communes.csv"
    out.write_text("avant\n")
    with pytest.raises(SourceUnavailableError, match="page d'erreur HTML"):
        pnr.refresh_pnr_communes(
            out, communes=communes_full, known_codes=set(), url=url
        )
    assert out.read_text() == "avant\n"
