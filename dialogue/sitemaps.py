from sodertorn.sitemaps import PublicSitemap, StaticPagesSitemap

from .models import DialogueRound


class DialoguePages(StaticPagesSitemap):
    names = ("dialogue:list",)


class RoundSitemap(PublicSitemap):
    def items(self):
        return DialogueRound.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


sitemaps = {"dialogue-pages": DialoguePages, "dialogue-rounds": RoundSitemap}
