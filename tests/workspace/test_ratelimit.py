"""Rate limits of public proposals: per session, per address, in all, shared
by every server of the workspace (both backends)."""

import pytest

from ess_geo.errors import RateLimitError
from ess_geo.workspace import logins, ratelimit, store


@pytest.fixture
def two_servers(workspace_path):
    """Two connections to one workspace, as two app servers have."""
    first, second = store.connect(workspace_path), store.connect(workspace_path)
    yield first, second
    first.close()
    second.close()


def test_rate_limits_per_session_address_and_in_all_across_servers(two_servers):
    one, two = two_servers
    now = [1_000_000.0]
    limiter = ratelimit.RateLimiter(
        per_session=2, per_address=3, global_limit=4, clock=lambda: now[0]
    )
    # The same session's proposals reach either server (no sticky sessions).
    for conn in (one, two):
        limiter.check(conn, "s1", "1.1.1.1")
        limiter.record(conn, "s1", "1.1.1.1")
    for conn in (one, two):
        with pytest.raises(RateLimitError, match="déjà envoyé 2 proposition"):
            limiter.check(conn, "s1", "1.1.1.1")
    limiter.check(two, "s2", "1.1.1.1")
    limiter.record(two, "s2", "1.1.1.1")
    with pytest.raises(RateLimitError, match="déjà envoyé 3 proposition"):
        limiter.check(one, "s3", "1.1.1.1")
    limiter.record(one, "s4", "2.2.2.2")
    with pytest.raises(RateLimitError, match="Beaucoup de propositions"):
        limiter.check(two, "s5", "3.3.3.3")
    now[0] += ratelimit.RATE_WINDOW_SECONDS
    limiter.check(one, "s1", "1.1.1.1")
    assert (
        ratelimit.RATE_PER_SESSION < ratelimit.RATE_PER_ADDRESS < ratelimit.RATE_GLOBAL
    )


def test_an_unknown_address_counts_for_the_session_and_in_all_only(two_servers):
    one, two = two_servers
    now = [1_000_000.0]
    limiter = ratelimit.RateLimiter(
        per_session=5, per_address=1, global_limit=10, clock=lambda: now[0]
    )
    for session in ("a", "b", "c"):
        limiter.check(one, session, None)
        limiter.record(one, session, None)
    limiter.check(one, "d", "9.9.9.9")
    limiter.record(one, "d", "9.9.9.9")
    now[0] += 60.0
    with pytest.raises(RateLimitError) as caught:
        limiter.check(two, "e", "9.9.9.9")
    assert caught.value.wait_seconds == ratelimit.RATE_WINDOW_SECONDS - 60.0
    assert str(caught.value) == (
        "Vous avez déjà envoyé 1 proposition(s) en peu de temps : réessayez "
        "dans 59 minute(s)."
    )


def test_old_counts_are_forgotten_and_login_counts_left_alone(
    two_servers, workspace_path
):
    one, two = two_servers
    now = [1_000_000.0]
    limiter = ratelimit.RateLimiter(clock=lambda: now[0])
    throttle = logins.StoredThrottle(workspace_path, clock=lambda: now[0])
    throttle.failed("compte:marie")
    limiter.record(one, "s1", "1.1.1.1")
    now[0] += ratelimit.RATE_WINDOW_SECONDS
    limiter.record(two, "s2", None)
    keys = sorted(r[0] for r in one.execute("SELECT key FROM login_attempts"))
    assert keys == [
        "compte:marie",
        "proposition:session:s2",
        "proposition:toutes",
    ]
