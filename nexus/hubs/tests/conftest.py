"""The permission-matrix world shared by the REST and GraphQL tests of hubs and entries."""

from types import SimpleNamespace

import pytest

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.hubs.models import Entry
from nexus.hubs.tests.factories import EntryFactory, HubFactory

ACTORS = ["anonymous", "owner", "peer", "outsider", "mentor", "staff"]
READERS = {
    "public": {"anonymous", "owner", "peer", "outsider", "mentor", "staff"},
    "cohort": {"owner", "peer", "mentor", "staff"},
    "private": {"owner"},
}


@pytest.fixture
def world():
    """One owner with a hub per visibility (each with a published and a draft entry), and the other actors."""
    cohort = CohortFactory()
    owner = MembershipFactory(cohort=cohort).user
    actors = {
        "anonymous": None,
        "owner": owner,
        "peer": MembershipFactory(cohort=cohort).user,
        "outsider": MembershipFactory(cohort=CohortFactory(program=cohort.program)).user,
        "mentor": MembershipFactory(cohort=cohort, role=Membership.Role.MENTOR).user,
        "staff": UserFactory(is_staff=True),
    }
    # The private hub sits in a second cohort the peer and mentor share with the owner too,
    # so "private" is shown to hold even among cohort-mates.
    cohort_b = CohortFactory()
    for name, role in (("owner", "learner"), ("peer", "learner"), ("mentor", "mentor")):
        MembershipFactory(cohort=cohort_b, user=actors[name], role=role)
    placement = {
        "public": {},
        "cohort": {"program": cohort.program, "cohort": cohort},
        "private": {"program": cohort_b.program, "cohort": cohort_b},
    }
    hubs, published, drafts = {}, {}, {}
    for visibility in READERS:
        hubs[visibility] = HubFactory(owner=owner, visibility=visibility, **placement[visibility])
        published[visibility] = EntryFactory(hub=hubs[visibility], title=f"{visibility} published")
        drafts[visibility] = EntryFactory(
            hub=hubs[visibility], title=f"{visibility} draft", status=Entry.Status.DRAFT, published_at=None
        )
    return SimpleNamespace(actors=actors, hubs=hubs, published=published, drafts=drafts)
