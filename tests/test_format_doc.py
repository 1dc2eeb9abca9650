"""docs/format.md states the format's lists as the code has them; its table of codes is generated from the code."""

from __future__ import annotations

import re
from pathlib import Path

from docs_hook import load_gen
from newsarticle import DEFAULT_TRAILER_LINES, Diagnostic
from newsarticle._diagnostics import DIAGNOSTIC_CODES, ERROR_CODES

ROOT = Path(__file__).resolve().parent.parent
FORMAT_DOC = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")


def test_default_trailer_lines_are_listed() -> None:
    paragraph = FORMAT_DOC.split("`DEFAULT_TRAILER_LINES`: ", 1)[1].split("\n\n", 1)[0]
    assert set(re.findall(r"`([^`]+)`", paragraph)) == DEFAULT_TRAILER_LINES


def test_the_docstring_names_every_code_of_the_table() -> None:
    assert set(re.findall(r"``([a-z-]+)``", Diagnostic.__doc__ or "")) == set(DIAGNOSTIC_CODES)


def test_every_code_the_parser_reports_is_in_the_table() -> None:
    # The parser names its codes as string literals; the table the docs generate must hold each one.
    source = (ROOT / "src" / "newsarticle" / "_parser.py").read_text(encoding="utf-8")
    reported = set(re.findall(r'self\.report\(\s*"([a-z-]+)"', source))
    raised = set(re.findall(r'"(empty|binary|encoding|invalid-date|too-large)"', source))
    assert reported
    assert reported <= set(DIAGNOSTIC_CODES)
    assert raised == set(ERROR_CODES)


def test_the_generated_table_shows_each_code_with_its_example_and_real_message() -> None:
    # docs/_gen.py parses each example when the site is built; a row whose example stops giving its code fails here.
    gen = load_gen()
    page = gen.expand(FORMAT_DOC, "format.md")
    section = page.split("## 10.", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| (.*)$", section, flags=re.MULTILINE))
    assert set(rows) == set(DIAGNOSTIC_CODES) | set(ERROR_CODES)
    for code, row in rows.items():
        assert "article.txt:" in row, code  # the message as the parser printed it, with source, line and column
    assert ": missing-date: expected a date line after the headline" in rows["missing-date"]
