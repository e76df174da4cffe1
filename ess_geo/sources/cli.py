"""``python -m ess_geo sources …``: list and fetch the official sources.

Each command is a thin wrapper over one downloader of :mod:`ess_geo.sources`.
A failed download (offline, unexpected answer) prints the French message of
:class:`~ess_geo.errors.SourceUnavailableError` and exits with status 2
(the command line's contract, :mod:`ess_geo.cli_errors`), leaving every
file as it was.
"""

from __future__ import annotations

from pathlib import Path

import click

from ess_geo import paths
from ess_geo.errors import EssGeoError
from ess_geo.geo import geography
from ess_geo.sources import banatic, emploi, pnr, sirene
from ess_geo.sources.catalogue import SOURCES

__all__ = ["sources"]

_MEGABYTE = 1_000_000


def _max_mo(default_bytes: int):
    return click.option(
        "--max-mo",
        "max_mo",
        type=click.IntRange(min=1),
        default=default_bytes // _MEGABYTE,
        show_default=True,
        help="Taille maximale acceptée pour le téléchargement, en Mo.",
    )


def _url(default: str):
    return click.option(
        "--url",
        default=default,
        show_default=True,
        help="Adresse du fichier (si l'éditeur l'a déplacé, ou une copie locale "
        "en file://…).",
    )


@click.group()
def sources() -> None:
    """Sources officielles : rafraîchir les tables de référence (en ligne).

    L'application fonctionne sans réseau sur ses données embarquées ; ces
    commandes les complètent quand une connexion est disponible. Un échec
    (hors ligne, réponse inattendue) ne modifie aucun fichier.
    """


@sources.command("list")
def list_command() -> None:
    """Liste les sources, ce qu'elles rafraîchissent, leur adresse et licence."""
    for info in SOURCES:
        click.echo(f"{info.name} — {info.title}")
        click.echo(f"    produit : {info.refreshes}")
        click.echo(f"    adresse : {info.url}")
        click.echo(f"    licence : {info.licence}")


@sources.group()
def fetch() -> None:
    """Télécharge une source officielle et écrit le fichier qu'elle produit."""


@fetch.command("pnr")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=paths.REFERENCE_DIR / "pnr_communes.csv",
    show_default=True,
    help="Table à écrire (pnr_code, commune_insee, commune_nom, flag). Les "
    "lignes des PNR absents du téléchargement sont conservées.",
)
@_url(pnr.INPN_URL)
@click.option(
    "--seuil",
    type=click.FloatRange(min=0, max=1, min_open=True),
    default=pnr.MIN_SHARE,
    show_default=True,
    help="Part minimale de la surface d'une commune dans le périmètre du PNR "
    "pour qu'elle en soit membre.",
)
@_max_mo(pnr.MAX_BYTES)
def fetch_pnr(out: Path, url: str, seuil: float, max_mo: int) -> None:
    """Communes membres des PNR, d'après les périmètres de l'INPN (MNHN).

    Une commune est membre quand au moins la part --seuil de sa surface est
    dans le périmètre ; en dessous de 95 %, elle est marquée
    « classée_inpn_partielle ». Reconstruisez ensuite la géographie avec
    « make data ».
    """
    try:
        known = set(geography.territories("pnr").index)
        result = pnr.refresh_pnr_communes(
            out,
            communes=geography.load_layer("commune", "full"),
            known_codes=known,
            url=url,
            min_share=seuil,
            max_bytes=max_mo * _MEGABYTE,
        )
    except EssGeoError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"{result.parks} PNR, {result.communes} communes membres "
        f"(dont {result.partial} couvertes en partie) — {out}"
    )
    if result.kept:
        click.echo(
            f"Absents du téléchargement, lignes conservées : {', '.join(result.kept)}"
        )
    if result.unknown:
        click.echo(
            f"Codes inconnus de pnr.csv, ignorés : {', '.join(result.unknown)} "
            "(ajoutez-les à data/reference/pnr.csv)"
        )
    if result.without_commune:
        click.echo(
            "Aucune commune au-dessus du seuil : " + ", ".join(result.without_commune)
        )


@fetch.command("banatic")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=paths.REFERENCE_DIR / "pays_petr.csv",
    show_default=True,
    help="Table à écrire (pays_code, pays_nom, epci_siren, epci_nom).",
)
@_url(banatic.BANATIC_URL)
@_max_mo(banatic.MAX_BYTES)
def fetch_banatic(out: Path, url: str, max_mo: int) -> None:
    """PETR et leurs EPCI membres, d'après l'export national de BANATIC (DGCL).

    Chaque PETR est codé par son SIREN. Reconstruisez ensuite la géographie
    avec « make data » : les tables data/reference/pays_*.csv y sont lues.
    """
    try:
        result = banatic.refresh_petr(
            out,
            epci_codes=set(geography.territories("epci").index),
            url=url,
            max_bytes=max_mo * _MEGABYTE,
        )
    except EssGeoError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{result.petr} PETR, {result.epci} adhésions d'EPCI — {out}")
    if result.others:
        click.echo(f"{len(result.others)} membre(s) hors des EPCI connus, ignoré(s) :")
        for line in result.others:
            click.echo(f"  {line}")


@fetch.command("emploi")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="CSV à écrire (CODGEO, PAA_EMPLT), à passer ensuite à "
    "« weight --employment ».",
)
@_url(emploi.INSEE_URL)
@_max_mo(emploi.MAX_BYTES)
def fetch_emploi(out: Path, url: str, max_mo: int) -> None:
    """Emplois au lieu de travail par commune (INSEE, recensement)."""
    try:
        result = emploi.refresh_employment(out, url=url, max_bytes=max_mo * _MEGABYTE)
    except EssGeoError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{result.communes} communes, colonne {result.column} — {out}")


@fetch.command("sirene")
@click.argument("stock", type=click.Choice(sorted(sirene.STOCKS)))
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("data") / "sirene",
    show_default=True,
    help="Dossier où déposer le fichier (créé au besoin).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sirene.FORMATS),
    default="csv",
    show_default=True,
    help="CSV zippé ou Parquet.",
)
@click.option("--url", default=None, help="Autre adresse (miroir, copie datée).")
@_max_mo(sirene.MAX_BYTES)
def fetch_sirene(
    stock: str, folder: Path, fmt: str, url: str | None, max_mo: int
) -> None:
    """Fichier stock SIRENE (INSEE, data.gouv.fr), en CSV zippé ou Parquet.

    STOCK : etablissements (StockEtablissement) ou unites_legales
    (StockUniteLegale). Le téléchargement (plusieurs centaines de Mo à
    quelques Go) reprend là où il s'était arrêté si on relance la commande.
    Importez ensuite le fichier avec « python -m ess_geo import ».
    """
    shown = [-1]

    def progress(done: int, total: int | None) -> None:
        step = int(done * 20 / total) if total else done // 200_000_000
        if step > shown[0]:
            shown[0] = step
            of = f" / {total / 1e6:,.0f}".replace(",", " ") if total else ""
            click.echo(f"  {done / 1e6:,.0f}{of} Mo".replace(",", " "), err=True)

    try:
        path = sirene.fetch_stock(
            stock,
            folder,
            fmt=fmt,
            url=url,
            max_bytes=max_mo * _MEGABYTE,
            progress=progress,
        )
    except EssGeoError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{path} ({path.stat().st_size / 1e6:,.0f} Mo)".replace(",", " "))
