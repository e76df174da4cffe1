"""Rate limits of public proposals: per session, per address, in all."""

import pytest

from ess_geo.errors import RateLimitError
from ess_geo.workspace import ratelimit


def test_rate_limits_per_session_address_and_in_all():
    now = [0.0]
    limiter = ratelimit.RateLimiter(
        per_session=2, per_address=3, global_limit=4, clock=lambda: now[0]
    )
    for _ in range(2):
        limiter.check("s1", "1.1.1.1")
        limiter.record("s1", "1.1.1.1")
    with pytest.raises(RateLimitError, match="déjà envoyé 2 proposition"):
        limiter.check("s1", "1.1.1.1")
    limiter.check("s2", "1.1.1.1")
    limiter.record("s2", "1.1.1.1")
    with pytest.raises(RateLimitError, match="déjà envoyé 3 proposition"):
        limiter.check("s3", "1.1.1.1")
    limiter.record("s4", "2.2.2.2")
    with pytest.raises(RateLimitError, match="Beaucoup de propositions"):
        limiter.check("s5", "3.3.3.3")
    now[0] = ratelimit.RATE_WINDOW_SECONDS
    limiter.check("s1", "1.1.1.1")
    assert (
        ratelimit.RATE_PER_SESSION < ratelimit.RATE_PER_ADDRESS < ratelimit.RATE_GLOBAL
    )


def test_an_unknown_address_counts_for_the_session_and_in_all_only():
    now = [0.0]
    limiter = ratelimit.RateLimiter(
        per_session=5, per_address=1, global_limit=10, clock=lambda: now[0]
    )
    for session in ("a", "b", "c"):
        limiter.check(session, None)
        limiter.record(session, None)
    limiter.check("d", "9.9.9.9")
    limiter.record("d", "9.9.9.9")
    now[0] = 60.0
    with pytest.raises(RateLimitError) as caught:
        limiter.check("e", "9.9.9.9")
    assert caught.value.wait_seconds == ratelimit.RATE_WINDOW_SECONDS - 60.0
    assert str(caught.value) == (
        "Vous avez déjà envoyé 1 proposition(s) en peu de temps : réessayez "
        "dans 59 minute(s)."
    )
