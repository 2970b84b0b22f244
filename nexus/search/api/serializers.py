"""Input and output shapes of the search endpoint."""

from __future__ import annotations

from rest_framework import serializers

from nexus.accounts.models import Track

KINDS = ["learning", "challenge", "practice", "note", "hub", "topic", "member", "problem", "api"]


class SearchFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=300,
        help_text='Websearch syntax: words (all required), "a phrase", -excluded, OR. Typos are corrected.',
    )
    kind = serializers.ChoiceField(choices=KINDS, required=False)
    topic = serializers.SlugField(required=False, help_text="A topic slug; includes the topics under it.")
    cohort = serializers.SlugField(required=False, help_text="A cohort slug.")
    track = serializers.ChoiceField(choices=Track.choices, required=False)
    author = serializers.CharField(required=False, max_length=150, help_text="The author's username.")
    cursor = serializers.CharField(required=False, help_text="From `next`; opaque.")
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)


class SearchHitSerializer(serializers.Serializer):
    type = serializers.CharField(
        source="source", help_text="The document type: entry, hub, topic, member, problem, api."
    )
    id = serializers.IntegerField(help_text="The object's id in its type.")
    kind = serializers.ChoiceField(choices=KINDS, help_text="Entry kind, or hub/topic/member/problem/api.")
    title = serializers.CharField()
    title_html = serializers.CharField(help_text="The escaped title with matches in <mark>.")
    snippet_html = serializers.CharField(help_text="An escaped excerpt with matches in <mark>.")
    url = serializers.CharField(help_text="The object's API URL.")
    score = serializers.FloatField(help_text="Relevance; only comparable within one search.")


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    count = serializers.IntegerField()


class SearchFacetsSerializer(serializers.Serializer):
    kind = FacetValueSerializer(many=True)
    topic = FacetValueSerializer(many=True)
    cohort = FacetValueSerializer(many=True)
    track = FacetValueSerializer(many=True)
    author = FacetValueSerializer(many=True)


class SearchResultSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page, or null on the last one.")
    count = serializers.IntegerField(
        help_text="Matches you may read, under the filters; a lower bound when `count_is_lower_bound`."
    )
    count_is_lower_bound = serializers.BooleanField(
        help_text="More documents match than a search ranks (SEARCH_CANDIDATES): `count` is that limit, and "
        "paging ends there. Narrow the query or filter to see the others."
    )
    facets = SearchFacetsSerializer(
        help_text="Top 20 values of each facet over all matches (not only this page); over the ranked "
        "candidates only when `facets_approximate`."
    )
    facets_approximate = serializers.BooleanField(
        help_text="The facets count the ranked candidates (the newest matches of the best tier), not every match."
    )
    corrections = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Words not in the index, and the indexed words searched for instead.",
    )
    results = SearchHitSerializer(many=True)
