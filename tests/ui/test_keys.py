"""Every session key follows one scheme and no two keys collide."""

import inspect

import pytest

from ess_geo.ui import keys

CLASSES = [getattr(keys, name) for name in keys.__all__]


def constants(cls) -> dict[str, str]:
    return {name: value for name, value in vars(cls).items() if name.isupper()}


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_a_key_is_the_page_then_the_attribute_in_lower_case(cls):
    page = cls.__name__.removesuffix("Keys").lower()
    assert constants(cls)
    for name, value in constants(cls).items():
        assert value == f"{page}.{name.lower()}"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_keys_built_from_a_value_start_with_the_page_and_method(cls):
    page = cls.__name__.removesuffix("Keys").lower()
    for name, method in inspect.getmembers(cls, inspect.isfunction):
        assert method("7") == f"{page}.{name}.7"


def test_no_two_keys_are_the_same():
    values = [value for cls in CLASSES for value in constants(cls).values()]
    assert len(values) == len(set(values))


def test_new_records_have_their_own_form():
    assert keys.DonneesKeys.actor_form(None) == "donnees.actor_form.new"
    assert keys.DonneesKeys.network_level(None) == "donnees.network_level.new"
    assert keys.AnnuaireKeys.commune("Sainte  Marie 35") == (
        "annuaire.commune.sainte_marie_35"
    )
