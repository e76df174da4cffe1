import numpy as np
import pandas as pd
import pytest

from ess_geo.io.validation import FileState, ValidationContext, validate

BREST = {"nom": "Atelier vélo", "famille": "association", "code_commune": "29019"}


def rows(*records, first_line=2):
    frame = pd.DataFrame(list(records), dtype="string")
    frame["line"] = range(first_line, first_line + len(frame))
    return frame


def reasons(result):
    return dict(zip(result.rejected["line"], result.rejected["reason"], strict=True))


def test_a_good_row_is_cleaned_typed_and_placed_at_its_commune_point():
    result = validate(
        rows(
            {
                **BREST,
                "siret": " 732 829 320 00074 ",
                "naf": "9499z",
                "effectif": "1 200",
                "code_postal": "29200",
                "email": "contact@atelier.example",
                "nom": "  Atelier   vélo\t",
            }
        )
    )
    assert result.rejected.empty
    row = result.rows.iloc[0]
    assert row["siret"] == "73282932000074"
    assert row["nom"] == "Atelier vélo"
    assert row["naf"] == "94.99Z"
    assert row["effectif"] == 1200
    assert row["code_commune"] == "29019"
    assert row["placement"] == "commune"
    assert row["latitude"] == pytest.approx(48.3917, abs=1e-3)
    assert row["line"] == 2


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("nom", "   ", "nom vide"),
        ("siret", "1234", "SIRET « 1234 » : 14 chiffres attendus (4 caractères lus)"),
        (
            "siret",
            "73282932000075",
            "SIRET « 73282932000075 » : clé de contrôle invalide (Luhn)",
        ),
        (
            "famille",
            "syndicat",
            "famille « syndicat » inconnue (attendu : association, coopérative, "
            "mutuelle, fondation, société commerciale de l'ESS)",
        ),
        (
            "naf",
            "88-91",
            "code NAF « 88-91 » invalide (forme 88.91A attendue)",
        ),
        (
            "effectif",
            "12,5",
            "effectif « 12,5 » : nombre entier de salariés attendu (0 si aucun)",
        ),
        (
            "effectif",
            "-3",
            "effectif « -3 » : nombre entier de salariés attendu (0 si aucun)",
        ),
        (
            "tranche_effectif",
            "99",
            "tranche d'effectif « 99 » inconnue (codes SIRENE NN, 00, 01 … 53)",
        ),
        ("code_postal", "2920", None),  # 4 digits: leading zero restored, fine
        ("code_postal", "29 200", "code postal « 29 200 » : 5 chiffres attendus"),
        ("email", "contact@", "courriel « contact@ » invalide"),
        (
            "code_commune",
            "99999",
            "code commune « 99999 » inconnu (code INSEE à 5 caractères attendu, "
            "par exemple 29019)",
        ),
    ],
)
def test_each_rule_rejects_with_a_french_reason(field, value, reason):
    result = validate(rows({**BREST, field: value}))
    if reason is None:
        assert result.rejected.empty
    else:
        assert reasons(result) == {2: reason}
        assert result.rows.empty


def test_every_problem_of_a_row_is_reported_together():
    result = validate(
        rows({"nom": "", "siret": "12", "famille": "x", "code_commune": "00000"})
    )
    reason = reasons(result)[2]
    assert reason.startswith("nom vide ; SIRET « 12 »")
    assert "famille « x » inconnue" in reason
    assert "code commune « 00000 » inconnu" in reason


def test_long_values_are_shortened_in_reasons():
    result = validate(rows({**BREST, "naf": "X" * 200}))
    assert "« " + "X" * 59 + "… »" in reasons(result)[2]


def test_famille_comes_from_the_categorie_juridique():
    result = validate(
        rows(
            {"nom": "A", "code_commune": "29019", "categorie_juridique": "9220"},
            {"nom": "B", "code_commune": "29019", "categorie_juridique": "5458"},
            {"nom": "C", "code_commune": "29019", "famille": "9300"},
            {"nom": "D", "code_commune": "29019", "famille": "Coopérative"},
        )
    )
    assert result.rejected.empty
    assert result.rows["famille"].tolist() == [
        "association",
        "cooperative",
        "fondation",
        "cooperative",
    ]
    assert result.rows["categorie_juridique"].tolist()[:3] == ["9220", "5458", "9300"]


def test_famille_that_cannot_be_determined_is_explained():
    result = validate(
        rows(
            {"nom": "A", "code_commune": "29019", "categorie_juridique": "5710"},
            {"nom": "B", "code_commune": "29019", "categorie_juridique": "1234"},
            {"nom": "C", "code_commune": "29019"},
            {"nom": "D", "code_commune": "29019", "categorie_juridique": "92A0"},
        )
    )
    found = reasons(result)
    assert found[2].startswith(
        "famille absente, et la catégorie juridique 5710 (SAS, société par actions "
        "simplifiée) ne la détermine pas"
    )
    assert found[3].startswith(
        "catégorie juridique « 1234 » inconnue de la nomenclature INSEE"
    )
    assert found[4] == (
        "famille absente : renseignez la famille ou la catégorie juridique"
    )
    assert found[5].startswith("catégorie juridique « 92A0 » : code INSEE à 4 chiffres")


