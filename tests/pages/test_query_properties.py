"""Issue 15: generated links and map clicks never raise (property-based)."""

import datetime as dt

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ess_geo.pages.annuaire import AnnuaireState
from ess_geo.pages.carte import CarteState, click_target, clicked_ref
from ess_geo.pages.couverture import BUDGET_PARAMS, CouvertureState
from ess_geo.pages.donnees import DonneesState
from ess_geo.pages.reseaux import ReseauxState
from ess_geo.pages.territoires import TerritoiresState

BOUNDED = settings(
    max_examples=60,
    deadline=dt.timedelta(seconds=30),
    suppress_health_check=[HealthCheck.too_slow],
)

STATES = (
    AnnuaireState,
    CarteState,
    CouvertureState,
    DonneesState,
    ReseauxState,
    TerritoiresState,
)
NAMES = sorted(
    {name for state in STATES for name in state.PARAMS.values()}
    | {p.param for p in BUDGET_PARAMS.values()}
    | {"acteur", "page", "poids", "dep", "epci", "niveau", "code", "sel", "rayon"}
    | {"ouvert"}
)
TRICKY = st.sampled_from(
    [
        "²",
        "٣",
        "1e309",
        "-1e309",
        "nan",
        "inf",
        "1e3",
        "abc",
        "0x1F",
        "",
        " ",
        "-0",
        "structures:1e309",
        "voisins:nan",
        "acteur:abc",
        "reseau:1e3",
        "region:²",
        "99999999999999999999999",
        "<script>",
        "=1+1",
        "\x00",
        "é,è",
        "|",
        ",,,",
    ]
)
VALUES = st.one_of(TRICKY, st.text(max_size=30))
PARAMS = st.dictionaries(
    st.one_of(st.sampled_from(NAMES), st.text(max_size=8)),
    st.one_of(VALUES, st.lists(VALUES, max_size=3)),
    max_size=8,
)
LISTING = pd.DataFrame({"Région": ["Bretagne"]}, index=pd.Index([1], name="id"))


@BOUNDED
@given(params=PARAMS)
def test_issue15_every_page_state_reads_any_link_without_raising(params):
    results = [
        AnnuaireState.from_query(params, communes={"29019"}),
        CarteState.from_query(params, network_ids=["1"], actor_ids={1, 2}),
        CouvertureState.from_query(params),
        DonneesState.from_query(params),
        ReseauxState.from_query(params, LISTING),
        TerritoiresState.from_query(params),
    ]
    for state, ignored in results:
        assert isinstance(ignored, list)
        assert all(isinstance(i, str) for i in ignored)
        query = state.to_query()
        assert all(v is None or isinstance(v, str) for v in query.values())


@BOUNDED
@given(
    ref=st.one_of(
        st.none(),
        TRICKY,
        st.text(max_size=20),
        st.builds(
            lambda kind, ident: f"{kind}:{ident}",
            st.sampled_from(["acteur", "reseau", "departement", "region", "epci", "x"]),
            st.one_of(TRICKY, st.text(max_size=12)),
        ),
    )
)
def test_issue15_a_forged_map_click_is_ignored_or_exact(ref):
    target = click_target(ref)
    if target is not None:
        kind, ident = target
        assert f"{kind}:{ident}" == ref
        if kind in ("acteur", "reseau"):
            assert ident.isascii() and ident.isdigit()


@BOUNDED
@given(
    clicked=st.recursive(
        st.one_of(st.none(), st.integers(), st.text(max_size=10), st.floats()),
        lambda children: st.one_of(
            st.lists(children, max_size=3),
            st.dictionaries(
                st.sampled_from(["last_active_drawing", "properties", "ref", "x"]),
                children,
                max_size=3,
            ),
        ),
        max_leaves=8,
    )
)
def test_issue15_any_click_payload_gives_a_ref_or_none(clicked):
    ref = clicked_ref(clicked)
    assert ref is None or (isinstance(ref, str) and ref)
