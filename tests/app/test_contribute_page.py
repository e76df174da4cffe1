"""Public proposals and their moderation through Streamlit's AppTest (no browser)."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from ess_geo import paths, ui
from ess_geo.pages import contribute as texts
from ess_geo.workspace import editing, proposals, seeding, store

APP = str(paths.ROOT / "app.py")
PAYLOAD = "<script>alert(1)</script>{{7*7}} Café"


@pytest.fixture
def workspace(workspace_path):
    conn = store.connect(workspace_path)
    seeding.seed_workspace(conn, size=300, seed=4)
    conn.close()
    return workspace_path


def annuaire(**params) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    app.switch_page("views/annuaire.py")
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, app.exception
    return app


def plain(markdown: str) -> str:
    """Text of a message whose user-supplied parts were Markdown-escaped."""
    return re.sub(r"\\(.)", r"\1", markdown)


def labelled(widgets, label, nth=0):
    return [w for w in widgets if w.label == label][nth]


def actor_form(app) -> int:
    """Position of « Proposer un acteur » among the page's proposal forms.

    The forms come in page order: « Signaler une erreur » (under the list),
    « Proposer un acteur », then a network's contact; the actor form is the
    one whose « Nom » starts empty.
    """
    names = [t.value for t in app.text_input if t.label == "Nom"]
    assert names.count("") == 1
    return names.index("")


def send(app, nth=0):
    labelled(app.button, texts.SEND, nth).click().run()
    assert not app.exception, app.exception


def test_a_visitor_proposes_an_actor_and_only_staff_see_it(workspace):
    app = annuaire(commune="29019")
    form = actor_form(app)
    labelled(app.text_input, "Nom", form).input(PAYLOAD)
    # Its commune starts from the page's commune.
    assert labelled(app.text_input, "Commune", form).value == "Brest 29"
    labelled(app.text_input, "Courriel de contact (facultatif)", form).input(
        "moi@example.org"
    )
    send(app, form)
    assert [s.value for s in app.success] == [texts.THANKS]
    conn = store.connect(workspace)
    assert PAYLOAD not in set(store.read_actors(conn)["nom"])
    (pending,) = proposals.pending(conn)
    assert pending["fields"]["nom"] == "alert(1){{7*7}} Café"
    assert pending["fields"]["code_commune"] == "29019"
    assert pending["contact_email"] == "moi@example.org"
    conn.close()


def test_a_refused_proposal_says_why_and_keeps_nothing(workspace):
    app = annuaire(commune="29019")
    form = actor_form(app)
    labelled(app.text_input, "Nom", form).input("Atelier")
    labelled(app.text_input, "Commune", form).input("brst")
    send(app, form)
    assert plain(app.error[0].value) == (
        "Aucune commune ne correspond à « brst » : vérifiez l'orthographe, ou "
        "indiquez le code postal."
    )
    assert not app.success
    conn = store.connect(workspace)
    assert proposals.pending_count(conn) == 0
    conn.close()


def test_a_filled_honeypot_thanks_and_stores_nothing(workspace):
    app = annuaire(commune="29019")
    form = actor_form(app)
    labelled(app.text_input, "Nom", form).input("Robot")
    labelled(app.text_input, texts.HONEYPOT_LABEL, form).input("http://spam.example")
    send(app, form)
    assert [s.value for s in app.success] == [texts.THANKS]
    conn = store.connect(workspace)
    assert proposals.pending_count(conn) == 0
    conn.close()


def test_staff_accept_a_proposal_on_donnees(workspace):
    conn = store.connect(workspace)
    proposal_id = proposals.submit(
        conn,
        "acteur",
        {"nom": PAYLOAD, "code_commune": "29019", "famille": "cooperative"},
    )
    before = len(store.read_actors(conn))
    conn.close()
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    app.switch_page("views/donnees.py")
    app.run()
    # Everyone sees the count; nothing else of the queue.
    assert "1 proposition en attente" in [c.value for c in app.caption]
    app.session_state[ui.StaffKeys.USER] = "alice"
    app.query_params["onglet"] = "propositions"
    app.run()
    assert not app.exception, app.exception
    assert app.subheader[0].value == "Propositions du public"
    labelled(app.button, "Accepter").click().run()
    assert not app.exception, app.exception
    assert f"Proposition n° {proposal_id} acceptée" in app.success[0].value
    conn = store.connect(workspace)
    actors = store.read_actors(conn)
    assert len(actors) == before + 1
    assert actors["nom"].iloc[-1] == "alert(1){{7*7}} Café"
    assert proposals.pending_count(conn) == 0
    conn.close()


def test_staff_reject_with_a_reason(workspace):
    conn = store.connect(workspace)
    network_id = int(store.read_networks(conn).index[0])
    proposal_id = proposals.submit(
        conn, "contact_reseau", {"site_web": "https://x.example"}, network_id=network_id
    )
    conn.close()
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    app.switch_page("views/donnees.py")
    app.session_state[ui.StaffKeys.USER] = "alice"
    app.query_params["onglet"] = "propositions"
    app.run()
    labelled(app.button, "Refuser").click().run()
    assert plain(app.error[0].value) == "Indiquez la raison du refus."
    labelled(app.text_input, "Raison du refus").input("Site d'un autre réseau")
    labelled(app.button, "Refuser").click().run()
    assert f"Proposition n° {proposal_id} refusée" in app.success[0].value
    conn = store.connect(workspace)
    record = proposals.proposal(conn, proposal_id)
    assert (record["status"], record["reason"]) == ("refusee", "Site d'un autre réseau")
    assert editing.network_record(conn, network_id)["site_web"] != "https://x.example"
    conn.close()
