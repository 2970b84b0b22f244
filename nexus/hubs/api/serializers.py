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


_CHALLENGE_ONLY = ("problem", "problem_html", "solution", "solution_html", "outcome", "outcome_html")


def entry_data(row: dict[str, Any], topics: list[dict[str, str]]) -> dict[str, Any]:
    """An entry's output from its row (`selectors.ENTRY_ROW`) and topics: what `EntrySerializer`
    documents, built without a serializer, since lists pay for DRF's fields on every row."""
    challenge = row["kind"] == Entry.Kind.CHALLENGE
    return {
        "id": row["id"],
        "hub": {"id": row["hub_id"], "slug": row["hub__slug"], "title": row["hub__title"]},
        "author": {
            "username": row["hub__owner__username"],
            "display_name": row["hub__owner__profile__display_name"] or row["hub__owner__username"],
        },
        "kind": row["kind"],
        "section": row["section"],
        "title": row["title"],
        "body": row["body"],
        "body_html": row["body_html"],
        **{name: row[name] if challenge else None for name in _CHALLENGE_ONLY},
        "topics": topics,
        "references": row["references"],
        "status": row["status"],
        "position": row["position"],
        "published_at": row["published_at"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


class EntrySerializer(serializers.ModelSerializer):
    """An entry. `problem`, `solution` and `outcome` (and their HTML) are null unless kind is challenge.

    This is the documented shape (OpenAPI); responses are built by `entry_data`, which a test
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
