import pandas as pd
import pytest

from ess_geo.actors import demo
from ess_geo.errors import WorkspaceError
from ess_geo.workspace import networks, seeding, store


def test_network_members_come_from_their_perimeter_10_to_30_each():
    sample = demo.generate_actors(size=30_000)
    _, territories = networks.read_networks_csv(networks.SEED_PATH)
    members = seeding.draw_network_members(sample, territories, seed=1)
    counts = members.groupby("nom").size()
    assert len(counts) == 31
    assert counts.between(*demo.MEMBERS_PER_NETWORK).all()
    perimeter = networks.expand_perimeter(territories)
    joined = members.assign(
        commune=sample.loc[members["actor_id"], "code_commune"].to_numpy()
    )
    allowed = set(map(tuple, perimeter[["nom", "commune"]].to_numpy()))
    assert all((n, c) in allowed for n, c in joined[["nom", "commune"]].to_numpy())


def test_seed_workspace_is_one_audited_transaction(conn):
    counts = seeding.seed_workspace(conn, size=1_000, seed=2)
    assert counts["actors"] == 1_000
    assert counts["networks_added"] == 31
    assert store.has_demo_actors(conn)
    table = store.read_actors(conn)
    assert table["is_demo"].all()
    log = store.read_audit_log(conn)
    assert log.loc[0, "action"] == "demo.seed"
    assert log.loc[0, "detail"]["actors"] == 1_000


def test_reseeding_replaces_demo_actors_but_keeps_real_ones(conn):
    seeding.seed_workspace(conn, size=500, seed=2)
    real = pd.DataFrame(
        [{"nom": "Vraie asso", "famille": "association", "code_commune": "29019"}]
    )
    with store.transaction(conn):
        store.insert_actors(conn, real, source="test")
        store.audit(conn, "test", {})
    counts = seeding.seed_workspace(conn, size=800, seed=3)
    table = store.read_actors(conn)
    assert counts["networks_added"] == 0
    assert len(table) == 801
    assert table.loc[~table["is_demo"], "nom"].tolist() == ["Vraie asso"]
    assert len(store.read_networks(conn)) == 31


def test_open_workspace_seeds_the_demo_once(workspace_path, monkeypatch):
    calls = []
    real = seeding.seed_workspace
    monkeypatch.setattr(
        seeding,
        "seed_workspace",
        lambda conn, size, progress: calls.append(size) or real(conn, 500, 3),
    )
    monkeypatch.setenv(seeding.DEMO_SIZE_ENV, "1234")
    messages = []
    conn = seeding.open_workspace(workspace_path, progress=messages.append)
    assert store.has_demo_actors(conn)
    with store.transaction(conn):
        conn.execute("DELETE FROM actors")
        store.audit(conn, "test.clear", {})
    conn.close()
    conn = seeding.open_workspace(workspace_path)
    assert calls == [1234]
    assert not store.has_demo_actors(conn)
    conn.close()


def test_seeding_says_what_it_does(conn):
    messages = []
    seeding.seed_workspace(conn, size=200, seed=2, progress=messages.append)
    assert messages == [
        "Génération de 200 acteurs fictifs calibrés…",
        "Écriture de l'espace de travail (une transaction)…",
    ]


def test_demo_size_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv(seeding.DEMO_SIZE_ENV, raising=False)
    assert seeding.demo_size() == demo.DEFAULT_SIZE == 299_932
    monkeypatch.setenv(seeding.DEMO_SIZE_ENV, " 30000 ")
    assert seeding.demo_size() == 30_000


@pytest.mark.parametrize("value", ["0", "-5", "trente", "3000001", "1e4"])
def test_a_bad_demo_size_is_refused_in_french(monkeypatch, value):
    monkeypatch.setenv(seeding.DEMO_SIZE_ENV, value)
    with pytest.raises(WorkspaceError, match="ESS_GEO_DEMO_SIZE vaut"):
        seeding.demo_size()


def test_reference_networks_get_their_own_site_where_it_is_their_source(conn):
    seeding.seed_workspace(conn, size=100, seed=2)
    sites = store.read_networks(conn).set_index("nom")["site_web"].dropna()
    assert sites.to_dict() == {
        "ADESS Cornouaille": "http://www.adess29.fr",
        "Horizons Solidaires": "https://horizons-solidaires.fr",
        "ÉcoSolidaireS": "http://ecosolidaires.org",
    }
