"""Account pages: sign up, sign in, sign out, profile and notification preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods
from rest_framework.throttling import ScopedRateThrottle

from nexus.accounts import services
from nexus.accounts.forms import LoginForm, NotificationPreferencesForm, ProfileForm, SignupForm
from nexus.accounts.models import Profile
from nexus.core.web import form_add_service_error, render_page, safe_next
from nexus.notifications import selectors as notification_selectors
from nexus.notifications import services as notification_services


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class _RegisterScope:
    """The page shares the registration API's rate (REGISTER_THROTTLE_RATE) and its per-IP count."""

    throttle_scope = "register"


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account with the registration service, then sign the new member in."""
    if request.user.is_authenticated:
        return redirect("/")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        throttle = ScopedRateThrottle()
        if not throttle.allow_request(request, _RegisterScope()):  # type: ignore[arg-type]
            wait = int(throttle.wait() or 60) + 1
            form.add_error(None, f"Too many sign-ups from your address. Try again in {wait} seconds.")
            return render_page(request, "accounts/signup.html", {"form": form, "next": ""}, status=429)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_register(
                username=data["username"],
                email=data["email"],
                password=data["password1"],
                display_name=data["display_name"],
                track=data["track"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "password" in exc.error_dict:
                exc.error_dict["password1"] = exc.error_dict.pop("password")
            form_add_service_error(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to Nexus, {user.username}. Import your README to fill your hub.")
            return redirect(safe_next(request, "/hubs/import/"))
    return render_page(request, "accounts/signup.html", {"form": form, "next": request.GET.get("next", "")})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """Edit the signed-in member's email and public profile."""
    current = Profile.objects.filter(user_id=request.user.pk).first()
    initial = {"email": request.user.email}
    if current is not None:
        initial |= {f: getattr(current, f) for f in services.PROFILE_FIELDS}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, "Profile saved.")
            return redirect("accounts:profile")
    return render_page(request, "accounts/profile.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """Choose, per kind of notification, whether it is e-mailed at once, in the digest, or never."""
    initial = notification_selectors.notification_preferences(user=request.user)
    form = NotificationPreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            notification_services.notification_preferences_update(actor=request.user, email=form.cleaned_data)
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, "Notification settings saved.")
            return redirect("accounts:notification-preferences")
    return render_page(request, "accounts/notification_preferences.html", {"form": form})
