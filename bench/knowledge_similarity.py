"""Time `knowledge.selectors.problem_suggest` over 10,000 challenges (not a test).

    DATABASE_URL=... uv run python bench/knowledge_similarity.py
Builds a throwaway test database, writes 10,000 problems each with one challenge text drawn
from a 2,000-word vocabulary (plus a few shared "topic" words), then times suggestions.
"""

import os
import random
import statistics
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

N = int(os.environ.get("N", "10000"))


def main() -> None:
    setup_test_environment()
    old = connection.creation.create_test_db(verbosity=0)
    try:
        from nexus.knowledge import selectors, similarity
        from nexus.knowledge.models import Problem, ProblemTerm

        rng = random.Random(7)  # noqa: S311 - reproducible data, not secrets
        stack = ["celery", "rabbitmq", "django", "redis", "docker", "postgres", "graphql", "cors", "jwt", "nginx"]
        vocab = [f"w{i}" for i in range(2000)]
        texts = [" ".join(rng.sample(stack, 2) + rng.sample(vocab, 12)) for _ in range(N)]
        problems = Problem.objects.bulk_create([Problem(title=t[:80]) for t in texts])
        ProblemTerm.objects.bulk_create(
            (
                ProblemTerm(problem=p, entry_id=p.pk, term=w)
                for p, t in zip(problems, texts, strict=True)
                for w in similarity.terms(t)
            ),
            batch_size=5000,
        )
        timings = []
        for text in rng.sample(texts, 50):
            query = " ".join(text.split()[:8])
            start = time.perf_counter()
            found = selectors.problem_suggest(text=query, limit=5)
            timings.append((time.perf_counter() - start) * 1000)
            assert found
        timings.sort()
        print(
            f"{connection.vendor}: {N} problems, {ProblemTerm.objects.count()} words; suggest median "
            f"{statistics.median(timings):.1f} ms, p95 {timings[int(len(timings) * 0.95)]:.1f} ms"
        )
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
