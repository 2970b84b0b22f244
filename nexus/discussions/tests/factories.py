import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.tests.factories import CohortFactory
from nexus.core.markdown import render_markdown
from nexus.discussions.models import Channel, ChannelMember, Comment, Message, Thread
from nexus.hubs.tests.factories import EntryFactory


class ChannelFactory(DjangoModelFactory):
    class Meta:
        model = Channel

    cohort = factory.SubFactory(CohortFactory)
    slug = factory.Sequence(lambda n: f"channel-{n}")
    name = factory.Sequence(lambda n: f"Channel {n}")
    visibility = Channel.Visibility.COHORT


class GlobalChannelFactory(ChannelFactory):
    cohort = None
    visibility = Channel.Visibility.GLOBAL


class ChannelMemberFactory(DjangoModelFactory):
    class Meta:
        model = ChannelMember

    channel = factory.SubFactory(ChannelFactory, visibility=Channel.Visibility.PRIVATE)
    user = factory.SubFactory(UserFactory)


class ThreadFactory(DjangoModelFactory):
    class Meta:
        model = Thread

    channel = factory.SubFactory(ChannelFactory)
    title = factory.Sequence(lambda n: f"Thread {n}")
    created_by = factory.SubFactory(UserFactory)
    last_message_at = factory.LazyFunction(timezone.now)


class MessageFactory(DjangoModelFactory):
    class Meta:
        model = Message

    thread = factory.SubFactory(ThreadFactory)
    channel = factory.SelfAttribute("thread.channel")
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Message **{n}**")
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))


class CommentFactory(DjangoModelFactory):
    class Meta:
        model = Comment

    entry = factory.SubFactory(EntryFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Comment {n}")
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))
