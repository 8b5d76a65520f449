from sodertorn.sitemaps import PublicSitemap, StaticPagesSitemap

from .models import Area, Indicator


class IndicatorPages(StaticPagesSitemap):
    names = (
        "indicators:indicator_list",
        "indicators:area_list",
        "indicators:analysis",
        "indicators:goal_list",
    )


class IndicatorSitemap(PublicSitemap):
    def items(self):
        return Indicator.objects.only("code").order_by("pk")


class AreaSitemap(PublicSitemap):
    def items(self):
        # the address is the area's code: its own, or its programme municipality's
        return (
            Area.objects.select_related("municipality")
            .only("own_code", "municipality__code")
            .order_by("pk")
        )


sitemaps = {
    "indicator-pages": IndicatorPages,
    "indicators": IndicatorSitemap,
    "areas": AreaSitemap,
}
