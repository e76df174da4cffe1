"""Each page's state and view model, pure Python that pytest runs without Streamlit.

``network_card`` exists in both :mod:`~ess_geo.pages.cards` (HTML card)
and :mod:`~ess_geo.pages.details` (label/value pairs): use the module.
"""

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
from ess_geo.pages.details import actor_card, actor_networks, actor_table, listing_table

__all__ = [
    "CARD_STYLE",
    "actor_card",
    "actor_cards",
    "actor_networks",
    "actor_table",
    "cress_card",
    "email_href",
    "linkify",
    "listing_table",
    "local_contacts",
    "phone_href",
    "site_href",
]
