"""Account pages: sign up, sign in, sign out, profile and notification preferences."""

from __future__ import annotations

import pytest

from nexus.accounts.models import User
from nexus.accounts.tests.factories import PASSWORD, UserFactory
from nexus.notifications.models import NotificationPreference

SIGNUP = {
    "username": "newbie",
    "email": "newbie@example.org",
    "display_name": "New Bie",
    "track": "backend",
    "password1": "a-long-pass-2026",
    "password2": "a-long-pass-2026",
}


@pytest.fixture
def member_client(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.django_db
def test_signup_page_renders_labelled_fields(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/accounts/signup/")
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("username", "email", "display_name", "track", "password1", "password2"):
        assert f'<label for="id_{name}">' in html, name
    assert 'id="id_password1_helptext"' in html


@pytest.mark.django_db
def test_signup_creates_the_member_signs_them_in_and_goes_to_import(client):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302 and response["Location"] == "/hubs/import/"
    user = User.objects.get(username="newbie")
    assert user.profile.display_name == "New Bie" and user.profile.track == "backend"
    assert client.get("/").context["user"] == user


@pytest.mark.django_db
def test_signup_reports_each_error_on_its_field(client):
    UserFactory(username="taken", email="taken@example.org")
    response = client.post(
        "/accounts/signup/", {**SIGNUP, "username": "taken", "email": "not-an-email", "password2": "different-pass-1"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["email"] == ["Enter a valid email address."]
    assert form.errors["password2"] == ["The two passwords differ."]
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and 'id="id_email_error"' in html
    assert 'role="alert"' in html
    assert not User.objects.filter(email="not-an-email").exists()


@pytest.mark.django_db
def test_signup_shows_the_service_rules(client):
    UserFactory(username="taken")
    response = client.post("/accounts/signup/", {**SIGNUP, "username": "Taken"})
    assert response.context["form"].errors["username"] == ["A member with that username already exists."]
    response = client.post("/accounts/signup/", {**SIGNUP, "password1": "1234567890", "password2": "1234567890"})
    errors = response.context["form"].errors["password1"]
    assert "This password is entirely numeric." in errors
    assert User.objects.filter(username="newbie").count() == 0


@pytest.mark.django_db
def test_signup_shares_the_registration_rate_limit(client, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"register": "2/hour"})
    client.post("/accounts/signup/", {**SIGNUP, "password2": "typo-typo-typo"})
    client.post("/accounts/signup/", {**SIGNUP, "password2": "typo-typo-typo"})
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 429
    assert "Too many sign-ups from your address. Try again in" in response.content.decode()
    assert not User.objects.filter(username="newbie").exists()


@pytest.mark.django_db
def test_signup_never_redirects_to_another_site(client):
    response = client.post("/accounts/signup/?next=https://evil.example/", {**SIGNUP, "next": "https://evil.example/"})
    assert response["Location"] == "/hubs/import/"


@pytest.mark.django_db
def test_login_page_signs_in_and_wrong_password_says_so(client, user):
    response = client.get("/accounts/login/")
    assert '<label for="id_username">' in response.content.decode()
    bad = client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    assert bad.status_code == 200 and "correct username and password" in bad.content.decode()
    good = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD, "next": "/topics/"})
    assert good.status_code == 302 and good["Location"] == "/topics/"


@pytest.mark.django_db
def test_sign_out_is_a_post(member_client, user):
    assert member_client.get("/accounts/logout/").status_code == 405
    response = member_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not member_client.get("/").context["user"].is_authenticated


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/profile/", "/accounts/notifications/"])
def test_account_pages_need_a_member(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={path}"


@pytest.mark.django_db
def test_profile_shows_and_saves_the_profile(member_client, user, django_assert_num_queries):
    with django_assert_num_queries(3):  # session, member, profile
        response = member_client.get("/accounts/profile/")
    assert f'value="{user.email}"' in response.content.decode()
    response = member_client.post(
        "/accounts/profile/",
        {"email": "new@example.org", "display_name": "Ada L", "bio": "Hi", "track": "frontend",
         "github_url": "github.com/ada", "linkedin_url": "", "website_url": ""},
    )  # fmt: skip
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "new@example.org"
    assert (user.profile.display_name, user.profile.track, user.profile.github_url) == (
        "Ada L", "frontend", "https://github.com/ada",
    )  # fmt: skip


@pytest.mark.django_db
def test_profile_errors_stay_on_the_form(member_client, user):
    UserFactory(email="other@example.org")
    response = member_client.post(
        "/accounts/profile/", {"email": "other@example.org", "website_url": "not a url", "track": "x"}
    )
    errors = response.context["form"].errors
    assert errors["website_url"] == ["Enter a valid URL."]
    assert "Select a valid choice." in errors["track"][0]
    response = member_client.post("/accounts/profile/", {"email": "other@example.org"})
    assert response.context["form"].errors["email"] == ["A member with that email already exists."]
    user.refresh_from_db()
    assert user.email != "other@example.org"


@pytest.mark.django_db
def test_notification_preferences_show_defaults_and_save(member_client, user, django_assert_num_queries):
    with django_assert_num_queries(3):  # session, member, preferences
        response = member_client.get("/accounts/notifications/")
    html = response.content.decode()
    assert "<legend>Someone mentioned you" in html
    assert 'name="mention" value="immediate" required id="id_mention_1" checked' in html
    choices = dict.fromkeys(response.context["form"].fields, "digest")
    response = member_client.post("/accounts/notifications/", {**choices, "mention": "off"})
    assert response.status_code == 302
    saved = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    assert saved["mention"] == "off" and saved["api_alert"] == "digest"


@pytest.mark.django_db
def test_notification_preferences_reject_unknown_modes(member_client, user):
    response = member_client.post("/accounts/notifications/", {"mention": "sometimes"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.context["form"].errors["mention"][0]
    assert not NotificationPreference.objects.filter(user=user).exists()
