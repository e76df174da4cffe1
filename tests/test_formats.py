import numpy as np
import pandas as pd
import pytest

from ess_geo import formats


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, 0, "0"),
        (1234, 0, "1\u202f234"),
        (-1234.56, 1, "-1\u202f234,6"),
        (0.75, 2, "0,75"),
        (2.5, 2, "2,50"),
        (1234567, 0, "1\u202f234\u202f567"),
        (np.int64(66526267), 0, "66\u202f526\u202f267"),
        (None, 0, "—"),
        (None, 1, "—"),
        (np.nan, 1, "—"),
        (pd.NA, 0, "—"),
    ],
)
def test_number(value, decimals, expected):
    assert formats.number(value, decimals) == expected


def test_percent_and_rank():
    assert formats.percent(0.0005) == "0,1\xa0%"
    assert formats.percent(np.nan) == "—"
    assert formats.rank(pd.NA, 10) == "—"
    assert formats.rank(2, 1248) == "2e sur 1\u202f248"
