import pytest

from sodertorn.markup import render_markdown
from testbeds.tests.factories import TestbedFactory


def test_markdown_gives_links_lists_headings_and_tables():
    html = render_markdown(
        "# Rubrik\n\nText med [länk](https://example.se) och **fet**.\n\n"
        "- ett\n- två\n\n| A | B |\n|---|---|\n| 1 | 2 |\n"
    )
    assert "<h2>Rubrik</h2>" in html  # shifted below the page's own h1
    assert '<a href="https://example.se" rel="noopener noreferrer nofollow">länk</a>' in html
    assert "<li>ett</li>" in html
    assert "<table>" in html and "<td>1</td>" in html


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ("[klicka](javascript:alert(1))", "javascript:"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<p style="color:red" onclick="x()">p</p>', "onclick"),
        ('<p style="position:fixed">p</p>', "style="),
        ("<iframe src='https://evil.example'></iframe>", "<iframe"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
        ("<svg><script>alert(1)</script></svg>", "<script"),
    ],
)
def test_dangerous_markup_never_reaches_the_output(source, forbidden):
    assert forbidden not in render_markdown(source).lower()


def test_empty_body_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


@pytest.mark.django_db
def test_testbed_body_is_rendered_as_sanitised_markdown(client):
    testbed = TestbedFactory(
        body="## Bakgrund\n\nSe [kartan](https://example.se).\n\n<script>alert('x')</script>"
        '\n\n<a href="javascript:alert(1)" onclick="x()">farlig</a>'
    )
    html = client.get(testbed.get_absolute_url()).text
    assert "<h3>Bakgrund</h3>" in html
    assert 'href="https://example.se"' in html
    assert "alert('x')" not in html and "javascript:alert" not in html and "onclick" not in html
