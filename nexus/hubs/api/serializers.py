"""Input and output shapes for hubs, entries and revisions."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from nexus.accounts.models import User
from nexus.hubs.models import Entry, EntryRevision, Hub
from nexus.hubs.selectors import ENTRY_ORDERINGS


class AuthorSerializer(serializers.ModelSerializer):
    display_name = serializers.SerializerMethodField(help_text="The display name, else the username.")

    class Meta:
        model = User
        fields = ["username", "display_name"]

    def get_display_name(self, user: User) -> str:
        profile = getattr(user, "profile", None)
        return profile.name if profile is not None else user.username


class _BriefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class HubSerializer(serializers.ModelSerializer):
    owner = AuthorSerializer()
    program = _BriefSerializer()
    cohort = _BriefSerializer(allow_null=True)

    class Meta:
        model = Hub
        fields = [
            "id", "slug", "title", "overview", "overview_html", "visibility",
            "owner", "program", "cohort", "created_at", "updated_at",
        ]  # fmt: skip


class HubCreateSerializer(serializers.Serializer):
    program = serializers.SlugField(help_text="The program's slug; one hub per program.")
    title = serializers.CharField(max_length=200)
    overview = serializers.CharField(required=False, allow_blank=True, help_text="Markdown.")
    visibility = serializers.ChoiceField(choices=Hub.Visibility.choices, required=False)
    cohort = serializers.SlugField(required=False, help_text="Defaults to your newest cohort of the program.")
    slug = serializers.SlugField(required=False, max_length=120)


class HubUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    overview = serializers.CharField(required=False, allow_blank=True)
    visibility = serializers.ChoiceField(choices=Hub.Visibility.choices, required=False)
    cohort = serializers.SlugField(required=False, allow_null=True)
    slug = serializers.SlugField(required=False, max_length=120)


class HubFilterSerializer(serializers.Serializer):
    owner = serializers.CharField(required=False, help_text="Owner's username.")
    program = serializers.SlugField(required=False)
    cohort = serializers.SlugField(required=False)
    visibility = serializers.ChoiceField(choices=Hub.Visibility.choices, required=False)
    q = serializers.CharField(required=False, help_text="Text in the title or overview.")


class EntryTopicSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class EntryHubSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()


class EntrySerializer(serializers.ModelSerializer):
    """An entry. `problem`, `solution` and `outcome` (and their HTML) are null unless kind is challenge.

    This is the documented shape (OpenAPI); responses are built by `selectors.entry_data`, which a test
    holds to exactly this serializer's output.
    """

    hub = EntryHubSerializer()
    author = AuthorSerializer(source="hub.owner")
    topics = EntryTopicSerializer(many=True)
    problem = serializers.SerializerMethodField()
    problem_html = serializers.SerializerMethodField()
    solution = serializers.SerializerMethodField()
    solution_html = serializers.SerializerMethodField()
    outcome = serializers.SerializerMethodField()
    outcome_html = serializers.SerializerMethodField()
    references = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Entry
        fields = [
            "id", "hub", "author", "kind", "section", "title", "body", "body_html",
            "problem", "problem_html", "solution", "solution_html", "outcome", "outcome_html",
            "topics", "references", "status", "position", "published_at", "created_at", "updated_at",
        ]  # fmt: skip

    def _challenge_field(self, entry: Entry, name: str) -> str | None:
        return getattr(entry, name) if entry.kind == Entry.Kind.CHALLENGE else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_problem(self, entry: Entry) -> str | None:
        return self._challenge_field(entry, "problem")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_problem_html(self, entry: Entry) -> str | None:
        return self._challenge_field(entry, "problem_html")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_solution(self, entry: Entry) -> str | None:
        return self._challenge_field(entry, "solution")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_solution_html(self, entry: Entry) -> str | None:
        return self._challenge_field(entry, "solution_html")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_outcome(self, entry: Entry) -> str | None:
        return self._challenge_field(entry, "outcome")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_outcome_html(self, entry: Entry) -> str | None:
        return self._challenge_field(entry, "outcome_html")


class _ProblemBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class HubPageEntrySerializer(EntrySerializer):
    problem_link = _ProblemBriefSerializer(allow_null=True, help_text="The canonical problem of a challenge.")

    class Meta(EntrySerializer.Meta):
        fields = [*EntrySerializer.Meta.fields, "problem_link"]


class _PageHubSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()
    overview = serializers.CharField()
    overview_html = serializers.CharField()
    visibility = serializers.ChoiceField(choices=Hub.Visibility.choices)
    program = _BriefSerializer()
    cohort = _BriefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class _PageOwnerSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()
    bio = serializers.CharField()
    track = serializers.CharField()
    github_url = serializers.CharField()
    linkedin_url = serializers.CharField()
    website_url = serializers.CharField()


class _TopicCountSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    entries = serializers.IntegerField(help_text="How many of the hub's entries are about it.")


class HubPageSerializer(serializers.Serializer):
    """A hub's page: the hub, its owner, its entries you may see in hub order, its topics by use."""

    hub = _PageHubSerializer()
    owner = _PageOwnerSerializer()
    entries = HubPageEntrySerializer(many=True)
    topics = _TopicCountSerializer(many=True)


