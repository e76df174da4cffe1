"""The command line: ``python -m ess_geo COMMAND``.

Each command is a thin wrapper over one library function. Library errors
(:class:`~ess_geo.errors.EssGeoError`) become a French message on stderr and
a non-zero exit status.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import io
import json
import math
import platform
import sys
from pathlib import Path

import click
import pandas as pd

from ess_geo import __version__, coverage, demo, geography, networks, store
from ess_geo.actors import (
    TRANCHES_EFFECTIF,
    famille_from_categorie_juridique,
    normalise_famille,
)
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
    """Unusable arguments or files: exit status 2, as DESIGN.md says."""

    exit_code = 2


class _Weight(click.ParamType):
    """A score weight written ``KEY=VALUE`` (``structures=2``)."""

    name = "COMPOSANTE=POIDS"

    def convert(self, value, param, ctx) -> tuple[str, float]:
        """Split and check ``KEY=VALUE``."""
        if isinstance(value, tuple):
            return value
        key, sep, number = str(value).partition("=")
        if not sep or key.strip() not in coverage.COMPONENTS:
            self.fail(
                f"« {value} » : attendu COMPOSANTE=POIDS, la composante parmi "
                f"{', '.join(coverage.COMPONENTS)}.",
                param,
                ctx,
            )
        try:
            weight = float(number)
        except ValueError:
            self.fail(f"« {value} » : le poids doit être un nombre.", param, ctx)
        if not weight >= 0:
            self.fail(f"« {value} » : le poids doit être positif ou nul.", param, ctx)
        return key.strip(), weight


_ACTOR_HEADERS = {
    "code_commune": "code_commune",
    "code commune": "code_commune",
    "code insee": "code_commune",
    "code_insee": "code_commune",
    "codgeo": "code_commune",
    "famille": "famille",
    "categorie_juridique": "categorie_juridique",
    "categorie juridique": "categorie_juridique",
    "effectif": "effectif",
    "tranche_effectif": "tranche_effectif",
    "trancheeffectifsetablissement": "tranche_effectif",
}


def _read_actor_file(path: str) -> pd.DataFrame:
    """Read an actor file for a read-only analysis (``--actors``).

    Stand-in until :mod:`ess_geo.imports` lands: switch this one function to
    its reader to get the full validation of ``import``. It reads CSV (``,``
    or ``;``, UTF-8 with or without BOM, or cp1252) or XLSX with a
    ``code_commune`` column and a ``famille`` or ``categorie_juridique``,
    and refuses the file, listing the lines, if any row cannot be placed or
    classified.
    """
    file = Path(path)
    try:
        if file.suffix.lower() == ".xlsx":
            raw = pd.read_excel(file, dtype=str).fillna("")
        else:
            try:
                text = file.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError:
                text = file.read_text(encoding="cp1252")
            first = text.partition("\n")[0]
            sep = ";" if first.count(";") > first.count(",") else ","
            raw = pd.read_csv(
                io.StringIO(text), sep=sep, dtype=str, keep_default_na=False
            )
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise _Unusable(f"Fichier d'acteurs {path} illisible : {exc}") from exc
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    frame = raw.rename(columns=_ACTOR_HEADERS)
    if "code_commune" not in frame:
        raise _Unusable(
            f"Fichier d'acteurs {path} : colonne code_commune absente "
            "(ou « Code INSEE ») ; elle est nécessaire pour l'analyse."
        )
    for column in ("famille", "categorie_juridique", "effectif", "tranche_effectif"):
        if column not in frame:
            frame[column] = ""
    known = geography.communes().index
    problems = []
    families, jobs = [], []
    for line, row in enumerate(frame.itertuples(index=False), start=2):
        famille = normalise_famille(row.famille) or famille_from_categorie_juridique(
            row.categorie_juridique or None
        )
        families.append(famille)
        effectif = row.effectif.strip()
        jobs.append(int(effectif) if effectif.isdigit() else None)
        if row.code_commune.strip() not in known:
            problems.append(
                f"ligne {line} : code commune « {row.code_commune} » inconnu"
            )
        if famille is None:
            problems.append(f"ligne {line} : famille de l'ESS inconnue")
        if effectif and not effectif.isdigit():
            problems.append(f"ligne {line} : effectif « {effectif} » invalide")
        band = row.tranche_effectif.strip()
        if band and band not in TRANCHES_EFFECTIF:
            problems.append(f"ligne {line} : tranche d'effectif « {band} » inconnue")
    if problems:
        shown = problems[:20] + (
            [f"… et {len(problems) - 20} autres"] * (len(problems) > 20)
        )
        raise _Unusable(f"Fichier d'acteurs {path} refusé :\n- " + "\n- ".join(shown))
    return pd.DataFrame(
        {
            "code_commune": frame["code_commune"].str.strip(),
            "famille": families,
            "effectif": pd.array(jobs, dtype="Int64"),
            "tranche_effectif": frame["tranche_effectif"].str.strip().replace("", None),
        }
    )


def _write_table(table: pd.DataFrame, fmt: str, out: str | None, lists: tuple) -> None:
    """Write a territory table as CSV (4 decimals at most) or JSON (unrounded).

    ``lists`` names the ``|``-separated columns, written as lists in JSON.
    """
    if fmt == "json":
        records = []
        for row in table.to_dict(orient="records"):
            for key, value in row.items():
                if value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                    row[key] = None
                elif key in lists:
                    row[key] = [v for v in value.split("|") if v]
                elif hasattr(value, "item"):
                    row[key] = value.item()
            records.append(row)
        text = json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    else:
        floats = table.select_dtypes("float").columns
        text = table.round({c: 4 for c in floats}).to_csv(index=False)
    if out is None:
        click.echo(text, nl=False)
    else:
        Path(out).write_text(text, encoding="utf-8")


@cli.command()
@click.option(
    "--level",
    type=click.Choice(geography.LEVELS),
    required=True,
    help="Niveau des territoires listés.",
)
@click.option(
    "--networks",
    "networks_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Fichier de réseaux (forme de networks_seed.csv) à la place de "
    "l'espace de travail.",
)
@click.option(
    "--actors",
    "actors_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Fichier d'acteurs (CSV ou XLSX) à la place de l'espace de travail.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="Format de sortie.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    help="Fichier de sortie (par défaut la sortie standard).",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1, min_open=True),
    default=coverage.DEFAULT_THRESHOLD,
    show_default=True,
    help="Part de la population couverte à partir de laquelle un territoire "
    "est « couverte ».",
)
@click.option(
    "--count-inexact",
    is_flag=True,
    help="Compter les réseaux au périmètre approximatif comme couvrants.",
)
@click.option(
    "--count-projects",
    is_flag=True,
    help="Compter les réseaux en projet comme couvrants.",
)
@click.option(
    "--weight",
    "weights",
    type=_Weight(),
    multiple=True,
    help="Poids d'une composante du score, COMPOSANTE=POIDS (répétable) ; "
    f"composantes : {', '.join(coverage.COMPONENTS)} ; 1 par défaut.",
)
@click.option(
    "--region",
    help="Code INSEE d'une région : seulement ses territoires, classés entre eux.",
)
def gaps(
    level: str,
    networks_path: str | None,
    actors_path: str | None,
    fmt: str,
    out: str | None,
    threshold: float,
    count_inexact: bool,
    count_projects: bool,
    weights: tuple[tuple[str, float], ...],
    region: str | None,
) -> None:
    """Couverture des territoires par les réseaux et classement des prospects.

    Une ligne par territoire du niveau : code, nom, population, couverture
    (couverte, partielle, non_couverte ; inconnue quand aucune commune du
    territoire n'est connue), part de la population couverte, réseaux
    présents (séparés par |), structures et emplois de l'ESS, score de
    prospection (0 à 100) et rang (1 = meilleur prospect) des territoires
    partiellement ou non couverts.
    """
    try:
        with contextlib.ExitStack() as stack:
            conn = None
            if networks_path is None or actors_path is None:
                conn = stack.enter_context(contextlib.closing(store.open_workspace()))
            if networks_path is None:
                table, perimeters = networks.from_workspace(conn)
            else:
                table, perimeters = networks.read_networks_csv(networks_path)
            if actors_path is None:
                actor_table = store.read_actors(conn)
            else:
                actor_table = _read_actor_file(actors_path)
        result = coverage.gaps(
            table,
            perimeters,
            actor_table,
            level,
            threshold=threshold,
            count_inexact=count_inexact,
            count_projects=count_projects,
            weights=dict(weights),
            region=region,
        )
    except EssGeoError as exc:
        raise _Unusable(str(exc)) from exc
    _write_table(coverage.prospect_table(result), fmt, out, lists=("reseaux",))


@cli.command("import-networks")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--dry-run", is_flag=True, help="Vérifier le fichier sans rien enregistrer."
)
def import_networks(path: str, dry_run: bool) -> None:
    """Importe un fichier de réseaux territoriaux dans l'espace de travail.

    Le fichier a la forme de data/reference/networks_seed.csv. Les réseaux
    nouveaux sont ajoutés, ceux qui existent déjà (même nom) sont mis à jour
    et gardent leurs membres. Une seule ligne fautive et rien n'est
    enregistré (code de sortie 2).
    """
    try:
        with contextlib.closing(store.open_workspace()) as conn:
            report = networks.import_networks(conn, path, dry_run=dry_run)
    except EssGeoError as exc:
        raise _Unusable(str(exc)) from exc
    verb = "seraient" if dry_run else "ont été"
    click.echo(
        f"{len(report['added'])} réseau(x) {verb} ajouté(s), "
        f"{len(report['updated'])} mis à jour — {store.workspace_path()}"
    )
