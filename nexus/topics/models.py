"""The taxonomy of technologies, concepts and practices that entries are tagged with."""

from django.db import models

from nexus.core.models import TimeStampedModel


class Topic(TimeStampedModel):
    """A technology (Django), concept (caching) or practice (code review), possibly under a parent."""

    class Kind(models.TextChoices):
        TECHNOLOGY = "technology", "Technology"
        CONCEPT = "concept", "Concept"
        PRACTICE = "practice", "Practice"

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    description = models.TextField(blank=True)
    # Match the name only with its exact case ("Go" the language, not "go" the verb); aliases
    # ("Golang") always match in any case. See nexus/topics/recognizer.py.
    case_sensitive = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TopicAlias(models.Model):
    """Another name by which a topic is recognised in free text ("DRF" for Django REST Framework)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=120)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "name"], name="topics_alias_unique_per_topic")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
