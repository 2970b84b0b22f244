"""Sign-in forms for pages and the admin, throttled like the token endpoint."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from nexus.accounts import services
from nexus.core.errors import ApplicationError, Throttled


class _ThrottledLogin:
    """Replaces AuthenticationForm.clean with the throttled service."""

    def clean(self) -> dict[str, Any]:
        form: Any = self
        username = form.cleaned_data.get("username")
        password = form.cleaned_data.get("password")
        if username is not None and password:
            try:
                form.user_cache = services.user_authenticate(request=form.request, username=username, password=password)
            except Throttled as exc:
                raise forms.ValidationError(exc.message, code="throttled") from exc
            except ApplicationError as exc:
                raise form.get_invalid_login_error() from exc
            form.confirm_login_allowed(form.user_cache)
        return form.cleaned_data


class LoginForm(_ThrottledLogin, AuthenticationForm):
    pass


class AdminLoginForm(_ThrottledLogin, AdminAuthenticationForm):
    pass
