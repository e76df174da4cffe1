"""The command line: ``python -m ess_geo COMMAND``.

Each command is a thin wrapper over one library function. Every command
follows one error contract (:mod:`ess_geo.cli_errors`, given by the group):
library errors (:class:`~ess_geo.errors.EssGeoError`) and workspace errors
become a French message on stderr and exit 2 (unusable input, nothing
written), exit 1 means only « some rows refused », and an unexpected error
prints a short French message with the path of a log file (exit 3).
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import platform
import sys
import warnings
from pathlib import Path

import click
import pandas as pd

from ess_geo import __version__
from ess_geo.actors import demo
from ess_geo.analysis import coverage, weight
from ess_geo.cli_errors import (
    ContractGroup,
    InputPath,
    OutputPath,
    Unusable,
    actors_option,
    format_option,
    networks_option,
    out_option,
    printable,
    write_output,
)
from ess_geo.cli_networks import (
    import_members_command,
    invite_command,
    sheet_command,
)
from ess_geo.errors import EssGeoError
from ess_geo.geo import geography
from ess_geo.io.employment import read_employment
from ess_geo.io.exports import to_text
from ess_geo.sources.cli import sources as sources_command
from ess_geo.workspace import (
    dialect,
    inventories,
    loading,
    networks,
    pgbackup,
    seeding,
    store,
)


def _workspace_name() -> str:
    """The workspace for messages (a PostgreSQL password hidden)."""
    return dialect.redact(str(store.workspace_path()))


@click.group(cls=ContractGroup)
@click.version_option(
    version=__version__, prog_name="ess_geo", help="Affiche la version et quitte."
)
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
    click.echo(f"workspace   : {_workspace_name()}")


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
            counts = seeding.seed_workspace(conn, size=size, seed=seed)
    except EssGeoError as exc:
        raise Unusable(str(exc)) from exc
    click.echo(
        f"{counts['actors']} acteurs fictifs, "
        f"{counts['networks_added']} réseaux ajoutés, "
        f"{counts['members']} adhésions — {_workspace_name()}"
    )


_Unusable = Unusable  # exit status 2, as DESIGN.md says


class _Weight(click.ParamType):
    """A score weight written ``KEY=VALUE`` (``densite=2``)."""

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

    A file goes through the import's readers and row checks
    (:func:`ess_geo.workspace.loading.read_actor_file`); rejected lines are listed on
    stderr and the others analysed. Returns the actors and whether demo
    (fictitious) actors are among them.
    """
    if path is None:
        with contextlib.closing(seeding.open_workspace()) as conn:
            return store.read_actors(conn), store.has_demo_actors(conn)
    actors, report = loading.read_actor_file(path)
    rejected = report.rejected
    for row in rejected[:10]:
        click.echo(
            printable(f"ligne {row['line']} ignorée : {row['reason']}"), err=True
        )
    if len(rejected) > 10:
        click.echo(f"… et {len(rejected) - 10} autres lignes ignorées", err=True)
    if actors.empty:
        raise _Unusable(
            f"Aucun acteur utilisable dans {path.name} "
            f"({len(rejected)} ligne(s) rejetée(s))."
        )
    return actors, False


_level_option = click.option(
    "--level",
    type=LevelType(),
    required=True,
    help="Niveau : commune, epci, pays, pnr, departement ou region.",
)


@cli.command()
@_level_option
@networks_option
@actors_option
@format_option
@out_option
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
    help="Compter les réseaux en projet comme couvrants (comme --count tous).",
)
@click.option(
    "--count",
    "counting",
    type=click.Choice(list(coverage.COUNTING)),
    default=coverage.DEFAULT_COUNTING,
    show_default=True,
    help="Réseaux qui couvrent leur périmètre : actifs seulement, actifs ou au "
    "statut inconnu, ou tous (projets compris).",
)
@click.option(
    "--complete-inventory",
    "complete_inventory",
    multiple=True,
    metavar="REGION",
    help="Code INSEE d'une région dont l'inventaire des réseaux est complet "
    "(répétable) ; avec l'espace de travail, s'ajoute à ses déclarations.",
)
@click.option(
    "--min-employers",
    type=click.IntRange(*coverage.MIN_EMPLOYERS_BOUNDS),
    default=coverage.DEFAULT_MIN_EMPLOYERS,
    show_default=True,
    help="Employeurs de l'ESS qu'un territoire doit compter pour être classé "
    "(de quoi réunir un réseau de 10 à 30 membres).",
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
    networks_path: Path | None,
    actors_path: Path | None,
    fmt: str,
    out: Path | None,
    threshold: float,
    count_inexact: bool,
    count_projects: bool,
    counting: str,
    complete_inventory: tuple[str, ...],
    min_employers: int,
    weights: tuple[tuple[str, float], ...],
    region: str | None,
) -> None:
    """Couverture des territoires par les réseaux et classement des prospects.

    Une ligne par territoire du niveau : code, nom, population, couverture
    (couverte, partielle, non_couverte ; inconnue quand aucune commune du
    territoire n'est connue), part de la population couverte, réseaux
    présents (séparés par |), structures et emplois de l'ESS, score de
    prospection (0 à 100) et rang (1 = meilleur prospect) des territoires
    partiellement ou non couverts et assez grands, inventaire (complet où
    l'inventaire des réseaux de la région est déclaré complet, sinon
    incomplet : l'absence d'un réseau n'y prouve rien).
    """
    regions = geography.territories("region").index
    unknown = [code for code in complete_inventory if code not in regions]
    if unknown:
        raise _Unusable(
            f"--complete-inventory : région(s) inconnue(s) {', '.join(unknown)} ; "
            f"codes INSEE attendus : {', '.join(regions)}."
        )
    complete = set(complete_inventory)
    try:
        if networks_path is None:
            with contextlib.closing(seeding.open_workspace()) as conn:
                table, perimeters = networks.from_workspace(conn)
                complete |= set(inventories.complete_regions(conn))
        else:
            table, perimeters = networks.read_networks_csv(networks_path)
        actor_table, _ = _analysis_actors(actors_path)
        result = coverage.gaps(
            table,
            perimeters,
            actor_table,
            level,
            threshold=threshold,
            count_inexact=count_inexact,
            count_projects=count_projects,
            counting=counting,
            complete_regions=sorted(complete),
            min_employers=min_employers,
            weights=dict(weights),
            region=region,
        )
    except EssGeoError as exc:
        raise _Unusable(str(exc)) from exc
    text = to_text(coverage.prospect_table(result), fmt, lists=("reseaux",))
    write_output(text, out)


