"""Load the demo data set: a program, a cohort, a mentor, learners and hubs with every kind of entry.

Idempotent: running it again changes nothing that is already there.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.db import transaction

from nexus.accounts import services as account_services
from nexus.accounts.models import User
from nexus.cohorts import services as cohort_services
from nexus.cohorts.models import Membership
from nexus.hubs import services as hub_services
from nexus.hubs.models import Entry, Hub

PASSWORD = "nexus-demo-2026"  # noqa: S105 - published demo credentials, printed by `make run`

MEMBERS = [
    ("mentor", "Mira Mentor", "backend", Membership.Role.MENTOR),
    ("ada", "Ada Backend", "backend", Membership.Role.LEARNER),
    ("linus", "Linus Frontend", "frontend", Membership.Role.LEARNER),
    ("grace", "Grace Fullstack", "full-stack", Membership.Role.LEARNER),
]

ENTRIES = [
    {
        "kind": Entry.Kind.LEARNING,
        "section": "Key Technologies",
        "title": "Django REST Framework",
        "body": "Built versioned REST APIs with **DRF** serializers, viewsets and JWT authentication.",
        "references": ["https://www.django-rest-framework.org/", "api/serializers.py"],
    },
    {
        "kind": Entry.Kind.LEARNING,
        "section": "Backend Concepts",
        "title": "Asynchronous programming with Celery",
        "body": "Offloaded e-mail and report generation to **Celery** workers with **RabbitMQ** as the broker.",
    },
    {
        "kind": Entry.Kind.CHALLENGE,
        "section": "Challenges & Solutions",
        "title": "Celery tasks hanging behind RabbitMQ",
        "problem": "Tasks were queued but never ran when the worker started before RabbitMQ was ready.",
        "solution": "Added `broker_connection_retry_on_startup` and a health check in Docker Compose.",
        "outcome": "Workers now reconnect on their own; no lost tasks since.",
    },
    {
        "kind": Entry.Kind.CHALLENGE,
        "section": "Challenges & Solutions",
        "title": "N+1 queries on the entries list",
        "problem": "The list endpoint ran one query per row for the author and the tags.",
        "solution": "`select_related` for the author, `prefetch_related` for the tags; query count pinned in tests.",
    },
    {
        "kind": Entry.Kind.PRACTICE,
        "section": "Best Practices",
        "title": "Keep secrets in environment variables",
        "body": "Never commit `.env`; read settings with django-environ and document every variable.",
    },
    {
        "kind": Entry.Kind.NOTE,
        "section": "Collaboration",
        "title": "Working with frontend learners",
        "body": "Shared the API docs and base URL in #ProDevProjectNexus on Discord; agreed on pagination early.",
    },
]


class Command(BaseCommand):
    help = "Load the idempotent demo data set and print the demo credentials."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        program = cohort_services.program_upsert(
            slug="prodev-backend",
            name="ProDev Backend Engineering",
            description="Python, Django, REST and GraphQL APIs, PostgreSQL, Redis, Celery, Docker, CI/CD.",
            track="backend",
        )
        cohort = cohort_services.cohort_upsert(
            program=program, slug="prodev-be-demo", name="ProDev BE Demo Cohort", starts_on=dt.date(2026, 1, 12)
        )
        for username, name, track, role in MEMBERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = account_services.user_register(
                    username=username,
                    email=f"{username}@nexus.local",
                    password=PASSWORD,
                    display_name=name,
                    track=track,
                )
            cohort_services.membership_set(cohort=cohort, user=user, role=role)
            if role == Membership.Role.LEARNER and not Hub.objects.filter(owner=user, program=program).exists():
                hub = hub_services.hub_create(
                    actor=user,
                    program=program.slug,
                    title=f"{name}'s Project Nexus",
                    overview=f"What {name.split()[0]} learned in the ProDev Backend program.",
                    visibility=Hub.Visibility.COHORT,
                )
                for spec in ENTRIES:
                    hub_services.entry_create(actor=user, hub=hub.pk, status=Entry.Status.PUBLISHED, **spec)
        admin = User.objects.filter(username="admin").first()
        if admin is None:
            admin = account_services.user_register(username="admin", email="admin@nexus.local", password=PASSWORD)
            User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
        self.stdout.write(
            "Demo data ready. Sign in as mentor, ada, linus or grace (learners), or admin (staff), "
            f"each with the password {PASSWORD!r}."
        )
