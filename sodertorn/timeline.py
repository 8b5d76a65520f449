"""What one line of a testbed's timeline is, shared by every app that adds lines.

An app's ``testbed_timeline`` hook (sodertorn/hooks.py) returns a list of ``Event``; the core
app joins them (testbeds/timeline.py). The shape lives in the kernel so the apps need not
import each other to speak it.
"""

import datetime
from dataclasses import dataclass

from sodertorn.content_language import shown_language

OLDEST_FIRST, NEWEST_FIRST = "aldst", "nyast"
# precision -> (shown format, machine-readable strftime format)
DATE_FORMATS = {"day": ("j F Y", "%Y-%m-%d"), "month": ("F Y", "%Y-%m"), "year": ("Y", "%Y")}


@dataclass(frozen=True)
class Event:
    date: datetime.date
    kind: str  # what it is about, for the list's marker and the API: "testbed", "dialogue", …
    label: str  # what happened, in the interface language: "Samråd opened"
    name: str = ""  # the content it concerns (a round's title), shown after the label
    url: str = ""  # the page it is about (a path); the testbed's own lines link the testbed
    detail: str = ""  # a second line, in the interface language: counts, a funder
    name_language: str = ""  # the language ``name`` is shown in (content_language)
    order: int = 50  # among the same day's events
    precision: str = "day"  # how exactly the date is known: "day", "month" or "year"

    @property
    def date_format(self) -> str:
        """The date filter's format for the shown date: no day where only the month is known."""
        return DATE_FORMATS[self.precision][0]

    @property
    def machine_date(self) -> str:
        """The ``<time datetime>`` value, as exact as the date is known (2017, 2017-06)."""
        return self.date.strftime(DATE_FORMATS[self.precision][1])

    @property
    def title(self) -> str:
        """One line for the feed and the API: "Samråd opened: Dagvatten i Hallunda"."""
        return f"{self.label}: {self.name}" if self.name else self.label


def named(obj, field: str = "title") -> dict:
    """The ``name`` of an event about ``obj``: its text, language and page."""
    return {
        "name": getattr(obj, field),
        "name_language": shown_language(obj, field),
        "url": obj.get_absolute_url(),
    }
