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


def test_budget_for_five_territories_started_together():
    years = budget.simulate_budget(["A", "B", "C", "D", "E"])
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
    years = budget.simulate_budget(["A", "B"])
    totals = budget.budget_summary(years)
    assert totals == {
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
