"""Test settings: the base settings, only made faster. Services mode still follows the environment."""

from .base import *  # noqa: F403
from .base import PASSWORD_HASHERS, REST_FRAMEWORK

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_RENDERER_CLASSES": ["nexus.core.api.renderers.ORJSONRenderer"]}
# Tasks run in-process after commit in both modes, so a test sees their effects; the reliability
# tests (nexus/notifications/tests/test_reliability.py) switch this off and run a real worker.
CELERY_TASK_ALWAYS_EAGER = True
