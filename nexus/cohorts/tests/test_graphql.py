"""Programs, cohorts, members and topics through GraphQL, as REST shows them."""

from __future__ import annotations

import pytest

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory, ProgramFactory

pytestmark = pytest.mark.django_db

MEMBERS = "query($s: String!) { cohortMembers(slug: $s) { edges { node { role user { username } } } } }"


@pytest.mark.parametrize("who", ["anonymous", "member", "outsider", "staff"])
def test_cohort_members_only_to_members_and_staff(client_for, graphql, who):
    cohort = CohortFactory()
    member = MembershipFactory(cohort=cohort).user
    people = {
        "anonymous": None,
        "member": member,
        "outsider": MembershipFactory().user,
        "staff": UserFactory(is_staff=True),
    }

    rest = client_for(people[who]).get(f"/api/v1/cohorts/{cohort.slug}/members/")
    data = graphql(MEMBERS, {"s": cohort.slug}, member=people[who])

    if rest.status_code == 200:
        assert [e["node"]["user"]["username"] for e in data["data"]["cohortMembers"]["edges"]] == [
            m["member"]["username"] for m in rest.json()["results"]
        ]
    else:
        assert rest.status_code == 404
        assert data["data"] is None
        assert data["errors"][0]["message"] == f"No cohort with slug {cohort.slug!r}."


def test_programs_and_cohorts_like_rest(api_client, graphql):
    program = ProgramFactory()
    CohortFactory.create_batch(3, program=program)
    CohortFactory()

    rest_programs = [p["slug"] for p in api_client.get("/api/v1/programs/").json()["results"]]
    rest_cohorts = [c["slug"] for c in api_client.get(f"/api/v1/cohorts/?program={program.slug}").json()["results"]]
    data = graphql(
        "query($p: String) { programs { edges { node { slug } } } cohorts(program: $p) { edges { node { slug } } } }",
        {"p": program.slug},
    )["data"]

    assert [e["node"]["slug"] for e in data["programs"]["edges"]] == rest_programs
    assert [e["node"]["slug"] for e in data["cohorts"]["edges"]] == rest_cohorts


def test_topics_like_rest(taxonomy, api_client, graphql):
    rest = [t["slug"] for t in api_client.get("/api/v1/topics/?kind=technology&page_size=100").json()["results"]]
    data = graphql('query { topics(kind: "technology", first: 100) { edges { node { slug } } } }')["data"]

    assert [e["node"]["slug"] for e in data["topics"]["edges"]] == rest
    assert graphql('query { topic(slug: "django") { name aliases { name } } }')["data"]["topic"]["name"] == "Django"


def test_member_and_me(graphql):
    ada = UserFactory()

    public = graphql(
        "query($u: String!) { member(username: $u) { username displayName } }", {"u": ada.username.upper()}
    )
    me = graphql("query { me { username email isStaff } }", member=ada)
    missing = graphql('query { member(username: "nobody") { username } }')

    assert public == {"data": {"member": {"username": ada.username, "displayName": ada.profile.name}}}
    assert me == {"data": {"me": {"username": ada.username, "email": ada.email, "isStaff": False}}}
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
