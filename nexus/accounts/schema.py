"""OpenAPI description of the bearer-token authentication (loaded by AccountsConfig.ready)."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class AccessTokenScheme(SimpleJWTScheme):
    target_class = "nexus.accounts.authentication.AccessTokenAuthentication"
    name = "bearerAuth"
