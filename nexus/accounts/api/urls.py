from django.urls import path

from nexus.accounts.api import views

urlpatterns = [
    path("auth/register/", views.RegisterApi.as_view(), name="register"),
    path("auth/token/", views.TokenObtainApi.as_view(), name="token"),
    path("auth/token/refresh/", views.TokenRefreshApi.as_view(), name="token-refresh"),
    path("auth/logout/", views.LogoutApi.as_view(), name="logout"),
    path("me/", views.MeApi.as_view(), name="me"),
    path("members/<str:username>/", views.MemberDetailApi.as_view(), name="member-detail"),
]
