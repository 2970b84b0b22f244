"""Writes for members: registration, sign-in, tokens, profile."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.tokens import RefreshToken, Token

from nexus.accounts import throttling
from nexus.accounts.authentication import revoke_access_token
from nexus.accounts.models import Profile, User
from nexus.core.errors import ApplicationError
from nexus.search import services as search_services

PROFILE_FIELDS = ("display_name", "bio", "track", "github_url", "linkedin_url", "website_url")


def client_ip(request: HttpRequest) -> str:
    """The caller's address: REMOTE_ADDR, or the address the outermost trusted proxy saw.

    With NUM_PROXIES = n, the n-th address from the right of X-Forwarded-For is the client as
    seen by the first trusted proxy; anything further left is client-supplied and ignored.
    """
    hops = settings.NUM_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if hops and forwarded:
        return forwarded[-min(hops, len(forwarded))]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@transaction.atomic
def user_register(*, username: str, email: str, password: str, **profile: Any) -> User:
    """Create a member with an Argon2-hashed password and a profile."""
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "A member with that username already exists."})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "A member with that email already exists."})
    user = User(username=username, email=email.strip())
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.full_clean()
    user.save()
    profile_obj = Profile(user=user, **{k: v for k, v in profile.items() if k in PROFILE_FIELDS})
    profile_obj.full_clean()
    profile_obj.save()
    search_services.schedule_index("member", user.pk)
    return user


def user_authenticate(*, request: HttpRequest, username: str, password: str) -> User:
    """Check a username and password, throttled per IP and per account.

    Raises core.Throttled when either has too many recent failures, and ApplicationError(401)
    on wrong credentials, without saying which part was wrong.
    """
    ip = client_ip(request)
    throttling.check(ip=ip, username=username)
    user = authenticate(request, username=username, password=password)
    if user is None:
        throttling.record_failure(ip=ip, username=username)
        raise ApplicationError(
            "No active account found with the given credentials.", status=401, code="invalid_credentials"
        )
    throttling.record_success(username=username)
    return user


def token_pair_issue(*, user: User) -> dict[str, str]:
    """A new refresh token and its access token."""
    refresh = RefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def token_refresh(*, refresh: str) -> dict[str, str]:
    """Trade a refresh token for a new pair; the old refresh token is blacklisted (rotation)."""
    serializer = TokenRefreshSerializer(data={"refresh": refresh})
    try:
        serializer.is_valid(raise_exception=True)
    except TokenError as exc:
        raise ApplicationError(str(exc), status=401, code="token_not_valid") from exc
    return dict(serializer.validated_data)


def user_logout(*, user: User | None, refresh: str, access: Token | None) -> None:
    """Revoke a refresh token (and the access token used for this call, if any).

    A refresh token of another member cannot be revoked by the caller.
    """
    try:
        token = RefreshToken(refresh)  # type: ignore[arg-type]
    except TokenError as exc:
        raise ApplicationError(str(exc), status=401, code="token_not_valid") from exc
    if user is not None and user.is_authenticated and str(token.get("user_id")) != str(user.pk):
        raise ValidationError({"refresh": "This refresh token belongs to another member."})
    token.blacklist()
    if access is not None:
        revoke_access_token(access)


@transaction.atomic
def profile_update(*, user: User, data: dict[str, Any]) -> User:
    """Change a member's email or profile fields; only the given keys change."""
    user = User.objects.select_for_update().get(pk=user.pk)
    profile, _ = Profile.objects.get_or_create(user=user)
    if "email" in data:
        email = data["email"].strip()
        if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
            raise ValidationError({"email": "A member with that email already exists."})
        user.email = email
        user.full_clean()
        user.save(update_fields=["email"])
    changed = [k for k in PROFILE_FIELDS if k in data]
    for key in changed:
        setattr(profile, key, data[key])
    if changed:
        profile.full_clean()
        profile.save(update_fields=[*changed, "updated_at"])
    if changed:
        search_services.schedule_index("member", user.pk)
    return User.objects.select_related("profile").get(pk=user.pk)
