"""The ``gaps`` and ``import-networks`` commands."""

import io
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from ess_geo.analysis import coverage
from ess_geo.cli import cli
from ess_geo.geo import geography
from ess_geo.workspace import networks, seeding, store

HEADER = (
    "network_name,network_kind,region,territory_level,territory_codes,status,"
    "source,perimetre_exact\n"
)
NETWORKS = (
    "Réseau du Pays de Brest,pole,Bretagne,pays,BZH-BREST,actif,s,oui\n"
    "Réseau Brest-Morlaix,collectif,Bretagne,epci,242900314|242900835,actif,s,oui\n"
    "Réseau d'Ille-et-Vilaine,comite_territorial,Bretagne,departement,35,"
    "inconnu,s,oui\n"
)
ACTORS = (
    "nom;code_commune;famille;effectif;tranche_effectif\n"
    "A;29019;Association;12;\n"
    "B;35236;Coopérative;;11\n"
    "C;44184;association;3;\n"
    "D;75056;Mutuelle;;\n"
)


@pytest.fixture
def files(tmp_path):
    reseaux = tmp_path / "reseaux.csv"
    reseaux.write_text(HEADER + NETWORKS, encoding="utf-8")
    acteurs = tmp_path / "acteurs.csv"
    acteurs.write_text(ACTORS, encoding="utf-8")
    return reseaux, acteurs


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def csv_output(result) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(result.output), dtype={"code": str})


