"""Input and output shapes for problems, solutions, confirmations and similarity."""

from __future__ import annotations

from rest_framework import serializers

from nexus.accounts.models import User
from nexus.knowledge.models import Problem
from nexus.knowledge.selectors import PROBLEM_ORDERINGS


class KnowledgeTopicSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class KnowledgeAuthorSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(source="profile.name", read_only=True)

    class Meta:
        model = User
        fields = ["username", "display_name"]


class CanonicalProblemSerializer(serializers.ModelSerializer):
    """A canonical problem. `hit_count`: distinct members with a published challenge in it or "I hit this too"."""

    topics = KnowledgeTopicSerializer(many=True)

    class Meta:
        model = Problem
        fields = [
            "id",
            "title",
            "description",
            "topics",
            "hit_count",
            "curated",
            "merged_into",
            "created_at",
            "updated_at",
        ]


class SolutionHubSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()


class SolutionSerializer(serializers.Serializer):
    """A challenge entry as a solution of its problem, with what its rank is made of."""

    id = serializers.IntegerField(source="entry.pk")
    title = serializers.CharField(source="entry.title")
    problem_html = serializers.CharField(source="entry.problem_html")
    solution_html = serializers.CharField(source="entry.solution_html")
    outcome_html = serializers.CharField(source="entry.outcome_html")
    author = KnowledgeAuthorSerializer(source="entry.hub.owner")
    hub = SolutionHubSerializer(source="entry.hub")
    published_at = serializers.DateTimeField(source="entry.published_at")
    score = serializers.FloatField(help_text="Rank: fresh signals weigh 1 (a verification 3), halving each half-life.")
    confirmations = serializers.IntegerField(help_text='"This solution worked for me" count.')
    verified = serializers.BooleanField()
    verified_at = serializers.DateTimeField(allow_null=True)
    confirmed_by_me = serializers.BooleanField()


class ProblemDetailSerializer(CanonicalProblemSerializer):
    """A problem with the solutions you may read, best first, and whether you hit it too."""

    hit_by_me = serializers.BooleanField()
    solutions = SolutionSerializer(many=True)

    class Meta(CanonicalProblemSerializer.Meta):
        fields = [*CanonicalProblemSerializer.Meta.fields, "hit_by_me", "solutions"]


class ProblemFilterSerializer(serializers.Serializer):
    topic = serializers.SlugField(required=False, help_text="A topic slug; includes the topics under it.")
    cohort = serializers.SlugField(required=False, help_text="Problems with a published challenge from this cohort.")
    q = serializers.CharField(required=False, max_length=300, help_text="Text in the title or description.")
    ordering = serializers.ChoiceField(choices=PROBLEM_ORDERINGS, required=False, default="-hit_count")


class ProblemRenameSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True)


class ProblemMergeSerializer(serializers.Serializer):
    target = serializers.IntegerField(help_text="The problem this one is merged into.")


class ProblemSplitSerializer(serializers.Serializer):
    entry_ids = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    title = serializers.CharField(max_length=300)


class SimilarQuerySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=20_000, help_text="A draft challenge: its title and problem.")
    topics = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=20, default=5)


class SimilarLimitSerializer(serializers.Serializer):
    limit = serializers.IntegerField(required=False, min_value=1, max_value=20, default=5)


class SimilarProblemSerializer(serializers.Serializer):
    problem = CanonicalProblemSerializer()
    score = serializers.FloatField(help_text="Similarity in [0, 1].")


class SimilarResultSerializer(serializers.Serializer):
    threshold = serializers.FloatField(help_text="At or above this score a new challenge joins the problem.")
    results = SimilarProblemSerializer(many=True)


class ProblemHitSerializer(serializers.Serializer):
    problem = serializers.IntegerField(help_text="The (live) problem confirmed.")
    hit_count = serializers.IntegerField()
    hit_by_me = serializers.BooleanField()


class SolutionConfirmationStateSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    confirmations = serializers.IntegerField()
    confirmed_by_me = serializers.BooleanField()


class VerificationSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    verified = serializers.BooleanField()
    verified_by = serializers.CharField(allow_null=True, help_text="The verifier's username.")
    verified_at = serializers.DateTimeField(allow_null=True)


class EntryProblemSerializer(serializers.Serializer):
    problem = serializers.IntegerField(help_text="The problem to put your challenge under.")


class ProblemLinkSerializer(serializers.Serializer):
    entry = serializers.IntegerField(source="entry_id")
    problem = serializers.IntegerField(source="problem_id")
    confidence = serializers.FloatField()
    attached_by = serializers.CharField()


class _TopicRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class _TopicPageTopicSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.CharField()
    description = serializers.CharField()
    parent = _TopicRefSerializer(allow_null=True)
    aliases = serializers.ListField(child=serializers.CharField())
    children = _TopicRefSerializer(many=True)


class _HubRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()


class _AuthorRefSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()


class _EntryBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    hub = _HubRefSerializer()
    author = _AuthorRefSerializer()
    topics = _TopicRefSerializer(many=True)
    published_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class _TopProblemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    hit_count = serializers.IntegerField()


class TopicPageSerializer(serializers.Serializer):
    """A topic's page: counts over the entries you may read about it (and the topics below it),
    the newest of them, and its problems by how many learners hit them."""

    topic = _TopicPageTopicSerializer()
    entries = serializers.IntegerField()
    members = serializers.IntegerField(help_text="Distinct authors of those entries.")
    newest_entries = _EntryBriefSerializer(many=True)
    top_problems = _TopProblemSerializer(many=True)
