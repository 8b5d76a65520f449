"""Finding documents: PostgreSQL full-text and trigram search, or whole words on SQLite.

A search costs two SQL statements over ``search.SearchDocument``, whatever the number of
hits (three for a page of one type that starts within the ranked few and ends after them).

1. ``_ranked``: matching, visibility (each source's ``published()`` queryset, its SQL
   compiled once per process; see search/registry.py), the municipality filter and a cheap
   *pre-rank* for every hit; it returns only the first ``RANKED`` hits of every type by
   pre-rank and the number of hits of every type (window functions over narrow rows). On
   PostgreSQL it reads every candidate's type, object, language and vector, which come
   before the wide texts in the table's rows (migration 0005).
2. The shown documents, read by primary key, with the full *score* for the ranked few.

Hits are shown in this order: the ranked few of their type by score, then the others by
pre-rank. So a common word (thousands of hits) costs little more than a rare one: the
costly parts of the score are computed for at most ``RANKED`` documents of each type, and
no row wider than a few numbers is sorted. The overview (``best_of_each``) shows the first
few of every type, the same hits in the same order as the first page of that type
(``Hits``).

The query is read once (``Query.parse``) the way PostgreSQL's ``websearch_to_tsquery`` reads
it: words that must all be there, ``-word`` for words that must not, ``or`` between
alternatives (quoted phrases count as their words).

* PostgreSQL: ``search_vector @@ tsquery`` on the stored, GIN-indexed vector (title A,
  summary B, body C), where the tsquery is built from the parsed words, each OR-ed with its
  Swedish variants (search/text.py) and stemmed with the ``swedish`` configuration; or, to
  forgive typos, every wanted word ``%>`` the keyword line (pg_trgm word similarity at or
  above ``pg_trgm.word_similarity_threshold``, 0.6 by default, served by the GIN trigram
  index). Score: ``ts_rank`` plus the word similarity of the query to the keyword line.
  Pre-rank: the sum of each wanted word's own ``ts_rank`` (a word and its variants; linear
  in the number of words, where ``ts_rank`` of the whole query grows with its square),
  and ``TYPO_PRE_RANK`` for hits found through the keyword line alone; the trigram
  similarity, the costliest part of the score, is computed for the ranked few only.
* SQLite: every word of the query must be a whole word of the title, summary or body (their
  stored normalised words, Swedish variants included), case-insensitively; ``or`` and
  ``-word`` work as in PostgreSQL's web search syntax. Score: 1.0 per
  word found in the title, 0.4 in the summary, 0.2 in the body (PostgreSQL's default
  weights for A, B and C). The score is cheap, so it is the pre-rank too.

Each search reads the documents of one language (``Query.language``, the page's: /en/sok/
searches the English documents, built from English text or its Swedish fallback; see
search/index.py), and on PostgreSQL stems the query with that language's configuration
(``swedish``, ``english``; the Swedish variants below in both, since English documents hold
the Swedish text of what has no English). The vocabulary of
indexed words is shared by the languages (a word is a word), so typo corrections may offer a
word of the other language's documents; the search then simply finds less.

Before either, on both databases alike, the query's words are looked up among the indexed
words (``resolve``: one statement of index look-ups, whatever the words; search/vocabulary.py):
a word that only begins indexed words ("Flemings") matches the words it begins (SQLite: a
stored word starting with it; PostgreSQL: a prefix tsquery ``flemings:*``), and a word found
nowhere is searched together with its nearest indexed words (``Query.corrections``:
"Flemingsbrg" → "flemingsberg"; one more statement per such word). Known words are searched
as before. Then, when a word was corrected or there are at most ``FEW_HITS`` hits, ``suggest``
offers the query respelled with the nearest words ("Did you mean"), if that finds more (one
statement to count them, and one per word to find its near words).
"""

import functools
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Case, Count, F, FloatField, Q, Value, When, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate, RowNumber

from . import text, vocabulary
from .index import config, search_language
from .models import SearchDocument

