"""Annuaire: the public finds ESS actors near them, by need, and whom to contact.

State in the URL (:class:`ess_geo.pages.annuaire.AnnuaireState`): ``commune``
(INSEE code), ``besoin`` (a need key), ``rayon`` (km), ``page`` and ``fond``.
It is read once per run (the first run of a session also seeds the widgets
and says what the link had wrong) and written once. A geolocated position
stays in the session: only the commune it falls in goes to the URL.
"""

import streamlit as st

from ess_geo import ui
from ess_geo.actors import needs
from ess_geo.analysis import contacts, directory
from ess_geo.errors import EssGeoError
from ess_geo.geo import geography
from ess_geo.maps import directory_map
from ess_geo.pages import annuaire, cards
from ess_geo.pages.annuaire import AnnuaireState
from ess_geo.text import escape_markdown

K = ui.AnnuaireKeys

st.title("Annuaire de l'ESS près de chez vous", anchor=False)
st.markdown(
    "Vous avez des besoins en petite enfance, pour une personne âgée, de "
    "logement, de santé, de transport… Trouvez les associations, coopératives, "
    "mutuelles et fondations près de chez vous, et le réseau de l'économie "
    "sociale et solidaire à contacter sur votre territoire."
)

linked, ignored = AnnuaireState.from_query(st.query_params, geography.communes().index)
# First run of the session: start from the shared link.
if K.SEARCH not in st.session_state:
    st.session_state[K.SEARCH] = None
    if linked.commune is not None:
        st.session_state[K.QUERY] = geography.communes().at[linked.commune, "nom"]
    for warning in annuaire.link_warnings(ignored):
        st.warning(warning)
    st.session_state[K.NEED] = linked.need
    st.session_state[K.RADIUS] = linked.radius
    st.session_state[K.PAGE] = linked.page

search_area = st.container()
located_area = st.container()
choice_area = st.container()
filters_area = st.container()

# The geolocation button runs before the text box so that a position can
# fill the box in the same run (a widget's value cannot change once drawn).
with located_area:
    position, geo_error = ui.geolocation_button(key=K.GEOLOCATION)
    st.markdown(
        "Votre position sert seulement à trouver votre commune et à mesurer les "
        "distances ; elle n'est ni enregistrée ni mise dans l'adresse de la page."
    )
if geo_error:
    located_area.warning(geo_error)
if position:
    try:
        place = directory.commune_at(float(position["lon"]), float(position["lat"]))
    except EssGeoError as exc:
        with located_area:
            ui.show_problem(exc)
    else:
        st.session_state[K.LOCATED_PLACE] = place
        st.session_state[K.QUERY] = place.nom

with search_area:
    query = st.text_input(
        "Commune ou code postal",
        key=K.QUERY,
        placeholder="ex. Brest, 29200, Sainte-Marie",
        help="Les accents et les majuscules sont facultatifs. Pour une commune "
        "dont le nom existe dans plusieurs départements, ajoutez le numéro du "
        "département : « sainte marie 35 ».",
    )

commune = None
if query.strip():
    matches = directory.search_communes(query)
    if matches.empty:
        choice_area.warning(
            f"Aucune commune ne correspond à « {escape_markdown(query.strip())} ». "
            "Vérifiez l'orthographe, ou essayez le code postal."
        )
    else:
        located = st.session_state.get(K.LOCATED_PLACE)
        keep = located.commune if located is not None else linked.commune
        offered = directory.suggestions(matches, keep=keep)
        labels = matches["label"]
        if len(offered) == 1:
            commune = offered[0]
            choice_area.markdown(f"Commune : **{labels[commune]}**")
        else:
            commune = choice_area.radio(
                "Précisez votre commune",
                offered,
                index=offered.index(keep) if keep in offered else 0,
                format_func=lambda code: labels[code],
                key=K.commune(query),
            )
            if len(matches) > len(offered):
                choice_area.markdown(
                    f"{len(matches)} communes correspondent, les plus peuplées "
                    "d'abord : précisez le nom ou ajoutez le département."
                )

