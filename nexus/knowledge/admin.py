from django.contrib import admin

from nexus.knowledge.models import Problem, ProblemConfirmation, ProblemLink, SolutionConfirmation, SolutionVerification


class LinkInline(admin.TabularInline):
    model = ProblemLink
    extra = 0
    fields = ["entry", "confidence", "attached_by", "created_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    """Read-mostly: merge, split and rename go through the API so counts and the index stay right."""

    list_display = ["title", "hit_count", "curated", "merged_into", "updated_at"]
    list_filter = ["curated"]
    search_fields = ["title", "description"]
    readonly_fields = ["hit_count", "merged_into", "created_by"]
    inlines = [LinkInline]


@admin.register(ProblemConfirmation, SolutionConfirmation, SolutionVerification)
class SignalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at"]
