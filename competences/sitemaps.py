from sodertorn.sitemaps import StaticPagesSitemap


class CompetencePages(StaticPagesSitemap):
    names = ("competences:index",)


sitemaps = {"competences": CompetencePages}
