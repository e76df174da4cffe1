"""Issue 15: a forged browser position is ignored, never a traceback."""

import pytest

from ess_geo.ui import geolocation


@pytest.mark.parametrize(
    "position",
    [
        "abc",
        [],
        {"lat": "abc", "lon": 2},
        {"lat": 48.4},
        {"lat": float("nan"), "lon": 2.0},
        {"lat": "1e309", "lon": 2.0},
        {"lat": 91.0, "lon": 2.0},
        {"lat": 48.4, "lon": 2.0, "accuracy": "x"},
        {"lat": None, "lon": None},
    ],
)
def test_issue15_forged_positions_are_refused(position):
    assert geolocation._checked_position(position) is None


def test_issue15_a_real_position_is_kept_as_floats():
    checked = geolocation._checked_position(
        {"lat": "48.39", "lon": -4.49, "accuracy": 12}
    )
    assert checked == {"lat": 48.39, "lon": -4.49, "accuracy": 12.0}
