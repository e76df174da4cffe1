"""Public proposals and their moderation through Streamlit's AppTest (no browser)."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from ess_geo import paths, ui
from ess_geo.pages import contribute as texts
from ess_geo.workspace import editing, proposals, ratelimit, seeding, store

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


def test_a_visitor_reports_an_error_on_an_actor_of_the_list(workspace):
    app = annuaire(commune="29019")
    actor_id = labelled(app.selectbox, "Fiche concernée").value
    conn = store.connect(workspace)
    stored = store.read_actors(conn).loc[actor_id]
    conn.close()
    # The correction form starts from the actor as shown, and comes first.
    assert labelled(app.text_input, "Nom", 0).value == stored["nom"]
    assert labelled(app.text_input, "Commune", 0).value == texts.commune_text(
        stored["code_commune"]
    )
    labelled(app.text_input, "Nom", 0).input("Nom corrigé")
    labelled(app.text_area, "Message", 0).input("Le nom a changé en 2025")
    send(app, 0)
    assert [s.value for s in app.success] == [texts.THANKS]
    conn = store.connect(workspace)
    (pending,) = proposals.pending(conn)
    assert (pending["kind"], pending["actor_id"]) == ("correction", actor_id)
    assert pending["fields"]["nom"] == "Nom corrigé"
    assert store.read_actors(conn).at[actor_id, "nom"] == stored["nom"]
    conn.close()


def test_a_network_without_contact_offers_the_form(workspace):
    app = annuaire(commune="29019")
    offers = [m.value for m in app.markdown if "Nous ne connaissons pas" in m.value]
    assert offers, "no network contact form on the page"
    assert texts.PROPOSE_CONTACT in [e.label for e in app.expander]
    labelled(app.text_input, "Site web", -1).input("https://pole.example")
    send(app, -1)
    assert [s.value for s in app.success] == [texts.THANKS]
    conn = store.connect(workspace)
    (pending,) = proposals.pending(conn)
    assert pending["kind"] == "contact_reseau"
    assert pending["fields"]["site_web"] == "https://pole.example"
    network = editing.network_record(conn, pending["network_id"])
    assert f"« {network['nom']} »" in plain(offers[-1])
    assert network["site_web"] is None  # not public before a decision
    conn.close()


def test_the_session_limit_refuses_a_sixth_proposal(workspace):
    app = annuaire(commune="29019")
    for n in range(ratelimit.RATE_PER_SESSION):
        form = actor_form(app)
        labelled(app.text_input, "Nom", form).input(f"Atelier {n}")
        send(app, form)
        assert [s.value for s in app.success] == [texts.THANKS]
    form = actor_form(app)
    labelled(app.text_input, "Nom", form).input("Un de trop")
    send(app, form)
    assert plain(app.error[0].value).startswith(
        f"Vous avez déjà envoyé {ratelimit.RATE_PER_SESSION} proposition(s) en peu "
        "de temps : réessayez dans"
    )
    conn = store.connect(workspace)
    assert proposals.pending_count(conn) == ratelimit.RATE_PER_SESSION
    conn.close()


def test_the_carte_actor_card_offers_to_report_an_error(workspace):
    conn = store.connect(workspace)
    actor_id = int(store.read_actors(conn).index[0])
    conn.close()
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["acteur"] = str(actor_id)
    app.run()
    assert not app.exception, app.exception
    assert [e.label for e in app.expander] == [texts.REPORT_ERROR]
    labelled(app.text_area, "Message").input("Fermé depuis 2024")
    send(app)
    assert [s.value for s in app.success] == [texts.THANKS]
    conn = store.connect(workspace)
    (pending,) = proposals.pending(conn)
    assert (pending["actor_id"], pending["message"]) == (actor_id, "Fermé depuis 2024")
    conn.close()


def test_a_correction_sent_unchanged_is_refused(workspace):
    app = annuaire(commune="29019")
    send(app, 0)  # « Signaler une erreur » as it started, no message
    assert plain(app.error[0].value) == texts.NOTHING_CHANGED
    conn = store.connect(workspace)
    assert proposals.pending_count(conn) == 0
    conn.close()


def test_the_queue_goes_on_after_a_decision(workspace):
    conn = store.connect(workspace)
    first = proposals.submit(
        conn, "acteur", {"nom": "Un", "code_commune": "29019", "famille": "mutuelle"}
    )
    second = proposals.submit(
        conn, "acteur", {"nom": "Deux", "code_commune": "29019", "famille": "mutuelle"}
    )
    conn.close()
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    app.switch_page("views/donnees.py")
    app.session_state[ui.StaffKeys.USER] = "alice"
    app.query_params["onglet"] = "propositions"
    app.run()
    assert app.selectbox[0].value == first
    labelled(app.button, "Accepter").click().run()
    assert not app.exception, app.exception
    assert app.selectbox[0].value == second
    assert "1 proposition en attente" in [c.value for c in app.caption]
