"""Sign-in rules: throttling per IP and per account, hashing, imported bcrypt hashes."""

import bcrypt
import pytest
from django.contrib.auth.hashers import make_password
from django.test import RequestFactory

from nexus.accounts import services
from nexus.accounts.tests.factories import PASSWORD, UserFactory
from nexus.core.errors import ApplicationError, Throttled

pytestmark = pytest.mark.django_db

BASE_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.BCryptPasswordHasher",
]


def _request(ip="10.0.0.1"):
    return RequestFactory().post("/api/v1/auth/token/", REMOTE_ADDR=ip)


def test_account_is_refused_after_too_many_failures_even_with_the_right_password(settings):
    settings.LOGIN_THROTTLE = {"ip": {"limit": 100, "window": 60}, "account": {"limit": 3, "window": 60}}
    user = UserFactory()
    for ip in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):  # spread over IPs: the account limit still applies
        with pytest.raises(ApplicationError):
            services.user_authenticate(request=_request(ip), username=user.username, password="nope")

    with pytest.raises(Throttled) as caught:
        services.user_authenticate(request=_request("10.0.0.9"), username=user.username, password=PASSWORD)

    assert caught.value.status == 429
    assert 0 < caught.value.wait <= 60


def test_ip_is_refused_after_too_many_failures_across_accounts(settings):
    settings.LOGIN_THROTTLE = {"ip": {"limit": 2, "window": 60}, "account": {"limit": 100, "window": 60}}
    a, b, c = UserFactory(), UserFactory(), UserFactory()
    for victim in (a, b):
        with pytest.raises(ApplicationError):
            services.user_authenticate(request=_request(), username=victim.username, password="nope")

    with pytest.raises(Throttled):
        services.user_authenticate(request=_request(), username=c.username, password=PASSWORD)
    # another IP is unaffected
    assert services.user_authenticate(request=_request("10.9.9.9"), username=c.username, password=PASSWORD) == c


def test_success_clears_the_account_failures(settings):
    settings.LOGIN_THROTTLE = {"ip": {"limit": 100, "window": 60}, "account": {"limit": 2, "window": 60}}
    user = UserFactory()
    with pytest.raises(ApplicationError):
        services.user_authenticate(request=_request(), username=user.username, password="nope")
    services.user_authenticate(request=_request(), username=user.username, password=PASSWORD)

    with pytest.raises(ApplicationError) as caught:
        services.user_authenticate(request=_request(), username=user.username, password="nope")
    assert not isinstance(caught.value, Throttled)
    assert services.user_authenticate(request=_request(), username=user.username, password=PASSWORD) == user


def test_token_endpoint_answers_429_with_retry_after(api_client, settings):
    settings.LOGIN_THROTTLE = {"ip": {"limit": 100, "window": 60}, "account": {"limit": 1, "window": 60}}
    user = UserFactory()
    api_client.post("/api/v1/auth/token/", {"username": user.username, "password": "nope"})

    response = api_client.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})

    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["detail"] == "Too many failed sign-in attempts. Try again later."


def test_session_login_page_is_throttled_too(client, settings):
    settings.LOGIN_THROTTLE = {"ip": {"limit": 100, "window": 60}, "account": {"limit": 1, "window": 60}}
    user = UserFactory()
    client.post("/accounts/login/", {"username": user.username, "password": "nope"})

    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})

    assert response.status_code == 200  # form re-rendered, not signed in
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_session_login_page_signs_in(client):
    user = UserFactory()

    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_new_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = BASE_HASHERS

    user = services.user_register(username="ada", email="ada@example.com", password="a-long-unique-passphrase")

    assert user.password.startswith("argon2$argon2id$")


def test_imported_bcrypt_hash_signs_in_and_is_upgraded_to_argon2(settings):
    settings.PASSWORD_HASHERS = BASE_HASHERS
    raw = bcrypt.hashpw(b"imported-passphrase", bcrypt.gensalt(rounds=4)).decode()
    user = UserFactory()
    user.password = f"bcrypt${raw}"
    user.save(update_fields=["password"])

    signed_in = services.user_authenticate(request=_request(), username=user.username, password="imported-passphrase")

    assert signed_in == user
    user.refresh_from_db()
    assert user.password.startswith("argon2$")


def test_bcrypt_sha256_hash_is_accepted(settings):
    settings.PASSWORD_HASHERS = BASE_HASHERS
    user = UserFactory()
    user.password = make_password("another-passphrase", hasher="bcrypt_sha256")
    user.save(update_fields=["password"])

    assert services.user_authenticate(request=_request(), username=user.username, password="another-passphrase") == user


@pytest.mark.parametrize(
    ("num_proxies", "forwarded", "expected"),
    [
        (0, "1.1.1.1, 2.2.2.2", "10.0.0.1"),  # no proxy trusted: the header is ignored
        (1, "6.6.6.6, 1.1.1.1", "1.1.1.1"),  # one proxy: its view of the client, not the forged left part
        (2, "6.6.6.6, 1.1.1.1, 2.2.2.2", "1.1.1.1"),
        (1, "", "10.0.0.1"),
    ],
)
def test_client_ip_trusts_only_the_configured_proxies(settings, num_proxies, forwarded, expected):
    settings.NUM_PROXIES = num_proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert services.client_ip(request) == expected


def test_admin_login_is_throttled_too(client, settings):
    settings.LOGIN_THROTTLE = {"ip": {"limit": 100, "window": 60}, "account": {"limit": 1, "window": 60}}
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.post("/admin/login/", {"username": staff.username, "password": "nope"})

    response = client.post("/admin/login/", {"username": staff.username, "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
