"""The shipped taxonomy file, and what it recognises in real learner READMEs."""

from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from nexus.topics import taxonomy
from nexus.topics.recognizer import Recognizer

CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus"
READMES = sorted((CORPUS / "readmes").glob("*.md")) if CORPUS.is_dir() else []
# Tracks as shared/corpus/SUMMARY.md lists them; 040 is Next.js boilerplate of no track.
FRONTEND = {"003", "007", "010", "014", "019", "021", "028", "037", "043", "044", "046"}
FULL_STACK = {"033", "039"}
NO_TRACK = {"040"}


@pytest.fixture(scope="module")
def specs():
    return taxonomy.read(taxonomy.DEFAULT_PATH)


@pytest.fixture(scope="module")
def recognizer(specs):
    return Recognizer(taxonomy.terms(specs))


def test_shipped_file_is_valid_and_large(specs):
    kinds = Counter(spec.kind for spec in specs)

    assert len(specs) >= 120
    assert set(kinds) == {"technology", "concept", "practice"}
    assert min(kinds.values()) >= 30


def test_shipped_hierarchy(specs):
    parents = {spec.slug: spec.parent for spec in specs}

    assert parents["django-orm"] == "django"
    assert parents["drf"] == "django"
    assert parents["django"] == "python"
    assert parents["nextjs"] == "react"
    assert parents["github-actions"] == "ci-cd"
    assert parents["n-plus-one"] == "query-optimization"
    assert parents["python"] is None


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Python", "python"),
        ("Django", "django"),
        ("DRF", "drf"),
        ("Django REST Framework", "drf"),
        ("Django Rest Framework (DRF)", "drf"),
        ("djangorestframework", "drf"),
        ("Django ORM", "django-orm"),
        ("GraphQL", "graphql"),
        ("Docker", "docker"),
        ("Dockerfile", "docker"),
        ("docker-compose", "docker-compose"),
        ("CI/CD", "ci-cd"),
        ("CI/CD pipelines", "ci-cd"),
        ("continuous integration", "ci-cd"),
        ("GitHub Actions", "github-actions"),
        ("Kubernetes", "kubernetes"),
        ("K8s", "kubernetes"),
        ("Celery", "celery"),
        ("RabbitMQ", "rabbitmq"),
        ("Redis", "redis"),
        ("PostgreSQL", "postgresql"),
        ("Postgres", "postgresql"),
        ("psql", "postgresql"),
        ("MySQL", "mysql"),
        ("JWT", "jwt"),
        ("JSON Web Tokens", "jwt"),
        ("caching", "caching"),
        ("Caching Strategies", "caching"),
        ("database design", "database-design"),
        ("Asynchronous Programming", "asynchronous-programming"),
        ("async/await", "asynchronous-programming"),
        ("REST", "rest-api"),
        ("REST API", "rest-api"),
        ("REST APIs", "rest-api"),
        ("RESTful APIs", "rest-api"),
        ("Next.js", "nextjs"),
        ("NextJS", "nextjs"),
        ("React", "react"),
        ("React.js", "react"),
        ("TypeScript", "typescript"),
        ("Tailwind", "tailwind"),
        ("TailwindCSS", "tailwind"),
        ("Tailwind CSS", "tailwind"),
        ("testing", "testing"),
        ("unit tests", "unit-testing"),
        ("pagination", "pagination"),
        ("authentication", "authentication"),
        ("Swagger", "openapi"),
        ("OpenAPI", "openapi"),
        ("ORM", "orm"),
        ("N+1 queries", "n-plus-one"),
        ("N+1 query problem", "n-plus-one"),
        ("select_related", "eager-loading"),
        ("CORS", "cors"),
        ("environment variables", "environment-variables"),
        (".env", "environment-variables"),
        ("code review", "code-review"),
        ("Git", "git"),
        ("Go", "go"),
        ("Golang", "go"),
        ("Node.js", "nodejs"),
        ("C#", "csharp"),
        ("SOLID principles", "solid"),
        ("Don’t Repeat Yourself", "dry"),
    ],
)
def test_key_names_and_aliases_resolve(recognizer, text, slug):
    assert recognizer.find(f"We used {text} here.") == [slug]


@pytest.mark.parametrize(
    "text",
    [
        "Reactive programming",
        "it goes to production and we go home",
        "the rest of the team",
        "a solid foundation",
        "keep it dry",
        "Next Steps",
        "Containers.",  # generic words a hub entry test relies on staying unrecognised
        "Tasks queued behind a broker never ran. Retry the connection on startup.",
    ],
)
def test_english_words_are_not_topics(recognizer, text):
    assert recognizer.find(text) == []


