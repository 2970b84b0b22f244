"""The pure similarity and ranking functions."""

from datetime import timedelta

from django.utils import timezone

from nexus.knowledge import similarity
from nexus.knowledge.selectors import solution_score


def test_terms_normalise_case_stop_words_and_suffixes():
    assert similarity.terms("Celery tasks HANGING behind the RabbitMQ broker!") == {
        "celery", "task", "hang", "behind", "rabbitmq", "brok"
    }  # fmt: skip


def test_cosine_weights_rare_words_over_common_ones():
    weights = {"celery": 3.0, "rabbitmq": 3.0, "error": 1.0, "cors": 3.0}
    rare = similarity.cosine({"celery", "rabbitmq", "error"}, {"celery", "rabbitmq"}, weights)
    common = similarity.cosine({"celery", "rabbitmq", "error"}, {"error", "cors"}, weights)
    assert rare > 0.9
    assert common < 0.1


def test_score_adds_topic_overlap_only_when_both_sides_have_topics():
    assert similarity.score(0.5, None) == 0.5
    assert similarity.score(0.5, 1.0) == round(0.85 * 0.5 + 0.15, 6)


def test_decay_halves_each_half_life():
    assert similarity.decay(0, 10) == 1.0
    assert similarity.decay(10 * 86400, 10) == 0.5


def test_newer_confirmed_solution_overtakes_old_verified_one():
    now = timezone.now()
    year = timedelta(days=365)
    old_verified = solution_score(
        published_at=now - 2 * year, confirmed_at=[now - 2 * year] * 3, verified_at=now - 2 * year,
        now=now, half_life_days=180,
    )  # fmt: skip
    new_confirmed = solution_score(
        published_at=now - timedelta(days=20), confirmed_at=[now - timedelta(days=3)] * 2, verified_at=None,
        now=now, half_life_days=180,
    )  # fmt: skip
    fresh_verified = solution_score(
        published_at=now - timedelta(days=20), confirmed_at=[], verified_at=now, now=now, half_life_days=180
    )
    assert new_confirmed > old_verified
    assert fresh_verified > new_confirmed
