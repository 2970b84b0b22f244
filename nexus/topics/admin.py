from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet

from nexus.topics import services
from nexus.topics.models import Topic, TopicAlias
from nexus.topics.recognizer import normalize_term


class TopicAliasFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        """No name or alias may belong to two topics, or the recognizer cannot tell them apart."""
        super().clean()
        topic = self.instance
        seen = {normalize_term(topic.name)} if topic.name else set()
        others = {
            normalize_term(term): slug
            for rows in (
                Topic.objects.exclude(pk=topic.pk).values_list("name", "slug"),
                TopicAlias.objects.exclude(topic_id=topic.pk).values_list("name", "topic__slug"),
            )
            for term, slug in rows
        }
        errors = []
        if topic.name and (owner := others.get(normalize_term(topic.name))):
            errors.append(f'The name "{topic.name}" is already a name or alias of "{owner}".')
        for form in self.forms:
            name = form.cleaned_data.get("name") if not form.cleaned_data.get("DELETE") else None
            if not name:
                continue
            key = normalize_term(name)
            if key in others:
                errors.append(f'The alias "{name}" is already a name or alias of "{others[key]}".')
            elif key in seen:
                errors.append(f'The alias "{name}" repeats the name or another alias of this topic.')
            seen.add(key)
        if errors:
            raise ValidationError(errors)


class TopicAdminForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["slug", "name", "kind", "parent", "description", "case_sensitive"]

    def clean_parent(self) -> Topic | None:
        parent = self.cleaned_data.get("parent")
        node = parent
        while node is not None and self.instance.pk is not None:
            if node.pk == self.instance.pk:
                raise ValidationError("A topic cannot be under itself or one of the topics below it.")
            node = node.parent
        return parent


class TopicAliasInline(admin.TabularInline):
    model = TopicAlias
    formset = TopicAliasFormSet
    extra = 1


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    """Edits here change recognition at once; the YAML file still wins at the next `topics sync`."""

    form = TopicAdminForm
    inlines = [TopicAliasInline]
    list_display = ["name", "slug", "kind", "parent", "case_sensitive", "updated_at"]
    list_filter = ["kind", "case_sensitive", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug", "aliases__name", "description"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        transaction.on_commit(services.recognizer_invalidate)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(services.recognizer_invalidate)

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        transaction.on_commit(services.recognizer_invalidate)


@admin.register(TopicAlias)
class TopicAliasAdmin(admin.ModelAdmin):
    """A searchable list of every alias; aliases are edited on their topic's page, where clashes are checked."""

    list_display = ["name", "topic"]
    search_fields = ["name", "topic__name", "topic__slug"]
    list_select_related = ["topic"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
