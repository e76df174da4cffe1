"""The command line: ``python -m ess_geo COMMAND``.

Each command is a thin wrapper over one library function. Library errors
(:class:`~ess_geo.errors.EssGeoError`) become a French message on stderr and
a non-zero exit status.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import platform
import sys
from pathlib import Path

import click

from ess_geo import __version__, demo, store
from ess_geo.errors import EssGeoError


@click.group()
@click.version_option(version=__version__, prog_name="ess_geo")
def cli() -> None:
    """ESS Territoires : l'économie sociale et solidaire par territoire."""


_KEY_PACKAGES = (
    "streamlit",
    "streamlit-folium",
    "folium",
    "pandas",
    "geopandas",
    "shapely",
    "pyogrio",
    "pyproj",
    "pyarrow",
    "numpy",
    "click",
)


@cli.command()
def versions() -> None:
    """Affiche les versions de Python, GEOS/GDAL/PROJ et des paquets clés.

    À joindre à tout signalement de problème.
    """
    import pyogrio
    import pyproj
    import shapely

    click.echo(f"Python      : {sys.version.split()[0]} ({platform.platform()})")
    click.echo(f"GEOS        : {shapely.geos_version_string}")
    click.echo(f"GDAL        : {pyogrio.__gdal_version_string__}")
    click.echo(f"PROJ        : {pyproj.proj_version_str}")
    for package in _KEY_PACKAGES:
        try:
            version = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            version = "absent"
        click.echo(f"{package:<12}: {version}")
    click.echo(f"workspace   : {store.workspace_path()}")


@cli.command("demo")
@click.option(
    "--size",
    type=click.IntRange(min=1),
    default=demo.DEFAULT_SIZE,
    show_default=True,
    help="Nombre d'acteurs fictifs.",
)
@click.option(
    "--seed",
    type=int,
    default=demo.DEFAULT_SEED,
    show_default=True,
    help="Graine : même graine, mêmes données.",
)
def demo_command(size: int, seed: int) -> None:
    """(Re)génère les acteurs de démonstration de l'espace de travail.

    Les acteurs fictifs précédents sont remplacés ; les acteurs réels importés
    ne sont pas touchés. Les réseaux de référence manquants sont ajoutés.
    """
    try:
        with contextlib.closing(store.connect()) as conn:
            counts = demo.seed_workspace(conn, size=size, seed=seed)
    except EssGeoError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"{counts['actors']} acteurs fictifs, "
        f"{counts['networks_added']} réseaux ajoutés, "
        f"{counts['members']} adhésions — {store.workspace_path()}"
    )


class _Unusable(click.ClickException):
    """A file or workspace that cannot be used: nothing written, exit 2."""

    exit_code = 2


_SHOWN_REJECTIONS = 20


