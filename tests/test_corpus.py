"""Every corpus article parses to the values in tests/data/expected/ (rules in tests/data/README.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsarticle import Article, Diagnostic, ParseError, parse, parse_file, unparse

DATA = Path(__file__).parent / "data"
FILES = sorted(DATA.glob("*.txt"))


def _expected(path: Path) -> dict[str, Any]:
    return json.loads((DATA / "expected" / f"{path.stem}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _observed(article: Article, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    paragraphs = article.paragraphs
    return {
        "category": article.category,
        "headline": article.headline,
        "date": None if article.published is None else article.published.isoformat(),
        "paragraph_count": len(paragraphs),
        "subheadings": list(article.headings),
        "trailer": list(article.trailer),
        "first_paragraph_starts": paragraphs[0][:40] if paragraphs else None,
        "last_paragraph_ends": paragraphs[-1][-40:] if paragraphs else None,
        "warnings_expected": bool(diagnostics),
    }


def test_corpus_is_complete(corpus_files: list[Path]) -> None:
    # The README promises 40 articles, each with its expectations.
    assert len(corpus_files) == 40
    assert sorted(p.stem for p in (DATA / "expected").glob("*.json")) == [p.stem for p in corpus_files]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_article_parses_to_its_expected_values(path: Path) -> None:
    expected = _expected(path)
    diagnostics: list[Diagnostic] = []
    if expected.get("error"):
        with pytest.raises(ParseError):
            parse_file(path, on_diagnostic=diagnostics.append)
        return
    article = parse_file(path, on_diagnostic=diagnostics.append)
    assert _observed(article, diagnostics) == expected
    assert article.source == str(path)
    for diagnostic in diagnostics:
        assert diagnostic.source == str(path)
        assert diagnostic.line >= 1


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_article_round_trips_through_the_canonical_form(path: Path) -> None:
    article = parse_file(path, on_diagnostic=lambda _: None)
    canonical = unparse(article)
    assert parse(canonical, source=article.source, strict=True) == article
    assert unparse(parse(canonical, strict=True)) == canonical


def test_corpus_languages_match_the_readme(corpus_files: list[Path]) -> None:
    # README table: 001-024 and the edge files are German, 025-030 English.
    english = {p.name for p in corpus_files if "025" <= p.name[:3] <= "030"}
    for path in corpus_files:
        article = parse_file(path, on_diagnostic=lambda _: None)
        assert article.language == ("en" if path.name in english else "de"), path.name


def test_subheadings_start_sections() -> None:
    article = parse_file(DATA / "013_cd7d936df88ca19e.txt", strict=True)
    assert [s.heading for s in article.sections] == [None, *article.headings]
    assert all(section.paragraphs for section in article.sections)


def test_cp1252_fallback_is_reported_where_the_first_bad_byte_is() -> None:
    path = DATA / "edge_cp1252.txt"
    raw = path.read_bytes()
    diagnostics: list[Diagnostic] = []
    article = parse_file(path, on_diagnostic=diagnostics.append)
    assert [d.code for d in diagnostics] == ["encoding-fallback"]
    with pytest.raises(UnicodeDecodeError) as caught:
        raw.decode("utf-8")
    bad = caught.value.start
    line_start = raw.rfind(b"\n", 0, bad) + 1
    assert diagnostics[0].line == raw.count(b"\n", 0, bad) + 1
    assert diagnostics[0].column == len(raw[line_start:bad].decode("utf-8")) + 1
    assert "€" in article.body
    assert "ß" in article.body


# The README says exact bytes matter (.gitattributes marks the folder -text);
# these checks catch an editor or a checkout that re-encodes a file.
_LAYOUT = {
    "edge_bom.txt": lambda raw: raw.startswith(b"\xef\xbb\xbf"),
    "edge_crlf.txt": lambda raw: raw.count(b"\r\n") == raw.count(b"\n") > 0,
    "edge_cp1252.txt": lambda raw: b"\x84" in raw and b"\x80" in raw,
    "edge_no_trailing_newline.txt": lambda raw: not raw.endswith(b"\n"),
    "edge_trailing_spaces_tabs.txt": lambda raw: b" \n" in raw and b"\t\n" in raw,
}


@pytest.mark.parametrize("name", sorted(_LAYOUT))
def test_edge_files_keep_their_bytes(name: str) -> None:
    raw = (DATA / name).read_bytes()
    assert _LAYOUT[name](raw), f"{name} lost the layout it exists to test (re-encoded by git or an editor?)"


def test_file_sizes_match_the_readme_table() -> None:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    rows = [line.split("|") for line in readme.splitlines() if line.startswith("| `") and ".txt`" in line]
    sizes = {row[1].strip().strip("`"): int(row[3].strip().replace(",", "")) for row in rows}
    assert len(sizes) == 40
    for name, size in sizes.items():
        data = (DATA / name).read_bytes()
        assert len(data) == size, f"{name}: {len(data)} bytes, the README says {size}"
