import factory
from factory.django import DjangoModelFactory

from nexus.topics.models import Topic, TopicAlias


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())
    kind = Topic.Kind.TECHNOLOGY


class TopicAliasFactory(DjangoModelFactory):
    class Meta:
        model = TopicAlias

    topic = factory.SubFactory(TopicFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")
