"""The batch form of the entry visibility rules (`entries_visible_to_each`) against the filter
(`entries_visible_to`): the same answers for every hub visibility, entry status and member,
in a fixed number of queries. The world (fixture) lives in conftest.py."""

from datetime import date

import pytest

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.models import Cohort, Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.hubs import access
from nexus.hubs.models import Entry, Hub
from nexus.hubs.tests.conftest import READERS
from nexus.hubs.tests.factories import EntryFactory, HubFactory

pytestmark = pytest.mark.django_db

# The matrix's members (anonymous is no member: the batch form takes members only), then the
# edge cases of membership: `cohorts.selectors.member_cohort_ids` counts every membership row,
# whatever the member's state or the cohort's dates.
MEMBERS = ["owner", "peer", "outsider", "mentor", "staff"]
EDGE = ["stranger", "inactive_peer", "cohort_staff", "staff_member", "alumnus", "orphan_owner"]


@pytest.fixture
def edges(world):
    """The world, plus members at the edges of membership and a cohort hub in an ended cohort."""
    cohort = world.hubs["cohort"].cohort
    actors = dict(world.actors)
    actors["stranger"] = UserFactory()  # no membership at all
    actors["inactive_peer"] = MembershipFactory(cohort=cohort, user=UserFactory(is_active=False)).user
    actors["cohort_staff"] = MembershipFactory(cohort=cohort, role=Membership.Role.STAFF).user
    actors["staff_member"] = MembershipFactory(cohort=cohort, user=UserFactory(is_staff=True)).user
    # A cohort that has ended still counts for its members; its hub is the alumnus's to read.
    ended = CohortFactory(starts_on=date(2020, 1, 1), ends_on=date(2020, 6, 30))
    actors["alumnus"] = MembershipFactory(cohort=ended).user
    ended_hub = HubFactory(visibility=Hub.Visibility.COHORT, program=ended.program, cohort=ended)
    # A cohort hub whose cohort was deleted (the hub's cohort is set to null): its owner and
    # platform staff only.
    gone = CohortFactory()
    MembershipFactory(cohort=gone, user=actors["peer"])
    actors["orphan_owner"] = MembershipFactory(cohort=gone).user
    orphan_hub = HubFactory(
        owner=actors["orphan_owner"], visibility=Hub.Visibility.COHORT, program=gone.program, cohort=gone
    )
    entries = [*world.published.values(), *world.drafts.values()]
    for hub in (ended_hub, orphan_hub):
        entries.append(EntryFactory(hub=hub, title=f"{hub.slug} published"))
        entries.append(EntryFactory(hub=hub, title=f"{hub.slug} draft", status=Entry.Status.DRAFT, published_at=None))
    Cohort.objects.filter(pk=gone.pk).delete()
    return actors, entries


@pytest.mark.parametrize("actor", MEMBERS + EDGE)
def test_the_batch_form_agrees_with_the_filter(edges, django_assert_num_queries, actor):
    # given every member, and every entry but one plus an id that names none
    actors, entries = edges
    members = [actors[name] for name in MEMBERS + EDGE]
    entry_ids = [e.pk for e in entries[1:]] + [max(e.pk for e in entries) + 1]

    # when: the entries with their hubs, then the members' memberships of the cohort hubs' cohorts
    with django_assert_num_queries(2):
        each = access.entries_visible_to_each(members, entry_ids)

    # then
    member = actors[actor]
    expected = set(access.entries_visible_to(member).filter(pk__in=entry_ids).values_list("pk", flat=True))
    assert each[member.pk] == expected
    assert set(each) == {m.pk for m in members}


def test_the_batch_form_reads_the_matrix(world):
    # The parity test alone would pass were both forms wrong alike: this is the matrix of test_permissions.
    members = [world.actors[name] for name in MEMBERS]
    entries = {e.pk: (v, "published") for v, e in world.published.items()}
    entries |= {e.pk: (v, "draft") for v, e in world.drafts.items()}

    each = access.entries_visible_to_each(members, list(entries))

    for name in MEMBERS:
        seen = {entries[pk] for pk in each[world.actors[name].pk]}
        expected = {(v, "published") for v, readers in READERS.items() if name in readers}
        if name == "owner":
            expected |= {(v, "draft") for v in READERS}
        assert seen == expected, name


def test_the_batch_form_costs_one_query_without_cohort_hubs_and_none_without_entries(world, django_assert_num_queries):
    members = [world.actors[name] for name in MEMBERS]
    public_and_private = [world.published["public"].pk, world.published["private"].pk]

    with django_assert_num_queries(1):
        each = access.entries_visible_to_each(members, public_and_private)
    with django_assert_num_queries(0):
        none = access.entries_visible_to_each(members, [])

    assert each[world.actors["owner"].pk] == set(public_and_private)
    assert each[world.actors["staff"].pk] == {world.published["public"].pk}
    assert none == {m.pk: set() for m in members}
