"""Demo data hook (called by load_demo after the content apps' hooks, as `search` comes after
them in INSTALLED_APPS): fixtures are loaded raw, without index updates, so rebuild."""

from .index import paused, rebuild

# load_demo runs this after every content hook and the English texts (fixtures/english/).
AFTER_CONTENT = True


def loading():
    """Around the whole load: no index update per saved row (more than half of load_demo's
    time went to indexing rows one by one), as the index is rebuilt once at the end."""
    return paused()


def load(*, database, stdout, style, debug):
    counts = rebuild(using=database)
    stdout.write(f"Search index: {sum(counts.values())} documents.")
