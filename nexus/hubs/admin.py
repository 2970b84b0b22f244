from django.contrib import admin

from nexus.hubs import services
from nexus.hubs.models import Entry, EntryRevision, Hub


class _TouchesHubs(admin.ModelAdmin):
    """Edits here skip the services, so they at least record that the hub changed (Last-Modified,
    cached README and page); search and the knowledge base catch up with `search reindex` and
    `knowledge relink`."""

    def _hub_ids(self, obj) -> list[int]:
        return [obj.pk] if isinstance(obj, Hub) else [obj.hub_id]

    def save_related(self, request, form, formsets, change) -> None:
        # Runs after save_model, once the object, its inlines and its topics are all written.
        super().save_related(request, form, formsets, change)
        old_slug = form.initial.get("slug") if isinstance(form.instance, Hub) and change else None
        services.hubs_touch(hub_ids=self._hub_ids(form.instance), slugs=[old_slug] if old_slug else [])

    def delete_model(self, request, obj) -> None:
        hub_ids, slugs = self._hub_ids(obj), [obj.slug] if isinstance(obj, Hub) else []
        super().delete_model(request, obj)
        services.hubs_touch(hub_ids=hub_ids, slugs=slugs)

    def delete_queryset(self, request, queryset) -> None:
        objs = list(queryset)
        super().delete_queryset(request, queryset)
        for obj in objs:
            services.hubs_touch(hub_ids=self._hub_ids(obj), slugs=[obj.slug] if isinstance(obj, Hub) else [])


class EntryInline(admin.TabularInline):
    model = Entry
    extra = 0
    fields = ["position", "kind", "title", "status"]
    show_change_link = True


@admin.register(Hub)
class HubAdmin(_TouchesHubs):
    list_display = ["title", "owner", "program", "cohort", "visibility", "updated_at"]
    list_filter = ["visibility", "program"]
    search_fields = ["title", "slug", "owner__username"]
    list_select_related = ["owner", "program", "cohort"]
    autocomplete_fields = ["owner", "cohort"]
    inlines = [EntryInline]


class RevisionInline(admin.TabularInline):
    model = EntryRevision
    extra = 0
    fields = ["number", "editor", "created_at", "title", "status"]
    readonly_fields = fields
    can_delete = False


@admin.register(Entry)
class EntryAdmin(_TouchesHubs):
    list_display = ["title", "kind", "status", "hub", "position", "updated_at"]
    list_filter = ["kind", "status", "hub__program"]
    search_fields = ["title", "body", "problem", "solution"]
    list_select_related = ["hub"]
    autocomplete_fields = ["hub", "topics"]
    inlines = [RevisionInline]


@admin.register(EntryRevision)
class EntryRevisionAdmin(admin.ModelAdmin):
    list_display = ["entry", "number", "editor", "created_at"]
    list_select_related = ["entry", "editor"]
    readonly_fields = [f.name for f in EntryRevision._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # revisions are written by hubs.services only