def test_gaps_csv_columns_statuses_and_ranks(files, workspace_path):
    reseaux, acteurs = files
    result = run(
        "gaps",
        "--level",
        "epci",
        "--networks",
        reseaux,
        "--actors",
        acteurs,
        "--min-employers",
        "0",
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == ",".join(coverage.GAPS_COLUMNS)
    table = csv_output(result)
    assert len(table) == 1253
    assert set(table["code"]) == set(geography.territories("epci").index)
    assert set(table["couverture"]) == {"couverte", "partielle", "non_couverte"}
    covered = table[table["couverture"] == "couverte"]
    assert covered["score_prospection"].isna().all()
    assert covered["rang"].isna().all()
    others = table[table["couverture"] != "couverte"]
    assert sorted(others["rang"].astype(int)) == list(range(1, len(others) + 1))
    brest = table.set_index("code").loc["242900314"]
    assert brest["reseaux"] == "Réseau Brest-Morlaix|Réseau du Pays de Brest"
    assert brest["structures"] == 1 and brest["emplois"] == 12
    redon = table.set_index("code").loc["243500741"]
    assert redon["couverture"] == "partielle"
    assert redon["part_population_couverte"] == round(27_151 / 66_268, 4)
    # Networks from a file: no inventory is complete unless named.
    assert set(table["inventaire"]) == {"incomplet"}
    assert not workspace_path.exists()  # files given: the workspace is not touched


def test_gaps_csv_numbers_have_at_most_four_decimals(files):
    reseaux, acteurs = files
    result = run("gaps", "--level", "pays", "--networks", reseaux, "--actors", acteurs)
    assert result.exit_code == 0, result.output
    for line in result.output.splitlines()[1:]:
        for cell in line.split(","):
            if "." in cell and cell.replace(".", "").isdigit():
                assert len(cell.split(".")[1]) <= 4, line


def test_gaps_json_is_unrounded_with_network_lists(files, tmp_path):
    reseaux, acteurs = files
    out = tmp_path / "gaps.json"
    result = run(
        "gaps",
        "--level",
        "epci",
        "--networks",
        reseaux,
        "--actors",
        acteurs,
        "--format",
        "json",
        "--out",
        out,
        "--min-employers",
        "0",
    )
    assert result.exit_code == 0, result.output
    assert result.output == ""
    rows = {row["code"]: row for row in json.loads(out.read_text(encoding="utf-8"))}
    assert len(rows) == 1253
    assert list(rows["242900314"]) == list(coverage.GAPS_COLUMNS)
    assert rows["242900314"]["reseaux"] == [
        "Réseau Brest-Morlaix",
        "Réseau du Pays de Brest",
    ]
    assert rows["242900314"]["rang"] is None
    assert rows["243500741"]["part_population_couverte"] == 27_151 / 66_268
    assert isinstance(rows["243500741"]["rang"], int)


def test_gaps_reads_the_workspace_by_default(workspace_path):
    conn = store.connect(workspace_path)
    seeding.seed_workspace(conn, size=600, seed=3)
    conn.close()
    result = run("gaps", "--level", "pays", "--min-employers", "0")
    assert result.exit_code == 0, result.output
    table = csv_output(result).set_index("code")
    assert len(table) == 31
    # The PETR d'Argentan (BANATIC 200048643) holds the former PAPAO, whose
    # network covers 65 % of its population; the Giennois has no network.
    assert table.at["200048643", "couverture"] == "partielle"
    assert table.at["200048643", "part_population_couverte"] == 0.6516
    assert table.at["254502669", "couverture"] == "non_couverte"
    assert table.at["254502669", "rang"] == 1
    assert table.at["BZH-BREST", "couverture"] == "couverte"
    # The workspace's declarations: Bretagne complete, the others not.
    assert table.at["BZH-BREST", "inventaire"] == "complet"
    assert table.at["200048643", "inventaire"] == "incomplet"
    # The default size condition (30 ESS employers) ranks no pays here.
    default = csv_output(run("gaps", "--level", "pays"))
    assert default["rang"].isna().all()


def test_gaps_options_threshold_weights_region(files):
    reseaux, acteurs = files
    result = run(
        "gaps",
        "--level",
        "epci",
        "--networks",
        reseaux,
        "--actors",
        acteurs,
        "--threshold",
        "0.4",
        "--region",
        "53",
        "--weight",
        "densite=0",
        "--weight",
        "voisins=3",
    )
    assert result.exit_code == 0, result.output
    table = csv_output(result).set_index("code")
    assert table.at["243500741", "couverture"] == "couverte"  # 41 % >= 40 %
    parents = geography.parents("epci", "region")
    assert (table.index.map(parents) == "53").all()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--level", "canton"], "canton"),
        (["--level", "epci", "--format", "xml"], "xml"),
        (["--level", "epci", "--threshold", "0"], "threshold"),
        (["--level", "epci", "--weight", "taille=2"], "COMPOSANTE=POIDS"),
        (["--level", "epci", "--weight", "densite=-1"], "positif"),
        (["--level", "epci", "--weight", "population=1"], "COMPOSANTE=POIDS"),
        (["--level", "epci", "--count", "presque"], "presque"),
        (["--level", "epci", "--min-employers", "-1"], "min-employers"),
        (["--level", "epci", "--complete-inventory", "99"], "région(s) inconnue(s) 99"),
        (["--level", "epci", "--networks", "absent.csv"], "absent.csv"),
        (["--level", "epci", "--region", "99"], "« 99 » introuvable"),
    ],
)
def test_gaps_unusable_arguments_exit_2(files, args, message):
    reseaux, acteurs = files
    extra = [] if "--networks" in args else ["--networks", reseaux]
    result = run("gaps", *args, *extra, "--actors", acteurs)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_gaps_bad_network_file_exits_2_with_the_line(files, tmp_path):
    _, acteurs = files
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "X,pole,B,epci,000000000,actif,s,oui\n")
    result = run("gaps", "--level", "epci", "--networks", bad, "--actors", acteurs)
    assert result.exit_code == 2
    assert "ligne 2 : code(s) 000000000 inconnu(s)" in result.output


def test_gaps_complete_inventory_names_regions_with_a_network_file(files):
    reseaux, acteurs = files
    base = ("gaps", "--level", "epci", "--networks", reseaux, "--actors", acteurs)
    without = csv_output(run(*base)).set_index("code")
    assert set(without["inventaire"]) == {"incomplet"}
    result = run(*base, "--complete-inventory", "53", "--complete-inventory", "28")
    assert result.exit_code == 0, result.output
    table = csv_output(result).set_index("code")
    parents = geography.parents("epci", "region")
    complete = table.index[table["inventaire"] == "complet"]
    assert set(parents[complete]) == {"53", "28"}
    assert (
        table.loc[table.index.map(parents) == "11", "inventaire"] == "incomplet"
    ).all()


