"""From a coverage gap to a launch: ``invite``, ``sheet``, ``import-members``.

Registered on the ``python -m ess_geo`` group by :mod:`ess_geo.cli`, so they
follow its error contract (:mod:`ess_geo.cli_errors`).
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import click
import pandas as pd

from ess_geo.analysis import coverage
from ess_geo.analysis import invite as invite_module
from ess_geo.cli_errors import (
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
from ess_geo.errors import EssGeoError
from ess_geo.geo import geography
from ess_geo.io.exports import to_text
from ess_geo.workspace import loading, networks, seeding, store

__all__ = ["import_members_command", "invite_command", "sheet_command"]


def _invite_inputs(networks_path: Path | None, actors_path: Path | None):
    """``invite``'s inputs; the workspace is opened only for what no file gives."""
    if networks_path is not None:
        table, perimeters = networks.read_networks_csv(networks_path)
        table = table.assign(id=range(1, len(table) + 1))
    if actors_path is not None and networks_path is not None:
        return (table, perimeters, *_invite_actor_file(actors_path, table))
    with contextlib.closing(seeding.open_workspace()) as conn:
        stored, stored_perimeters = networks.from_workspace(conn)
        if networks_path is None:
            table, perimeters = stored, stored_perimeters
        if actors_path is not None:
            return (table, perimeters, *_invite_actor_file(actors_path, table))
        actors = store.read_actors(conn)
        members = store.read_network_members(conn)
    if networks_path is not None:  # stored memberships, by network name
        names = members["network_id"].map(stored.set_index("id")["nom"])
        members = members.assign(network_id=names.map(table.set_index("nom")["id"]))
        members = members.dropna(subset=["network_id"])
    return table, perimeters, actors, members


def _invite_actor_file(path: Path, table: pd.DataFrame):
    """An actor file's rows and the memberships of its ``reseaux`` column."""
    actors, report = loading.read_actor_file(path, networks=table[["id", "nom"]])
    for row in report.rejected[:10]:
        click.echo(
            printable(f"ligne {row['line']} ignorée : {row['reason']}"), err=True
        )
    return actors, invite_module.members_from_lists(actors)


@click.command("invite")
@click.option(
    "--network",
    "network",
    required=True,
    metavar="NOM_OU_ID",
    help="Le réseau : son nom (sans souci des accents ni des majuscules) ou son "
    "identifiant.",
)
@networks_option
@actors_option
@format_option
@out_option
def invite_command(
    network: str,
    networks_path: Path | None,
    actors_path: Path | None,
    fmt: str,
    out: Path | None,
) -> None:
    """Acteurs à inviter : ceux du périmètre d'un réseau qui n'en sont pas membres.

    Rang 1 en premier : employeurs par emplois décroissants, puis effectifs
    inconnus, puis non-employeurs ; à égalité, par nom. Avec --actors,
    l'appartenance vient de la colonne reseaux. Réseau inconnu : sortie 2.
    """
    try:
        table, perimeters, actors, members = _invite_inputs(networks_path, actors_path)
        result = invite_module.invite(table, perimeters, actors, members, network)
    except EssGeoError as exc:
        raise Unusable(str(exc)) from exc
    columns = list(invite_module.INVITE_COLUMNS)
    write_output(to_text(result[columns].reset_index(drop=True), fmt), out)


@click.command("sheet")
@click.option(
    "--level",
    required=True,
    help="Niveau du territoire : epci, pays ou pnr.",
)
@click.option("--code", required=True, help="Code du territoire (SIREN d'un EPCI…).")
@click.option(
    "--out",
    required=True,
    type=OutputPath(),
    help="Fichier à écrire : .pdf (deux pages A4) ou .html (page autonome).",
)
def sheet_command(level: str, code: str, out: Path) -> None:
    """Fiche prospect d'un territoire (PDF de deux pages A4 ou page HTML).

    Carte, chiffres clés, composantes du score, structures motrices, réseaux
    voisins, budget de lancement et financeurs, avec les réglages par défaut
    de la page Couverture. Niveau, code ou extension inutilisables : code de
    sortie 2.
    """
    from ess_geo.report import sheet

    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".html"):
        raise Unusable(f"« {out.name} » : extension attendue .pdf ou .html.")
    try:
        if level not in sheet.SHEET_LEVELS:
            geography.validate_level(level)  # an unknown level says so first
        with contextlib.closing(seeding.open_workspace()) as conn:
            table, perimeters = networks.from_workspace(conn)
            actors, is_demo = store.read_actors(conn), store.has_demo_actors(conn)
        ranked = (
            coverage.gaps(table, perimeters, actors, level)
            if level in sheet.SHEET_LEVELS
            else pd.DataFrame({"code": []})
        )
        prospect = sheet.build(
            level, code, ranked, table, actors, is_demo=is_demo, perimeters=perimeters
        )
    except EssGeoError as exc:
        raise Unusable(str(exc)) from exc
    data = sheet.to_pdf(prospect) if suffix == ".pdf" else sheet.to_html(prospect)
    write_output(data, out)
    click.echo(f"Fiche prospect de {prospect.nom} : {out}")


@click.command("import-members")
@click.argument("path", type=InputPath(), metavar="FICHIER")
@click.option(
    "--network",
    required=True,
    metavar="NOM_OU_ID",
    help="Le réseau dont le fichier liste les membres (nom ou identifiant).",
)
@click.option(
    "--dry-run", is_flag=True, help="Rapproche et compte tout, sans rien écrire."
)
@click.option(
    "--report-json",
    type=OutputPath(),
    help="Écrit le rapport (chaque ligne, son rapprochement) dans ce fichier JSON.",
)
def import_members_command(
    path: Path, network: str, dry_run: bool, report_json: Path | None
) -> None:
    """Rapproche la liste des membres d'un réseau des acteurs de l'espace de travail.

    Même SIRET, sinon même nom dans la même commune, à quelques kilomètres ou
    dans le périmètre du réseau. Les rapprochements uniques deviennent des
    adhésions (au journal) ; les autres lignes sont listées. Sortie 0 : tout
    rapproché ; 1 : des lignes non rapprochées ; 2 : rien n'a été écrit.
    """
    from ess_geo.workspace import members as member_lists

    try:
        with contextlib.closing(seeding.open_workspace()) as conn:
            result = member_lists.import_members(conn, path, network, dry_run=dry_run)
    except EssGeoError as exc:
        raise Unusable(str(exc)) from exc
    for _, row in result.unresolved.iterrows():
        label = member_lists.MATCH_LABELS[row["statut"]]
        options = "".join(f" ; {c[1]}" for c in row["candidats"])
        click.echo(
            printable(f"ligne {row['line']} « {row['nom']} » : {label}{options}"),
            err=True,
        )
    if report_json is not None:
        payload = json.dumps(result.to_json(), ensure_ascii=False, indent=2)
        write_output(payload + "\n", report_json)
    counts = result.rows["statut"].value_counts()
    verb = "seraient ajoutées" if dry_run else "ajoutée(s)"
    click.echo(
        f"{result.file} → {result.network} : {len(result.rows)} ligne(s) lue(s), "
        f"{counts.get('siret', 0)} par le SIRET, "
        f"{len(result.rows) - len(result.unresolved) - counts.get('siret', 0)} par "
        f"le nom, {counts.get('ambigu', 0)} ambiguë(s), "
        f"{counts.get('introuvable', 0)} introuvable(s) ; {len(result.added)} "
        f"adhésion(s) {verb}."
        + (" Essai (--dry-run) : rien n'a été écrit." if dry_run else "")
    )
    sys.exit(result.exit_code)
