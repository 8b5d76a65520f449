from django.conf import settings
from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader


def test_production_templates_use_the_cached_loader():
    """Templates are compiled once per process: no setting turns Django's cached loader off
    (it is the default when TEMPLATES names no loaders and no debug option)."""
    options = settings.TEMPLATES[0].get("OPTIONS", {})
    assert "loaders" not in options and "debug" not in options
    loaders = engines["django"].engine.template_loaders
    assert [type(loader) for loader in loaders] == [CachedLoader]
