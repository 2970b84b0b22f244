"""Template helpers of the channel pages and entry comments: reactions grouped, mentions of the viewer (no queries)."""

from __future__ import annotations

from typing import Any

from django import template

from nexus.discussions import payloads
from nexus.discussions.models import Comment, Message

register = template.Library()


@register.filter
def reaction_groups(message: Message | Comment) -> list[dict[str, Any]]:
    """Reactions of a message or comment by emoji (`messages_loaded`/`comments_loaded` prefetched them)."""
    return payloads.reactions(message.reactions.all())


@register.filter
def mentions_user(message: Message, user: Any) -> bool:
    """Whether `user` is @mentioned in the message."""
    return any(mention.user_id == getattr(user, "pk", None) for mention in message.mentions.all())
