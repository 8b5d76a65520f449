"""The kernel's publishing rule (sodertorn.publishing): one rule, followed down the chain
testbed -> result -> film, and one publish write for every publishable model."""

from types import SimpleNamespace

import pytest

from audit.models import AuditEntry
from results.models import Film, Result
from results.tests.test_results import make_film, make_result
from sodertorn.publishing import PublishableQuerySet, set_published
from sodertorn.tests.factories import UserFactory
from testbeds.models import Testbed
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory

pytestmark = pytest.mark.django_db

ANONYMOUS = SimpleNamespace(is_authenticated=False, is_staff=False)


def test_visible_to_is_written_once():
    for model in (Testbed, Result, Film):
        queryset = type(model.objects.all())
        assert issubclass(queryset, PublishableQuerySet)
        assert queryset.visible_to is PublishableQuerySet.visible_to
        assert queryset.published is PublishableQuerySet.published


def test_each_rule_is_built_from_its_parents():
    public, hidden = TestbedFactory(published=True), TestbedFactory(published=False)
    on_public, on_hidden = make_result(public, 1), make_result(hidden, 2)
    draft = make_result(public, 3, published=False)
    films = {
        "testbed only": make_film(1, testbed=public),
        "hidden testbed": make_film(2, testbed=hidden),
        "result only": make_film(3, result=on_public),
        "result of a hidden testbed": make_film(4, result=on_hidden),
        "unpublished result": make_film(5, result=draft),
        "both public": make_film(6, testbed=public, result=on_public),
    }
    assert set(Result.objects.published()) == {on_public}
    assert set(Film.objects.published()) == {
        films["testbed only"],
        films["result only"],
        films["both public"],
    }
    # The same rule through a relation: films whose result is public.
    through = Film.objects.filter(Result.objects.published_q("result__"))
    assert set(through) == {films["result only"], films["both public"]}
    staff = UserFactory(is_staff=True)
    assert Film.objects.visible_to(staff).count() == len(films)
    assert Film.objects.visible_to(ANONYMOUS).count() == 3


def test_set_published_takes_objects_of_any_model_and_records_who():
    curator = UserFactory(is_staff=True)
    testbed = TestbedFactory(published=True, municipalities=[MunicipalityFactory()])
    results = [make_result(testbed, n, published=False) for n in range(3)]
    assert set_published(results[:2], True, by=curator) == 2
    assert set_published(results[:2], True, by=curator) == 0  # already published
    assert set(Result.objects.published()) == set(results[:2])
    entries = AuditEntry.objects.filter(action="publish", content_type__model="result")
    assert entries.count() == 2
    assert {entry.user for entry in entries} == {curator}
    latest = results[0].history.first()
    assert latest.published is True
    assert latest.history_user == curator
    assert set_published([], True, by=curator) == 0
