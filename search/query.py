"""Finding documents: PostgreSQL full-text and trigram search, or whole words on SQLite.

Every search is one SQL statement over ``search.SearchDocument`` (plus one COUNT when a single
type is paged): matching, visibility (each source's ``published()`` queryset, see
search/registry.py), the municipality filter, ranking and, for the overview, the best few hits
and the number of hits of every type (window functions).

* PostgreSQL: ``search_vector @@ websearch_to_tsquery('swedish', q)`` on the stored,
  GIN-indexed vector (title A, summary B, body C), or ``keywords %> q`` (pg_trgm word
  similarity at or above ``pg_trgm.word_similarity_threshold``, 0.6 by default, served by the
  GIN trigram index) to forgive typos. Score: ``ts_rank`` plus the word similarity.
* SQLite: every word of the query must be a whole word of the title, summary or body (their
  stored normalised words, Swedish variants included), case-insensitively. Score: 1.0 per
  word found in the title, 0.4 in the summary, 0.2 in the body (PostgreSQL's default
  weights for A, B and C).
"""

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Case, Count, F, FloatField, Q, Value, When, Window
from django.db.models.functions import RowNumber

from . import text
from .models import SearchDocument

MAX_LENGTH = 200
MAX_WORDS = 10
SHOWN_FIELDS = ("source", "object_id", "title", "summary", "body", "url", "is_demo")
SQLITE_WEIGHTS = (("words_a", 1.0), ("words_b", 0.4), ("words_c", 0.2))


@dataclass
class Query:
    """What the visitor typed, made safe to search with."""

    text: str = ""
    words: list[str] = field(default_factory=list)
    truncated: bool = False

    @classmethod
    def parse(cls, raw: str | None) -> "Query":
        value = " ".join(text.CONTROL.sub(" ", raw or "").split())
        truncated = len(value) > MAX_LENGTH
        value = value[:MAX_LENGTH]
        return cls(text=value, words=text.words(value)[:MAX_WORDS], truncated=truncated)

    def __bool__(self) -> bool:
        return bool(self.words)


def visible(sources, municipality=None) -> Q | None:
    """Documents of these sources whose objects the public may see (in this municipality)."""
    condition = None
    for source in sources:
        rows = source.published_queryset()
        if municipality is not None:
            if not source.municipalities:
                continue
            in_municipality = Q()
            for lookup in source.municipalities:
                in_municipality |= Q(**{lookup: municipality})
            rows = rows.filter(in_municipality)
        part = Q(source=source.key, object_id__in=rows.values("pk"))
        condition = part if condition is None else condition | part
    return condition


def _postgresql(documents, query: Query):
    tsquery = SearchQuery(query.text, config="swedish", search_type="websearch")
    match = Q(search_vector=tsquery)
    if len(query.text) >= 3:
        match |= Q(keywords__trigram_word_similar=query.text)
    return documents.filter(match).annotate(
        score=SearchRank(F("search_vector"), tsquery)
        + TrigramWordSimilarity(Value(query.text), "keywords")
    )


def _sqlite(documents, query: Query):
    score = Value(0.0)
    for word in query.words:
        padded = f" {word} "
        found = Q()
        for column, weight in SQLITE_WEIGHTS:
            found |= Q(**{f"{column}__contains": padded})
            score = score + Case(
                When(**{f"{column}__contains": padded}, then=Value(weight)),
                default=Value(0.0),
                output_field=FloatField(),
            )
        documents = documents.filter(found)
    return documents.annotate(score=score)


def matching(query: Query, *, sources, municipality=None, using=DEFAULT_DB_ALIAS):
    """Visible documents answering the query, best first, with a `score` annotation."""
    condition = visible(sources, municipality) if query else None
    if condition is None:
        return SearchDocument.objects.using(using).none()
    documents = SearchDocument.objects.using(using).filter(condition).only(*SHOWN_FIELDS)
    if connections[using].vendor == "postgresql":
        documents = _postgresql(documents, query)
    else:
        documents = _sqlite(documents, query)
    return documents.order_by(F("score").desc(), "source", "object_id")


def best_of_each(query: Query, *, sources, municipality=None, per_type=5, using=DEFAULT_DB_ALIAS):
    """The best `per_type` documents of every source, each with `type_total`, the number of
    documents of its source that answer the query: one SQL statement."""
    documents = matching(query, sources=sources, municipality=municipality, using=using)
    return (
        documents.annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("source")],
                order_by=[F("score").desc(), F("object_id").asc()],
            ),
            type_total=Window(Count("pk"), partition_by=[F("source")]),
        )
        .filter(position__lte=per_type)
        .order_by("source", "position")
    )
