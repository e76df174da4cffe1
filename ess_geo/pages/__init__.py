"""Each page's state and view model, pure Python that pytest runs without Streamlit.

``network_card`` exists in both :mod:`~ess_geo.pages.cards` (HTML card)
and :mod:`~ess_geo.pages.details` (label/value pairs): use the module.
"""

from ess_geo.pages.annuaire import (
    AnnuaireState,
    centre_label,
    link_warnings,
    need_activities,
    no_result_message,
    page_line,
    results_heading,
    results_summary,
)
from ess_geo.pages.cards import (
    CARD_STYLE,
    actor_cards,
    cress_card,
    email_href,
    linkify,
    local_contacts,
    phone_href,
    site_href,
)
from ess_geo.pages.carte import (
    CarteState,
    child_options,
    clicked_ref,
    count_line,
    families_line,
    france_summary,
    ignored_warning,
    key_figures_table,
    leaders,
    network_lines,
    no_match_warning,
    search_results,
    table_tabs,
    territory_link,
    territory_rank,
)
from ess_geo.pages.details import actor_card, actor_networks, actor_table, listing_table

__all__ = [
    "CARD_STYLE",
    "AnnuaireState",
    "CarteState",
    "actor_card",
    "actor_cards",
    "actor_networks",
    "actor_table",
    "centre_label",
    "child_options",
    "clicked_ref",
    "count_line",
    "cress_card",
    "email_href",
    "families_line",
    "france_summary",
    "ignored_warning",
    "key_figures_table",
    "leaders",
    "link_warnings",
    "linkify",
    "listing_table",
    "local_contacts",
    "need_activities",
    "network_lines",
    "no_match_warning",
    "no_result_message",
    "page_line",
    "phone_href",
    "results_heading",
    "results_summary",
    "search_results",
    "site_href",
    "table_tabs",
    "territory_link",
    "territory_rank",
]
