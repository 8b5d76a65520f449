from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """The searchable text of one object of a registered model (see search/registry.py).

    ``title``, ``summary`` and ``body`` are plain text as shown in results; ``keywords`` is
    the line typos are forgiven against. ``words_a``/``words_b``/``words_c`` hold the
    normalised words of title, summary and body with their Swedish variants (search/text.py),
    each surrounded by spaces: SQLite matches whole words in them, and on PostgreSQL
    ``search_vector`` is computed from them when the document is written:
    ``setweight(to_tsvector('swedish', words_a), 'A') || … 'B' || … 'C'``.

    Each object has one document per site language (``language``: "sv", "en"), its text read
    with that language active (search/index.py ``document_fields``): a translated field gives
    its English text in the English document, or its Swedish fallback where it has none. A
    search reads the documents of the page's language only; on PostgreSQL each document's
    vector is made with its language's configuration (``swedish``, ``english``).

    PostgreSQL-only indexes live outside the model state (migration 0001 creates them only on
    PostgreSQL, next to the pg_trgm extension): a GIN index on ``search_vector`` and a GIN
    trigram index on ``keywords``. On SQLite ``search_vector`` is an unused, empty column.
    """

    # Derived from the content it indexes: every write of it comes with a change of that
    # content (which sets the page cache's versions) or with a rebuild after bulk writes
    # (whose writer sets them); the search page itself is never page-cached. Without a page
    # cache receiver its rows are deleted in one statement, not fetched and signalled one by
    # one (a rebuild at 5,000 testbeds deleted 10,000 documents that way).
    page_cache_exempt = True

    source = models.CharField(_("type"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("object id"))
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=8, default="sv")
    # The language the title is shown in: an English document of an item without English
    # has its Swedish title (marked lang="sv" on the results page); "" before a re-index.
    title_language = models.CharField(_("language of the title"), max_length=8, blank=True)
    url = models.CharField(_("address"), max_length=500)
    is_demo = models.BooleanField(_("example content"), default=False)
    words_a = models.TextField(blank=True)
    words_b = models.TextField(blank=True)
    words_c = models.TextField(blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        ordering = ["source", "object_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "object_id", "language"], name="search_document_unique"
            ),
            models.CheckConstraint(condition=~Q(source=""), name="search_document_has_source"),
        ]

    def __str__(self):
        return f"{self.source}:{self.object_id}:{self.language} {self.title}"

    def get_absolute_url(self):
        return self.url


class SearchWord(models.Model):
    """One word of the indexed text (search/vocabulary.py): what a query word is checked
    against to forgive typos, complete prefixes and suggest "did you mean".

    ``word`` is a stored normalised word (search/text.py: the words of the documents and of
    their keyword lines, Swedish variants included); ``folded`` is the same word without
    diacritics (``tyresö`` → ``tyreso``). Words are added as documents are written and
    removed only by a rebuild, so a few may be stale: nothing is shown because of a word
    alone, only the hits the search finds with it.

    Outside the model state (migration 0002, one per database, like the indexes of
    SearchDocument): on PostgreSQL a GIN trigram index on ``folded``; on SQLite an FTS5 table
    ``search_searchword_trigrams`` with the trigram tokenizer over ``folded`` (external
    content, kept in step by three triggers). A migration that makes Django rebuild this table
    on SQLite (most ALTERs) drops the triggers with the old table: recreate them after it.
    """

    page_cache_exempt = True  # derived rows, as SearchDocument's (see there)

    word = models.CharField(_("word"), max_length=40, unique=True)
    folded = models.CharField(_("without diacritics"), max_length=40, db_index=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        ordering = ["word"]

    def __str__(self):
        return self.word
