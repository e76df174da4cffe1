"""Members reconciled with the workspace's establishments (SIRENE)."""

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from ess_geo.cli import cli
from ess_geo.errors import MembersFileError, UnknownNetworkError
from ess_geo.io import imports
from ess_geo.pages import members as match_page
from ess_geo.workspace import editing, history, loading, members, networks, store


def luhn(body: str) -> str:
    """``body`` (13 digits) completed with the digit that makes a valid SIRET."""
    for last in "0123456789":
        digits = [int(c) for c in body + last][::-1]
        total = sum(d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2)
                    for i, d in enumerate(digits))  # fmt: skip
        if total % 10 == 0:
            return body + last
    raise AssertionError(body)


S = [luhn(f"{i}" * 9 + "0001") for i in range(1, 7)]
ACTORS = "\n".join(
    [
        "siret;nom;famille;code_commune;latitude;longitude",
        f"{S[0]};Association Ty Coz;association;29019;;",
        f"{S[1]};Épicerie solidaire;association;29019;;",
        f"{S[2]};Épicerie Solidaire;association;29075;;",
        f"{S[3]};La Recyclerie;association;29019;48.39;-4.48",
        f"{S[4]};La Recyclerie;association;29019;48.40;-4.49",
        f"{S[5]};Le Fournil;cooperative;29019;48.395;-4.475",
        ";Jardin partagé;association;29019;;",
        ";Jardin partagé;association;35238;;",
    ]
)
MEMBERS = "\n".join(
    [
        "nom;siret;commune;code_commune;latitude;longitude",
        f"Asso Ty Coz (nom changé);{S[0]};;;;",
        "epicerie solidaire;;;29019;;",
        "EPICERIE-SOLIDAIRE;;Guipavas;;;",
        "La Recyclerie;;;29019;;",
        "Inconnue;;;29019;;",
        "Le Fournil;;;29075;48.40;-4.47",
        "Jardin partagé;;;;;",
    ]
)
STATUSES = [
    "siret",
    "nom_commune",
    "nom_commune",
    "ambigu",
    "introuvable",
    "nom_proche",
    "nom_perimetre",
]


@pytest.fixture
def workspace(conn, tmp_path):
    reseaux = tmp_path / "reseaux.csv"
    reseaux.write_text(
        "network_name,network_kind,region,territory_level,territory_codes,status,"
        "source,perimetre_exact\n"
        "Réseau de Brest,pole,Bretagne,epci,242900314,actif,s,oui\n",
        encoding="utf-8",
    )
    networks.import_networks(conn, reseaux)
    actors = tmp_path / "acteurs.csv"
    actors.write_text(ACTORS, encoding="utf-8")
    report = loading.import_actors(conn, imports.open_source(actors), keep_demo=True)
    assert not report.rejected, report.rejected
    listing = tmp_path / "membres.csv"
    listing.write_text(MEMBERS, encoding="utf-8")
    return conn, listing


def ids_by_siret(conn) -> dict[str, int]:
    actors = store.read_actors(conn)
    return dict(zip(actors["siret"].fillna(""), actors.index, strict=True))


def test_match_statuses_siret_name_commune_distance_perimeter(workspace):
    conn, listing = workspace
    result = members.match_file(conn, listing, "reseau de brest")
    rows = result.rows
    assert rows["statut"].tolist() == STATUSES
    assert rows["line"].tolist() == [2, 3, 4, 5, 6, 7, 8]
    by = ids_by_siret(conn)
    assert rows["actor_id"].tolist()[:3] == [by[S[0]], by[S[1]], by[S[2]]]
    assert rows.loc[5, "actor_id"] == by[S[5]]
    jardin = store.read_actors(conn)
    brest_jardin = jardin.index[
        (jardin["nom"] == "Jardin partagé") & (jardin["code_commune"] == "29019")
    ].item()
    assert rows.loc[6, "actor_id"] == brest_jardin  # Rennes' is off the perimeter
    assert [c[0] for c in rows.loc[3, "candidats"]] == [by[S[3]], by[S[4]]]
    assert rows.loc[3, "candidats"][0][1] == f"n° {by[S[3]]} La Recyclerie (Brest)"
    assert pd.isna(rows.loc[4, "actor_id"])
    assert result.exit_code == 1


def test_import_writes_unique_matches_and_undo_removes_them(workspace):
    conn, listing = workspace
    before = store.read_network_members(conn)
    result = members.import_members(conn, listing, "1", who="equipe")
    assert len(result.added) == 5
    after = store.read_network_members(conn)
    assert sorted(after["actor_id"]) == sorted(result.added)
    log = history.log(conn)
    assert log.iloc[0]["action"] == "reseau.membres.import"
    history.undo(conn, result.audit_id)
    pd.testing.assert_frame_equal(store.read_network_members(conn), before)


