import django_filters
from django import forms
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .models import Actor, Sector


class ActorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    sector = django_filters.ChoiceFilter(
        label=_("Sector"),
        choices=Sector.choices,
        empty_label=_("All sectors"),
        error_messages={"invalid_choice": _("Unknown sector: choose one from the list.")},
    )

    class Meta:
        model = Actor
        fields = ["q", "sector"]

    def filter_text(self, queryset, name, value):
        queryset = queryset.alias(_name=Lower("name"), _description=Lower("description"))
        for word in value.lower().split()[:10]:
            queryset = queryset.filter(Q(_name__contains=word) | Q(_description__contains=word))
        return queryset
