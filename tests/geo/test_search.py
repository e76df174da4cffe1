import pytest

from ess_geo.geo.search import SEARCH_COLUMNS, normalise, search_territories


def first(query):
    result = search_territories(query, limit=1)
    return tuple(result.iloc[0][["niveau", "code"]]) if len(result) else None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Brest", ("commune", "29019")),
        ("BREST", ("commune", "29019")),
        ("finistère", ("departement", "29")),
        ("FINISTERE", ("departement", "29")),
        ("29", ("departement", "29")),
        ("2a", ("departement", "2A")),
        ("53", ("region", "53")),
        ("Bretagne", ("region", "53")),
        ("29019", ("commune", "29019")),
        ("242900314", ("epci", "242900314")),
        ("Brest Métropole", ("epci", "242900314")),
        ("brest metropole", ("epci", "242900314")),
        ("pays de brest", ("pays", "BZH-BREST")),
        ("BZH-BREST", ("pays", "BZH-BREST")),
        ("fr8000005", ("pnr", "FR8000005")),
        ("parc naturel régional d'Armorique", ("pnr", "FR8000005")),
        ("armorique", ("pnr", "FR8000005")),
        ("St-Malo", ("commune", "35288")),
        ("saint malo", ("commune", "35288")),
        ("29200", ("commune", "29019")),
        ("cc faucigny", ("epci", "200000172")),
    ],
)
def test_search_finds_territories_by_name_or_code(query, expected):
    assert first(query) == expected


def test_postal_code_lists_every_commune_it_serves():
    result = search_territories("29260")
    assert set(result["niveau"]) == {"commune"}
    assert len(result) >= 2
    assert all("code postal 29260" in label for label in result["libelle"])


def test_exact_name_comes_before_prefix_and_inner_word_matches():
    result = search_territories("brest", limit=10)
    codes = result["code"].tolist()
    assert codes[0] == "29019"  # Brest, exact
    # The pays and the EPCI whose name is "Brest" once their kind words are
    # set aside come next, wider first, before the names starting with brest.
    assert codes == ["29019", "BZH-BREST", "242900314", "27110", "70216", "03001"]


def test_homonyms_are_told_apart_by_their_departement():
    labels = search_territories("saint-denis", limit=10)["libelle"].tolist()
    assert "Saint-Denis — commune, Seine-Saint-Denis (93)" in labels
    assert "Saint-Denis — commune, La Réunion (974)" in labels


@pytest.mark.parametrize("query", ["", "   ", "zzzzqq", "<script>alert(1)</script>"])
def test_no_match_gives_an_empty_table_with_the_columns(query):
    result = search_territories(query)
    assert result.empty
    assert tuple(result.columns) == SEARCH_COLUMNS


def test_limit_caps_the_results():
    assert len(search_territories("saint", limit=3)) == 3


@pytest.mark.parametrize("limit", [0, -1, 2.5])
def test_bad_limit_is_refused(limit):
    with pytest.raises(ValueError, match="`limit` was"):
        search_territories("brest", limit=limit)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sainte-Anne-d'Auray", "sainte anne d auray"),
        ("Ste Anne d'Auray", "sainte anne d auray"),
        ("Communauté urbaine du Grand Reims", "cu du grand reims"),
        (
            "Communauté d'agglomération du Pays de Saint-Malo",
            "ca du pays de saint malo",
        ),
        ("Bonnœil", "bonnoeil"),
    ],
)
def test_normalise_makes_spellings_meet(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pnr armorique", ("pnr", "FR8000005")),
        ("PNR d'Armorique", ("pnr", "FR8000005")),
        ("parc armorique", ("pnr", "FR8000005")),
        ("armorique pnr", ("pnr", "FR8000005")),
        ("pnr du haut-jura", ("pnr", "FR8000015")),
        ("morlaix agglo", ("epci", "242900835")),
        ("agglo de morlaix", ("epci", "242900835")),
        ("ca morlaix", ("epci", "242900835")),
        ("communauté d'agglomération de Morlaix", ("epci", "242900835")),
        ("Morlaix Communauté", ("epci", "242900835")),
        ("communauté de communes de faucigny", ("epci", "200000172")),
        ("cc faucigny glieres", ("epci", "200000172")),
        ("faucigny cc", ("epci", "200000172")),
        ("metropole lyon", ("epci", "200046977")),
        ("lyon métropole", ("epci", "200046977")),
        ("cu brest", ("epci", "242900314")),
        ("brest metropole", ("epci", "242900314")),
        ("st-malo agglo", ("epci", "243500782")),
        ("agglo quimper", ("epci", "200068120")),
        ("pays morlaix", ("pays", "BZH-MORLAIX")),
        ("pays de brest", ("pays", "BZH-BREST")),
        ("petr argentan", ("pays", "200048643")),
        ("dept finistere", ("departement", "29")),
        ("region bretagne", ("region", "53")),
        ("Pays de la Loire", ("region", "52")),
    ],
)
def test_kind_words_and_synonyms_find_the_territory(query, expected):
    assert first(query) == expected


def test_a_commune_and_its_intercommunality_are_both_offered_with_their_level():
    labels = search_territories("morlaix", limit=4)["libelle"].tolist()
    assert labels == [
        "Morlaix — commune, Finistère (29)",
        "Pays de Morlaix — pays / PETR, Finistère",
        "Communauté d'agglomération Morlaix Communauté — EPCI, Finistère",
        "Plourin-lès-Morlaix — commune, Finistère (29)",
    ]
    metz = search_territories("metz", limit=2)["libelle"].tolist()
    assert metz == ["Metz — commune, Moselle (57)", "Metz Métropole — EPCI, Moselle"]


def test_a_kind_word_keeps_the_other_kinds_out():
    found = search_territories("agglo quimper")
    assert set(found["niveau"]) == {"epci"}
    assert found["code"].tolist()[:1] == ["200068120"]  # Quimper Bretagne Occ.
