"""PLACEHOLDER until the graphql branch's schema root lands (merge takes theirs)."""

import strawberry

from nexus.discussions.graphql_subscriptions import Subscription as DiscussionsSubscription


@strawberry.type
class Query:
    ping: str = "pong"


@strawberry.type
class Subscription(DiscussionsSubscription):
    pass


schema = strawberry.Schema(query=Query, subscription=Subscription)