with filters_area:
    need_col, radius_col = st.columns([3, 2])
    need = need_col.selectbox(
        "Besoin",
        ["", *needs.NEEDS],
        key=K.NEED,
        format_func=lambda key: needs.NEEDS.get(key, "Tous les besoins"),
    )
    radius = radius_col.radio(
        "Distance maximale",
        list(directory.RADII_KM),
        key=K.RADIUS,
        horizontal=True,
        format_func=lambda km: f"{km} km",
    )
    if need:
        with st.expander(f"Activités regroupées sous « {needs.NEEDS[need]} »"):
            st.markdown(annuaire.need_activities(need))

located = st.session_state.get(K.LOCATED_PLACE)
if located is not None and located.commune != commune:
    located = st.session_state[K.LOCATED_PLACE] = None

search = (commune, need, radius)
if st.session_state[K.SEARCH] not in (None, search):
    st.session_state[K.PAGE] = 1
st.session_state[K.SEARCH] = search

state = linked.replace(commune=commune, need=need, radius=radius)
if commune is None:
    ui.set_query_params(**state.to_query())
    st.info(
        "Indiquez votre commune ou votre code postal, ou utilisez « Me "
        "localiser », pour voir les acteurs de l'ESS autour de vous."
    )
    ui.propose_actor_form()
    st.stop()

try:
    place = located or directory.commune_place(commune)
except EssGeoError as exc:
    ui.set_query_params(**state.to_query())
    ui.show_error(exc)

index = ui.actor_index()
found = index.near(place.lon, place.lat, radius, need=need or None)
page = directory.paginate(len(found), st.session_state[K.PAGE])
st.session_state[K.PAGE] = page.number
state = state.replace(page=page.number)

st.header(annuaire.results_heading(len(found), radius), anchor=False)
st.markdown(annuaire.results_summary(place, need))

if found.empty:
    wider = directory.wider_radius(index, place, radius, need=need or None)
    st.info(annuaire.no_result_message(radius, wider))
    if wider is not None:

        def _widen(km: int = wider[0]) -> None:
            st.session_state[K.RADIUS] = km

        st.button(f"Chercher à {wider[0]} km", on_click=_widen)
else:
    shown = found.iloc[page.start : page.stop]
    tables = ui.network_contacts()
    st.html(
        cards.CARD_STYLE
        + cards.actor_cards(
            shown,
            start=page.start + 1,
            memberships=contacts.member_networks(tables),
        )
    )
    ui.report_error_picker(shown, page.start + 1)
    if page.count > 1:

        def _turn(step: int) -> None:
            st.session_state[K.PAGE] = page.number + step

        st.markdown(annuaire.page_line(page))
        previous_col, next_col = st.columns(2)
        previous_col.button(
            "← Page précédente",
            on_click=_turn,
            args=(-1,),
            disabled=page.number == 1,
            width="stretch",
        )
        next_col.button(
            "Page suivante →",
            on_click=_turn,
            args=(1,),
            disabled=page.number == page.count,
            width="stretch",
        )

ui.propose_actor_form(commune)

st.header("Le réseau ESS de mon territoire", anchor=False)
local = contacts.for_commune(
    ui.network_contacts(), commune, lon=place.lon, lat=place.lat
)
st.html(cards.CARD_STYLE + cards.local_contacts(local))
ui.network_contact_forms(local)

if not found.empty:
    st.header("Sur la carte", anchor=False)
    st.markdown(
        f"Les acteurs de cette page, numérotés comme dans la liste, et le cercle "
        f"de {radius} km. La liste ci-dessus contient toutes les informations."
    )
    if K.BASEMAP not in st.session_state:  # first drawn, or not drawn last run
        st.session_state[K.BASEMAP] = linked.basemap
    basemap = ui.basemap_choice(K.BASEMAP)
    state = state.replace(basemap=basemap)
    shown = found.iloc[page.start : page.stop]
    ui.cached_map(  # the same search again: no new map code
        (ui.workspace_revision(), place, radius, tuple(shown.index), page, basemap),
        lambda: (
            directory_map.directory_map(
                centre=(place.lat, place.lon),
                radius_km=radius,
                actors=shown,
                start=page.start + 1,
                centre_label=annuaire.centre_label(place),
                basemap=basemap,
            ),
            None,
            None,
        ),
        key=K.MAP,
        height=420,
        returned_objects=[],
    )
ui.set_query_params(**state.to_query())
