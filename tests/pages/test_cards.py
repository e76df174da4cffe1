import re

import pandas as pd
import pytest

from ess_geo.analysis.contacts import LocalContacts
from ess_geo.pages import cards


@pytest.mark.parametrize(
    ("phone", "href"),
    [
        ("02 61 91 12 34", "tel:+33261911234"),
        ("02.61.91.12.34", "tel:+33261911234"),
        ("+33 2 61 91 12 34", "tel:+33261911234"),
        ("0261911234", "tel:+33261911234"),
        ("12 34", None),
        ("appelez-nous", None),
        (None, None),
    ],
)
def test_phone_href(phone, href):
    assert cards.phone_href(phone) == href


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("https://ess.example/a?b=1", "https://ess.example/a?b=1"),
        ("http://ess.example", "http://ess.example"),
        ("www.ess.example", "https://www.ess.example"),
        ("javascript:alert(1)", None),
        ("data:text/html,<b>x</b>", None),
        ("ess.example", None),
        ("", None),
        (float("nan"), None),
    ],
)
def test_site_href_links_only_web_addresses(url, href):
    assert cards.site_href(url) == href


def test_email_href():
    assert cards.email_href(" contact@ess.example ") == "mailto:contact@ess.example"
    assert cards.email_href("contact@") is None
    assert cards.email_href('a"@b.example') is None


def _results(**overrides):
    row = {
        "nom": "Crèche Les Tilleuls (fictif)",
        "famille": "association",
        "naf": "88.91A",
        "adresse": "3 rue des Tilleuls",
        "code_postal": "29200",
        "nom_commune": "Brest",
        "distance_km": 1.26,
        "site_web": "https://creche.example",
        "telephone": "02 61 91 12 34",
        "email": "contact@creche.example",
    }
    row.update(overrides)
    return pd.DataFrame([row], index=[42])


def test_actor_card_shows_every_detail_with_real_links():
    html = cards.actor_cards(
        _results(), start=21, memberships={42: ("Pôle A", "Pôle B")}
    )
    assert html.startswith('<ol class="ess-cards" role="list" start="21">')
    assert "<h3>21. Crèche Les Tilleuls (fictif)</h3>" in html
    for label, value in [
        ("Distance", "1,3 km"),
        ("Famille", "Association"),
        ("Activité", "Accueil de jeunes enfants"),
        ("Adresse", "3 rue des Tilleuls 29200 Brest"),
        ("Site", '<a href="https://creche.example">creche.example</a>'),
        ("Téléphone", '<a href="tel:+33261911234">02 61 91 12 34</a>'),
        (
            "Courriel",
            '<a href="mailto:contact@creche.example">contact@creche.example</a>',
        ),
        ("Réseaux", "Pôle A, Pôle B"),
    ]:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in html


def test_actor_card_escapes_what_comes_from_files():
    html = cards.actor_cards(
        _results(
            nom="<script>alert(1)</script>",
            adresse='1 rue "<b>"',
            site_web="javascript:alert(1)",
            telephone="<img src=x onerror=alert(1)>",
            email="<i>@x",
            naf="<svg>",
        ),
        start=1,
        memberships={42: ("<b>Réseau</b>",)},
    )
    assert "<script>" not in html and "<img" not in html and "<svg>" not in html
    assert "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:" in html and 'href="javascript' not in html
    assert "<dt>Réseau</dt><dd>&lt;b&gt;Réseau&lt;/b&gt;</dd>" in html


def test_actor_card_leaves_out_what_is_unknown():
    html = cards.actor_cards(
        _results(site_web=None, telephone=None, email=float("nan"), adresse=None),
        start=1,
        memberships={},
    )
    assert "Site" not in html and "Téléphone" not in html and "Courriel" not in html
    assert "Réseau" not in html
    assert "<dt>Adresse</dt><dd>29200 Brest</dd>" in html
    assert cards.actor_cards(_results().iloc[0:0], start=1, memberships={}) == ""


