import pandas as pd
import pytest
from test_coverage import FIXTURE, HEADER

from ess_geo.analysis import coverage
from ess_geo.workspace import networks


@pytest.fixture
def fixture_networks(tmp_path):
    path = tmp_path / "reseaux.csv"
    path.write_text(HEADER + FIXTURE, encoding="utf-8")
    return networks.read_networks_csv(path)


@pytest.fixture
def inputs():
    actors = pd.DataFrame(
        {
            "code_commune": ["29019", "29019", "29075", "35236", "56239"],
            "famille": ["association"] * 3 + ["cooperative", "fondation"],
            "effectif": pd.array([12, None, 3, None, 10], dtype="Int64"),
            "tranche_effectif": [None, "11", None, "03", None],
        }
    )
    return coverage.ess_inputs(actors, "epci")


@pytest.mark.parametrize(
    "weights, region",
    [(None, None), ({"motrices": 3.0, "densite": 0.0}, None), (None, "53")],
)
def test_a_cached_frame_ranked_again_gives_the_same_gaps(
    fixture_networks, inputs, weights, region
):
    expected = coverage.gaps(
        *fixture_networks,
        None,
        "epci",
        inputs=inputs,
        weights=weights,
        region=region,
        min_employers=1,  # the five fixture actors: ranked, not all left out
    )
    frame = coverage.components(
        coverage.coverage(*fixture_networks, "epci"), inputs, "epci"
    )
    before = frame.copy()
    got = coverage.ranked_gaps(frame, "epci", weights, region, min_employers=1)
    assert got["rang"].notna().any()
    pd.testing.assert_frame_equal(got, expected)
    pd.testing.assert_frame_equal(frame, before)  # the shared frame is untouched
