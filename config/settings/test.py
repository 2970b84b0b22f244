"""Test settings: the base settings, only made faster. Services mode still follows the environment."""

from .base import *  # noqa: F403
from .base import PASSWORD_HASHERS, REST_FRAMEWORK

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_RENDERER_CLASSES": ["nexus.core.api.renderers.ORJSONRenderer"]}
