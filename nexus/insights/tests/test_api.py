from nexus.hubs.tests.factories import EntryFactory


def test_mentors_read_a_cohorts_insights(client_for, cohort, topics, ada, mentor, hub_of, django_assert_num_queries):
    entry = EntryFactory(hub=hub_of(ada))
    entry.topics.set([topics["orm"]])
    client = client_for(mentor)

    # token check, user; cohort; 3 coverage; 2 problems; 2 activity
    with django_assert_num_queries(9):
        response = client.get("/api/v1/cohorts/be-3/insights/")

    assert response.status_code == 200
    body = response.json()
    assert body["cohort"] == "be-3"
    assert body["coverage"]["topics"][:2] == [
        {"slug": "django", "name": "Django", "members": 1},
        {"slug": "orm", "name": "ORM", "members": 1},
    ]
    assert body["coverage"]["rows"] == [
        {"username": "ada", "name": ada.profile.name, "counts": [1, 1, 0, 0], "covered": 2}
    ]
    assert body["open_problems"] == []
    assert len(body["activity"]) == 12
    assert body["activity"][-1]["entries"] == 1


def test_learners_get_a_problem_404(client_for, cohort, ada):
    response = client_for(ada).get("/api/v1/cohorts/be-3/insights/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["detail"] == "No cohort insights for 'be-3'."


def test_visitors_get_a_401(client_for, cohort):
    response = client_for(None).get("/api/v1/cohorts/be-3/insights/")

    assert response.status_code == 401
