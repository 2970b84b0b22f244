"""Who may see and change hubs and entries. The only way to load either for a member.

Hubs:     public  -> everyone
          cohort  -> the owner, members of the hub's cohort (any role), platform staff
          private -> the owner only
Entries:  visible when their hub is, and published -- drafts only to the hub's owner.
Changes:  the owner only. What an actor may not see is a 404; what they may see but not
          change is a 403.
"""

from __future__ import annotations

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
