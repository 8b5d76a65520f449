"""Competences: a shared vocabulary, what testbeds need and what actors and members have.

The links live here (through models with an `is_demo` flag, so invented demo links are labelled)
and reach the other apps by reverse relations: `testbed.competences_needed`,
`actor.competences` and `user.competences`. An idea group has the union of its active
members' competences (see selectors.py).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sodertorn.history import History


class Competence(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    needed_by = models.ManyToManyField(
        "testbeds.Testbed",
        through="Need",
        related_name="competences_needed",
        blank=True,
        verbose_name=_("needed by testbeds"),
    )
    actors = models.ManyToManyField(
        "collaboration.Actor",
        through="ActorCompetence",
        related_name="competences",
        blank=True,
        verbose_name=_("actors who have it"),
    )
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="MemberCompetence",
        related_name="competences",
        blank=True,
        verbose_name=_("members who have it"),
    )
    is_demo = models.BooleanField(
        _("example content"),
        default=False,
        help_text=_("Invented demo content; public pages label it 'Example'."),
    )

    history = History()

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('competences:index')}?competence={self.slug}"


class Need(models.Model):
    """A testbed needs a competence."""

    testbed = models.ForeignKey(
        "testbeds.Testbed",
        on_delete=models.CASCADE,
        related_name="competence_needs",
        verbose_name=_("testbed"),
    )
    competence = models.ForeignKey(
        Competence, on_delete=models.CASCADE, related_name="needs", verbose_name=_("competence")
    )
    is_demo = models.BooleanField(_("example content"), default=False)

    class Meta:
        verbose_name = _("competence needed")
        verbose_name_plural = _("competences needed")
        ordering = ["competence__name"]
        constraints = [
            models.UniqueConstraint(fields=["testbed", "competence"], name="need_once_per_testbed")
        ]

    def __str__(self):
        return f"{self.testbed} – {self.competence}"

    def get_absolute_url(self):
        return self.testbed.get_absolute_url() + "#kompetens"


class ActorCompetence(models.Model):
    """An actor has a competence."""

    actor = models.ForeignKey(
        "collaboration.Actor",
        on_delete=models.CASCADE,
        related_name="competence_links",
        verbose_name=_("actor"),
    )
    competence = models.ForeignKey(
        Competence,
        on_delete=models.CASCADE,
        related_name="actor_links",
        verbose_name=_("competence"),
    )
    is_demo = models.BooleanField(_("example content"), default=False)

    class Meta:
        verbose_name = _("competence of an actor")
        verbose_name_plural = _("competences of actors")
        ordering = ["competence__name"]
        constraints = [
            models.UniqueConstraint(fields=["actor", "competence"], name="actor_competence_once")
        ]

    def __str__(self):
        return f"{self.actor} – {self.competence}"

    def get_absolute_url(self):
        return self.actor.get_absolute_url() + "#kompetens"


class MemberCompetence(models.Model):
    """A person (an idea-group member) has a competence; they declare it themselves."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="competence_links",
        verbose_name=_("person"),
    )
    competence = models.ForeignKey(
        Competence,
        on_delete=models.CASCADE,
        related_name="member_links",
        verbose_name=_("competence"),
    )
    is_demo = models.BooleanField(_("example content"), default=False)

    class Meta:
        verbose_name = _("competence of a member")
        verbose_name_plural = _("competences of members")
        ordering = ["competence__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "competence"], name="member_competence_once")
        ]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.get_username()} – {self.competence}"
