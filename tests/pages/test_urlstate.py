import dataclasses
from typing import ClassVar

import pytest

from ess_geo.pages.urlstate import PageState, QueryReader, format_param, ignored_notice


@pytest.mark.parametrize("value", ["²", "1e3", "abc", "", " ", "3.5", "٣", "0x1F"])
def test_integer_refuses_what_is_not_ascii_digits(value):
    q = QueryReader({"page": value})
    assert q.integer("page", 1, 1, 100) == 1
    assert q.ignored == ([f"page={value}"] if value.strip() else [])


def test_integer_keeps_bounds():
    q = QueryReader({"a": "7", "b": "0", "c": "101"})
    assert (q.integer("a", 1, 1, 100), q.integer("b", 1, 1, 100)) == (7, 1)
    assert q.integer("c", 1, 1, 100) == 1
    assert q.ignored == ["b=0", "c=101"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0,75", 0.75), ("0.5", 0.5), ("1", 1.0), (".5", 0.5), ("1e309", 0.9)],
)
def test_number_reads_french_and_english_decimals_finite_only(value, expected):
    assert QueryReader({"seuil": value}).number("seuil", 0.9, 0, 2) == expected


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e309", "1/2", "²"])
def test_number_ignores_non_finite_and_garbage(value):
    q = QueryReader({"poids": value})
    assert q.number("poids", 1.0, 0, 10) == 1.0
    assert q.ignored == [f"poids={value}"]


def test_choices_keep_allowed_order_and_report_unknown_ones():
    q = QueryReader({"famille": "mutuelle,xyz,association,mutuelle"})
    assert q.choices("famille", ("association", "mutuelle")) == (
        "association",
        "mutuelle",
    )
    assert q.ignored == ["famille=xyz"]


def test_repeated_parameter_counts_its_first_value():
    assert QueryReader({"niveau": ["pays", "epci"]}).text("niveau") == "pays"


def test_ignored_notice_is_french_and_none_when_nothing_was_ignored():
    assert ignored_notice([]) is None
    assert ignored_notice(["niveau=x"]) == (
        "Paramètres de l'adresse ignorés (valeur inconnue ou hors limites) : niveau=x."
    )


@dataclasses.dataclass(frozen=True)
class _Example(PageState):
    PARAMS: ClassVar = {"level": "niveau", "threshold": "seuil", "kinds": "type"}
    level: str = "epci"
    threshold: float = 0.9
    kinds: tuple[str, ...] = ()
    selected: str | None = None  # not in the URL


def test_to_query_writes_only_what_differs_from_the_defaults():
    assert _Example().to_query() == {"niveau": None, "seuil": None, "type": None}
    state = _Example().replace(threshold=0.5, kinds=("pole", "cluster"), selected="x")
    assert state.to_query() == {"niveau": None, "seuil": "0.5", "type": "pole,cluster"}


def test_format_param():
    assert format_param(0.1 + 0.2) == "0.30000000000000004"
    assert [format_param(v) for v in (1.0, 2.5, False, "x")] == ["1", "2.5", "non", "x"]