def test_hub_entry_examples(recognizer):
    text = "Celery tasks hanging\nTasks queued behind **RabbitMQ** never ran.\nRetry the broker connection on startup."

    assert recognizer.find(text) == ["celery", "rabbitmq"]


corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the README corpus is not at {CORPUS}")


def _number(path: Path) -> str:
    return path.name[:3]


@corpus
def test_corpus_is_there():
    assert len(READMES) == 45


@corpus
@pytest.mark.parametrize("path", READMES, ids=_number)
def test_every_readme_yields_a_reasonable_set_of_topics(recognizer, path):
    text = path.read_text(encoding="utf-8")
    found = recognizer.find(text)
    number = _number(path)

    assert len(found) == len(set(found)) >= 8
    if number in FRONTEND | FULL_STACK:
        assert {"typescript", "tailwind"} <= set(found)
        assert {"nextjs", "react"} & set(found)
    if number not in FRONTEND | NO_TRACK:
        # A backend README names Django, and Python unless it never writes the word (017).
        assert "django" in found or "django" not in text.lower()  # 002 lists only frontend tools
        assert "python" in found or "python" not in text.lower()


# What the READMEs say, read by a person: a subset of the topics each must yield.
EXPECTED = {
    "001": {"python", "django", "rest-api", "graphql", "docker", "ci-cd", "database-design", "caching"},
    "002": {"nextjs", "tailwind", "typescript", "graphql", "pwa", "nodejs", "express", "postgresql", "mongodb"},
    "004": {"jwt", "openapi", "postgresql", "celery", "rabbitmq", "github-actions", "drf", "redis", "csrf", "erd"},
    "010": {"nextjs", "prisma", "cors", "postman", "shadcn", "apollo", "vercel", "react-native", "stripe", "zod"},
    "011": {"asyncio", "drf-yasg", "graphene", "cron", "render", "railway", "django-signals", "django-admin"},
    "013": {"jenkins", "github-actions", "flask", "eager-loading", "django-debug-toolbar", "memcached"},
    "015": {"n-plus-one", "eager-loading", "rate-limiting", "kubernetes", "mysql", "websockets", "kafka"},
    "016": {"kubernetes", "jenkins", "chapa", "datadog", "git-flow", "n-plus-one", "deployment-strategies"},
    "017": {"django", "postgresql", "graphene", "graphql-playground", "dry", "real-time"},
    "020": {"pytest", "postman", "httpie", "simplejwt", "flake8", "drf-viewsets", "session-authentication"},
    "023": {"stripe", "paypal", "elasticsearch", "sentry", "prometheus", "grafana", "elk-stack", "factory-boy"},
    "024": {"geodjango", "nginx", "gunicorn", "flower", "django-environ", "chapa", "stripe"},
    "025": {"postman", "curl", "jenkins", "kubernetes", "django-cache", "drf-yasg", "django-signals"},
    "027": {"fastapi", "pandas", "numpy", "kafka", "heroku", "aws", "tdd", "partitioning", "replication"},
    "031": {"travis-ci", "jenkins", "datadog", "prometheus", "grafana", "twelve-factor-app", "client-server"},
    "033": {"apollo", "redux", "figma", "expo", "accessibility", "react-context"},
    "036": {"python-decouple", "pytest", "factory-boy", "drf-yasg", "graphql-playground", "high-availability"},
    "039": {"react-hook-form", "zod", "apollo", "isr", "atomic-design", "git-hooks", "n-plus-one", "vercel"},
    "040": {"nextjs", "tailwind", "postcss", "vercel"},
    "043": {"zustand", "redux", "axios", "infinite-scrolling", "react-native", "expo"},
    "046": {"react", "redux", "axios", "infinite-scrolling", "vercel", "netlify"},
}


@corpus
@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_readmes_yield_the_topics_a_reader_sees(recognizer, number):
    (path,) = [p for p in READMES if _number(p) == number]

    assert EXPECTED[number] - set(recognizer.find(path.read_text(encoding="utf-8"))) == set()


@corpus
def test_the_corpus_covers_the_curriculum(recognizer):
    found = set()
    for path in READMES:
        found.update(recognizer.find(path.read_text(encoding="utf-8")))

    curriculum = {
        "python", "django", "drf", "graphql", "docker", "ci-cd", "github-actions", "kubernetes", "celery",
        "rabbitmq", "redis", "postgresql", "mysql", "jwt", "caching", "database-design", "asynchronous-programming",
        "rest-api", "nextjs", "react", "typescript", "tailwind", "testing", "pagination", "authentication",
        "openapi", "orm", "n-plus-one", "cors", "environment-variables", "code-review", "git",
    }  # fmt: skip
    assert curriculum - found == set()
