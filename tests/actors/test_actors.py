import numpy as np
import pandas as pd
import pytest

from ess_geo import actors, paths
from ess_geo.errors import UnknownTerritoryError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("association", "association"),
        ("Association", "association"),
        ("ASSOCIATIONS", "association"),
        ("Coopérative", "cooperative"),
        ("cooperative", "cooperative"),
        ("COOPERATIVE", "cooperative"),
        ("Mutuelle", "mutuelle"),
        ("  fondation ", "fondation"),
        ("Société commerciale de l'ESS", "societe_commerciale"),
        ("societe_commerciale", "societe_commerciale"),
        ("Société commerciale", "societe_commerciale"),
        ("ESUS", "societe_commerciale"),
        ("syndicat", None),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_normalise_famille(value, expected):
    assert actors.normalise_famille(value) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("9220", "association"),
        ("9300", "fondation"),
        ("8210", "mutuelle"),
        ("5458", "cooperative"),
        ("6316", "cooperative"),
        ("5710", None),  # a SAS is not ESS by its legal form alone
        ("0000", None),
        ("1234", None),  # unknown code
        (9220, "association"),
        (None, None),
    ],
)
def test_famille_from_categorie_juridique(code, expected):
    assert actors.famille_from_categorie_juridique(code) == expected


@pytest.mark.parametrize(
    ("band", "jobs"),
    [
        ("NN", 0.0),
        ("00", 0.0),
        ("01", 1.5),
        ("02", 4.0),
        ("03", 7.5),
        ("11", 14.5),
        ("12", 34.5),
        ("21", 74.5),
        ("22", 149.5),
        ("31", 224.5),
        ("32", 374.5),
        ("41", 749.5),
        ("42", 1499.5),
        ("51", 3499.5),
        ("52", 7499.5),
        ("53", 10000.0),
    ],
)
def test_tranche_midpoint(band, jobs):
    assert actors.tranche_midpoint(band) == jobs


def test_tranche_midpoint_refuses_unknown_band():
    with pytest.raises(KeyError):
        actors.tranche_midpoint("99")


def test_estimate_jobs_prefers_exact_count_and_never_guesses_unknown():
    effectif = pd.Series([12, None, None, 0, None], dtype="Int64")
    tranche = pd.Series(["21", "12", None, "NN", "ZZ"])
    jobs = actors.estimate_jobs(effectif, tranche)
    assert jobs.iloc[:2].tolist() == [12.0, 34.5]
    assert np.isnan(jobs.iloc[2])
    assert jobs.iloc[3] == 0.0
    assert np.isnan(jobs.iloc[4])


@pytest.mark.parametrize(
    ("siret", "valid"),
    [
        ("73282932000074", True),  # a published example SIRET
        ("73282932000075", False),
        ("7328293200007", False),  # 13 digits
        ("7328293200007A", False),
        ("35600000049107", True),  # La Poste: digit sum multiple of 5
        ("35600000000048", False),
    ],
)
def test_siret_valid(siret, valid):
    assert actors.siret_valid(siret) is valid


def test_luhn_valid_on_siren():
    assert actors.luhn_valid("732829320")
    assert not actors.luhn_valid("732829321")
    assert not actors.luhn_valid("")


def test_naf_section_from_division():
    codes = pd.Series(["88.91A", "0111Z", "94.99Z", "35.11Z", None, "ab"])
    assert actors.naf_section(codes).tolist()[:4] == ["Q", "A", "S", "D"]
    assert actors.naf_section(codes).iloc[4:].isna().all()


def test_naf_label_accepts_dotted_and_plain_codes():
    labels = actors.naf_label(pd.Series(["88.91A", "8891A", "88.91a", "00.00Z"]))
    assert labels.iloc[:3].tolist() == ["Accueil de jeunes enfants"] * 3
    assert pd.isna(labels.iloc[3])


def test_naf_reference_is_complete():
    table = pd.read_csv(paths.REFERENCE_DIR / "naf_rev2.csv", dtype=str)
    assert len(table) == 732
    assert table["code"].str.fullmatch(r"\d{2}\.\d{2}[A-Z]").all()
    assert (actors.naf_section(table["code"]) == table["section"]).all()
    assert len(actors.naf_sections()) == 21


def test_in_territory_selects_by_commune_membership():
    frame = pd.DataFrame(
        {"nom": ["a", "b", "c"], "code_commune": ["29019", "35238", "29232"]}
    )
    assert actors.in_territory(frame, "departement", "29")["nom"].tolist() == [
        "a",
        "c",
    ]
    assert actors.in_territory(frame, "pays", "BZH-BREST")["nom"].tolist() == ["a"]
    with pytest.raises(UnknownTerritoryError):
        actors.in_territory(frame, "epci", "000000000")


def test_display_table_uses_labels_and_french_headers():
    frame = pd.DataFrame(
        {
            "nom": ["Crèche"],
            "famille": ["cooperative"],
            "naf": ["88.91A"],
            "nom_commune": ["Brest"],
        }
    )
    table = actors.display_table(frame)
    assert table.to_dict("records") == [
        {
            "Nom": "Crèche",
            "Famille": "Coopérative",
            "Activité": "Accueil de jeunes enfants",
            "Commune": "Brest",
        }
    ]
