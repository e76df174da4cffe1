"""The workspace's schema: its vocabularies and forward migrations.

One definition for both backends: :mod:`ess_geo.workspace.dialect` adapts
the scripts to PostgreSQL; :mod:`ess_geo.workspace.store` runs them.
"""

from __future__ import annotations

__all__ = [
    "MIGRATIONS",
    "NETWORK_KINDS",
    "NETWORK_LEVELS",
    "NETWORK_STATUSES",
    "PLACEMENTS",
    "SCHEMA_VERSION",
]

NETWORK_KINDS: tuple[str, ...] = (
    "pole",
    "conseil_local",
    "comite_territorial",
    "collectif",
    "cluster",
    "autre",
)
NETWORK_STATUSES: tuple[str, ...] = ("actif", "en_projet", "inconnu")
PLACEMENTS: tuple[str, ...] = ("coordonnees", "commune", "code_postal")
"""How an actor was attached to its commune: by its coordinates, by its
commune code (position: a point of the commune), or by postal code and
commune name (same)."""
NETWORK_LEVELS: tuple[str, ...] = (
    "commune",
    "epci",
    "pays",
    "pnr",
    "departement",
    "region",
)

_FAMILIES_SQL = (
    "'association', 'cooperative', 'mutuelle', 'fondation', 'societe_commerciale'"
)


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


