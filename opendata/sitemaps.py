from sodertorn.sitemaps import StaticPagesSitemap


class OpenDataPages(StaticPagesSitemap):
    names = ("opendata:data",)
    changefreq = "monthly"


sitemaps = {"open-data": OpenDataPages}
