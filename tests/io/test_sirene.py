import shutil
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ess_geo import actors
from ess_geo.errors import ImportFileError
from ess_geo.geo import geography
from ess_geo.io import imports, sirene
from ess_geo.workspace import loading, store

DATA = Path(__file__).resolve().parents[1] / "data" / "sirene"
ETAB = DATA / "StockEtablissement_utf8.csv"
UNITS = DATA / "StockUniteLegale_utf8.csv"


def read_all(source):
    chunks = list(source.chunks())
    frame = pd.concat([c.frame for c in chunks], ignore_index=True)
    return frame, sum(c.read for c in chunks), sum(c.ignored for c in chunks)


def as_parquet(csv: Path, folder: Path) -> Path:
    path = folder / csv.with_suffix(".parquet").name
    pd.read_csv(csv, dtype=str).to_parquet(path)
    return path


def as_zip(csv: Path, folder: Path) -> Path:
    path = folder / csv.with_suffix(".zip").name
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(csv, csv.name)
    return path


@pytest.fixture(params=["csv", "parquet", "zip"])
def stock(request, tmp_path):
    """The fixture pair in one of INSEE's formats, side by side in a folder."""
    if request.param == "csv":
        shutil.copy(ETAB, tmp_path)
        shutil.copy(UNITS, tmp_path)
        return tmp_path / ETAB.name
    convert = as_parquet if request.param == "parquet" else as_zip
    convert(UNITS, tmp_path)
    return convert(ETAB, tmp_path)


def test_stock_files_are_joined_filtered_and_shaped(stock):
    source = imports.open_source(stock)
    assert source.kind == "sirene"
    frame, read, ignored = read_all(source)
    assert (read, ignored) == (7, 2)  # one closed, one not ESS
    assert frame["siret"].tolist() == [
        "78120001900011",
        "78120001900037",
        "78120002700014",
        "78120003500017",
        "78120005000016",
    ]
    assert frame["line"].tolist() == [2, 4, 5, 6, 8]
    assert frame["nom"].tolist() == [
        "ASSOCIATION LES PETITS LOUPS – CRECHE DES LOUPIOTS",
        "ASSOCIATION LES PETITS LOUPS",
        "SCOP BOIS ET COMPAGNIE",
        "LA RECYCLERIE",
        "MUTUELLE DE L'OCEAN INDIEN",
    ]
    assert frame["adresse"].tolist()[0] == "12 rue DE SIAM"
    assert frame["adresse"].tolist()[2] == "5 boulevard VOLTAIRE"
    assert frame["categorie_juridique"].tolist() == [
        "9220",
        "9220",
        "5458",
        "5710",
        "8210",
    ]


def test_coordinates_come_back_to_wgs84_from_lambert_93_and_utm(stock):
    frame, _, _ = read_all(imports.open_source(stock))
    communes = geography.communes()
    brest, lyon, reunion = (
        communes.loc[c, ["lat", "lon"]].tolist() for c in ("29019", "69123", "97411")
    )
    assert frame.loc[0, ["latitude", "longitude"]].tolist() == pytest.approx(
        brest, abs=1e-5
    )
    assert frame.loc[3, ["latitude", "longitude"]].tolist() == pytest.approx(
        lyon, abs=1e-5
    )
    assert frame.loc[4, ["latitude", "longitude"]].tolist() == pytest.approx(
        reunion, abs=1e-5
    )
    assert np.isnan(frame.loc[2, "latitude"])  # [ND]


def test_importing_sirene_places_and_classifies_the_establishments(seeded, stock):
    report = loading.import_actors(seeded, imports.open_source(stock), who="test")
    assert (report.read, report.imported, report.ignored) == (7, 4, 2)
    assert report.rejected == [
        {
            "line": 4,
            "reason": "code commune « 99999 » inconnu (code INSEE à 5 caractères "
            "attendu, par exemple 29019)",
        }
    ]
    table = store.read_actors(seeded).set_index("siret")
    assert table["famille"].to_dict() == {
        "78120001900011": "association",
        "78120002700014": "cooperative",
        "78120003500017": "societe_commerciale",
        "78120005000016": "mutuelle",
    }
    assert table["code_commune"].tolist() == ["29019", "75056", "69123", "97411"]
    assert table["placement"].tolist() == [
        "coordonnees",
        "commune",
        "coordonnees",
        "coordonnees",
    ]
    jobs = actors.estimate_jobs(table["effectif"], table["tranche_effectif"])
    np.testing.assert_array_equal(jobs.to_numpy(), [14.5, 4.0, np.nan, 34.5])


def test_a_file_joining_both_stocks_needs_no_second_file(tmp_path):
    etab = pd.read_csv(ETAB, dtype=str)
    units = pd.read_csv(UNITS, dtype=str)
    joined = etab.merge(units[list(sirene.UNITE_LEGALE_COLUMNS)], on="siren")
    path = tmp_path / "extrait.csv"
    joined.to_csv(path, index=False)
    frame, read, ignored = read_all(imports.open_source(path))
    assert (read, ignored, len(frame)) == (7, 2, 5)


def test_establishments_without_their_units_are_refused_clearly(tmp_path):
    shutil.copy(ETAB, tmp_path)
    with pytest.raises(
        ImportFileError, match="il lui faut le fichier StockUniteLegale"
    ):
        imports.open_source(tmp_path / ETAB.name)


def test_the_units_file_alone_is_refused_clearly():
    with pytest.raises(ImportFileError, match="est un fichier StockUniteLegale"):
        imports.open_source(UNITS)


def test_units_given_explicitly_and_as_uploaded_bytes():
    source = imports.open_source(
        ETAB.read_bytes(), ETAB.name, unites_legales=UNITS.read_bytes()
    )
    frame, _, _ = read_all(source)
    assert len(frame) == 5


def test_a_folder_holding_both_files_is_enough(tmp_path):
    shutil.copy(ETAB, tmp_path)
    shutil.copy(UNITS, tmp_path)
    assert imports.open_source(tmp_path).name == ETAB.name


def test_read_ess_units_keeps_only_the_ess_flag():
    units = sirene.read_ess_units(UNITS)
    assert units.index.tolist() == ["781200019", "781200027", "781200035", "781200050"]


def test_parquet_with_numeric_columns_is_read(tmp_path):
    etab = pd.read_csv(ETAB, dtype=str)
    etab["coordonneeLambertAbscisseEtablissement"] = pd.to_numeric(
        etab["coordonneeLambertAbscisseEtablissement"], errors="coerce"
    )
    etab["coordonneeLambertOrdonneeEtablissement"] = pd.to_numeric(
        etab["coordonneeLambertOrdonneeEtablissement"], errors="coerce"
    )
    etab["siren"] = etab["siren"].astype("int64")
    etab.to_parquet(tmp_path / "StockEtablissement_utf8.parquet")
    shutil.copy(UNITS, tmp_path)
    frame, _, _ = read_all(
        imports.open_source(tmp_path / "StockEtablissement_utf8.parquet")
    )
    assert len(frame) == 5
    assert frame.loc[0, "latitude"] == pytest.approx(48.391693, abs=1e-5)


def test_sirene_columns_cannot_be_remapped():
    source = imports.open_source(ETAB, unites_legales=UNITS)
    with pytest.raises(ImportFileError, match="fixées par l'INSEE"):
        source.with_mapping({"nom": "siren"})


def test_looks_like_sirene_reads_the_header():
    assert sirene.looks_like_sirene(ETAB.read_bytes()[:2000])
    assert not sirene.looks_like_sirene(b"nom;siret;code_commune\n")
