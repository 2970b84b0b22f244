"""Input and output shapes for topics."""

from rest_framework import serializers

from nexus.topics.models import Topic


class TopicFilterSerializer(serializers.Serializer):
    """Query parameters of the topic list."""

    kind = serializers.ChoiceField(choices=Topic.Kind.choices, required=False)
    q = serializers.CharField(required=False, max_length=120)
    parent = serializers.SlugField(required=False, max_length=80)


class TopicRefSerializer(serializers.ModelSerializer):
    """A topic named from another one: its parent or a child."""

    class Meta:
        model = Topic
        fields = ["slug", "name"]


class TopicSerializer(serializers.ModelSerializer):
    """A topic in a list."""

    parent = TopicRefSerializer(allow_null=True)
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Topic
        fields = ["slug", "name", "kind", "description", "parent", "aliases"]


class TopicDetailSerializer(TopicSerializer):
    """A topic with its children."""

    children = TopicRefSerializer(many=True)

    class Meta(TopicSerializer.Meta):
        fields = [*TopicSerializer.Meta.fields, "children"]
