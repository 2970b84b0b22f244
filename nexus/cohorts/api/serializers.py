from rest_framework import serializers

from nexus.accounts.api.serializers import MemberSerializer
from nexus.cohorts.models import Cohort, Membership, Program


class ProgramSerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = ["slug", "name", "description", "track"]


class ProgramBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = ["slug", "name"]


class CohortSerializer(serializers.ModelSerializer):
    program = ProgramBriefSerializer()

    class Meta:
        model = Cohort
        fields = ["slug", "name", "program", "starts_on", "ends_on"]


class MembershipSerializer(serializers.ModelSerializer):
    member = MemberSerializer(source="user")

    class Meta:
        model = Membership
        fields = ["member", "role", "created_at"]


class CohortFilterSerializer(serializers.Serializer):
    program = serializers.SlugField(required=False, help_text="Only cohorts of this program (slug).")


class MembershipFilterSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Membership.Role.choices, required=False)
