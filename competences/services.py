"""Competence matching: which candidates cover which needs, ranked.

`match()` is pure Python: it reads only the primary keys and names it is given, so the caller
decides which queries to make (see selectors.py) and the ranking is tested without a database.

Ranking rules (issue 8):
1. candidates that cover every need come before those that cover only some;
2. then fewer uncovered needs first;
3. then by name (Swedish alphabet order: … x y z å ä ö).
Candidates that cover none of the needs are left out.

Where a visitor has chosen the competences (the /kompetens/ page, issue 15), a rule comes
before these: 0. the candidates covering more of the chosen competences first (``rank(...,
most_covered_first=True)``). Against one set of needs (``match``) that is rule 2 already.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Python sorts å, ä, ö by code point (ä < å < ö), after z; Swedish puts them in the order
# å, ä, ö, after z. Characters just after "z" in ASCII keep that order.
_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"})


def name_key(name: str) -> str:
    """A sort key for Swedish names, case-insensitive."""
    return name.casefold().translate(_SWEDISH_ORDER)


@dataclass(frozen=True)
class Match:
    candidate: Any
    covered: tuple  # the needs the candidate has, in name order
    uncovered: tuple  # the needs it does not have, in name order

    @property
    def is_full(self) -> bool:
        return not self.uncovered

    @property
    def needs(self) -> tuple:
        return self.covered + self.uncovered


def _in_name_order(items: Iterable) -> list:
    unique = {item.pk: item for item in items}
    return sorted(unique.values(), key=lambda item: (name_key(str(item)), item.pk))


def rank(
    offers: Iterable[tuple[Any, Iterable, Iterable]], *, most_covered_first: bool = False
) -> list[Match]:
    """Rank `(candidate, needs, has)` triples: how far what a candidate has covers the needs.

    Each triple carries its own needs, so the same function ranks actors for one testbed's
    needs and testbeds for one actor's competences. Items are compared by primary key.
    ``most_covered_first``: the candidates covering more of ``has`` (the chosen competences)
    come first, before the rules above.
    """
    matches = []
    for candidate, needs, has in offers:
        has_pks = {item.pk for item in has}
        covered, uncovered = [], []
        for need in _in_name_order(needs):
            (covered if need.pk in has_pks else uncovered).append(need)
        if covered:
            matches.append(Match(candidate, tuple(covered), tuple(uncovered)))
    matches.sort(
        key=lambda m: (
            -len(m.covered) if most_covered_first else 0,
            not m.is_full,
            len(m.uncovered),
            name_key(str(m.candidate)),
            getattr(m.candidate, "pk", 0) or 0,
        )
    )
    return matches


def match(needs: Iterable, candidates: Iterable[tuple[Any, Iterable]]) -> list[Match]:
    """Rank `(candidate, competences it has)` pairs against one set of needs."""
    needs = list(needs)
    return rank((candidate, needs, has) for candidate, has in candidates)


def set_member_competences(*, user, competences) -> None:
    """Replace the competences a person declares (their own, not demo content)."""
    user.competences.set(competences, through_defaults={"is_demo": False})
