from sodertorn.sitemaps import PublicSitemap, StaticPagesSitemap

from .models import IdeaGroup, WorkEntry


class IdeaGroupPages(StaticPagesSitemap):
    names = ("ideagroups:list",)


class IdeaGroupSitemap(PublicSitemap):
    changefreq = "weekly"

    def items(self):
        return IdeaGroup.objects.public().only("slug").order_by("name")


class WorkEntrySitemap(PublicSitemap):
    changefreq = "monthly"

    def items(self):
        return (
            WorkEntry.objects.published()
            .select_related("group")
            .only("pk", "group__slug", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, entry):
        return entry.updated_at


sitemaps = {
    "ideagroup-pages": IdeaGroupPages,
    "ideagroups": IdeaGroupSitemap,
    "work": WorkEntrySitemap,
}
