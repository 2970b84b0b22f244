import pytest

from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_programs_are_listed_by_name_for_anyone(api_client):
    ProgramFactory(slug="prodev-frontend", name="ProDev Frontend")
    ProgramFactory(slug="prodev-backend", name="ProDev Backend", description="BE")

    response = api_client.get("/api/v1/programs/")

    assert response.status_code == 200
    assert response.json()["results"] == [
        {"slug": "prodev-backend", "name": "ProDev Backend", "description": "BE", "track": "backend"},
        {"slug": "prodev-frontend", "name": "ProDev Frontend", "description": "", "track": "backend"},
    ]
    assert api_client.get("/api/v1/programs/prodev-backend/").json()["name"] == "ProDev Backend"
    assert api_client.get("/api/v1/programs/nope/").status_code == 404


def test_cohorts_filter_by_program(api_client):
    be = ProgramFactory(slug="be", name="BE")
    CohortFactory(program=be, slug="be-1", name="BE 1")
    CohortFactory(slug="fe-1", name="FE 1")

    response = api_client.get("/api/v1/cohorts/?program=be")

    assert [c["slug"] for c in response.json()["results"]] == ["be-1"]
    assert response.json()["results"][0]["program"] == {"slug": "be", "name": "BE"}


def test_cohort_members_visible_to_members_and_staff_only(client_for):
    from nexus.accounts.tests.factories import UserFactory

    membership = MembershipFactory(role=Membership.Role.MENTOR)
    cohort = membership.cohort
    peer = MembershipFactory(cohort=cohort).user
    outsider = UserFactory()
    staff = UserFactory(is_staff=True)
    url = f"/api/v1/cohorts/{cohort.slug}/members/"

    assert client_for(None).get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 404
    member_view = client_for(peer).get(url)
    assert member_view.status_code == 200
    assert {m["member"]["username"]: m["role"] for m in member_view.json()["results"]} == {
        membership.user.username: "mentor",
        peer.username: "learner",
    }
    assert client_for(staff).get(url).status_code == 200
    mentors = client_for(peer).get(url + "?role=mentor").json()["results"]
    assert [m["member"]["username"] for m in mentors] == [membership.user.username]


def test_member_list_query_count_is_constant(client_for, django_assert_num_queries):
    cohort = CohortFactory()
    viewer = MembershipFactory(cohort=cohort).user
    for _ in range(5):
        MembershipFactory(cohort=cohort)
    client = client_for(viewer)

    # user (token), cohort, membership check, memberships with profiles
    with django_assert_num_queries(4):
        small = client.get(f"/api/v1/cohorts/{cohort.slug}/members/?page_size=2")
    with django_assert_num_queries(4):
        large = client.get(f"/api/v1/cohorts/{cohort.slug}/members/?page_size=50")
    assert len(small.json()["results"]) == 2 and len(large.json()["results"]) == 6
