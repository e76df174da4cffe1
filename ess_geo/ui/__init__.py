"""Streamlit helpers shared by the pages: the only Streamlit code of ess_geo.

The pages (``views/*.py``) call them as ``ui.xxx``; each lives in the module
of its concern:

- :mod:`~ess_geo.ui.caches`: the workspace and its tables, read once per
  revision and shared (``workspace()``, ``actors()``, ``network_tables()``…);
- :mod:`~ess_geo.ui.chrome`: the demo banner, the footer, the page in
  French (``components/french.js`` and ``french.css``: Streamlit's own
  texts translated, French numbers, focus), the Carte's styles, literal
  display of data;
- :mod:`~ess_geo.ui.share`: the « Copier le lien » button of every page;
- :mod:`~ess_geo.ui.frames`: data-frame columns with French numbers
  (``french_columns``, ``number_column``, ``indicator_column``) and tables
  reduced to their key columns on a phone (``responsive_table``);
- :mod:`~ess_geo.ui.report_block`: report tables, figures, SVG charts and maps
  as plain HTML, no data grid nor Vega (``report_html``, ``report_chart``,
  ``report_map``);
- :mod:`~ess_geo.ui.messages`: library errors shown to the user, escaped
  (``show_error`` stops the page, ``show_problem`` lets it go on,
  ``show_ignored`` names the link values a page could not use);
- :mod:`~ess_geo.ui.keys`: every session-state and widget key, one class per
  page;
- :mod:`~ess_geo.ui.query`: a page's state in its URL;
- :mod:`~ess_geo.ui.login`: the staff sign-in;
- :mod:`~ess_geo.ui.geolocation`: the "Me localiser" browser component
  (its HTML, CSS and JavaScript in ``components/``);
- :mod:`~ess_geo.ui.employment`: the INSEE employment table of the session;
- :mod:`~ess_geo.ui.carte_blocks`: the Carte's breadcrumb, side panel and
  tables (called as ``carte_blocks.xxx``);
- :mod:`~ess_geo.ui.carte_cache`: the Carte's filtered actors, indicator
  tables, scenes and map, cached and shared (``carte_scene``, ``carte_map``…);
- :mod:`~ess_geo.ui.folium_cache`: a folium map whose generated code is
  cached per scene (``cached_map``);
- :mod:`~ess_geo.ui.contribute`: the public's proposal forms (propose an
  actor, report an error, give a network's contact);
- :mod:`~ess_geo.ui.moderation`: the Données page's « Propositions » rubric.
"""

from ess_geo.ui.budget_block import budget_simulator
from ess_geo.ui.caches import (
    CarteNetworks,
    actor_index,
    actors,
    carte_actors,
    carte_networks,
    commune_totals,
    ess_inputs,
    network_contacts,
    network_tables,
    territory_panorama,
    weight_table,
    workspace,
    workspace_revision,
)
from ess_geo.ui.carte_blocks import (
    actor_panel,
    breadcrumb,
    drill_down,
    france_panel,
    network_panel,
    tables,
    territory_panel,
)
from ess_geo.ui.carte_cache import (
    CARTE_MAP_HEIGHT,
    carte_figures,
    carte_filtered,
    carte_indicators,
    carte_map,
    carte_scene,
)
from ess_geo.ui.chrome import (
    CARTE_PAGE_CSS,
    DEMO_BANNER,
    FRENCH_SHIM,
    basemap_choice,
    definition_list,
    demo_banner,
    footer,
    french_document,
    safe_table,
)
from ess_geo.ui.contribute import (
    network_contact_forms,
    propose_actor_form,
    propose_contact_form,
    report_error_form,
    report_error_picker,
)
from ess_geo.ui.coverage_cache import (
    CoverageView,
    coverage_view,
    prospect_motrices,
)
from ess_geo.ui.donnees_forms import (
    actor_form,
    actor_picker,
    candidates_table,
    members_table,
    network_form,
    proposals_picker,
    undo_picker,
)
from ess_geo.ui.donnees_import import import_report, import_settings, mapping_step
from ess_geo.ui.employment import load_employment, session_employment
from ess_geo.ui.export_block import progress_download
from ess_geo.ui.folium_cache import MapParts, cached_map, component_args
from ess_geo.ui.frames import (
    french_columns,
    indicator_column,
    number_column,
    responsive_table,
)
from ess_geo.ui.geolocation import geolocation_button
from ess_geo.ui.inventory_block import inventory_declarations, inventory_form
from ess_geo.ui.invite_block import invite_section
from ess_geo.ui.keys import (
    AnnuaireKeys,
    CarteKeys,
    ContributeKeys,
    CouvertureKeys,
    DonneesKeys,
    EmploymentKeys,
    ReseauxKeys,
    StaffKeys,
    TerritoiresKeys,
)
from ess_geo.ui.login import staff_login, staff_logout
from ess_geo.ui.members_block import members_reconciliation
from ess_geo.ui.messages import show_error, show_ignored, show_problem
from ess_geo.ui.moderation import pending_summary, proposals_tab
from ess_geo.ui.prospect_block import prospect_section
from ess_geo.ui.query import set_query_params
from ess_geo.ui.report_block import (
    REPORT_CSS,
    report_chart,
    report_html,
    report_map,
    report_styles,
    svg_image,
)
from ess_geo.ui.share import COPY_LINK_HTML, COPY_LINK_LABEL, copy_link_button
from ess_geo.ui.territoires_cache import territory_ranking
from ess_geo.ui.url_widgets import keep_if_among, remember_url, seed_from_url
from ess_geo.ui.warmup import (
    TIMING_ENV,
    WARM_LEVELS,
    run_page,
    start_warm_up,
    timed_fragment,
    warm_up,
)

