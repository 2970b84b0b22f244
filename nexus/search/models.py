"""The search index: one document per searchable object, whatever app it comes from."""

from django.db import models


class SearchDocument(models.Model):
    """What search knows of one object: its text by weight, its facets, and its visibility inputs.

    Built by a document type of `nexus.search.documents` from the object (`source`, `object_id`).
    The text columns are plain text (Markdown rendered, tags stripped). The visibility columns
    are copies of the hub's rules' inputs, read by `hubs.access.search_visible_q`.
    Each engine keeps its own index beside this table, created by `backend.install_sql()`:
    PostgreSQL two generated weighted tsvector columns, `search_vector` (every text column) and
    `head_vector` (title, problem, topics), unknown to the ORM, each with a GIN index; SQLite the
    FTS5 tables `search_document_fts` and `search_document_head_fts`, filled by triggers.
    """

    source = models.CharField(max_length=30, help_text="The document type: entry, hub, topic, member, ...")
    object_id = models.BigIntegerField()
    kind = models.CharField(max_length=20, db_index=True, help_text="learning, challenge, practice, note, hub, ...")
    title = models.TextField()  # weight A
    problem = models.TextField(blank=True)  # weight B: a challenge's problem
    topic_text = models.TextField(blank=True)  # weight B: names and aliases of the object's topics
    topic_slugs = models.TextField(blank=True, help_text="The topics' slugs, space-separated (topic facet).")
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
