from sodertorn.sitemaps import PublicSitemap, StaticPagesSitemap

from .models import Film, Result


class ResultPages(StaticPagesSitemap):
    names = ("results:list", "films:list")


class ResultSitemap(PublicSitemap):
    def items(self):
        return Result.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class FilmSitemap(PublicSitemap):
    def items(self):
        return Film.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


sitemaps = {"result-pages": ResultPages, "results": ResultSitemap, "films": FilmSitemap}
