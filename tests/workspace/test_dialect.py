import pytest

from ess_geo.workspace import dialect, store


@pytest.mark.parametrize(
    ("sqlite", "postgres"),
    [
        (
            "SELECT a FROM t WHERE a = ? AND b = ?",
            "SELECT a FROM t WHERE a = %s AND b = %s",
        ),
        (
            "SELECT '?', \"?\" FROM t -- why?\nWHERE a = ?",
            "SELECT '?', \"?\" FROM t -- why?\nWHERE a = %s",
        ),
        ("SELECT 'x%' LIKE ?", "SELECT 'x%%' LIKE %s"),
        (
            "DELETE FROM t WHERE id IN (SELECT value FROM json_each(?))",
            "DELETE FROM t WHERE id IN (SELECT value FROM ess_json_ids(%s))",
        ),
        (
            "SELECT id FROM t WHERE id IS NOT ?",
            "SELECT id FROM t WHERE id IS DISTINCT FROM %s",
        ),
        (
            "INSERT OR IGNORE INTO m (a, b) VALUES (?, ?) RETURNING a",
            "INSERT INTO m (a, b) VALUES (%s, %s) ON CONFLICT DO NOTHING RETURNING a",
        ),
        (
            "INSERT INTO m (a) VALUES (?) ON CONFLICT (a) DO UPDATE SET a = 1",
            "INSERT INTO m (a) VALUES (%s) ON CONFLICT (a) DO UPDATE SET a = 1",
        ),
    ],
)
def test_statements_are_adapted_by_their_text_only(sqlite, postgres):
    assert dialect.pg_sql(sqlite) == postgres


def test_schema_scripts_keep_sqlite_ids_doubles_and_deferrable_keys():
    script = dialect.pg_script(store.MIGRATIONS[0])
    assert "latitude DOUBLE PRECISION" in script
    assert "REFERENCES networks (id) ON DELETE CASCADE DEFERRABLE" in script
    for table in ("actors", "networks", "audit_log"):
        assert f"CREATE TRIGGER {table}_next_id BEFORE INSERT ON {table}" in script
    assert "network_members_next_id" not in script  # no id column
    assert "randomblob" not in dialect.pg_script(store.MIGRATIONS[2])


@pytest.mark.parametrize(
    ("target", "url", "postgres"),
    [
        ("postgresql://u:p@h:5432/db", True, True),
        ("postgres://u@h/db", True, True),
        ("https://h/db", True, False),
        ("data/workspace.sqlite", False, False),
        ("C:/ess/workspace.sqlite", False, False),
    ],
)
def test_what_names_a_postgresql_workspace(target, url, postgres):
    assert dialect.is_url(target) is url
    assert dialect.is_postgres(target) is postgres


def test_passwords_never_shown():
    assert (
        dialect.redact("postgresql://ess:s3cr%40t@db/ess")
        == "postgresql://ess:***@db/ess"
    )