MAX_LENGTH = 200
MAX_WORDS = 10
SHOWN_FIELDS = (
    "source",
    "object_id",
    "title",
    "title_language",
    "summary",
    "body",
    "url",
    "is_demo",
)
SQLITE_WEIGHTS = (("words_a", 1.0), ("words_b", 0.4), ("words_c", 0.2))
# Hits of each type that get the full score (by pre-rank); the rest are shown by pre-rank.
RANKED = 50
# Pre-rank of a hit found only through its keyword line (a typo): its word similarity is at
# least pg_trgm's default word_similarity_threshold, as the %> operator found it.
TYPO_PRE_RANK = 0.6
# At most this many hits (and no corrected word): look for a near spelling with more hits.
FEW_HITS = 2


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
    # Set by resolve(): wanted words that only begin indexed words, and {word: nearest
    # indexed words} for wanted words found nowhere (search/vocabulary.py).
    prefixes: set[str] = field(default_factory=set)
    corrections: dict[str, list[str]] = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)  # found nowhere, corrected or not
    resolved: bool = False
    # The documents searched: those of this language (search/index.py search_language).
    language: str = "sv"

    @classmethod
    def parse(cls, raw: str | None, language: str | None = None) -> "Query":
        """Read ``raw`` as a query over the documents of ``language`` (default: the active
        language's)."""
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
        return cls(
            text=value,
            words=words,
            clauses=clauses,
            truncated=truncated,
            language=search_language(language),
        )

    def __bool__(self) -> bool:
        return bool(self.words)

    @property
    def marked(self) -> list[str]:
        """The words to highlight in the hits: the wanted ones and their corrections."""
        extra = [c for word in self.words for c in self.corrections.get(word, [])]
        return list(dict.fromkeys(self.words + extra))

    @property
    def only_excluded(self) -> bool:
        """Only words to leave out (``-word``): nothing to look for."""
        return not self.words and any(
            token.startswith("-") and text.words(token) for token in self.text.split()
        )


def resolve(query: Query, using: str = DEFAULT_DB_ALIAS) -> Query:
    """Look the query's words up among the indexed words (once): set ``prefixes``,
    ``unknown`` and ``corrections``. One statement, and one more per word found nowhere."""
    if query.resolved or not query:
        return query
    for word, kind in vocabulary.classify(query.words, using).items():
        if kind == vocabulary.PREFIX:
            query.prefixes.add(word)
        elif kind == vocabulary.UNKNOWN:
            query.unknown.add(word)
            found = vocabulary.near(word, using) if vocabulary.allowed_edits(word) else []
            if found:
                query.corrections[word] = found
    query.resolved = True
    return query


def respell(value: str, replacements: dict[str, str]) -> str:
    """The text with these (lower-case) words replaced, in the case they were written in."""

    def replace(match):
        written = match.group()
        new = replacements.get(written.lower())
        if new is None:
            return written
        if len(written) > 1 and written.isupper():
            return new.upper()
        return new[:1].upper() + new[1:] if written[:1].isupper() else new

    return text.WORD.sub(replace, value)


@dataclass
class Suggestion:
    """A near spelling of the query ("Did you mean") and its number of hits."""

    text: str
    total: int


def suggest(
    query: Query, total: int, *, sources, municipality=None, using=DEFAULT_DB_ALIAS
) -> Suggestion | None:
    """The query respelled with the nearest indexed words, when a word of it was corrected,
    or when it has at most FEW_HITS hits and a near spelling has more; else None."""
    resolve(query, using)
    if query.corrections:
        replacements = {word: found[0] for word, found in query.corrections.items()}
    elif total <= FEW_HITS:
        replacements = {}
        for word in query.words:
            if word in query.prefixes or word in query.unknown:
                continue
            if not vocabulary.allowed_edits(word):
                continue
            found = vocabulary.near(word, using, exclude_forms=True)
            if found:
                replacements[word] = found[0]
    else:
        return None
    if not replacements:
        return None
    respelled = Query.parse(respell(query.text, replacements), query.language)
    respelled.resolved = True  # its words are indexed ones: searched as they are
    search = _search(respelled, sources, municipality, using)
    found_total = 0 if search is None else search[0].count()
    if not found_total or (not query.corrections and found_total <= total):
        return None
    return Suggestion(text=respelled.text, total=found_total)


def visible(sources, municipality=None, using=DEFAULT_DB_ALIAS) -> Q | None:
    """Documents of these sources whose objects the public may see (in this municipality)."""
    condition = None
    for source in sources:
        rows = _published_sql(source, None if municipality is None else municipality.pk, using)
        if rows is None:
            continue
        # The source first: a cheaper test than the subquery's hash, for every hit.
        part = Q(source=source.key) & Q(object_id__in=RawSQL(*rows))
        condition = part if condition is None else condition | part
    return condition


