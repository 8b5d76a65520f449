from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from collaboration import selectors as collaboration_selectors
from sodertorn.uploads import MB, validate_document

from .models import IdeaGroup, Kind, MembershipRole, WorkEntry

ATTACHMENT_MAX_BYTES = 10 * MB
ATTACHMENT_ACCEPT = ".pdf,.docx,.xlsx,.pptx,.odt,.ods,.odp"


# The entry's text is Markdown, rendered and sanitised wherever the entry is shown.
TEXT_HELP = _(
    "Markdown: **bold**, *italics*, a list with “- ” at the start of each line, a link as "
    "[text](https://…). Leave an empty line between paragraphs."
)


class AttachmentFieldMixin:
    """An optional attachment checked by its content (sodertorn.uploads.validate_document).

    After validation, `self.attachment_type` is the checked DocumentType (or None).
    """

    attachment_type = None

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            self.attachment_type = validate_document(upload, max_bytes=ATTACHMENT_MAX_BYTES)
        return upload


def attachment_field():
    return forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_(
            "Optional. A PDF or an office document (Word, Excel, PowerPoint or OpenDocument), "
            "at most 10 MB."
        ),
        widget=forms.FileInput(attrs={"accept": ATTACHMENT_ACCEPT}),
    )


class WorkEntryForm(AttachmentFieldMixin, forms.ModelForm):
    attachment = attachment_field()
    remove_attachment = forms.BooleanField(label=_("Remove the current attachment"), required=False)

    class Meta:
        model = WorkEntry
        fields = ("kind", "title", "date", "text")
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 12}),
        }
        help_texts = {
            "text": TEXT_HELP,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Choose a kind")), *Kind.choices]
        if not self.instance.pk:
            self.fields["date"].initial = timezone.localdate
        if not (self.instance.pk and self.instance.attachment):
            del self.fields["remove_attachment"]


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment to the group"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Tell the group what to change before the entry can be published."),
        max_length=5000,
    )


class InviteMemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    group = forms.ModelChoiceField(
        label=_("Idea group"), queryset=IdeaGroup.objects.all(), empty_label=_("Choose a group")
    )
    actor = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=collaboration_selectors.actors(),
        empty_label=_("Choose an organisation"),
        help_text=_("The actor the person comes from."),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER
    )
