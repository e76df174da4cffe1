import pytest

from ess_geo.errors import LoginError
from ess_geo.workspace import auth, store
from ess_geo.workspace.logins import StoredThrottle

PASSWORD = "un mot de passe de test"


@pytest.fixture(scope="module")
def accounts():
    return {"alice": auth.hash_password(PASSWORD, n=2**10)}


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


def test_two_servers_count_the_same_attempts(accounts, workspace_path):
    store.connect(workspace_path).close()
    clock = Clock()
    # One throttle per server process, both on the same workspace.
    first, second = (
        StoredThrottle(workspace_path, max_failures=3, lockout=300, clock=clock)
        for _ in range(2)
    )
    for throttle in (first, second, first):
        with pytest.raises(LoginError, match="incorrect"):
            auth.authenticate(accounts, "alice", "mauvais", throttle, client="10.0.0.1")
    with pytest.raises(LoginError, match="réessayez dans 5 minute") as locked:
        auth.authenticate(accounts, "alice", PASSWORD, second)
    assert locked.value.wait_seconds == 300
    with pytest.raises(LoginError, match="Trop de tentatives"):
        auth.authenticate(accounts, "bob", PASSWORD, first, client="10.0.0.1")
    clock.now += 301
    assert auth.authenticate(accounts, "alice", PASSWORD, second) == "alice"
    conn = store.connect(workspace_path)
    assert conn.execute("SELECT count(*) FROM login_locks").fetchone()[0] == 1
    assert store.revision(conn).audit_id == 0  # bookkeeping, not content
    conn.close()


def test_failures_outside_the_window_do_not_add_up(accounts, workspace_path):
    clock = Clock()
    throttle = StoredThrottle(workspace_path, max_failures=2, window=60, clock=clock)
    for _ in range(3):
        with pytest.raises(LoginError, match="incorrect"):
            auth.authenticate(accounts, "alice", "mauvais", throttle)
        clock.now += 61
    assert auth.authenticate(accounts, "alice", PASSWORD, throttle) == "alice"
    conn = store.connect(workspace_path)
    assert conn.execute("SELECT count(*) FROM login_attempts").fetchone()[0] == 0
    conn.close()
