"""Settings for every environment: driven by the environment, with embedded defaults.

With no environment at all Nexus runs on SQLite, a local-memory cache, the in-memory channel
layer and in-process tasks. `DATABASE_URL`, `REDIS_URL` and `CELERY_BROKER_URL` switch each
component to its real service. See the configuration table in README.md.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="django-insecure-nexus-embedded-default-do-not-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "nexus.core",
    "nexus.accounts",
    "nexus.cohorts",
    "nexus.topics",
    "nexus.hubs",
    "nexus.search",
    "nexus.knowledge",
    "nexus.webhooks",
    "nexus.notifications",
    "nexus.discussions",
    "nexus.registry",
    "nexus.insights",
]

MIDDLEWARE = [
    # Probes answer before the Host header is validated: a load balancer asks by pod IP.
    "nexus.core.middleware.HealthProbeMiddleware",
    "nexus.core.middleware.RequestIdMiddleware",
    # A write's answer leaves once its cache commit wait is over (core/cache.py, decision 0014).
    "nexus.core.middleware.CommitWaitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag on every GET answer (a hash of its body), and 304 for If-None-Match/If-Modified-Since.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.htmx: pages answer an htmx request with a fragment (docs/web.md).
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nexus.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'nexus.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock up front so
    # two writers queue on the busy timeout instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# Keep connections between requests: a new SQLite connection re-reads the schema (~1 ms), a new
# PostgreSQL one costs a fork on the server. Health checks drop a connection that died.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, channel layer, tasks --------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "nexus",
            # A Redis outage makes reads slower (computed, not cached), never failing requests.
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    # Each process keeps copies of the versioned values it read (core/cache.py), up to this many
    # pickled bytes, and trusts the version tokens it read for the lease; every write waits out
    # the lease before it answers (docs/decisions/0014-cache-version-lease.md).
    CACHE_LOCAL_COPIES_BYTES = env.int("CACHE_LOCAL_COPIES_BYTES", default=64 * 2**20)
    CACHE_VERSION_LEASE_MS = env.int("CACHE_VERSION_LEASE_MS", default=20)
    # redis-py 8 defaults to a 5 s socket timeout: the layer's receive blocks up to 5 s
    # (BZPOPMIN), so reads must outlast it or idle WebSockets die. The pool waits (up to
    # `timeout` s) for one of its `max_connections` instead of failing (nexus/core/channel_layer.py).
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "nexus.core.channel_layer.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": 15,
                        "socket_connect_timeout": 2,
                        "max_connections": env.int("CHANNEL_LAYER_MAX_CONNECTIONS", default=100),
                        "timeout": 10,
                    }
                ]
            },
        }
    }
else:
    # Django's default of 300 entries would cull pages, searches and version tokens on a real site.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "nexus",
            "OPTIONS": {"MAX_ENTRIES": env.int("CACHE_MAX_ENTRIES", default=10_000)},
        }
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHE_LOCAL_COPIES_BYTES = 0  # the local-memory cache is this process's copy already
    CACHE_VERSION_LEASE_MS = 0

# https://docs.celeryq.dev/en/stable/userguide/configuration.html
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = REDIS_URL or None
# Without a broker, tasks run in-process (eagerly) so the embedded mode needs no service.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Nexus's own queue name, so a shared broker can carry several deployments (CELERY_QUEUE).
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="nexus")
# A request that commits while the broker is down must not hang on it: one quick retry, then the
# outbox sweep publishes later (docs/events.md).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
if CELERY_BROKER_URL.startswith(("amqp", "pyamqp")):
    # Publisher confirms: a publish returns only once RabbitMQ has taken the message, so the
    # outbox marks an event sent only after the broker accepted it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"confirm_publish": True}

# Transactional outbox (docs/events.md): the sweep interval and the age at which it publishes an
# unsent event; when a sent but unprocessed event counts as lost and is published again; how
# often a failing event is tried (first retry after EVENTS_RETRY_DELAY s, doubling); retention.
EVENTS_RELAY_INTERVAL = env.float("EVENTS_RELAY_INTERVAL", default=10.0)
EVENTS_RELAY_MIN_AGE = env.float("EVENTS_RELAY_MIN_AGE", default=5.0)
EVENTS_REPUBLISH_AFTER = env.int("EVENTS_REPUBLISH_AFTER", default=900)
EVENTS_MAX_ATTEMPTS = env.int("EVENTS_MAX_ATTEMPTS", default=8)
EVENTS_RETRY_DELAY = env.int("EVENTS_RETRY_DELAY", default=10)
EVENTS_RETENTION_DAYS = env.int("EVENTS_RETENTION_DAYS", default=14)
# The hour (UTC) at which the daily notification digest goes out.
NOTIFICATIONS_DIGEST_HOUR = env.int("NOTIFICATIONS_DIGEST_HOUR", default=7)

# `celery -A config beat` sends these; `celery -A config worker` runs them (README, Celery processes).
CELERY_BEAT_SCHEDULE = {
    "events-relay": {
        "task": "nexus.events.relay",
        "schedule": EVENTS_RELAY_INTERVAL,
        "options": {"expires": EVENTS_RELAY_INTERVAL},  # a backlog of sweeps is pointless
    },
    "events-prune": {"task": "nexus.events.prune", "schedule": crontab(minute=17, hour=3)},
    "notifications-email-pending": {
        "task": "nexus.notifications.email_pending",
        "schedule": 300.0,
        "options": {"expires": 300},
    },
    "notifications-digest": {
        "task": "nexus.notifications.digest",
        "schedule": crontab(minute=0, hour=NOTIFICATIONS_DIGEST_HOUR),
    },
    # Webhook retries are rows with a due time, not countdown messages held by a worker
    # (docs/webhooks.md).
    "webhooks-deliver-due": {"task": "webhooks.deliveries_due", "schedule": 30.0},
    "registry-health-check": {"task": "registry.health_check", "schedule": 60.0},
    "registry-schemas-refresh": {"task": "registry.schemas_refresh", "schedule": 3600.0},
}

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Argon2 hashes every new password; bcrypt verifies hashes imported from other systems and
# is upgraded to Argon2 at the next successful login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.BCryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# How many reverse proxies in front of Nexus append to X-Forwarded-For; 0 trusts REMOTE_ADDR only.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

# Failed logins allowed per window before the IP or the account is refused (HTTP 429).
LOGIN_THROTTLE = {
    "ip": {"limit": env.int("LOGIN_THROTTLE_IP_LIMIT", default=20), "window": 300},
    "account": {"limit": env.int("LOGIN_THROTTLE_ACCOUNT_LIMIT", default=5), "window": 300},
}

# https://django-rest-framework-simplejwt.readthedocs.io/en/latest/settings.html
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("ACCESS_TOKEN_MINUTES", default=5)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("REFRESH_TOKEN_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "SIGNING_KEY": env("JWT_SIGNING_KEY", default=SECRET_KEY),
}

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "nexus.accounts.authentication.AccessTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": [
        "nexus.core.api.renderers.ORJSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "nexus.core.api.pagination.CursorPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "nexus.core.api.exceptions.problem_exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "PAGE_SIZE": 20,
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_THROTTLE_RATES": {"register": env("REGISTER_THROTTLE_RATE", default="20/hour")},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# https://drf-spectacular.readthedocs.io/en/latest/settings.html
SPECTACULAR_SETTINGS = {
    "TITLE": "Nexus API",
    "DESCRIPTION": "The knowledge hub for engineering cohorts. Errors are RFC 9457 problem+json.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to the public validator badge service: nothing leaves the server.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": True, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {
        "HubVisibilityEnum": "nexus.hubs.models.Hub.Visibility",
        "EntryStatusEnum": "nexus.hubs.models.Entry.Status",
        "EntryKindEnum": "nexus.hubs.models.Entry.Kind",
        "TrackEnum": "nexus.accounts.models.Track",
        "MembershipRoleEnum": "nexus.cohorts.models.Membership.Role",
        "TopicKindEnum": "nexus.topics.models.Topic.Kind",
        "WebhookFormatEnum": "nexus.webhooks.models.Webhook.Format",
        "WebhookDeliveryStateEnum": "nexus.webhooks.models.WebhookDelivery.State",
        "ChannelVisibilityEnum": "nexus.discussions.models.Channel.Visibility",
        "RegistryVisibilityEnum": "nexus.registry.models.RegisteredApi.Visibility",
        "RegistryHealthEnum": "nexus.registry.models.RegisteredApi.Health",
        "RegistryAlertKindEnum": "nexus.registry.models.RegistryAlert.Kind",
    },
}

# The largest README an import accepts (the biggest real one seen is about 40 kB).
README_MAX_BYTES = env.int("README_MAX_BYTES", default=1_000_000)

# Knowledge base (docs/knowledge.md): the similarity at which a new challenge joins an existing
# problem instead of starting its own, and the half-life of a solution's signals in its ranking.
KNOWLEDGE_ATTACH_THRESHOLD = env.float("KNOWLEDGE_ATTACH_THRESHOLD", default=0.5)
KNOWLEDGE_HALF_LIFE_DAYS = env.float("KNOWLEDGE_HALF_LIFE_DAYS", default=180.0)

# --- Outgoing requests to user-supplied URLs (docs/outbound.md) -------------------------------
# Every request to a URL a member gave (webhooks, registered APIs) goes through nexus.core.outbound,
# which refuses non-global addresses. Loopback is for tests and local development only; private
# ranges (10/8, 172.16/12, 192.168/16, fc00::/7) for a deployment whose members' services live on
# a private network. Link-local (cloud metadata) is never reachable.
NEXUS_OUTBOUND_ALLOW_LOOPBACK = env.bool("NEXUS_OUTBOUND_ALLOW_LOOPBACK", default=False)
NEXUS_OUTBOUND_ALLOW_PRIVATE = env.bool("NEXUS_OUTBOUND_ALLOW_PRIVATE", default=False)
NEXUS_OUTBOUND_CONNECT_TIMEOUT = env.float("NEXUS_OUTBOUND_CONNECT_TIMEOUT", default=5.0)
NEXUS_OUTBOUND_READ_TIMEOUT = env.float("NEXUS_OUTBOUND_READ_TIMEOUT", default=10.0)
NEXUS_OUTBOUND_TOTAL_TIMEOUT = env.float("NEXUS_OUTBOUND_TOTAL_TIMEOUT", default=30.0)
NEXUS_OUTBOUND_MAX_BYTES = env.int("NEXUS_OUTBOUND_MAX_BYTES", default=1_000_000)
NEXUS_OUTBOUND_MAX_REDIRECTS = env.int("NEXUS_OUTBOUND_MAX_REDIRECTS", default=5)

# --- Outgoing webhooks (docs/webhooks.md) ------------------------------------------------------
# Attempts per delivery, and the backoff between them: base * 2**(attempt-1), capped, +/-20 %.
WEBHOOKS_MAX_ATTEMPTS = env.int("WEBHOOKS_MAX_ATTEMPTS", default=8)
WEBHOOKS_RETRY_BASE_SECONDS = env.float("WEBHOOKS_RETRY_BASE_SECONDS", default=60.0)
WEBHOOKS_RETRY_MAX_SECONDS = env.float("WEBHOOKS_RETRY_MAX_SECONDS", default=6 * 3600.0)
WEBHOOKS_TIMEOUT_SECONDS = env.float("WEBHOOKS_TIMEOUT_SECONDS", default=10.0)
WEBHOOKS_PER_COHORT = env.int("WEBHOOKS_PER_COHORT", default=20)
# The Celery queue webhook deliveries go to (empty: Celery's default queue).
WEBHOOKS_QUEUE = env("WEBHOOKS_QUEUE", default="")

# Search (docs/search.md): how many matches a search ranks and counts at most, and how long a
# search's ranked matches and facet counts stay cached (0: not cached). Writes to the index
# make cached results unreachable at once, whatever the duration.
SEARCH_CANDIDATES = env.int("SEARCH_CANDIDATES", default=300)
SEARCH_CACHE_SECONDS = env.int("SEARCH_CACHE_SECONDS", default=60)

# Discussions (docs/discussions.md): an open WebSocket re-checks its credential and the member's
# access to the channel before delivering a frame when its last check is older than this.
DISCUSSIONS_WS_RECHECK_SECONDS = env.int("DISCUSSIONS_WS_RECHECK_SECONDS", default=60)

# --- API registry (docs/registry.md) ----------------------------------------------------------
# Schemas: the largest one read (fetched or uploaded) and the fetch's total time budget.
REGISTRY_SCHEMA_MAX_BYTES = env.int("REGISTRY_SCHEMA_MAX_BYTES", default=2_000_000)
REGISTRY_FETCH_TIMEOUT_SECONDS = env.float("REGISTRY_FETCH_TIMEOUT_SECONDS", default=15.0)
# Health checks: concurrent requests per cycle, per-request budgets, body cap, redirects, retention.
REGISTRY_HEALTH_CONCURRENCY = env.int("REGISTRY_HEALTH_CONCURRENCY", default=100)
REGISTRY_HEALTH_CONNECT_TIMEOUT = env.float("REGISTRY_HEALTH_CONNECT_TIMEOUT", default=3.0)
REGISTRY_HEALTH_READ_TIMEOUT = env.float("REGISTRY_HEALTH_READ_TIMEOUT", default=5.0)
REGISTRY_HEALTH_TOTAL_TIMEOUT = env.float("REGISTRY_HEALTH_TOTAL_TIMEOUT", default=8.0)
REGISTRY_HEALTH_MAX_BYTES = env.int("REGISTRY_HEALTH_MAX_BYTES", default=65_536)
REGISTRY_HEALTH_MAX_REDIRECTS = env.int("REGISTRY_HEALTH_MAX_REDIRECTS", default=3)
REGISTRY_HEALTH_RETENTION_DAYS = env.int("REGISTRY_HEALTH_RETENTION_DAYS", default=8)

# --- Static, media, email -------------------------------------------------------------------
STATIC_URL = "static/"
# Collected files are served only in production (prod.py); here WhiteNoise serves from the finders.
STATIC_ROOT = None
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve straight from the app finders when nothing was collected (embedded mode, `make run`).
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Nexus <nexus@localhost>")
# Where people reach Nexus: links in e-mails are made absolute with it.
SITE_URL = env("SITE_URL", default="http://localhost:8000").rstrip("/")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Logging: one JSON object per line, each with the request id ---------------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "nexus.core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "nexus.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        # httpx logs every request's full URL at INFO; webhook URLs carry tokens (Discord, Slack).
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}

# --- GraphQL (docs/api.md) --------------------------------------------------------------------
# https://strawberry.rocks/docs/extensions -- limits checked before a query runs, and whether the
# schema answers introspection (GraphiQL needs it; production turns it off).
GRAPHQL_MAX_DEPTH = env.int("GRAPHQL_MAX_DEPTH", default=10)
GRAPHQL_MAX_ALIASES = env.int("GRAPHQL_MAX_ALIASES", default=15)
GRAPHQL_MAX_TOKENS = env.int("GRAPHQL_MAX_TOKENS", default=2000)
GRAPHQL_INTROSPECTION = env.bool("GRAPHQL_INTROSPECTION", default=True)
# Unexpected errors (bugs) answer "Unexpected error." with the request id; off shows their message.
GRAPHQL_MASK_ERRORS = env.bool("GRAPHQL_MASK_ERRORS", default=not DEBUG)
# GraphiQL at GET /graphql/ (assets vendored in static/vendor/graphiql, no CDN).
GRAPHQL_GRAPHIQL = env.bool("GRAPHQL_GRAPHIQL", default=True)