MIGRATIONS: tuple[str, ...] = (
    # 1: actors, networks, their perimeter and members, audit log.
    f"""
    CREATE TABLE actors (
        id INTEGER PRIMARY KEY,
        siret TEXT UNIQUE CHECK (siret IS NULL OR length(siret) = 14),
        nom TEXT NOT NULL CHECK (length(trim(nom)) > 0),
        categorie_juridique TEXT,
        famille TEXT NOT NULL CHECK (famille IN ({_FAMILIES_SQL})),
        naf TEXT,
        effectif INTEGER CHECK (effectif IS NULL OR effectif >= 0),
        tranche_effectif TEXT,
        adresse TEXT,
        code_postal TEXT,
        commune TEXT,
        code_commune TEXT NOT NULL,
        latitude REAL,
        longitude REAL,
        site_web TEXT,
        telephone TEXT,
        email TEXT,
        is_demo INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
        source TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX actors_code_commune ON actors (code_commune);
    CREATE INDEX actors_is_demo ON actors (is_demo);

    CREATE TABLE networks (
        id INTEGER PRIMARY KEY,
        nom TEXT NOT NULL UNIQUE CHECK (length(trim(nom)) > 0),
        kind TEXT NOT NULL CHECK (kind IN ({_sql_list(NETWORK_KINDS)})),
        region TEXT,
        status TEXT NOT NULL CHECK (status IN ({_sql_list(NETWORK_STATUSES)})),
        source TEXT,
        structure_accompagnatrice TEXT,
        annee_creation INTEGER,
        perimetre_exact INTEGER NOT NULL DEFAULT 1 CHECK (perimetre_exact IN (0, 1)),
        site_web TEXT,
        email TEXT,
        telephone TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );

    CREATE TABLE network_territories (
        network_id INTEGER NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
        level TEXT NOT NULL CHECK (level IN ({_sql_list(NETWORK_LEVELS)})),
        code TEXT NOT NULL,
        PRIMARY KEY (network_id, level, code)
    );

    CREATE TABLE network_members (
        network_id INTEGER NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
        actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
        PRIMARY KEY (network_id, actor_id)
    );
    CREATE INDEX network_members_actor ON network_members (actor_id);

    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        who TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    """,
    # 2: how each actor was placed, the change journal behind "undo"
    # (ess_geo.workspace.history), and the merge proposals of deduplication
    # (ess_geo.workspace.dedup).
    f"""
    ALTER TABLE actors ADD COLUMN placement TEXT
        CHECK (placement IS NULL OR placement IN ({_sql_list(PLACEMENTS)}));

    ALTER TABLE audit_log ADD COLUMN undone_by INTEGER REFERENCES audit_log (id);

    CREATE TABLE change_log (
        id INTEGER PRIMARY KEY,
        audit_id INTEGER REFERENCES audit_log (id),
        tbl TEXT NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
        rows TEXT NOT NULL
    );
    CREATE INDEX change_log_audit ON change_log (audit_id);

    CREATE TABLE merge_proposals (
        id INTEGER PRIMARY KEY,
        actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
        existing_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
        distance_m REAL NOT NULL CHECK (distance_m >= 0),
        status TEXT NOT NULL DEFAULT 'en_attente'
            CHECK (status IN ('en_attente', 'acceptee', 'refusee')),
        decided_by TEXT,
        decided_at TEXT,
        CHECK (actor_id <> existing_id),
        UNIQUE (actor_id, existing_id)
    );
    CREATE INDEX merge_proposals_existing ON merge_proposals (existing_id);
    """,
    # 3: the workspace's generation, a random id that every restore renews
    # (backup.restore): part of the revision, because a restored file may
    # carry an audit id already seen.
    """
    CREATE TABLE workspace_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    INSERT INTO workspace_meta (key, value)
        VALUES ('generation', lower(hex(randomblob(16))));
    """,
    # 4 (issue 13): the public's proposals (a new actor, a correction, a
    # network's contact) awaiting moderation (ess_geo.workspace.proposals);
    # the reference networks' own web sites, where their source is that site.
    """
    CREATE TABLE proposals (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL
            CHECK (kind IN ('acteur', 'correction', 'contact_reseau')),
        status TEXT NOT NULL DEFAULT 'en_attente'
            CHECK (status IN ('en_attente', 'acceptee', 'refusee')),
        actor_id INTEGER,
        network_id INTEGER,
        fields TEXT NOT NULL,
        message TEXT,
        contact_email TEXT,
        dedup_key TEXT NOT NULL,
        received INTEGER NOT NULL DEFAULT 1 CHECK (received >= 1),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        reason TEXT,
        decided_by TEXT,
        decided_at TEXT,
        result_id INTEGER
    );
    CREATE INDEX proposals_status ON proposals (status, dedup_key);
    UPDATE networks SET site_web = 'http://www.adess29.fr'
        WHERE nom = 'ADESS Cornouaille' AND site_web IS NULL;
    UPDATE networks SET site_web = 'https://horizons-solidaires.fr'
        WHERE nom = 'Horizons Solidaires' AND site_web IS NULL;
    UPDATE networks SET site_web = 'http://ecosolidaires.org'
        WHERE nom = 'ÉcoSolidaireS' AND site_web IS NULL;
    """,
    # 5 (issue 16): failed staff logins and locks, kept in the workspace so
    # that every server behind a load balancer counts the same attempts
    # (ess_geo.workspace.logins); times in seconds since the epoch.
    """
    CREATE TABLE login_attempts (
        key TEXT NOT NULL,
        at REAL NOT NULL
    );
    CREATE INDEX login_attempts_key ON login_attempts (key, at);
    CREATE TABLE login_locks (
        key TEXT PRIMARY KEY,
        locked_until REAL NOT NULL
    );
    """,
    # 6 (issue 11): declared network inventories, one row per région: whether
    # its inventory of territorial networks is complete, at which level, who
    # declared it, on what source (ess_geo.workspace.inventories seeds them
    # from data/reference/inventaire_reseaux.csv).
    """
    CREATE TABLE network_inventories (
        region TEXT PRIMARY KEY,
        complet INTEGER NOT NULL DEFAULT 0 CHECK (complet IN (0, 1)),
        niveau TEXT,
        source TEXT,
        confiance TEXT,
        declared_by TEXT NOT NULL,
        declared_at TEXT NOT NULL
    );
    """,
)
"""Forward migrations: script ``i`` takes the schema from version ``i`` to ``i + 1``.

Never edit a released script; append a new one."""

SCHEMA_VERSION = len(MIGRATIONS)