__all__ = [
    "CARTE_MAP_HEIGHT",
    "CARTE_PAGE_CSS",
    "COPY_LINK_HTML",
    "COPY_LINK_LABEL",
    "DEMO_BANNER",
    "FRENCH_SHIM",
    "REPORT_CSS",
    "TIMING_ENV",
    "WARM_LEVELS",
    "AnnuaireKeys",
    "CarteKeys",
    "CarteNetworks",
    "ContributeKeys",
    "CouvertureKeys",
    "CoverageView",
    "DonneesKeys",
    "EmploymentKeys",
    "MapParts",
    "ReseauxKeys",
    "StaffKeys",
    "TerritoiresKeys",
    "actor_form",
    "actor_index",
    "actor_panel",
    "actor_picker",
    "actors",
    "basemap_choice",
    "breadcrumb",
    "budget_simulator",
    "cached_map",
    "candidates_table",
    "carte_actors",
    "carte_figures",
    "carte_filtered",
    "carte_indicators",
    "carte_map",
    "carte_networks",
    "carte_scene",
    "commune_totals",
    "component_args",
    "copy_link_button",
    "coverage_view",
    "definition_list",
    "demo_banner",
    "drill_down",
    "ess_inputs",
    "footer",
    "france_panel",
    "french_columns",
    "french_document",
    "geolocation_button",
    "import_report",
    "import_settings",
    "indicator_column",
    "inventory_declarations",
    "inventory_form",
    "invite_section",
    "keep_if_among",
    "load_employment",
    "mapping_step",
    "members_reconciliation",
    "members_table",
    "network_contact_forms",
    "network_contacts",
    "network_form",
    "network_panel",
    "network_tables",
    "number_column",
    "pending_summary",
    "progress_download",
    "proposals_picker",
    "proposals_tab",
    "propose_actor_form",
    "propose_contact_form",
    "prospect_motrices",
    "prospect_section",
    "remember_url",
    "report_chart",
    "report_error_form",
    "report_error_picker",
    "report_html",
    "report_map",
    "report_styles",
    "responsive_table",
    "run_page",
    "safe_table",
    "seed_from_url",
    "session_employment",
    "set_query_params",
    "show_error",
    "show_ignored",
    "show_problem",
    "staff_login",
    "staff_logout",
    "start_warm_up",
    "svg_image",
    "tables",
    "territory_panel",
    "territory_panorama",
    "territory_ranking",
    "timed_fragment",
    "undo_picker",
    "warm_up",
    "weight_table",
    "workspace",
    "workspace_revision",
]
