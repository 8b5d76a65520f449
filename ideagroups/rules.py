"""Who may do what with idea groups and work entries: one place, used by views, admin and
services alike.

- Curators (permission ideagroups.review_workentry) publish and send back; nobody else does.
- A member with an active membership creates entries in the group, edits and submits their
  own entries while they are drafts or sent back.
- A lead (active membership with role lead) may edit and submit every entry of the group.
"""

from .models import Membership, MembershipRole, WorkEntry

REVIEW_PERMISSION = "ideagroups.review_workentry"


def is_curator(user) -> bool:
    return bool(
        user and user.is_authenticated and user.is_active and user.has_perm(REVIEW_PERMISSION)
    )


def active_membership(user, group) -> Membership | None:
    if not (user and user.is_authenticated and user.is_active):
        return None
    cache = user.__dict__.setdefault("_active_memberships", {})
    if group.pk not in cache:
        cache[group.pk] = Membership.objects.active().filter(user=user, group=group).first()
    return cache[group.pk]


def is_lead(user, group) -> bool:
    membership = active_membership(user, group)
    return membership is not None and membership.role == MembershipRole.LEAD


def can_create_entry(user, group) -> bool:
    return active_membership(user, group) is not None and user.has_perm("ideagroups.add_workentry")


def can_work_on(user, entry: WorkEntry) -> bool:
    """Author (still an active member) or lead of the entry's group; status not considered."""
    if not (user and user.is_authenticated and user.has_perm("ideagroups.change_workentry")):
        return False
    if is_lead(user, entry.group):
        return True
    return entry.author_id == user.pk and active_membership(user, entry.group) is not None


def can_edit_entry(user, entry: WorkEntry) -> bool:
    return entry.is_editable and can_work_on(user, entry)


def can_submit_entry(user, entry: WorkEntry) -> bool:
    return entry.is_editable and can_work_on(user, entry)


def can_view_entry(user, entry: WorkEntry) -> bool:
    """Published work of a public group is for everyone; the rest for the people on it."""
    if entry.status == WorkEntry.Status.PUBLISHED and entry.group.published:
        return True
    if not (user and user.is_authenticated):
        return False
    if is_curator(user):
        return True
    return entry.author_id == user.pk or is_lead(user, entry.group)
