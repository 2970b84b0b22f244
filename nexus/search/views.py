"""The search page: one search over everything the viewer may read, with facets and highlighted snippets."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from nexus.accounts.models import Track
from nexus.core.web import render_page
from nexus.search import selectors
from nexus.search.api.serializers import KINDS
from nexus.search.selectors import Hit
from nexus.topics.models import Topic

PAGE_SIZE = 20
FACET_LABELS = {"kind": "Kind", "topic": "Topic", "cohort": "Cohort", "track": "Track", "author": "Author"}


class SearchForm(forms.Form):
    q = forms.CharField(max_length=300, required=False, label="Search")
    kind = forms.ChoiceField(choices=[(k, k) for k in KINDS], required=False)
    topic = forms.SlugField(required=False)
    cohort = forms.SlugField(required=False)
    track = forms.ChoiceField(choices=Track.choices, required=False)
    author = forms.CharField(max_length=150, required=False)
    cursor = forms.CharField(max_length=200, required=False)


def page_url(hit: Hit) -> str:
    """The page of a result (hits carry their API URL: /api/v1/<type>/<key>/)."""
    parts = [p for p in hit.url.split("/") if p]
    key = parts[-1] if parts else str(hit.id)
    return {
        "entry": f"/entries/{hit.id}/",
        "hub": f"/hubs/{key}/",
        "topic": f"/topics/{key}/",
        "member": f"/@{key}/",
        "problem": f"/knowledge/problems/{hit.id}/",
        "api": f"/registry/{key}/",
    }.get(hit.source, hit.url)


def _facet_label(name: str, value: str, topic_names: dict[str, str]) -> str:
    if name == "topic":
        return topic_names.get(value, value)
    if name == "kind":
        return value.title()
    if name == "track":
        return dict(Track.choices).get(value, value)
    return value


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """Search with websearch syntax; facets narrow it; results page on with a cursor."""
    form = SearchForm(request.GET or None)
    result, error, filters = None, "", {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {k: data[k] for k in ("kind", "topic", "cohort", "track", "author") if data.get(k)}
        if data["q"].strip():
            try:
                result = selectors.search(
                    actor=request.user, q=data["q"], cursor=data["cursor"] or None, limit=PAGE_SIZE, **filters
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
    elif form.is_bound:
        error = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in form.errors.items())
    facets = []
    if result is not None:
        topic_names = {}
        if result.facets.get("topic"):
            slugs = [value for value, _ in result.facets["topic"]]
            topic_names = dict(Topic.objects.filter(slug__in=slugs).values_list("slug", "name"))
        for name, values in result.facets.items():
            if values:
                facets.append(
                    {
                        "name": name,
                        "label": FACET_LABELS.get(name, name.title()),
                        "current": filters.get(name, ""),
                        "values": [
                            {"value": v, "label": _facet_label(name, v, topic_names), "count": n} for v, n in values
                        ],
                    }
                )
    context = {
        "form": form,
        "q": form.cleaned_data.get("q", "") if form.is_valid() else request.GET.get("q", ""),
        "result": result,
        "hits": [{"hit": h, "href": page_url(h)} for h in result.hits] if result else [],
        "facets": facets,
        "filters": filters,
        "error": error,
    }
    return render_page(request, "search/search.html", context, fragment="search/partials/results.html")