cli.add_command(invite_command, "invite")
cli.add_command(sheet_command, "sheet")
cli.add_command(import_members_command, "import-members")


@cli.command("import-networks")
@click.argument("path", type=InputPath())
@click.option(
    "--dry-run", is_flag=True, help="Vérifier le fichier sans rien enregistrer."
)
def import_networks(path: Path, dry_run: bool) -> None:
    """Importe un fichier de réseaux territoriaux dans l'espace de travail.

    Le fichier a la forme de data/reference/networks_seed.csv. Les réseaux
    nouveaux sont ajoutés, ceux qui existent déjà (même nom) sont mis à jour
    et gardent leurs membres. Une seule ligne fautive et rien n'est
    enregistré (code de sortie 2).
    """
    try:
        with contextlib.closing(seeding.open_workspace()) as conn:
            report = networks.import_networks(conn, path, dry_run=dry_run)
    except EssGeoError as exc:
        raise _Unusable(str(exc)) from exc
    verb = "seraient" if dry_run else "ont été"
    click.echo(
        f"{len(report['added'])} réseau(x) {verb} ajouté(s), "
        f"{len(report['updated'])} mis à jour — {_workspace_name()}"
    )


@cli.command("weight")
@_level_option
@actors_option
@click.option(
    "--employment",
    "employment_path",
    type=InputPath(),
    help="Emplois au lieu de travail par commune (INSEE, CODGEO et P21_EMPLT) : "
    "remplit part_emploi.",
)
@format_option
@out_option
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
        raise _Unusable(str(exc)) from exc
    columns = [*weight.COLUMNS, *(weight.DETAIL_COLUMNS if detail else ())]
    write_output(to_text(table[columns], fmt), out)
    if is_demo:
        click.echo("Attention : données de démonstration — acteurs fictifs.", err=True)


_SHOWN_REJECTIONS = 20


@cli.command("import")
@click.argument("path", type=InputPath(dir_okay=True), metavar="FICHIER")
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
    type=OutputPath(),
    help="Écrit le rapport (lignes lues, importées, mises à jour, refusées, "
    "doublons) dans ce fichier JSON.",
)
@click.option(
    "--sheet", help="Feuille du classeur XLSX à lire (par défaut la première)."
)
@click.option(
    "--unites-legales",
    type=InputPath(),
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
    from ess_geo.io import imports
    from ess_geo.workspace import loading

    try:
        source = imports.open_source(path, sheet=sheet, unites_legales=unites_legales)
        with contextlib.closing(seeding.open_workspace()) as conn:
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
        click.echo(printable(note))
    for rejection in sorted(report.rejected, key=lambda r: r["line"])[
        :_SHOWN_REJECTIONS
    ]:
        click.echo(
            printable(f"ligne {rejection['line']} : {rejection['reason']}"), err=True
        )
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
    """Write the JSON report whole; a failure is said, the import stands."""
    payload = report.to_json()
    if error is not None:
        payload["error"] = error
    text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    try:
        write_output(text, path)
    except Unusable as exc:
        click.echo(f"Attention : rapport JSON non écrit. {exc.message}", err=True)


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
    from ess_geo.workspace import auth

    try:
        encoded = auth.hash_password(password)
        auth.parse_accounts(f"{user}:{encoded}")
    except (ValueError, EssGeoError) as exc:
        raise click.BadParameter(str(exc)) from exc
    click.echo(f"{auth.ENV_VAR}='{user}:{encoded}'")
    click.echo(
        f'# ou, dans .streamlit/secrets.toml :\n# [staff]\n# {user} = "{encoded}"'
    )


@cli.command("migrate-workspace")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("destination", metavar="DESTINATION_URL")
def migrate_workspace_command(source: Path, destination: str) -> None:
    """Copie un espace de travail SQLite dans une base PostgreSQL vide.

    SOURCE est le fichier SQLite ; DESTINATION_URL une adresse
    postgresql://utilisateur[:mot de passe]@hôte[:port]/base dont la base a
    l'extension PostGIS. Acteurs, réseaux, journal et annulations sont
    copiés tels quels, en une transaction ; la source n'est pas modifiée.
    """
    try:
        counts = pgbackup.migrate_workspace(source, destination)
    except EssGeoError as exc:
        raise _Unusable(str(exc)) from exc
    click.echo(
        f"{counts.get('actors', 0)} acteurs, {counts.get('networks', 0)} réseaux, "
        f"{counts.get('audit_log', 0)} entrées du journal copiés vers "
        f"{dialect.redact(destination)}."
    )


cli.add_command(sources_command)
