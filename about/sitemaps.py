from sodertorn.sitemaps import StaticPagesSitemap


class AboutSitemap(StaticPagesSitemap):
    names = ("about:programme", "about:accessibility", "about:privacy")
    changefreq = "monthly"


sitemaps = {"about": AboutSitemap}
