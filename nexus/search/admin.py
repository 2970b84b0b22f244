from django.contrib import admin

from nexus.search.models import SearchDocument, SearchDocumentTopic, SearchTerm


class TopicInline(admin.TabularInline):
    model = SearchDocumentTopic
    extra = 0
    fields = ["slug", "topic_id"]
    readonly_fields = fields
    can_delete = False


@admin.register(SearchDocument)
class SearchDocumentAdmin(admin.ModelAdmin):
    """Read-only: documents are written by search.services only (`manage.py search reindex`)."""

    list_display = ["title", "source", "object_id", "kind", "author", "visibility", "published", "indexed_at"]
    list_filter = ["source", "kind", "visibility", "published"]
    search_fields = ["title", "author"]
    inlines = [TopicInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SearchDocumentTopic)
class SearchDocumentTopicAdmin(_ReadOnly):
    list_display = ["slug", "document"]
    list_select_related = ["document"]


@admin.register(SearchTerm)
class SearchTermAdmin(_ReadOnly):
    """The typo-correction vocabulary."""

    search_fields = ["term"]
