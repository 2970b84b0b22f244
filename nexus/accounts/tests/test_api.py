"""The auth and profile contract: register, tokens, refresh rotation, logout, me."""

import pytest

from nexus.accounts.models import User
from nexus.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
LOGOUT = "/api/v1/auth/logout/"
ME = "/api/v1/me/"


def _tokens(api_client, username, password=PASSWORD):
    response = api_client.post(TOKEN, {"username": username, "password": password})
    assert response.status_code == 200, response.json()
    return response.json()


def test_register_creates_member_with_profile(api_client):
    response = api_client.post(
        REGISTER,
        {
            "username": "ada",
            "email": "ada@example.com",
            "password": "a-long-unique-passphrase",
            "display_name": "Ada L.",
            "track": "backend",
            "github_url": "https://github.com/ada",
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"],
        "username": "ada",
        "display_name": "Ada L.",
        "bio": "",
        "track": "backend",
        "github_url": "https://github.com/ada",
        "linkedin_url": "",
        "website_url": "",
        "email": "ada@example.com",
        "is_staff": False,
        "date_joined": body["date_joined"],
    }
    assert "password" not in body
    assert User.objects.get(username="ada").check_password("a-long-unique-passphrase")


def test_register_refuses_duplicates_case_insensitively(api_client):
    UserFactory(username="ada", email="ada@example.com")

    by_name = api_client.post(REGISTER, {"username": "ADA", "email": "x@example.com", "password": "another-passphrase"})
    by_mail = api_client.post(
        REGISTER, {"username": "bob", "email": "ADA@example.com", "password": "another-passphrase"}
    )

    assert by_name.status_code == 400
    assert by_name.json()["errors"] == {"username": ["A member with that username already exists."]}
    assert by_mail.status_code == 400
    assert by_mail.json()["errors"] == {"email": ["A member with that email already exists."]}
    assert User.objects.count() == 1


def test_register_refuses_weak_password(api_client):
    response = api_client.post(REGISTER, {"username": "bob", "email": "bob@example.com", "password": "12345678"})

    assert response.status_code == 400
    assert (
        "This password is too short. It must contain at least 10 characters." in response.json()["errors"]["password"]
    )
    assert not User.objects.filter(username="bob").exists()


def test_token_with_wrong_password_is_401_without_saying_why(api_client, user):
    response = api_client.post(TOKEN, {"username": user.username, "password": "wrong-password"})

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "No active account found with the given credentials."
    assert response.json()["code"] == "invalid_credentials"


def test_access_token_authenticates_and_refresh_rotates(api_client, user):
    pair = _tokens(api_client, user.username)

    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    assert api_client.get(ME).json()["username"] == user.username

    api_client.credentials()
    rotated = api_client.post(REFRESH, {"refresh": pair["refresh"]})
    assert rotated.status_code == 200
    assert set(rotated.json()) == {"access", "refresh"}
    assert rotated.json()["refresh"] != pair["refresh"]

    reused = api_client.post(REFRESH, {"refresh": pair["refresh"]})
    assert reused.status_code == 401
    assert reused.json()["detail"] == "Token is blacklisted"


def test_logout_revokes_refresh_and_access_tokens(api_client, user):
    pair = _tokens(api_client, user.username)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")

    response = api_client.post(LOGOUT, {"refresh": pair["refresh"]})

    assert response.status_code == 204
    assert api_client.get(ME).status_code == 401
    api_client.credentials()
    refresh = api_client.post(REFRESH, {"refresh": pair["refresh"]})
    assert refresh.status_code == 401
    assert refresh.json()["detail"] == "Token is blacklisted"


def test_logout_cannot_revoke_another_members_token(api_client, user):
    other = UserFactory()
    theirs = _tokens(api_client, other.username)
    mine = _tokens(api_client, user.username)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {mine['access']}")

    response = api_client.post(LOGOUT, {"refresh": theirs["refresh"]})

    assert response.status_code == 400
    assert response.json()["errors"] == {"refresh": ["This refresh token belongs to another member."]}
    api_client.credentials()
    assert api_client.post(REFRESH, {"refresh": theirs["refresh"]}).status_code == 200


def test_logout_with_garbage_token_is_401(api_client):
    response = api_client.post(LOGOUT, {"refresh": "not-a-token"})

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_me_requires_authentication(api_client):
    response = api_client.get(ME)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["detail"] == "Authentication credentials were not provided."


def test_me_patch_updates_only_given_fields(auth_client, user):
    response = auth_client.patch(ME, {"bio": "Backend learner", "track": "full-stack"})

    assert response.status_code == 200
    assert response.json()["bio"] == "Backend learner"
    assert response.json()["track"] == "full-stack"
    user.profile.refresh_from_db()
    assert user.profile.display_name != ""  # untouched


def test_me_patch_validates(auth_client):
    response = auth_client.patch(ME, {"track": "devops", "website_url": "not a url"})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "track": ['"devops" is not a valid choice.'],
        "website_url": ["Enter a valid URL."],
    }


def test_member_profile_is_public(api_client, user):
    response = api_client.get(f"/api/v1/members/{user.username.upper()}/")

    assert response.status_code == 200
    assert response.json()["username"] == user.username
    assert "email" not in response.json()
    assert api_client.get("/api/v1/members/nobody/").status_code == 404
