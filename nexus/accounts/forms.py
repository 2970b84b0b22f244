"""Forms of the account pages: sign-in (throttled like the token endpoint), sign-up, profile, preferences."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from nexus.accounts import services
from nexus.accounts.models import Track
from nexus.core.errors import ApplicationError, Throttled
from nexus.notifications.models import EmailMode, Kind


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


class SignupForm(forms.Form):
    """Input of the sign-up page; the rules (unique names, password strength) live in the service."""

    username = forms.CharField(
        max_length=150, help_text="Letters, digits and @/./+/-/_ only. Your hub lives at /@username/."
    )
    email = forms.EmailField(label="Email address")
    display_name = forms.CharField(max_length=120, required=False, label="Display name")
    track = forms.ChoiceField(choices=[("", "—"), *Track.choices], required=False)
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters, not entirely numeric, not a common password.",
    )
    password2 = forms.CharField(
        label="Password again", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", "The two passwords differ.")
        return cleaned


class ProfileForm(forms.Form):
    """Input of the profile page: email and the public profile fields."""

    email = forms.EmailField(label="Email address")
    display_name = forms.CharField(max_length=120, required=False, label="Display name")
    bio = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    track = forms.ChoiceField(choices=[("", "—"), *Track.choices], required=False)
    github_url = forms.URLField(required=False, label="GitHub URL", assume_scheme="https")
    linkedin_url = forms.URLField(required=False, label="LinkedIn URL", assume_scheme="https")
    website_url = forms.URLField(required=False, label="Website URL", assume_scheme="https")


class NotificationPreferencesForm(forms.Form):
    """One e-mail mode per notification kind."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=EmailMode.choices, widget=forms.RadioSelect
            )
