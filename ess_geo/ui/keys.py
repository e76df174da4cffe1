"""Session-state and widget keys, one class per page (or shared concern).

Every key a page stores in ``st.session_state`` or gives a widget is spelled
here, once. One scheme: a key is ``"<page>.<name>"``, where ``<page>`` is the
class name without ``Keys`` and ``<name>`` the attribute in lower case
(``CarteKeys.BASEMAP == "carte.basemap"``); keys that depend on a value are
built by a method, ``"<page>.<method>.<value>"``
(``CarteKeys.crumb("epci:242900314") == "carte.crumb.epci:242900314"``).
"""

from __future__ import annotations

__all__ = [
    "AnnuaireKeys",
    "CarteKeys",
    "ContributeKeys",
    "CouvertureKeys",
    "DonneesKeys",
    "EmploymentKeys",
    "ReseauxKeys",
    "StaffKeys",
    "TerritoiresKeys",
]


class CarteKeys:
    """Keys of the Carte page (widgets and page state)."""

    READY = "carte.ready"
    """Set once the state has been read from the URL (first run of the session)."""
    SELECTION = "carte.selection"
    """The selected territory, ``"level:code"``, or None for France."""
    ACTOR_CARD = "carte.actor_card"
    """Id of the actor whose card is open, or None."""
    NETWORK_CARD = "carte.network_card"
    """Id of the network whose card is open, or None."""
    SEARCH = "carte.search"
    RESULTS = "carte.results"
    """The territories found by the last search: ``[(ref, label)]`` or None."""
    RESULT = "carte.result"
    LEVEL = "carte.level"
    """Level of the coloured territories (the URL's ``maille``)."""
    INDICATOR = "carte.indicator"
    METHOD = "carte.method"
    """Colour classes method (the URL's ``classes``)."""
    BASEMAP = "carte.basemap"
    FILTER_FAMILIES = "carte.filter_families"
    FILTER_SECTORS = "carte.filter_sectors"
    FILTER_NETWORK = "carte.filter_network"
    FILTER_EMPLOYER = "carte.filter_employer"
    FILTER_SIZES = "carte.filter_sizes"
    CHILD = "carte.child"
    """The "smaller territory" drop-down."""
    IGNORED = "carte.ignored"
    """Link parameters that were ignored (unknown values)."""
    MAP = "carte.map"
    TERRITORY_TABLE = "carte.territory_table"
    """Prefix of the territory table's key (one table per view)."""
    ACTOR_TABLE = "carte.actor_table"
    """Prefix of the actor table's key (one table per view)."""
    CRUMB_FRANCE = "carte.crumb_france"
    CLOSE_ACTOR = "carte.close_actor"
    CLOSE_NETWORK = "carte.close_network"
    SHOW_MEMBERS = "carte.show_members"
    SHOW_TABLES = "carte.show_tables"
    """Whether the tables under the map are drawn (on demand, in a fragment)."""

    @staticmethod
    def crumb(ref: str) -> str:
        """The breadcrumb button of a territory (``"level:code"``)."""
        return f"carte.crumb.{ref}"

    @staticmethod
    def leader(code: str) -> str:
        """The button of a territory in the France panel's leaders."""
        return f"carte.leader.{code}"


class AnnuaireKeys:
    """Keys of the Annuaire page."""

    QUERY = "annuaire.query"
    """The commune or postal code typed."""
    NEED = "annuaire.need"
    RADIUS = "annuaire.radius"
    PAGE = "annuaire.page"
    LOCATED_PLACE = "annuaire.located_place"
    """The place found from the browser's position (stays in the session)."""
    SEARCH = "annuaire.search"
    """The last search, ``(commune, need, radius)``: a new one starts at page 1."""
    GEOLOCATION = "annuaire.geolocation"
    MAP = "annuaire.map"
    BASEMAP = "annuaire.basemap"

    @staticmethod
    def commune(query: str) -> str:
        """The "which commune" choice offered for a typed query."""
        return f"annuaire.commune.{'_'.join(query.split()).lower()}"


class TerritoiresKeys:
    """Keys of the Territoires page."""

    PANORAMA_PDF = "territoires.panorama_pdf"
    PANORAMA_HTML = "territoires.panorama_html"
    SHOW_RANKING = "territoires.show_ranking"
    """The ranking's table below a territory, drawn on demand (issue 17)."""
    LEVEL = "territoires.level"
    REGION = "territoires.region"
    DEP = "territoires.dep"
    CODE = "territoires.code"
    BY = "territoires.by"
    """The ranking's indicator (the URL's ``tri``)."""
    URL = "territoires.url"
    """What the page last wrote to the URL of the controls above (see
    :func:`ess_geo.ui.url_widgets.seed_from_url`)."""


class ReseauxKeys:
    """Keys of the Réseaux page."""

    MAP = "reseaux.map"
    REGION = "reseaux.region"
    KIND = "reseaux.kind"
    NETWORK = "reseaux.network"
    URL = "reseaux.url"
    """The controls' values the page last wrote to the URL (ui.url_widgets)."""

    @staticmethod
    def invite(ref: str) -> str:
        """A filter of the actors to invite into a network: ``"<what>.<id>"``."""
        return f"reseaux.invite.{ref}"


