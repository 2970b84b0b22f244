"""The curriculum topics of each track: the columns of a cohort's coverage heatmap.

These are the technologies and concepts the ProDev programs teach (and that the corpus of
learner READMEs covers, nexus/topics/tests/test_taxonomy.py). A program's track picks its
list; a program without a track gets every list. Slugs missing from the taxonomy are skipped.
"""

from __future__ import annotations

BACKEND = (
    "python",
    "django",
    "drf",
    "graphql",
    "postgresql",
    "database-design",
    "orm",
    "rest-api",
    "authentication",
    "jwt",
    "pagination",
    "caching",
    "redis",
    "celery",
    "rabbitmq",
    "asynchronous-programming",
    "docker",
    "ci-cd",
    "testing",
    "openapi",
)
FRONTEND = (
    "javascript",
    "typescript",
    "react",
    "nextjs",
    "tailwind",
    "rest-api",
    "graphql",
    "authentication",
    "pagination",
    "cors",
    "testing",
    "ci-cd",
)

TRACKS: dict[str, tuple[str, ...]] = {
    "backend": BACKEND,
    "frontend": FRONTEND,
    "full-stack": tuple(dict.fromkeys(BACKEND + FRONTEND)),
}


def curriculum_slugs(track: str) -> tuple[str, ...]:
    """The curriculum topic slugs of a track, in teaching order (every track's for an unknown one)."""
    return TRACKS.get(track) or TRACKS["full-stack"]
