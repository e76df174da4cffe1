import pytest

from ess_geo.analysis import budget
from ess_geo.analysis.budget import BudgetAssumptions
from ess_geo.errors import BudgetError


def test_budget_defaults_come_from_the_source_document():
    defaults = BudgetAssumptions()
    assert defaults.mobilisation_cost == 30_000
    assert defaults.animation_cost == 55_000
    assert defaults.mobilisation_years == 2
    assert set(budget.BUDGET_SOURCES) == set(budget.budget_defaults())
    assert "CNCRES" in budget.BUDGET_SOURCES["mobilisation_cost"]
    assert "Hypothèse" in budget.BUDGET_SOURCES["member_share"]


NO_MISSION = BudgetAssumptions(support_cost=0)


def test_budget_for_five_territories_started_together():
    years = budget.simulate_budget(["A", "B", "C", "D", "E"], NO_MISSION)
    assert years["annee"].tolist() == [1, 2, 3, 4, 5]
    assert years["territoires_en_mobilisation"].tolist() == [5, 5, 0, 0, 0]
    assert years["reseaux_en_animation"].tolist() == [0, 0, 5, 5, 5]
    assert years["cout_total"].tolist() == [150_000, 150_000, 275_000, 275_000, 275_000]
    assert years["cotisations"].tolist() == [0, 0, 27_500, 27_500, 27_500]
    assert years["financement_public"].sum() == 300_000 + 3 * 247_500


def test_budget_with_staggered_launches_and_edited_parameters():
    assumptions = BudgetAssumptions(
        mobilisation_cost=20_000,
        mobilisation_years=1,
        animation_cost=60_000,
        member_share=0.25,
        horizon_years=4,
        launches_per_year=2,
        support_cost=0,
    )
    assert budget.launch_years(3, assumptions) == [1, 1, 2]
    years = budget.simulate_budget(["A", "B", "C", "A"], assumptions)
    assert years["territoires_en_mobilisation"].tolist() == [2, 1, 0, 0]
    assert years["reseaux_en_animation"].tolist() == [0, 2, 3, 3]
    assert years["cout_total"].tolist() == [40_000, 140_000, 180_000, 180_000]
    assert years["financement_public"].tolist() == [40_000, 110_000, 135_000, 135_000]


def test_budget_of_no_territory_is_zero():
    years = budget.simulate_budget([])
    assert len(years) == 5
    assert years["cout_total"].sum() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("mobilisation_cost", -1, "Coût de la mobilisation"),
        ("member_share", 1.5, "0 à 100 %"),
        ("horizon_years", 0, "Horizon"),
        ("mobilisation_years", 11, "Durée de la mobilisation"),
        ("launches_per_year", -2, "Lancements par an"),
    ],
)
def test_budget_parameters_out_of_range_are_refused(field, value, message):
    with pytest.raises(BudgetError, match=message):
        BudgetAssumptions(**{field: value})


def test_budget_summary_and_display_table():
    years = budget.simulate_budget(["A", "B"], NO_MISSION)
    totals = budget.budget_summary(years)
    assert {k: totals[k] for k in list(totals)[:4]} == {
        "cout_total": 4 * 30_000 + 6 * 55_000,
        "cotisations": 6 * 5_500,
        "financement_public": 4 * 30_000 + 6 * 49_500,
        "financement_public_moyen": (4 * 30_000 + 6 * 49_500) / 5,
    }
    assert budget.display_budget(years)["Année"].tolist() == [
        f"Année {y}" for y in range(1, 6)
    ]
    table = budget.display_budget(years, total=True)
    assert table["Année"].tolist() == [f"Année {y}" for y in range(1, 6)] + ["Total"]
    assert table.iloc[-1]["Financement public (€)"] == totals["financement_public"]
    assert table["Territoires en mobilisation"].isna().tolist() == [False] * 5 + [True]


HAND = BudgetAssumptions(
    mobilisation_years=1,
    member_share=0.25,
    horizon_years=3,
    launches_per_year=2,
    feasibility_study=True,
    share_region=0.5,
    share_departement=0.25,
    share_epci=0.125,
    share_etat=0.125,
    share_autre=0.0,
)
HAND_REGIONS = {"A": "53", "B": "53", "C": "52"}


