import re

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
