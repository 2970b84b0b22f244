"""The search index: one document per searchable object, whatever app it comes from."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    """What search knows of one object: its text by weight, its facets, and its visibility inputs.

    Built by a document type of `nexus.search.documents` from the object (`source`, `object_id`).
    The text columns are plain text (Markdown rendered, tags stripped). The visibility columns
    are copies of the hub's rules' inputs, read by `hubs.access.search_visible_q`.
    PostgreSQL keeps a weighted tsvector in `search_vector` (GIN index); SQLite keeps the FTS5
    table `search_document_fts` over the text columns, filled by triggers (migration 0001).
    """

    source = models.CharField(max_length=30, help_text="The document type: entry, hub, topic, member, ...")
    object_id = models.BigIntegerField()
    kind = models.CharField(max_length=20, db_index=True, help_text="learning, challenge, practice, note, hub, ...")
    title = models.TextField()  # weight A
    problem = models.TextField(blank=True)  # weight B: a challenge's problem
    topic_text = models.TextField(blank=True)  # weight B: names and aliases of the object's topics
    body = models.TextField(blank=True)  # weight C: body, solution, outcome, overview, bio
    url = models.CharField(max_length=300, help_text="The object's API path.")
    # facets
    cohort_slug = models.CharField(max_length=80, blank=True, db_index=True)
    track = models.CharField(max_length=20, blank=True, db_index=True)
    author = models.CharField(max_length=150, blank=True, db_index=True, help_text="The owner's username.")
    # visibility inputs, copied from the object's hub (public for topics and members)
    visibility = models.CharField(max_length=10, default="public")
    owner_id = models.BigIntegerField(null=True, blank=True)
    cohort_id = models.BigIntegerField(null=True, blank=True)
    published = models.BooleanField(default=True)
    search_vector = SearchVectorField(null=True, editable=False)  # PostgreSQL only
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "object_id"], name="search_document_unique_object"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.object_id} {self.title[:60]}"


class SearchDocumentTopic(models.Model):
    """A topic a document is tagged with, for the topic facet and filter."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="topics")
    topic_id = models.BigIntegerField()
    slug = models.SlugField(max_length=80, db_index=False)

    class Meta:
        indexes = [models.Index(fields=["topic_id", "document"], name="search_doctopic_topic")]
        constraints = [
            models.UniqueConstraint(fields=["document", "topic_id"], name="search_doctopic_unique"),
        ]

    def __str__(self) -> str:
        return self.slug


class SearchTerm(models.Model):
    """A word seen in some document, for typo correction. Only grows; `search reindex` rebuilds it.

    PostgreSQL finds near words with a pg_trgm GiST index; SQLite with an FTS5 trigram table.
    """

    term = models.CharField(max_length=40, unique=True)

    def __str__(self) -> str:
        return self.term
