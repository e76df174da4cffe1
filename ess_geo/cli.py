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

import click

from ess_geo import __version__, demo, store
from ess_geo.errors import EssGeoError
from ess_geo.sources.cli import sources as sources_command


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


cli.add_command(sources_command)