def test_network_card_says_when_no_contact_is_known_and_cites_its_source():
    network = {
        "nom": "Pôle ESS du Pays de Redon",
        "kind": "pole",
        "status": "inconnu",
        "perimetre": "pays Pays de Redon",
        "perimetre_exact": False,
        "source": "https://www.ajiter.fr/?x (2020) ; rtes.fr",
        "distance_km": 12.3,
        "commune_proche": "Redon",
    }
    html = cards.network_card(network)
    assert "<h3>Pôle ESS du Pays de Redon</h3>" in html
    assert "<dt>Type</dt><dd>Pôle ESS</dd>" in html
    assert "<dt>Statut</dt><dd>Inconnu</dd>" in html
    assert "périmètre approximatif" in html
    assert "<dt>Contact</dt><dd>non renseigné</dd>" in html
    assert "12 km (commune la plus proche du réseau : Redon)" in html
    link = '<a href="https://www.ajiter.fr/?x">https://www.ajiter.fr/?x</a>'
    assert f"{link} (2020) ; rtes.fr" in html


def test_cress_card_shows_status_contacts_and_reliability():
    html = cards.cress_card(
        {
            "nom": "CRESS Normandie",
            "site_web": "https://www.essnormandie.org",
            "email": None,
            "telephone": None,
            "statut": "liquidee",
            "confiance": "haute",
            "source": "https://mediatico.fr/x",
            "note": "Liquidée en 2025.",
        },
        region_name="Normandie",
    )
    assert "<dt>Statut</dt><dd>En liquidation judiciaire</dd>" in html
    assert (
        '<dt>Ancien site</dt><dd><a href="https://www.essnormandie.org">'
        "www.essnormandie.org</a>" in html
    )
    assert "(fiabilité : haute)" in html
    assert "Téléphone" not in html


def test_linkify_keeps_trailing_punctuation_out_of_links():
    html = cards.linkify("voir https://a.example/x. Puis <b>")
    assert (
        html
        == 'voir <a href="https://a.example/x">https://a.example/x</a>. Puis &lt;b&gt;'
    )
    assert re.search(r"&lt;b&gt;$", html)


def _local(covering=(), nearest=(), cress=None):
    columns = ["nom", "kind", "status", "perimetre", "source"]
    return LocalContacts(
        commune_name="Saint-<Malo>",
        covering=pd.DataFrame(list(covering), columns=columns),
        nearest=pd.DataFrame(list(nearest), columns=columns),
        region_name="Bretagne",
        cress=None if cress is None else pd.Series(cress),
    )


CRESS = {
    "nom": "CRESS Bretagne",
    "site_web": "https://www.ess-bretagne.org",
    "statut": "active",
    "confiance": "haute",
    "source": "https://s.example",
}


def test_local_contacts_lists_the_covering_networks():
    html = cards.local_contacts(
        _local(
            covering=[
                ("Pôle A", "pole", "actif", "pays X", "src"),
                ("Pôle B", "pole", "actif", "pays Y", "src"),
            ],
            cress=CRESS,
        )
    )
    assert "Ces réseaux couvrent Saint-&lt;Malo&gt; : contactez-les" in html
    assert html.index("<h3>Pôle A</h3>") < html.index("<h3>Pôle B</h3>")
    assert "<h3>CRESS Bretagne</h3>" in html
    assert "ESS France" not in html


def test_local_contacts_falls_back_on_the_nearest_network_and_ess_france():
    html = cards.local_contacts(
        _local(
            nearest=[("Pôle C", "pole", "inconnu", "pays Z", "src")],
            cress={**CRESS, "site_web": float("nan")},
        )
    )
    assert "ne couvre Saint-&lt;Malo&gt;. Le plus proche :</p>" in html
    assert "<h3>Pôle C</h3>" in html
    assert "<dt>Contact</dt><dd>non renseigné dans nos sources</dd>" in html
    assert (
        "<p>Tête de réseau nationale des CRESS : <strong>ESS France</strong>, "
        '<a href="https://www.ess-france.org">www.ess-france.org</a>.</p>' in html
    )


def test_local_contacts_without_any_network_or_cress():
    html = cards.local_contacts(_local())
    assert "Aucun réseau territorial de l'ESS n'est recensé" in html
    assert "Aucune CRESS n'est recensée pour la région Bretagne." in html
    assert "ESS France" in html