def test_gaps_counting_choices(files):
    reseaux, acteurs = files
    base = ("gaps", "--level", "epci", "--networks", reseaux, "--actors", acteurs)
    rennes = "243500139"  # covered only by a network of status « inconnu »
    default = csv_output(run(*base)).set_index("code")
    assert default.at[rennes, "couverture"] == "couverte"
    active = csv_output(run(*base, "--count", "actifs")).set_index("code")
    assert active.at[rennes, "couverture"] == "non_couverte"
    assert pd.isna(active.at[rennes, "reseaux"])
    everything = csv_output(run(*base, "--count", "tous")).set_index("code")
    assert everything.at[rennes, "couverture"] == "couverte"


def test_gaps_uses_the_workspace_declarations(workspace_path):
    from ess_geo.workspace import inventories

    conn = store.connect(workspace_path)
    seeding.seed_workspace(conn, size=300, seed=1)
    inventories.declare_inventory(conn, "28", True, source="test")
    conn.close()
    table = csv_output(run("gaps", "--level", "departement")).set_index("code")
    assert table.at["29", "inventaire"] == "complet"
    assert table.at["61", "inventaire"] == "complet"
    assert table.at["75", "inventaire"] == "incomplet"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("nom,famille\nA,association\n", "il manque de quoi placer les acteurs"),
        ("nom,code_commune,famille\nA,99999,association\n", "« 99999 » inconnu"),
        ("nom,code_commune,famille\nA,29019,club\n", "ligne 2 ignorée : famille"),
        ("nom,code_commune,famille,effectif\nA,29019,association,dix\n", "effectif"),
    ],
)
def test_gaps_bad_actor_file_exits_2(files, tmp_path, body, message):
    reseaux, _ = files
    bad = tmp_path / "acteurs.csv"
    bad.write_text(body, encoding="utf-8")
    result = run("gaps", "--level", "epci", "--networks", reseaux, "--actors", bad)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_actor_file_in_cp1252_with_categorie_juridique(files, tmp_path):
    reseaux, _ = files
    path = tmp_path / "acteurs.csv"
    path.write_bytes(
        "nom;Code INSEE;categorie_juridique\nÉcole;29019;9220\n".encode("cp1252")
    )
    result = run("gaps", "--level", "epci", "--networks", reseaux, "--actors", path)
    assert result.exit_code == 0, result.output
    assert csv_output(result).set_index("code").at["242900314", "structures"] == 1


def test_import_networks_command(workspace_path, tmp_path, files):
    reseaux, _ = files
    conn = store.connect(workspace_path)
    seeding.seed_workspace(conn, size=300, seed=1)
    count = len(store.read_networks(conn))
    conn.close()
    result = run("import-networks", reseaux)
    assert result.exit_code == 0, result.output
    assert "3 réseau(x) ont été ajouté(s), 0 mis à jour" in result.output
    conn = store.connect(workspace_path)
    table, _ = networks.from_workspace(conn)
    conn.close()
    assert len(table) == count + 3


def test_import_networks_refuses_a_bad_file_and_writes_nothing(
    workspace_path, tmp_path
):
    conn = store.connect(workspace_path)
    seeding.seed_workspace(conn, size=300, seed=1)
    before = store.revision(conn)
    conn.close()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + NETWORKS + "Z,pole,B,pays,BZH-NULLE-PART,actif,s,oui\n")
    result = run("import-networks", bad)
    assert result.exit_code == 2
    assert "ligne 5" in result.output and "BZH-NULLE-PART" in result.output
    conn = store.connect(workspace_path)
    assert store.revision(conn) == before
    conn.close()
