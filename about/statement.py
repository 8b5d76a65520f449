"""The facts the accessibility statement and the personal-data page state, kept in one place.

The known shortcomings themselves are written in the statement's templates
(``templates/about/accessibility.{sv,en}.html``), each ``<li>`` with a ``data-shortcoming``
key: ``axe:<rule>`` for an axe-core rule the browser sweep disables, ``page:<url name>`` for a
public page it leaves out (tests/browser/checks.py, tests/public_pages.py). about/tests checks
that both languages list every one of them.
"""

import datetime

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage

# Partially compliant with the law (2018:1937) and WCAG 2.1 AA: there are known shortcomings.
COMPLIANCE = "partial"
WCAG = "WCAG 2.1 AA"
# The last assessment: the automated sweep as it stood on this day and the manual review of
# issue 15. Update with the list of shortcomings.
ASSESSED_ON = datetime.date(2026, 12, 2)
UPDATED_ON = datetime.date(2026, 12, 2)

DIGG_REPORT_URL = "https://www.digg.se/tdosanmalan"
IMY_COMPLAINT_URL = "https://www.imy.se/privatperson/utfora-arenden/lamna-ett-klagomal/"

# The dialogue's support cookie (dialogue.views.BROWSER_COOKIE; a test keeps them equal).
SUPPORT_COOKIE = "dialogue_browser"


def contact_email() -> str:
    return settings.OPENDATA_CONTACT_EMAIL


def cookies() -> dict[str, str]:
    """The names of every cookie the portal sets, as configured."""
    return {
        "session": settings.SESSION_COOKIE_NAME,
        "csrf": settings.CSRF_COOKIE_NAME,
        "language": settings.LANGUAGE_COOKIE_NAME,
        "messages": CookieStorage.cookie_name,
        "support": SUPPORT_COOKIE,
    }
