"""The indexed words (search.SearchWord): typo tolerance, prefix matching and "did you mean",
the same on PostgreSQL and SQLite.

Every word of every document (its stored normalised words, Swedish variants included, and
the words of its keyword line) is a row of ``SearchWord``, added as documents are written and
replaced by a rebuild. A search looks its words up first (``classify``: one statement of
index look-ups, whatever the words):

* a **known** word (it, or one of its Swedish variants, is an indexed word) is searched as
  before;
* a **prefix** (not a word, but the beginning of one: "Flemings") matches the words it
  begins;
* any other word of at least ``MIN_CORRECTED`` letters may be a **typo**: ``near()`` finds
  the indexed words within a few edits of it ("Flemingsbrg", "Hallnda", "Tyreso" without its
  ö) and the search looks for them too. Their candidates come from trigrams (pg_trgm's ``%``
  on a GIN index on PostgreSQL, an FTS5 trigram table on SQLite; see search/models.py); this
  module then keeps the words within ``allowed_edits()`` (optimal string alignment distance,
  diacritics ignored) and orders them in Python, so both databases choose the same words.

The "did you mean" suggestion (search/query.py ``suggest``) is built from the same near words.
"""

import unicodedata

from django.db import DEFAULT_DB_ALIAS, connections

from . import text
from .models import SearchWord

MIN_LENGTH = 3  # shorter words are not stored, and not looked up
MAX_LENGTH = 40  # SearchWord.word's length
MIN_CORRECTED = 4  # shorter unknown words are not corrected (too many near words)
CANDIDATES = 50  # candidate words read per word, by trigram likeness
CORRECTIONS = 3  # near words searched for in place of an unknown word
BATCH = 500
# The last code point: every word that begins with a prefix sorts below prefix + LAST.
LAST = "\U0010ffff"


def fold(word: str) -> str:
    """The word without diacritics (tyresö → tyreso, café → cafe)."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))[:MAX_LENGTH]


def _storable(word: str) -> bool:
    return MIN_LENGTH <= len(word) <= MAX_LENGTH and any(char.isalpha() for char in word)


def words_of(*values: str) -> set[str]:
    """The words of these texts (stored normalised words or plain text) worth storing."""
    return {word for value in values for word in text.words(value) if _storable(word)}


def add(words: set[str], using: str = DEFAULT_DB_ALIAS) -> None:
    """Store the words not yet stored (one statement per BATCH words)."""
    SearchWord.objects.using(using).bulk_create(
        [SearchWord(word=word, folded=fold(word)) for word in sorted(words)],
        batch_size=BATCH,
        ignore_conflicts=True,
    )


def replace(words: set[str], using: str = DEFAULT_DB_ALIAS) -> None:
    """Make these words the whole vocabulary (a rebuild)."""
    SearchWord.objects.using(using).all().delete()
    add(words, using)


# Looking words up --------------------------------------------------------------------------


def _next_word_sql(vendor: str) -> str:
    """The first stored word at or after %s in code point order (an index look-up): the word
    itself when it is stored, else a word it begins when there is one. PostgreSQL compares in
    the database's collation unless told (migration 0002 indexes the word in "C")."""
    table = SearchWord._meta.db_table
    if vendor == "postgresql":
        return (
            f'SELECT word FROM {table} WHERE word COLLATE "C" >= %s '
            f'ORDER BY word COLLATE "C" LIMIT 1'
        )
    return f"SELECT word FROM {table} WHERE word >= %s ORDER BY word LIMIT 1"


KNOWN, PREFIX, UNKNOWN = "known", "prefix", "unknown"


def classify(words: list[str], using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """{word: KNOWN, PREFIX or UNKNOWN} for the query's words, in one statement. Words too
    short to be stored count as known: they are searched as they are."""
    probes: dict[str, set[str]] = {}
    for word in words:
        if _storable(word):
            probes[word] = {word} | {v for v in text.variants(word) if _storable(v)}
    looked_up = sorted(set().union(*probes.values())) if probes else []
    following: dict[str, str | None] = {}
    if looked_up:
        connection = connections[using]
        sub = _next_word_sql(connection.vendor)
        sql = "SELECT " + ", ".join(f"({sub})" for _word in looked_up)
        with connection.cursor() as cursor:
            cursor.execute(sql, looked_up)
            following = dict(zip(looked_up, cursor.fetchone(), strict=True))
    found = {}
    for word in words:
        if word not in probes or any(following[probe] == probe for probe in probes[word]):
            found[word] = KNOWN
        elif (following[word] or "").startswith(word):
            found[word] = PREFIX
        else:
            found[word] = UNKNOWN
    return found


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of a word: padded with two spaces before and one after."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams of the two words."""
    first, second = trigrams(a), trigrams(b)
    return len(first & second) / len(first | second)


def distance(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, replace, swap two neighbours) from a to b; limit + 1 when more."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        # a swap reaches back two rows: stop once two rows in a row are past the limit
        if min(current) > limit and min(previous) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def allowed_edits(word: str) -> int:
    """How far a near word may be: none below MIN_CORRECTED letters (diacritics only), one
    edit up to five letters, two from six."""
    if len(word) < MIN_CORRECTED:
        return 0
    return 1 if len(word) <= 5 else 2


def _candidates(folded: str, using: str) -> list[tuple[str, str]]:
    """(word, folded) of stored words sharing trigrams with `folded`, likest first."""
    connection = connections[using]
    table = connection.ops.quote_name(SearchWord._meta.db_table)
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT word, folded FROM {table} WHERE folded %% %s "
            f"ORDER BY similarity(folded, %s) DESC, word LIMIT {CANDIDATES}"
        )
        params = [folded, folded]
    elif connection.vendor == "sqlite":
        # FTS5's trigram tokenizer does not pad: the word's own three-letter pieces, any of them.
        pieces = sorted({folded[i : i + 3] for i in range(len(folded) - 2)})
        if not pieces:
            return []
        sql = (
            f"SELECT w.word, w.folded FROM search_searchword_trigrams t JOIN {table} w "
            f"ON w.id = t.rowid WHERE search_searchword_trigrams MATCH %s "
            f"ORDER BY t.rank LIMIT {CANDIDATES}"
        )
        params = [" OR ".join(f'"{piece}"' for piece in pieces)]
    else:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def near(word: str, using: str = DEFAULT_DB_ALIAS, *, exclude_forms: bool = False) -> list[str]:
    """Stored words within allowed_edits() of `word` (diacritics ignored), nearest first
    (then likest by trigrams, then closest in length, then alphabetical); at most
    CORRECTIONS, all at the nearest distance. Not the word itself; with `exclude_forms`, not
    its other forms either (a word it begins or that begins it, its Swedish variants)."""
    folded = fold(word)
    limit = allowed_edits(folded)
    if len(folded) < MIN_LENGTH:
        return []
    forms = text.variants(word) if exclude_forms else set()
    found = []
    for other, other_folded in _candidates(folded, using):
        if other == word or other in forms:
            continue
        if exclude_forms and (other.startswith(word) or word.startswith(other)):
            continue
        edits = distance(folded, other_folded, limit)
        if edits <= limit:
            found.append(
                (edits, -similarity(folded, other_folded), abs(len(other) - len(word)), other)
            )
    found.sort()
    return [other for edits, *_rest, other in found if edits == found[0][0]][:CORRECTIONS]
