"""The audit app is a project app (sodertorn/hooks.py); it registers no hooks. Its models
never show on public pages, so they stay out of the page cache (sodertorn/cache.py)."""
