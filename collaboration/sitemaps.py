from sodertorn.sitemaps import PublicSitemap, StaticPagesSitemap

from .models import Actor


class CollaborationPages(StaticPagesSitemap):
    names = ("collaboration:actors", "collaboration:group")


class ActorSitemap(PublicSitemap):
    changefreq = "monthly"

    def items(self):
        return Actor.objects.only("slug").order_by("name")


sitemaps = {"collaboration-pages": CollaborationPages, "actors": ActorSitemap}
