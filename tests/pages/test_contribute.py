"""The proposal forms' texts, commune resolution and moderation diffs."""

import pytest

from ess_geo.errors import ProposalError
from ess_geo.pages import contribute


def test_labels_are_the_issue_s():
    assert (
        contribute.PROPOSE_ACTOR,
        contribute.REPORT_ERROR,
        contribute.PROPOSE_CONTACT,
        contribute.SEND,
        contribute.THANKS,
    ) == (
        "Proposer un acteur",
        "Signaler une erreur",
        "Proposer le contact de ce réseau",
        "Envoyer la proposition",
        "Merci : votre proposition sera examinée par l'équipe",
    )
    assert "effacé dès que l'équipe a pris sa décision" in contribute.RGPD_NOTICE


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Brest", "29019"),
        ("brest 29", "29019"),
        ("29200", "29019"),
        ("sainte marie 35", "35294"),
        ("29083", "29083"),
    ],
)
def test_a_typed_commune_becomes_its_code(typed, code):
    assert contribute.resolve_commune(typed) == code


def test_an_ambiguous_or_unknown_commune_says_how_to_be_precise():
    with pytest.raises(ProposalError) as caught:
        contribute.resolve_commune("sainte marie")
    assert str(caught.value) == (
        "Plusieurs communes correspondent à « sainte marie » (Sainte-Marie – "
        "La Réunion (974) ; Sainte-Marie – Martinique (972) ; Sainte-Marie – "
        "Ille-et-Vilaine (35)…) : ajoutez le numéro du département (« sainte "
        "marie 35 ») ou indiquez le code postal."
    )
    with pytest.raises(ProposalError, match="Aucune commune ne correspond à « brst »"):
        contribute.resolve_commune("brst")
    with pytest.raises(ProposalError, match="indiquez la commune"):
        contribute.resolve_commune("  ")


def test_a_correction_starts_from_the_actor_as_shown():
    start = contribute.correction_start(
        {"nom": "Crèche", "code_commune": "29019", "naf": "88.91A", "site_web": None}
    )
    assert start == {
        "nom": "Crèche",
        "commune": "Brest 29",
        "activite": "Accueil de jeunes enfants",
        "site_web": "",
    }


def test_the_diff_marks_what_a_correction_changes():
    diff = contribute.actor_diff(
        {
            "nom": "Crèche Bleue",
            "code_commune": "29019",
            "activite": None,
            "site_web": "https://creche.example",
            "commune": "Brest",
        },
        {"nom": "Crèche", "code_commune": "29019", "naf": "88.91A", "site_web": None},
    )
    assert diff.to_dict("records") == [
        {
            "Champ": "Nom",
            "Actuellement": "Crèche",
            "Proposé": "Crèche Bleue",
            "Change": "oui",
        },
        {
            "Champ": "Commune",
            "Actuellement": "Brest (29019)",
            "Proposé": "Brest (29019)",
            "Change": "",
        },
        {
            "Champ": "Activité",
            "Actuellement": "Accueil de jeunes enfants",
            "Proposé": "—",
            "Change": "oui",
        },
        {
            "Champ": "Site web",
            "Actuellement": "—",
            "Proposé": "https://creche.example",
            "Change": "oui",
        },
    ]
    new = contribute.actor_diff({"nom": "Café", "famille": "cooperative"}, None)
    assert new.to_dict("records") == [
        {"Champ": "Nom", "Proposé": "Café", "Change": "oui"},
        {"Champ": "Famille", "Proposé": "Coopérative", "Change": "oui"},
    ]


def test_the_network_diff():
    diff = contribute.network_diff(
        {"site_web": "https://pole.example", "email": None, "telephone": None},
        {"site_web": None, "email": "a@pole.example", "telephone": None},
    )
    assert diff.to_dict("records") == [
        {
            "Champ": "Site web",
            "Actuellement": "—",
            "Proposé": "https://pole.example",
            "Change": "oui",
        },
        {
            "Champ": "Courriel",
            "Actuellement": "a@pole.example",
            "Proposé": "—",
            "Change": "",
        },
        {"Champ": "Téléphone", "Actuellement": "—", "Proposé": "—", "Change": ""},
    ]
