"""HTML cards of the Annuaire: actors, networks and CRESS, escaped and accessible.

The result list is the Annuaire's main output and must work without the map
and with a screen reader: an ordered list whose items carry a heading (the
actor's rank and name) and a definition list of its details; links are real
links (``tel:``, ``mailto:``, web sites) with their destination in the text.

Every value that reaches the HTML is escaped here: names, addresses and
contacts come from imported files. Web sites are linked only when they are
http(s) URLs; anything else is shown as plain text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

import pandas as pd

from ess_geo import formats
from ess_geo.actors import FAMILY_LABELS, naf_label
from ess_geo.analysis.contacts import ESS_FRANCE, LocalContacts
from ess_geo.workspace.networks import KIND_LABELS, STATUS_LABELS

__all__ = [
    "CARD_STYLE",
    "actor_cards",
    "cress_card",
    "email_href",
    "linkify",
    "local_contacts",
    "network_card",
    "phone_href",
    "site_href",
]

CARD_STYLE = """<style>
.ess-cards{list-style:none;margin:0!important;padding:0!important}
.ess-card{border:1px solid rgba(128,128,128,.6);border-radius:.5rem;
padding:.75rem 1rem;margin:0 0 .75rem!important}
.ess-card h3,.ess-card h4{font-size:1.1rem;margin:0 0 .35rem;padding:0;
line-height:1.35}
.ess-card dl{display:grid;grid-template-columns:max-content 1fr;
gap:.15rem .75rem;margin:0!important;padding:0!important}
.ess-card dt{font-weight:600}
.ess-card dt,.ess-card dd{margin:0!important;padding:0!important}
.ess-card dd{overflow-wrap:anywhere}
.ess-card a{text-decoration:underline}
</style>"""
"""Styles of the cards: no colour of their own, so they follow the app's
theme (light or dark) and keep its contrast."""

_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}$")
_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:)]")


def phone_href(phone: object) -> str | None:
    """A ``tel:`` link for a French telephone number, or None.

    Parameters
    ----------
    phone : object
        A number as written (``"02 61 91 12 34"``, ``"+33 2 61 91 12 34"``).

    Returns
    -------
    str or None
        ``tel:+33…`` for ten-digit French numbers and international ones;
        None when the value is not a number.

    Examples
    --------
    >>> phone_href("02 61 91 12 34")
    'tel:+33261911234'
    >>> phone_href("n/a") is None
    True
    """
    if not isinstance(phone, str):
        return None
    digits = re.sub(r"[\s.\-()]", "", phone)
    if re.fullmatch(r"0[1-9]\d{8}", digits):
        return f"tel:+33{digits[1:]}"
    if re.fullmatch(r"\+\d{8,15}", digits):
        return f"tel:{digits}"
    return None


def site_href(url: object) -> str | None:
    """A link target for a web site, or None when it is not a web address.

    Parameters
    ----------
    url : object
        ``"https://example.org"``, or ``"www.example.org"`` (https is
        assumed).

    Returns
    -------
    str or None

    Examples
    --------
    >>> site_href("www.ess-bretagne.org")
    'https://www.ess-bretagne.org'
    >>> site_href("javascript:alert(1)") is None
    True
    """
    if not isinstance(url, str) or not url.strip():
        return None
    url = url.strip()
    if re.match(r"^https?://[^\s/]+\.[^\s]+$", url, flags=re.I):
        return url
    if re.match(r"^www\.[^\s/]+\.[^\s]+$", url, flags=re.I):
        return f"https://{url}"
    return None


def email_href(email: object) -> str | None:
    """A ``mailto:`` link for an e-mail address, or None.

    Examples
    --------
    >>> email_href("contact@example.org")
    'mailto:contact@example.org'
    """
    if isinstance(email, str) and _EMAIL.match(email.strip()):
        return f"mailto:{email.strip()}"
    return None


def _link(href: str | None, text: object) -> str:
    shown = html.escape(str(text))
    if href is None:
        return shown
    return f'<a href="{html.escape(href)}">{shown}</a>'


def _site_text(href: str) -> str:
    return re.sub(r"^https?://", "", href).rstrip("/")


def linkify(text: object) -> str:
    """Escape a text and turn the http(s) URLs in it into links.

    Examples
    --------
    >>> linkify("CNCRES 2011 (http://a.example/x) & co")
    'CNCRES 2011 (<a href="http://a.example/x">http://a.example/x</a>) &amp; co'
    """
    if not isinstance(text, str):
        return ""
    out, last = [], 0
    for match in _URL.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        out.append(_link(match.group(0), match.group(0)))
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def _present(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _details(items: list[tuple[str, str]]) -> str:
    rows = "".join(f"<dt>{html.escape(k)}</dt><dd>{v}</dd>" for k, v in items)
    return f"<dl>{rows}</dl>"


def _contact_items(row: Mapping) -> list[tuple[str, str]]:
    items = []
    if _present(row.get("site_web")):
        href = site_href(row["site_web"])
        items.append(
            ("Site", _link(href, _site_text(href) if href else row["site_web"]))
        )
    if _present(row.get("telephone")):
        items.append(
            ("Téléphone", _link(phone_href(row["telephone"]), row["telephone"]))
        )
    if _present(row.get("email")):
        items.append(("Courriel", _link(email_href(row["email"]), row["email"])))
    return items


def actor_cards(
    results: pd.DataFrame, *, start: int, memberships: Mapping | pd.Series
) -> str:
    """One page of results as an ordered list of cards.

    Parameters
    ----------
    results : pandas.DataFrame
        The page's actors, indexed by actor id, in order, with ``nom``,
        ``famille``, ``naf``, ``adresse``, ``code_postal``, ``nom_commune``
        (or ``commune``), ``distance_km``, ``site_web``, ``telephone``,
        ``email``.
    start : int
        Rank of the first row (1 for the first page).
    memberships : mapping or pandas.Series
        Actor id -> names of its networks.

    Returns
    -------
    str
        ``<ol>`` HTML, every value escaped; empty list items are never
        produced (an empty page gives an empty string).
    """
    if results.empty:
        return ""
    commune = results["nom_commune"] if "nom_commune" in results else results["commune"]
    activity = naf_label(results["naf"]).fillna(results["naf"])
    items = []
    for rank, (actor_id, row) in enumerate(results.iterrows(), start=start):
        details = [
            ("Distance", html.escape(formats.distance(float(row["distance_km"])))),
            (
                "Famille",
                html.escape(FAMILY_LABELS.get(row["famille"], str(row["famille"]))),
            ),
        ]
        if _present(activity.loc[actor_id]):
            details.append(("Activité", html.escape(activity.loc[actor_id])))
        address = " ".join(
            str(v)
            for v in (row.get("adresse"), row.get("code_postal"), commune.loc[actor_id])
            if _present(v)
        )
        if address:
            details.append(("Adresse", html.escape(address)))
        details += _contact_items(row)
        networks = memberships.get(actor_id, ())
        if networks:
            details.append(
                (
                    "Réseau" if len(networks) == 1 else "Réseaux",
                    html.escape(", ".join(networks)),
                )
            )
        items.append(
            f'<li class="ess-card"><h3>{rank}. {html.escape(str(row["nom"]))}</h3>'
            f"{_details(details)}</li>"
        )
    return f'<ol class="ess-cards" role="list" start="{start}">{"".join(items)}</ol>'


def network_card(network: Mapping, *, heading_level: int = 3) -> str:
    """A territorial network with what is known of its contact.

    Parameters
    ----------
    network : mapping
        A row of :attr:`ess_geo.analysis.contacts.NetworkTables.networks`, possibly
        with ``distance_km`` and ``commune_proche`` (from
        :func:`ess_geo.analysis.contacts.nearest`).
    heading_level : int, default 3

    Returns
    -------
    str
        An HTML card; "Contact non renseigné" when no contact is known, and
        always the source of the information.
    """
    h = f"h{heading_level}"
    details = [
        ("Type", html.escape(KIND_LABELS.get(network["kind"], str(network["kind"])))),
        (
            "Statut",
            html.escape(STATUS_LABELS.get(network["status"], str(network["status"]))),
        ),
    ]
    if _present(network.get("perimetre")):
        perimeter = str(network["perimetre"])
        if not network.get("perimetre_exact", True):
            perimeter += " (périmètre approximatif : déclaré à cette échelle)"
        details.append(("Périmètre", html.escape(perimeter)))
    if network.get("distance_km") is not None and not pd.isna(
        network.get("distance_km")
    ):
        where = f"{formats.distance(float(network['distance_km']))}"
        if _present(network.get("commune_proche")):
            where += (
                f" (commune la plus proche du réseau : {network['commune_proche']})"
            )
        details.append(("Distance", html.escape(where)))
    contacts = _contact_items(network)
    details += contacts or [("Contact", "non renseigné")]
    if _present(network.get("source")):
        details.append(("Source", linkify(network["source"])))
    return (
        f'<div class="ess-card"><{h}>{html.escape(str(network["nom"]))}</{h}>'
        f"{_details(details)}</div>"
    )


def cress_card(cress: Mapping, *, region_name: str, heading_level: int = 3) -> str:
    """The chambre régionale de l'ESS of a région, with its sources.

    Parameters
    ----------
    cress : mapping
        A row of :func:`ess_geo.analysis.contacts.read_cress` (``nom``, ``site_web``,
        ``email``, ``telephone``, ``statut``, ``confiance``, ``source``,
        ``note``).
    region_name : str
        The région's name.
    heading_level : int, default 3

    Returns
    -------
    str
        An HTML card. A CRESS that is not active says so.
    """
    h = f"h{heading_level}"
    details = [("Région", html.escape(region_name))]
    contacts = _contact_items(cress)
    if cress.get("statut") == "liquidee":
        details.append(("Statut", "En liquidation judiciaire"))
        contacts = [
            ("Ancien site" if label == "Site" else label, value)
            for label, value in contacts
        ]
    details += contacts or [("Contact", "non renseigné dans nos sources")]
    if _present(cress.get("note")):
        details.append(("Note", html.escape(cress["note"])))
    details.append(
        (
            "Source",
            f"{linkify(cress.get('source'))} (fiabilité : "
            f"{html.escape(str(cress.get('confiance')))})",
        )
    )
    return (
        f'<div class="ess-card"><{h}>{html.escape(str(cress["nom"]))}</{h}>'
        f"{_details(details)}</div>"
    )


def local_contacts(found: LocalContacts) -> str:
    """The "réseau ESS de mon territoire" section, below its heading.

    Parameters
    ----------
    found : LocalContacts
        From :func:`ess_geo.analysis.contacts.for_commune`.

    Returns
    -------
    str
        HTML: the networks covering the commune (or the nearest one, or a
        sentence saying there is none), then the région's CRESS, then ESS
        France when the CRESS has no known site or is closed.
    """
    name = html.escape(found.commune_name)
    parts = []
    count = len(found.covering)
    if count:
        verb = "Ce réseau couvre" if count == 1 else "Ces réseaux couvrent"
        pronoun = "le" if count == 1 else "les"
        parts.append(
            f"<p>{verb} {name} : contactez-{pronoun} pour connaître les acteurs "
            "et les projets de votre territoire.</p>"
        )
        parts += [network_card(row) for _, row in found.covering.iterrows()]
    elif len(found.nearest):
        parts.append(
            f"<p>Aucun réseau territorial de l'ESS recensé ne couvre {name}. "
            "Le plus proche :</p>"
        )
        parts.append(network_card(found.nearest.iloc[0]))
    else:
        parts.append(
            "<p>Aucun réseau territorial de l'ESS n'est recensé dans l'espace de "
            "travail.</p>"
        )
    parts.append(
        "<p>La chambre régionale de l'économie sociale et solidaire (CRESS) "
        "représente et accompagne les acteurs de la région :</p>"
    )
    if found.cress is None:
        parts.append(
            f"<p>Aucune CRESS n'est recensée pour la région "
            f"{html.escape(found.region_name)}.</p>"
        )
    else:
        parts.append(cress_card(found.cress, region_name=found.region_name))
    if found.national_fallback:
        site, role = ESS_FRANCE["site_web"], ESS_FRANCE["role"]
        parts.append(
            f"<p>{html.escape(role[0].upper() + role[1:])} : "
            f"<strong>{html.escape(ESS_FRANCE['nom'])}</strong>, "
            f"{_link(site, _site_text(site))}.</p>"
        )
    return "".join(parts)
