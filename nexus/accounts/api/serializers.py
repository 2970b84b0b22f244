"""Input and output shapes for members and auth."""

from rest_framework import serializers

from nexus.accounts.models import Track, User


class MemberSerializer(serializers.ModelSerializer):
    """A member as others see them."""

    display_name = serializers.CharField(source="profile.display_name", read_only=True)
    bio = serializers.CharField(source="profile.bio", read_only=True)
    track = serializers.CharField(source="profile.track", read_only=True)
    github_url = serializers.CharField(source="profile.github_url", read_only=True)
    linkedin_url = serializers.CharField(source="profile.linkedin_url", read_only=True)
    website_url = serializers.CharField(source="profile.website_url", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "bio", "track", "github_url", "linkedin_url", "website_url"]


class MeSerializer(MemberSerializer):
    """The signed-in member, with private fields."""

    class Meta(MemberSerializer.Meta):
        fields = [*MemberSerializer.Meta.fields, "email", "is_staff", "date_joined"]


class _ProfileInputFields(serializers.Serializer):
    display_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    bio = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    track = serializers.ChoiceField(choices=Track.choices, required=False, allow_blank=True)
    github_url = serializers.URLField(required=False, allow_blank=True)
    linkedin_url = serializers.URLField(required=False, allow_blank=True)
    website_url = serializers.URLField(required=False, allow_blank=True)


class RegisterSerializer(_ProfileInputFields):
    username = serializers.RegexField(r"^[\w.-]{3,40}$", max_length=40, help_text="3-40 letters, digits, . _ -")
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, style={"input_type": "password"})


class MeUpdateSerializer(_ProfileInputFields):
    email = serializers.EmailField(required=False)


class TokenObtainSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField(help_text="Short-lived bearer token for the Authorization header.")
    refresh = serializers.CharField(help_text="Long-lived token to get a new pair; rotated on every use.")


class RefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField()
