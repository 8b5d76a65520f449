"""Demo data hook (called by load_demo after the content apps' hooks, as `search` comes after
them in INSTALLED_APPS): fixtures are loaded raw, without index updates, so rebuild."""

from .index import rebuild

# load_demo runs this after every content hook and the English texts (fixtures/english/).
AFTER_CONTENT = True


def load(*, database, stdout, style, debug):
    counts = rebuild(using=database)
    stdout.write(f"Search index: {sum(counts.values())} documents.")
