"""Plain text for the search: cleaning, word lists, Swedish word variants, highlighting.

Swedish stemming on PostgreSQL uses the built-in ``swedish`` configuration (Snowball). That
stemmer keeps umlaut plurals and definite forms apart from their base word ("bostad" gives the
lexeme ``bost``, "bostäder" ``bostäd``, "bostaden" ``bostad``), so ``variants()`` gives the
other forms of such words. They are added to the indexed text before PostgreSQL stems it, and
each word of a query is searched together with its variants (search/query.py): "bostäder"
then finds "bostad", and "bostad" finds "bostaden" and "bostäder". The SQLite search matches
the same stored words, variants included.
"""

import difflib
import functools
import re
from html import escape  # what django.utils.html.escape calls, without its lazy wrapper

from django.utils.safestring import SafeString, mark_safe

from sodertorn.markup import markdown_to_text

__all__ = ["markdown_to_text"]

WORD = re.compile(r"\w+")
# NUL and other control characters (PostgreSQL text cannot hold NUL), but not tab/newline.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
UMLAUT = {"ä": "a", "ö": "o"}
UMLAUT_BACK = {"a": "ä", "o": "ö"}
# Umlaut plurals: stad–städer, bostad–bostäder, land–länder, son–söner, fot–fötter, bok–böcker.
_PLURAL = re.compile(r"^(\w*?)([äö])(d|nd|n|tt|ck)(er|erna)$")
_SINGULAR = re.compile(r"^(\w*?)([ao])(d|nd|n|t|k)(en|et)?$")
_PLURAL_CONSONANTS = {"d": "d", "nd": "nd", "n": "n", "t": "tt", "k": "ck"}
_SINGULAR_CONSONANTS = {"d": "d", "nd": "nd", "n": "n", "tt": "t", "ck": "k"}
# Endings the stemmer treats unevenly (arbetsplats → arbetsplat, arbetsplatser → arbetsplats;
# kontor → kont, kontoren → kontor; Flemingsbergs → flemingsbergs): the word without them.
_ENDING = re.compile(r"^(\w{3,}?)(erna|arna|orna|en|et|na|er|ar|or|an|s)$")


def clean(value: str) -> str:
    """Text as stored and shown: no control characters, no runs of blank lines."""
    value = CONTROL.sub("", value or "")
    return re.sub(r"\n{3,}", "\n\n", value).strip()


def words(value: str) -> list[str]:
    """Lower-case words (letters and digits) in order."""
    return WORD.findall(CONTROL.sub("", value or "").lower())


def variants(word: str) -> set[str]:
    """Other Swedish forms of a word that the Snowball stemmer does not bring together."""
    found = set()
    if len(word) < 3:
        return found
    if match := _PLURAL.match(word):
        stem, vowel, consonants, _ending = match.groups()
        found.add(stem + UMLAUT[vowel] + _SINGULAR_CONSONANTS[consonants])
    if match := _SINGULAR.match(word):
        stem, vowel, consonants, _ending = match.groups()
        if len(stem) + 2 >= 3:
            found.add(stem + UMLAUT_BACK[vowel] + _PLURAL_CONSONANTS[consonants] + "er")
            if _ending:
                found.add(stem + vowel + consonants)
    if match := _ENDING.match(word):
        found.add(match.group(1))
    found.discard(word)
    return found


def terms(value: str) -> str:
    """The stored, normalised words of a text: each word once, then its variants, separated
    and surrounded by single spaces (so ' word ' matches whole words only)."""
    seen: dict[str, None] = {}
    extra: dict[str, None] = {}
    for word in words(value):
        if word not in seen:
            seen[word] = None
            for variant in sorted(variants(word)):
                extra[variant] = None
    listed = list(seen) + [word for word in extra if word not in seen]
    return f" {' '.join(listed)} " if listed else ""


# Highlighting ----------------------------------------------------------------------------------


def _fold(word: str) -> str:
    return "".join(UMLAUT.get(char, char) for char in word)


@functools.lru_cache(maxsize=8192)
def _same_word(query_word: str, word: str) -> bool:
    """Does a word of the text answer a word of the query (same word, another form of it, or
    a near spelling)? Only for highlighting: the database decides what matches. Remembered:
    the same words recur in every hit, and the near-spelling test is slow."""
    if word == query_word:
        return True
    if len(query_word) < 3 or len(word) < 3:
        return False
    if word in variants(query_word) or query_word in variants(word):
        return True
    a, b = _fold(query_word), _fold(word)
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    if common >= 4 and common >= min(len(a), len(b)) - 2:
        return True
    if len(a) < 5 or abs(len(a) - len(b)) > 2:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.85


@functools.lru_cache(maxsize=8192)
def _answers(query_words: tuple[str, ...], word: str) -> bool:
    """Does this lower-case word of the text answer any word of the query?"""
    return any(_same_word(query_word, word) for query_word in query_words)


def highlight(value: str, query_words: list[str]) -> SafeString:
    """The text, HTML-escaped, with the words that answer the query wrapped in <mark>."""
    parts, position, query = [], 0, tuple(query_words)
    for match in WORD.finditer(value):
        word = match.group()
        if _answers(query, word.lower()):
            parts.append(escape(value[position : match.start()]))
            parts.append(f"<mark>{word}</mark>")  # letters and digits: nothing to escape
            position = match.end()
    parts.append(escape(value[position:]))
    return mark_safe("".join(parts))  # noqa: S308 — every piece of text escaped just above


def excerpt(value: str, query_words: list[str], *, size: int = 32) -> SafeString:
    """About `size` words of the text around the first word that answers the query (or its
    beginning), escaped and highlighted, with … where text was left out."""
    value = " ".join(value.split())
    query = tuple(query_words)
    # The words up to the end of the excerpt only (a body has hundreds): all of them when
    # none answers the query.
    found, first, needed = [], None, None
    for match in WORD.finditer(value):
        found.append(match)
        if first is None and _answers(query, match.group().lower()):
            first = len(found) - 1
            needed = max(0, first - size // 3) + size + 1
        if needed is not None and len(found) >= needed:
            break
    if not found:
        return mark_safe("")
    first = first or 0
    start = max(0, first - size // 3)
    end = min(len(found), start + size)
    start = max(0, min(start, end - size))
    begin = found[start].start() if start else 0
    finish = found[end].start() if end < len(found) else len(value)
    piece = value[begin:finish].rstrip(" ,;:–-")
    marked = highlight(piece, query_words)
    before = "… " if begin > 0 else ""
    after = " …" if finish < len(value) else ""
    return mark_safe(f"{before}{marked}{after}")  # noqa: S308 — highlight() escaped the text
