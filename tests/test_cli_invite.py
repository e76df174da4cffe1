"""The ``invite`` command and :mod:`ess_geo.analysis.invite`."""

import io
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from ess_geo.analysis import invite
from ess_geo.analysis.filters import ActorFilters
from ess_geo.cli import cli
from ess_geo.geo import geography
from ess_geo.workspace import networks, seeding, store

NETWORKS = (
    "network_name,network_kind,region,territory_level,territory_codes,status,"
    "source,perimetre_exact\n"
    "Réseau de Brest,pole,Bretagne,epci,242900314,actif,s,oui\n"
    "Réseau de Rennes,pole,Bretagne,commune,35238,actif,s,oui\n"
)
ACTORS = (
    "nom;code_commune;famille;naf;effectif;tranche_effectif;reseaux;telephone\n"
    "Épicerie solidaire;29019;association;47.11B;5;;;02 98 00 00 01\n"
    "Abri côtier;29019;association;87.90B;5;;;\n"
    "Zèbre coop;29075;cooperative;01.61Z;40;;;\n"
    "Bateau;29019;association;93.12Z;;11;;\n"
    "Ecole;29019;association;85.20Z;;;;\n"
    "Amicale;29019;association;94.99Z;0;;;\n"
    "Membre;29019;association;88.10A;100;;Réseau de Brest;\n"
    "Dehors;35238;association;88.10A;50;;;\n"
    "éclair;29019;mutuelle;65.12Z;;;Réseau de Rennes;\n"
)
ORDER = [
    "Zèbre coop",
    "Bateau",
    "Abri côtier",
    "Épicerie solidaire",
    "éclair",
    "Ecole",
    "Amicale",
]


@pytest.fixture
def files(tmp_path):
    reseaux = tmp_path / "reseaux.csv"
    reseaux.write_text(NETWORKS, encoding="utf-8")
    acteurs = tmp_path / "acteurs.csv"
    acteurs.write_text(ACTORS, encoding="utf-8")
    return reseaux, acteurs


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_invite_exact_order_members_excluded_perimeter_respected(files, workspace_path):
    reseaux, acteurs = files
    result = run(
        "invite", "--network", "reseau de brest", "--networks", reseaux,
        "--actors", acteurs,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == ",".join(invite.INVITE_COLUMNS)
    table = pd.read_csv(io.StringIO(result.output), dtype=str)
    assert table["nom"].tolist() == ORDER
    assert table["rang"].tolist() == [str(r) for r in range(1, 8)]
    assert set(table["code_commune"]) == {"29019", "29075"}  # Brest Métropole
    assert table.loc[table["nom"] == "Épicerie solidaire", "telephone"].item() == (
        "02 98 00 00 01"
    )
    assert not workspace_path.exists()  # files only: the workspace is not touched


def test_invite_json_and_by_id(files, workspace_path):
    reseaux, acteurs = files
    result = run(
        "invite", "--network", "2", "--networks", reseaux, "--actors", acteurs,
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["nom"] for r in rows] == ["Dehors"]  # éclair is a member of Rennes'…
    assert rows[0]["effectif"] == 50


def test_unknown_network_exits_2_with_the_names_it_knows(files, workspace_path):
    reseaux, acteurs = files
    result = run(
        "invite", "--network", "Réseau de Nulle Part", "--networks", reseaux,
        "--actors", acteurs,
    )  # fmt: skip
    assert result.exit_code == 2
    assert "Réseau « Réseau de Nulle Part » introuvable" in result.output
    assert "« Réseau de Brest », « Réseau de Rennes »" in result.output


def test_invite_from_the_workspace_excludes_its_members(conn):
    seeding.seed_workspace(conn, size=3_000, seed=11)
    table, perimeters = networks.from_workspace(conn)
    actors = store.read_actors(conn)
    members = store.read_network_members(conn)
    rennes = table[table["nom"] == "Pôle ESS du Pays de Rennes"].iloc[0]
    result = invite.invite(table, perimeters, actors, members, str(rennes["id"]))
    member_ids = set(members.loc[members["network_id"] == rennes["id"], "actor_id"])
    inside = invite.perimeter_communes(perimeters, rennes["nom"])
    assert len(result) > 0
    assert not member_ids & set(result.index)
    assert result["code_commune"].isin(inside).all()
    assert len(result) + len(member_ids) == actors["code_commune"].isin(inside).sum()
    assert set(geography.parents("commune", "departement")[inside]) == {"35"}
    cli_result = CliRunner().invoke(cli, ["invite", "--network", str(rennes["id"])])
    assert cli_result.exit_code == 0
    assert len(cli_result.output.splitlines()) == len(result) + 1


def test_filters_by_famille_secteur_and_size():
    networks_table = pd.DataFrame({"id": [1], "nom": ["R"]})
    perimeters = pd.DataFrame({"nom": ["R"], "level": ["commune"], "code": ["29019"]})
    actors = pd.DataFrame(
        {
            "siret": [None] * 4,
            "nom": ["A", "B", "C", "D"],
            "famille": ["association", "cooperative", "association", "association"],
            "naf": ["88.10A", "01.61Z", "85.20Z", "88.91A"],
            "effectif": pd.array([12, 3, 60, None], dtype="Int64"),
            "tranche_effectif": [None] * 4,
            "code_commune": ["29019"] * 4,
            "commune": ["Brest"] * 4,
        },
        index=pd.Index([1, 2, 3, 4], name="id"),
    )
    members = pd.DataFrame({"network_id": [1], "actor_id": [4]})
    every = invite.invite(networks_table, perimeters, actors, members, "R")
    assert every["nom"].tolist() == ["C", "A", "B"]
    q = ActorFilters(secteurs=("Q",))
    assert invite.invite(networks_table, perimeters, actors, members, "R", q)[
        "nom"
    ].tolist() == ["A"]
    coop = ActorFilters(familles=("cooperative",))
    assert invite.invite(networks_table, perimeters, actors, members, "R", coop)[
        "nom"
    ].tolist() == ["B"]
    big = ActorFilters(tailles=("10-49", "50-249"))
    assert invite.invite(networks_table, perimeters, actors, members, "R", big)[
        "rang"
    ].tolist() == [1, 2]


def test_target_status_against_the_cahier():
    assert invite.target_status(30, 5).endswith(
        "déjà au moins les 30 membres actifs qu'observe le cahier du CNCRES (2011)."
    )
    assert "de quoi atteindre les 10 à 30" in invite.target_status(0, 10)
    assert "moins que les 10" in invite.target_status(1, 8)
