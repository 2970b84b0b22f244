"""`manage.py knowledge relink`."""

import pytest
from django.core.management import call_command

from nexus.knowledge.models import ProblemLink

pytestmark = pytest.mark.django_db


def test_relink_links_existing_challenges_and_is_idempotent(challenge, capsys):
    challenge("Celery tasks stuck", "Nothing consumed the RabbitMQ queue.", link=False)
    call_command("knowledge", "relink")
    call_command("knowledge", "relink")
    assert capsys.readouterr().out == "Linked 1 challenge(s).\nLinked 0 challenge(s).\n"
    assert ProblemLink.objects.count() == 1
