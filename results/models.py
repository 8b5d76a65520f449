from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sodertorn.history import History
from sodertorn.publishing import Publishable, PublishableQuerySet
from testbeds.models import Testbed

from .video import PROVIDERS, embed_url, parse_video_url


class ResultKind(models.TextChoices):
    SOLUTION = "solution", _("Solution")
    METHOD = "method", _("Method")
    LESSON = "lesson", _("Lesson learned")
    REPORT = "report", _("Report")
    POLICY = "policy", _("Policy recommendation")


class ResultQuerySet(PublishableQuerySet):
    # Public: published, and its testbed published too (publish_parents).

    def with_relations(self):
        return self.select_related("testbed", "idea_group").prefetch_related(
            "testbed__municipalities", "testbed__themes"
        )


class Result(Publishable):
    publish_parents = ("testbed",)

    testbed = models.ForeignKey(
        Testbed, on_delete=models.PROTECT, related_name="results", verbose_name=_("testbed")
    )
    idea_group = models.ForeignKey(
        "ideagroups.IdeaGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="results",
        verbose_name=_("idea group"),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ResultKind)
    summary = models.TextField(_("summary"), max_length=1000)
    body = models.TextField(
        _("body"), blank=True, help_text=_("Markdown: headings, lists, links, tables.")
    )
    date = models.DateField(_("date"))
    is_demo = models.BooleanField(_("example content"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ResultQuerySet.as_manager()

    history = History()

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ResultKind.values), name="result_kind_valid"
            )
        ]
        indexes = [models.Index(fields=["published", "-date"], name="result_published_date")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("results:detail", kwargs={"slug": self.slug})


class ResultAttachment(models.Model):
    result = models.ForeignKey(
        Result, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("result")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="results/attachments/", max_length=255)
    content_type = models.CharField(_("content type"), max_length=120, editable=False)
    extension = models.CharField(_("file type"), max_length=10, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)

    history = History()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["title", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("results:attachment", kwargs={"slug": self.result.slug, "pk": self.pk})


class FilmQuerySet(PublishableQuerySet):
    # Public: published, its testbed (if any) published, and its result (if any) public by
    # the result's own rule, so the result's testbed too (publish_parents).

    def with_relations(self):
        return self.select_related("testbed", "result", "result__testbed")


class CaptionsLanguage(models.TextChoices):
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


class Film(Publishable):
    publish_parents = ("testbed", "result")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    video_url = models.URLField(
        _("video address"),
        max_length=500,
        help_text=_("The film's address on YouTube or Vimeo."),
    )
    provider = models.CharField(_("provider"), max_length=10, choices=PROVIDERS, editable=False)
    video_id = models.CharField(_("video id"), max_length=20, editable=False)
    vimeo_hash = models.CharField(max_length=20, blank=True, editable=False)
    duration = models.PositiveIntegerField(
        _("duration in seconds"), validators=[MinValueValidator(1), MaxValueValidator(86_400)]
    )
    poster = models.ImageField(_("poster image"), upload_to="films/posters/", blank=True)
    poster_alt = models.CharField(_("poster alt text"), max_length=250, blank=True)
    poster_renditions = models.JSONField(default=dict, blank=True, editable=False)
    transcript = models.TextField(_("transcript"), blank=True)
    captions_language = models.CharField(
        _("captions language"),
        max_length=2,
        choices=CaptionsLanguage,
        blank=True,
        help_text=_("The language of the film's own captions, if it has them."),
    )
    testbed = models.ForeignKey(
        Testbed,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="films",
        verbose_name=_("testbed"),
    )
    result = models.ForeignKey(
        Result,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="films",
        verbose_name=_("result"),
    )
    is_demo = models.BooleanField(_("example content"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = FilmQuerySet.as_manager()

    history = History()

    class Meta:
        verbose_name = _("film")
        verbose_name_plural = _("films")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(testbed__isnull=False) | Q(result__isnull=False),
                name="film_linked_to_testbed_or_result",
            ),
            models.CheckConstraint(
                condition=Q(published=False) | ~Q(transcript="") | ~Q(captions_language=""),
                name="film_published_needs_transcript_or_captions",
            ),
            models.CheckConstraint(
                condition=Q(poster="") | ~Q(poster_alt=""), name="film_poster_needs_alt"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        video = parse_video_url(self.video_url)  # never store an address we cannot embed
        self.provider, self.video_id, self.vimeo_hash = (
            video.provider,
            video.video_id,
            video.vimeo_hash,
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("films:detail", kwargs={"slug": self.slug})

    @property
    def has_transcript(self) -> bool:
        return bool(self.transcript.strip())

    def clean(self):
        errors = {}
        if self.video_url:
            try:
                video = parse_video_url(self.video_url)
            except ValidationError as error:
                errors["video_url"] = error
            else:
                self.provider, self.video_id, self.vimeo_hash = (
                    video.provider,
                    video.video_id,
                    video.vimeo_hash,
                )
        if self.testbed_id is None and self.result_id is None:
            errors["testbed"] = _("Link the film to a testbed, a result or both.")
        if self.published and not self.transcript.strip() and not self.captions_language:
            errors["published"] = _(
                "A film can only be published with a transcript or captions (WCAG): add a "
                "transcript or give the captions language."
            )
        if self.poster and not self.poster_alt.strip():
            errors["poster_alt"] = _("An image needs alt text.")
        if errors:
            raise ValidationError(errors)

    @property
    def embed_url(self) -> str:
        return embed_url(self.provider, self.video_id, self.vimeo_hash)

    @property
    def duration_display(self) -> str:
        minutes, seconds = divmod(self.duration, 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"

    @property
    def display_testbed(self):
        return self.testbed or (self.result.testbed if self.result_id else None)


class GalleryImage(models.Model):
    testbed = models.ForeignKey(
        Testbed, on_delete=models.CASCADE, related_name="images", verbose_name=_("testbed")
    )
    image = models.ImageField(_("image"), upload_to="testbeds/gallery/", max_length=255)
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    alt_text = models.CharField(
        _("alt text"),
        max_length=250,
        help_text=_("Describe the image for people who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(_("photographer / credit"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    history = History()

    class Meta:
        verbose_name = _("gallery image")
        verbose_name_plural = _("gallery images")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="gallery_image_needs_alt")
        ]

    def __str__(self):
        return self.caption or self.alt_text
