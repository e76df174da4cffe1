"""Details a person reads on the Carte: actor and network cards, tables.

Cards are lists of (label, value) pairs in plain text, empty fields left
out; the page escapes them where it shows them. Tables have French headers
and sort names the French way.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlparse

import pandas as pd

from ess_geo.actors import FAMILY_LABELS, TRANCHES_EFFECTIF, display_table, naf_label
from ess_geo.analysis.filters import SIZE_CLASSES
from ess_geo.analysis.indicators import INDICATORS
from ess_geo.maps.mapview import Scene
from ess_geo.text import fold
from ess_geo.workspace.networks import KIND_LABELS, STATUS_LABELS

__all__ = [
    "actor_card",
    "actor_networks",
    "actor_table",
    "listing_table",
    "network_card",
]

_LISTED = ("population", "structures", "employeurs", "emplois")
"""Counts every territory table shows, before the map's indicator."""


def listing_table(scene: Scene) -> pd.DataFrame:
    """The scene's territories as a table for people (French headers).

    Returns
    -------
    pandas.DataFrame
        Code, Territoire, population, structures, employeurs and emplois
        under their short labels, then the scene's indicator under its label
        (:data:`ess_geo.analysis.indicators.INDICATORS`), sorted by name.
    """
    rows = scene.listing
    # Short labels for the counts, the full label for the map's indicator;
    # one more decimal than on screen, as the table is sorted and exported.
    shown = {INDICATORS[key].short_label: INDICATORS[key] for key in _LISTED}
    if scene.indicator.key not in _LISTED:
        shown[scene.indicator.label] = scene.indicator
    out = pd.DataFrame(
        {
            "Code": rows["code"],
            "Territoire": rows["nom"],
            **{
                # Counts (estimated jobs too) in whole numbers.
                header: rows[indicator.key].round(
                    indicator.decimals + 1 if indicator.decimals else 0
                )
                for header, indicator in shown.items()
            },
        }
    )
    return out.sort_values("Territoire", key=lambda s: s.map(fold)).reset_index(
        drop=True
    )


def actor_table(actors: pd.DataFrame) -> pd.DataFrame:
    """Actors as a table for people: nom, famille, activité, commune, taille.

    Parameters
    ----------
    actors : pandas.DataFrame
        Prepared actors (:func:`ess_geo.analysis.filters.prepare`), in display order.

    Returns
    -------
    pandas.DataFrame
        :func:`ess_geo.actors.display_table` plus ``Taille``; one row per
        actor, in the same order.
    """
    table = display_table(actors)
    table["Taille"] = actors["taille"].map(SIZE_CLASSES).to_numpy()
    return table


def _jobs_text(actor: pd.Series) -> str | None:
    if pd.notna(actor.get("effectif")):
        count = int(actor["effectif"])
        return f"{count} salarié{'s' if count > 1 else ''}"
    band = actor.get("tranche_effectif")
    if isinstance(band, str) and band in TRANCHES_EFFECTIF:
        return TRANCHES_EFFECTIF[band][0] + " (tranche SIRENE)"
    return None


def actor_networks(
    actor_id: int, members: pd.DataFrame, names: Mapping[str, str]
) -> list[str]:
    """Names of the networks an actor belongs to, in membership order.

    Parameters
    ----------
    actor_id : int
    members : pandas.DataFrame
        ``network_id``, ``actor_id``.
    names : mapping
        Network id (as a string) -> name.

    Returns
    -------
    list of str
    """
    ids = members.loc[members["actor_id"] == actor_id, "network_id"]
    return [names[str(i)] for i in ids if str(i) in names]


def actor_card(
    actor: pd.Series, network_names: list[str] | None = None
) -> list[tuple[str, str]]:
    """What an actor's card shows, as (label, value) pairs, raw text.

    Parameters
    ----------
    actor : pandas.Series
        One row of the actor table (``nom``, ``famille``, ``naf``…).
    network_names : list of str, optional
        Names of the networks it belongs to.

    Returns
    -------
    list of (str, str)
        Empty fields are left out. ``Site web`` appears only for an http(s)
        address. Values are not escaped: escape them where they are shown.
    """
    activity = naf_label(pd.Series([actor.get("naf")])).iloc[0]
    naf = actor.get("naf")
    address = " ".join(
        str(v)
        for v in (actor.get("adresse"), actor.get("code_postal"))
        if isinstance(v, str) and v.strip()
    )
    commune = actor.get("nom_commune") or actor.get("commune")
    website = actor.get("site_web")
    if not (isinstance(website, str) and urlparse(website).scheme in ("http", "https")):
        website = None
    fields = [
        ("Famille", FAMILY_LABELS.get(actor.get("famille"), actor.get("famille"))),
        (
            "Activité",
            f"{activity} ({naf})" if isinstance(activity, str) else naf,
        ),
        ("Effectif", _jobs_text(actor)),
        ("Adresse", " ".join(p for p in (address, commune) if isinstance(p, str))),
        ("SIRET", actor.get("siret")),
        ("Téléphone", actor.get("telephone")),
        ("Courriel", actor.get("email")),
        ("Site web", website),
        ("Réseaux", " ; ".join(network_names) if network_names else None),
    ]
    return [
        (label, str(value))
        for label, value in fields
        if isinstance(value, str) and value.strip()
    ]


def network_card(network: pd.Series) -> list[tuple[str, str]]:
    """What a network's card shows, as (label, value) pairs, raw text."""
    fields = [
        ("Type", KIND_LABELS.get(network.get("kind"), network.get("kind"))),
        ("Statut", STATUS_LABELS.get(network.get("status"), network.get("status"))),
        ("Région", network.get("region")),
        (
            "Périmètre",
            "connu"
            if network.get("perimetre_exact")
            else "partiel ou incertain (tracé en tirets)",
        ),
        ("Membres enregistrés", str(int(network.get("membres") or 0))),
        ("Structure accompagnatrice", network.get("structure_accompagnatrice")),
        ("Site web", network.get("site_web")),
        ("Courriel", network.get("email")),
        ("Téléphone", network.get("telephone")),
        ("Source", network.get("source")),
    ]
    return [
        (label, str(value))
        for label, value in fields
        if isinstance(value, str) and value.strip()
    ]
