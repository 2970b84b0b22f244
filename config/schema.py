"""PLACEHOLDER until the graphql branch's schema root lands (merge takes theirs)."""

import strawberry

from nexus.discussions.graphql_subscriptions import Subscription as DiscussionsSubscription
from nexus.notifications.graphql_subscriptions import Subscription as NotificationsSubscription
from nexus.registry.graphql_subscriptions import Subscription as RegistrySubscription


@strawberry.type
class Query:
    ping: str = "pong"


@strawberry.type
class Subscription(DiscussionsSubscription, NotificationsSubscription, RegistrySubscription):
    pass


schema = strawberry.Schema(query=Query, subscription=Subscription)
