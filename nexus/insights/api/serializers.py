"""Output shapes of the cohort insights endpoint (built from `insights.selectors`' dataclasses)."""

from rest_framework import serializers


class InsightTopicSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    members = serializers.IntegerField(help_text="Learners with at least one published entry on it.")


class InsightCoverageRowSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    counts = serializers.ListField(
        child=serializers.IntegerField(), help_text="Published entries per topic, in the order of `topics`."
    )
    covered = serializers.IntegerField()


class InsightCoverageSerializer(serializers.Serializer):
    topics = InsightTopicSerializer(many=True)
    rows = InsightCoverageRowSerializer(many=True)


class InsightProblemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    members = serializers.IntegerField(help_text="Members of the cohort who hit it.")
    topics = serializers.ListField(child=serializers.CharField())


class InsightWeekSerializer(serializers.Serializer):
    week = serializers.DateField(help_text="Its Monday.")
    entries = serializers.IntegerField()
    messages = serializers.IntegerField()


class CohortInsightsSerializer(serializers.Serializer):
    cohort = serializers.CharField()
    coverage = InsightCoverageSerializer()
    open_problems = InsightProblemSerializer(many=True)
    activity = InsightWeekSerializer(many=True)
