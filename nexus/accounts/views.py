"""Session sign-in and sign-out for pages."""

from django.contrib.auth import views as auth_views

from nexus.accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass
