"""The recognizer alone: pure, no database."""

import time

import pytest

from nexus.topics.recognizer import Recognizer, Span, Term, normalize_term

TERMS = [
    Term("Python", "python"),
    Term("Django", "django"),
    Term("Django ORM", "django-orm"),
    Term("Django REST Framework", "drf"),
    Term("DRF", "drf"),
    Term("REST", "rest-api", case_sensitive=True),
    Term("REST API", "rest-api"),
    Term("RESTful", "rest-api"),
    Term("Go", "go", case_sensitive=True),
    Term("Golang", "go"),
    Term("React", "react", case_sensitive=True),
    Term("React Native", "react-native"),
    Term("Next.js", "nextjs"),
    Term("Node.js", "nodejs"),
    Term("JavaScript", "javascript"),
    Term("Java", "java"),
    Term("C#", "csharp"),
    Term("CI/CD", "ci-cd"),
    Term("continuous integration", "ci-cd"),
    Term(".env", "environment-variables"),
    Term("PostgreSQL", "postgresql"),
    Term("Postgres", "postgresql"),
    Term("SQL", "sql"),
    Term("Git", "git"),
    Term("GitHub", "github"),
    Term("Docker Compose", "docker-compose"),
    Term("Docker", "docker"),
    Term("N+1 queries", "n-plus-one"),
    Term("Don't Repeat Yourself", "dry"),
    Term("webhook", "webhooks"),
    Term("Redis", "redis"),
]


@pytest.fixture(scope="module")
def recognizer():
    return Recognizer(TERMS)


def test_finds_slugs_in_order_of_first_mention_once_each(recognizer):
    text = "Django and Python. Then Django again, and Python, with Redis."

    assert recognizer.find(text) == ["django", "python", "redis"]


def test_spans_give_every_mention_with_its_position(recognizer):
    text = "Django on Postgres, then Django ORM."

    assert recognizer.spans(text) == [Span(0, 6, "django"), Span(10, 18, "postgresql"), Span(25, 35, "django-orm")]


@pytest.mark.parametrize(
    ("text", "slugs"),
    [
        ("Django REST Framework (DRF) and the Django ORM", ["drf", "django-orm"]),
        ("React Native apps, and React on the web", ["react-native", "react"]),
        ("Docker Compose files and a Docker image", ["docker-compose", "docker"]),
        ("one REST API, many REST APIs", ["rest-api"]),
    ],
)
def test_longest_term_wins(recognizer, text, slugs):
    assert recognizer.find(text) == slugs


@pytest.mark.parametrize(
    ("text", "slugs"),
    [
        ("pipelines (CI/CD) with GitHub", ["ci-cd", "github"]),
        ("Node.js, Next.js.", ["nodejs", "nextjs"]),
        ("C# services", ["csharp"]),
        ("copy .env.example to .env", ["environment-variables"]),
        ("the N+1 queries problem", ["n-plus-one"]),
    ],
)
def test_terms_with_punctuation_match_on_their_own(recognizer, text, slugs):
    assert recognizer.find(text) == slugs


@pytest.mark.parametrize(
    ("text", "slugs"),
    [
        ("Reactive streams", []),  # React is the start of a longer word
        ("it goes well, let it go", []),  # case-sensitive Go: neither "goes" nor "go"
        ("JavaScript", ["javascript"]),  # not Java
        ("PostgreSQL", ["postgresql"]),  # not SQL
        ("GitHub", ["github"]),  # not Git
        ("the rest of the work", []),  # REST is case-sensitive
        ("Djangoesque and Pythonic", []),
        ("see www.postgresql.org and docs.docker.com", []),  # domains are not mentions
        ("https://github.com/django/django and <https://redis.io/docs/redis>", []),  # nor are links
    ],
)
def test_does_not_match_inside_words_links_or_in_the_wrong_case(recognizer, text, slugs):
    assert recognizer.find(text) == slugs


def test_an_underscore_separates_words(recognizer):
    assert recognizer.find("REDIS_URL for django_filters, _Python_") == ["redis", "django", "python"]


def test_case_sensitive_names_and_their_aliases(recognizer):
    assert recognizer.find("Go, GO, go, Golang, golang") == ["go"]
    assert [span[:2] for span in recognizer.spans("Go, GO, go, Golang, golang")] == [(0, 2), (12, 18), (20, 26)]
    assert recognizer.find("REST, rest api, RESTFUL") == ["rest-api"]
    assert len(recognizer.spans("REST, rest api, RESTFUL")) == 3


def test_case_insensitive_terms_match_any_case_and_a_plural(recognizer):
    assert [s.slug for s in recognizer.spans("DJANGO, django, Webhooks, JWTs")] == ["django", "django", "webhooks"]


def test_case_sensitive_terms_have_no_plural(recognizer):
    assert recognizer.find("Gos and Reacts") == []


def test_separators_and_apostrophes_are_flexible(recognizer):
    text = "docker-compose.yml, Docker\n  Compose, continuous-integration, Don’t Repeat Yourself"

    assert [(text[s.start : s.end], s.slug) for s in recognizer.spans(text)] == [
        ("docker-compose", "docker-compose"),
        ("Docker\n  Compose", "docker-compose"),
        ("continuous-integration", "ci-cd"),
        ("Don’t Repeat Yourself", "dry"),
    ]


def test_markdown_emphasis_and_code_do_not_hide_terms(recognizer):
    assert recognizer.find("**Django**, `Redis`, _Python_, [Docker](https://docker.com), #Git") == [
        "django",
        "redis",
        "python",
        "docker",
        "git",
    ]


def test_a_case_sensitive_term_with_spaces_or_of_one_letter():
    recognizer = Recognizer([("Apple Pie", "pie", True), ("R", "r-lang", True), ("rust", "rust", False)])

    assert recognizer.find("Apple  Pie, apple pie, Apple pie") == ["pie"]
    assert len(recognizer.spans("Apple  Pie, apple pie, Apple pie")) == 1
    assert recognizer.find("R and rust; r is not R") == ["r-lang", "rust"]
    assert [s.start for s in recognizer.spans("R and rust; r is not R")] == [0, 6, 21]


def test_first_topic_keeps_a_term_two_topics_claim():
    recognizer = Recognizer([("Celery", "celery", False), ("celery", "vegetable", False), ("CELERY", "shout", True)])

    assert recognizer.find("Celery, CELERY") == ["celery", "shout"]
    assert [t.slug for t in recognizer.terms] == ["celery", "shout"]
    assert len(recognizer) == 2


def test_empty_recognizer_and_empty_text():
    assert Recognizer([]).find("Django") == []
    assert Recognizer([("  ", "blank", False)]).spans("  ") == []
    assert Recognizer(TERMS).find("") == []


def test_normalize_term_ignores_case_separators_and_apostrophes():
    assert normalize_term("  Docker-Compose ") == normalize_term("docker  compose") == "docker compose"
    assert normalize_term("Don’t Repeat‑Yourself") == "don't repeat yourself"
    assert normalize_term("CI/CD") != normalize_term("CI CD")


def test_long_text_is_fast(recognizer):
    text = "Django REST Framework, Postgres and Redis behind Docker Compose; the rest is CI/CD. " * 2000
    text += "Docker" + " -" * 50_000 + "Docker"  # a long run of separators after a term's first word

    started = time.perf_counter()
    spans = recognizer.spans(text)

    assert len(spans) == 10_002
    assert time.perf_counter() - started < 5  # about 0.1 s; generous for slow CI machines
