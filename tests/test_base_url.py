"""``base_url``: an article without a url gets the address of its page, its relative path below the site's base."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import html5lib
import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsarticle
from newsarticle import Article, OptionError, Section
from newsarticle._batch.records import output_name
from newsarticle._urls import page_url

BASE = "https://example.org/news/"
TEXT = "Politik\nRat beschließt Haushalt\n2025-02-27\n\nDer Gemeinderat hat beschlossen.\n"


def _head(document: str) -> tuple[list[dict[str, str]], dict[str, str], dict[str, object]]:
    root = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(document)
    links = [dict(link.attrib) for link in root.iter("link")]
    graph = {m.attrib["property"]: m.attrib["content"] for m in root.iter("meta") if "property" in m.attrib}
    (script,) = root.iter("script")
    return links, graph, json.loads(script.text or "")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("politik/haushalt.txt", "https://example.org/news/politik/haushalt.html"),
        ("haushalt.txt", "https://example.org/news/haushalt.html"),
        ("./a/./b.txt", "https://example.org/news/a/b.html"),
        ("Straße/Über 50% los? #1.txt", "https://example.org/news/Stra%C3%9Fe/%C3%9Cber%2050%25%20los%3F%20%231.html"),
        ("v1.2/notes.de.txt", "https://example.org/news/v1.2/notes.de.html"),
        ("ohne-endung", "https://example.org/news/ohne-endung.html"),
    ],
)
def test_the_url_is_the_base_plus_the_relative_path_with_the_formats_suffix(source: str, expected: str) -> None:
    article = newsarticle.parse(TEXT, source=source)
    links, graph, data = _head(str(newsarticle.render(article, "html", standalone=True, base_url=BASE)))
    assert links == [{"rel": "canonical", "href": expected}]
    assert graph["og:url"] == data["url"] == expected
    markdown = str(newsarticle.render(article, "markdown", front_matter=True, base_url=BASE))
    assert f'canonical_url: "{expected[:-5]}.md"' in markdown


def test_a_url_from_the_file_wins() -> None:
    article = newsarticle.parse(TEXT.replace("\n\n", "\nurl: https://example.org/x/1\n\n", 1), source="a/b.txt")
    links, _graph, _data = _head(str(newsarticle.render(article, "html", standalone=True, base_url=BASE)))
    assert links == [{"rel": "canonical", "href": "https://example.org/x/1"}]


@pytest.mark.parametrize("source", [None, "/srv/articles/a.txt", "../a.txt", "a/../../b.txt", "", "."])
def test_no_relative_source_is_a_clear_error(source: str | None) -> None:
    article = Article(headline="H", language="de", sections=[Section(paragraphs=["p"])], source=source)
    with pytest.raises(OptionError, match=r"option 'base_url' derives an article's url from its relative path") as info:
        newsarticle.render(article, "html", standalone=True, base_url=BASE)
    assert "parse_file(path, source=path.relative_to(folder).as_posix())" in str(info.value)  # says how
    # Without base_url nothing is derived, and nothing fails.
    assert "canonical" not in str(newsarticle.render(article, "html", standalone=True))


@pytest.mark.parametrize(
    ("base", "complaint"),
    [
        ("https://example.org/news", "must end in /"),
        ("https://example.org/news/?a=1", "query"),
        ("https://example.org/news/#top", "fragment"),
        ("ftp://example.org/news/", "http or https"),
        ("news/", "http or https"),
    ],
)
def test_a_base_that_cannot_lead_a_url_is_refused_before_rendering(base: str, complaint: str) -> None:
    with pytest.raises(OptionError, match="base_url") as info:
        newsarticle.coerce_options("html", {"base_url": base})
    assert complaint in str(info.value)
    with pytest.raises(OptionError, match="base_url"):
        newsarticle.coerce_options("markdown", {"base_url": base})


_segment = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\\x00"), min_size=1, max_size=12
).filter(lambda s: s not in (".", ".."))


@given(st.lists(_segment, min_size=1, max_size=4), st.sampled_from([".html", ".md", ".ninjs.json"]))
def test_the_url_path_is_the_command_lines_output_path(segments: list[str], suffix: str) -> None:
    # The command mirrors sub/a.txt to out/sub/a.html; the page's url must name that file.
    relative = "/".join(segments)
    url = page_url(BASE, relative, suffix)
    assert url is not None
    assert newsarticle.Article(headline="h", language="de", url=url).url == url  # a URL the model accepts
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path, errors="surrogateescape")
    assert path == "/news/" + output_name(relative, suffix)


# -- on the command line: the page is the output, below the output folder ----------------------------------------


@pytest.mark.slow
def test_the_command_derives_each_url_from_the_output_path_below_the_output_folder(tmp_path: Path) -> None:
    source = Path(__file__).parent / "data" / "001_174fa88330290a76.txt"
    inputs = tmp_path / "articles"
    (inputs / "politik").mkdir(parents=True)
    shutil.copyfile(source, inputs / "politik" / "haus halt.txt")
    command = [sys.executable, "-m", "newsarticle", "convert", str(inputs), "-t", "html", "-s"]
    base = ["-O", "base_url=https://example.org/news/"]
    result = subprocess.run(
        [*command, *base, "-o", str(tmp_path / "site")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "politik" / "haus halt.html").read_text(encoding="utf-8")
    links, _meta, _ld = _head(page)
    # Not articles/politik/...: the input folder's own name is no part of the site.
    assert {"rel": "canonical", "href": "https://example.org/news/politik/haus%20halt.html"} in links
    single = tmp_path / "one.html"
    result = subprocess.run(
        [*command[:4], str(inputs / "politik" / "haus halt.txt"), *command[5:], *base, "-o", str(single)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    links, _meta, _ld = _head(single.read_text(encoding="utf-8"))
    assert {"rel": "canonical", "href": "https://example.org/news/one.html"} in links
