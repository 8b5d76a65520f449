"""Finding documents: PostgreSQL full-text and trigram search, or whole words on SQLite.

Every search is one SQL statement over ``search.SearchDocument`` (plus one COUNT when a single
type is paged): matching, visibility (each source's ``published()`` queryset, see
search/registry.py), the municipality filter, ranking and, for the overview, the best few hits
and the number of hits of every type (window functions).

The query is read once (``Query.parse``) the way PostgreSQL's ``websearch_to_tsquery`` reads
it: words that must all be there, ``-word`` for words that must not, ``or`` between
alternatives (quoted phrases count as their words).

* PostgreSQL: ``search_vector @@ tsquery`` on the stored, GIN-indexed vector (title A,
  summary B, body C), where the tsquery is built from the parsed words, each OR-ed with its
  Swedish variants (search/text.py) and stemmed with the ``swedish`` configuration; or, to
  forgive typos, every wanted word ``%>`` the keyword line (pg_trgm word similarity at or
  above ``pg_trgm.word_similarity_threshold``, 0.6 by default, served by the GIN trigram
  index). Score: ``ts_rank`` plus the word similarity of the query to the keyword line.
* SQLite: every word of the query must be a whole word of the title, summary or body (their
  stored normalised words, Swedish variants included), case-insensitively; ``or`` and
  ``-word`` work as in PostgreSQL's web search syntax. Score: 1.0 per
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
    """What the visitor typed, made safe to search with.

    ``clauses`` reads the query the way PostgreSQL's ``websearch_to_tsquery`` does, for the
    SQLite search: alternatives separated by ``or``, each a list of words that must all be
    there and words written with a leading ``-`` that must not. ``words`` are the wanted
    words (for highlighting); a query without any is not searched.
    """

    text: str = ""
    words: list[str] = field(default_factory=list)
    clauses: list[tuple[list[str], list[str]]] = field(default_factory=list)
    truncated: bool = False

    @classmethod
    def parse(cls, raw: str | None) -> "Query":
        value = " ".join(text.CONTROL.sub(" ", raw or "").split())
        truncated = len(value) > MAX_LENGTH
        value = value[:MAX_LENGTH]
        clauses: list[tuple[list[str], list[str]]] = [([], [])]
        count = 0
        for token in value.split():
            if token.lower() == "or":
                clauses.append(([], []))
                continue
            wanted, unwanted = clauses[-1]
            for word in text.words(token):
                if count < MAX_WORDS:
                    (unwanted if token.startswith("-") else wanted).append(word)
                    count += 1
        clauses = [clause for clause in clauses if clause[0]]
        words = list(dict.fromkeys(word for wanted, _unwanted in clauses for word in wanted))
        return cls(text=value, words=words, clauses=clauses, truncated=truncated)

    def __bool__(self) -> bool:
        return bool(self.words)

    @property
    def only_excluded(self) -> bool:
        """Only words to leave out (``-word``): nothing to look for."""
        return not self.words and any(
            token.startswith("-") and text.words(token) for token in self.text.split()
        )


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


def _forms(word: str) -> SearchQuery:
    """A word or any of its Swedish variants, each stemmed by PostgreSQL."""
    found = SearchQuery(word, config="swedish", search_type="plain")
    for variant in sorted(text.variants(word)):
        found = found | SearchQuery(variant, config="swedish", search_type="plain")
    return found


def _not_forms(word: str) -> SearchQuery:
    found = ~SearchQuery(word, config="swedish", search_type="plain")
    for variant in sorted(text.variants(word)):
        found = found & ~SearchQuery(variant, config="swedish", search_type="plain")
    return found


def _postgresql(documents, query: Query):
    tsquery, similar = None, Q(pk__in=[])
    for wanted, unwanted in query.clauses:
        clause = None
        for part in [_forms(word) for word in wanted] + [_not_forms(word) for word in unwanted]:
            clause = part if clause is None else clause & part
        tsquery = clause if tsquery is None else tsquery | clause
        # Typos: every (long enough) wanted word is close to a word of the keyword line.
        close = [Q(keywords__trigram_word_similar=word) for word in wanted if len(word) >= 3]
        if close:
            all_close = Q()
            for condition in close:
                all_close &= condition
            for word in unwanted:
                all_close &= ~Q(search_vector=_forms(word))
            similar |= all_close
    return documents.filter(Q(search_vector=tsquery) | similar).annotate(
        score=SearchRank(F("search_vector"), tsquery)
        + TrigramWordSimilarity(Value(" ".join(query.words)), "keywords")
    )


def _has_word(word: str) -> Q:
    padded = f" {word} "
    return Q(words_a__contains=padded) | Q(words_b__contains=padded) | Q(words_c__contains=padded)


def _sqlite(documents, query: Query):
    match = Q(pk__in=[])
    for wanted, unwanted in query.clauses:
        clause = Q()
        for word in wanted:
            clause &= _has_word(word)
        for word in unwanted:
            clause &= ~_has_word(word)
        match |= clause
    score = Value(0.0)
    for word in query.words:
        for column, weight in SQLITE_WEIGHTS:
            score = score + Case(
                When(**{f"{column}__contains": f" {word} "}, then=Value(weight)),
                default=Value(0.0),
                output_field=FloatField(),
            )
    return documents.filter(match).annotate(score=score)


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
