from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from collaboration import selectors as collaboration_selectors
from ideagroups import selectors as ideagroups_selectors

from . import selectors, services
from .forms import MyCompetencesForm, PickForm


class CompetenceIndexView(TemplateView):
    """Pick competences (GET form) and find both sides: testbeds that need them, actors and
    idea groups that have them."""

    template_name = "competences/index.html"
    form_class = PickForm  # a GET form (tests/test_fuzz.py fuzzes the fields it names)
    # Vinnova 2013-01747 "På gränsen": the sister project whose goal was a municipal "dating
    # site for competences", which this page implements (seed 003). Credited when on record.
    ORIGIN_REFERENCE = "2013-01747"

    def get_context_data(self, **kwargs):
        form = self.form_class(self.request.GET if "competence" in self.request.GET else None)
        picks = form.picks()
        return super().get_context_data(
            form=form,
            form_errors=form.errors.get("competence", []) if form.is_bound else [],
            finding=selectors.find(picks) if picks else None,
            origin=collaboration_selectors.grant_by_reference(self.ORIGIN_REFERENCE),
            **kwargs,
        )


class MyCompetencesView(LoginRequiredMixin, FormView):
    """A member declares their own competences. There is no user in the URL: whoever is
    logged in edits only their own."""

    template_name = "competences/my_competences.html"
    form_class = MyCompetencesForm

    def get_initial(self):
        return {"competences": list(self.request.user.competences.all())}

    def get_context_data(self, **kwargs):
        groups = ideagroups_selectors.public_groups_of(self.request.user)
        return super().get_context_data(idea_groups=groups, **kwargs)

    def form_valid(self, form):
        services.set_member_competences(
            user=self.request.user, competences=form.cleaned_data["competences"]
        )
        messages.success(self.request, _("Your competences were saved."))
        return redirect("competences:mine")