class _EntryContentFields(serializers.Serializer):
    section = serializers.CharField(max_length=200, required=False, allow_blank=True)
    body = serializers.CharField(required=False, allow_blank=True, help_text="Markdown.")
    problem = serializers.CharField(required=False, allow_blank=True, help_text="Challenges only. Markdown.")
    solution = serializers.CharField(required=False, allow_blank=True, help_text="Challenges only. Markdown.")
    outcome = serializers.CharField(required=False, allow_blank=True, help_text="Challenges only. Markdown.")
    topics = serializers.ListField(
        child=serializers.SlugField(),
        required=False,
        help_text="Topic slugs. Left out on create, topics are recognised in the text.",
    )
    references = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, help_text="http(s) URLs or project paths."
    )
    status = serializers.ChoiceField(choices=Entry.Status.choices, required=False)
    position = serializers.IntegerField(min_value=0, required=False, help_text="0-based place in the hub.")


class EntryCreateSerializer(_EntryContentFields):
    hub = serializers.CharField(help_text="Id or slug of your hub.")
    kind = serializers.ChoiceField(choices=Entry.Kind.choices)
    title = serializers.CharField(max_length=300)


class EntryUpdateSerializer(_EntryContentFields):
    kind = serializers.ChoiceField(choices=Entry.Kind.choices, required=False)
    title = serializers.CharField(max_length=300, required=False)


def _ordering_choices() -> list[str]:
    return [p + f for f in ENTRY_ORDERINGS for p in ("", "-")]


class EntryFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Entry.Kind.choices, required=False)
    topic = serializers.SlugField(required=False, help_text="Topic slug; includes the topics below it.")
    hub = serializers.CharField(required=False, help_text="Hub id or slug.")
    author = serializers.CharField(required=False, help_text="Author's username.")
    cohort = serializers.SlugField(required=False, help_text="Cohort slug of the entry's hub.")
    status = serializers.ChoiceField(choices=Entry.Status.choices, required=False)
    q = serializers.CharField(required=False, help_text="Text in the title, body, problem or solution.")
    ordering = serializers.ChoiceField(
        choices=_ordering_choices(),
        required=False,
        help_text="Sort field, `-` for descending. Default: `position` with `hub`, else `-created_at`.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs.setdefault("ordering", "position" if attrs.get("hub") else "-created_at")
        return attrs


_PAGING = frozenset({"cursor", "page_size"})


def entry_filters(query: Any) -> dict[str, Any]:
    """The entry list's validated filters; the unfiltered list (the one most read) skips the
    serializer, whose fields DRF deep-copies on every instantiation."""
    if _PAGING.issuperset(query):
        return {"ordering": "-created_at"}
    params = EntryFilterSerializer(data=query)
    params.is_valid(raise_exception=True)
    return dict(params.validated_data)


class RevisionSerializer(serializers.ModelSerializer):
    editor = serializers.CharField(source="editor.username", allow_null=True, default=None)

    class Meta:
        model = EntryRevision
        fields = [
            "number", "created_at", "editor", "kind", "title", "body",
            "problem", "solution", "outcome", "status", "topics", "references",
        ]  # fmt: skip


class HubImportSerializer(serializers.Serializer):
    markdown = serializers.CharField(
        required=False, trim_whitespace=False, allow_blank=True, help_text="The README text (JSON requests)."
    )
    file = serializers.FileField(required=False, help_text="The README file (multipart requests).")
    program = serializers.SlugField(required=False, help_text="Program slug; needed if you are in several.")
    dry_run = serializers.BooleanField(default=False, help_text="Parse and preview without saving.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("markdown" in attrs) == ("file" in attrs):
            raise serializers.ValidationError("Send the README either as `markdown` or as `file`, not both.")
        return attrs


class ParsedEntrySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Entry.Kind.choices)
    section = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    problem = serializers.CharField(allow_null=True)
    solution = serializers.CharField(allow_null=True)
    outcome = serializers.CharField(allow_null=True)
    topics = serializers.ListField(child=serializers.SlugField())


class ReadmeImportSerializer(serializers.Serializer):
    """The result of an import, or its preview on a dry run (`hub` is the existing hub or null)."""

    dry_run = serializers.BooleanField()
    hub = HubSerializer(allow_null=True)
    hub_created = serializers.BooleanField(help_text="A new hub was (or would be) created.")
    created = serializers.IntegerField(help_text="Entries added.")
    updated = serializers.IntegerField(help_text="Entries changed in place (each with a new revision).")
    unchanged = serializers.IntegerField()
    kept = serializers.IntegerField(help_text="Entries of the hub the README does not mention; never deleted.")
    title = serializers.CharField(source="parsed.title")
    overview = serializers.CharField(source="parsed.overview")
    entries = ParsedEntrySerializer(source="parsed.entries", many=True)
    topics = serializers.ListField(source="parsed.topics", child=serializers.SlugField())
    warnings = serializers.ListField(source="parsed.warnings", child=serializers.CharField())
