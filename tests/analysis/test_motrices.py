import pandas as pd

from ess_geo.analysis import motrices
from ess_geo.analysis.coverage import LEAD_JOBS

BIG, LEAD = LEAD_JOBS + 70, LEAD_JOBS + 2  # jobs relative to the score's threshold


def actors_of(rows):
    frame = pd.DataFrame(
        rows,
        columns=["siret", "nom", "famille", "naf", "effectif", "tranche_effectif",
                 "code_commune", "commune"],
    )  # fmt: skip
    frame["effectif"] = frame["effectif"].astype("Int64")
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="id")
    return frame


def test_largest_employers_then_federated_structures_in_the_territory():
    actors = actors_of(
        [
            ("11111111100011", "Grande asso", "association", "88.10A", BIG, None,
             "29019", "Brest"),
            ("22222222200011", "ADMR du Ponant", "association", "88.10A", LEAD, None,
             "29019", "Brest"),
            ("33333333300011", "Zeste", "cooperative", "01.61Z", LEAD, None,
             "29075", "Guipavas"),
            ("44444444400011", "Petite asso", "association", "94.99Z", 3, None,
             "29019", "Brest"),
            ("55555555500011", "CUMA de l'Élorn", "cooperative", "01.61Z", 0, None,
             "29019", "Brest"),
            ("66666666600011", "Bande", "association", "93.12Z", None, "21",
             "29019", "Brest"),
            ("77777777700011", "Multi Brest", "association", "85.59A", 2, None,
             "29019", "Brest"),
            ("77777777700029", "Multi Rennes", "association", "85.59A", 2, None,
             "35238", "Rennes"),
            ("88888888800011", "Dehors", "association", "88.10A", 500, None,
             "35238", "Rennes"),
        ]
    )  # fmt: skip
    out = motrices.motrices(actors, "epci", "242900314")  # Brest Métropole
    assert out.columns.tolist() == list(motrices.MOTRICES_COLUMNS)
    assert out["nom"].tolist() == [
        "Grande asso",
        "Bande",
        "ADMR du Ponant",
        "Zeste",
        "Multi Brest",
        "CUMA de l'Élorn",
    ]
    assert out["rang"].tolist() == [1, 2, 3, 4, 5, 6]
    motifs = dict(zip(out["nom"], out["motif"], strict=True))
    assert motifs["Bande"] == "employeur de 74,5 emplois"  # band 21: 50 to 99
    assert motifs["ADMR du Ponant"] == (
        f"employeur de {LEAD} emplois ; structure d'un réseau fédéré (ADMR)"
    )
    assert motifs["Multi Brest"] == (
        "établissement d'une structure présente dans d'autres communes"
    )
    assert motifs["CUMA de l'Élorn"] == "structure d'un réseau fédéré (FNCUMA (CUMA))"
    assert len(motrices.motrices(actors, "epci", "242900314", limit=2)) == 2


def test_federation_of_needs_whole_words():
    assert motrices.federation_of("Scopitone") is None
    assert motrices.federation_of("Fédération des MJC") == "MJC"
    assert motrices.federation_of(None) is None
