"""The standalone page's Open Graph and JSON-LD as extruct (the structured-data extractor crawlers and
SEO tools use) reads them: equal to the Article, hostile text included."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import extruct
import pytest

import newsarticle
from newsarticle import Article

DATA = Path(__file__).parent / "data"
HOSTILE = 'Stadtrat „beschließt“ </script><script>alert(1)</script> & "mehr" {{ x }} ]]> \u202eRTL'

METADATA = (
    "Politik\n"
    f"{HOSTILE}\n"
    "2025-02-27T10:00:00+01:00\n"
    "url: https://example.org/politik/a.html?x=1&y=2\n"
    "author: Anna Muster\n"
    "author: Jörg </script> Beispiel\n"
    "image: https://example.org/a.jpg\n"
    "modified: 2025-02-28\n"
    f"description: Ein Teaser mit {HOSTILE}.\n"
    "tags: Haushalt, Stadt & Land\n"
    "lang: de\n"
    "\n"
    f"Der erste Absatz mit {HOSTILE}.\n"
    "\n"
    "Zweiter Absatz.\n"
)


def _articles() -> list[Article]:
    corpus = [newsarticle.parse_file(path, on_diagnostic=lambda _d: None) for path in sorted(DATA.glob("*.txt"))[:8]]
    return [*corpus, newsarticle.parse(METADATA, source="a.txt")]


def _when(value: dt.date | None) -> str | None:
    return None if value is None else newsarticle.in_whole_minutes(value).isoformat()


@pytest.mark.parametrize("article", _articles(), ids=lambda a: a.source or "metadata")
def test_extruct_reads_the_article_back(article: Article) -> None:
    page = newsarticle.render(article, "html", standalone=True, publisher="Wennetaler Zeitung")
    assert isinstance(page, str)
    found: dict[str, Any] = extruct.extract(page, syntaxes=["json-ld", "opengraph"], uniform=False)

    [ld] = found["json-ld"]
    assert (ld["@type"], ld["headline"]) == ("NewsArticle", article.headline)
    assert ld.get("datePublished") == _when(article.published)
    assert ld.get("dateModified") == _when(article.modified)
    assert ld.get("url") == article.url
    assert [author["name"] for author in ld.get("author", [])] == list(article.authors)
    assert ld.get("image") == article.image
    assert ld.get("keywords", []) == list(article.tags)
    assert ld.get("articleSection") == article.category
    assert ld["publisher"] == {"@type": "Organization", "name": "Wennetaler Zeitung"}
    assert ld["wordCount"] == article.word_count
    assert ld.get("articleBody") == (article.body or None)
    if article.description is not None:
        assert ld["description"] == article.description

    [og] = found["opengraph"]
    properties = og["properties"]
    got = dict(properties)
    assert (got["og:type"], got["og:title"]) == ("article", article.headline)
    assert got.get("og:url") == article.url
    assert got.get("og:image") == article.image
    assert got.get("article:published_time") == _when(article.published)
    assert got.get("article:modified_time") == _when(article.modified)
    assert got.get("article:section") == article.category
    assert [value for key, value in properties if key == "article:author"] == list(article.authors)
    assert [value for key, value in properties if key == "article:tag"] == list(article.tags)