class CouvertureKeys:
    """Keys of the Couverture page."""

    MAP = "couverture.map"
    PROSPECT = "couverture.prospect"
    """The territory whose structures motrices and sheet are shown (issue 12)."""
    LEVEL = "couverture.level"
    REGION = "couverture.region"
    THRESHOLD = "couverture.threshold"
    COUNT_INEXACT = "couverture.count_inexact"
    COUNTING = "couverture.counting"
    MIN_EMPLOYERS = "couverture.min_employers"
    URL = "couverture.url"
    """What the page last wrote to the URL of its sidebar and weights (see
    :func:`ess_geo.ui.url_widgets.seed_from_url`)."""

    RETAINED = "couverture.retained"
    """The prospects retained for the launch budget."""
    BUDGET_URL = "couverture.budget_url"
    """What the budget simulator last wrote to the URL (its own fragment)."""

    @staticmethod
    def weight(component: str) -> str:
        """The slider of a score component's weight."""
        return f"couverture.weight.{component}"

    @staticmethod
    def budget(field: str) -> str:
        """The number box of a budget parameter."""
        return f"couverture.budget.{field}"

    @staticmethod
    def block(name: str) -> str:
        """The expander of a block below the map, drawn on demand.

        One per :data:`ess_geo.pages.couverture.BLOCKS`.
        """
        return f"couverture.block.{name}"


class DonneesKeys:
    """Keys of the Données page (staff part)."""

    TAB = "donnees.tab"
    MESSAGE = "donnees.message"
    """A confirmation kept for the run after a write."""
    UPLOAD_ROUND = "donnees.upload_round"
    """Counts accepted imports: a new round is a new, empty file uploader."""
    DUPLICATES = "donnees.duplicates"
    ACTOR_SEARCH = "donnees.actor_search"
    ACTOR_TABLE = "donnees.actor_table"
    ACTOR_DELETE = "donnees.actor_delete"
    NETWORK_CHOICE = "donnees.network_choice"
    NETWORK_DELETE = "donnees.network_delete"
    MEMBER_SEARCH = "donnees.member_search"
    XLSX_EXPORT = "donnees.xlsx_export"
    """The workspace's XLSX file, prepared and waiting for its download."""

    @staticmethod
    def member_list(ref: str) -> str:
        """A widget of a network's member list reconciliation: ``"<what>.<id>"``."""
        return f"donnees.member_list.{ref}"

    INVENTORY_FORM = "donnees.inventory_form"

    @staticmethod
    def upload(round_: int) -> str:
        """The file uploader of an import round."""
        return f"donnees.upload.{round_}"

    @staticmethod
    def mapping(field: str) -> str:
        """The column chosen for a field in the manual header mapping."""
        return f"donnees.mapping.{field}"

    @staticmethod
    def actor_form(actor_id: int | None) -> str:
        """The form of an actor (None: a new actor)."""
        return f"donnees.actor_form.{actor_id or 'new'}"

    @staticmethod
    def network_form(network_id: int | None) -> str:
        """The form of a network (None: a new network)."""
        return f"donnees.network_form.{network_id or 'new'}"

    @staticmethod
    def network_level(network_id: int | None) -> str:
        """The perimeter level of a network's form (None: a new network)."""
        return f"donnees.network_level.{network_id or 'new'}"

    @staticmethod
    def members(network_id: int) -> str:
        """The table of a network's members."""
        return f"donnees.members.{network_id}"

    @staticmethod
    def candidates(network_id: int) -> str:
        """The table of actors found to join a network."""
        return f"donnees.candidates.{network_id}"


class ContributeKeys:
    """Keys of the public's proposal forms and of their moderation on Données."""

    SESSION = "contribute.session"
    """A random id of the session, for the per-session rate limit."""
    THANKS = "contribute.thanks"
    """The name of the form whose proposal was just sent (thanked once)."""
    REPORT_TARGET = "contribute.report_target"
    """The Annuaire's choice of the actor an error is reported on."""
    QUEUE_CHOICE = "contribute.queue_choice"
    """The proposal chosen in the moderation queue."""

    @staticmethod
    def form(name: str) -> str:
        """A proposal form, by name and round (``"acteur.2"``).

        The round grows after each proposal sent, for a fresh form.
        """
        return f"contribute.form.{name}"

    @staticmethod
    def round(name: str) -> str:
        """How many proposals a form has sent in this session."""
        return f"contribute.round.{name}"

    @staticmethod
    def honeypot(name: str) -> str:
        """The hidden field's container (CSS hides it by this key's class)."""
        return f"contribute.honeypot.{name}"

    @staticmethod
    def reason(proposal_id: int) -> str:
        """The rejection reason typed for a proposal."""
        return f"contribute.reason.{proposal_id}"

    @staticmethod
    def edit_form(proposal_id: int) -> str:
        """The "edit then accept" form of a proposal."""
        return f"contribute.edit_form.{proposal_id}"


class StaffKeys:
    """Keys of the staff sign-in, shared by the pages."""

    USER = "staff.user"
    """The signed-in staff member's name."""
    LOGIN_FORM = "staff.login_form"


class EmploymentKeys:
    """Keys of the INSEE employment table loaded in the session."""

    TABLE = "employment.table"
    """``(pd.Series, file name)`` of the uploaded table."""
