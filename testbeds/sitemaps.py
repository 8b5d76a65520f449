from sodertorn.sitemaps import PublicSitemap, StaticPagesSitemap

from .models import Municipality, Testbed


class TestbedPages(StaticPagesSitemap):
    names = ("testbeds:home", "testbeds:list", "testbeds:municipalities")


class TestbedSitemap(PublicSitemap):
    changefreq = "monthly"

    def items(self):
        return Testbed.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class MunicipalitySitemap(PublicSitemap):
    def items(self):
        return Municipality.objects.only("slug").order_by("pk")


sitemaps = {
    "pages": TestbedPages,
    "testbeds": TestbedSitemap,
    "municipalities": MunicipalitySitemap,
}
