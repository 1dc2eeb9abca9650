"""docs/format.md states the format's lists as the code has them."""

from __future__ import annotations

import re
from pathlib import Path

from newsarticle import DEFAULT_TRAILER_LINES, Diagnostic

FORMAT_DOC = (Path(__file__).parent.parent / "docs" / "format.md").read_text(encoding="utf-8")


def test_default_trailer_lines_are_listed() -> None:
    paragraph = FORMAT_DOC.split("`DEFAULT_TRAILER_LINES`: ", 1)[1].split("\n\n", 1)[0]
    assert set(re.findall(r"`([^`]+)`", paragraph)) == DEFAULT_TRAILER_LINES


def test_every_diagnostic_code_is_in_the_table() -> None:
    documented = set(re.findall(r"^\| `([a-z-]+)` \| ", FORMAT_DOC.split("## 10.", 1)[1], flags=re.MULTILINE))
    codes = set(re.findall(r"``([a-z-]+)``", Diagnostic.__doc__ or ""))
    assert codes
    assert codes <= documented
