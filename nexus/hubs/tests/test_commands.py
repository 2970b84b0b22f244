from io import StringIO

import pytest
from django.core.management import call_command

from nexus.accounts.models import User
from nexus.cohorts.models import Membership
from nexus.hubs.models import Entry, Hub

pytestmark = pytest.mark.django_db


def _counts():
    return (User.objects.count(), Membership.objects.count(), Hub.objects.count(), Entry.objects.count())


def test_demo_is_idempotent_and_covers_every_kind(taxonomy):
    out = StringIO()
    call_command("demo", stdout=out)
    first = _counts()
    call_command("demo", stdout=StringIO())

    assert _counts() == first == (5, 4, 3, 18)
    assert set(Entry.objects.values_list("kind", flat=True)) == set(Entry.Kind.values)
    assert "nexus-demo-2026" in out.getvalue()
    assert User.objects.get(username="admin").is_staff
    assert User.objects.get(username="ada").check_password("nexus-demo-2026")