@functools.lru_cache(maxsize=1024)
def _published_sql(source, municipality, using) -> tuple[str, tuple] | None:
    """The SQL selecting the primary keys of the source's ``published()`` rows (in the
    municipality of this primary key), or None when the source has no municipality lookups.

    Compiled once per process: building and compiling a dozen sources' querysets cost more
    CPU than the statement they are part of. Only the SQL is kept, so what is published is
    read at query time as before; a source's rule must therefore be the same SQL whenever it
    is built (a rule on the date would need its own treatment)."""
    rows = source.published_queryset()
    if municipality is not None:
        if not source.municipalities:
            return None
        in_municipality = Q()
        for lookup in source.municipalities:
            in_municipality |= Q(**{lookup: municipality})
        rows = rows.filter(in_municipality)
    query = rows.order_by().values("pk").query
    return query.get_compiler(using).as_sql()


def _forms(word: str, language: str, query: Query | None = None) -> SearchQuery:
    """A word or any of its Swedish variants (English documents hold Swedish text where there
    is no English), each stemmed by PostgreSQL with the language's configuration; for a
    wanted word of the query also what it begins (a prefix) or its corrections."""
    name = config(language)
    found = SearchQuery(word, config=name, search_type="plain")
    for variant in sorted(text.variants(word)):
        found = found | SearchQuery(variant, config=name, search_type="plain")
    if query is not None:
        if word in query.prefixes:  # letters and digits only: safe in to_tsquery's syntax
            found = found | SearchQuery(f"{word}:*", config=name, search_type="raw")
        for correction in query.corrections.get(word, []):
            found = found | SearchQuery(correction, config=name, search_type="plain")
    return found


def _not_forms(word: str, language: str) -> SearchQuery:
    name = config(language)
    found = ~SearchQuery(word, config=name, search_type="plain")
    for variant in sorted(text.variants(word)):
        found = found & ~SearchQuery(variant, config=name, search_type="plain")
    return found


def _postgresql(documents, query: Query):
    """The matching documents, their pre-rank and their score (see the module docstring)."""
    tsquery, similar = None, Q(pk__in=[])
    for wanted, unwanted in query.clauses:
        clause = None
        language = query.language
        wanted_forms = [_forms(word, language, query) for word in wanted]
        for part in wanted_forms + [_not_forms(word, language) for word in unwanted]:
            clause = part if clause is None else clause & part
        tsquery = clause if tsquery is None else tsquery | clause
        # Typos: every (long enough) wanted word is close to a word of the keyword line.
        close = [Q(keywords__trigram_word_similar=word) for word in wanted if len(word) >= 3]
        if close:
            all_close = Q()
            for condition in close:
                all_close &= condition
            for word in unwanted:
                all_close &= ~Q(search_vector=_forms(word, language))
            similar |= all_close
    found = Q(search_vector=tsquery)
    pre_rank = Case(When(found, then=Value(0.0)), default=Value(TYPO_PRE_RANK))
    for word in query.words:
        pre_rank = pre_rank + SearchRank(F("search_vector"), _forms(word, query.language, query))
    score = SearchRank(F("search_vector"), tsquery) + TrigramWordSimilarity(
        Value(" ".join(query.words)), "keywords"
    )
    return documents.filter(found | similar), pre_rank, score


def _has_word(word: str) -> Q:
    padded = f" {word} "
    return Q(words_a__contains=padded) | Q(words_b__contains=padded) | Q(words_c__contains=padded)


def _in_column(column: str, word: str, query: Query) -> Q:
    """The stored words of this column answer a wanted word: the word itself (or, for a
    prefix, a word it begins), or one of its corrections."""
    found = Q(**{f"{column}__contains": f" {word}" if word in query.prefixes else f" {word} "})
    for correction in query.corrections.get(word, []):
        found |= Q(**{f"{column}__contains": f" {correction} "})
    return found


def _sqlite(documents, query: Query):
    match = Q(pk__in=[])
    for wanted, unwanted in query.clauses:
        clause = Q()
        for word in wanted:
            clause &= (
                _in_column("words_a", word, query)
                | _in_column("words_b", word, query)
                | _in_column("words_c", word, query)
            )
        for word in unwanted:
            clause &= ~_has_word(word)
        match |= clause
    score = Value(0.0)
    for word in query.words:
        for column, weight in SQLITE_WEIGHTS:
            score = score + Case(
                When(_in_column(column, word, query), then=Value(weight)),
                default=Value(0.0),
                output_field=FloatField(),
            )
    return documents.filter(match), score, score


