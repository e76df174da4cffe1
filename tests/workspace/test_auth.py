import re
import threading

import pytest

from ess_geo.errors import LoginError, StaffConfigError
from ess_geo.workspace import auth
from ess_geo.workspace.auth import LoginThrottle

# Generated here, never committed anywhere: fast scrypt parameters for tests.
PASSWORD = "un mot de passe de test"


@pytest.fixture(scope="module")
def accounts():
    return {"alice": auth.hash_password(PASSWORD, n=2**10)}


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_hash_is_salted_and_verifies():
    first = auth.hash_password(PASSWORD, n=2**10)
    second = auth.hash_password(PASSWORD, n=2**10)
    assert first != second
    assert re.fullmatch(
        r"scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}", first
    )
    assert auth.verify_password(PASSWORD, first)
    assert not auth.verify_password(PASSWORD + " ", first)


def test_short_passwords_are_refused():
    with pytest.raises(ValueError, match="au moins 8 caractères"):
        auth.hash_password("court")


@pytest.mark.parametrize("encoded", ["", "md5$x", "scrypt$a$b$c$d$e", "scrypt$1$2$3"])
def test_malformed_hashes_are_a_configuration_error(encoded):
    with pytest.raises(StaffConfigError, match="Empreinte de mot de passe illisible"):
        auth.verify_password(PASSWORD, encoded)


def test_accounts_from_environment_and_secrets(accounts):
    hashed = accounts["alice"]
    env = {auth.ENV_VAR: f"alice:{hashed}\n  bob:{hashed},"}
    secrets = {"staff": {"carole": hashed, "alice": "ignored: the environment wins"}}
    loaded = auth.load_accounts(env, {"staff": {"carole": hashed}})
    assert sorted(loaded) == ["alice", "bob", "carole"]
    assert auth.load_accounts({}, None) == {}
    with pytest.raises(StaffConfigError):
        auth.load_accounts(env, secrets)  # a malformed hash is never ignored


@pytest.mark.parametrize("text", ["alice", "al ice:x", "alice:pas-une-empreinte"])
def test_malformed_environment_entries(text):
    with pytest.raises(StaffConfigError):
        auth.parse_accounts(text)


def test_authenticate_accepts_the_right_password(accounts):
    throttle = LoginThrottle()
    assert auth.authenticate(accounts, " alice ", PASSWORD, throttle) == "alice"


@pytest.mark.parametrize(
    ("name", "password"), [("alice", "mauvais"), ("mallory", PASSWORD)]
)
def test_wrong_name_or_password_get_the_same_answer(accounts, name, password):
    with pytest.raises(LoginError, match=r"^Identifiant ou mot de passe incorrect\.$"):
        auth.authenticate(accounts, name, password, LoginThrottle())


def test_attempts_are_throttled_then_allowed_again(accounts):
    clock = Clock()
    throttle = LoginThrottle(max_failures=3, window=60, lockout=300, clock=clock)
    for _ in range(3):
        with pytest.raises(LoginError, match="incorrect"):
            auth.authenticate(accounts, "alice", "mauvais", throttle, client="10.0.0.1")
    # Locked: even the right password is refused, and another name from the
    # same client too.
    with pytest.raises(LoginError, match="réessayez dans 5 minute") as locked:
        auth.authenticate(accounts, "alice", PASSWORD, throttle)
    assert locked.value.wait_seconds == 300
    with pytest.raises(LoginError, match="Trop de tentatives"):
        auth.authenticate(accounts, "bob", PASSWORD, throttle, client="10.0.0.1")
    clock.now += 301
    assert auth.authenticate(accounts, "alice", PASSWORD, throttle) == "alice"


def test_failures_outside_the_window_do_not_add_up(accounts):
    clock = Clock()
    throttle = LoginThrottle(max_failures=2, window=60, clock=clock)
    for _ in range(3):
        with pytest.raises(LoginError, match="incorrect"):
            auth.authenticate(accounts, "alice", "mauvais", throttle)
        clock.now += 61
    assert auth.authenticate(accounts, "alice", PASSWORD, throttle) == "alice"


def test_issue15_simultaneous_wrong_passwords_are_checked_at_most_the_limit(
    monkeypatch,
):
    accounts = {"cress": auth.hash_password("correct horse battery")}
    throttle = auth.LoginThrottle(max_failures=5)
    checked = []
    barrier = threading.Barrier(20)
    real_verify = auth.verify_password

    def slow_verify(password, encoded):
        checked.append(password)
        return real_verify(password, encoded)

    monkeypatch.setattr(auth, "verify_password", slow_verify)
    outcomes = []

    def attempt():
        barrier.wait()
        try:
            auth.authenticate(accounts, "cress", "wrong password", throttle, "1.2.3.4")
        except LoginError as exc:
            outcomes.append(str(exc))

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) == 5
    assert sorted(set(outcomes)) == [
        "Identifiant ou mot de passe incorrect.",
        "Trop de tentatives : réessayez dans 15 minute(s).",
    ]
    assert outcomes.count("Identifiant ou mot de passe incorrect.") == 5


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        (None, None, set(), "127.0.0.1"),
        (None, "203.0.113.9", set(), "127.0.0.1"),
        (None, "203.0.113.9", {"127.0.0.1"}, "203.0.113.9"),
        (None, "6.6.6.6, 203.0.113.9", {"127.0.0.1"}, "203.0.113.9"),
        ("10.0.0.2", "203.0.113.9, 10.0.0.3", {"10.0.0.2", "10.0.0.3"}, "203.0.113.9"),
        ("198.51.100.7", "1.2.3.4", {"127.0.0.1"}, "198.51.100.7"),
        ("10.0.0.2", "", {"10.0.0.2"}, "10.0.0.2"),
    ],
)
def test_issue15_the_per_address_lock_uses_the_real_client_address(
    remote, forwarded, trusted, expected
):
    assert auth.client_address(remote, forwarded, trusted) == expected


def test_issue15_trusted_proxies_come_from_the_environment():
    environ = {auth.TRUSTED_PROXIES_VAR: "127.0.0.1, ::1  10.0.0.2"}
    assert auth.trusted_proxies(environ) == {"127.0.0.1", "::1", "10.0.0.2"}
    assert auth.trusted_proxies({}) == frozenset()


def test_issue15_a_malformed_staff_variable_never_shows_its_content():
    with pytest.raises(StaffConfigError) as caught:
        good = auth.hash_password("un mot de passe")
        auth.parse_accounts(f"cress:{good} a-b-c-secret-value")
    assert "secret" not in str(caught.value)
    assert str(caught.value).startswith("Entrée n° 2 de ESS_GEO_STAFF illisible")


@pytest.mark.parametrize(
    "encoded",
    [
        "scrypt$1073741824$8$1$c2FsdA==$" + "A" * 44,
        "scrypt$16384$8$1$c2FsdA==$c2hvcnQ=",
        "scrypt$16383$8$1$c2FsdA==$" + "A" * 44,
    ],
)
def test_issue15_a_forged_hash_is_refused_before_any_costly_check(encoded):
    with pytest.raises(StaffConfigError):
        auth.parse_accounts(f"cress:{encoded}")
