from django.contrib import admin

from nexus.hubs.models import Entry, EntryRevision, Hub


class EntryInline(admin.TabularInline):
    model = Entry
    extra = 0
    fields = ["position", "kind", "title", "status"]
    show_change_link = True


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
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
class EntryAdmin(admin.ModelAdmin):
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