@cli.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path), metavar="FICHIER")
@click.option(
    "--dry-run", is_flag=True, help="Vérifie et compte tout, sans rien écrire."
)
@click.option(
    "--keep-demo",
    is_flag=True,
    help="Garde les acteurs de démonstration (sinon le premier import les remplace).",
)
@click.option(
    "--report-json",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Écrit le rapport (lignes lues, importées, mises à jour, refusées, "
    "doublons) dans ce fichier JSON.",
)
@click.option(
    "--sheet", help="Feuille du classeur XLSX à lire (par défaut la première)."
)
@click.option(
    "--unites-legales",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Fichier SIRENE StockUniteLegale à joindre "
    "(par défaut : celui du même dossier).",
)
@click.option(
    "--fix-swapped",
    is_flag=True,
    help="Remet dans l'ordre les latitudes et longitudes inversées au lieu de "
    "refuser ces lignes.",
)
def import_command(
    path: Path,
    dry_run: bool,
    keep_demo: bool,
    report_json: Path | None,
    sheet: str | None,
    unites_legales: Path | None,
    fix_swapped: bool,
) -> None:
    """Importe un fichier d'acteurs (CSV, XLSX ou SIRENE) dans l'espace de travail.

    Sortie 0 : toutes les lignes importées ; 1 : des lignes refusées (les
    autres importées, le rapport les liste) ; 2 : fichier inutilisable, rien
    n'a été écrit.
    """
    from ess_geo import imports, loading

    try:
        source = imports.open_source(path, sheet=sheet, unites_legales=unites_legales)
        with contextlib.closing(store.open_workspace()) as conn:
            report = loading.import_actors(
                conn,
                source,
                keep_demo=keep_demo,
                dry_run=dry_run,
                fix_swapped=fix_swapped,
            )
    except EssGeoError as exc:
        if report_json is not None:
            _write_report(report_json, loading.ImportReport(file=path.name), str(exc))
        raise _Unusable(str(exc)) from exc
    if report_json is not None:
        _write_report(report_json, report, report.error)
    for note in report.notes:
        click.echo(note)
    for rejection in sorted(report.rejected, key=lambda r: r["line"])[
        :_SHOWN_REJECTIONS
    ]:
        click.echo(f"ligne {rejection['line']} : {rejection['reason']}", err=True)
    if len(report.rejected) > _SHOWN_REJECTIONS:
        click.echo(
            f"… et {len(report.rejected) - _SHOWN_REJECTIONS} autre(s) ligne(s) "
            "refusée(s) (liste complète : --report-json).",
            err=True,
        )
    if report.error is not None:
        raise _Unusable(report.error)
    click.echo(_summary(report))
    sys.exit(report.exit_code)


def _summary(report) -> str:
    verb = "seraient" if report.dry_run else "ont été"
    parts = [
        f"{report.read} ligne(s) lue(s)",
        f"{report.imported} acteur(s) ajouté(s)",
        f"{report.updated} mis à jour (SIRET connu)",
        f"{len(report.rejected)} ligne(s) refusée(s)",
        f"{len(report.duplicates)} doublon(s) probable(s) à examiner",
    ]
    if report.ignored:
        parts.append(f"{report.ignored} ignorée(s) (hors ESS ou fermées)")
    text = f"{report.file} : " + ", ".join(parts) + "."
    if report.demo_removed:
        text += f" Les {report.demo_removed} acteurs de démonstration {verb} retirés."
    if report.dry_run:
        text += " Essai (--dry-run) : rien n'a été écrit."
    return text


def _write_report(path: Path, report, error: str | None) -> None:
    payload = report.to_json()
    if error is not None:
        payload["error"] = error
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


@cli.command("staff-hash")
@click.option(
    "--user",
    default="cress",
    show_default=True,
    help="Nom du compte (sans espace).",
)
@click.password_option(
    "--password",
    prompt="Mot de passe (8 caractères au moins)",
    confirmation_prompt="Confirmez le mot de passe",
    help="Le mot de passe ; demandé au clavier si absent.",
)
def staff_hash(user: str, password: str) -> None:
    """Calcule l'empreinte d'un mot de passe de compte équipe (import, édition).

    Affiche la ligne à mettre dans la variable d'environnement ESS_GEO_STAFF
    (ou dans .streamlit/secrets.toml, section [staff]). Le mot de passe
    lui-même n'est conservé nulle part.
    """
    from ess_geo import auth

    try:
        encoded = auth.hash_password(password)
        auth.parse_accounts(f"{user}:{encoded}")
    except (ValueError, EssGeoError) as exc:
        raise click.BadParameter(str(exc)) from exc
    click.echo(f"{auth.ENV_VAR}='{user}:{encoded}'")
    click.echo(
        f'# ou, dans .streamlit/secrets.toml :\n# [staff]\n# {user} = "{encoded}"'
    )


@cli.command("sirene-download")
@click.argument("destination", type=click.Path(file_okay=False, path_type=Path))
def sirene_download(destination: Path) -> None:
    """Télécharge les fichiers stock SIRENE (data.gouv.fr, environ 2 Go).

    Ensuite : python -m ess_geo import DESTINATION.
    """
    from ess_geo.sources import sirene as sirene_source

    def progress(name: str, received: int) -> None:
        if received % (100 << 20) < (1 << 20):
            click.echo(f"{name} : {received >> 20} Mo", err=True)

    try:
        files = sirene_source.download_stock(destination, progress=progress)
    except EssGeoError as exc:
        raise click.ClickException(str(exc)) from exc
    for path in files:
        click.echo(f"{path} ({path.stat().st_size >> 20} Mo)")
    click.echo(f"Pour importer : python -m ess_geo import {destination}")
