"""The README's "Roles" section is the role declaration (sodertorn/roles.py), word for word."""

import re
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from sodertorn import roles

README = Path(settings.BASE_DIR) / "README.md"


def readme_roles_section() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## Roles\n\n(.*?)\n+^## ", text, flags=re.M | re.S)
    assert match, 'README.md has no "## Roles" section followed by another section'
    return match.group(1).strip()


def table_rows(markdown: str, header: str) -> list[list[str]]:
    lines = markdown.splitlines()
    start = lines.index(header)
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


def test_readme_role_table_matches_the_declaration():
    rows = table_rows(readme_roles_section(), "| role | who | may do |")
    assert rows == [[r.key, r.who, r.may] for r in roles.ROLES]
    assert [row[0] for row in rows] == [
        "visitor",
        "member",
        "group lead",
        "curator",
        "moderator",
        "answerer",
        "superuser",
    ]


def test_readme_roles_section_is_what_the_command_prints():
    out = StringIO()
    call_command("roles_table", stdout=out)
    assert readme_roles_section() == out.getvalue().strip(), (
        "README.md's Roles section differs from the declaration: run "
        "`manage.py roles_table` and paste its output under '## Roles'"
    )
