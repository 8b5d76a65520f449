"""Writes for idea groups: work entries through their workflow, attachments, invitations.

Views, admin actions and management commands all call these, so the rules (ideagroups.rules)
and the workflow hold everywhere. Every status change is recorded as a Transition (who, when,
from, to, comment). A refused change raises and changes nothing.

    draft ──submit──▶ submitted ──publish──▶ published
      ▲                  │                      │
      └── (edit) ── returned ◀──send back───────┘
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_status_change
from sodertorn.accounts.links import login_link, set_password_link
from sodertorn.cache import areas_of, content_changed
from sodertorn.mail import queue_mail
from sodertorn.uploads import DocumentType, download_name

from . import roles, rules
from .models import IdeaGroup, Membership, Status, Transition, WorkEntry

logger = logging.getLogger(__name__)


class InvalidTransition(ValidationError):
    """The entry is not in a status the requested change starts from."""


@dataclass(frozen=True)
class Move:
    sources: tuple[str, ...]
    target: str


MOVES = {
    "submit": Move((Status.DRAFT, Status.RETURNED), Status.SUBMITTED),
    "publish": Move((Status.SUBMITTED,), Status.PUBLISHED),
    "send_back": Move((Status.SUBMITTED, Status.PUBLISHED), Status.RETURNED),
}


def _move(entry: WorkEntry, action: str, *, by, comment: str = "", **fields) -> WorkEntry:
    move = MOVES[action]
    with transaction.atomic():
        current = WorkEntry.objects.select_for_update().only("status").get(pk=entry.pk)
        if current.status not in move.sources:
            raise InvalidTransition(
                _("“%(title)s” is %(status)s; this change is not possible now.")
                % {"title": entry.title, "status": current.get_status_display().lower()},
                code="invalid_transition",
            )
        now = timezone.now()
        WorkEntry.objects.filter(pk=entry.pk, status=current.status).update(
            status=move.target, updated_at=now, **fields
        )
        Transition.objects.create(
            entry_id=entry.pk,
            from_status=current.status,
            to_status=move.target,
            by=by,
            at=now,
            comment=comment,
        )
        if {current.status, move.target} & {Status.PUBLISHED}:
            # update() sends no signal; public pages show the change
            content_changed(areas=areas_of(WorkEntry))
        record_status_change(WorkEntry, entry.pk, current.status, move.target, Status.PUBLISHED, by)
        entry.refresh_from_db()
        if move.target in (Status.PUBLISHED, Status.RETURNED):
            _mail_author(entry, comment=comment)
    return entry


def _mail_author(entry: WorkEntry, *, comment: str = "") -> None:
    """Tell the entry's author it was published or sent back (with the curator's comment).
    Queued: the mail leaves after the commit, and a mail server that fails loses nothing
    (sodertorn.mail); the change is made whether or not the author can be mailed."""
    author = entry.author
    if author is None or not author.email:
        logger.info("Work entry %s: no author with an e-mail address to tell", entry.pk)
        return
    base = settings.SITE_URL.rstrip("/")
    published = entry.status == Status.PUBLISHED
    context = {
        "user": author,
        "entry": entry,
        "published": published,
        "comment": comment,
        "member_link": base + entry.get_member_url(),
        "public_link": base + entry.get_absolute_url() if entry.group.published else "",
    }
    if published:
        subject = _("Your work “%(title)s” has been published") % {"title": entry.title}
    else:
        subject = _("Your work “%(title)s” was sent back") % {"title": entry.title}
    body = render_to_string("ideagroups/entry_status_email.txt", context)
    queue_mail(subject, body, [author.email])


def submit_entry(*, entry: WorkEntry, by) -> WorkEntry:
    if not rules.can_work_on(by, entry):
        raise PermissionDenied(_("Only the author or the group's lead may submit this entry."))
    return _move(entry, "submit", by=by)


def publish_entry(*, entry: WorkEntry, by) -> WorkEntry:
    if not rules.is_curator(by):
        raise PermissionDenied(_("Only curators publish work entries."))
    return _move(entry, "publish", by=by, published_at=timezone.now(), curator_comment="")


def send_back_entry(*, entry: WorkEntry, by, comment: str) -> WorkEntry:
    if not rules.is_curator(by):
        raise PermissionDenied(_("Only curators send work entries back."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            _("Write a comment that tells the group what to change."), code="comment_required"
        )
    return _move(
        entry, "send_back", by=by, comment=comment, curator_comment=comment, published_at=None
    )


# Entries and attachments -----------------------------------------------------------------------


def store_attachment(entry: WorkEntry, upload, doc: DocumentType) -> None:
    """Put a checked upload on the entry (random storage name, checked type); not saved yet."""
    old = entry.attachment.name if entry.attachment else ""
    upload.seek(0)
    entry.attachment.save(f"upload.{doc.extension}", upload, save=False)
    entry.attachment_name = download_name(upload.name, doc.extension, fallback="bilaga")
    entry.attachment_type = doc.content_type
    entry.attachment_size = upload.size
    _delete_after_commit(entry, old)


def remove_attachment(entry: WorkEntry) -> None:
    old = entry.attachment.name if entry.attachment else ""
    entry.attachment = ""
    entry.attachment_name = entry.attachment_type = ""
    entry.attachment_size = None
    _delete_after_commit(entry, old)


def _delete_after_commit(entry: WorkEntry, name: str) -> None:
    if name:
        storage = entry.attachment.storage
        transaction.on_commit(lambda: storage.delete(name))


def _save_with_file_cleanup(entry: WorkEntry, new_file: str | None) -> None:
    """Save; if saving fails, remove a file stored for it so nothing is left behind."""
    try:
        entry.full_clean(exclude=["attachment"])
        entry.save()
    except Exception:
        if new_file:
            entry.attachment.storage.delete(new_file)
        raise


@transaction.atomic
def create_entry(
    *,
    group: IdeaGroup,
    by,
    kind: str,
    title: str,
    date: datetime.date,
    text: str,
    attachment=None,
    attachment_type: DocumentType | None = None,
) -> WorkEntry:
    if not rules.can_create_entry(by, group):
        raise PermissionDenied(_("Only active members of the group may register work."))
    entry = WorkEntry(group=group, author=by, kind=kind, title=title, date=date, text=text)
    if attachment is not None:
        store_attachment(entry, attachment, attachment_type)
    _save_with_file_cleanup(entry, entry.attachment.name if attachment is not None else None)
    return entry


@transaction.atomic
def update_entry(
    *,
    entry: WorkEntry,
    by,
    kind: str,
    title: str,
    date: datetime.date,
    text: str,
    attachment=None,
    attachment_type: DocumentType | None = None,
    drop_attachment: bool = False,
) -> WorkEntry:
    if not rules.can_work_on(by, entry):
        raise PermissionDenied(_("Only the author or the group's lead may edit this entry."))
    current = WorkEntry.objects.select_for_update().only("status").get(pk=entry.pk)
    if current.status not in WorkEntry.EDITABLE:
        raise InvalidTransition(
            _("Only drafts and entries sent back can be edited."), code="not_editable"
        )
    entry.kind, entry.title, entry.date, entry.text = kind, title, date, text
    if attachment is not None:
        store_attachment(entry, attachment, attachment_type)
    elif drop_attachment:
        remove_attachment(entry)
    _save_with_file_cleanup(entry, entry.attachment.name if attachment is not None else None)
    return entry


# Invitations -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitation:
    user: object
    membership: Membership
    created_user: bool
    link: str


@transaction.atomic
def invite_member(
    *,
    by,
    email: str,
    first_name: str,
    last_name: str,
    group: IdeaGroup,
    actor,
    role: str,
    base_url: str,
) -> Invitation:
    """Create (or reuse) the person's account and an active membership, and e-mail them
    (queued: the mail leaves after the commit, see sodertorn.mail).

    A new account has no usable password: the e-mail carries a one-time link to choose one
    (Django's password-reset token, valid for PASSWORD_RESET_TIMEOUT). There is no sign-up.
    """
    if not (by and by.is_authenticated and by.has_perm("ideagroups.invite_member")):
        raise PermissionDenied(_("Only curators invite members."))
    User = get_user_model()
    email = User.objects.normalize_email(email.strip()).lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User(username=email[:150], email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    if Membership.objects.active().filter(user=user, group=group).exists():
        raise ValidationError(
            _("%(email)s is already an active member of %(group)s.")
            % {"email": email, "group": group.name},
            code="already_member",
        )
    membership = Membership(user=user, group=group, actor=actor, role=role)
    membership.full_clean()
    membership.save()
    user.groups.add(Group.objects.get(name=roles.MEMBER))

    needs_password = not user.has_usable_password()
    if needs_password:
        link = set_password_link(user, base_url=base_url)
    else:
        link = login_link(base_url=base_url)
    context = {
        "user": user,
        "group": group,
        "invited_by": by,
        "link": link,
        "needs_password": needs_password,
        "privacy_link": urljoin(base_url, reverse("about:privacy")),
    }
    subject = _("Invitation to the idea group %(group)s") % {"group": group.name}
    body = render_to_string("registration/invitation_email.txt", context)
    queue_mail(subject, body, [email])  # sent by the task worker once the membership commits
    return Invitation(user=user, membership=membership, created_user=created, link=link)
