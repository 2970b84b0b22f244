"""Who may see and change hubs and entries. The only way to load either for a member.

Hubs:     public  -> everyone
          cohort  -> the owner, members of the hub's cohort (any role), platform staff
          private -> the owner only
Entries:  visible when their hub is, and published -- drafts only to the hub's owner.
Changes:  the owner only. What an actor may not see is a 404; what they may see but not
          change is a 403.
Batch:    `entries_visible_to_each` answers for many members at once (notifying followers),
          held to `entries_visible_to` by a parity test.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from nexus.accounts.models import User
from nexus.cohorts import selectors as cohort_selectors
from nexus.hubs.models import Entry, Hub

Actor = User | AnonymousUser


def _hub_q(actor: Actor, prefix: str = "") -> Q:
    """The hubs an actor may see, as a filter; `prefix` reaches a hub through a relation."""
    public = Q(**{f"{prefix}visibility": Hub.Visibility.PUBLIC})
    if not actor.is_authenticated:
        return public
    owned = Q(**{f"{prefix}owner_id": actor.pk})
    cohort = Q(**{f"{prefix}visibility": Hub.Visibility.COHORT})
    if actor.is_staff:
        return public | owned | cohort
    in_cohort = cohort & Q(**{f"{prefix}cohort_id__in": cohort_selectors.member_cohort_ids(actor)})
    return public | owned | in_cohort


def hubs_visible_to(actor: Actor) -> QuerySet[Hub]:
    """Every hub the actor may see."""
    return Hub.objects.filter(_hub_q(actor))


def entries_visible_to(actor: Actor) -> QuerySet[Entry]:
    """Every entry the actor may see: in a visible hub, and published unless the actor owns it."""
    published = Q(status=Entry.Status.PUBLISHED)
    if actor.is_authenticated:
        published |= Q(hub__owner_id=actor.pk)
    return Entry.objects.filter(_hub_q(actor, prefix="hub__") & published)


def search_visible_q(actor: Actor) -> Q:
    """The rules of `entries_visible_to`, over the copies of their inputs a search document keeps.

    A `search.SearchDocument` stores its hub's `visibility`, `owner_id` and `cohort_id` and
    whether it is `published` (topics and members: public and published). Filtering those
    columns keeps a search to one table -- a subquery of `entries_visible_to` would join
    entries and hubs on every search -- while the rules stay here, in one file; membership is
    still read at query time, so joining or leaving a cohort needs no reindexing.
    """
    published = Q(published=True)
    if actor.is_authenticated:
        published |= Q(owner_id=actor.pk)
    return _hub_q(actor) & published


class _EntryFacts(NamedTuple):
    """What the rules read of an entry: its status, and its hub's visibility, owner and cohort."""

    pk: int
    status: str
    visibility: str
    owner_id: int
    cohort_id: int | None


def _may_see(actor: User, member_of: set[int], entry: _EntryFacts) -> bool:
    """One member and one entry, by the rules of `_hub_q` and `entries_visible_to`."""
    owner = entry.owner_id == actor.pk
    if entry.status != Entry.Status.PUBLISHED and not owner:
        return False  # a draft: the hub's owner only
    return (
        entry.visibility == Hub.Visibility.PUBLIC
        or owner
        or (entry.visibility == Hub.Visibility.COHORT and actor.is_staff)
        or (entry.visibility == Hub.Visibility.COHORT and entry.cohort_id in member_of)
    )


def entries_visible_to_each(actors: Collection[User], entry_ids: Collection[int]) -> dict[int, set[int]]:
    """`entries_visible_to` for many members at once: of `entry_ids`, the ids each may see, by member id.

    At most two queries whatever the number of members -- the entries with their hub's
    visibility, owner and cohort, then the members' memberships of those cohorts -- where
    filtering `entries_visible_to` costs a query per member. `_may_see` applies the rules in
    Python; a parity test holds it to `entries_visible_to`.
    """
    entries = [
        _EntryFacts(*row)
        for row in Entry.objects.filter(pk__in=entry_ids)
        .order_by()
        .values_list("pk", "status", "hub__visibility", "hub__owner_id", "hub__cohort_id")
    ]
    cohort_ids = {e.cohort_id for e in entries if e.visibility == Hub.Visibility.COHORT and e.cohort_id is not None}
    member_of = cohort_selectors.member_cohort_ids_each([a.pk for a in actors], cohort_ids=cohort_ids)
    return {actor.pk: {e.pk for e in entries if _may_see(actor, member_of[actor.pk], e)} for actor in actors}


def _hub_lookup(ref: int | str) -> Q:
    text = str(ref)
    return Q(pk=int(text)) if text.isdigit() else Q(slug=text)


def access_hub(actor: Actor, ref: int | str, *, for_update: bool = False, must_own: bool = False) -> Hub:
    """A hub by id or slug that the actor may see (404 otherwise); `must_own` for changes (403)."""
    qs = hubs_visible_to(actor).select_related("owner__profile", "program", "cohort")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    hub = qs.filter(_hub_lookup(ref)).first()
    if hub is None:
        raise Http404(f"No hub {ref!r}.")
    if must_own and hub.owner_id != actor.pk:
        raise PermissionDenied("Only the hub's owner can change it.")
    return hub


def access_entry(actor: Actor, entry_id: int, *, for_update: bool = False, must_own: bool = False) -> Entry:
    """An entry the actor may see (404 otherwise); `must_own` for changes (403)."""
    qs = entries_visible_to(actor).select_related("hub__owner__profile")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    entry = qs.filter(pk=entry_id).first()
    if entry is None:
        raise Http404(f"No entry {entry_id}.")
    if must_own and entry.hub.owner_id != actor.pk:
        raise PermissionDenied("Only the entry's author can change it.")
    return entry
