import uuid

import factory
from factory.django import DjangoModelFactory

from nexus.accounts.tests.factories import UserFactory
from nexus.notifications.models import (
    EmailMode,
    Kind,
    MemberFollow,
    Notification,
    NotificationPreference,
    TopicFollow,
)
from nexus.topics.tests.factories import TopicFactory


class MemberFollowFactory(DjangoModelFactory):
    class Meta:
        model = MemberFollow

    follower = factory.SubFactory(UserFactory)
    followed = factory.SubFactory(UserFactory)


class TopicFollowFactory(DjangoModelFactory):
    class Meta:
        model = TopicFollow

    follower = factory.SubFactory(UserFactory)
    topic = factory.SubFactory(TopicFactory)


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = Kind.NEW_FOLLOWER
    actor = factory.SubFactory(UserFactory)
    target_type = "member"
    target_id = factory.LazyAttribute(lambda o: o.actor.pk)
    text = factory.LazyAttribute(lambda o: f"{o.actor.username} started following you")
    url = factory.LazyAttribute(lambda o: f"/api/v1/members/{o.actor.username}/")
    event_id = factory.LazyFunction(uuid.uuid4)
    email = EmailMode.OFF


class NotificationPreferenceFactory(DjangoModelFactory):
    class Meta:
        model = NotificationPreference

    user = factory.SubFactory(UserFactory)
    kind = Kind.MENTION
    email = EmailMode.DIGEST
