"""Profile mutation: `PATCH /api/v1/me/` over GraphQL (`services.profile_update`).

Signing up and getting tokens stay on REST (`/api/v1/auth/...`): a GraphQL client signs in
there, then sends the access token as `Authorization: Bearer` (and, for subscriptions, as
the `bearer.<token>` WebSocket subprotocol).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from nexus.accounts import services
from nexus.accounts.api import serializers
from nexus.core.graphql_mutations import input_from_serializer, mutate, payload_type

if TYPE_CHECKING:
    from nexus.accounts.graphql import MeType

MeNode = Annotated["MeType", strawberry.lazy("nexus.accounts.graphql")]

ProfileUpdateInput = input_from_serializer(
    serializers.MeUpdateSerializer, "ProfileUpdateInput", description="Your e-mail or profile fields to change."
)
MePayload = payload_type(MeNode, "ProfilePayload", node_name="me")


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Change your e-mail or profile; only the given fields change (PATCH /api/v1/me/).")
    def update_profile(self, info: Info, input: ProfileUpdateInput) -> MePayload:  # type: ignore[valid-type]
        return mutate(
            info,
            MePayload,
            lambda actor, data: services.profile_update(user=actor, data=data),
            input=input,
            serializer=serializers.MeUpdateSerializer,
            partial=True,
            node_name="me",
        )
