"""Annuaire: the public finds ESS actors near them, by need, and whom to contact.

State in the URL: ``commune`` (INSEE code), ``besoin`` (a need key),
``rayon`` (km) and ``page``. A geolocated position stays in the session:
only the commune it falls in goes to the URL.
"""

import streamlit as st
from streamlit_folium import st_folium

from ess_geo import formats, maps, ui
from ess_geo.actors import needs
from ess_geo.analysis import contacts, directory
from ess_geo.errors import EssGeoError
from ess_geo.geo import geography
from ess_geo.maps import directory_map
from ess_geo.pages import cards
from ess_geo.text import escape_markdown

K = ui.AnnuaireKeys

st.title("Annuaire de l'ESS près de chez vous", anchor=False)
st.markdown(
    "Vous avez des besoins en petite enfance, pour une personne âgée, de "
    "logement, de santé, de transport… Trouvez les associations, coopératives, "
    "mutuelles et fondations près de chez vous, et le réseau de l'économie "
    "sociale et solidaire à contacter sur votre territoire."
)

# First run of the session: start from the shared link.
if K.SEARCH not in st.session_state:
    st.session_state[K.SEARCH] = None
    linked = st.query_params.get("commune")
    if linked in geography.communes().index:
        st.session_state[K.QUERY] = geography.communes().at[linked, "nom"]
    elif linked:
        st.warning(
            f"Le lien indique une commune inconnue (« {escape_markdown(linked)} ») : "
            "cherchez votre commune ci-dessous."
        )
    st.session_state[K.NEED] = ui.query_choice("besoin", list(needs.NEEDS), "")
    radius = st.query_params.get("rayon", "")
    st.session_state[K.RADIUS] = (
        int(radius) if radius in {str(r) for r in directory.RADII_KM} else 10
    )
    page = st.query_params.get("page", "1")
    st.session_state[K.PAGE] = int(page) if page.isdigit() else 1

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
        linked = st.query_params.get("commune")
        located = st.session_state.get(K.LOCATED_PLACE)
        keep = located.commune if located is not None else linked
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
            activities = needs.describe(need)
            st.markdown(
                "\n".join(
                    f"- {label} ({code})"
                    for code, label in activities.itertuples(index=False)
                )
            )

located = st.session_state.get(K.LOCATED_PLACE)
if located is not None and located.commune != commune:
    located = st.session_state[K.LOCATED_PLACE] = None

search = (commune, need, radius)
if st.session_state[K.SEARCH] not in (None, search):
    st.session_state[K.PAGE] = 1
st.session_state[K.SEARCH] = search

if commune is None:
    ui.set_query_params(commune=None, besoin=need or None, rayon=None, page=None)
    st.info(
        "Indiquez votre commune ou votre code postal, ou utilisez « Me "
        "localiser », pour voir les acteurs de l'ESS autour de vous."
    )
    st.stop()

try:
    place = located or directory.commune_place(commune)
except EssGeoError as exc:
    ui.set_query_params(commune=commune, besoin=need or None, rayon=str(radius))
    ui.show_error(exc)

index = ui.actor_index()
found = index.near(place.lon, place.lat, radius, need=need or None)
page = directory.paginate(len(found), st.session_state[K.PAGE])
st.session_state[K.PAGE] = page.number
ui.set_query_params(
    commune=commune,
    besoin=need or None,
    rayon=str(radius),
    page=str(page.number) if page.number > 1 else None,
)

origin = "votre position" if place.located else f"le centre de {place.nom}"
what = f"« {needs.NEEDS[need]} »" if need else "tous besoins"
count = formats.number(len(found))
st.header(
    f"{count} acteur{'s' if len(found) > 1 else ''} de l'ESS à moins de {radius} km",
    anchor=False,
)
st.markdown(
    f"Autour de **{place.label}** ({what}), du plus proche au plus lointain ; "
    f"distances à vol d'oiseau depuis {origin}."
)

if found.empty:
    wider = directory.wider_radius(index, place, radius, need=need or None)
    if wider is None:
        st.info(
            "Aucun acteur ne répond à ce besoin dans un rayon de "
            f"{directory.RADII_KM[-1]} km. Essayez un autre besoin, ou "
            "contactez le réseau de votre territoire ci-dessous."
        )
    else:
        wider_km, wider_count = wider
        st.info(
            f"Aucun acteur à moins de {radius} km, mais {wider_count} à moins de "
            f"{wider_km} km."
        )

        def _widen(km: int = wider_km) -> None:
            st.session_state[K.RADIUS] = km

        st.button(f"Chercher à {wider_km} km", on_click=_widen)
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
    if page.count > 1:

        def _turn(step: int) -> None:
            st.session_state[K.PAGE] = page.number + step

        st.markdown(
            f"Page {page.number} sur {page.count} (acteurs {page.start + 1} à "
            f"{page.stop})"
        )
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

st.header("Le réseau ESS de mon territoire", anchor=False)
local = contacts.for_commune(
    ui.network_contacts(), commune, lon=place.lon, lat=place.lat
)
st.html(cards.CARD_STYLE + cards.local_contacts(local))

if not found.empty:
    st.header("Sur la carte", anchor=False)
    st.markdown(
        f"Les acteurs de cette page, numérotés comme dans la liste, et le cercle "
        f"de {radius} km. La liste ci-dessus contient toutes les informations."
    )
    basemap = st.selectbox(
        "Fond de carte",
        list(maps.BASEMAPS),
        index=list(maps.BASEMAPS).index(
            ui.query_choice("fond", list(maps.BASEMAPS), "aucun")
        ),
        format_func=lambda key: maps.BASEMAPS[key].label,
        help="Les fonds OpenStreetMap et IGN demandent une connexion internet ; "
        "la carte fonctionne sans.",
    )
    ui.set_query_params(fond=basemap if basemap != "aucun" else None)
    centre_label = "Votre position" if place.located else f"Centre de {place.nom}"
    st_folium(
        directory_map.directory_map(
            centre=(place.lat, place.lon),
            radius_km=radius,
            actors=found.iloc[page.start : page.stop],
            start=page.start + 1,
            centre_label=centre_label,
            basemap=basemap,
        ),
        key=K.MAP,
        height=420,
        use_container_width=True,
        returned_objects=[],
    )