def test_dry_run_and_failed_imports_change_nothing(workspace, tmp_path, monkeypatch):
    conn, listing = workspace
    revision = store.revision(conn)
    result = members.import_members(conn, listing, "1", dry_run=True)
    assert len(result.added) == 5 and result.audit_id is None
    with pytest.raises(UnknownNetworkError, match="Réseau « Nulle part » introuvable"):
        members.import_members(conn, listing, "Nulle part")
    monkeypatch.setattr(members, "MAX_MEMBER_BYTES", 100)
    with pytest.raises(MembersFileError, match="dépasse"):
        members.import_members(conn, listing, "1")
    monkeypatch.setattr(members, "MAX_MEMBER_BYTES", 5_000_000)
    monkeypatch.setattr(members, "MAX_MEMBER_ROWS", 3)
    with pytest.raises(MembersFileError, match="au plus 3 membres"):
        members.import_members(conn, listing, "1")
    no_name = tmp_path / "sans-nom.csv"
    no_name.write_text("siret;ville\n1;Brest\n", encoding="utf-8")
    with pytest.raises(MembersFileError, match="Colonne du nom non reconnue"):
        members.import_members(conn, no_name, "1")
    assert store.revision(conn) == revision
    assert store.read_network_members(conn).empty


def test_current_members_without_siret_move_to_their_sirene_establishment(workspace):
    conn, _ = workspace
    actors = store.read_actors(conn)
    by = ids_by_siret(conn)
    by_hand = editing.add_actor(
        conn, {"nom": "Le fournil", "famille": "cooperative", "code_commune": "29019"}
    )
    editing.set_members(conn, 1, add=[by_hand, by[S[0]]])
    result = members.match_current(conn, "1")
    assert result.rows["statut"].tolist() == ["nom_commune"]
    assert result.rows["remplace"].tolist() == [by_hand]
    members.apply_matches(conn, result, [0])
    assert result.added == [by[S[5]]] and result.removed == [by_hand]
    now = store.read_network_members(conn)
    assert sorted(now["actor_id"]) == sorted([by[S[0]], by[S[5]]])
    assert len(actors) + 1 == len(store.read_actors(conn))


def test_cli_import_members_exit_codes(workspace, tmp_path, workspace_path):
    conn, listing = workspace
    report = tmp_path / "rapport.json"
    run = CliRunner().invoke(
        cli, ["import-members", str(listing), "--network", "Réseau de Brest",
              "--dry-run", "--report-json", str(report)],
    )  # fmt: skip
    assert run.exit_code == 1, run.output
    assert "7 ligne(s) lue(s), 1 par le SIRET, 4 par le nom, 1 ambiguë(s), " in (
        run.output
    )
    assert "ligne 5 « La Recyclerie » : plusieurs acteurs possibles ; n° " in run.output
    payload = json.loads(report.read_text())
    assert [r["statut"] for r in payload["lignes"]] == STATUSES
    assert store.read_network_members(conn).empty
    good = tmp_path / "bons.csv"
    good.write_text(f"nom;siret\nTy Coz;{S[0]}\n", encoding="utf-8")
    run = CliRunner().invoke(cli, ["import-members", str(good), "--network", "1"])
    assert run.exit_code == 0, run.output
    assert len(store.read_network_members(conn)) == 1
    run = CliRunner().invoke(cli, ["import-members", str(good), "--network", "99"])
    assert run.exit_code == 2
    assert "introuvable" in run.output


def test_a_person_chooses_among_an_ambiguity_s_candidates(workspace):
    conn, listing = workspace
    by = ids_by_siret(conn)
    result = members.match_file(conn, listing, "1")
    table = match_page.match_table(result)
    assert table[match_page.CONFIRM].tolist() == [
        True, True, True, False, False, True, True,
    ]  # fmt: skip
    recyclerie = f"n° {by[S[4]]} La Recyclerie (Brest)"
    assert recyclerie in match_page.actor_options(result)
    edited = table.copy()
    edited.loc[3, [match_page.ACTOR, match_page.CONFIRM]] = [recyclerie, True]
    edited.loc[1, match_page.CONFIRM] = False
    choices = match_page.confirmed_choices(edited, result)
    jardin = result.rows.loc[6, "actor_id"]
    assert choices == {0: by[S[0]], 2: by[S[2]], 3: by[S[4]], 5: by[S[5]], 6: jardin}
    members.apply_matches(conn, result, list(choices), choices=choices)
    assert by[S[4]] in set(store.read_network_members(conn)["actor_id"])
    assert match_page.saved_message(result).startswith(
        "5 adhésion(s) ajoutée(s) à « Réseau de Brest » (modification n° "
    )
    with pytest.raises(MembersFileError, match="n'est pas parmi ceux proposés"):
        members.apply_matches(conn, result, [3], choices={3: by[S[0]]})
