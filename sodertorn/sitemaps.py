"""/sitemap.xml for every public page, in Swedish and English.

Each installed app may have a `sitemaps` module with a dict `sitemaps = {"name": SitemapClass}`;
they are collected here, so a new app joins the sitemap without editing this file.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.contrib import sitemaps as django_sitemaps
from django.urls import reverse


class PublicSitemap(django_sitemaps.Sitemap):
    """Both languages, with hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True


class StaticPagesSitemap(PublicSitemap):
    """Named list pages: set `names` to URL names."""

    names: tuple[str, ...] = ()
    changefreq = "weekly"

    def items(self):
        return list(self.names)

    def location(self, item):
        return reverse(item)


def collect() -> dict:
    found = {}
    for config in apps.get_app_configs():
        module = f"{config.name}.sitemaps"
        if config.name != "sodertorn" and find_spec(module) is not None:
            found.update(import_module(module).sitemaps)
    return found