def _search(query: Query, sources, municipality, using):
    """The visible documents answering the query, annotated with their `pre_rank`, and the
    pre-rank and score expressions; None when there is nothing to search."""
    condition = visible(sources, municipality, using) if query else None
    if condition is None:
        return None
    resolve(query, using)
    documents = SearchDocument.objects.using(using).filter(condition, language=query.language)
    backend = _postgresql if connections[using].vendor == "postgresql" else _sqlite
    documents, pre_rank, score = backend(documents, query)
    return documents.annotate(pre_rank=pre_rank).order_by(), pre_rank, score


def _by_source(using):
    """The window partition: byte order is enough to group the ASCII keys, and PostgreSQL
    sorts in it much faster than in the database's collation."""
    if connections[using].vendor == "postgresql":
        return [Collate(F("source"), "C")]
    return [F("source")]


def _ranked(documents, using) -> list[tuple[int, str, int, int]]:
    """(pk, source, position by pre-rank, hits of that source) of the first RANKED hits of
    every source by pre-rank (ties: the older object first)."""
    by_source = _by_source(using)
    return list(
        documents.annotate(
            pre_position=Window(
                RowNumber(),
                partition_by=by_source,
                order_by=[F("pre_rank").desc(), F("object_id").asc()],
            ),
            type_total=Window(Count("pk"), partition_by=by_source),
        )
        .filter(pre_position__lte=RANKED)
        .values_list("pk", "source", "pre_position", "type_total")
    )


def _scored(pks, pre_rank, score, using):
    """These documents with their shown fields, `pre_rank` and `score`."""
    return (
        SearchDocument.objects.using(using)
        .filter(pk__in=pks)
        .only(*SHOWN_FIELDS)
        .annotate(pre_rank=pre_rank, score=score)
    )


BEST_FIRST = [F("score").desc(), F("pre_rank").desc(), F("object_id").asc()]


class Hits:
    """The visible documents of one source answering a query, best first (see the module
    docstring), for a Paginator: ``count()`` and slices, each read when asked for."""

    def __init__(self, query: Query, *, source, municipality=None, using=DEFAULT_DB_ALIAS):
        self.search = _search(query, [source], municipality, using)
        self.using = using
        self._ranked = None

    def ranked(self) -> list[tuple[int, str, int, int]]:
        if self._ranked is None:
            self._ranked = [] if self.search is None else _ranked(self.search[0], self.using)
        return self._ranked

    def count(self) -> int:
        ranked = self.ranked()
        return ranked[0][3] if ranked else 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[SearchDocument]:
        start, stop, _step = index.indices(self.count())
        ranked = self.ranked()
        found: list[SearchDocument] = []
        if start >= stop:
            return found
        documents, pre_rank, score = self.search
        if start < len(ranked):
            pks = [pk for pk, *_rest in ranked]
            rows = _scored(pks, pre_rank, score, self.using).order_by(*BEST_FIRST)
            found += rows[start : min(stop, len(ranked))]
        if stop > len(ranked):  # after the ranked few: by pre-rank
            order = [F("pre_rank").desc(), F("object_id").asc()]
            page = documents.order_by(*order).values("pk")[max(start, len(ranked)) : stop]
            rows = (
                SearchDocument.objects.using(self.using)
                .filter(pk__in=page)
                .only(*SHOWN_FIELDS)
                .annotate(pre_rank=pre_rank)
                .order_by(*order)
            )
            found += rows
        return found


def best_of_each(query: Query, *, sources, municipality=None, per_type=5, using=DEFAULT_DB_ALIAS):
    """The best `per_type` documents (at most RANKED) of every source, the first of its
    ``Hits``, grouped by source in the order of `sources`, each with `type_total`, the number
    of documents of its source that answer the query."""
    search = _search(query, sources, municipality, using)
    ranked = [] if search is None else _ranked(search[0], using)
    if not ranked:
        return []
    _documents, pre_rank, score = search
    totals = {source: total for _pk, source, _position, total in ranked}
    rows = (
        _scored([pk for pk, *_rest in ranked], pre_rank, score, using)
        .annotate(position=Window(RowNumber(), partition_by=_by_source(using), order_by=BEST_FIRST))
        .filter(position__lte=per_type)
        .order_by()  # sorted below
    )
    order = {source.key: n for n, source in enumerate(sources)}
    shown = sorted(rows, key=lambda document: (order[document.source], document.position))
    for document in shown:
        document.type_total = totals[document.source]
    return shown
