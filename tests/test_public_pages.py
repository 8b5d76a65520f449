"""Every public page found in the URLconf answers 200 in Swedish and English with the demo data."""

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.urls import path
from django.views.generic import DetailView, ListView, TemplateView, View

from testbeds.models import Municipality, Testbed, Theme

from . import public_pages
from .public_pages import UnfilledPatternError, discover_patterns, filled_patterns

PATTERNS = discover_patterns()
PAGES = [p for p in PATTERNS if p.page]


demo_media, _media_root, demo_db, demo = public_pages.demo_fixtures()


def test_discovery_finds_the_catalogue_and_leaves_out_admin_and_i18n():
    names = {p.name for p in PATTERNS}
    assert {
        "testbeds:home",
        "testbeds:list",
        "testbeds:detail",
        "testbeds:municipalities",
        "testbeds:municipality",
        "testbeds:geojson",
    } <= names
    assert not [p for p in PATTERNS if p.route.startswith(("admin/", "i18n/"))]
    assert {p.name for p in PATTERNS if not p.html} >= {"testbeds:geojson"}


def test_the_lists_in_public_pages_name_only_routed_patterns():
    names = {p.name for p in PATTERNS}
    configured = {
        *public_pages.NOT_PAGES,
        *public_pages.KWARGS_REGISTRY,
        *public_pages.NON_HTML,
    }
    assert configured - names == set(), "stale names in tests/public_pages.py"


def test_every_public_pattern_with_kwargs_is_filled_from_the_demo_data(demo):
    # Raises UnfilledPatternError naming every public pattern the demo data cannot fill.
    filled = {p.name: kwargs for p, kwargs in filled_patterns()}
    assert Testbed.objects.published().filter(slug=filled["testbeds:detail"]["slug"]).exists()
    assert Municipality.objects.filter(slug=filled["testbeds:municipality"]["slug"]).exists()


def test_every_page_of_the_browser_sweep_has_filled_kwargs(demo):
    """Every page the browser sweep is parametrised over has a path from the demo data (none
    silently skipped; tests/browser/test_public_page_sweep.py)."""
    filled = {
        (pattern.name, language)
        for pattern, _kwargs in public_pages.filled_patterns()
        for language in pattern.languages()
    }
    assert {(p.values[0].name, p.values[1]) for p in public_pages.page_params()} <= filled


def test_pages_come_in_swedish_and_english(demo):
    pages = public_pages.public_pages()
    paths = [p for _name, p in pages]
    assert "/" in paths and "/en/" in paths
    assert len([p for p in paths if p.startswith("/en/")]) * 2 == len(paths)
    assert not [p for p in paths if p.endswith(".geojson")]
    assert "/testbaddar.geojson" in [p for _n, p in public_pages.public_pages(html=False)]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("pattern", PAGES, ids=lambda p: p.name)
def test_public_page_answers_200(client, demo, pattern, language):
    if language not in pattern.languages():
        pytest.skip(f"{pattern.name} is language-neutral")
    url = pattern.reverse(pattern.fill(), language)
    response = client.get(url)
    assert response.status_code == 200, f"{pattern.name} {url}: {response.status_code}"
    content_type = response["Content-Type"]
    if pattern.html:
        assert content_type.startswith("text/html"), f"{url}: {content_type}"
        assert f'<html lang="{language}">' in response.text
    else:
        assert not content_type.startswith("text/html"), (
            f"{pattern.name} ({url}) answers HTML: put it inside i18n_patterns, or list it in "
            "NON_HTML in tests/public_pages.py if that is wrong"
        )


# --- the discovery itself, on a test-only URLconf (this module) -------------------------------


def function_view(request, slug):
    return HttpResponse(slug)


class LoginOnlyView(LoginRequiredMixin, TemplateView):
    template_name = "base.html"


class DataView(View):
    def get(self, request):
        return HttpResponse("{}", content_type="application/json")


class PostOnlyView(View):
    def post(self, request):
        return HttpResponse("ok")


class ThemeTestbedsView(ListView):
    def get_queryset(self):
        return Testbed.objects.filter(themes__slug=self.kwargs["theme"])


class MunicipalityByCodeView(DetailView):
    model = Municipality
    slug_field = "code"
    slug_url_kwarg = "code"


class ThemeByPkView(DetailView):
    model = Theme


urlpatterns = [path("extra.json", DataView.as_view(), name="endpoint")] + i18n_patterns(
    path("open/", TemplateView.as_view(template_name="base.html"), name="open"),
    path("staff/", staff_member_required(TemplateView.as_view()), name="staff"),
    path("members/", LoginOnlyView.as_view(), name="members"),
    path("send/", PostOnlyView.as_view(), name="send"),
    path("data.geojson", DataView.as_view(), name="data"),
    path("by-code/<str:code>/", MunicipalityByCodeView.as_view(), name="by-code"),
    path("fn/<slug:slug>/", function_view, name="fn"),
    path("themes/<slug:theme>/", ThemeTestbedsView.as_view(), name="theme-testbeds"),
    path("theme/<int:pk>/", ThemeByPkView.as_view(), name="theme"),
    prefix_default_language=False,
)
URLCONF = __name__


def test_discovery_skips_staff_only_and_post_only_views():
    found = {p.name: p for p in discover_patterns(URLCONF)}
    assert set(found) == {"endpoint", "open", "data", "by-code", "fn", "theme-testbeds", "theme"}
    assert found["open"].html and found["open"].localized
    assert not found["data"].html
    assert not found["endpoint"].html and not found["endpoint"].localized
    assert found["endpoint"].languages() == ["sv"]
    assert found["fn"].kwarg_names == ("slug",)


class WithUnnamedPattern:
    urlpatterns = [*urlpatterns, path("anonymous/", DataView.as_view())]


def test_unnamed_public_pattern_fails_loudly():
    with pytest.raises(UnfilledPatternError, match="anonymous/"):
        discover_patterns(WithUnnamedPattern)


def test_kwargs_come_from_the_views_queryset(demo):
    found = {p.name: p for p in discover_patterns(URLCONF)}
    assert found["by-code"].fill() == {"code": Municipality.objects.first().code}
    assert found["theme"].fill() == {"pk": Theme.objects.first().pk}


def test_unfillable_patterns_are_named_in_one_failure(demo):
    Theme.objects.all().delete()
    with pytest.raises(UnfilledPatternError) as failure:
        filled_patterns(URLCONF)
    message = str(failure.value)
    assert "fn (fn/<slug:slug>/): the view has no model or get_queryset" in message
    assert "theme-testbeds (themes/<slug:theme>/): ThemeTestbedsView.get_queryset() failed" in (
        message
    )
    assert "theme (theme/<int:pk>/): ThemeByPkView's queryset (Theme) has no public object" in (
        message
    )
    assert "by-code" not in message


def test_registry_fills_what_cannot_be_introspected(demo, monkeypatch):
    monkeypatch.setitem(public_pages.KWARGS_REGISTRY, "fn", lambda: {"slug": "any-slug"})
    found = {p.name: p for p in discover_patterns(URLCONF)}
    assert found["fn"].fill() == {"slug": "any-slug"}
    monkeypatch.setitem(public_pages.KWARGS_REGISTRY, "fn", lambda: {})
    with pytest.raises(UnfilledPatternError, match=r"fn \(fn/<slug:slug>/\): no value"):
        found["fn"].fill()
