"""The command line: ``python -m ess_geo COMMAND``.

Each command is a thin wrapper over one library function. Library errors
(:class:`~ess_geo.errors.EssGeoError`) become a French message on stderr and
a non-zero exit status.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import platform
import sys
import warnings
from pathlib import Path

import click
import pandas as pd

from ess_geo import __version__, demo, geography, store, weight
from ess_geo._actor_file import read_actor_file
from ess_geo.employment import read_employment
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


class _UnusableInput(click.ClickException):
    """An argument or a file the command cannot use: exit status 2."""

    exit_code = 2


class LevelType(click.ParamType):
    """A territory level (commune, epci, pays, pnr, departement, region)."""

    name = "level"

    def convert(self, value, param, ctx):  # noqa: D102 - click's interface
        try:
            return geography.validate_level(str(value))
        except EssGeoError as exc:
            self.fail(str(exc), param, ctx)


def _analysis_actors(path: Path | None) -> tuple[pd.DataFrame, bool]:
    """The actors to analyse: a file (read-only) or the workspace.

    The one place where ``--actors`` files are read: switch it to
    :mod:`ess_geo.imports` once the importer lands.

    Returns the actors and whether demo (fictitious) actors are among them.
    """
    if path is None:
        with contextlib.closing(store.open_workspace()) as conn:
            return store.read_actors(conn), store.has_demo_actors(conn)
    actors, rejected = read_actor_file(path)
    for row in rejected[:10]:
        click.echo(f"ligne {row['line']} ignorée : {row['reason']}", err=True)
    if len(rejected) > 10:
        click.echo(f"… et {len(rejected) - 10} autres lignes ignorées", err=True)
    if actors.empty:
        raise _UnusableInput(
            f"Aucun acteur utilisable dans {path.name} "
            f"({len(rejected)} ligne(s) rejetée(s))."
        )
    return actors, False


def _write_output(text: str, out: Path | None) -> None:
    """Print, or write the file whole (a temporary file renamed into place)."""
    if out is None:
        click.echo(text, nl=False)
        return
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _UnusableInput(f"Impossible d'écrire {out} : {exc.strerror}.") from exc


@cli.command("weight")
@click.option(
    "--level",
    type=LevelType(),
    required=True,
    help="Niveau : commune, epci, pays, pnr, departement ou region.",
)
@click.option(
    "--actors",
    "actors_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Fichier d'acteurs (CSV ou XLSX) à analyser au lieu de l'espace de travail.",
)
@click.option(
    "--employment",
    "employment_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Emplois au lieu de travail par commune (INSEE, CODGEO et P21_EMPLT) : "
    "remplit part_emploi.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="csv : séparateur « , », 4 décimales au plus ; json : valeurs exactes.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Fichier de sortie (par défaut la sortie standard).",
)
@click.option(
    "--detail",
    is_flag=True,
    help="Ajoute les emplois par famille, l'indice régional, les territoires "
    "parents et les rangs.",
)
def weight_command(
    level: str,
    actors_path: Path | None,
    employment_path: Path | None,
    fmt: str,
    out: Path | None,
    detail: bool,
) -> None:
    """Poids de l'ESS : une ligne par territoire du niveau, zéros compris.

    Colonnes : code, nom, population, structures, employeurs, emplois
    (effectif exact, sinon milieu de la tranche SIRENE), emplois_inconnus,
    structures par famille, structures pour 10 000 habitants, emplois pour
    1 000 habitants, indice de spécificité (France = 1) et part de l'ESS dans
    l'emploi total (vide sans --employment).
    """
    try:
        actors, is_demo = _analysis_actors(actors_path)
        employment = None
        if employment_path is not None:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", UserWarning)
                employment = read_employment(employment_path)
            for warning in caught:
                click.echo(f"Attention : {warning.message}", err=True)
        table = weight.compute(actors, level, employment=employment)
    except EssGeoError as exc:
        raise _UnusableInput(str(exc)) from exc
    columns = [*weight.COLUMNS, *(weight.DETAIL_COLUMNS if detail else ())]
    _write_output(weight.to_text(table[columns], fmt), out)
    if is_demo:
        click.echo("Attention : données de démonstration — acteurs fictifs.", err=True)
