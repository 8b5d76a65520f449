"""Idea groups, their members and the work they register."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from collaboration.models import Actor, SystemSolution
from sodertorn.history import History
from sodertorn.uploads import DOCUMENT_EXTENSIONS, extension_of, random_name
from testbeds.models import Testbed, Theme


class Focus(models.TextChoices):
    TESTBED = "testbed", _("One testbed")
    THEME = "theme", _("A theme across testbeds")


class IdeaGroupQuerySet(models.QuerySet):
    def public(self):
        """The one visibility rule for idea groups on public pages."""
        return self.filter(published=True)


class IdeaGroup(models.Model):
    Focus = Focus

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"))
    focus = models.CharField(_("focus"), max_length=10, choices=Focus, default=Focus.TESTBED)
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="idea_groups",
        verbose_name=_("theme"),
        help_text=_("For a group working on a theme across testbeds."),
    )
    testbeds = models.ManyToManyField(
        Testbed,
        related_name="idea_groups",
        blank=True,
        verbose_name=_("testbeds"),
        help_text=_("One testbed for a testbed group; any number for a theme group."),
    )
    # The solutions of the collaboration group that came from this group. The link lived on
    # SystemSolution.idea_groups until issue 13; it keeps that table (and its rows), so the
    # dependency points one way only: ideagroups -> collaboration.
    system_solutions = models.ManyToManyField(
        SystemSolution,
        related_name="idea_groups",
        blank=True,
        db_table="collaboration_systemsolution_idea_groups",
        verbose_name=_("system solutions"),
    )
    start_date = models.DateField(_("active from"))
    end_date = models.DateField(_("active until"), null=True, blank=True)
    published = models.BooleanField(_("published"), default=True)
    is_demo = models.BooleanField(
        _("example content"),
        default=False,
        help_text=_("Invented demo content; public pages label it 'Example'."),
    )

    objects = IdeaGroupQuerySet.as_manager()

    history = History(m2m_fields=["testbeds", "system_solutions"])

    class Meta:
        verbose_name = _("idea group")
        verbose_name_plural = _("idea groups")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="ideagroup_end_not_before_start",
            ),
            models.CheckConstraint(condition=Q(focus__in=Focus.values), name="ideagroup_focus"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("ideagroups:detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


class MembershipRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    MEMBER = "member", _("Member")


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(left__isnull=True)


class Membership(models.Model):
    Role = MembershipRole

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="idea_group_memberships",
        verbose_name=_("user"),
    )
    group = models.ForeignKey(
        IdeaGroup, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("group")
    )
    actor = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
        help_text=_("The actor the member comes from."),
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole, default=MembershipRole.MEMBER
    )
    joined = models.DateField(_("joined"), default=timezone.localdate)
    left = models.DateField(
        _("left"), null=True, blank=True, help_text=_("Set when the person has left the group.")
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["group", "role", "user__last_name", "user__first_name", "user__username"]
        permissions = [("invite_member", _("Can invite members by e-mail"))]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "group"],
                condition=Q(left__isnull=True),
                name="membership_one_active_per_person_and_group",
                violation_error_message=_("This person is already an active member of the group."),
            ),
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(left__gte=models.F("joined")),
                name="membership_left_not_before_joined",
            ),
            models.CheckConstraint(
                condition=Q(role__in=MembershipRole.values), name="membership_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.get_username()} – {self.group}"

    def get_absolute_url(self):
        return self.group.get_absolute_url()

    @property
    def is_active(self) -> bool:
        return self.left is None

    def clean(self):
        errors = {}
        if self.left and self.joined and self.left < self.joined:
            errors["left"] = _("The leaving date cannot be before the joining date.")
        if self.left and self.left > timezone.localdate():
            errors["left"] = _("Set the leaving date when the person has left, not in advance.")
        if errors:
            raise ValidationError(errors)


class Kind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    MEETING = "meeting", _("Meeting")
    STUDY = "study", _("Study")
    PROPOSAL = "proposal", _("Proposal")
    REPORT = "report", _("Report")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Sent back")


class WorkEntryQuerySet(models.QuerySet):
    def published(self):
        """Published entries of public idea groups: what anonymous visitors may see."""
        return self.filter(status=Status.PUBLISHED, group__published=True)

    def for_member(self, user):
        """Entries a member works with: their own, and all of the groups they lead."""
        if not user.is_authenticated:
            return self.none()
        led = Membership.objects.active().filter(user=user, role=MembershipRole.LEAD)
        return self.filter(Q(author=user) | Q(group__in=led.values("group")))


def attachment_path(instance, filename):
    """A random name under private/ (never the uploaded name), keeping the checked extension."""
    extension = extension_of(filename)
    return random_name(
        "private/ideagroups", extension if extension in DOCUMENT_EXTENSIONS else "bin"
    )


def private_storage():
    """STORAGES["private"]: files stored mode 0600, never served as public media."""
    return storages["private"]


class WorkEntry(models.Model):
    Kind = Kind
    Status = Status
    EDITABLE = (Status.DRAFT, Status.RETURNED)

    group = models.ForeignKey(
        IdeaGroup, on_delete=models.PROTECT, related_name="work_entries", verbose_name=_("group")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="work_entries",
        verbose_name=_("author"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"), help_text=_("When the work took place or was finished."))
    text = models.TextField(_("text"), max_length=20000)
    attachment = models.FileField(
        _("attachment"),
        upload_to=attachment_path,
        storage=private_storage,
        blank=True,
        max_length=200,
    )
    attachment_name = models.CharField(_("attachment file name"), max_length=120, blank=True)
    attachment_type = models.CharField(_("attachment content type"), max_length=120, blank=True)
    attachment_size = models.PositiveIntegerField(_("attachment size"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    curator_comment = models.TextField(_("curator's comment"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    is_demo = models.BooleanField(_("example content"), default=False)

    objects = WorkEntryQuerySet.as_manager()

    history = History()

    class Meta:
        verbose_name = _("work entry")
        verbose_name_plural = _("work entries")
        ordering = ["-date", "-id"]
        permissions = [("review_workentry", _("Can publish or send back work entries"))]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="workentry_status"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="workentry_kind"),
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="workentry_published_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.RETURNED) | ~Q(curator_comment=""),
                name="workentry_returned_has_comment",
            ),
            models.CheckConstraint(
                condition=Q(attachment="") | ~Q(attachment_type=""),
                name="workentry_attachment_has_type",
            ),
        ]
        indexes = [models.Index(fields=["status", "-date"], name="workentry_status_date")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("ideagroups:entry", kwargs={"group": self.group.slug, "pk": self.pk})

    def get_member_url(self):
        return reverse("ideagroups:my_entry", kwargs={"pk": self.pk})

    def get_attachment_url(self):
        return reverse("attachments:download", kwargs={"pk": self.pk}) if self.attachment else ""

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class Transition(models.Model):
    """Who moved a work entry from one status to another, and when."""

    entry = models.ForeignKey(
        WorkEntry, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("entry")
    )
    from_status = models.CharField(_("from"), max_length=10, choices=Status)
    to_status = models.CharField(_("to"), max_length=10, choices=Status)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.entry}: {self.from_status} → {self.to_status}"

    def get_absolute_url(self):
        return self.entry.get_member_url()


class SubmittedWorkEntry(WorkEntry):
    """The curators' review queue in the admin (entries submitted for review)."""

    class Meta:
        proxy = True
        verbose_name = _("work entry to review")
        verbose_name_plural = _("work entries to review")
