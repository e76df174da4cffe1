import zipfile

import pytest
from conftest import SOURCE_FIXTURES

from ess_geo.errors import SourceUnavailableError
from ess_geo.sources import emploi

ARCHIVE = SOURCE_FIXTURES / "base-cc-emploi-pop-active-2021_csv.zip"
DATA = "base-cc-emploi-pop-active-2021.CSV"


def test_extract_employment_keeps_codgeo_and_the_latest_jobs_column():
    table = emploi.extract_employment(ARCHIVE)
    assert table.columns.tolist() == ["CODGEO", "P21_EMPLT"]
    assert table.values.tolist() == [
        ["29019", "89123.91"],
        ["29232", "49520.77"],
        ["2A004", "42110.5"],
        ["75101", "61234.8"],
    ]


def test_refresh_employment_writes_a_csv_the_weight_command_can_read(
    source_server, tmp_path
):
    url = source_server.serve_fixture(ARCHIVE.name)
    out = tmp_path / "emplois.csv"
    result = emploi.refresh_employment(out, url=url)
    assert out.read_text(encoding="utf-8") == (
        "CODGEO,P21_EMPLT\n"
        "29019,89123.91\n"
        "29232,49520.77\n"
        "2A004,42110.5\n"
        "75101,61234.8\n"
    )
    assert (result.communes, result.column) == (4, "P21_EMPLT")


def _archive(tmp_path, members):
    path = tmp_path / "base.zip"
    with zipfile.ZipFile(path, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    return path


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"autre.csv": "a;b\n"}, "aucun fichier base-cc-emploi-pop-active"),
        (
            {"base-cc-emploi-pop-active-2021.CSV": "CODGEO;P21_POP\n29019;1\n"},
            "colonnes CODGEO ou PAA_EMPLT absentes",
        ),
        (
            {"base-cc-emploi-pop-active-2021.CSV": "CODGEO;P21_EMPLT\n2901;1\n"},
            "code commune invalide « 2901 »",
        ),
        (
            {DATA: "CODGEO;P21_EMPLT\n29019;1\n29019;2\n"},
            "commune 29019 présente deux fois",
        ),
        (
            {
                "base-cc-emploi-pop-active-2021.CSV": "CODGEO;P21_EMPLT\n29019;1\n",
                "base-cc-emploi-pop-active-2020-ARM.CSV": "CODGEO;P20_EMPLT\n75101;1\n",
            },
            "millésimes différents",
        ),
    ],
)
def test_extract_employment_refuses_unexpected_archives(tmp_path, members, message):
    with pytest.raises(SourceUnavailableError, match=message):
        emploi.extract_employment(_archive(tmp_path, members))


def test_refresh_employment_of_a_non_zip_answer_writes_nothing(source_server, tmp_path):
    url = source_server.serve("/base.zip", b"<html>Erreur 500</html>")
    out = tmp_path / "emplois.csv"
    with pytest.raises(SourceUnavailableError, match="pas une archive ZIP"):
        emploi.refresh_employment(out, url=url)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
