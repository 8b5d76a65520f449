"""The about app's plug-ins (sodertorn/hooks.py). Its pages are linked from every page's
footer (templates/base.html), not from the main menu, so it registers no hook: this module
makes it a project app (its models in the page cache, its roles, admin and sitemap found)."""