def test_an_ess_unit_with_a_commercial_legal_form_is_a_societe_commerciale():
    result = validate(
        rows(
            {"nom": "SAS ESUS", "code_commune": "29019", "categorie_juridique": "5710"}
        ),
        ValidationContext(ess_unit=True),
    )
    assert result.rows["famille"].tolist() == ["societe_commerciale"]


def test_coordinates_place_the_actor_by_point_in_polygon():
    result = validate(
        rows(
            {
                "nom": "A",
                "famille": "association",
                "latitude": "47,996",
                "longitude": "-4.1024",
            }
        )
    )
    row = result.rows.iloc[0]
    assert (row["code_commune"], row["placement"]) == ("29232", "coordonnees")
    assert (row["latitude"], row["longitude"]) == (47.996, -4.1024)


def test_swapped_coordinates_are_detected_and_fixed_on_request():
    chunk = rows(
        {
            "nom": "A",
            "famille": "association",
            "latitude": "-4.4861",
            "longitude": "48.3904",
        }
    )
    refused = validate(chunk)
    assert refused.swapped == 1
    assert reasons(refused)[2].startswith(
        "latitude et longitude inversées (-4.4861, 48.3904) : corrigez le fichier"
    )
    fixed = validate(chunk, ValidationContext(fix_swapped=True))
    assert fixed.swapped == 1
    assert fixed.rejected.empty
    assert fixed.rows.iloc[0][["latitude", "longitude", "code_commune"]].tolist() == [
        48.3904,
        -4.4861,
        "29019",
    ]


@pytest.mark.parametrize(
    ("lat", "lon", "reason"),
    [
        (
            "40.42",
            "-3.70",
            "coordonnées (40.42, -3.7) hors de France (métropole et DROM)",
        ),
        ("abc", "2", "latitude « abc » : nombre attendu"),
        ("48.1", "", "latitude et longitude vont ensemble : une seule est renseignée"),
        (
            "47.28",
            "-5.1",
            "coordonnées hors de toute commune (en mer, ou à l'étranger près de la "
            "frontière ?)",
        ),
    ],
)
def test_bad_coordinates(lat, lon, reason):
    result = validate(
        rows({"nom": "A", "famille": "association", "latitude": lat, "longitude": lon})
    )
    assert reasons(result) == {2: reason}


def test_commune_code_far_from_the_coordinates_is_rejected():
    # Quimper: 49.57 km from Brest's boundary in Lambert-93 (checked with geopandas).
    far = {**BREST, "latitude": "47.996", "longitude": "-4.1024"}
    near = {**BREST, "latitude": "48.36", "longitude": "-4.56"}  # Plouzané, 3 km out
    result = validate(rows(far, near))
    assert reasons(result) == {
        2: "la commune 29019 (Brest) est à 49,6 km des coordonnées : l'un des deux "
        "est faux"
    }
    kept = result.rows.iloc[0]
    assert (kept["code_commune"], kept["placement"]) == ("29019", "coordonnees")


def test_postal_code_and_commune_name_place_the_actor():
    result = validate(
        rows(
            {
                "nom": "A",
                "famille": "association",
                "code_postal": "1000",
                "commune": "ST DENIS LES BOURG",
            },
            {
                "nom": "B",
                "famille": "association",
                "code_postal": "01000",
                "commune": "Lyon",
            },
            {"nom": "C", "famille": "association"},
        )
    )
    assert result.rows[
        ["code_commune", "placement", "code_postal"]
    ].values.tolist() == [["01344", "code_postal", "01000"]]
    found = reasons(result)
    assert found[3].startswith("commune « Lyon » introuvable pour le code postal 01000")
    assert found[4] == (
        "impossible de placer l'acteur : renseignez code_commune, ou latitude et "
        "longitude, ou code_postal et commune"
    )


def test_arrondissement_codes_are_translated():
    result = validate(rows({**BREST, "code_commune": "75111"}))
    assert result.rows["code_commune"].tolist() == ["75056"]


def test_duplicate_siret_in_the_file_across_chunks():
    state = FileState()
    first = validate(rows({**BREST, "siret": "73282932000074"}), state=state)
    second = validate(
        rows(
            {**BREST, "siret": "732 829 320 00074"},
            {**BREST, "siret": "35600000000001"},
            {**BREST, "siret": "35600000000001"},
            first_line=100_002,
        ),
        state=state,
    )
    assert first.rejected.empty
    assert reasons(second) == {
        100_002: "SIRET déjà présent ligne 2",
        100_004: "SIRET déjà présent ligne 100003",
    }


def test_networks_by_name_or_id():
    context = ValidationContext(
        networks=pd.DataFrame(
            {"id": [1, 7], "nom": ["Pôle ESS du Pays de Brest", "Cluster Éco"]}
        )
    )
    result = validate(
        rows(
            {**BREST, "reseaux": "pole ess du pays de BREST | 7"},
            {**BREST, "reseaux": "Inconnu|7"},
            {**BREST},
        ),
        context,
    )
    assert result.rows["reseaux"].iloc[0] == [1, 7]
    assert pd.isna(result.rows["reseaux"].iloc[1])
    assert reasons(result)[3].startswith("réseau(x) inconnu(s) : « Inconnu »")


def test_absent_columns_count_as_empty():
    result = validate(
        pd.DataFrame(
            {
                "nom": ["A"],
                "code_commune": ["29019"],
                "famille": ["fondation"],
                "line": [2],
            }
        )
    )
    assert result.rejected.empty
    assert not np.isnan(result.rows["latitude"].iloc[0])
