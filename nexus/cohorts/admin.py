from django.contrib import admin

from nexus.cohorts.models import Cohort, Membership, Program


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "track"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CohortInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "program", "starts_on", "ends_on"]
    list_filter = ["program"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["program"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "cohort", "role", "created_at"]
    list_filter = ["role", "cohort__program"]
    search_fields = ["user__username", "cohort__name"]
    list_select_related = ["user", "cohort"]
    autocomplete_fields = ["user", "cohort"]
