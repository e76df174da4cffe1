"""The catalogue of official sources, as ``python -m ess_geo sources list`` shows it."""

from __future__ import annotations

from dataclasses import dataclass

from ess_geo.sources import banatic, emploi, pnr, sirene

__all__ = ["SOURCES", "SourceInfo"]


@dataclass(frozen=True)
class SourceInfo:
    """One official source, as ``python -m ess_geo sources list`` shows it."""

    name: str
    """Name on the command line (``sources fetch NAME``)."""
    title: str
    """Publisher and data set."""
    refreshes: str
    """What it produces, in French."""
    url: str
    """Default download address."""
    licence: str
    """Licence and the attribution to show."""


SOURCES: tuple[SourceInfo, ...] = (
    SourceInfo(
        "pnr",
        "INPN (MNHN) : périmètres des parcs naturels régionaux",
        "communes membres des PNR (data/reference/pnr_communes.csv)",
        pnr.INPN_URL,
        "Licence Ouverte 2.0 — « Source : INPN, MNHN »",
    ),
    SourceInfo(
        "banatic",
        "BANATIC (DGCL) : export national des groupements",
        "PETR et leurs EPCI membres (data/reference/pays_petr.csv)",
        banatic.BANATIC_URL,
        "Licence Ouverte 2.0 — « Source : BANATIC, DGCL »",
    ),
    SourceInfo(
        "emploi",
        "INSEE : recensement, base communale Emploi – Population active",
        "emplois au lieu de travail par commune (CSV pour weight --employment)",
        emploi.INSEE_URL,
        "Licence Ouverte 2.0 — « Source : INSEE, recensement de la population »",
    ),
    SourceInfo(
        "sirene",
        "INSEE (data.gouv.fr) : fichiers stock SIRENE",
        "StockEtablissement et StockUniteLegale (CSV zippé ou Parquet)",
        sirene.BASE_URL,
        "Licence Ouverte 2.0 — « Source : INSEE, base SIRENE »",
    ),
)
"""Every downloader, in the order of ``sources list``."""