def test_budget_hand_computed_with_study_mission_and_funders():
    # A and B (Bretagne) start in year 1, C (Pays de la Loire) in year 2.
    years = budget.simulate_budget(["A", "B", "C"], HAND, regions=HAND_REGIONS)
    assert years["cout_etude"].tolist() == [50_000, 25_000, 0]
    assert years["cout_mobilisation"].tolist() == [60_000, 30_000, 0]
    assert years["cout_animation"].tolist() == [0, 110_000, 165_000]
    assert years["regions_appuyees"].tolist() == [1, 2, 2]
    assert years["cout_mission"].tolist() == [65_000, 130_000, 130_000]
    assert years["cout_total"].tolist() == [175_000, 295_000, 295_000]
    assert years["cotisations"].tolist() == [0, 27_500, 41_250]
    assert years["financement_public"].tolist() == [175_000, 267_500, 253_750]
    assert years["financement_region"].tolist() == [87_500, 133_750, 126_875]
    assert years["financement_departement"].tolist() == [43_750, 66_875, 63_437.5]
    assert years["financement_epci"].tolist() == [21_875, 33_437.5, 31_718.75]
    assert years["financement_etat"].tolist() == [21_875, 33_437.5, 31_718.75]
    assert years["financement_autre"].tolist() == [0, 0, 0]
    totals = budget.budget_summary(years)
    assert totals["cout_total"] == 765_000
    assert totals["financement_region"] == 348_125

    funders = budget.funder_table(years).set_index("Financeur")
    assert funders.loc["Région", "Total (€)"] == 348_125
    assert funders.loc["Cotisations des membres", "Année 3 (€)"] == 41_250
    assert funders.loc["Total", "Total (€)"] == 765_000


def test_territory_detail_and_totals():
    detail = budget.territory_detail(["A", "B", "C"], HAND, regions=HAND_REGIONS)
    c = detail[detail["code"] == "C"]
    assert c["phase"].tolist() == ["a_venir", "mobilisation", "animation"]
    assert c["cout_total"].tolist() == [0, 55_000, 55_000]
    totals = budget.territory_totals(detail).set_index("code")
    assert totals.loc["A", "cout_total"] == 25_000 + 30_000 + 2 * 55_000
    assert totals.loc["C", "annee_lancement"] == 2
    assert not totals["hors_fourchette"].any()


def test_a_network_budget_outside_30_to_300_keur_is_flagged():
    low = BudgetAssumptions(mobilisation_cost=20_000, horizon_years=3)
    totals = budget.territory_totals(budget.territory_detail(["A"], low))
    assert totals["hors_fourchette"].tolist() == [True]
    high = BudgetAssumptions(animation_cost=350_000, horizon_years=3)
    detail = budget.territory_detail(["A"], high)
    assert detail["hors_fourchette"].tolist() == [False, False, True]
    assert budget.out_of_range(300_000) is False
    assert budget.out_of_range(300_001) is True


def test_funder_shares_must_make_100_percent():
    with pytest.raises(BudgetError, match="fait 90 % : attendu 100 %"):
        BudgetAssumptions(share_region=0.43)


def test_budget_exports_hold_territories_detail_and_every_assumption():
    sheets = budget.budget_sheets(
        ["A", "C"],
        HAND,
        names={"A": "Pays A", "C": "Pays C"},
        regions=HAND_REGIONS,
        region_names={"53": "Bretagne", "52": "Pays de la Loire"},
    )
    assert list(sheets) == [
        "Territoires retenus",
        "Par année",
        "Par territoire",
        "Par financeur",
        "Hypothèses",
    ]
    retained = sheets["Territoires retenus"]
    assert retained["Territoire"].tolist() == ["Pays A", "Pays C"]
    assert retained["Région"].tolist() == ["Bretagne", "Pays de la Loire"]
    assert len(sheets["Par territoire"]) == 2 * 3
    hypotheses = sheets["Hypothèses"]
    assert len(hypotheses) == len(budget.budget_defaults()) == 14
    assert hypotheses["Source"].str.len().gt(20).all()
    row = hypotheses.set_index("Paramètre").loc[budget.BUDGET_LABELS["share_region"]]
    assert (row["Valeur"], row["Valeur par défaut"]) == ("50 %", "53 %")
    text = budget.budget_csv(sheets).decode("utf-8-sig")
    assert text.startswith("Territoires retenus\r\n")
    assert "\r\nHypothèses\r\n" in text
    assert "Pays C;Pays de la Loire;2;" in text
