from sodertorn.sitemaps import PublicSitemap, StaticPagesSitemap

from .selectors import public_rounds


class DialoguePages(StaticPagesSitemap):
    names = ("dialogue:list",)


class RoundSitemap(PublicSitemap):
    def items(self):
        return public_rounds().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


sitemaps = {"dialogue-pages": DialoguePages, "dialogue-rounds": RoundSitemap}
